//! Client and call options given as JSON (what the Python and Node packages pass), checked once, here, by the
//! rows of [`table::OPTIONS`]. A key may be spelled in snake or camel case (`max_retries`, `maxRetries`); a
//! duration in seconds (`timeout`) or milliseconds (`timeoutMs`). Errors name the key as the caller spelled it
//! and never repeat a secret's value.

pub use toriihq_spec::sdk::options as table;

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Map, Value};

use crate::{ClientBuilder, Error, Result};
pub use table::Settings;
use table::{OPTIONS, OptionSpec, OptionType, OptionValue};

/// The settings of a client, as a caller gave them; anything left out keeps the builder's default.
#[derive(Default)]
pub struct ClientOptions {
    settings: Settings,
}

/// What a single call changes: a deadline over the whole call, its retries, headers over the client's, and who
/// hears of an upload's progress.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub timeout: Option<Duration>,
    pub max_retries: Option<u32>,
    pub extra_headers: Vec<(HeaderName, HeaderValue)>,
    /// Told `(bytes sent, bytes in all)` as an upload goes; set in code, not from JSON.
    pub progress: Option<Progress>,
    /// Pace this call's requests, whatever the client does (a bulk job does); set in code, not from JSON.
    pub pace: Option<Pace>,
}

/// The rate a call's requests are paced to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Each operation at the limit the spec states for it (none for one that states none).
    Spec,
    /// Each operation at this rate.
    Rate(crate::pacing::Rate),
}

/// A callback told `(bytes sent, total bytes)` while a file uploads (from 0 again if a send is retried).
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>);

impl Progress {
    pub fn new(callback: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        Progress(std::sync::Arc::new(callback))
    }

    pub(crate) fn report(&self, sent: u64, total: u64) {
        (self.0)(sent, total)
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(<callback>)")
    }
}

impl CallOptions {
    pub fn is_empty(&self) -> bool {
        self.timeout.is_none() && self.max_retries.is_none() && self.extra_headers.is_empty() && self.pace.is_none()
    }

    /// A call's options: `null` or an object with the per-call rows of the table.
    pub fn from_json(options: &Value) -> Result<Self> {
        let Settings { timeout, max_retries, extra_headers, .. } = settings(parse(options, "options", true)?)?;
        let max_retries = max_retries
            .map(|retries| u32::try_from(retries).map_err(|_| Error::invalid_argument("max_retries", "is too large")))
            .transpose()?;
        Ok(CallOptions {
            timeout,
            max_retries,
            extra_headers: extra_headers.unwrap_or_default(),
            progress: None,
            pace: None,
        })
    }
}

impl ClientOptions {
    /// A client's options: `null` or an object with rows of the table.
    pub fn from_json(options: &Value) -> Result<Self> {
        Ok(ClientOptions { settings: settings(parse(options, "options", false)?)? })
    }

    /// The builder these options describe.
    pub fn builder(self) -> ClientBuilder {
        ClientBuilder::from_settings(self.settings)
    }
}

/// Parsed options in the typed settings; `parse` gave each the value of its row's type.
fn settings(parsed: Vec<(&'static OptionSpec, OptionValue)>) -> Result<Settings> {
    let mut settings = Settings::default();
    for (spec, value) in parsed {
        settings
            .set(spec.name, value)
            .map_err(|_| Error::invalid_argument(spec.name, "has a value of another type"))?;
    }
    Ok(settings)
}

/// A client's options (JSON, as `ClientOptions::from_json` reads them) with `changes` over them: what a client's
/// `with_options` copy is built from. Both are checked; each key of `changes` replaces the one of `options`
/// however either was spelled (`timeoutMs` replaces `timeout`), and extra headers are merged by name.
pub fn merge_json(options: &Value, changes: &Value) -> Result<Value> {
    let mut merged = parse(options, "options", false)?;
    for (spec, change) in parse(changes, "options", false)? {
        match (merged.iter_mut().find(|(seen, _)| seen.name == spec.name), change) {
            (Some((_, OptionValue::Headers(headers))), OptionValue::Headers(more)) => {
                headers.retain(|(name, _)| !more.iter().any(|(new, _)| new == name));
                headers.extend(more);
            }
            (Some((_, value)), change) => *value = change,
            (None, change) => merged.push((spec, change)),
        }
    }
    Ok(Value::Object(merged.into_iter().map(|(spec, value)| to_json(spec, value)).collect()))
}

/// A parsed option as JSON that parses back to it (a duration in whole milliseconds, under `<name>_ms`).
fn to_json(spec: &OptionSpec, value: OptionValue) -> (String, Value) {
    match value {
        OptionValue::Text(text) => (spec.name.into(), Value::String(text)),
        OptionValue::Duration(duration) => {
            (format!("{}_ms", spec.name), Value::from(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)))
        }
        OptionValue::Count(count) => (spec.name.into(), Value::from(count)),
        OptionValue::Flag(flag) => (spec.name.into(), Value::Bool(flag)),
        OptionValue::Headers(headers) => {
            let headers = headers
                .into_iter()
                .map(|(name, value)| (name.to_string(), Value::String(value.to_str().unwrap_or_default().into())));
            (spec.name.into(), Value::Object(headers.collect()))
        }
    }
}

/// The row a caller's key names, and whether it gave milliseconds.
fn row(key: &str) -> Option<(&'static OptionSpec, bool)> {
    let snake = to_snake(key);
    if let Some(spec) = OPTIONS.iter().find(|spec| spec.name == snake) {
        return Some((spec, false));
    }
    let seconds = snake.strip_suffix("_ms")?;
    OPTIONS.iter().find(|spec| spec.name == seconds && spec.ty == OptionType::Duration).map(|spec| (spec, true))
}

pub(crate) fn to_snake(key: &str) -> String {
    let mut snake = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            snake.push('_');
            snake.push(c.to_ascii_lowercase());
        } else {
            snake.push(c);
        }
    }
    snake
}

fn parse(options: &Value, what: &str, per_call: bool) -> Result<Vec<(&'static OptionSpec, OptionValue)>> {
    let empty = Map::new();
    let options = match options {
        Value::Null => &empty,
        Value::Object(map) => map,
        _ => return Err(Error::invalid_type(what, "must be an object of options")),
    };
    let mut parsed: Vec<(&'static OptionSpec, OptionValue)> = Vec::new();
    for (key, value) in options {
        let Some((spec, millis)) = row(key) else {
            let known: Vec<&str> = OPTIONS.iter().filter(|s| s.per_call || !per_call).map(|s| s.name).collect();
            // Like a keyword a function does not take: a type error.
            return Err(Error::invalid_type(key, format!("is not an option; the options are {}", known.join(", "))));
        };
        if per_call && !spec.per_call {
            return Err(Error::invalid_argument(key, "can only be set on the client, not on a single call"));
        }
        if value.is_null() {
            continue;
        }
        if parsed.iter().any(|(seen, _)| seen.name == spec.name) {
            return Err(Error::invalid_argument(key, format!("`{}` is given twice", spec.name)));
        }
        parsed.push((spec, value_of(spec, key, value, millis)?));
    }
    Ok(parsed)
}

fn value_of(spec: &OptionSpec, key: &str, value: &Value, millis: bool) -> Result<OptionValue> {
    match spec.ty {
        OptionType::Secret | OptionType::Text => match value {
            Value::String(text) => Ok(OptionValue::Text(text.clone())),
            // A secret's value is never repeated, whatever it is.
            _ => Err(Error::invalid_type(key, "must be a string")),
        },
        OptionType::Choice(words) => match value {
            Value::String(text) if words.contains(&text.trim().to_ascii_lowercase().as_str()) => {
                Ok(OptionValue::Text(text.trim().to_ascii_lowercase()))
            }
            Value::String(_) => Err(Error::invalid_argument(key, format!("must be one of {}", words.join(", ")))),
            _ => Err(Error::invalid_type(key, format!("must be one of {}", words.join(", ")))),
        },
        OptionType::Flag => {
            value.as_bool().map(OptionValue::Flag).ok_or_else(|| Error::invalid_type(key, "must be true or false"))
        }
        OptionType::Count => {
            let count = value.as_u64().filter(|_| !value.is_boolean());
            match (count, value.as_f64()) {
                (Some(n), _) => u32::try_from(n)
                    .map(|n| OptionValue::Count(u64::from(n)))
                    .map_err(|_| Error::invalid_argument(key, format!("{n} is too large"))),
                (None, Some(_)) => Err(Error::invalid_argument(key, "must be a whole number, 0 or more")),
                (None, None) => Err(Error::invalid_type(key, "must be a whole number, 0 or more")),
            }
        }
        OptionType::Duration => {
            let unit = if millis { "milliseconds" } else { "seconds" };
            let Some(amount) = value.as_f64() else {
                return Err(Error::invalid_type(key, format!("must be a number of {unit}")));
            };
            let seconds = if millis { amount / 1000.0 } else { amount };
            Duration::try_from_secs_f64(seconds)
                .ok()
                .filter(|d| !d.is_zero())
                .map(OptionValue::Duration)
                .ok_or_else(|| Error::invalid_argument(key, format!("must be a positive number of {unit}")))
        }
        OptionType::Headers => {
            let Some(map) = value.as_object() else {
                return Err(Error::invalid_type(key, "must be an object of header names to strings"));
            };
            let mut headers = Vec::with_capacity(map.len());
            for (name, text) in map {
                let at = format!("{key}.{name}");
                let header = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| Error::invalid_argument(&at, "is not a header name"))?;
                if header == reqwest::header::AUTHORIZATION || header == reqwest::header::HOST {
                    return Err(Error::invalid_argument(&at, "is set by the client and cannot be replaced"));
                }
                let Value::String(text) = text else {
                    return Err(Error::invalid_type(&at, "must be a string"));
                };
                let value =
                    HeaderValue::from_str(text).map_err(|_| Error::invalid_argument(&at, "is not a header value"))?;
                headers.push((header, value));
            }
            Ok(OptionValue::Headers(headers))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn argument(error: Error) -> (String, String, bool) {
        match error {
            Error::InvalidArgument { name, problem, wrong_type } => (name, problem, wrong_type),
            other => panic!("not an argument error: {other:?}"),
        }
    }

    #[test]
    fn keys_may_be_snake_or_camel_and_durations_seconds_or_milliseconds() {
        let call = CallOptions::from_json(&json!({"maxRetries": 0, "timeoutMs": 1500})).unwrap();
        assert_eq!((call.max_retries, call.timeout), (Some(0), Some(Duration::from_millis(1500))));
        let call = CallOptions::from_json(&json!({"max_retries": 3, "timeout": 2.5, "extra_headers": {"x-a": "1"}}));
        let call = call.unwrap();
        assert_eq!((call.max_retries, call.timeout), (Some(3), Some(Duration::from_millis(2500))));
        assert_eq!(call.extra_headers[0].0.as_str(), "x-a");
        assert!(CallOptions::from_json(&Value::Null).unwrap().is_empty());
    }

    #[test]
    fn changes_replace_options_however_spelled_and_headers_merge_by_name() {
        let base = json!({"api_key": "k", "timeout": 2.5, "maxRetries": 4, "extraHeaders": {"X-A": "1", "x-b": "2"}});
        let changes = json!({"timeoutMs": 500, "extra_headers": {"x-b": "3", "x-c": "4"}, "max_retries": null});
        let merged = merge_json(&base, &changes).unwrap();
        assert_eq!(
            merged,
            json!({"api_key": "k", "timeout_ms": 500, "max_retries": 4, "extra_headers": {"x-a": "1", "x-b": "3", "x-c": "4"}})
        );
        let again = merge_json(&merged, &Value::Null).unwrap();
        assert_eq!(again, merged, "the merged options read back as themselves");
        let (name, _, wrong_type) = argument(merge_json(&base, &json!({"timeout": "soon"})).unwrap_err());
        assert_eq!((name.as_str(), wrong_type), ("timeout", true));
    }

    #[test]
    fn bad_options_name_the_key_as_given_and_never_echo_a_secret() {
        let cases = [
            (json!({"timeoutMs": 0}), "timeoutMs", false),
            (json!({"timeout": "soon"}), "timeout", true),
            (json!({"max_retries": -1}), "max_retries", false),
            (json!({"maxRetries": true}), "maxRetries", true),
            (json!({"maxRetries": 1.5}), "maxRetries", false),
            (json!({"apiKey": 42}), "apiKey", true),
            (json!({"max_retry": 1}), "max_retry", true),
            (json!({"timeout": 1, "timeoutMs": 1000}), "timeoutMs", false),
            (json!({"extraHeaders": {"authorization": "Bearer x"}}), "extraHeaders.authorization", false),
            (json!({"extraHeaders": {"x-n": 1}}), "extraHeaders.x-n", true),
            (json!({"logLevel": "loud"}), "logLevel", false),
            (json!({"log_level": 2}), "log_level", true),
        ];
        for (options, key, wrong_type) in cases {
            let (name, problem, is_type) = argument(ClientOptions::from_json(&options).err().unwrap());
            assert_eq!((name.as_str(), is_type), (key, wrong_type), "{options}: {problem}");
        }
        let (name, problem, _) = argument(CallOptions::from_json(&json!({"api_key": "sk-secret"})).unwrap_err());
        assert_eq!(name, "api_key");
        assert!(!problem.contains("sk-secret"), "{problem}");
        assert!(ClientOptions::from_json(&json!(["x"])).is_err());
    }

    #[test]
    fn every_row_of_the_table_reaches_the_builder() {
        let options = json!({
            "api_key": "k", "base_url": "http://127.0.0.1:9", "api_version": "1.1", "timeout": 5,
            "connect_timeout": 1, "max_retries": 4, "extra_headers": {"x-team": "it"}, "allow_insecure_http": true,
            "max_response_bytes": 12345, "log_level": "Debug", "proxy": "http://u:secret@proxy:3128",
            "ca_bundle": "/etc/corp-ca.pem", "pace_to_rate_limits": true, "strict": "error",
            "strict_report": "drift.ndjson",
        });
        assert_eq!(options.as_object().unwrap().len(), OPTIONS.len(), "a row of the table is missing here");
        let read = ClientOptions::from_json(&options).unwrap();
        assert_eq!(read.settings.values().len(), OPTIONS.len(), "a row of the table was not set");
        let debug = format!("{:?}", read.builder());
        for needle in [
            "<redacted>",
            "127.0.0.1:9",
            "1.1",
            "5s",
            "1s",
            "max_retries: 4",
            "x-team",
            "true",
            "12345",
            "log_level: \"debug\"",
            "strict: \"error\"",
            "drift.ndjson",
        ] {
            assert!(debug.contains(needle), "{needle} did not reach the builder: {debug}");
        }
        assert!(!debug.contains("\"k\"") && !debug.contains("secret"), "{debug}");
    }
}
