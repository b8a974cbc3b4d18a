//! Corporate networks on loopback: a proxy that sees every call, and a TLS server signed by a CA of the test's own,
//! reached only when that CA is given.

use std::sync::{Arc, Mutex};

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use toriihq::Error;
use toriihq_tests::KEY;

const ANSWER: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 23\r\nconnection: close\r\n\r\n{\"contract\": {\"id\": 1}}";

/// A server on loopback that answers every request with one contract; returns its port and the head of each
/// request it read.
async fn answering_server(tls: Option<tokio_rustls::TlsAcceptor>) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (seen, tls) = (seen.clone(), tls.clone());
            tokio::spawn(async move {
                let head = match tls {
                    Some(acceptor) => match acceptor.accept(stream).await {
                        Ok(mut stream) => answer(&mut stream).await,
                        Err(_) => return,
                    },
                    None => answer(&mut { stream }).await,
                };
                seen.lock().unwrap().push(head);
            });
        }
    });
    (port, heads)
}

async fn answer<S: AsyncReadExt + AsyncWriteExt + Unpin>(stream: &mut S) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).await.unwrap_or(0) == 1 {
        head.push(byte[0]);
    }
    let _ = stream.write_all(ANSWER.as_bytes()).await;
    let _ = stream.shutdown().await;
    String::from_utf8_lossy(&head).into_owned()
}

#[tokio::test]
async fn every_call_goes_through_the_proxy_and_its_credentials_never_show() {
    let (port, heads) = answering_server(None).await;
    let client = toriihq::Client::builder()
        .api_key(KEY)
        .base_url("http://api.torii.invalid/v1.0")
        .allow_insecure_http(true)
        .proxy(format!("http://user:pr0xy-secret@127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("pr0xy-secret"));
    let contract = client.get_contract().id_contract(1).send().await.unwrap();
    assert_eq!(contract.contract.and_then(|c| c.id), Some(1));
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 1);
    assert!(heads[0].starts_with("GET http://api.torii.invalid/v1.0/contracts/1 HTTP/1.1\r\n"), "{}", heads[0]);
    assert!(heads[0].to_ascii_lowercase().contains("proxy-authorization: basic "), "{}", heads[0]);
    let bad = toriihq::Client::builder().api_key(KEY).proxy("not a url:pr0xy-secret").build().unwrap_err();
    assert!(matches!(bad, Error::InvalidArgument { .. }) && !bad.to_string().contains("pr0xy-secret"), "{bad}");
}

#[tokio::test]
async fn a_server_signed_by_a_private_ca_is_reached_only_with_that_ca() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_pem = ca_params.self_signed(&ca_key).unwrap().pem();
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let server_cert =
        CertificateParams::new(vec!["localhost".into()]).unwrap().signed_by(&server_key, &issuer).unwrap();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![server_cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::try_from(server_key.serialize_der()).unwrap(),
        )
        .unwrap();
    let (port, heads) = answering_server(Some(tokio_rustls::TlsAcceptor::from(Arc::new(config)))).await;
    let base_url = format!("https://localhost:{port}");
    let client = |ca: Option<&std::path::Path>| {
        let builder = toriihq::Client::builder().api_key(KEY).base_url(&base_url).max_retries(0);
        match ca {
            Some(path) => builder.ca_bundle(path),
            None => builder,
        }
        .build()
        .unwrap()
    };
    let refused = client(None).get_contract().id_contract(1).send().await;
    assert!(matches!(refused, Err(Error::Connection(_))), "{refused:?}");
    let bundle = std::env::temp_dir().join(format!("toriihq-test-ca-{port}.pem"));
    std::fs::write(&bundle, ca_pem).unwrap();
    let reached = client(Some(&bundle)).get_contract().id_contract(1).send().await;
    std::fs::remove_file(&bundle).unwrap();
    assert_eq!(reached.unwrap().contract.and_then(|c| c.id), Some(1));
    assert_eq!(heads.lock().unwrap().len(), 1, "only the call with the CA got past the handshake");
    let missing = toriihq::Client::builder().api_key(KEY).ca_bundle("/nonexistent/ca.pem").build().unwrap_err();
    assert!(matches!(missing, Error::Config(_)) && missing.to_string().contains("/nonexistent/ca.pem"), "{missing}");
}
