//! Sends every request of the client, in layers read one at a time, outside in:
//!
//! 1. headers: the key (only towards the configured API origin), the version and user-agent headers
//!    ([`Transport::add_headers`]);
//! 2. retries ([`retrying`]): each attempt paced to the operation's rate limit, sent and logged, and tried again
//!    by the rules in [`crate::retry`] with backon;
//! 3. the answer ([`answer`]): its body capped at `max_response_bytes`, and checked in strict mode;
//! 4. a documented redirect to another host (a file's download) followed there without the key.
//!
//! The generated client reaches it through progenitor's `ClientHooks` (`pre` and `exec`); the by-name calls and
//! uploads call [`Transport::send`].

mod answer;
pub(crate) use answer::BodyTooLarge;
mod retrying;

use std::fmt;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue, USER_AGENT};
use reqwest::{Request, Response};
use toriihq_spec::Operation;
use url::Url;

use crate::log::{Log, LogLevel};
use crate::options::{CallOptions, Pace};
use crate::pacing::Rate;

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
    /// The caller waited for the pacer itself (a bulk job, which records "sent" after the wait, just before the
    /// request goes): the first attempt goes at once, a retry is paced.
    first_attempt_paced: bool,
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
    /// The rate-limit count of this key and base URL, shared in the process.
    pub(crate) pacer: Arc<crate::pacing::Pacer>,
    /// Whether every request is paced to its operation's stated limit (a call may ask for it on its own).
    pub(crate) pace_by_default: bool,
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

impl Transport {
    pub(crate) fn new(shared: Shared) -> Self {
        Transport { shared: Arc::new(shared), call: None, operation: None, label: None, first_attempt_paced: false }
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

    /// Sends `request`, retrying by the rules in [`crate::retry`]. Returns the last answer, whatever its status:
    /// mapping statuses to errors is the caller's job, so one place does it. An operation whose documented answer
    /// is a redirect to another host (a file's download) is followed there, without the key.
    pub async fn execute(&self, request: Request) -> reqwest::Result<Response> {
        let response = self.answered(self.send_with_retries(request).await?).await;
        let Some(target) = self.documented_redirect(&response) else { return Ok(response) };
        let mut request = self.shared.http.get(target).build()?;
        let elsewhere = Transport { operation: None, label: None, first_attempt_paced: false, ..self.clone() };
        // The key goes to the API's origin only: the target is another one (reqwest follows same-origin redirects).
        elsewhere.add_headers(&mut request);
        Ok(elsewhere.answered(elsewhere.send_with_retries(request).await?).await)
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

    /// The operation and the rate its requests go at, when this call or the client paces them.
    fn paced(&self) -> Option<(&'static Operation, Rate)> {
        let op = self.operation?;
        let pace = match self.call.as_ref().and_then(|call| call.pace) {
            Some(pace) => pace,
            None if self.shared.pace_by_default => Pace::Spec,
            None => return None,
        };
        match pace {
            Pace::Rate(rate) => Some((op, rate)),
            Pace::Spec => op.rate_limit_per_minute.map(|limit| (op, Rate::per_minute(limit))),
        }
    }

    /// This transport, its first attempt not paced: the caller waited for the pacer (see [`Transport::pace`]).
    pub(crate) fn paced_by_caller(&self) -> Transport {
        Transport { first_attempt_paced: true, ..self.clone() }
    }

    pub(crate) fn first_attempt_paced(&self) -> bool {
        self.first_attempt_paced
    }

    /// With pacing on, waits until this operation is within its rate, and counts the request.
    pub(crate) async fn pace(&self) {
        let Some((op, rate)) = self.paced() else { return };
        let log = &self.shared.log;
        self.shared
            .pacer
            .wait(&op.id, rate, |wait| {
                if log.enabled(LogLevel::Info) {
                    let line = format!(
                        "{} ({}) waits {:.2} s: {} per {:.0} s is its rate",
                        op.path,
                        op.id,
                        wait.as_secs_f64(),
                        rate.count,
                        rate.per.as_secs_f64()
                    );
                    log.line(LogLevel::Info, &line);
                }
            })
            .await;
    }

    /// Tells the pacer how a paced request was answered: a 429 pauses and slows its operation for every caller.
    fn paced_answer(&self, status: reqwest::StatusCode, retry_after: Option<std::time::Duration>) {
        let Some((op, _)) = self.paced() else { return };
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            self.shared.pacer.throttled(&op.id, retry_after);
        } else {
            self.shared.pacer.answered(&op.id);
        }
    }
}
