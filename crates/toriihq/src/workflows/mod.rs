//! Jobs of several calls, run in the core so every package gets the same behaviour: the rows of
//! [`table::WORKFLOWS`], each callable by name (`Client::call("offboard_user", …)`, what the Python and Node
//! methods do) and as a typed Rust method.

mod offboard;
pub mod table;

use serde_json::{Map, Value};

use crate::options::CallOptions;
use crate::{Client, Error, Result};
use table::{ParamType, WORKFLOWS, WorkflowSpec};

/// A workflow by its snake or camel-case name.
pub fn workflow(name: &str) -> Option<&'static WorkflowSpec> {
    let snake = crate::options::to_snake(name);
    WORKFLOWS.iter().find(|w| w.name == snake)
}

/// Runs a workflow with JSON arguments; its answer is JSON too.
pub(crate) async fn run(client: &Client, spec: &WorkflowSpec, params: &Value, options: &CallOptions) -> Result<Value> {
    let arguments = arguments(spec, params)?;
    match spec.name {
        "offboard_user" => offboard::offboard_user(client, text(&arguments, "email"), options).await,
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

fn text<'a>(arguments: &'a Map<String, Value>, name: &str) -> &'a str {
    arguments.get(name).and_then(Value::as_str).unwrap_or_default()
}

impl Client {
    /// Offboards the user with this email: sets their lifecycle status to `offboarding` and returns them. A user
    /// already offboarding or offboarded is returned unchanged; an unknown email is [`Error::NotFound`].
    pub async fn offboard_user(&self, email: &str) -> Result<crate::types::User> {
        let user = offboard::offboard_user(self, email, &CallOptions::default()).await?;
        serde_json::from_value(user).map_err(|e| Error::Decode { what: e.to_string(), location: "the user".into() })
    }
}
