//! Corporate networks: an HTTP(S) proxy (the `proxy` option, else `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`, minus
//! `NO_PROXY`) and CA certificates trusted besides the system's (the `ca_bundle` option, else `SSL_CERT_FILE`),
//! for the TLS-inspecting proxies most of our users sit behind.

use std::path::PathBuf;

use rustls::ClientConfig;

use crate::{Error, Result};

pub const CA_BUNDLE_ENV: &str = "SSL_CERT_FILE";

/// What a client's connections go through.
#[derive(Clone, Debug, Default)]
pub(crate) struct Network {
    /// A URL that may carry credentials: never shown.
    pub(crate) proxy: Option<String>,
    pub(crate) ca_bundle: Option<PathBuf>,
}

impl Network {
    pub(crate) fn apply(&self, mut builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
        if let Some(url) = &self.proxy {
            // reqwest's error would repeat the URL, credentials and all.
            let proxy = reqwest::Proxy::all(url.as_str())
                .map_err(|_| Error::invalid_argument("proxy", "is not a proxy URL (http://host:port)"))?;
            builder = builder.proxy(proxy.no_proxy(reqwest::NoProxy::from_env()));
        }
        let tls = match &self.ca_bundle {
            Some(path) => crate::tls::config(Some(path))?,
            // Set for other programs too (OpenSSL reads it): a file this cannot use is theirs, not an error here.
            None => match std::env::var_os(CA_BUNDLE_ENV).map(PathBuf::from) {
                Some(path) => crate::tls::config(Some(&path)).or_else(|_| crate::tls::config(None))?,
                None => crate::tls::config(None)?,
            },
        };
        Ok(builder.tls_backend_preconfigured(ClientConfig::clone(&tls)))
    }
}
