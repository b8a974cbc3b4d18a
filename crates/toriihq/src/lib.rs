//! # toriihq
//!
//! Client for the Torii SaaS-management API, generated from the OpenAPI file behind Torii's API reference.
//!
//! ```no_run
//! # async fn run() -> toriihq::Result<()> {
//! let client = toriihq::Client::builder().build()?; // key from TORII_API_KEY
//! let page = client.get_apps().size(100).send().await?;
//! println!("{} apps on this page", page.apps.map_or(0, |apps| apps.len()));
//! # Ok(()) }
//! ```
//!
//! Every operation of the spec is a method returning a builder; `send()` returns the typed body,
//! `send_with_response()` the body with status and headers. Paged lists also have `<operation>_stream`, which
//! yields every item of every page. Errors are one [`Error`] type with a variant per documented status.

pub mod arguments;
pub mod bulk;
mod config;
pub mod custom_integration;
pub mod dynamic;
mod error;
pub mod local_file;
pub mod log;
mod network;
mod operations;
pub mod options;
mod pacing;
mod path;
mod request;
mod retry;
pub mod strict;
mod tls;
mod transport;
pub mod workflows;

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code, missing_docs)]
mod generated;

#[doc(hidden)]
pub mod runtime;
#[doc(hidden)]
pub use runtime as __runtime;

pub use config::{
    API_KEY_ENV, BASE_URL_ENV, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, USER_AGENT,
};
pub use dynamic::{BODY, DryRun, EXTRA_QUERY, RawResponse};
pub use error::{Error, ErrorDetail, ErrorResponse, Result, catalogue};
#[doc(hidden)]
pub use generated::typed_round_trip;
pub use generated::{Client, builder, types, upload};
pub use operations::{Callable, operation, operations};
pub use pacing::Rate;
pub use progenitor_client::{ByteStream, ResponseValue};
pub use retry::MAX_RETRY_AFTER;
pub use runtime::upload::{FilePart, MAX_UPLOAD_BYTES};
pub use toriihq_spec::Operation;
pub use workflows::{SyncData, SyncOutcome, Upload};

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `TORII_API_KEY` and `TORII_BASE_URL` alone.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::default().build()
    }

    /// The base URL every request goes to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }
}
