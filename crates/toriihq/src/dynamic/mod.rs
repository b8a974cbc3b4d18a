//! Calling an operation or a workflow by its name with JSON parameters: what the Python and Node packages, the
//! command line and the cross-language scenarios use. The name is resolved once ([`Callable::resolve`]); below
//! that everything takes the resolved operation: its arguments are checked and placed ([`arguments`]), a paged
//! list is walked ([`pages`]), and the request goes through the same transport (key, retries) and error mapping as
//! the typed methods.

mod arguments;
mod dry_run;
mod pages;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;
use toriihq_spec::Operation;

use crate::operations::Callable;
use crate::options::CallOptions;
pub use crate::runtime::BoxStream;
pub use crate::runtime::body_text;
pub use crate::runtime::paging::RawPage;
use crate::runtime::upload::{FilePart, send_form};
use crate::{Client, Error, Result};
pub use arguments::MAX_URL_BYTES;
// What a binding holds between calls from its language: a stream of pages read ahead, calls it can cancel.
pub use crate::runtime::calls::Calls;
pub use crate::runtime::paging::read_ahead;
pub(crate) use arguments::{build_request, method, place, plain_text};
pub use dry_run::DryRun;

/// An answer as it came, status and headers with the body: what Python's `with_raw_response` and Node's
/// `withResponse()` show (rate-limit headers, request ids).
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    /// Names in lower case, in the order received; a header sent twice appears twice.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl RawResponse {
    pub(crate) fn new(status: reqwest::StatusCode, headers: &reqwest::header::HeaderMap, body: Bytes) -> RawResponse {
        let headers = headers
            .iter()
            .map(|(name, value)| (name.as_str().to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        RawResponse { status: status.as_u16(), headers, body }
    }
}

/// Query parameters sent as given, for filters the spec does not declare (custom fields: `myField=true`).
pub const EXTRA_QUERY: &str = "extra_query";
/// The request body, for operations that take one.
pub const BODY: &str = "body";

impl Client {
    /// Calls `operation` (e.g. `"getContract"`) with `params` named as in the spec, in snake_case or camelCase
    /// (`{"idContract": "42"}`), the JSON body under `"body"`, undeclared query filters under `"extra_query"`.
    /// Returns the decoded JSON answer (`null` when there is no body).
    pub async fn call(&self, operation: &str, params: &Value) -> Result<Value> {
        let bytes = self.call_raw(operation, params).await?;
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        crate::runtime::decode::<Value>(&bytes)
    }

    /// As [`Client::call`], returning the answer's raw bytes (what the Python and Node packages decode).
    pub async fn call_raw(&self, operation: &str, params: &Value) -> Result<Bytes> {
        self.call_raw_with_files(operation, params, Vec::new()).await
    }

    /// As [`Client::call_raw`], with files for the binary fields of a multipart operation given as
    /// [`FilePart`]s (bytes or paths) rather than as paths in `params`.
    pub async fn call_raw_with_files(
        &self,
        operation: &str,
        params: &Value,
        files: Vec<(String, FilePart)>,
    ) -> Result<Bytes> {
        self.call_raw_with(operation, params, files, &CallOptions::default()).await
    }

    /// As [`Client::call_raw_with_files`], with a call's own options: its timeout is a deadline over the whole
    /// call, retries included; its retries and headers replace the client's for this call.
    pub async fn call_raw_with(
        &self,
        operation: &str,
        params: &Value,
        files: Vec<(String, FilePart)>,
        options: &CallOptions,
    ) -> Result<Bytes> {
        self.call_resolved(Callable::resolve(operation)?, params, files, options).await
    }

    /// As [`Client::call_raw_with`], for an operation or workflow the caller resolved ([`Callable::resolve`]): what
    /// a binding that must also know how the answer reads (JSON or bytes) calls, so the name is looked up once.
    pub async fn call_resolved(
        &self,
        callable: Callable,
        params: &Value,
        files: Vec<(String, FilePart)>,
        options: &CallOptions,
    ) -> Result<Bytes> {
        let call = async {
            match callable {
                Callable::Workflow(workflow) => {
                    // A workflow's own calls carry the options but not the deadline, which spans the whole job.
                    let inner = CallOptions { timeout: None, ..options.clone() };
                    crate::workflows::run(self, workflow, params, files, &inner).await
                }
                Callable::Operation(op) => self.call_operation(op, params, files, options).await,
            }
        };
        with_deadline(options.timeout, call).await
    }

    /// As [`Client::call_raw_with`], with the answer's status and headers. One operation only: a workflow makes
    /// several requests and has no one answer to show.
    pub async fn call_response_with(
        &self,
        operation: &str,
        params: &Value,
        files: Vec<(String, FilePart)>,
        options: &CallOptions,
    ) -> Result<RawResponse> {
        let op = Callable::operation(operation, "only an operation has one response to show")?;
        with_deadline(options.timeout, self.send_operation(op, params, files, options)).await
    }

    /// One operation of the spec, with no deadline of its own: what workflows and pages call.
    pub(crate) async fn call_operation(
        &self,
        op: &'static Operation,
        params: &Value,
        files: Vec<(String, FilePart)>,
        options: &CallOptions,
    ) -> Result<Bytes> {
        self.send_operation(op, params, files, options).await.map(|response| response.body)
    }

    /// One operation whose first attempt the caller already paced ([`Client::pace`]), with the call's deadline:
    /// what a bulk job sends once it has recorded the request as sent.
    pub(crate) async fn call_paced_operation(
        &self,
        op: &'static Operation,
        params: &Value,
        options: &CallOptions,
    ) -> Result<Bytes> {
        let transport = self.inner.for_call(options).for_operation(op).paced_by_caller();
        let response = with_deadline(options.timeout, self.send_with(&transport, op, params, Vec::new())).await?;
        Ok(response.body)
    }

    /// Waits until `op` may be sent within the rate `options` pace it to, and counts it as sent.
    pub(crate) async fn pace(&self, op: &'static Operation, options: &CallOptions) {
        self.inner.for_call(options).for_operation(op).pace().await;
    }

    async fn send_operation(
        &self,
        op: &'static Operation,
        params: &Value,
        files: Vec<(String, FilePart)>,
        options: &CallOptions,
    ) -> Result<RawResponse> {
        self.send_with(&self.inner.for_call(options).for_operation(op), op, params, files).await
    }

    async fn send_with(
        &self,
        transport: &crate::transport::Transport,
        op: &'static Operation,
        params: &Value,
        files: Vec<(String, FilePart)>,
    ) -> Result<RawResponse> {
        let placed = place(op, params, files)?;
        let (status, headers, body) = match placed.form {
            Some(form) => send_form(transport, method(op)?, &placed.path, form).await?,
            None => transport.send(build_request(op, &placed, transport)?).await?,
        };
        Ok(RawResponse::new(status, &headers, body))
    }

    /// Every page of a paged list operation as raw JSON, `params` sent with each. The paging (cursor or SCIM
    /// `startIndex`) happens here; each page says which key holds its items
    /// ([`RawPage::items_key`]).
    pub fn call_pages<'a>(&'a self, operation: &str, params: Value) -> BoxStream<'a, Result<RawPage>> {
        pages::pages(self, operation, params, CallOptions::default())
    }

    /// As [`Client::call_pages`] with a call's options, for a shared client: the stream owns its handle (what
    /// bindings keep between calls from Python or JavaScript).
    pub fn call_pages_shared_with(
        client: std::sync::Arc<Client>,
        operation: &str,
        params: Value,
        options: CallOptions,
    ) -> BoxStream<'static, Result<RawPage>> {
        pages::pages(client, operation, params, options)
    }

    /// Every item of a paged list operation, page after page, with `params` sent on every page.
    pub fn call_stream<'a>(&'a self, operation: &str, params: Value) -> BoxStream<'a, Result<Value>> {
        self.call_pages(operation, params)
            .map_ok(move |page| {
                let items = crate::runtime::decode::<Value>(&page.body).map(|mut decoded| match page.items_key {
                    Some(key) => match decoded.get_mut(key).map(Value::take) {
                        Some(Value::Array(items)) => items,
                        _ => Vec::new(),
                    },
                    None => Vec::new(),
                });
                futures::stream::iter(match items {
                    Ok(items) => items.into_iter().map(Ok).collect::<Vec<_>>(),
                    Err(e) => vec![Err(e)],
                })
            })
            .try_flatten()
            .boxed()
    }
}

/// `call` with a call's deadline over all of it, retries included.
pub(crate) async fn with_deadline<T>(
    deadline: Option<std::time::Duration>,
    call: impl Future<Output = Result<T>>,
) -> Result<T> {
    match deadline {
        Some(deadline) => tokio::time::timeout(deadline, call).await.unwrap_or(Err(Error::Timeout)),
        None => call.await,
    }
}
