//! A private CA and a `localhost` server certificate it signed, made fresh for each test run, so the Python and Node
//! packages test `ca_bundle` against a TLS server of their own (the Rust tests make theirs in process).

use std::path::PathBuf;

use anyhow::{Context, Result};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, SanType};

/// The variable naming the folder the packages' tests read `ca.pem`, `server.pem` and `server-key.pem` from.
pub const ENV: &str = "TORIIHQ_TEST_TLS";

/// Writes the three files into `target/test-tls/` and returns the folder.
pub fn write() -> Result<PathBuf> {
    let dir = super::target_dir().join("test-tls");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let ca_key = KeyPair::generate()?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_pem = ca.self_signed(&ca_key)?.pem();
    let issuer = Issuer::new(ca, ca_key);
    let server_key = KeyPair::generate()?;
    let mut server = CertificateParams::new(vec!["localhost".to_string()])?;
    server.subject_alt_names.push(SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
    let server_pem = server.signed_by(&server_key, &issuer)?.pem();
    for (name, contents) in
        [("ca.pem", ca_pem), ("server.pem", server_pem), ("server-key.pem", server_key.serialize_pem())]
    {
        std::fs::write(dir.join(name), contents).with_context(|| format!("writing {name}"))?;
    }
    Ok(dir)
}
