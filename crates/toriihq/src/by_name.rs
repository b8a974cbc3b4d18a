//! Calling an operation by its name with JSON parameters: what the Python and Node packages and the
//! cross-language scenarios use. It reads the operation description `cargo xtask generate` wrote, checks every
//! argument against it before sending, and goes through the same transport (key, retries) and error mapping as
//! the typed methods.

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use serde_json::{Map, Value};
use toriihq_spec::{BodyKind, Operation, Pagination, Parameter, ParameterLocation, ValueType};

use crate::options::CallOptions;
use crate::runtime::BoxStream;
use crate::runtime::page_summary::{PageKeys, PageSummary, summarize};
use crate::runtime::paging::{Fetched, RawPage, cursor_pages, limit_offset_pages, offset_pages};
use crate::runtime::upload::{FilePart, FormValue, send_form};
use crate::transport::Transport;
use crate::{Client, Error, Result};

pub use crate::operations::{operation, operations};

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
        let call = async {
            if let Some(workflow) = crate::workflows::workflow(operation) {
                // A workflow's own calls carry the options but not the deadline, which spans the whole job.
                let inner = CallOptions { timeout: None, ..options.clone() };
                return crate::workflows::run(self, workflow, params, files, &inner).await;
            }
            self.call_operation(operation, params, files, options).await
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
        if crate::workflows::workflow(operation).is_some() {
            return Err(Error::invalid_argument(
                "operation",
                format!("{operation} is a workflow of several requests; only an operation has one response to show"),
            ));
        }
        let call = async {
            let op = find(operation)?;
            let prepared = prepare(op, params, files)?;
            self.send_prepared(op, prepared, options).await
        };
        with_deadline(options.timeout, call).await
    }

    /// One operation of the spec (not a workflow), with no deadline of its own: what workflows call.
    pub(crate) async fn call_operation(
        &self,
        operation: &str,
        params: &Value,
        files: Vec<(String, FilePart)>,
        options: &CallOptions,
    ) -> Result<Bytes> {
        let op = find(operation)?;
        let prepared = prepare(op, params, files)?;
        self.send_prepared(op, prepared, options).await.map(|response| response.body)
    }

    /// Every page of a paged list operation as raw JSON, `params` sent with each. The paging (cursor or SCIM
    /// `startIndex`) happens here; each page says which key holds its items
    /// ([`RawPage::items_key`]).
    pub fn call_pages<'a>(&'a self, operation: &str, params: Value) -> BoxStream<'a, Result<RawPage>> {
        pages_with(self, operation, params, CallOptions::default())
    }

    /// As [`Client::call_pages`] with a call's options, for a shared client: the stream owns its handle (what
    /// bindings keep between calls from Python or JavaScript).
    pub fn call_pages_shared_with(
        client: std::sync::Arc<Client>,
        operation: &str,
        params: Value,
        options: CallOptions,
    ) -> BoxStream<'static, Result<RawPage>> {
        pages_with(client, operation, params, options)
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

    async fn send_prepared(
        &self,
        op: &'static Operation,
        prepared: Prepared,
        options: &CallOptions,
    ) -> Result<RawResponse> {
        let transport = &self.inner.for_call(options).for_operation(&op.id);
        let (status, headers, body) = match prepared.form {
            Some(form) => send_form(transport, method(op)?, &prepared.path, form).await?,
            None => transport.send(build_request(op, &prepared, transport)?).await?,
        };
        Ok(RawResponse::new(status, &headers, body))
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

pub(crate) fn build_request(op: &Operation, prepared: &Prepared, transport: &Transport) -> Result<reqwest::Request> {
    let mut builder = transport.http().request(method(op)?, transport.url(&prepared.path)).query(&prepared.query);
    for (name, value) in &prepared.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = &prepared.body {
        builder = builder.json(body);
    }
    builder.build().map_err(|e| Error::invalid_argument("request", e.to_string()))
}

impl Client {
    /// The request an operation with a JSON (or no) body would send, checked and unsent: for a workflow that
    /// reads the answer itself (a download's redirect).
    pub(crate) fn operation_request(
        &self,
        operation: &str,
        params: &Value,
        transport: &Transport,
    ) -> Result<reqwest::Request> {
        let op = find(operation)?;
        build_request(op, &prepare(op, params, Vec::new())?, transport)
    }
}

/// The paging loop behind [`Client::call_pages`], for any handle on a client (a reference or an `Arc`).
fn pages_with<'a, C>(client: C, operation: &str, params: Value, options: CallOptions) -> BoxStream<'a, Result<RawPage>>
where
    C: std::ops::Deref<Target = Client> + Clone + Send + Sync + 'a,
{
    let op = match find(operation) {
        Ok(op) => op,
        Err(e) => return futures::stream::once(async move { Err(e) }).boxed(),
    };
    let fetch_page = move |extra: Option<(String, Value)>| {
        let client = client.clone();
        let mut params = params.clone();
        if let (Some((name, value)), Some(map)) = (extra, params.as_object_mut()) {
            map.insert(name, value);
        }
        let options = options.clone();
        async move { client.call_raw_with(&op.id, &params, Vec::new(), &options).await }
    };
    let items_fields: Vec<&'static str> = op.pagination.items_fields();
    match &op.pagination {
        Pagination::Cursor { cursor_param, next_cursor_field, .. } => cursor_pages(&op.id, move |cursor| {
            let page = fetch_page(cursor.map(|c| (cursor_param.clone(), Value::String(c))));
            let items_fields = items_fields.clone();
            async move {
                let bytes = page.await?;
                let summary = summarize(&bytes, PageKeys { items: &items_fields, next: Some(next_cursor_field) })?;
                let next = summary.next.as_ref().and_then(Value::as_str).map(str::to_string);
                Ok(Fetched { items: summary.items, page: raw_page(bytes, &summary, &items_fields), next })
            }
        }),
        Pagination::ScimOffset { start_param, total_field, .. } => offset_pages(move |start| {
            let page = fetch_page(Some((start_param.clone(), Value::from(start))));
            let items_fields = items_fields.clone();
            async move {
                let bytes = page.await?;
                let summary = summarize(&bytes, PageKeys { items: &items_fields, next: Some(total_field) })?;
                let total = summary.next.as_ref().and_then(Value::as_f64).map(|t| t as i64);
                Ok(Fetched { items: summary.items, page: raw_page(bytes, &summary, &items_fields), next: total })
            }
        }),
        Pagination::Offset { offset_param, .. } => limit_offset_pages(move |offset| {
            let page = fetch_page(Some((offset_param.clone(), Value::from(offset))));
            let items_fields = items_fields.clone();
            async move {
                let bytes = page.await?;
                let summary = summarize(&bytes, PageKeys { items: &items_fields, next: None })?;
                Ok(Fetched { items: summary.items, page: raw_page(bytes, &summary, &items_fields), next: () })
            }
        }),
        Pagination::None => {
            let error = Error::invalid_argument("operation", format!("`{}` is not a paged list", op.id));
            futures::stream::once(async move { Err(error) }).boxed()
        }
    }
}

pub(crate) fn find(name: &str) -> Result<&'static Operation> {
    operation(name).ok_or_else(|| Error::invalid_argument("operation", format!("no operation named `{name}`")))
}

fn method(op: &Operation) -> Result<reqwest::Method> {
    op.method.parse().map_err(|_| Error::invalid_argument("operation", format!("bad method {}", op.method)))
}

fn raw_page(body: Bytes, summary: &PageSummary, items_fields: &[&'static str]) -> RawPage {
    RawPage { body, items_key: summary.items_key.map(|index| items_fields[index]) }
}

pub(crate) struct Prepared {
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    pub(crate) body: Option<Value>,
    pub(crate) form: Option<Vec<(&'static str, FormValue)>>,
}

/// Checks and places every argument: path, query, header, body or form. Nothing is sent if anything is wrong.
pub(crate) fn prepare(op: &'static Operation, params: &Value, files: Vec<(String, FilePart)>) -> Result<Prepared> {
    let empty = Map::new();
    let params = match params {
        Value::Object(map) => map,
        Value::Null => &empty,
        other => return Err(Error::invalid_type("params", format!("must be an object, not {other}"))),
    };
    let multipart = op.body.as_ref().filter(|b| b.kind == BodyKind::Multipart);
    let mut prepared =
        Prepared { path: op.path.clone(), query: Vec::new(), headers: Vec::new(), body: None, form: None };
    let mut form: Vec<(&'static str, FormValue)> = Vec::new();
    for (key, file) in files {
        let field = multipart
            .and_then(|b| b.form_fields.iter().find(|f| f.binary && (f.name == key || f.snake_name == key)))
            .ok_or_else(|| Error::invalid_argument(&key, format!("`{}` has no file field of that name", op.id)))?;
        form.push((&field.name, FormValue::File(file)));
    }
    for (key, value) in params {
        if key == BODY || value.is_null() {
            continue;
        }
        if key == EXTRA_QUERY {
            let Value::Object(extra) = value else {
                return Err(Error::invalid_argument(EXTRA_QUERY, "must be an object of query parameters"));
            };
            for (name, v) in extra {
                prepared.query.push((name.clone(), plain_text(v)));
            }
            continue;
        }
        if let Some(field) =
            multipart.and_then(|b| b.form_fields.iter().find(|f| f.name == *key || f.snake_name == *key))
        {
            let name: &'static str = &field.name;
            if field.binary {
                let Value::String(path) = value else {
                    return Err(Error::invalid_type(name, "must be the path of the file to upload"));
                };
                form.push((name, FormValue::File(FilePart::path(path))));
            } else {
                let text = plain_text(value);
                if !field.enum_values.is_empty() && !field.enum_values.iter().any(|v| v.as_str() == Some(text.as_str()))
                {
                    return Err(Error::invalid_argument(name, format!("must be one of {}", list(&field.enum_values))));
                }
                form.push((name, FormValue::Text(text)));
            }
            continue;
        }
        let param =
            op.parameters.iter().find(|p| p.name == *key || p.snake_name == *key || p.camel_name == *key).ok_or_else(
                || {
                    let known: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
                    Error::invalid_argument(
                        key,
                        format!("is not a parameter of `{}` (it takes: {})", op.id, known.join(", ")),
                    )
                },
            )?;
        let texts = argument_texts(param, value)?;
        match param.location {
            ParameterLocation::Path => {
                let encoded = crate::path::segment(&param.snake_name, &texts.join(","))?;
                prepared.path = prepared.path.replace(&format!("{{{}}}", param.name), &encoded);
            }
            ParameterLocation::Query => prepared.query.extend(texts.into_iter().map(|t| (param.name.clone(), t))),
            ParameterLocation::Header => prepared.headers.push((param.name.clone(), texts.join(","))),
            ParameterLocation::Cookie => {}
        }
    }
    for param in op.parameters.iter().filter(|p| p.required) {
        let given = [&param.name, &param.snake_name, &param.camel_name]
            .iter()
            .any(|k| params.get(k.as_str()).is_some_and(|v| !v.is_null()));
        if !given {
            return Err(Error::invalid_argument(&param.snake_name, "is required"));
        }
    }
    check_url_length(&prepared)?;
    match (&op.body, multipart) {
        (_, Some(body)) => {
            for field in body.form_fields.iter().filter(|f| f.required) {
                if !form.iter().any(|(name, _)| *name == field.name) {
                    return Err(Error::invalid_argument(&field.snake_name, "is required"));
                }
            }
            prepared.form = Some(form);
        }
        (Some(body), None) => match params.get(BODY) {
            Some(Value::Null) | None if body.required => return Err(Error::invalid_argument(BODY, "is required")),
            Some(Value::Null) | None => {}
            Some(value) => {
                // A body with required properties is an object, whatever its schema says of its type.
                let expected = if body.required_properties.is_empty() { body.value_type } else { ValueType::Object };
                if !expected.admits(value) {
                    let problem = format!("must be {}, not {}", expected.described(), ValueType::of(value));
                    return Err(Error::invalid_type(BODY, problem));
                }
                if let Value::Object(map) = value
                    && let Some(missing) = body.required_properties.iter().find(|p| !map.contains_key(p.as_str()))
                {
                    return Err(Error::invalid_argument(format!("body.{missing}"), "is required"));
                }
                prepared.body = Some(value.clone());
            }
        },
        (None, None) => {
            if params.get(BODY).is_some_and(|b| !b.is_null()) {
                return Err(Error::invalid_argument(BODY, format!("`{}` takes no body", op.id)));
            }
        }
    }
    Ok(prepared)
}

/// The longest URL the client sends. Servers and proxies refuse longer ones (commonly past 8–16 KiB) with errors
/// that do not say why; this says which argument made it long, before anything is sent.
pub const MAX_URL_BYTES: usize = 16 * 1024;

fn check_url_length(prepared: &Prepared) -> Result<()> {
    let query: usize = prepared.query.iter().map(|(name, value)| name.len() + value.len() + 2).sum();
    let length = prepared.path.len() + query;
    if length <= MAX_URL_BYTES {
        return Ok(());
    }
    let longest = prepared.query.iter().max_by_key(|(_, value)| value.len()).map(|(name, _)| name.as_str());
    let name = longest.unwrap_or("path");
    Err(Error::invalid_argument(
        name,
        format!(
            "makes the URL about {length} bytes; at most {MAX_URL_BYTES} are sent (filter with fewer values, or page)"
        ),
    ))
}

fn plain_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn list(values: &[Value]) -> String {
    values.iter().map(plain_text).collect::<Vec<_>>().join(", ")
}

/// One argument as the text(s) it is sent as, after checking its type, enum and bounds.
fn argument_texts(param: &Parameter, value: &Value) -> Result<Vec<String>> {
    let name = param.snake_name.as_str();
    let wrong = |expected: &str| Error::invalid_type(name, format!("must be {expected}, not {value}"));
    let text = match (param.value_type, value) {
        (ValueType::Array, Value::Array(items)) => return items.iter().map(|v| Ok(plain_text(v))).collect(),
        (ValueType::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        (ValueType::Integer, Value::String(s)) if s.trim().parse::<i64>().is_ok() => s.trim().to_string(),
        (ValueType::Integer, _) => return Err(wrong("an integer")),
        (ValueType::Number, Value::Number(n)) => n.to_string(),
        (ValueType::Number, Value::String(s)) if s.trim().parse::<f64>().is_ok() => s.trim().to_string(),
        (ValueType::Number, _) => return Err(wrong("a number")),
        (ValueType::Boolean, Value::Bool(b)) => b.to_string(),
        (ValueType::Boolean, Value::String(s)) if s == "true" || s == "false" => s.clone(),
        (ValueType::Boolean, _) => return Err(wrong("true or false")),
        (ValueType::String, Value::String(s)) => s.clone(),
        (ValueType::String, _) => return Err(wrong("a string")),
        (ValueType::Object | ValueType::Any | ValueType::Array, other) => plain_text(other),
    };
    param.check(&text).map_err(|p| Error::InvalidArgument {
        name: name.to_string(),
        problem: p.problem,
        wrong_type: p.wrong_type,
    })?;
    Ok(vec![text])
}
