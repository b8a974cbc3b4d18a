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
mod sync;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use faults::{Fault, FaultKind};
pub use request_log::LoggedRequest;
use shared::Shared;
pub use store::Seed;
pub use sync::{FILE_SCHEMA, problems as file_schema_problems};
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
    /// `N/min`, `N/s` or `N/h` per operation, or `spec` (each operation's stated limit), answered with 429 and
    /// `Retry-After` beyond it.
    pub rate_limit: Option<String>,
    /// How long a presigned upload URL is valid (Torii: five minutes).
    pub presigned_ttl: Duration,
    /// How long a custom-integration sync runs; another started meanwhile answers 409.
    pub sync_duration: Duration,
    /// The share of API requests, in percent, that get a random fault (soak tests); 0 for none.
    pub chaos_percent: u32,
    /// How much faster than real time the rate limits' windows pass: 60 makes a minute a second.
    pub time_scale: f64,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            spec: None,
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: DEFAULT_API_KEY.to_string(),
            seed: Seed::parse("").expect("the default seed parses"),
            rate_limit: None,
            presigned_ttl: Duration::from_secs(300),
            sync_duration: Duration::from_secs(2),
            chaos_percent: 0,
            time_scale: 1.0,
        }
    }
}

impl MockConfig {
    /// A configuration from JSON, every key optional and in snake or camel case: `api_key`, `seed`
    /// (`"apps=500,users=100"`), `rate_limit` (`"100/min"`), `presigned_ttl` and `sync_seconds` (seconds), `chaos`
    /// (percent), `time_scale` (60: the rate limits' minute lasts a second). For the packages' mocks.
    pub fn from_json(config: &serde_json::Value) -> Result<MockConfig, MockError> {
        let mut mock = MockConfig::default();
        let Some(entries) = config.as_object() else {
            return match config.is_null() {
                true => Ok(mock),
                false => Err(MockError::Config("the mock's settings must be an object".into())),
            };
        };
        let seconds = |key: &str, value: &serde_json::Value| {
            value
                .as_f64()
                .filter(|s| s.is_finite() && *s > 0.0)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| MockError::Config(format!("`{key}` must be a positive number of seconds")))
        };
        let text = |key: &str, value: &serde_json::Value| {
            value.as_str().map(str::to_string).ok_or_else(|| MockError::Config(format!("`{key}` must be a string")))
        };
        for (key, value) in entries.iter().filter(|(_, v)| !v.is_null()) {
            // JavaScript spells them in camel case (`apiKey`, `syncSeconds`).
            let snake: String = key
                .chars()
                .flat_map(|c| if c.is_ascii_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] })
                .collect();
            match snake.as_str() {
                "api_key" => mock.api_key = text(key, value)?,
                "seed" => mock.seed = Seed::parse(&text(key, value)?).map_err(MockError::Config)?,
                "rate_limit" => mock.rate_limit = Some(text(key, value)?),
                "presigned_ttl" => mock.presigned_ttl = seconds(key, value)?,
                "sync_seconds" => mock.sync_duration = seconds(key, value)?,
                "time_scale" => mock.time_scale = seconds(key, value)?.as_secs_f64(),
                "chaos" => {
                    mock.chaos_percent = value
                        .as_u64()
                        .filter(|p| *p <= 100)
                        .and_then(|p| u32::try_from(p).ok())
                        .ok_or_else(|| MockError::Config("`chaos` must be a whole percent, 0 to 100".into()))?
                }
                other => {
                    let known = "api_key, seed, rate_limit, presigned_ttl, sync_seconds, chaos, time_scale";
                    return Err(MockError::Config(format!("`{other}` is not a setting of the mock; they are {known}")));
                }
            }
        }
        Ok(mock)
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
    storage_address: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<(tokio::sync::oneshot::Sender<()>, tokio::sync::oneshot::Sender<()>)>,
}

async fn bind(address: SocketAddr) -> Result<(tokio::net::TcpListener, SocketAddr), MockError> {
    let listener =
        tokio::net::TcpListener::bind(address).await.map_err(|source| MockError::Bind { address, source })?;
    let bound = listener.local_addr().map_err(|source| MockError::Bind { address, source })?;
    Ok((listener, bound))
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
            .map(|r| {
                let per_minute: Vec<Option<u32>> =
                    api.routes.iter().map(|route| route.op.rate_limit_per_minute).collect();
                rate_limit::RateLimit::parse(r, &per_minute, config.time_scale)
            })
            .transpose()
            .map_err(MockError::Config)?;
        let integer_ids: HashSet<String> = api.collections().into_iter().filter(|c| api.integer_ids(c)).collect();
        let state = store::State::seeded(&api, &config.seed, &integer_ids);
        let (listener, address) = bind(config.address).await?;
        // Storage is another origin, as S3 is another host: the same address, a port of its own.
        let (storage_listener, storage_address) = bind(SocketAddr::new(config.address.ip(), 0)).await?;
        let settings = shared::Settings {
            expected_authorization: format!("Bearer {}", config.api_key),
            rate_limit,
            integer_ids,
            storage_url: format!("http://{storage_address}"),
            presigned_ttl: config.presigned_ttl,
            sync_duration: config.sync_duration,
            chaos: (config.chaos_percent > 0).then(|| faults::Chaos::new(config.chaos_percent, 0x5eed)),
        };
        let shared = Arc::new(Shared::new(api, state, config.seed, settings));
        let (shutdown, stopped) = tokio::sync::oneshot::channel();
        let (storage_shutdown, storage_stopped) = tokio::sync::oneshot::channel();
        tokio::spawn(server::serve(listener, shared.clone(), stopped));
        tokio::spawn(http::serve_with(storage_listener, shared.clone(), storage_stopped, files::storage::respond));
        Ok(MockServer { address, storage_address, shared, shutdown: Some((shutdown, storage_shutdown)) })
    }

    /// A call of the admin API (`/_mock/…`, see `admin`) in process, as `(status, JSON body)`: what the Python and
    /// Node packages' `MockServer` methods use. `path` is what follows `/_mock/`, with its query
    /// (`collection?path=/contracts`).
    pub async fn admin(&self, method: &str, path: &str, body: &[u8]) -> (u16, bytes::Bytes) {
        self.admin_request(method, path, body).await
    }

    /// As [`MockServer::admin`], owning what it needs: a future that may outlive the borrow of the server.
    pub fn admin_request(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> impl std::future::Future<Output = (u16, bytes::Bytes)> + Send + 'static {
        let (shared, method, body) = (self.shared.clone(), method.to_string(), bytes::Bytes::copy_from_slice(body));
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let query = form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let path = path.to_string();
        async move {
            let response = admin::handle(&shared, &method, &path, &query, body).await;
            (response.status, response.body)
        }
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:PORT`: the base URL to give a client.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// `http://127.0.0.1:PORT` of the storage origin: presigned uploads go there, downloads are sent there.
    pub fn storage_url(&self) -> String {
        format!("http://{}", self.storage_address)
    }

    /// Stops accepting connections.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.shared.stop();
        if let Some((api, storage)) = self.shutdown.take() {
            let _ = api.send(());
            let _ = storage.send(());
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}
