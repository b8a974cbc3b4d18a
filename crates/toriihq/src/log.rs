//! One line per attempt, written here for every language: method, the operation's path template (never a query
//! value or a body, which carry emails), status or failure, attempt number, time taken and the wait before the
//! next attempt; at `debug` also the headers sent (secrets masked) and body sizes. The level comes from the
//! `log_level` option, else `TORII_LOG`; the lines go to the client's [`Logger`] (Python's `logging`, Node's
//! `logger`), or to `tracing` (target `toriihq`) when it has none.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;

pub const LOG_ENV: &str = "TORII_LOG";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum LogLevel {
    #[default]
    Off,
    /// The level of strict mode's reports (`warning` in Python's `logging`), which are written whatever the
    /// client's level: asking for strict mode is asking for them. Not a level a client is set to.
    Warn,
    Info,
    Debug,
}

impl LogLevel {
    pub fn parse(text: &str) -> Option<LogLevel> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "off" | "none" => Some(LogLevel::Off),
            "info" => Some(LogLevel::Info),
            "debug" => Some(LogLevel::Debug),
            _ => None,
        }
    }

    /// `TORII_LOG`, when it names a level.
    pub fn from_env() -> Option<LogLevel> {
        std::env::var(LOG_ENV).ok().and_then(|text| LogLevel::parse(&text))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Off => "off",
            LogLevel::Warn => "warning",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
        }
    }
}

/// What a [`Logger`] calls with each line.
pub type WriteLine = dyn Fn(LogLevel, &str) + Send + Sync;

/// Where a client's lines go: told the level and the line.
#[derive(Clone)]
pub struct Logger(pub Arc<WriteLine>);

impl Logger {
    pub fn new(write: impl Fn(LogLevel, &str) + Send + Sync + 'static) -> Self {
        Logger(Arc::new(write))
    }

    /// Each line to stderr as `<local time> toriihq <LEVEL> <line>`, the format Python's package writes with
    /// `TORII_LOG` set: what the command line uses.
    pub fn stderr() -> Self {
        Logger::new(|level, line| {
            let time = chrono::Local::now().format("%Y-%m-%d %H:%M:%S,%3f");
            let level = level.as_str().to_ascii_uppercase();
            eprintln!("{time} toriihq {level} {line}");
        })
    }
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Logger(<callback>)")
    }
}

/// A client's logging: its level and where the lines go.
#[derive(Clone, Debug, Default)]
pub(crate) struct Log {
    pub(crate) level: LogLevel,
    pub(crate) logger: Option<Logger>,
}

impl Log {
    pub(crate) fn enabled(&self, level: LogLevel) -> bool {
        level != LogLevel::Off
            && match &self.logger {
                Some(_) => level <= self.level,
                None => level <= self.level || tracing_enabled(level),
            }
    }

    /// A line of its own (pacing's waits), when `level` is enabled.
    pub(crate) fn line(&self, level: LogLevel, line: &str) {
        if self.enabled(level) {
            self.write(level, line);
        }
    }

    /// A warning, written whatever the level (see [`LogLevel::Warn`]).
    pub(crate) fn warn(&self, line: &str) {
        self.write(LogLevel::Warn, line);
    }

    fn write(&self, level: LogLevel, line: &str) {
        match &self.logger {
            Some(logger) => (logger.0)(level, line),
            None if level == LogLevel::Debug => tracing::debug!(target: "toriihq", "{line}"),
            None if level == LogLevel::Warn => tracing::warn!(target: "toriihq", "{line}"),
            None => tracing::info!(target: "toriihq", "{line}"),
        }
    }

    /// The line of one attempt.
    pub(crate) fn attempt(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>, wait: Option<Duration>) {
        if !self.enabled(LogLevel::Info) {
            return;
        }
        let result = match outcome {
            Outcome::Status(status) => status.to_string(),
            Outcome::Failed(problem) => format!("failed ({problem})"),
        };
        let mut line = format!(
            "{} {} → {result} in {} ms, attempt {} of {}",
            attempt.method,
            attempt.what,
            attempt.elapsed.as_millis(),
            attempt.number,
            attempt.of
        );
        if let Some(wait) = wait {
            line.push_str(&format!("; retrying in {:.2} s", wait.as_secs_f64()));
        }
        self.write(LogLevel::Info, &line);
        if !self.enabled(LogLevel::Debug) {
            return;
        }
        let mut details = format!("  sent: {}", masked(attempt.sent));
        if let Some(size) = attempt.body_bytes {
            details.push_str(&format!("; body {size} bytes"));
        }
        if let Outcome::Status(_) = outcome
            && let Some(received) = attempt.received
        {
            details.push_str(&format!("\n  received: {}", masked(received)));
        }
        self.write(LogLevel::Debug, &details);
    }
}

fn tracing_enabled(level: LogLevel) -> bool {
    match level {
        LogLevel::Off => false,
        LogLevel::Warn => tracing::enabled!(target: "toriihq", tracing::Level::WARN),
        LogLevel::Info => tracing::enabled!(target: "toriihq", tracing::Level::INFO),
        LogLevel::Debug => tracing::enabled!(target: "toriihq", tracing::Level::DEBUG),
    }
}

/// One attempt, as a line tells it.
pub(crate) struct Attempt<'a> {
    pub(crate) method: &'a reqwest::Method,
    /// The operation's path template and id (`/contracts/{idContract} (getContract)`), or the host of a request
    /// outside the API (a presigned upload's storage), whose path and query carry a signature.
    pub(crate) what: &'a str,
    pub(crate) number: u32,
    pub(crate) of: u32,
    pub(crate) elapsed: Duration,
    pub(crate) sent: &'a HeaderMap,
    pub(crate) body_bytes: Option<usize>,
    pub(crate) received: Option<&'a HeaderMap>,
}

pub(crate) enum Outcome<'a> {
    Status(reqwest::StatusCode),
    Failed(&'a str),
}

/// Headers as `name: value` pairs, a secret's value replaced by `****`: the key, cookies, and any header whose
/// name says it holds a key, token, secret or signature.
fn masked(headers: &HeaderMap) -> String {
    let pairs: Vec<String> =
        masked_pairs(headers).into_iter().map(|(name, value)| format!("{name}: {value}")).collect();
    pairs.join(", ")
}

/// Headers with a secret's value replaced by `****` (the scheme of `Authorization` kept: `Bearer ****`).
pub(crate) fn masked_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    let secret = |name: &str| {
        name == "authorization"
            || name.contains("cookie")
            || ["key", "token", "secret", "signature", "auth"].iter().any(|word| name.contains(word))
    };
    headers
        .iter()
        .map(|(name, value)| {
            let shown = if secret(name.as_str()) {
                match value.to_str().ok().and_then(|v| v.split_once(' ')) {
                    Some((scheme, _)) if name == reqwest::header::AUTHORIZATION => format!("{scheme} ****"),
                    _ => "****".into(),
                }
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name.as_str().to_string(), shown)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use reqwest::header::{HeaderName, HeaderValue};

    use super::*;

    type Lines = Arc<Mutex<Vec<(LogLevel, String)>>>;

    fn recorded(level: LogLevel) -> (Log, Lines) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let logger = Logger::new(move |level, line| sink.lock().unwrap().push((level, line.to_string())));
        (Log { level, logger: Some(logger) }, lines)
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(n, v)| (HeaderName::from_static(n), HeaderValue::from_static(v))).collect()
    }

    #[test]
    fn an_attempt_is_one_line_at_info_and_its_headers_masked_at_debug() {
        let sent = headers(&[("authorization", "Bearer sk-SECRET"), ("x-api-key", "SECRET2"), ("x-team", "it")]);
        let attempt = Attempt {
            method: &reqwest::Method::GET,
            what: "/contracts/{idContract} (getContract)",
            number: 1,
            of: 3,
            elapsed: Duration::from_millis(12),
            sent: &sent,
            body_bytes: None,
            received: None,
        };
        let (log, lines) = recorded(LogLevel::Info);
        log.attempt(
            &attempt,
            &Outcome::Status(reqwest::StatusCode::SERVICE_UNAVAILABLE),
            Some(Duration::from_millis(480)),
        );
        assert_eq!(
            lines.lock().unwrap().clone(),
            [(
                LogLevel::Info,
                "GET /contracts/{idContract} (getContract) → 503 Service Unavailable in 12 ms, attempt 1 of 3; retrying in 0.48 s"
                    .to_string()
            )]
        );
        let (log, lines) = recorded(LogLevel::Debug);
        log.attempt(&attempt, &Outcome::Failed("connection reset"), None);
        let lines = lines.lock().unwrap().clone();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].1.contains("failed (connection reset)"), "{lines:?}");
        assert_eq!(lines[1].1, "  sent: authorization: Bearer ****, x-api-key: ****, x-team: it");
        let (off, lines) = recorded(LogLevel::Off);
        off.attempt(&attempt, &Outcome::Failed("x"), None);
        assert!(lines.lock().unwrap().is_empty());
    }

    #[test]
    fn levels_read_as_words() {
        assert_eq!(
            ["info", " DEBUG ", "off", "", "loud"].map(LogLevel::parse),
            [Some(LogLevel::Info), Some(LogLevel::Debug), Some(LogLevel::Off), Some(LogLevel::Off), None]
        );
    }
}
