//! HTTP as both of the mock's origins (the API and the storage) serve it: the request and response types, the
//! outcome of handling one, queued faults that act before handling, and the accept loop.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

use crate::faults::FaultKind;
use crate::shared::Shared;

pub(crate) type Body = BoxBody<Bytes, std::io::Error>;

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

/// Returned by the service to make hyper drop the connection without an answer.
#[derive(Debug)]
pub(crate) struct ResetConnection;

impl std::fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by an injected fault")
    }
}

impl std::error::Error for ResetConnection {}

/// Accepts connections until `stop`, answering each request with `answer`.
pub(crate) async fn serve_with<F, Fut>(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
    answer: F,
) where
    F: Fn(Arc<Shared>, Request<Incoming>) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Response<Body>, ResetConnection>> + Send + 'static,
{
    loop {
        let accepted = tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else { continue };
        if shared.is_stopped() {
            return;
        }
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let shared = shared.clone();
                async move {
                    if shared.is_stopped() {
                        return Err(ResetConnection);
                    }
                    answer(shared, request).await
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// What a queued fault does before the request is handled: an answer in place of the real one, a dropped
/// connection, or nothing (a delay has passed; the others act on the real answer).
pub(crate) async fn apply_fault(fault: &FaultKind) -> Result<Option<Response<Body>>, ResetConnection> {
    match fault {
        FaultKind::Status { status, retry_after } => {
            let mut response = MockResponse::error(*status, "injected fault");
            if let Some(seconds) = retry_after {
                response.headers.push(("retry-after", seconds.to_string()));
            }
            Ok(Some(finish(response)))
        }
        FaultKind::Delay { delay_ms } => {
            tokio::time::sleep(Duration::from_millis(*delay_ms)).await;
            Ok(None)
        }
        FaultKind::Reset => Err(ResetConnection),
        FaultKind::InvalidJson => Ok(Some(finish(MockResponse {
            status: 200,
            headers: Vec::new(),
            body: Bytes::from_static(b"{\"data\": [1, 2"),
        }))),
        _ => Ok(None),
    }
}

pub(crate) fn finish(response: MockResponse) -> Response<Body> {
    let mut builder = Response::builder().status(response.status);
    if !response.body.is_empty() && !response.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
    {
        builder = builder.header(hyper::header::CONTENT_TYPE, "application/json");
    }
    for (name, value) in &response.headers {
        builder = builder.header(*name, value.as_str());
    }
    builder
        .body(Full::new(response.body).map_err(|never: Infallible| match never {}).boxed())
        .expect("a valid response")
}
