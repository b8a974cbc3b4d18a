//! Multipart uploads (`POST /files/upload`): progenitor does not generate multipart bodies, so the generator
//! emits a small builder per multipart operation that ends here. The size limit is checked before any byte is
//! sent, and the body is built in memory so a 429 can be retried with the same bytes.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use progenitor_client::ResponseValue;
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;
use tokio::io::AsyncReadExt;

use super::Transport;
use crate::{Error, Result};

/// Torii's limit for `POST /files/upload` (facts §2.11: "up to 3 MB"); larger files use the presigned-URL flow.
/// Defined once beside the operation description, for the client and the mock.
pub use toriihq_spec::MAX_UPLOAD_BYTES;

/// A file to upload: a path read when the request is sent, or bytes with a file name.
#[derive(Clone)]
pub enum FilePart {
    Path(PathBuf),
    Bytes { file_name: String, bytes: Bytes },
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FilePart::Path(path) => f.debug_tuple("Path").field(path).finish(),
            FilePart::Bytes { file_name, bytes } => {
                f.debug_struct("Bytes").field("file_name", file_name).field("len", &bytes.len()).finish()
            }
        }
    }
}

impl FilePart {
    pub fn path(path: impl Into<PathBuf>) -> Self {
        FilePart::Path(path.into())
    }

    pub fn bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FilePart::Bytes { file_name: file_name.into(), bytes: bytes.into() }
    }

    pub(crate) fn file_name(&self) -> String {
        match self {
            FilePart::Path(path) => {
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "upload".into())
            }
            FilePart::Bytes { file_name, .. } => file_name.clone(),
        }
    }

    /// Its size in bytes: a path must name a readable regular file. Errors name `field`.
    pub(crate) async fn size(&self, field: &str) -> Result<u64> {
        match self {
            FilePart::Bytes { bytes, .. } => Ok(bytes.len() as u64),
            FilePart::Path(path) => Ok(crate::local_file::open_async(field, path).await?.len),
        }
    }

    /// Checks the size against the limit, then reads the bytes.
    pub(crate) async fn load(&self, field: &str) -> Result<Bytes> {
        let too_big = |len: u64| {
            Error::invalid_argument(
                field,
                format!(
                    "is {len} bytes; this endpoint accepts at most {MAX_UPLOAD_BYTES} bytes (3 MiB): use the \
                     presigned-URL flow for larger files"
                ),
            )
        };
        match self {
            FilePart::Path(path) => {
                let opened = crate::local_file::open_async(field, path).await?;
                if opened.len > MAX_UPLOAD_BYTES {
                    return Err(too_big(opened.len));
                }
                // At most one byte past the limit is read: a file that grew since it was opened is refused too.
                let mut bytes = Vec::with_capacity(opened.len as usize);
                tokio::fs::File::from_std(opened.file)
                    .take(MAX_UPLOAD_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .await
                    .map_err(|e| Error::invalid_argument(field, format!("cannot read {}: {e}", path.display())))?;
                if bytes.len() as u64 > MAX_UPLOAD_BYTES {
                    return Err(too_big(bytes.len() as u64));
                }
                Ok(Bytes::from(bytes))
            }
            FilePart::Bytes { bytes, .. } if bytes.len() as u64 > MAX_UPLOAD_BYTES => Err(too_big(bytes.len() as u64)),
            FilePart::Bytes { bytes, .. } => Ok(bytes.clone()),
        }
    }
}

impl From<PathBuf> for FilePart {
    fn from(path: PathBuf) -> Self {
        FilePart::Path(path)
    }
}

impl From<&Path> for FilePart {
    fn from(path: &Path) -> Self {
        FilePart::Path(path.to_path_buf())
    }
}

impl From<&str> for FilePart {
    fn from(path: &str) -> Self {
        FilePart::Path(PathBuf::from(path))
    }
}

impl From<String> for FilePart {
    fn from(path: String) -> Self {
        FilePart::Path(PathBuf::from(path))
    }
}

/// One field of a multipart form.
#[derive(Debug, Clone)]
pub enum FormValue {
    File(FilePart),
    Text(String),
}

/// Sends a multipart form to `path` (relative to the base URL) and decodes the JSON answer.
pub async fn send_multipart<T: DeserializeOwned>(
    transport: &Transport,
    method: Method,
    path: &str,
    fields: Vec<(&'static str, FormValue)>,
) -> Result<ResponseValue<T>> {
    let (status, headers, bytes) = send_form(transport, method, path, fields).await?;
    let bytes = if bytes.is_empty() { Bytes::from_static(b"null") } else { bytes };
    super::decode::<T>(&bytes).map(|value| ResponseValue::new(value, status, headers))
}

pub(crate) async fn send_form(
    transport: &Transport,
    method: Method,
    path: &str,
    fields: Vec<(&'static str, FormValue)>,
) -> Result<(reqwest::StatusCode, reqwest::header::HeaderMap, Bytes)> {
    let boundary = format!("toriihq-{:032x}", rand::random::<u128>());
    let mut body = Vec::new();
    for (name, value) in &fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match value {
            FormValue::Text(text) => {
                body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
                body.extend_from_slice(text.as_bytes());
            }
            FormValue::File(file) => {
                let bytes = file.load(name).await?;
                let file_name = file.file_name().replace(['"', '\r', '\n'], "_");
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {}\r\n\r\n",
                        content_type_for(&file_name)
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(&bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());

    let mut request = transport
        .http()
        .request(method, transport.url(path))
        .body(body)
        .build()
        .map_err(|e| Error::invalid_argument("path", e.to_string()))?;
    let content_type = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
        .map_err(|e| Error::invalid_argument("boundary", e.to_string()))?;
    request.headers_mut().insert(CONTENT_TYPE, content_type);
    transport.send(request).await
}

/// The content type for the file kinds Torii accepts (facts §2.11).
pub(crate) fn content_type_for(file_name: &str) -> &'static str {
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "csv" => "text/csv",
        "json" => "application/json",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "zip" => "application/zip",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}
