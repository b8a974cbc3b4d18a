//! Corporate networks: an HTTP(S) proxy (the `proxy` option, else `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`, minus
//! `NO_PROXY`) and CA certificates trusted besides the system's (the `ca_bundle` option, else `SSL_CERT_FILE`),
//! for the TLS-inspecting proxies most of our users sit behind.

use std::path::{Path, PathBuf};

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
        match &self.ca_bundle {
            Some(path) => builder = builder.tls_certs_merge(certificates(path)?),
            // Set for other programs too (OpenSSL reads it): a file this cannot use is theirs, not an error here.
            None => {
                let from_env = std::env::var_os(CA_BUNDLE_ENV).map(PathBuf::from);
                if let Some(certificates) = from_env.and_then(|path| certificates(&path).ok()) {
                    builder = builder.tls_certs_merge(certificates);
                }
            }
        }
        Ok(builder)
    }
}

fn certificates(path: &Path) -> Result<Vec<reqwest::Certificate>> {
    let shown = path.display();
    let pem = std::fs::read(path).map_err(|e| Error::Config(format!("cannot read the CA bundle {shown}: {e}")))?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|_| Error::Config(format!("the CA bundle {shown} is not PEM certificates")))?;
    if certificates.is_empty() {
        return Err(Error::Config(format!("the CA bundle {shown} holds no certificate")));
    }
    Ok(certificates)
}
