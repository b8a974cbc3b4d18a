//! Sends every request of the client: adds the key (only towards the configured API origin), the version and
//! user-agent headers, and retries by the rules in [`crate::retry`]. The generated client reaches it through
//! progenitor's `ClientHooks` (`pre` and `exec`), the upload path calls it directly.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue, USER_AGENT};
use reqwest::{Request, Response};
use url::Url;

use crate::log::{Attempt, Log, LogLevel, Outcome};
use crate::options::CallOptions;
use crate::retry;
use toriihq_spec::Operation;

pub(crate) const API_VERSION_HEADER: HeaderName = HeaderName::from_static("x-api-version");
/// progenitor stamps `api-version: <info.version>` on every request; Torii does not read it, so it goes.
const PROGENITOR_VERSION_HEADER: &str = "api-version";

/// Whether two URLs share scheme, host and port: the key goes, and redirects are followed, only within one.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_known_default() == b.port_or_known_default()
}

/// What the generated client carries as its `inner` value.
#[derive(Clone)]
pub struct Transport {
    pub(crate) shared: Arc<Shared>,
    /// What the call being made changes (retries, headers); `None` for the client's defaults.
    call: Option<Arc<CallOptions>>,
    /// The operation being sent: what the log names, pacing counts, strict mode checks and a documented redirect
    /// is read from. Resolved by the caller, once.
    operation: Option<&'static Operation>,
    /// What the log calls a request that is no operation of the spec (`Client::request`'s path).
    label: Option<Arc<str>>,
}

pub(crate) struct Shared {
    pub(crate) http: reqwest::Client,
    pub(crate) authorization: HeaderValue,
    pub(crate) base_url: Url,
    pub(crate) api_version: Option<HeaderValue>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) max_retries: u32,
    pub(crate) max_response_bytes: u64,
    /// Per attempt; an upload to a presigned URL gets more for its size.
    pub(crate) timeout: std::time::Duration,
    pub(crate) default_headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) log: Log,
    /// Set when the client paces itself to the spec's rate limits.
    pub(crate) pacer: Option<Arc<crate::pacing::Pacer>>,
    pub(crate) strict: crate::strict::Strict,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.shared;
        f.debug_struct("Transport")
            .field("base_url", &s.base_url.as_str())
            .field("api_key", &"<redacted>")
            .field("api_version", &s.api_version.as_ref().and_then(|v| v.to_str().ok()))
            .field("max_retries", &s.max_retries)
            .finish()
    }
}

/// What a body stream fails with past [`Shared::max_response_bytes`]; [`crate::Error::from_transport`] finds it.
#[derive(Debug)]
pub(crate) struct BodyTooLarge(pub(crate) u64);

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the answer is longer than {} bytes (the client's max_response_bytes)", self.0)
    }
}

impl std::error::Error for BodyTooLarge {}

impl Transport {
    pub(crate) fn new(shared: Shared) -> Self {
        Transport { shared: Arc::new(shared), call: None, operation: None, label: None }
    }

    /// This transport, sending requests of `operation`.
    pub(crate) fn for_operation(&self, operation: &'static Operation) -> Transport {
        Transport { operation: Some(operation), ..self.clone() }
    }

    /// This transport, sending requests of the operation the generated client names `method_name` (`get_apps`):
    /// what progenitor's hook hands over. The one lookup of a typed call.
    pub fn for_method(&self, method_name: &str) -> Transport {
        Transport { operation: crate::operations::operation(method_name), ..self.clone() }
    }

    /// This transport, its requests logged as `path` (a request to an endpoint the spec does not describe).
    pub(crate) fn labelled(&self, path: &str) -> Transport {
        Transport { label: Some(Arc::from(path)), ..self.clone() }
    }

    /// This transport with a call's retries and headers. (A call's deadline is the caller's: it spans
    /// everything the call sends.)
    pub(crate) fn for_call(&self, options: &CallOptions) -> Transport {
        if options.is_empty() {
            return self.clone();
        }
        Transport { call: Some(Arc::new(options.clone())), ..self.clone() }
    }

    pub(crate) fn max_retries(&self) -> u32 {
        self.call.as_ref().and_then(|call| call.max_retries).unwrap_or(self.shared.max_retries)
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.shared.http
    }

    /// `path` (already percent-encoded) under the API's base URL. The base was parsed once, at build; parsing
    /// base and path together again on every call was a twentieth of a small call's instructions.
    pub(crate) fn url(&self, path: &str) -> Url {
        let mut url = self.shared.base_url.clone();
        let joined = format!("{}{}", url.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        url
    }

    /// Headers every request to the API carries. The key is added only when the request goes to the
    /// configured origin.
    pub fn add_headers(&self, request: &mut Request) {
        let shared = &self.shared;
        let same_origin = same_origin(request.url(), &shared.base_url);
        let headers = request.headers_mut();
        headers.remove(PROGENITOR_VERSION_HEADER);
        if same_origin {
            // The caller's headers may carry tokens of their own: they go to the API only, like the key.
            let call_headers = self.call.iter().flat_map(|call| call.extra_headers.iter());
            for (name, value) in shared.default_headers.iter().chain(call_headers) {
                headers.insert(name.clone(), value.clone());
            }
        }
        headers.insert(USER_AGENT, shared.user_agent.clone());
        if let Some(version) = shared.api_version.as_ref().filter(|_| !headers.contains_key(API_VERSION_HEADER)) {
            headers.insert(API_VERSION_HEADER, version.clone());
        }
        if same_origin {
            headers.insert(AUTHORIZATION, shared.authorization.clone());
        } else {
            headers.remove(AUTHORIZATION);
        }
    }

    /// Prepares and sends `request` (with retries), reads the whole answer, and maps a non-2xx status to the
    /// crate's error. What the hand-written paths (by-name calls, uploads) share; generated builders go through
    /// progenitor's hooks instead.
    pub(crate) async fn send(
        &self,
        mut request: Request,
    ) -> crate::Result<(reqwest::StatusCode, reqwest::header::HeaderMap, bytes::Bytes)> {
        self.add_headers(&mut request);
        let response = self.execute(request).await.map_err(crate::Error::from_transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.map_err(crate::Error::from_transport)?;
        if !status.is_success() {
            return Err(crate::Error::from_status(status, headers, &bytes));
        }
        Ok((status, headers, bytes))
    }

    /// An answer from the API whose body fails past the client's limit: whoever reads it (progenitor's decode, a
    /// by-name call, a binding) holds at most that much. Answers from other hosts (a download's storage) pass.
    fn capped(&self, response: Response) -> Response {
        if !same_origin(response.url(), &self.shared.base_url) {
            return response;
        }
        let cap = self.shared.max_response_bytes;
        let (parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
        let mut read = 0u64;
        let chunks = futures::StreamExt::map(http_body_util::BodyExt::into_data_stream(body), move |chunk| {
            let chunk = chunk.map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            read += chunk.len() as u64;
            if read > cap {
                return Err(Box::new(BodyTooLarge(cap)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(chunk)
        });
        Response::from(http::Response::from_parts(parts, reqwest::Body::wrap_stream(chunks)))
    }

    /// Sends `request`, retrying by the rules in [`crate::retry`]. Returns the last answer, whatever its status:
    /// mapping statuses to errors is the caller's job, so one place does it. An operation whose documented answer
    /// is a redirect to another host (a file's download) is followed there, without the key.
    pub async fn execute(&self, request: Request) -> reqwest::Result<Response> {
        let response = self.send_with_retries(request).await?;
        let Some(target) = self.documented_redirect(&response) else { return Ok(response) };
        let mut request = self.shared.http.get(target).build()?;
        let elsewhere = Transport { operation: None, label: None, ..self.clone() };
        // The key goes to the API's origin only: the target is another one (reqwest follows same-origin redirects).
        elsewhere.add_headers(&mut request);
        elsewhere.send_with_retries(request).await
    }

    /// Where a redirect leads, when the operation's documented answer is that redirect.
    fn documented_redirect(&self, response: &Response) -> Option<Url> {
        if !response.status().is_redirection() {
            return None;
        }
        let op = self.operation?;
        if !op.answers_with_redirect() {
            return None;
        }
        let location = response.headers().get(reqwest::header::LOCATION)?.to_str().ok()?;
        response.url().join(location).ok()
    }

    async fn send_with_retries(&self, request: Request) -> reqwest::Result<Response> {
        let method = request.method().clone();
        let mut delays = retry::schedule(self.max_retries()).peekable();
        let mut pending = request;
        let mut number = 0;
        loop {
            number += 1;
            // A copy to replay, only while a retry is left; a body that cannot be replayed (a stream) gets one
            // attempt.
            let spare = if delays.peek().is_some() { pending.try_clone() } else { None };
            self.pace().await;
            let logged = self.shared.log.enabled(LogLevel::Info).then(|| self.before_logging(&pending));
            let started = std::time::Instant::now();
            let outcome = self.shared.http.execute(pending).await;
            let wait = match (&outcome, &spare) {
                (_, None) => None,
                (Ok(response), Some(_)) if retry::status_is_retryable(&method, response.status()) => {
                    match retry::retry_after(response.headers()) {
                        Some(asked) if asked > retry::MAX_RETRY_AFTER => None,
                        Some(asked) => delays.next().map(|_| asked),
                        None => delays.next(),
                    }
                }
                (Err(error), Some(_)) if retry::error_is_retryable(&method, error) => delays.next(),
                _ => None,
            };
            if let Some((what, sent, body_bytes)) = &logged {
                let attempt = Attempt {
                    method: &method,
                    what,
                    number,
                    of: self.max_retries() + 1,
                    elapsed: started.elapsed(),
                    sent,
                    body_bytes: *body_bytes,
                    received: outcome.as_ref().ok().map(Response::headers),
                };
                let result = match &outcome {
                    Ok(response) => Outcome::Status(response.status()),
                    Err(error) => Outcome::Failed(failure(error)),
                };
                self.shared.log.attempt(&attempt, &result, wait.filter(|_| spare.is_some()));
            }
            match (wait, spare) {
                (Some(wait), Some(spare)) => {
                    drop(outcome);
                    tokio::time::sleep(wait).await;
                    pending = spare;
                }
                _ => {
                    let response = self.capped(outcome?);
                    return Ok(match self.operation {
                        Some(op) if self.shared.strict.is_on() && response.status().is_success() => {
                            self.checked(&op.id, response).await
                        }
                        _ => response,
                    });
                }
            }
        }
    }

    /// Strict mode: the answer read whole, checked against its schema and handed on from memory, or (mode
    /// `error`) with a body that fails with the report.
    async fn checked(&self, id: &str, response: Response) -> Response {
        let status = response.status();
        // An answer without a JSON schema (a file's bytes) is passed on as a stream, unread.
        if crate::strict::schema_of(id, status.as_u16()).is_none() {
            return response;
        }
        let (parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
        let rebuilt = |body: reqwest::Body| Response::from(http::Response::from_parts(parts, body));
        let bytes = match http_body_util::BodyExt::collect(body).await {
            Ok(collected) => collected.to_bytes(),
            Err(error) => return rebuilt(failing_body(Box::new(error))),
        };
        let Some(report) = crate::strict::check(id, status.as_u16(), &bytes) else {
            return rebuilt(reqwest::Body::from(bytes));
        };
        let strict = &self.shared.strict;
        if let Err(problem) = strict.record(&report) {
            self.shared.log.warn(&problem);
        }
        match strict.mode {
            crate::strict::Strictness::Error => {
                rebuilt(failing_body(Box::new(crate::strict::DriftFound(Box::new(report)))))
            }
            _ => {
                self.shared.log.warn(&format!("strict: {report}"));
                rebuilt(reqwest::Body::from(bytes))
            }
        }
    }

    /// With pacing on, waits until this operation is within its stated rate limit.
    async fn pace(&self) {
        let Some(pacer) = &self.shared.pacer else { return };
        let Some(op) = self.operation else { return };
        let Some(limit) = op.rate_limit_per_minute else { return };
        let log = &self.shared.log;
        pacer
            .wait(&op.id, limit, |wait| {
                if log.enabled(LogLevel::Info) {
                    let line = format!(
                        "{} ({}) waits {:.2} s: {limit} a minute is its limit",
                        op.path,
                        op.id,
                        wait.as_secs_f64()
                    );
                    log.line(LogLevel::Info, &line);
                }
            })
            .await;
    }

    /// What the log's lines of a request show: the operation's path template (or only the host of a request
    /// outside the API), the headers sent (at debug) and the body's size.
    fn before_logging(&self, request: &Request) -> (String, reqwest::header::HeaderMap, Option<usize>) {
        let what = match self.operation {
            Some(op) => format!("{} ({})", op.path, op.id),
            None if self.label.is_some() => format!("{} (not in the spec)", self.label.as_deref().unwrap_or_default()),
            None => {
                format!("{}://{} (outside the API)", request.url().scheme(), request.url().host_str().unwrap_or("?"))
            }
        };
        let mut sent = request.headers().clone();
        if !self.shared.log.enabled(LogLevel::Debug) {
            sent.clear();
        }
        (what, sent, request.body().and_then(|body| body.as_bytes()).map(<[u8]>::len))
    }
}

/// A body whose first read fails with `error`, for the reader's error to carry it.
fn failing_body(error: Box<dyn std::error::Error + Send + Sync>) -> reqwest::Body {
    reqwest::Body::wrap_stream(futures::stream::once(std::future::ready(Err::<bytes::Bytes, _>(error))))
}

/// A failed attempt in a few words: reqwest's own text names the URL, query and all.
fn failure(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the answer broke off"
    } else {
        "connection error"
    }
}
