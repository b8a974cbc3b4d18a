//! The one error type of the client. Every status the API documents has its own variant; every variant formats
//! without the API key (the key never reaches an error in the first place: it lives only in the transport).
//! Every variant belongs to a class of [`catalogue::CATALOGUE`], from which the Python and Node classes are
//! generated; [`Error::detail`] is the one record of an error the bindings pass on.

pub use toriihq_spec::sdk::errors as catalogue;
mod detail;

pub use detail::ErrorDetail;

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A non-2xx answer from the API: its status, headers and body (parsed when it was JSON).
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as JSON, when it was JSON: Torii sends `{statusCode, error, message}`.
    pub body: Option<Value>,
}

impl ErrorResponse {
    /// The `message` of the error body, when there is one.
    pub fn message(&self) -> Option<&str> {
        self.body.as_ref()?.get("message")?.as_str()
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("bad request ({0})")]
    BadRequest(Box<ErrorResponse>),
    #[error("authentication failed: check the API key ({0})")]
    Authentication(Box<ErrorResponse>),
    #[error("permission denied ({0})")]
    PermissionDenied(Box<ErrorResponse>),
    #[error("not found ({0})")]
    NotFound(Box<ErrorResponse>),
    #[error("conflict ({0})")]
    Conflict(Box<ErrorResponse>),
    /// 409 from a custom-integration sync: another sync of the organisation is running.
    #[error("a custom-integration sync is already running ({0})")]
    SyncInProgress(Box<ErrorResponse>),
    #[error("payload too large ({0})")]
    PayloadTooLarge(Box<ErrorResponse>),
    #[error("unprocessable entity ({0})")]
    UnprocessableEntity(Box<ErrorResponse>),
    #[error("rate limited{} ({response})", retry_after_text(.retry_after))]
    RateLimited { response: Box<ErrorResponse>, retry_after: Option<Duration> },
    #[error("server error ({0})")]
    Server(Box<ErrorResponse>),
    /// A status the API does not document (e.g. 405 or 410).
    #[error("unexpected status ({0})")]
    UnexpectedStatus(Box<ErrorResponse>),
    #[error("the request timed out")]
    Timeout,
    #[error("could not reach the API: {0}")]
    Connection(String),
    /// A 2xx answer whose body did not match the spec.
    #[error("the response body could not be decoded: {what}, at {location}")]
    Decode { what: String, location: String },
    /// Strict mode `error`: a 2xx answer that decodes, or would, yet differs from its operation's response schema.
    #[error("the answer differs from the spec: {0}")]
    SpecDrift(Box<crate::strict::DriftReport>),
    /// A bad argument, found before any byte was sent. `wrong_type` tells a value of the wrong kind (a string
    /// for an integer) from a value of the right kind that is not allowed (out of range, not in the enum).
    #[error("invalid argument `{name}`: {problem}")]
    InvalidArgument { name: String, problem: String, wrong_type: bool },
    /// A file that breaks its schema (the custom-integration file), found before any byte was sent: every
    /// problem, each with its path.
    #[error("the file has {} problem{}: {}", .problems.len(), if .problems.len() == 1 { "" } else { "s" }, problem_list(.problems))]
    InvalidFile { problems: Vec<crate::custom_integration::Problem> },
    /// The client could not be configured (missing key, bad base URL, ...).
    #[error("configuration: {0}")]
    Config(String),
    /// The caller cancelled the call (an `AbortSignal`, a cancelled asyncio task).
    #[error("the request was aborted")]
    Aborted,
    /// A bug in toriihq, such as a panic caught at a binding's edge.
    #[error("internal error in toriihq (a bug; please report it): {0}")]
    Internal(String),
}

/// The first problems, for the message (every one is in the error's `problems`).
fn problem_list(problems: &[crate::custom_integration::Problem]) -> String {
    const SHOWN: usize = 20;
    let mut text = problems.iter().take(SHOWN).map(ToString::to_string).collect::<Vec<_>>().join("; ");
    if problems.len() > SHOWN {
        text.push_str(&format!("; and {} more", problems.len() - SHOWN));
    }
    text
}

fn retry_after_text(retry_after: &Option<Duration>) -> String {
    retry_after.map(|d| format!(", retry after {} s", d.as_secs())).unwrap_or_default()
}

/// A `rate` argument that is not one.
impl From<toriihq_spec::NotARate> for Error {
    fn from(problem: toriihq_spec::NotARate) -> Self {
        Error::invalid_argument("rate", problem.to_string())
    }
}

impl Error {
    pub fn invalid_argument(name: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::InvalidArgument { name: name.into(), problem: problem.into(), wrong_type: false }
    }

    /// An argument of the wrong kind (a string where the spec wants an integer).
    pub fn invalid_type(name: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::InvalidArgument { name: name.into(), problem: problem.into(), wrong_type: true }
    }

    /// The answer behind a status error.
    pub fn response(&self) -> Option<&ErrorResponse> {
        match self {
            Error::BadRequest(r)
            | Error::Authentication(r)
            | Error::PermissionDenied(r)
            | Error::NotFound(r)
            | Error::Conflict(r)
            | Error::SyncInProgress(r)
            | Error::PayloadTooLarge(r)
            | Error::UnprocessableEntity(r)
            | Error::Server(r)
            | Error::UnexpectedStatus(r)
            | Error::RateLimited { response: r, .. } => Some(r.as_ref()),
            _ => None,
        }
    }

    /// The class of [`catalogue::CATALOGUE`] this error is raised as in Python and Node.
    pub fn class_name(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "BadRequestError",
            Error::Authentication(_) => "AuthenticationError",
            Error::PermissionDenied(_) => "PermissionDeniedError",
            Error::NotFound(_) => "NotFoundError",
            Error::Conflict(_) => "ConflictError",
            Error::SyncInProgress(_) => "SyncInProgressError",
            Error::PayloadTooLarge(_) => "PayloadTooLargeError",
            Error::UnprocessableEntity(_) => "UnprocessableEntityError",
            Error::RateLimited { .. } => "RateLimitError",
            Error::Server(_) => "InternalServerError",
            Error::UnexpectedStatus(_) => "APIStatusError",
            Error::Timeout => "APITimeoutError",
            Error::Connection(_) => "APIConnectionError",
            Error::Decode { .. } => "APIResponseValidationError",
            Error::SpecDrift(_) => "SpecDriftError",
            Error::InvalidArgument { wrong_type: true, .. } => "ArgumentTypeError",
            Error::InvalidArgument { .. } => "InvalidArgumentError",
            Error::InvalidFile { .. } => "InvalidFileError",
            Error::Config(_) => "ConfigurationError",
            Error::Aborted => "APIUserAbortError",
            Error::Internal(_) => "InternalError",
        }
    }

    /// A language-neutral name of the error (`not_found`, `rate_limited`, …): its class's kind in the catalogue,
    /// used by the cross-language scenarios and by the Python and Node error classes.
    pub fn kind(&self) -> &'static str {
        let name = self.class_name();
        catalogue::CATALOGUE.iter().find(|class| class.name == name).and_then(|class| class.kind).unwrap_or("error")
    }

    pub fn status(&self) -> Option<StatusCode> {
        self.response().map(|r| r.status)
    }

    /// Maps a non-2xx answer to its variant.
    pub fn from_status(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Self {
        let body = serde_json::from_slice::<Value>(body).ok().filter(|v| !v.is_null());
        let retry_after = crate::retry::retry_after(&headers);
        let response = Box::new(ErrorResponse { status, headers, body });
        match status.as_u16() {
            400 => Error::BadRequest(response),
            401 => Error::Authentication(response),
            403 => Error::PermissionDenied(response),
            404 => Error::NotFound(response),
            409 => Error::Conflict(response),
            413 => Error::PayloadTooLarge(response),
            422 => Error::UnprocessableEntity(response),
            429 => Error::RateLimited { response, retry_after },
            500..=599 => Error::Server(response),
            _ => Error::UnexpectedStatus(response),
        }
    }

    pub(crate) fn from_transport(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            return Error::Timeout;
        }
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            if let Some(too_large) = cause.downcast_ref::<crate::transport::BodyTooLarge>() {
                return Error::Decode { what: too_large.to_string(), location: "the whole body".into() };
            }
            if let Some(drift) = cause.downcast_ref::<crate::strict::DriftFound>() {
                return Error::SpecDrift(drift.0.clone());
            }
            source = cause.source();
        }
        // reqwest's messages name the URL, never headers; strip the query all the same.
        Error::Connection(error.without_url().to_string())
    }

    /// A body that is not the JSON expected; `path` is where in it, when known. For bindings that decode bodies
    /// themselves.
    pub fn decode(body: &[u8], error: &serde_json::Error, path: Option<String>) -> Self {
        let location = match path.filter(|p| !p.is_empty() && p != ".") {
            Some(path) => format!("`{path}` (line {} column {})", error.line(), error.column()),
            None => format!("line {} column {}", error.line(), error.column()),
        };
        let what = format!("{} in body starting {}", strip_position(&error.to_string()), excerpt(body));
        Error::Decode { what, location }
    }
}

fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(80)]).into_owned();
    format!("{text:?}{}", if body.len() > 80 { "…" } else { "" })
}
