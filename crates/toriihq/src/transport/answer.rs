//! What the transport does to an answer of the API once no retry is left: its body capped at the client's
//! `max_response_bytes`, and, in strict mode, checked against its operation's schema.

use std::fmt;

use reqwest::Response;

use super::{Transport, same_origin};

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
    /// The answer layer: the last answer of the retry layer, capped and (strict mode, a 2xx of an operation)
    /// checked.
    pub(super) async fn answered(&self, response: Response) -> Response {
        let response = self.capped(response);
        match self.operation {
            Some(op) if self.shared.strict.is_on() && response.status().is_success() => {
                self.checked(&op.id, response).await
            }
            _ => response,
        }
    }

    /// An answer from the API whose body fails past the client's limit: whoever reads it (progenitor's decode, a
    /// by-name call, a binding) holds at most that much. Answers from other hosts (a download's storage) pass.
    pub(super) fn capped(&self, response: Response) -> Response {
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

    /// Strict mode: the answer read whole, checked against its schema and handed on from memory, or (mode
    /// `error`) with a body that fails with the report.
    pub(super) async fn checked(&self, id: &str, response: Response) -> Response {
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
}

/// A body whose first read fails with `error`, for the reader's error to carry it.
fn failing_body(error: Box<dyn std::error::Error + Send + Sync>) -> reqwest::Body {
    reqwest::Body::wrap_stream(futures::stream::once(std::future::ready(Err::<bytes::Bytes, _>(error))))
}
