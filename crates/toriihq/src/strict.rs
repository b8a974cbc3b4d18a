//! Strict mode: every 2xx answer from the API checked against its operation's response schema, for every
//! language, because the spec is a snapshot of a third party's description and Torii changes under it. What
//! differs (a missing required key, an undeclared key outside the custom-field objects, a wrong type, a value
//! outside an enum) is reported with the operation and the JSON path — as a warning line (`warn`) or as
//! [`crate::Error::SpecDrift`] (`error`) — and, when asked, appended to a report file that `cargo xtask drift`
//! turns into a draft of overlay actions. Off by default: the check parses each answer once more.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde_json::Value;
pub use toriihq_spec::drift::{Difference, DifferenceKind, DriftReport};
use toriihq_spec::schema::Schemas;

pub const STRICT_ENV: &str = "TORII_STRICT";
pub const STRICT_REPORT_ENV: &str = "TORII_STRICT_REPORT";

/// What strict mode does with an answer that differs from the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Strictness {
    /// No check (the default).
    #[default]
    Off,
    /// A warning line on the client's log; the answer is used as it came.
    Warn,
    /// The call fails with [`crate::Error::SpecDrift`].
    Error,
}

impl Strictness {
    pub fn parse(text: &str) -> Option<Strictness> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "off" => Some(Strictness::Off),
            "warn" => Some(Strictness::Warn),
            "error" => Some(Strictness::Error),
            _ => None,
        }
    }

    /// The option's word for the mode.
    pub fn as_str(self) -> &'static str {
        match self {
            Strictness::Off => "off",
            Strictness::Warn => "warn",
            Strictness::Error => "error",
        }
    }

    /// `TORII_STRICT`, when it names a mode.
    pub fn from_env() -> Option<Strictness> {
        std::env::var(STRICT_ENV).ok().and_then(|text| Strictness::parse(&text))
    }
}

/// A client's strict mode: what it does, and the file it appends reports to.
#[derive(Clone, Debug, Default)]
pub(crate) struct Strict {
    pub(crate) mode: Strictness,
    pub(crate) report_file: Option<PathBuf>,
}

impl Strict {
    pub(crate) fn is_on(&self) -> bool {
        self.mode != Strictness::Off
    }

    /// Appends `report` as one JSON line. A file that cannot be written costs a warning, never the call.
    pub(crate) fn record(&self, report: &DriftReport) -> Result<(), String> {
        let Some(path) = &self.report_file else { return Ok(()) };
        // One line per report, whole, even from many threads.
        static WRITING: Mutex<()> = Mutex::new(());
        let _one_at_a_time = WRITING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        append(path, report).map_err(|e| format!("cannot append the strict-mode report to {}: {e}", path.display()))
    }
}

fn append(path: &Path, report: &DriftReport) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(report)?;
    line.push(b'\n');
    std::fs::OpenOptions::new().create(true).append(true).open(path)?.write_all(&line)
}

const RESPONSES: &str = include_str!("../generated/responses.json");

fn responses() -> &'static Value {
    static PARSED: OnceLock<Value> = OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(RESPONSES).unwrap_or(Value::Null))
}

/// Where the schema of `operation`'s answers with `status` is (a JSON pointer), when the spec gives them a JSON
/// schema. A 2xx the spec does not list is held to the one it does.
pub fn schema_of(operation: &str, status: u16) -> Option<&'static str> {
    let schemas = responses().get("operations")?.get(operation)?.get("responses")?.as_object()?;
    schemas.get(&status.to_string()).or_else(|| schemas.values().next())?.as_str()
}

/// How an answer of `operation` (its operationId) with `status` differs from its schema: `None` when it conforms,
/// when it is not JSON (the decoder reports that), or when the spec gives it no JSON schema.
pub fn check(operation: &str, status: u16, body: &[u8]) -> Option<DriftReport> {
    let doc = responses();
    let entry = doc.get("operations")?.get(operation)?;
    let pointer = schema_of(operation, status)?;
    let value: Value = serde_json::from_slice(body).ok()?;
    let (differences, omitted) = toriihq_spec::drift::differences(Schemas::new(doc), &value, pointer);
    if differences.is_empty() && omitted == 0 {
        return None;
    }
    let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
    Some(DriftReport {
        operation: operation.to_string(),
        method: text("method"),
        route: text("route"),
        status,
        differences,
        omitted,
    })
}

/// What a body stream fails with in `error` mode; [`crate::Error::from_transport`] finds it.
#[derive(Debug)]
pub(crate) struct DriftFound(pub(crate) Box<DriftReport>);

impl std::fmt::Display for DriftFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for DriftFound {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_schemas_take_a_conforming_answer_and_name_what_differs() {
        let page = br#"{"apps": [{"id": "one", "name": "Slack", "customField": 1}], "count": 1, "unexpected": true}"#;
        let report = check("getApps", 200, page).expect("a wrong type and an undeclared key differ");
        assert_eq!((report.method.as_str(), report.route.as_str()), ("GET", "/apps"));
        let found: Vec<(DifferenceKind, &str)> = report.differences.iter().map(|d| (d.kind, d.path.as_str())).collect();
        // An app keeps undeclared keys (custom fields, facts §2.2); the page does not.
        assert_eq!(
            found,
            vec![(DifferenceKind::WrongType, "$.apps[*].id"), (DifferenceKind::Undeclared, "$.unexpected")]
        );
        assert_eq!(check("getApps", 200, br#"{"apps": [{"id": 1, "name": "Slack"}], "count": 1}"#), None);
        assert_eq!(check("getApps", 200, b"not json"), None);
        assert_eq!(check("noSuchOperation", 200, b"{}"), None);
        // A file's bytes have no JSON schema: strict mode leaves such an answer unread.
        assert_eq!(schema_of("downloadFile", 200), None);
        assert_eq!(schema_of("getApps", 201), schema_of("getApps", 200));
    }

    #[test]
    fn modes_parse_and_the_report_file_gets_one_line_per_report() {
        assert_eq!(Strictness::parse(" Warn "), Some(Strictness::Warn));
        assert_eq!(Strictness::parse("error"), Some(Strictness::Error));
        assert_eq!(Strictness::parse("loud"), None);
        let dir = std::env::temp_dir().join(format!("toriihq-strict-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("drift.ndjson");
        let strict = Strict { mode: Strictness::Warn, report_file: Some(file.clone()) };
        let report = check("getApps", 200, br#"{"apps": 3}"#).unwrap();
        strict.record(&report).unwrap();
        strict.record(&report).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<DriftReport> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines, vec![report.clone(), report]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
