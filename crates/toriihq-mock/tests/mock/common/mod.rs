//! Starting a mock and talking raw HTTP to it.

use serde_json::Value;
use toriihq_mock::{MockConfig, MockServer, Seed};

pub const KEY: &str = "mock-test-key";

/// A mock serving the 1.1.0 spec: the mock's own rules (validation, state, paging, faults) are the same for any
/// spec, and these tests were written against that document's shapes. The built spec is exercised by the
/// conformance test and by every client's tests.
pub async fn start(seed: &str) -> MockServer {
    start_version("1.1.0", seed).await
}

/// A mock serving `spec/torii/<version>/`.
pub async fn start_version(version: &str, seed: &str) -> MockServer {
    let spec = toriihq_spec::load_dir(&repo().join("spec/torii").join(version)).expect("the spec loads");
    start_with(MockConfig {
        spec: Some(spec),
        api_key: KEY.into(),
        seed: Seed::parse(seed).unwrap(),
        ..MockConfig::default()
    })
    .await
}

pub async fn start_with(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("the mock starts")
}

pub fn http() -> reqwest::Client {
    http_builder().build().expect("a plain HTTP client")
}

/// reqwest is built without a TLS provider of its own (the SDK brings ring): one is installed first.
pub fn http_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

pub async fn send(server: &MockServer, method: &str, path: &str, body: Option<Value>) -> Answer {
    send_as(server, method, path, body, Some(KEY)).await
}

pub async fn send_as(server: &MockServer, method: &str, path: &str, body: Option<Value>, key: Option<&str>) -> Answer {
    let mut request = http().request(method.parse().unwrap(), format!("{}{path}", server.url()));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Answer { status, headers, body }
}

pub async fn queue_fault(server: &MockServer, fault: Value) {
    let answer = send_as(server, "POST", "/_mock/faults", Some(fault), None).await;
    assert_eq!(answer.status, 201, "{:?}", answer.body);
}

pub fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
