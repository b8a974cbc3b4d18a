//! When to try a request again, and how long to wait first.
//!
//! Idempotent methods (GET, PUT, DELETE, HEAD, OPTIONS) are retried on connection errors, timeouts, 408, 409,
//! 429 and 5xx. POST and PATCH are retried only on 429 and on connection failures where nothing was sent, so a
//! create is never performed twice. The wait is `min(0.5·2ⁿ s, 8 s)` less up to 25 % jitter, unless the server
//! says `Retry-After`, which is honoured up to [`MAX_RETRY_AFTER`]; a longer one is not waited for.

use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const FIRST_DELAY: Duration = Duration::from_millis(500);
const LONGEST_DELAY: Duration = Duration::from_secs(8);

/// The exponential schedule, from the backon crate; jitter is applied below so it never exceeds the cap.
pub(crate) fn schedule(max_retries: u32) -> impl Iterator<Item = Duration> {
    ExponentialBuilder::new()
        .with_min_delay(FIRST_DELAY)
        .with_factor(2.0)
        .with_max_delay(LONGEST_DELAY)
        .with_max_times(max_retries as usize)
        .build()
        .map(|delay| delay.mul_f64(1.0 - 0.25 * rand::random::<f64>()))
}

pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::PUT | Method::DELETE | Method::HEAD | Method::OPTIONS)
}

pub(crate) fn status_is_retryable(method: &Method, status: StatusCode) -> bool {
    if status == StatusCode::TOO_MANY_REQUESTS {
        return true;
    }
    is_idempotent(method)
        && (status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::CONFLICT || status.is_server_error())
}

pub(crate) fn error_is_retryable(method: &Method, error: &reqwest::Error) -> bool {
    if error.is_connect() {
        return true; // no byte reached the server
    }
    is_idempotent(method) && (error.is_timeout() || error.is_request() || error.is_body())
}

/// `Retry-After` (seconds or an HTTP date) or `retry-after-ms`, as a duration from now.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    if let Some(ms) =
        headers.get("retry-after-ms").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<f64>().ok())
    {
        return (ms.is_finite() && ms >= 0.0).then(|| Duration::from_secs_f64(ms / 1000.0));
    }
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_doubles_from_half_a_second_and_stops_at_eight() {
        let delays: Vec<Duration> = schedule(6).collect();
        assert_eq!(delays.len(), 6);
        for (delay, nominal) in delays.iter().zip([0.5, 1.0, 2.0, 4.0, 8.0, 8.0]) {
            let secs = delay.as_secs_f64();
            assert!(secs <= nominal && secs >= nominal * 0.75, "{secs} vs {nominal}");
        }
    }

    #[test]
    fn post_is_retried_only_on_429() {
        assert!(status_is_retryable(&Method::POST, StatusCode::TOO_MANY_REQUESTS));
        assert!(!status_is_retryable(&Method::POST, StatusCode::INTERNAL_SERVER_ERROR));
        assert!(!status_is_retryable(&Method::PATCH, StatusCode::SERVICE_UNAVAILABLE));
        assert!(status_is_retryable(&Method::GET, StatusCode::SERVICE_UNAVAILABLE));
        assert!(status_is_retryable(&Method::PUT, StatusCode::CONFLICT));
        assert!(!status_is_retryable(&Method::GET, StatusCode::NOT_FOUND));
    }

    #[test]
    fn retry_after_reads_seconds_dates_and_milliseconds() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        headers.insert("retry-after", later.parse().unwrap());
        let parsed = retry_after(&headers).unwrap();
        assert!(parsed > Duration::from_secs(100) && parsed <= Duration::from_secs(120), "{parsed:?}");
        headers.insert("retry-after-ms", "250".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(250)));
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }
}
