//! Shared helpers for the behaviour tests: a client pointed at a local wiremock server, and ways to read back
//! what it sent.

use std::collections::BTreeMap;

use serde_json::Value;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A key recognisable anywhere it might leak.
pub const KEY: &str = "tk_test_S3CR3T-k3y-never-print-me";

pub async fn server() -> MockServer {
    MockServer::start().await
}

pub fn builder(server: &MockServer) -> toriihq::ClientBuilder {
    toriihq::Client::builder().api_key(KEY).base_url(server.uri())
}

pub fn client(server: &MockServer) -> toriihq::Client {
    builder(server).build().expect("client builds")
}

/// `toriihq-mock` (the local Torii) seeded with `seed` (`"users=2500"`), and a client of it without retries.
pub async fn torii_mock(seed: &str) -> (toriihq_mock::MockServer, toriihq::Client) {
    let seed = toriihq_mock::Seed::parse(seed).expect("a seed");
    let config = toriihq_mock::MockConfig { seed, ..Default::default() };
    let server = toriihq_mock::MockServer::start(config).await.expect("the mock starts");
    let client = toriihq::Client::builder()
        .api_key(toriihq_mock::DEFAULT_API_KEY)
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("client builds");
    (server, client)
}

/// The one request the server saw.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request, got {}", requests.len());
    requests.remove(0)
}

pub fn query(request: &Request) -> BTreeMap<String, String> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

pub fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("the request body is JSON")
}

/// Checks what every request to the API carries, and what none may carry.
pub fn assert_standard_headers(request: &Request) {
    assert_eq!(header(request, "authorization"), Some(format!("Bearer {KEY}").as_str()));
    let platform = format!(" {}-{}", std::env::consts::OS, std::env::consts::ARCH);
    assert!(header(request, "user-agent").is_some_and(|ua| ua.starts_with("toriihq-rust/") && ua.ends_with(&platform)));
    assert_eq!(header(request, "api-version"), None, "progenitor's api-version header must not be sent");
}

pub fn pairs(items: &[(&str, &str)]) -> BTreeMap<String, String> {
    items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub mod scenario;

/// `first` answers the first matching request only; `then` answers every later one (a retry's success).
pub async fn answer_once_then(
    server: &MockServer,
    verb: &str,
    route: &str,
    first: ResponseTemplate,
    then: ResponseTemplate,
) {
    use wiremock::matchers::{method, path};
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method(verb)).and(path(route)).respond_with(then).mount(server).await;
}
