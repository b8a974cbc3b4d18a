//! TLS set-up, once per process. Loading the system's root certificates and parsing a CA bundle (`ca_bundle`,
//! `SSL_CERT_FILE`) took 10–15 ms and tens of millions of instructions per client; every client, copy
//! (`with_options`) and thread of the process now shares one verifier per bundle asked for. A bundle is known by
//! its path, size and modification time, so a replaced file is read again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::SystemTime;

use rustls::ClientConfig;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::{Error, Result};

/// What a configuration was made for: no bundle, or a bundle as it was on disk.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Asked(Option<(PathBuf, u64, Option<SystemTime>)>);

static CONFIGS: LazyLock<Mutex<HashMap<Asked, Arc<ClientConfig>>>> = LazyLock::new(Default::default);

/// The rustls configuration for connections that trust the system's roots and, with `bundle`, its certificates
/// too: made the first time it is asked for, shared after. An unreadable or empty bundle is `Error::Config`.
pub(crate) fn config(bundle: Option<&Path>) -> Result<Arc<ClientConfig>> {
    let asked = match bundle {
        None => Asked(None),
        Some(path) => {
            let metadata = std::fs::metadata(path)
                .map_err(|e| Error::Config(format!("cannot read the CA bundle {}: {e}", path.display())))?;
            Asked(Some((path.to_path_buf(), metadata.len(), metadata.modified().ok())))
        }
    };
    let mut configs = CONFIGS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(config) = configs.get(&asked) {
        return Ok(config.clone());
    }
    let extra = match bundle {
        Some(path) => certificates(path)?,
        None => Vec::new(),
    };
    let config = Arc::new(build(extra)?);
    configs.insert(asked, config.clone());
    Ok(config)
}

fn build(extra_roots: Vec<CertificateDer<'static>>) -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cannot = |e: rustls::Error| Error::Config(format!("cannot set up TLS: {e}"));
    let verifier = if extra_roots.is_empty() {
        rustls_platform_verifier::Verifier::new(provider.clone())
    } else {
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra_roots, provider.clone())
    }
    .map_err(cannot)?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(cannot)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // What reqwest offers when it makes the configuration itself: HTTP/2, then HTTP/1.1.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let shown = path.display();
    let pem = std::fs::read(path).map_err(|e| Error::Config(format!("cannot read the CA bundle {shown}: {e}")))?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| Error::Config(format!("the CA bundle {shown} is not PEM certificates")))?;
    if certificates.is_empty() {
        return Err(Error::Config(format!("the CA bundle {shown} holds no certificate")));
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_configuration_per_bundle_for_the_whole_process() {
        let first = config(None).unwrap();
        let again = config(None).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "the system's roots were loaded twice");
        let missing = config(Some(Path::new("/no/such/bundle.pem"))).unwrap_err();
        assert!(missing.to_string().contains("/no/such/bundle.pem"), "{missing}");
    }
}
