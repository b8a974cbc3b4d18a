//! What a bulk job runs and how: the operation, the concurrency, the pace, the journal, each call's options.

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::options::CallOptions;
use crate::{Error, Rate, Result};

/// What a job runs and how.
#[derive(Debug, Clone)]
pub struct BulkJob {
    /// An operation (`updateUser`, `update_user`) or a workflow (`offboard_user`).
    pub operation: String,
    /// Items in flight at once (1 to [`MAX_CONCURRENCY`]; default [`DEFAULT_CONCURRENCY`]).
    pub concurrency: usize,
    /// The pace; by default each operation's limit in the spec (none for one that states none).
    pub rate: Option<Rate>,
    /// Where the job records what it sent and how each item ended; run again with it to resume.
    pub journal: Option<PathBuf>,
    /// How many inputs there are, when known: progress gives an estimate of the time left.
    pub total: Option<u64>,
    /// Each call's options (its deadline, retries, headers).
    pub options: CallOptions,
}

pub const DEFAULT_CONCURRENCY: usize = 4;
pub const MAX_CONCURRENCY: usize = 256;

impl BulkJob {
    pub fn new(operation: impl Into<String>) -> BulkJob {
        BulkJob {
            operation: operation.into(),
            concurrency: DEFAULT_CONCURRENCY,
            rate: None,
            journal: None,
            total: None,
            options: CallOptions::default(),
        }
    }

    /// A job from JSON settings, keys in snake or camel case: `concurrency`, `rate` (`"200/min"`), `journal` (a
    /// path), `total`, and a call's options (`timeout`, `max_retries`, `extra_headers`). What the bindings pass.
    pub fn from_json(operation: &str, settings: &Value) -> Result<BulkJob> {
        let mut job = BulkJob::new(operation);
        let mut call = Map::new();
        let empty = Map::new();
        let entries = match settings {
            Value::Object(entries) => entries,
            Value::Null => &empty,
            _ => return Err(Error::invalid_type("options", "must be an object")),
        };
        for (key, value) in entries.iter().filter(|(_, value)| !value.is_null()) {
            match key.as_str() {
                "concurrency" => {
                    let count = value.as_u64().ok_or_else(|| Error::invalid_type(key, "must be a whole number"))?;
                    job.concurrency = usize::try_from(count).unwrap_or(usize::MAX);
                }
                "rate" => {
                    let text = value.as_str().ok_or_else(|| Error::invalid_type(key, "must be text: 200/min"))?;
                    job.rate = Some(Rate::parse(text)?);
                }
                "journal" => {
                    let path = value.as_str().ok_or_else(|| Error::invalid_type(key, "must be a path"))?;
                    job.journal = Some(PathBuf::from(path));
                }
                "total" => job.total = Some(value.as_u64().ok_or_else(|| Error::invalid_type(key, "must be a count"))?),
                _ => {
                    call.insert(key.clone(), value.clone());
                }
            }
        }
        job.options = CallOptions::from_json(&Value::Object(call))?;
        Ok(job)
    }
}
