//! The HTTP/1.1 server: reads each request whole, logs it, applies any queued fault, and hands it to the admin
//! API or the handler. Written on hyper directly so a fault can close a connection or cut a body short.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response};
use serde_json::Value;

use crate::faults::FaultKind;
use crate::handler::handle;
use crate::http::{Body, MockRequest, MockResponse, ResetConnection, apply_fault, finish};
use crate::request_log::RawRequest;
use crate::shared::Shared;

/// Serves the API on `listener` until `stop`.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    crate::http::serve_with(listener, shared, stop, respond).await
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
        let response = crate::admin::handle(&shared, &method, admin_path, &query, body).await;
        return Ok(finish(response));
    }

    shared.log.push(RawRequest {
        method: parts.method.clone(),
        path: path.clone(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers.clone(),
        body: body.clone(),
    });

    let fault = shared
        .faults
        .take(&method, &path, || {
            shared.api.find(&method, &path).ok().map(|(i, _)| shared.api.routes[i].op.path.clone())
        })
        .or_else(|| shared.chaos.as_ref().and_then(crate::faults::Chaos::draw));
    if let Some(fault) = &fault
        && let Some(response) = apply_fault(fault).await?
    {
        return Ok(response);
    }

    let request = MockRequest { method: method.clone(), path: path.clone(), query, headers: parts.headers, body };
    let mut response = handle(&shared, request).await;
    shared.count_write(&method, &path, response.status);
    match fault {
        Some(FaultKind::WrongTypes) => {
            if let Ok(mut value) = serde_json::from_slice::<Value>(&response.body) {
                scramble_types(&mut value);
                response.body = Bytes::from(serde_json::to_vec(&value).expect("JSON"));
            }
            Ok(finish(response))
        }
        Some(FaultKind::ExtraKey { key }) => {
            if let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(&response.body) {
                map.insert(key, Value::from("added by a fault"));
                response.body = Bytes::from(serde_json::to_vec(&map).expect("JSON"));
            }
            Ok(finish(response))
        }
        Some(FaultKind::Truncated) => Ok(truncated(response)),
        _ => Ok(finish(response)),
    }
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
