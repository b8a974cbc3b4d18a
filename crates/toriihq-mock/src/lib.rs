//! # toriihq-mock
//!
//! A local Torii API for tests: routes, validation and response shapes come from the OpenAPI document (after
//! the project's overlay and normalisation), state lives in memory, and an admin API under `/_mock/` queues
//! faults, shows what clients sent and resets state.
//!
//! ```no_run
//! # async fn run() {
//! let server = toriihq_mock::MockServer::start(toriihq_mock::MockConfig::default()).await.unwrap();
//! println!("serving on {}", server.url());
//! # }
//! ```

mod admin;
pub mod api;
pub mod faults;
mod files;
mod handler;
mod http;
mod lists;
mod output;
mod patch;
mod rate_limit;
mod request_log;
pub mod schema;
mod scim;
mod server;
mod shared;
pub mod store;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;

pub use faults::{Fault, FaultKind};
pub use request_log::LoggedRequest;
use shared::Shared;
pub use store::Seed;
use toriihq_spec::LoadedSpec;

/// The key the mock accepts unless told otherwise.
pub const DEFAULT_API_KEY: &str = "toriihq-mock-key";

/// The spec the crate was built with (the version named by `spec/torii/VERSION` and its overlay, copied here by
/// `cargo xtask generate`).
const EMBEDDED_DOCUMENT: &str = include_str!("../spec/openapi.yaml");
const EMBEDDED_OVERLAY: &str = include_str!("../spec/overlay.yaml");

pub fn embedded_spec() -> Result<LoadedSpec, toriihq_spec::SpecError> {
    let has_overlay = EMBEDDED_OVERLAY.lines().any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    toriihq_spec::load_str(EMBEDDED_DOCUMENT, has_overlay.then_some(EMBEDDED_OVERLAY))
}

#[derive(Debug, Clone)]
pub struct MockConfig {
    /// The spec to serve; the embedded one when `None`.
    pub spec: Option<LoadedSpec>,
    /// Where to listen; port 0 lets the OS choose.
    pub address: SocketAddr,
    pub api_key: String,
    pub seed: Seed,
    /// `N/min` or `N/s` per operation, answered with 429 and `Retry-After` beyond it.
    pub rate_limit: Option<String>,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            spec: None,
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: DEFAULT_API_KEY.to_string(),
            seed: Seed::parse("").expect("the default seed parses"),
            rate_limit: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MockError {
    #[error("spec: {0}")]
    Spec(#[from] toriihq_spec::SpecError),
    #[error("the spec cannot be served: {0}")]
    Routes(String),
    #[error("cannot listen on {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
    #[error("{0}")]
    Config(String),
}

/// A running mock. Dropping it stops the server.
pub struct MockServer {
    address: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl MockServer {
    /// Loads the spec, seeds the state, binds and starts serving on the current tokio runtime.
    pub async fn start(config: MockConfig) -> Result<MockServer, MockError> {
        let spec = match config.spec {
            Some(spec) => spec,
            None => embedded_spec()?,
        };
        let api = api::Api::new(spec).map_err(MockError::Routes)?;
        let rate_limit = config
            .rate_limit
            .as_deref()
            .map(|r| rate_limit::RateLimit::parse(r, api.routes.len()))
            .transpose()
            .map_err(MockError::Config)?;
        let integer_ids: HashSet<String> = api.collections().into_iter().filter(|c| api.integer_ids(c)).collect();
        let expected_authorization = format!("Bearer {}", config.api_key);
        let state = store::State::seeded(&api, &config.seed, &integer_ids);
        let shared = Arc::new(Shared::new(api, state, config.seed, expected_authorization, rate_limit, integer_ids));
        let listener = tokio::net::TcpListener::bind(config.address)
            .await
            .map_err(|source| MockError::Bind { address: config.address, source })?;
        let address = listener.local_addr().map_err(|source| MockError::Bind { address: config.address, source })?;
        let (shutdown, stopped) = tokio::sync::oneshot::channel();
        tokio::spawn(server::serve(listener, shared, stopped));
        Ok(MockServer { address, shutdown: Some(shutdown) })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:PORT`: the base URL to give a client.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stops accepting connections.
    pub fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
