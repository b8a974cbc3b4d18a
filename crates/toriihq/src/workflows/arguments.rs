//! A workflow's arguments, checked against its table row before anything runs: every one known, required ones
//! present, each of its type. Values are borrowed from the caller's JSON (a 200,000-user list is not copied).

use std::collections::BTreeMap;
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use super::sync::SyncData;
use super::table::{ParamType, WorkflowSpec};
use crate::{Error, FilePart, Result};

pub(crate) struct Arguments<'a> {
    values: BTreeMap<&'static str, &'a Value>,
    files: BTreeMap<&'static str, FilePart>,
}

impl<'a> Arguments<'a> {
    pub(crate) fn check(spec: &WorkflowSpec, params: &'a Value, files: Vec<(String, FilePart)>) -> Result<Self> {
        let given = match params {
            Value::Null => None,
            Value::Object(map) => Some(map),
            _ => return Err(Error::invalid_type("params", "must be an object")),
        };
        let param_named = |key: &str| {
            let name = crate::options::to_snake(key);
            spec.params.iter().find(|p| p.name == name).ok_or_else(|| {
                let known: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
                Error::invalid_type(
                    key,
                    format!("is not an argument of `{}` (it takes: {})", spec.name, known.join(", ")),
                )
            })
        };
        let mut arguments = Arguments { values: BTreeMap::new(), files: BTreeMap::new() };
        for (key, file) in files {
            let param = param_named(&key)?;
            if param.ty != ParamType::File {
                return Err(Error::invalid_type(param.name, "is not a file argument"));
            }
            arguments.files.insert(param.name, file);
        }
        for (key, value) in given.into_iter().flatten() {
            let param = param_named(key)?;
            let fits = match (param.ty, value) {
                (_, Value::Null) => continue,
                (ParamType::Text, Value::String(_)) | (ParamType::File, Value::String(_)) => true,
                (ParamType::Integer, Value::Number(n)) => n.is_i64(),
                (ParamType::Seconds, Value::Number(n)) => n.as_f64().is_some_and(|s| s.is_finite() && s >= 0.0),
                (ParamType::ListOf(_), Value::Array(_)) => true,
                _ => false,
            };
            if !fits {
                let expected = match param.ty {
                    ParamType::Text => "a string",
                    ParamType::Integer => "an integer",
                    ParamType::Seconds => "a number of seconds, 0 or more",
                    ParamType::File => "a path or bytes",
                    ParamType::ListOf(_) => "a list",
                };
                let wrong_type = !matches!((param.ty, value), (ParamType::Seconds, Value::Number(_)));
                let problem = format!("must be {expected}, not {value}");
                return Err(Error::InvalidArgument { name: param.name.to_string(), problem, wrong_type });
            }
            arguments.values.insert(param.name, value);
        }
        let present = |name: &str| arguments.values.contains_key(name) || arguments.files.contains_key(name);
        if let Some(missing) = spec.params.iter().find(|p| p.required && !present(p.name)) {
            return Err(Error::invalid_argument(missing.name, "is required"));
        }
        Ok(arguments)
    }

    pub(crate) fn value(&self, name: &str) -> &Value {
        self.values.get(name).copied().unwrap_or(&Value::Null)
    }

    pub(crate) fn text_or_none(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.as_str())
    }

    /// A required text argument (checked present by [`Arguments::check`]).
    pub(crate) fn text(&self, name: &str) -> &str {
        self.text_or_none(name).unwrap_or_default()
    }

    pub(crate) fn integer(&self, name: &str) -> i64 {
        self.value(name).as_i64().unwrap_or_default()
    }

    pub(crate) fn seconds(&self, name: &str) -> Option<Duration> {
        self.value(name).as_f64().map(Duration::from_secs_f64)
    }

    /// A file argument: bytes given beside the JSON, or a path inside it.
    pub(crate) fn file(&self, name: &str) -> Result<FilePart> {
        if let Some(file) = self.files.get(name) {
            return Ok(file.clone());
        }
        match self.text_or_none(name) {
            Some(path) => Ok(FilePart::path(path)),
            None => Err(Error::invalid_argument(name, "is required")),
        }
    }

    /// The custom-integration data: `file`, or `users` (and `licenses`) — one of the two.
    pub(crate) fn sync_data(&self) -> Result<SyncData> {
        let has_file = self.files.contains_key("file") || self.values.contains_key("file");
        match (has_file, self.values.get("users")) {
            (true, None) => Ok(SyncData::File(self.file("file")?)),
            (false, Some(users)) => {
                #[derive(Serialize)]
                struct Document<'v> {
                    users: &'v Value,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    licenses: Option<&'v Value>,
                }
                let document = Document { users, licenses: self.values.get("licenses").copied() };
                let json = serde_json::to_vec(&document).map_err(|e| Error::invalid_type("users", e.to_string()))?;
                Ok(SyncData::File(FilePart::bytes("custom-integration.json", Bytes::from(json))))
            }
            (true, Some(_)) => Err(Error::invalid_argument("file", "give a file or users, not both")),
            (false, None) => Err(Error::invalid_argument("users", "give a file, or users (and licenses)")),
        }
    }
}
