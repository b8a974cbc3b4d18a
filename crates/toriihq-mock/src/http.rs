//! The request and response types of the mock's API routes, and the outcome of handling one.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde_json::{Value, json};

/// A request as the handler sees it.
pub struct MockRequest {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

pub struct MockResponse {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
}

impl MockResponse {
    pub fn json(status: u16, body: &Value) -> Self {
        MockResponse { status, headers: Vec::new(), body: Bytes::from(serde_json::to_vec(body).expect("JSON")) }
    }

    pub fn raw_json(status: u16, body: Vec<u8>) -> Self {
        MockResponse { status, headers: Vec::new(), body: Bytes::from(body) }
    }

    pub fn empty(status: u16) -> Self {
        MockResponse { status, headers: Vec::new(), body: Bytes::new() }
    }

    pub fn error(status: u16, message: impl Into<String>) -> Self {
        let reason = hyper::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
        MockResponse::json(status, &json!({"statusCode": status, "error": reason, "message": message.into()}))
    }
}

pub(crate) type Outcome = Result<MockResponse, MockResponse>;

pub(crate) fn bad(message: impl Into<String>) -> MockResponse {
    MockResponse::error(400, message)
}
