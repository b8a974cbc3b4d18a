//! The HTTP/1.1 server: reads each request whole, logs it, applies any queued fault, and hands it to the admin
//! API or the handler. Written on hyper directly so a fault can close a connection or cut a body short.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;

use crate::faults::FaultKind;
use crate::handler::handle;
use crate::http::{MockRequest, MockResponse};
use crate::request_log::RawRequest;
use crate::shared::Shared;

type Body = BoxBody<Bytes, std::io::Error>;

/// Returned by the service to make hyper drop the connection without an answer.
#[derive(Debug)]
struct ResetConnection;

impl std::fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by an injected fault")
    }
}

impl std::error::Error for ResetConnection {}

pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    loop {
        let accepted = tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else { continue };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| respond(shared.clone(), request));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn respond(shared: Arc<Shared>, request: Request<Incoming>) -> Result<Response<Body>, ResetConnection> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(ResetConnection),
    };
    let path = parts.uri.path().to_string();
    let query: std::collections::BTreeMap<String, String> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
        .unwrap_or_default();
    let method = parts.method.as_str().to_string();

    if let Some(admin_path) = path.strip_prefix("/_mock/") {
        let response = crate::admin::handle(&shared, &method, admin_path, &query, &parts.headers, body).await;
        return Ok(finish(response));
    }

    shared.log.push(RawRequest {
        method: parts.method.clone(),
        path: path.clone(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers.clone(),
        body: body.clone(),
    });

    let fault = shared.faults.take(&method, &path, || {
        shared.api.find(&method, &path).ok().map(|(i, _)| shared.api.routes[i].op.path.clone())
    });
    match &fault {
        Some(FaultKind::Status { status, retry_after }) => {
            let mut response = MockResponse::error(*status, "injected fault");
            if let Some(seconds) = retry_after {
                response.headers.push(("retry-after", seconds.to_string()));
            }
            return Ok(finish(response));
        }
        Some(FaultKind::Delay { delay_ms }) => tokio::time::sleep(Duration::from_millis(*delay_ms)).await,
        Some(FaultKind::Reset) => return Err(ResetConnection),
        Some(FaultKind::InvalidJson) => {
            return Ok(finish(MockResponse {
                status: 200,
                headers: Vec::new(),
                body: Bytes::from_static(b"{\"data\": [1, 2"),
            }));
        }
        _ => {}
    }

    let request = MockRequest { method, path, query, headers: parts.headers, body };
    let mut response = handle(&shared, request).await;
    match fault {
        Some(FaultKind::WrongTypes) => {
            if let Ok(mut value) = serde_json::from_slice::<Value>(&response.body) {
                scramble_types(&mut value);
                response.body = Bytes::from(serde_json::to_vec(&value).expect("JSON"));
            }
            Ok(finish(response))
        }
        Some(FaultKind::Truncated) => Ok(truncated(response)),
        _ => Ok(finish(response)),
    }
}

fn finish(response: MockResponse) -> Response<Body> {
    let mut builder = Response::builder().status(response.status);
    if !response.body.is_empty() {
        builder = builder.header(hyper::header::CONTENT_TYPE, "application/json");
    }
    for (name, value) in &response.headers {
        builder = builder.header(*name, value.as_str());
    }
    builder
        .body(Full::new(response.body).map_err(|never: Infallible| match never {}).boxed())
        .expect("a valid response")
}

/// Announces the whole body, sends half of it, then fails the stream so the connection closes early.
fn truncated(response: MockResponse) -> Response<Body> {
    let full_length = response.body.len();
    let half = response.body.slice(..full_length / 2);
    // The pause lets hyper flush the head and the first half before the failure drops the connection.
    let frames = futures::stream::unfold(Some(half), |state| async move {
        match state {
            Some(half) => Some((Ok(Frame::data(half)), None)),
            None => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                let cut = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "truncated by an injected fault");
                Some((Err(cut), None))
            }
        }
    });
    Response::builder()
        .status(response.status)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header(hyper::header::CONTENT_LENGTH, full_length)
        .body(BodyExt::boxed(StreamBody::new(frames)))
        .expect("a valid response")
}

/// Strings become numbers and numbers strings, so a typed client fails to decode the answer.
fn scramble_types(value: &mut Value) {
    match value {
        Value::String(_) => *value = Value::from(12345),
        Value::Number(n) => *value = Value::String(format!("not-a-number-{n}")),
        Value::Bool(b) => *value = Value::String(b.to_string()),
        Value::Array(items) => items.iter_mut().for_each(scramble_types),
        Value::Object(map) => map.values_mut().for_each(scramble_types),
        Value::Null => {}
    }
}
