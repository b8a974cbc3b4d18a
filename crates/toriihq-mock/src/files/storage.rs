//! The storage origin (S3's part): `PUT /_storage/uploads/{token}` takes the raw bytes of a presigned upload,
//! `GET /_storage/files/{id}` serves a file the download redirected to. Like S3 it authorises by the URL alone:
//! a request that also carries the Torii key is refused, an expired URL is 403, and so is a `Content-Type` other
//! than the one the URL was issued for (the signature covers it). Bodies are read as a stream: a large one is
//! kept only as its length and hash.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{HeaderMap, Request, Response};
use sha2::{Digest, Sha256};

use crate::faults::FaultKind;
use crate::http::{Body, MockResponse, ResetConnection, apply_fault, finish};
use crate::request_log::RawRequest;
use crate::shared::Shared;
use crate::store::{KEEP_BYTES_UP_TO, StoredFile, hex};

pub(crate) const UPLOADS_TEMPLATE: &str = "/_storage/uploads/{token}";
pub(crate) const FILES_TEMPLATE: &str = "/_storage/files/{id}";

pub(crate) async fn respond(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Body>, ResetConnection> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    let method = parts.method.as_str().to_string();
    // Read first, whatever the verdict: a client still sending a body when the answer comes sees a broken pipe.
    let received = receive(body).await?;
    shared.log.push(RawRequest {
        method: parts.method.clone(),
        path: path.clone(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers.clone(),
        body: Bytes::new(),
    });
    let template = template_of(&path);
    if let Some(fault) = shared.faults.take(&method, &path, || template.map(str::to_string)) {
        if let Some(response) = apply_fault(&fault).await? {
            return Ok(response);
        }
        if matches!(fault, FaultKind::Truncated) {
            return Err(ResetConnection);
        }
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let response = match (method.as_str(), segments.as_slice()) {
        ("PUT", ["_storage", "uploads", token]) => put(&shared, token, &parts.headers, received),
        ("GET", ["_storage", "files", id]) => get(&shared, id, &parts.headers),
        _ => s3_error(404, "NoSuchKey", &format!("no object at {path}")),
    };
    Ok(finish(response))
}

fn template_of(path: &str) -> Option<&'static str> {
    if path.starts_with("/_storage/uploads/") {
        Some(UPLOADS_TEMPLATE)
    } else if path.starts_with("/_storage/files/") {
        Some(FILES_TEMPLATE)
    } else {
        None
    }
}

/// What a body came to: its length, its hash, and the bytes while there are few enough to keep.
struct Received {
    len: u64,
    sha256: String,
    kept: Option<Vec<u8>>,
}

async fn receive(mut body: Incoming) -> Result<Received, ResetConnection> {
    let mut hasher = Sha256::new();
    let mut len = 0u64;
    let mut kept = Some(Vec::new());
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| ResetConnection)?;
        let Ok(data) = frame.into_data() else { continue };
        hasher.update(&data);
        len += data.len() as u64;
        if len > KEEP_BYTES_UP_TO {
            kept = None;
        } else if let Some(kept) = kept.as_mut() {
            kept.extend_from_slice(&data);
        }
    }
    Ok(Received { len, sha256: hex(&hasher.finalize()), kept })
}

fn put(shared: &Shared, token: &str, headers: &HeaderMap, received: Received) -> MockResponse {
    if headers.contains_key(hyper::header::AUTHORIZATION) {
        return s3_error(
            400,
            "InvalidArgument",
            "Only one auth mechanism allowed: the URL is signed, send no Authorization header",
        );
    }
    let mut state = shared.state.write().expect("state lock");
    let Some(presigned) = state.presigned.get_mut(token) else {
        return s3_error(403, "AccessDenied", "the signature matches no upload URL");
    };
    if Instant::now() >= presigned.expires {
        return s3_error(403, "AccessDenied", "Request has expired");
    }
    let content_type = headers.get(hyper::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type != presigned.content_type {
        return s3_error(
            403,
            "SignatureDoesNotMatch",
            &format!(
                "the URL was signed for Content-Type {:?}, the request sent {content_type:?}",
                presigned.content_type
            ),
        );
    }
    let name = presigned.file_path.rsplit('/').next().unwrap_or_default().to_string();
    let etag = format!("\"{}\"", &received.sha256[..32]);
    presigned.object =
        Some(StoredFile { name, body: received.kept.map(Bytes::from), len: received.len, sha256: received.sha256 });
    let mut response = MockResponse::empty(200);
    response.headers.push(("etag", etag));
    response
}

fn get(shared: &Shared, id: &str, headers: &HeaderMap) -> MockResponse {
    if headers.contains_key(hyper::header::AUTHORIZATION) {
        return s3_error(
            400,
            "InvalidArgument",
            "Only one auth mechanism allowed: the URL is signed, send no Authorization header",
        );
    }
    match shared.state.read().expect("state lock").files.get(id) {
        Some(StoredFile { body: Some(bytes), .. }) => {
            let mut response = MockResponse { status: 200, headers: Vec::new(), body: bytes.clone() };
            response.headers.push(("content-type", "application/octet-stream".into()));
            response
        }
        Some(file) => s3_error(
            404,
            "NoSuchKey",
            &format!("the mock kept only the length ({}) and hash of this file, not its bytes", file.len),
        ),
        None => s3_error(404, "NoSuchKey", &format!("no file {id}")),
    }
}

/// S3's error answer: XML, not Torii's JSON.
fn s3_error(status: u16, code: &str, message: &str) -> MockResponse {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    );
    let mut response = MockResponse { status, headers: Vec::new(), body: Bytes::from(body) };
    response.headers.push(("content-type", "application/xml".into()));
    response
}
