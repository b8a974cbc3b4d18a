//! `Client::builder()`: where the key, base URL, version, timeouts and retries come from.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use url::Url;

use crate::log::{Log, LogLevel, Logger};
use crate::network::Network;
use crate::strict::{STRICT_REPORT_ENV, Strict, Strictness};
use crate::transport::{Shared, Transport};
use crate::{Client, Error, Result};

pub const API_KEY_ENV: &str = "TORII_API_KEY";
pub const BASE_URL_ENV: &str = "TORII_BASE_URL";
pub const DEFAULT_BASE_URL: &str = "https://api.toriihq.com/v1.0";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The largest answer body read from the API unless the client says otherwise.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;
pub const USER_AGENT: &str = concat!("toriihq-rust/", env!("CARGO_PKG_VERSION"));

/// Builds a [`Client`]. Every setting has a default; the key falls back to `TORII_API_KEY` and the base URL to
/// `TORII_BASE_URL`, then to the public API.
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    api_version: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    max_response_bytes: u64,
    allow_insecure_http: bool,
    user_agent_suffix: Option<String>,
    default_headers: Vec<(HeaderName, HeaderValue)>,
    log_level: Option<LogLevel>,
    logger: Option<Logger>,
    network: Network,
    pace_to_rate_limits: bool,
    strict: Option<Strictness>,
    strict_report: Option<PathBuf>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("default_headers", &self.default_headers)
            .field("log_level", &self.log_level)
            .field("pace_to_rate_limits", &self.pace_to_rate_limits)
            .field("strict", &self.strict)
            .field("strict_report", &self.strict_report)
            .field("proxy", &self.network.proxy.as_ref().map(|_| "<set>"))
            .field("ca_bundle", &self.network.ca_bundle)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: None,
            api_version: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
            user_agent_suffix: None,
            default_headers: Vec::new(),
            log_level: None,
            logger: None,
            network: Network::default(),
            pace_to_rate_limits: false,
            strict: None,
            strict_report: None,
        }
    }
}

impl ClientBuilder {
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends `X-API-Version` with every request (e.g. `"1.1"`), unless a call sets its own.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Time allowed for one attempt, from connecting to the last byte of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest answer body read from the API; a longer (or endless) one is [`Error::Decode`] after that many
    /// bytes, so memory stays bounded. Downloads from a file's storage host are not limited.
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Retries after the first attempt (default 2; 0 turns retrying off).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Allows `http://` to a host other than loopback. Loopback (the mock) is always allowed.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// A header sent with every request to the API (a team or tracing header). The client's own headers
    /// (Authorization, User-Agent) are not replaced by it.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.default_headers.push((name, value));
        self
    }

    /// How much the client logs (one line per attempt at `Info`, headers and sizes too at `Debug`); defaults to
    /// `TORII_LOG`, else off. Without a [`ClientBuilder::logger`] the lines are `tracing` events (target
    /// `toriihq`), which a subscriber that enables them receives whatever this level.
    pub fn log_level(mut self, level: LogLevel) -> Self {
        self.log_level = Some(level);
        self
    }

    /// Every request through this HTTP(S) proxy (`http://user:pass@proxy.corp:3128`), hosts in `NO_PROXY` aside;
    /// without it, `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` are used. The URL is never shown.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.network.proxy = Some(url.into());
        self
    }

    /// A PEM file of CA certificates trusted besides the system's (a TLS-inspecting proxy's); defaults to
    /// `SSL_CERT_FILE`.
    pub fn ca_bundle(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.network.ca_bundle = Some(path.into());
        self
    }

    /// Waits before a request that would break its operation's stated rate limit (Torii's "N requests per
    /// minute"), counted across every client of the process with the same key and base URL. Off by default.
    pub fn pace_to_rate_limits(mut self, pace: bool) -> Self {
        self.pace_to_rate_limits = pace;
        self
    }

    /// Checks every 2xx answer against its operation's response schema (see [`crate::strict`]): `Warn` writes what
    /// differs to the log, `Error` fails the call with [`Error::SpecDrift`]. Defaults to `TORII_STRICT`, else off.
    pub fn strict(mut self, mode: Strictness) -> Self {
        self.strict = Some(mode);
        self
    }

    /// A file strict mode appends each report to, one JSON line each (what `cargo xtask drift` reads); defaults
    /// to `TORII_STRICT_REPORT`.
    pub fn strict_report(mut self, path: impl Into<PathBuf>) -> Self {
        self.strict_report = Some(path.into());
        self
    }

    /// Where the client's lines go instead of `tracing` (what the Python and Node packages set).
    pub fn logger(mut self, logger: Logger) -> Self {
        self.logger = Some(logger);
        self
    }

    /// Appended to the user agent, e.g. `toriihq-python/0.1.0` by the Python package.
    #[doc(hidden)]
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    pub fn build(self) -> Result<Client> {
        let key = match self.api_key {
            Some(key) => key,
            None => std::env::var(API_KEY_ENV)
                .map_err(|_| Error::Config(format!("no API key: pass one to the builder or set {API_KEY_ENV}")))?,
        };
        let key = key.trim().to_string();
        if key.is_empty() {
            return Err(Error::Config(format!("the API key is empty (from the builder or {API_KEY_ENV})")));
        }
        let authorization = {
            let mut value = HeaderValue::from_str(&format!("Bearer {key}"))
                .map_err(|_| Error::Config("the API key contains characters a header cannot carry".into()))?;
            value.set_sensitive(true);
            value
        };
        let base_url = self
            .base_url
            .or_else(|| std::env::var(BASE_URL_ENV).ok().filter(|v| !v.trim().is_empty()))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let base_url = parse_base_url(base_url.trim(), self.allow_insecure_http)?;
        let api_version = self
            .api_version
            .map(|v| {
                HeaderValue::from_str(&v).map_err(|_| Error::invalid_argument("api_version", "not a header value"))
            })
            .transpose()?;
        // Who is calling, for Torii's support: the package and its runtime (from the binding), the core, the
        // platform — `toriihq-python/0.2.0 CPython/3.11.7 toriihq-rust/0.2.0 linux-x86_64`.
        let platform = format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH);
        let user_agent = match self.user_agent_suffix {
            Some(suffix) => format!("{suffix} {USER_AGENT} {platform}"),
            None => format!("{USER_AGENT} {platform}"),
        };
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::invalid_argument("user_agent", "not a header value"))?;

        install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .redirect(same_origin_redirects(base_url.clone()));
        let http = self
            .network
            .apply(http)?
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let transport = Transport::new(Shared {
            http: http.clone(),
            authorization,
            base_url: base_url.clone(),
            api_version,
            user_agent,
            max_retries: self.max_retries,
            max_response_bytes: self.max_response_bytes,
            timeout: self.timeout,
            default_headers: self.default_headers,
            log: Log { level: self.log_level.or_else(LogLevel::from_env).unwrap_or_default(), logger: self.logger },
            strict: Strict {
                mode: self.strict.or_else(Strictness::from_env).unwrap_or_default(),
                report_file: self
                    .strict_report
                    .or_else(|| std::env::var_os(STRICT_REPORT_ENV).filter(|v| !v.is_empty()).map(PathBuf::from)),
            },
            pacer: self.pace_to_rate_limits.then(|| crate::pacing::Pacer::shared(base_url.as_str(), &key)),
        });
        let base = base_url.as_str().trim_end_matches('/');
        Ok(Client::new_with_client(base, http, transport))
    }
}

fn parse_base_url(raw: &str, allow_insecure_http: bool) -> Result<Url> {
    let url = Url::parse(raw).map_err(|e| Error::Config(format!("base URL {raw:?} is not a URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(Error::Config(format!(
                "base URL {raw:?} uses plain http to a non-loopback host; use https or allow_insecure_http(true)"
            )));
        }
        other => return Err(Error::Config(format!("base URL scheme {other:?} is not http or https"))),
    }
    if url.host().is_none() {
        return Err(Error::Config(format!("base URL {raw:?} has no host")));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Redirects are followed only within the API's origin; a redirect elsewhere (the file download's 302 to
/// storage) is returned to the caller rather than followed, so no header of ours travels with it.
fn same_origin_redirects(base: Url) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if !crate::transport::same_origin(attempt.url(), &base) || attempt.previous().len() >= 5 {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

fn install_crypto_provider() {
    // Err means some provider is already installed, which is all we need.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
