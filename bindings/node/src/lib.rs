//! The Node package's native addon. Generic like the Python one: calls go by operation name with JSON
//! parameters; the typed surface is generated JavaScript and TypeScript (`lib/operations.js`, `index.d.ts`).
//! Retries, paging, argument checks, uploads and the choice of error are the Rust core's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use serde_json::{Value, json};
use toriihq::runtime::BoxStream;
use toriihq::{Client, FilePart};

/// What a failed call tells JavaScript: a marker, then JSON the package turns into its error class.
const ERROR_MARKER: &str = "toriihq-error:";

fn to_js_error(error: toriihq::Error) -> napi::Error {
    let mut detail = json!({ "kind": error.kind(), "message": error.to_string() });
    if let Some(response) = error.response() {
        detail["status"] = json!(response.status.as_u16());
        detail["body"] = response.body.clone().unwrap_or(Value::Null);
        let headers: serde_json::Map<String, Value> = response
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), json!(v.to_str().unwrap_or_default())))
            .collect();
        detail["headers"] = Value::Object(headers);
    }
    if let toriihq::Error::RateLimited { retry_after, .. } = &error {
        detail["retryAfter"] = json!(retry_after.map(|d| d.as_secs_f64()));
    }
    if let toriihq::Error::InvalidArgument { name, wrong_type, .. } = &error {
        detail["argument"] = json!(name);
        detail["wrongType"] = json!(wrong_type);
    }
    napi::Error::from_reason(format!("{ERROR_MARKER}{detail}"))
}

fn aborted() -> napi::Error {
    napi::Error::from_reason(format!(
        "{ERROR_MARKER}{}",
        json!({"kind": "aborted", "message": "the request was aborted"})
    ))
}

fn text(bytes: Bytes) -> napi::Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        to_js_error(toriihq::Error::Decode { what: "the body is not UTF-8".into(), location: "the whole body".into() })
    })
}

fn parse_params(params: &str) -> Result<Value, toriihq::Error> {
    if params.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(params).map_err(|e| toriihq::Error::invalid_type("params", e.to_string()))
}

#[napi(object)]
pub struct ClientOptions {
    pub api_key: Option<String>,
    pub base_url: Option<String>,
    pub api_version: Option<String>,
    pub timeout_ms: Option<f64>,
    pub max_retries: Option<u32>,
    pub user_agent: Option<String>,
}

/// One client of the core, plus the cancel switches of the calls in flight.
#[napi]
pub struct NativeClient {
    client: Arc<Client>,
    cancels: Arc<Mutex<HashMap<u32, tokio::sync::oneshot::Sender<()>>>>,
}

impl NativeClient {
    /// Runs `call` until it ends, the caller aborts (`cancel(id)`), or the per-call timeout passes.
    async fn guarded<F>(&self, id: u32, timeout_ms: Option<f64>, call: F) -> napi::Result<String>
    where
        F: std::future::Future<Output = toriihq::Result<Bytes>>,
    {
        let (cancel, cancelled) = tokio::sync::oneshot::channel();
        self.cancels.lock().unwrap_or_else(|p| p.into_inner()).insert(id, cancel);
        let timeout = async {
            match timeout_ms.filter(|t| t.is_finite() && *t > 0.0) {
                Some(ms) => tokio::time::sleep(Duration::from_secs_f64(ms / 1000.0)).await,
                None => std::future::pending().await,
            }
        };
        let outcome = tokio::select! {
            result = call => result.map_err(to_js_error),
            _ = cancelled => Err(aborted()),
            _ = timeout => Err(to_js_error(toriihq::Error::Timeout)),
        };
        self.cancels.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
        outcome.and_then(text)
    }
}

#[napi]
impl NativeClient {
    #[napi(constructor, catch_unwind)]
    pub fn new(options: ClientOptions) -> napi::Result<Self> {
        let mut builder = Client::builder();
        if let Some(key) = options.api_key {
            builder = builder.api_key(key);
        }
        if let Some(url) = options.base_url {
            builder = builder.base_url(url);
        }
        if let Some(version) = options.api_version {
            builder = builder.api_version(version);
        }
        if let Some(ms) = options.timeout_ms {
            if !(ms.is_finite() && ms > 0.0) {
                return Err(to_js_error(toriihq::Error::invalid_argument("timeoutMs", "must be a positive number")));
            }
            builder = builder.timeout(Duration::from_secs_f64(ms / 1000.0));
        }
        if let Some(retries) = options.max_retries {
            builder = builder.max_retries(retries);
        }
        if let Some(agent) = options.user_agent {
            builder = builder.user_agent_suffix(agent);
        }
        let client = builder.build().map_err(to_js_error)?;
        Ok(NativeClient { client: Arc::new(client), cancels: Arc::new(Mutex::new(HashMap::new())) })
    }

    #[napi(getter, catch_unwind)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_string()
    }

    /// Calls an operation by name; resolves to the answer's JSON text ("" when it has none).
    #[napi]
    pub async fn call(
        &self,
        operation: String,
        params: String,
        id: u32,
        timeout_ms: Option<f64>,
    ) -> napi::Result<String> {
        let client = self.client.clone();
        self.guarded(id, timeout_ms, async move {
            let params = parse_params(&params)?;
            client.call_raw(&operation, &params).await
        })
        .await
    }

    /// A multipart upload whose file comes as a Buffer (a path can go in `params` instead).
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub async fn upload(
        &self,
        operation: String,
        params: String,
        field: String,
        file_name: String,
        data: Buffer,
        id: u32,
        timeout_ms: Option<f64>,
    ) -> napi::Result<String> {
        let client = self.client.clone();
        let data = data.to_vec();
        self.guarded(id, timeout_ms, async move {
            let params = parse_params(&params)?;
            let files = vec![(field, FilePart::bytes(file_name, data))];
            client.call_raw_with_files(&operation, &params, files).await
        })
        .await
    }

    /// Aborts the call with this id, if it is still running.
    #[napi(catch_unwind)]
    pub fn cancel(&self, id: u32) {
        if let Some(cancel) = self.cancels.lock().unwrap_or_else(|p| p.into_inner()).remove(&id) {
            let _ = cancel.send(());
        }
    }

    /// Every page of a paged list, as JSON text; the paging happens in the core.
    #[napi(catch_unwind)]
    pub fn pages(&self, operation: String, params: String) -> napi::Result<NativePages> {
        let params = parse_params(&params).map_err(to_js_error)?;
        let pages = Client::call_pages_shared(self.client.clone(), &operation, params);
        let stream = toriihq::runtime::paging::read_ahead(pages, |task| drop(napi::bindgen_prelude::spawn(task)));
        Ok(NativePages { stream: Arc::new(tokio::sync::Mutex::new(stream)) })
    }
}

#[napi]
pub struct NativePages {
    stream: Arc<tokio::sync::Mutex<BoxStream<'static, toriihq::Result<Bytes>>>>,
}

#[napi]
impl NativePages {
    /// The next page's JSON text, or `null` after the last.
    #[napi]
    pub async fn next(&self) -> napi::Result<Option<String>> {
        let stream = self.stream.clone();
        let next = stream.lock().await.next().await;
        match next {
            None => Ok(None),
            Some(Ok(bytes)) => text(bytes).map(Some),
            Some(Err(e)) => Err(to_js_error(e)),
        }
    }
}

#[napi]
pub const MAX_UPLOAD_BYTES: u32 = toriihq::MAX_UPLOAD_BYTES as u32;
