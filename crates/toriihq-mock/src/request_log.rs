//! The log of requests the mock received, as tests read it back (the key masked).

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;

/// One request as the log shows it: the key masked, the body as JSON when it was JSON.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

/// What the log keeps per request: the raw parts, formatted only when the log is read, so logging costs the
/// hot path little more than a few reference-count increments.
pub struct RawRequest {
    pub method: hyper::Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: hyper::HeaderMap,
    pub body: bytes::Bytes,
}

impl RawRequest {
    fn render(&self) -> LoggedRequest {
        LoggedRequest {
            method: self.method.to_string(),
            path: self.path.clone(),
            query: self
                .query
                .as_deref()
                .map(|q| form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
                .unwrap_or_default(),
            headers: self
                .headers
                .iter()
                .map(|(k, v)| {
                    let text = v.to_str().unwrap_or("<binary>");
                    let shown = if k == hyper::header::AUTHORIZATION { mask(text) } else { text.to_string() };
                    (k.as_str().to_string(), shown)
                })
                .collect(),
            body: logged_body(&self.headers, &self.body),
        }
    }
}

fn logged_body(headers: &hyper::HeaderMap, body: &bytes::Bytes) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    let is_multipart = headers
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    if is_multipart {
        return Value::String(format!("<multipart, {} bytes>", body.len()));
    }
    serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body[..body.len().min(65_536)]).into_owned()))
}

pub const LOG_CAPACITY: usize = 10_000;

#[derive(Default)]
pub struct RequestLog {
    entries: Mutex<VecDeque<RawRequest>>,
}

impl RequestLog {
    pub fn push(&self, entry: RawRequest) {
        let mut entries = self.entries.lock().expect("log lock");
        if entries.len() == LOG_CAPACITY {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    pub fn snapshot(&self) -> Vec<LoggedRequest> {
        self.entries.lock().expect("log lock").iter().map(RawRequest::render).collect()
    }

    pub fn clear(&self) {
        self.entries.lock().expect("log lock").clear();
    }
}

/// Masks a credential, keeping its scheme: `Bearer abcd…` → `Bearer ****`.
pub fn mask(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} ****"),
        None => "****".to_string(),
    }
}
