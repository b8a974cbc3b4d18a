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

/// A plain HTTP client, for what a test sends past the SDK (the mock's admin routes, a presigned PUT). reqwest is
/// built without a TLS provider of its own (the SDK brings ring): one is installed first.
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
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

mod docs;
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

/// A server that keeps every request's head as it arrived, byte for byte (no HTTP library between the wire and the
/// test), and answers each with the same answer (`200 {}` unless set). For what the client puts on the wire: the
/// request line, the headers.
pub struct RecordingServer {
    pub url: String,
    heads: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    answer: std::sync::Arc<std::sync::Mutex<String>>,
}

const ANSWER_OK: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";

impl RecordingServer {
    pub async fn start() -> RecordingServer {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let answer = std::sync::Arc::new(std::sync::Mutex::new(ANSWER_OK.to_string()));
        let (recorded, answering) = (heads.clone(), answer.clone());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (recorded, answering) = (recorded.clone(), answering.clone());
                tokio::spawn(async move {
                    let mut buffer = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
                            match socket.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                            }
                            continue;
                        };
                        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                        let length = head
                            .lines()
                            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(str::to_string))
                            .and_then(|n| n.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        while buffer.len() < end + 4 + length {
                            match socket.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                            }
                        }
                        buffer.drain(..end + 4 + length);
                        recorded.lock().unwrap().push(head);
                        let answer = answering.lock().unwrap().clone();
                        if socket.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        RecordingServer { url, heads, answer }
    }

    /// Every later request gets `answer`: a whole HTTP/1.1 response, head and body.
    pub fn answer_with(&self, answer: impl Into<String>) {
        *self.answer.lock().unwrap() = answer.into();
    }

    /// The request heads received so far, oldest first, and forgets them.
    pub fn take_heads(&self) -> Vec<String> {
        std::mem::take(&mut *self.heads.lock().unwrap())
    }

    /// The request lines received so far (`DELETE /plugins/x HTTP/1.1`), oldest first, and forgets them.
    pub fn take_request_lines(&self) -> Vec<String> {
        self.take_heads().iter().map(|head| head.lines().next().unwrap_or_default().to_string()).collect()
    }
}
