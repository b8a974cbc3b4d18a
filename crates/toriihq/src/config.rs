//! `Client::builder()`: where the key, base URL, version, timeouts and retries come from.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use url::Url;

use crate::log::{Log, LogLevel, Logger};
use crate::network::Network;
use crate::options::Settings;
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
/// `TORII_BASE_URL`, then to the public API. The settings are the option table's ([`Settings`]), so options given
/// as JSON by the Python and Node packages land in the same fields as these setters.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    settings: Settings,
    user_agent_suffix: Option<String>,
    logger: Option<Logger>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder").field("settings", &self.settings).finish()
    }
}

impl ClientBuilder {
    /// A builder with these settings (what `options::ClientOptions` read from JSON).
    pub fn from_settings(settings: Settings) -> Self {
        ClientBuilder { settings, ..ClientBuilder::default() }
    }

    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.settings.api_key = Some(key.into());
        self
    }

    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.settings.base_url = Some(url.into());
        self
    }

    /// Sends `X-API-Version` with every request (e.g. `"1.1"`), unless a call sets its own.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.settings.api_version = Some(version.into());
        self
    }

    /// Time allowed for one attempt, from connecting to the last byte of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = Some(timeout);
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = Some(timeout);
        self
    }

    /// The largest answer body read from the API; a longer (or endless) one is [`Error::Decode`] after that many
    /// bytes, so memory stays bounded. Downloads from a file's storage host are not limited.
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.settings.max_response_bytes = Some(bytes);
        self
    }

    /// Retries after the first attempt (default 2; 0 turns retrying off).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.settings.max_retries = Some(u64::from(retries));
        self
    }

    /// Allows `http://` to a host other than loopback. Loopback (the mock) is always allowed.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.settings.allow_insecure_http = Some(allow);
        self
    }

    /// A header sent with every request to the API (a team or tracing header). The client's own headers
    /// (Authorization, User-Agent) are not replaced by it.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.settings.extra_headers.get_or_insert_with(Vec::new).push((name, value));
        self
    }

    /// How much the client logs (one line per attempt at `Info`, headers and sizes too at `Debug`); defaults to
    /// `TORII_LOG`, else off. Without a [`ClientBuilder::logger`] the lines are `tracing` events (target
    /// `toriihq`), which a subscriber that enables them receives whatever this level.
    pub fn log_level(mut self, level: LogLevel) -> Self {
        self.settings.log_level = Some(level.as_str().into());
        self
    }

    /// Every request through this HTTP(S) proxy (`http://user:pass@proxy.corp:3128`), hosts in `NO_PROXY` aside;
    /// without it, `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` are used. The URL is never shown.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.settings.proxy = Some(url.into());
        self
    }

    /// A PEM file of CA certificates trusted besides the system's (a TLS-inspecting proxy's); defaults to
    /// `SSL_CERT_FILE`.
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.settings.ca_bundle = Some(path.into());
        self
    }

    /// Waits before a request that would break its operation's stated rate limit (Torii's "N requests per
    /// minute"), counted across every client of the process with the same key and base URL. Off by default.
    pub fn pace_to_rate_limits(mut self, pace: bool) -> Self {
        self.settings.pace_to_rate_limits = Some(pace);
        self
    }

    /// Checks every 2xx answer against its operation's response schema (see [`crate::strict`]): `Warn` writes what
    /// differs to the log, `Error` fails the call with [`Error::SpecDrift`]. Defaults to `TORII_STRICT`, else off.
    pub fn strict(mut self, mode: Strictness) -> Self {
        self.settings.strict = Some(mode.as_str().into());
        self
    }

    /// A file strict mode appends each report to, one JSON line each (what `cargo xtask drift` reads); defaults
    /// to `TORII_STRICT_REPORT`.
    pub fn strict_report(mut self, path: impl Into<PathBuf>) -> Self {
        self.settings.strict_report = Some(path.into());
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
        let Settings {
            api_key,
            base_url,
            api_version,
            timeout,
            connect_timeout,
            max_retries,
            extra_headers,
            max_response_bytes,
            proxy,
            ca_bundle,
            pace_to_rate_limits,
            log_level,
            strict,
            strict_report,
            allow_insecure_http,
        } = self.settings;
        let timeout = timeout.unwrap_or(DEFAULT_TIMEOUT);
        let max_retries = match max_retries {
            Some(retries) => {
                u32::try_from(retries).map_err(|_| Error::invalid_argument("max_retries", "is too large"))?
            }
            None => DEFAULT_MAX_RETRIES,
        };
        let key = match api_key {
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
        let base_url = base_url
            .or_else(|| std::env::var(BASE_URL_ENV).ok().filter(|v| !v.trim().is_empty()))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let base_url = parse_base_url(base_url.trim(), allow_insecure_http.unwrap_or(false))?;
        let api_version = api_version
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
            .timeout(timeout)
            .connect_timeout(connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            .redirect(same_origin_redirects(base_url.clone()));
        let network = Network { proxy, ca_bundle };
        let http =
            network.apply(http)?.build().map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let transport = Transport::new(Shared {
            http: http.clone(),
            authorization,
            base_url: base_url.clone(),
            api_version,
            user_agent,
            max_retries,
            max_response_bytes: max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            timeout,
            default_headers: extra_headers.unwrap_or_default(),
            log: Log {
                // The option's words are the levels and modes: `options` keeps a value to them.
                level: log_level.as_deref().and_then(LogLevel::parse).or_else(LogLevel::from_env).unwrap_or_default(),
                logger: self.logger,
            },
            strict: Strict {
                mode: strict.as_deref().and_then(Strictness::parse).or_else(Strictness::from_env).unwrap_or_default(),
                report_file: strict_report
                    .or_else(|| std::env::var_os(STRICT_REPORT_ENV).filter(|v| !v.is_empty()).map(PathBuf::from)),
            },
            pacer: crate::pacing::Pacer::shared(base_url.as_str(), &key),
            pace_by_default: pace_to_rate_limits.unwrap_or(false),
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
