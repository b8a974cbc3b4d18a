//! Faults queued by tests through the admin API, the request log, and the optional rate limit.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a queued fault does to a matching request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with this status and the error body; `retry_after` (seconds) adds `Retry-After`.
    Status {
        status: u16,
        #[serde(default)]
        retry_after: Option<u64>,
    },
    /// Wait, then answer normally.
    Delay { delay_ms: u64 },
    /// Close the connection without answering.
    Reset,
    /// Announce the full body but send half of it, then close.
    Truncated,
    /// A 200 whose body is not JSON.
    InvalidJson,
    /// The normal answer with every string turned into a number and every number into a string.
    WrongTypes,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fault {
    /// Only requests with this method (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// Only requests to this path: exact (`/contracts/7`) or a spec template (`/contracts/{idContract}`).
    #[serde(default)]
    pub path: Option<String>,
    /// How many matching requests it applies to.
    #[serde(default = "one")]
    pub times: u32,
    #[serde(flatten)]
    pub kind: FaultKind,
}

fn one() -> u32 {
    1
}

#[derive(Default)]
pub struct Faults {
    queue: Mutex<Vec<Fault>>,
    pending: AtomicUsize,
}

impl Faults {
    pub fn push(&self, fault: Fault) {
        let mut queue = self.queue.lock().expect("faults lock");
        queue.push(fault);
        self.pending.store(queue.len(), Ordering::Release);
    }

    pub fn clear(&self) {
        self.queue.lock().expect("faults lock").clear();
        self.pending.store(0, Ordering::Release);
    }

    /// Takes one use of the first fault matching the request. `template` is the spec path it routed to.
    pub fn take(&self, method: &str, path: &str, template: impl FnOnce() -> Option<String>) -> Option<FaultKind> {
        if self.pending.load(Ordering::Acquire) == 0 {
            return None;
        }
        let template = template();
        let template = template.as_deref();
        let mut queue = self.queue.lock().expect("faults lock");
        let index = queue.iter().position(|f| {
            f.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
                && f.path.as_deref().is_none_or(|p| p == path || Some(p) == template)
        })?;
        let fault = &mut queue[index];
        let kind = fault.kind.clone();
        fault.times = fault.times.saturating_sub(1);
        if fault.times == 0 {
            queue.remove(index);
        }
        self.pending.store(queue.len(), Ordering::Release);
        Some(kind)
    }
}

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

/// `N/min` or `N/s` per operation: a token bucket per route.
pub struct RateLimit {
    per_window: f64,
    window: Duration,
    buckets: Vec<Mutex<(f64, Instant)>>,
}

impl RateLimit {
    pub fn parse(text: &str, routes: usize) -> Result<RateLimit, String> {
        let (count, unit) = text.split_once('/').ok_or_else(|| format!("rate limit {text:?} is not N/min or N/s"))?;
        let per_window: f64 =
            count.trim().parse().map_err(|_| format!("rate limit count {count:?} is not a number"))?;
        let window = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "min" | "m" | "minute" => Duration::from_secs(60),
            other => return Err(format!("rate limit unit {other:?} is not s or min")),
        };
        if per_window < 1.0 {
            return Err("a rate limit allows at least one request".into());
        }
        let now = Instant::now();
        Ok(RateLimit { per_window, window, buckets: (0..routes).map(|_| Mutex::new((per_window, now))).collect() })
    }

    /// Takes a token for the route, or says how many whole seconds until one is free.
    pub fn take(&self, route: usize) -> Result<(), u64> {
        let Some(bucket) = self.buckets.get(route) else { return Ok(()) };
        let mut bucket = bucket.lock().expect("bucket lock");
        let now = Instant::now();
        let rate = self.per_window / self.window.as_secs_f64();
        bucket.0 = (bucket.0 + now.duration_since(bucket.1).as_secs_f64() * rate).min(self.per_window);
        bucket.1 = now;
        if bucket.0 >= 1.0 {
            bucket.0 -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.0) / rate).ceil().max(1.0) as u64)
        }
    }
}
