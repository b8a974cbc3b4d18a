//! Jobs of several calls, run in the core so every package gets the same behaviour: the rows of
//! [`table::WORKFLOWS`], each callable by name (`Client::call("offboard_user", …)`, what the Python and Node
//! methods do) and as a typed Rust method.

mod offboard;
mod scim;
pub mod table;

use serde_json::{Map, Value};

use crate::options::CallOptions;
use crate::{Client, Error, Result};
use table::{ParamType, WORKFLOWS, WorkflowSpec};

/// A workflow by its snake or camel-case name.
pub fn workflow(name: &str) -> Option<&'static WorkflowSpec> {
    WORKFLOWS.iter().find(|w| spelled_as(w.name, name))
}

/// Whether `given` is `snake` in snake or camel case. Every by-name call asks, so it compares without allocating.
fn spelled_as(snake: &str, given: &str) -> bool {
    let mut expected = snake.chars().peekable();
    for c in given.chars() {
        let wanted = if c.is_ascii_uppercase() && expected.peek() == Some(&'_') {
            expected.next();
            c.to_ascii_lowercase()
        } else {
            c
        };
        if expected.next() != Some(wanted) {
            return false;
        }
    }
    expected.next().is_none()
}

/// Runs a workflow with JSON arguments; its answer is JSON too.
pub(crate) async fn run(client: &Client, spec: &WorkflowSpec, params: &Value, options: &CallOptions) -> Result<Value> {
    let arguments = arguments(spec, params)?;
    match spec.name {
        "offboard_user" => offboard::offboard_user(client, text(&arguments, "email"), options).await,
        "find_scim_user" => scim::find(client, &arguments, options).await,
        "provision_scim_user" => scim::provision(client, &arguments, options).await,
        "deactivate_scim_user" => scim::deactivate(client, &arguments, options).await,
        other => Err(Error::Internal(format!("the workflow `{other}` is in the table but has no implementation"))),
    }
}

/// The arguments, checked against the row: every one known, required ones present, each of its type.
fn arguments(spec: &WorkflowSpec, params: &Value) -> Result<Map<String, Value>> {
    let given = match params {
        Value::Null => Map::new(),
        Value::Object(map) => map.clone(),
        _ => return Err(Error::invalid_type("params", "must be an object")),
    };
    let mut checked = Map::new();
    for (key, value) in given {
        let name = crate::options::to_snake(&key);
        let Some(param) = spec.params.iter().find(|p| p.name == name) else {
            let known: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
            return Err(Error::invalid_type(
                &key,
                format!("is not an argument of `{}` (it takes: {})", spec.name, known.join(", ")),
            ));
        };
        match (param.ty, &value) {
            (_, Value::Null) => continue,
            (ParamType::Text, Value::String(_)) => {}
            (ParamType::Text, _) => return Err(Error::invalid_type(&key, "must be a string")),
        }
        checked.insert(param.name.to_string(), value);
    }
    if let Some(missing) = spec.params.iter().find(|p| p.required && !checked.contains_key(p.name)) {
        return Err(Error::invalid_argument(missing.name, "is required"));
    }
    Ok(checked)
}

/// One operation of the spec, its answer decoded.
async fn call(client: &Client, operation: &str, params: &Value, options: &CallOptions) -> Result<Value> {
    let bytes = client.call_operation(operation, params, Vec::new(), options).await?;
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

fn text<'a>(arguments: &'a Map<String, Value>, name: &str) -> &'a str {
    arguments.get(name).and_then(Value::as_str).unwrap_or_default()
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
    run(client, spec, &params, &CallOptions::default()).await
}

impl Client {
    /// Offboards the user with this email: sets their lifecycle status to `offboarding` and returns them. A user
    /// already offboarding or offboarded is returned unchanged; an unknown email is [`Error::NotFound`].
    pub async fn offboard_user(&self, email: &str) -> Result<crate::types::User> {
        typed(run_named(self, "offboard_user", serde_json::json!({ "email": email })).await?, "the user")
    }

    /// The active SCIM user with this userName or email, if there is one.
    pub async fn find_scim_user(&self, lookup: ScimLookup<'_>) -> Result<Option<crate::types::ScimUser>> {
        let params = match lookup {
            ScimLookup::UserName(name) => serde_json::json!({ "user_name": name }),
            ScimLookup::Email(email) => serde_json::json!({ "email": email }),
        };
        typed(run_named(self, "find_scim_user", params).await?, "the SCIM user")
    }

    /// Provisions a SCIM user (see the `provision_scim_user` workflow); `body` may add `given_name`,
    /// `family_name` and `user_type`.
    pub async fn provision_scim_user(
        &self,
        user_name: &str,
        extra: serde_json::Value,
    ) -> Result<crate::types::ScimUser> {
        let mut params = match extra {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            _ => return Err(Error::invalid_type("extra", "must be an object")),
        };
        params.insert("user_name".into(), Value::String(user_name.to_string()));
        typed(run_named(self, "provision_scim_user", Value::Object(params)).await?, "the SCIM user")
    }

    /// Deactivates the SCIM user with this userName and returns them.
    pub async fn deactivate_scim_user(&self, user_name: &str) -> Result<crate::types::ScimUser> {
        typed(
            run_named(self, "deactivate_scim_user", serde_json::json!({ "user_name": user_name })).await?,
            "the SCIM user",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of the table reaches an implementation: with its required arguments given, a run gets as far as
    /// the network (nothing listens on the discard port), never to "no implementation".
    #[test]
    fn a_workflow_is_found_by_its_camel_case_name_too() {
        assert_eq!(workflow("provisionScimUser").map(|w| w.name), Some("provision_scim_user"));
        assert_eq!(workflow("provision_scim_user").map(|w| w.name), Some("provision_scim_user"));
        for other in ["getApps", "provisionscimuser", "provisionScimUserX", "provision", "ProvisionScimUser"] {
            assert!(workflow(other).is_none(), "{other}");
        }
    }

    #[test]
    fn every_workflow_of_the_table_is_implemented() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let client = Client::builder().api_key("k").base_url("http://127.0.0.1:9").max_retries(0).build().unwrap();
        for spec in WORKFLOWS {
            // The required arguments, or the first one when none is required (find takes one of two).
            let required: Vec<_> = spec.params.iter().filter(|p| p.required).collect();
            let given = if required.is_empty() { spec.params.iter().take(1).collect() } else { required };
            let params: Map<String, Value> =
                given.iter().map(|p| (p.name.to_string(), Value::String("someone@example.com".into()))).collect();
            let outcome = runtime.block_on(run(&client, spec, &Value::Object(params), &CallOptions::default()));
            assert!(matches!(outcome, Err(Error::Connection(_))), "{}: {outcome:?}", spec.name);
        }
    }
}
