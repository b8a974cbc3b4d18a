//! The retry layer: each attempt paced, sent and logged; a failure the rules in [`crate::retry`] call retryable
//! tried again after backon's exponential schedule, or after the server's `Retry-After` when it names one (up to
//! [`crate::retry::MAX_RETRY_AFTER`]; a longer one is not waited for). The last answer, whatever its status, goes
//! on to the answer layer.

use std::time::{Duration, Instant};

use backon::Retryable;
use reqwest::header::HeaderMap;
use reqwest::{Method, Request, Response};

use super::Transport;
use crate::log::{Attempt, LogLevel, Outcome};
use crate::retry;

/// What one attempt shows in the log, taken before it is sent.
struct Shown {
    method: Method,
    number: u32,
    what: String,
    sent: HeaderMap,
    body_bytes: Option<usize>,
    started: Instant,
}

/// An attempt that may be tried again: an answer with a retryable status, or a connection that failed.
enum Failed {
    Status { response: Response, retry_after: Option<Duration>, shown: Option<Shown> },
    Transport { error: reqwest::Error, shown: Option<Shown> },
}

impl Transport {
    pub(super) async fn send_with_retries(&self, request: Request) -> reqwest::Result<Response> {
        let method = request.method().clone();
        let outcome = match Replayable::of(request) {
            // A streamed body cannot be sent twice: one attempt.
            Sendable::Once(request) => self.attempt(request, &method, 1).await,
            Sendable::Again(replayable) => {
                let mut number = 0;
                let attempts = || {
                    number += 1;
                    self.attempt(replayable.request(), &method, number)
                };
                attempts
                    .retry(retry::schedule(self.max_retries()))
                    .sleep(tokio::time::sleep)
                    .when(|failed| match failed {
                        Failed::Status { .. } => true,
                        Failed::Transport { error, .. } => retry::error_is_retryable(&method, error),
                    })
                    .adjust(|failed, next| match failed {
                        Failed::Status { retry_after: Some(asked), .. } if *asked > retry::MAX_RETRY_AFTER => None,
                        Failed::Status { retry_after: Some(asked), .. } => next.map(|_| *asked),
                        _ => next,
                    })
                    .notify(|failed, wait| self.log_failed(failed, Some(wait)))
                    .await
            }
        };
        match outcome {
            Ok((response, shown)) => {
                self.log_answer(shown.as_ref(), &response, None);
                Ok(response)
            }
            Err(failed) => {
                self.log_failed(&failed, None);
                failed.into_last()
            }
        }
    }

    /// One attempt: paced, sent, and sorted into a success or a failure the retry layer decides on.
    async fn attempt(
        &self,
        request: Request,
        method: &Method,
        number: u32,
    ) -> Result<(Response, Option<Shown>), Failed> {
        if number > 1 || !self.first_attempt_paced() {
            self.pace().await;
        }
        let shown = self.shared.log.enabled(LogLevel::Info).then(|| self.shown(&request, number));
        match self.shared.http.execute(request).await {
            Ok(response) if retry::status_is_retryable(method, response.status()) => {
                let retry_after = retry::retry_after(response.headers());
                self.paced_answer(response.status(), retry_after);
                Err(Failed::Status { response, retry_after, shown })
            }
            Ok(response) => {
                self.paced_answer(response.status(), None);
                Ok((response, shown))
            }
            Err(error) => Err(Failed::Transport { error, shown }),
        }
    }

    fn log_failed(&self, failed: &Failed, wait: Option<Duration>) {
        match failed {
            Failed::Status { response, shown, .. } => self.log_answer(shown.as_ref(), response, wait),
            Failed::Transport { error, shown } => {
                self.log_attempt(shown.as_ref(), &Outcome::Failed(failure(error)), None, wait)
            }
        }
    }

    fn log_answer(&self, shown: Option<&Shown>, response: &Response, wait: Option<Duration>) {
        self.log_attempt(shown, &Outcome::Status(response.status()), Some(response.headers()), wait);
    }

    fn log_attempt(
        &self,
        shown: Option<&Shown>,
        outcome: &Outcome<'_>,
        received: Option<&HeaderMap>,
        wait: Option<Duration>,
    ) {
        let Some(shown) = shown else { return };
        let attempt = Attempt {
            method: &shown.method,
            what: &shown.what,
            number: shown.number,
            of: self.max_retries() + 1,
            elapsed: shown.started.elapsed(),
            sent: &shown.sent,
            body_bytes: shown.body_bytes,
            received,
        };
        self.shared.log.attempt(&attempt, outcome, wait);
    }

    /// What the log's lines of an attempt show: the operation's path template (or only the host of a request
    /// outside the API), the headers sent (at debug) and the body's size.
    fn shown(&self, request: &Request, number: u32) -> Shown {
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
        let body_bytes = request.body().and_then(|body| body.as_bytes()).map(<[u8]>::len);
        Shown { number, what, sent, body_bytes, started: Instant::now(), method: request.method().clone() }
    }
}

/// A request as the retry layer gets it: one it can send again, or one with a streamed body, sent once.
enum Sendable {
    Again(Replayable),
    Once(Request),
}

/// A request whose body is in memory (or absent), each attempt built afresh from its parts.
struct Replayable {
    method: Method,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Option<bytes::Bytes>,
    timeout: Option<Duration>,
    version: reqwest::Version,
}

impl Replayable {
    /// `request` as parts to send again, or as it is when its body is a stream.
    fn of(mut request: Request) -> Sendable {
        let body = match request.body() {
            None => None,
            Some(body) => match body.as_bytes() {
                Some(bytes) => Some(bytes::Bytes::copy_from_slice(bytes)),
                None => return Sendable::Once(request),
            },
        };
        Sendable::Again(Replayable {
            method: request.method().clone(),
            url: request.url().clone(),
            headers: std::mem::take(request.headers_mut()),
            body,
            timeout: request.timeout().copied(),
            version: request.version(),
        })
    }

    fn request(&self) -> Request {
        let mut request = Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = self.headers.clone();
        *request.body_mut() = self.body.clone().map(reqwest::Body::from);
        *request.timeout_mut() = self.timeout;
        *request.version_mut() = self.version;
        request
    }
}

impl Failed {
    /// The last attempt's outcome once no retry is left: its answer, whatever the status, or its error.
    fn into_last(self) -> reqwest::Result<Response> {
        match self {
            Failed::Status { response, .. } => Ok(response),
            Failed::Transport { error, .. } => Err(error),
        }
    }
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
