//! What generated code calls into. Not part of the public API: its shape follows the generator.

pub mod calls;
pub mod page_summary;
pub mod paging;
mod timestamp;
pub mod upload;

use progenitor_client::ResponseValue;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use crate::path::{
    check_argument as check_path_argument, encode_segment as encode_path_segment, segment as path_segment,
};
pub use crate::transport::Transport;
pub use crate::{Error, Result};
pub use bytes::Bytes;
pub use futures::stream::BoxStream;
pub use timestamp::Timestamp;

/// A body as text, or the error naming the first byte that is not UTF-8.
pub fn body_text(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| Error::Decode {
        what: format!("the body is not UTF-8: {e}"),
        location: format!("byte {}", e.valid_up_to()),
    })
}

/// Turns the outcome of a generated `send` into the client's result, decoding with the JSON path of any
/// mismatch in hand.
pub async fn finish_decoded<T, E>(
    outcome: std::result::Result<ResponseValue<T>, progenitor_client::Error<E>>,
) -> Result<ResponseValue<T>>
where
    T: DeserializeOwned,
    E: Serialize,
{
    match outcome {
        Ok(value) => Ok(value),
        Err(progenitor_client::Error::InvalidResponsePayload(bytes, error)) => {
            // Decoding again with serde_path_to_error gives the JSON path of the mismatch.
            Err(decode_naming_path::<T>(&bytes).err().unwrap_or_else(|| Error::decode(&bytes, &error, None)))
        }
        // A 2xx the spec did not list (Torii's upload answers 201 where the spec says 200): decode it all the same.
        Err(progenitor_client::Error::UnexpectedResponse(response)) if response.status().is_success() => {
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().await.map_err(Error::from_transport)?;
            let bytes = if bytes.is_empty() { bytes::Bytes::from_static(b"null") } else { bytes };
            decode::<T>(&bytes).map(|value| ResponseValue::new(value, status, headers))
        }
        Err(other) => Err(from_progenitor(other).await),
    }
}

/// As [`finish_decoded`], for bodies that are not decoded (empty, or a byte stream).
pub async fn finish<T, E: Serialize>(
    outcome: std::result::Result<ResponseValue<T>, progenitor_client::Error<E>>,
) -> Result<ResponseValue<T>> {
    match outcome {
        Ok(value) => Ok(value),
        Err(other) => Err(from_progenitor(other).await),
    }
}

/// A JSON body into `T`, its UTF-8 checked once for the whole body rather than string by string (a tenth of a
/// 1,000-user page's decoding went to checking each string).
fn decode_unchecked_path<T: DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    }
}

/// What generated `send`s decode a 2xx answer with (in place of progenitor's `ResponseValue::from_response`).
pub async fn decode_response<T: DeserializeOwned, E>(
    response: reqwest::Response,
) -> std::result::Result<ResponseValue<T>, progenitor_client::Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(progenitor_client::Error::ResponseBodyError)?;
    match decode_unchecked_path(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(error) => Err(progenitor_client::Error::InvalidResponsePayload(body, error)),
    }
}

/// A 2xx answer's body undecoded (a page the item stream decodes itself).
pub async fn body_response<E>(
    response: reqwest::Response,
) -> std::result::Result<ResponseValue<bytes::Bytes>, progenitor_client::Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(progenitor_client::Error::ResponseBodyError)?;
    Ok(ResponseValue::new(body, status, headers))
}

/// A body into `T`, as every typed answer is decoded; a failure is decoded a second time to name its JSON path
/// (tracking the path on every answer would cost a fifth of a page's decoding).
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    match decode_unchecked_path(bytes) {
        Ok(value) => Ok(value),
        Err(_) => decode_naming_path(bytes),
    }
}

/// A body known (or likely) not to decode, decoded tracking the JSON path so the error can name it.
fn decode_naming_path<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        Error::decode(bytes, e.inner(), Some(path))
    })
}

/// progenitor says "conversion to `i64` for size failed: …" or "id_contract was not initialized".
fn argument_named_in(message: &str) -> Option<&str> {
    if let Some(name) = message.strip_suffix(" was not initialized") {
        return Some(name.trim());
    }
    let (_, rest) = message.split_once(" for ")?;
    rest.split_once(" failed").map(|(name, _)| name.trim_matches('`'))
}

/// Refuses a number outside the spec's `minimum`/`maximum` before the request is sent.
pub fn check_bounds<T: std::fmt::Display>(
    name: &str,
    value: Option<&T>,
    minimum: Option<f64>,
    maximum: Option<f64>,
) -> Result<()> {
    let Some(value) = value else { return Ok(()) };
    let text = value.to_string();
    let Ok(number) = text.parse::<f64>() else { return Ok(()) };
    match toriihq_spec::bounds_problem(&text, number, minimum, maximum) {
        Some(problem) => Err(Error::invalid_argument(name, problem)),
        None => Ok(()),
    }
}

async fn from_progenitor<E: Serialize>(error: progenitor_client::Error<E>) -> Error {
    use progenitor_client::Error as P;
    match error {
        P::InvalidRequest(message) => {
            let name = argument_named_in(&message).unwrap_or("request").to_string();
            // progenitor's conversion messages are about types ("conversion to `i64` for size failed").
            let wrong_type = message.starts_with("conversion to");
            Error::InvalidArgument { name, problem: message, wrong_type }
        }
        P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => Error::from_transport(e),
        P::ErrorResponse(value) => {
            let status = value.status();
            let headers = value.headers().clone();
            let body = serde_json::to_vec(&value.into_inner()).unwrap_or_default();
            Error::from_status(status, headers, &body)
        }
        P::InvalidResponsePayload(bytes, error) => Error::decode(&bytes, &error, None),
        P::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            match response.bytes().await {
                Ok(body) => Error::from_status(status, headers, &body),
                Err(e) => Error::from_transport(e),
            }
        }
        P::Custom(message) => Error::Connection(message),
    }
}
