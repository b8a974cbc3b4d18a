//! Jobs of several calls, run in the core so every package gets the same behaviour: the rows of
//! [`table::WORKFLOWS`], each callable by name (`Client::call("offboard_user", …)`, what the Python and Node
//! methods do) and as a typed Rust method.

mod arguments;
mod download;
mod offboard;
mod scim;
mod sync;
pub use toriihq_spec::sdk::workflows as table;
mod upload;

use std::path::Path;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};

use crate::options::CallOptions;
use crate::{Client, Error, FilePart, Result};
use arguments::Arguments;
pub use sync::{SyncData, SyncOutcome};
use table::WorkflowSpec;
pub use upload::Upload;

/// A workflow by its snake or camel-case name (the index [`crate::Callable::resolve`] reads).
pub fn workflow(name: &str) -> Option<&'static WorkflowSpec> {
    match crate::Callable::resolve(name) {
        Ok(crate::Callable::Workflow(workflow)) => Some(workflow),
        _ => None,
    }
}

/// Runs a workflow with JSON arguments (files given as bytes beside them); its answer is JSON, or the raw bytes
/// of a [`table::Returns::Bytes`] row.
pub(crate) async fn run(
    client: &Client,
    spec: &WorkflowSpec,
    params: &Value,
    files: Vec<(String, FilePart)>,
    options: &CallOptions,
) -> Result<Bytes> {
    let arguments = Arguments::check(spec, params, files)?;
    let answer = match spec.name {
        "offboard_user" => offboard::offboard_user(client, arguments.text("email"), options).await?,
        "find_scim_user" => {
            scim::find(client, arguments.text_or_none("user_name"), arguments.text_or_none("email"), options).await?
        }
        "provision_scim_user" => scim::provision(client, &arguments, options).await?,
        "deactivate_scim_user" => scim::deactivate(client, arguments.text("user_name"), options).await?,
        "upload" => {
            let job = Upload {
                name: arguments.text_or_none("name").map(str::to_string),
                content_type: arguments.text_or_none("content_type").map(str::to_string),
                ..Upload::new(arguments.file("file")?, arguments.text("file_type"))
            };
            upload::upload(client, job, options).await?
        }
        "download" => return download::download(client, arguments.value("id"), options).await,
        "download_to" => {
            let path = arguments.text("path");
            let size = download::download_to(client, arguments.value("id"), Path::new(path), options).await?;
            json!({"path": path, "size": size})
        }
        "validate_custom_integration" => {
            let report = sync::check(&arguments.sync_data()?).await?;
            serde_json::to_value(report).map_err(|e| Error::Internal(e.to_string()))?
        }
        "sync_custom_integration_data" => {
            let wait = arguments.seconds("wait_seconds");
            let outcome =
                sync::sync(client, arguments.integer("id_app_account"), arguments.sync_data()?, wait, options).await?;
            serde_json::to_value(outcome).map_err(|e| Error::Internal(e.to_string()))?
        }
        other => {
            return Err(Error::Internal(format!("the workflow `{other}` is in the table but has no implementation")));
        }
    };
    serde_json::to_vec(&answer).map(Bytes::from).map_err(|e| Error::Internal(e.to_string()))
}

/// The operation a step of a workflow calls (each step is one request).
fn step(operation: &str) -> Result<&'static toriihq_spec::Operation> {
    crate::Callable::operation(operation, "a workflow's step is one request")
}

/// One operation of the spec, its answer decoded.
async fn call(client: &Client, operation: &str, params: &Value, options: &CallOptions) -> Result<Value> {
    let bytes = client.call_operation(step(operation)?, params, Vec::new(), options).await?;
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    crate::runtime::decode::<Value>(&bytes)
}

/// A NotFound error of a workflow's own (no request answered 404: the search found nothing).
fn not_found(message: String) -> Error {
    Error::NotFound(Box::new(crate::ErrorResponse {
        status: reqwest::StatusCode::NOT_FOUND,
        headers: reqwest::header::HeaderMap::new(),
        body: Some(serde_json::json!({ "message": message })),
    }))
}

/// Which user `Client::find_scim_user` looks for.
#[derive(Debug, Clone, Copy)]
pub enum ScimLookup<'a> {
    UserName(&'a str),
    Email(&'a str),
}

fn typed<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> Result<T> {
    serde_json::from_value(value).map_err(|e| Error::Decode { what: e.to_string(), location: what.into() })
}

/// Runs the workflow by its table row, as bindings do, for the typed methods below.
async fn run_named(client: &Client, name: &str, params: Value) -> Result<Value> {
    let spec = workflow(name).ok_or_else(|| Error::Internal(format!("no workflow {name}")))?;
    let bytes = run(client, spec, &params, Vec::new(), &CallOptions::default()).await?;
    crate::runtime::decode::<Value>(&bytes)
}

impl Client {
    /// Offboards the user with this email: sets their lifecycle status to `offboarding` and returns them. A user
    /// already offboarding or offboarded is returned unchanged; an unknown email is [`Error::NotFound`].
    pub async fn offboard_user(&self, email: &str) -> Result<crate::types::User> {
        typed(run_named(self, "offboard_user", json!({ "email": email })).await?, "the user")
    }

    /// The active SCIM user with this userName or email, if there is one.
    pub async fn find_scim_user(&self, lookup: ScimLookup<'_>) -> Result<Option<crate::types::ScimUser>> {
        let params = match lookup {
            ScimLookup::UserName(name) => json!({ "user_name": name }),
            ScimLookup::Email(email) => json!({ "email": email }),
        };
        typed(run_named(self, "find_scim_user", params).await?, "the SCIM user")
    }

    /// Provisions a SCIM user (see the `provision_scim_user` workflow); `extra` may add `given_name`,
    /// `family_name` and `user_type`.
    pub async fn provision_scim_user(&self, user_name: &str, extra: Value) -> Result<crate::types::ScimUser> {
        let mut params = match extra {
            Value::Object(map) => map,
            Value::Null => serde_json::Map::new(),
            _ => return Err(Error::invalid_type("extra", "must be an object")),
        };
        params.insert("user_name".into(), Value::String(user_name.to_string()));
        typed(run_named(self, "provision_scim_user", Value::Object(params)).await?, "the SCIM user")
    }

    /// Deactivates the SCIM user with this userName and returns them.
    pub async fn deactivate_scim_user(&self, user_name: &str) -> Result<crate::types::ScimUser> {
        typed(run_named(self, "deactivate_scim_user", json!({ "user_name": user_name })).await?, "the SCIM user")
    }

    /// Uploads a file of any size and returns its id (see [`Upload`]).
    pub async fn upload(&self, job: Upload) -> Result<i64> {
        let answer = upload::upload(self, job, &CallOptions::default()).await?;
        answer
            .get("id")
            .and_then(Value::as_i64)
            .ok_or_else(|| Error::Decode { what: "the answer has no integer id".into(), location: "`id`".into() })
    }

    /// A file's bytes, fetched from its host without the Torii key.
    pub async fn download(&self, id: i64) -> Result<Bytes> {
        download::download(self, &json!(id), &CallOptions::default()).await
    }

    /// Streams a file to `path` and returns its size in bytes.
    pub async fn download_to(&self, id: i64, path: impl AsRef<Path>) -> Result<u64> {
        download::download_to(self, &json!(id), path.as_ref(), &CallOptions::default()).await
    }

    /// Validates, uploads and syncs a custom integration's users and licences (see the
    /// `sync_custom_integration_data` workflow). With `wait`, a sync already running is waited for up to that long.
    pub async fn sync_custom_integration_data(
        &self,
        id_app_account: i64,
        data: impl Into<SyncData>,
        wait: Option<Duration>,
    ) -> Result<SyncOutcome> {
        sync::sync(self, id_app_account, data.into(), wait, &CallOptions::default()).await
    }
}

#[cfg(test)]
mod tests {
    use super::table::WORKFLOWS;
    use super::*;

    #[test]
    fn a_workflow_is_found_by_its_camel_case_name_too() {
        assert_eq!(workflow("provisionScimUser").map(|w| w.name), Some("provision_scim_user"));
        assert_eq!(workflow("provision_scim_user").map(|w| w.name), Some("provision_scim_user"));
        for other in ["getApps", "provisionscimuser", "provisionScimUserX", "provision", "ProvisionScimUser"] {
            assert!(workflow(other).is_none(), "{other}");
        }
    }

    /// Every row of the table reaches an implementation: with its required arguments given, a run gets as far as
    /// the network (nothing listens on the discard port) or, offline, to an answer, never to "no implementation".
    #[test]
    fn every_workflow_of_the_table_is_implemented() {
        use table::ParamType;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let client = Client::builder().api_key("k").base_url("http://127.0.0.1:9").max_retries(0).build().unwrap();
        let file = br#"{"users": [{"email": "someone@example.com"}]}"#.to_vec();
        for spec in WORKFLOWS {
            // The required arguments and any file, or the first one when neither (find takes one of two).
            let given: Vec<_> = spec.params.iter().filter(|p| p.required || p.ty == ParamType::File).collect();
            let given = if given.is_empty() { spec.params.iter().take(1).collect() } else { given };
            let mut files = Vec::new();
            let mut params = serde_json::Map::new();
            for param in given {
                let value = match param.ty {
                    ParamType::Text if param.name == "file_type" => json!("attachment"),
                    ParamType::Text => json!("someone@example.com"),
                    ParamType::Integer => json!(7),
                    ParamType::Seconds => json!(1),
                    ParamType::ListOf(_) => json!([]),
                    ParamType::File => {
                        files.push((param.name.to_string(), FilePart::bytes("f.json", file.clone())));
                        continue;
                    }
                };
                params.insert(param.name.to_string(), value);
            }
            let outcome = runtime.block_on(run(&client, spec, &Value::Object(params), files, &CallOptions::default()));
            match outcome {
                Err(Error::Connection(_)) => {}
                Ok(_) if spec.needs.iter().all(|op| *op == "syncCustomIntegration") => {}
                other => panic!("{}: {other:?}", spec.name),
            }
        }
    }
}
