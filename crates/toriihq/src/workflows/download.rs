//! Downloads: `GET /files/{id}/download` answers 302 to the file on its storage host; the transport fetches it
//! from there **without** the Torii key (see `Transport::execute`), into memory or streamed to a path.

use std::path::Path;

use bytes::Bytes;
use serde_json::json;
use tokio::io::AsyncWriteExt;

use crate::options::CallOptions;
use crate::{Client, Error, Result};

/// The file's bytes.
pub(crate) async fn download(client: &Client, id: &serde_json::Value, options: &CallOptions) -> Result<Bytes> {
    let response = fetch(client, id, options).await?;
    response.bytes().await.map_err(Error::from_transport)
}

/// Streams the file to `to` (through `to.part`, renamed when whole) and returns its size.
pub(crate) async fn download_to(
    client: &Client,
    id: &serde_json::Value,
    to: &Path,
    options: &CallOptions,
) -> Result<u64> {
    let mut response = fetch(client, id, options).await?;
    let partial = to.with_extension(match to.extension() {
        Some(extension) => format!("{}.part", extension.to_string_lossy()),
        None => "part".into(),
    });
    let cannot = |e: std::io::Error| Error::invalid_argument("path", format!("cannot write {}: {e}", to.display()));
    let mut file = tokio::fs::File::create(&partial).await.map_err(cannot)?;
    let mut written = 0u64;
    let outcome = async {
        while let Some(chunk) = response.chunk().await.map_err(Error::from_transport)? {
            file.write_all(&chunk).await.map_err(cannot)?;
            written += chunk.len() as u64;
        }
        file.flush().await.map_err(cannot)?;
        tokio::fs::rename(&partial, to).await.map_err(cannot)
    }
    .await;
    if outcome.is_err() {
        let _ = tokio::fs::remove_file(&partial).await;
    }
    outcome.map(|()| written)
}

/// The answer holding the file's bytes: the API's own when it serves them, else the redirect target's.
async fn fetch(client: &Client, id: &serde_json::Value, options: &CallOptions) -> Result<reqwest::Response> {
    let op = super::step("downloadFile")?;
    let transport = client.inner.for_call(options).for_operation(op);
    let placed = crate::dynamic::place(op, &json!({"id": id}), Vec::new())?;
    let mut request = crate::dynamic::build_request(op, &placed, &transport)?;
    transport.add_headers(&mut request);
    // The transport follows the documented redirect to the file's host, without the key.
    let response = transport.execute(request).await.map_err(Error::from_transport)?;
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    if status.is_redirection() {
        return Err(Error::Decode {
            what: format!("a {status} without a Location header that is a URL"),
            location: "the Location header".into(),
        });
    }
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap_or_default();
    Err(Error::from_status(status, headers, &body))
}
