//! Uploads of any size. Up to 3 MiB: `POST /files/upload`. Larger: `GET /files/url` → a `PUT` of the raw bytes,
//! streamed from disk, to the presigned URL (no Torii key: it is another host, and the URL carries its own
//! signature) → `POST /files {path, type}`. The PUT is retried on 5xx and broken connections while the URL is
//! valid (five minutes); a 403 (the URL expired) gets one fresh URL.

use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::StreamExt;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;

use super::call;
use crate::options::{CallOptions, Progress};
use crate::runtime::upload::content_type_for;
use crate::{Client, Error, FilePart, MAX_UPLOAD_BYTES, Result};

/// How long a presigned URL is valid (facts §3.1: five minutes); retries stop at it.
const PRESIGNED_URL_LIFETIME: Duration = Duration::from_secs(300);
/// The PUT's time on top of the client's timeout: a second per MiB, i.e. it fails below about 1 MiB/s.
const UPLOAD_SECONDS_PER_MIB: u64 = 1;
const CHUNK: usize = 256 * 1024;

/// What to upload and how Torii should record it.
#[derive(Debug, Clone)]
pub struct Upload {
    pub source: FilePart,
    /// `attachment`, `expenseReport`, `customIntegrationData` or `plugin`.
    pub file_type: String,
    /// The file name Torii records; by default the path's file name (or `upload` for bytes).
    pub name: Option<String>,
    /// The content type of the presigned PUT; by default from the name's extension.
    pub content_type: Option<String>,
    /// Told `(bytes sent, total)` as the file goes.
    pub progress: Option<Progress>,
}

impl Upload {
    pub fn new(source: impl Into<FilePart>, file_type: impl Into<String>) -> Self {
        Upload { source: source.into(), file_type: file_type.into(), name: None, content_type: None, progress: None }
    }

    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Calls `progress(sent, total)` as the bytes go (for a bar); from 0 again if a send is retried.
    pub fn on_progress(mut self, progress: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Progress::new(progress));
        self
    }
}

/// Uploads the file; answers `{id}` as Torii does.
pub(crate) async fn upload(client: &Client, job: Upload, options: &CallOptions) -> Result<Value> {
    check_file_type(&job.file_type)?;
    let progress = job.progress.clone().or_else(|| options.progress.clone());
    let size = job.source.size("file").await?;
    let name = job.name.clone().unwrap_or_else(|| job.source.file_name());
    if size <= MAX_UPLOAD_BYTES {
        let source = match (&job.source, &job.name) {
            // The multipart part carries the name: a path's own name unless another was asked for.
            (FilePart::Path(_), Some(name)) => FilePart::bytes(name.clone(), job.source.load("file").await?),
            (FilePart::Bytes { bytes, .. }, _) => FilePart::bytes(name.clone(), bytes.clone()),
            (source, None) => source.clone(),
        };
        let params = json!({"type": job.file_type});
        let bytes =
            client.call_operation(super::step("uploadFile")?, &params, vec![("file".into(), source)], options).await?;
        if let Some(progress) = &progress {
            progress.report(size, size);
        }
        return crate::runtime::decode::<Value>(&bytes);
    }
    let content_type = job.content_type.clone().unwrap_or_else(|| content_type_for(&name).to_string());
    let mut fresh_url_left = true;
    loop {
        let presigned = call(client, "getFileUploadUrl", &json!({"name": name, "type": content_type}), options).await?;
        let (url, file_path) = presigned_parts(&presigned)?;
        match put(client, &url, &content_type, &job.source, size, progress.clone(), options).await {
            Ok(()) => {
                let body = json!({"path": file_path, "type": job.file_type});
                return call(client, "storeFile", &json!({"body": body}), options).await;
            }
            // An expired URL: one fresh one.
            Err(Error::PermissionDenied(_)) if fresh_url_left => fresh_url_left = false,
            Err(other) => return Err(other),
        }
    }
}

fn check_file_type(file_type: &str) -> Result<()> {
    let allowed: Vec<&str> = crate::operation("uploadFile")
        .and_then(|op| op.body.as_ref())
        .and_then(|body| body.form_fields.iter().find(|f| f.name == "type"))
        .map(|field| field.enum_values.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if allowed.is_empty() || allowed.contains(&file_type) {
        Ok(())
    } else {
        Err(Error::invalid_argument("file_type", format!("must be one of {}, not {file_type:?}", allowed.join(", "))))
    }
}

fn presigned_parts(answer: &Value) -> Result<(url::Url, String)> {
    let parameters = answer.get("uploadFileParameters").unwrap_or(answer);
    let text = |key: &str| parameters.get(key).and_then(Value::as_str);
    let missing = |key: &str| Error::Decode {
        what: format!("the upload URL answer has no `{key}`"),
        location: format!("`uploadFileParameters.{key}`"),
    };
    let url = text("url").ok_or_else(|| missing("url"))?;
    let url = url::Url::parse(url).map_err(|e| Error::Decode {
        what: format!("the upload URL is not a URL: {e}"),
        location: "`uploadFileParameters.url`".into(),
    })?;
    let path = text("filePath").ok_or_else(|| missing("filePath"))?;
    Ok((url, path.to_string()))
}

/// The PUT to the presigned URL: raw bytes, its content type, no Torii header. Not through the transport's
/// `prepare`, so nothing of the API's (key, extra headers) can reach the storage host.
async fn put(
    client: &Client,
    url: &url::Url,
    content_type: &str,
    source: &FilePart,
    size: u64,
    progress: Option<Progress>,
    options: &CallOptions,
) -> Result<()> {
    let transport = client.inner.for_call(options);
    let valid_until = Instant::now() + PRESIGNED_URL_LIFETIME;
    let mut delays = crate::retry::schedule(transport.max_retries());
    let timeout = transport.shared.timeout + Duration::from_secs(size / (1024 * 1024) * UPLOAD_SECONDS_PER_MIB);
    loop {
        let request = transport
            .http()
            .put(url.clone())
            .header(CONTENT_TYPE, content_type)
            .header(CONTENT_LENGTH, size)
            .timeout(timeout)
            .body(body(source, size, progress.clone()).await?)
            .build()
            .map_err(|e| Error::invalid_argument("content_type", e.to_string()))?;
        let outcome = transport.http().execute(request).await;
        let retryable = match &outcome {
            Ok(response) => response.status().is_server_error(),
            Err(error) => error.is_connect() || error.is_request() || error.is_body() || error.is_timeout(),
        };
        if retryable && let Some(wait) = delays.next().filter(|wait| Instant::now() + *wait < valid_until) {
            drop(outcome);
            tokio::time::sleep(wait).await;
            continue;
        }
        let response = outcome.map_err(Error::from_transport)?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap_or_default();
        return Err(Error::from_status(status, headers, &bytes));
    }
}

/// The bytes as a stream of chunks, read from disk as they are sent, each reported to `progress`.
async fn body(source: &FilePart, total: u64, progress: Option<Progress>) -> Result<reqwest::Body> {
    let chunks = match source {
        FilePart::Bytes { bytes, .. } => {
            let bytes = bytes.clone();
            let count = bytes.len().div_ceil(CHUNK);
            futures::stream::iter(
                (0..count).map(move |i| Ok(bytes.slice(i * CHUNK..((i + 1) * CHUNK).min(bytes.len())))),
            )
            .boxed()
        }
        FilePart::Path(path) => {
            let file = tokio::fs::File::from_std(crate::local_file::open_async("file", path).await?.file);
            futures::stream::try_unfold(file, |mut file| async move {
                let mut buffer = Vec::with_capacity(CHUNK);
                let read = (&mut file).take(CHUNK as u64).read_to_end(&mut buffer).await?;
                Ok::<_, std::io::Error>((read > 0).then(|| (Bytes::from(buffer), file)))
            })
            .boxed()
        }
    };
    let mut sent = 0u64;
    let reported = chunks.map(move |chunk| {
        if let (Ok(chunk), Some(progress)) = (&chunk, &progress) {
            sent += chunk.len() as u64;
            progress.report(sent, total);
        }
        chunk
    });
    Ok(reqwest::Body::wrap_stream(reported))
}
