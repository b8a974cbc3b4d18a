//! A custom-integration sync in one call: validate the file (every problem, before any byte is sent) → upload it
//! (either way, type `customIntegrationData`) → `PUT /services/sync/custom {idFile, idAppAccount}`. A 409 (a
//! sync is running; one runs at a time) is [`Error::SyncInProgress`], or, with a wait, retried with backoff until
//! the caller's deadline.

use std::time::{Duration, Instant};

use bytes::Bytes;
use serde::Serialize;
use serde_json::{Value, json};

use super::upload::{Upload, upload};
use crate::custom_integration::{CustomIntegrationFile, Problem, Report};
use crate::options::CallOptions;
use crate::{Client, Error, FilePart, Result};

const FILE_TYPE: &str = "customIntegrationData";
const FIRST_WAIT: Duration = Duration::from_secs(1);
const LONGEST_WAIT: Duration = Duration::from_secs(30);

/// The users and licences to sync: a file on disk (streamed, never loaded whole), JSON bytes, or typed.
#[derive(Debug, Clone)]
pub enum SyncData {
    File(FilePart),
    Typed(CustomIntegrationFile),
}

impl From<CustomIntegrationFile> for SyncData {
    fn from(file: CustomIntegrationFile) -> Self {
        SyncData::Typed(file)
    }
}

impl From<FilePart> for SyncData {
    fn from(file: FilePart) -> Self {
        SyncData::File(file)
    }
}

impl From<std::path::PathBuf> for SyncData {
    fn from(path: std::path::PathBuf) -> Self {
        SyncData::File(FilePart::Path(path))
    }
}

impl From<&std::path::Path> for SyncData {
    fn from(path: &std::path::Path) -> Self {
        SyncData::File(FilePart::path(path))
    }
}

/// What a sync did: Torii's answer, the file it read, and what the validator warned of.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncOutcome {
    pub success: bool,
    pub id_file: i64,
    pub warnings: Vec<Problem>,
}

/// Checks the data without sending anything.
pub(crate) async fn check(data: &SyncData) -> Result<Report> {
    let source = match data {
        SyncData::Typed(file) => FilePart::bytes("custom-integration.json", file.to_json()),
        SyncData::File(file) => file.clone(),
    };
    match source {
        FilePart::Bytes { bytes, .. } => {
            tokio::task::spawn_blocking(move || crate::custom_integration::validate(&bytes))
                .await
                .map_err(|e| Error::Internal(format!("the validator stopped: {e}")))
        }
        FilePart::Path(path) => crate::custom_integration::validate_file(&path).await,
    }
}

pub(crate) async fn sync(
    client: &Client,
    id_app_account: i64,
    data: SyncData,
    wait: Option<Duration>,
    options: &CallOptions,
) -> Result<SyncOutcome> {
    let started = Instant::now();
    let report = check(&data).await?;
    if !report.is_valid() {
        return Err(Error::InvalidFile { problems: report.errors });
    }
    let source = match data {
        SyncData::Typed(file) => FilePart::bytes("custom-integration.json", Bytes::from(file.to_json())),
        SyncData::File(FilePart::Bytes { file_name, bytes }) if file_name == "upload" => {
            FilePart::bytes("custom-integration.json", bytes)
        }
        SyncData::File(file) => file,
    };
    let job = Upload { content_type: Some("application/json".into()), ..Upload::new(source, FILE_TYPE) };
    let uploaded = upload(client, job, options).await?;
    let id_file = uploaded.get("id").and_then(Value::as_i64).ok_or_else(|| Error::Decode {
        what: "the upload's answer has no integer id".into(),
        location: "`id`".into(),
    })?;
    let params = json!({"body": {"idFile": id_file, "idAppAccount": id_app_account}});
    let deadline = wait.map(|wait| started + wait);
    let mut pause = FIRST_WAIT;
    loop {
        match super::call(client, "syncCustomIntegration", &params, options).await {
            Ok(answer) => {
                let success = answer.get("success").and_then(Value::as_bool).unwrap_or(false);
                return Ok(SyncOutcome { success, id_file, warnings: report.warnings });
            }
            Err(Error::Conflict(response)) => match deadline.and_then(|d| d.checked_duration_since(Instant::now())) {
                Some(left) if !left.is_zero() => {
                    tokio::time::sleep(pause.min(left)).await;
                    pause = (pause * 2).min(LONGEST_WAIT);
                }
                _ => return Err(Error::SyncInProgress(response)),
            },
            Err(other) => return Err(other),
        }
    }
}
