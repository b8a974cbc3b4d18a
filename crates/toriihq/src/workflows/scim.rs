//! SCIM provisioning: find by userName or email, provision (create or reactivate), deactivate.

use serde_json::{Map, Value, json};

use super::arguments::Arguments;
use super::{call, not_found};
use crate::options::CallOptions;
use crate::{Client, Error, Result};

const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// `attribute eq "value"`, the value a JSON string: quotes, backslashes and control characters escaped as RFC 7644
/// (whose string values are JSON's) wants them.
pub(crate) fn filter(attribute: &str, value: &str) -> String {
    format!("{attribute} eq {}", Value::String(value.to_string()))
}

pub(super) async fn find(
    client: &Client,
    user_name: Option<&str>,
    email: Option<&str>,
    options: &CallOptions,
) -> Result<Value> {
    let expression = match (user_name, email) {
        (Some(name), None) => filter("userName", name),
        (None, Some(email)) => filter("emails", email),
        _ => return Err(Error::invalid_argument("user_name", "give either user_name or email, not both or neither")),
    };
    let page = call(client, "listScimUsers", &json!({"filter": expression, "count": 1}), options).await?;
    Ok(page.get("Resources").and_then(Value::as_array).and_then(|users| users.first().cloned()).unwrap_or(Value::Null))
}

pub(super) async fn provision(client: &Client, arguments: &Arguments<'_>, options: &CallOptions) -> Result<Value> {
    let user_name = arguments.text("user_name");
    let existing = find(client, Some(user_name), None, options).await?;
    if !existing.is_null() {
        return Ok(existing);
    }
    let mut body = json!({"schemas": [USER_SCHEMA], "userName": user_name, "active": true});
    let mut name = Map::new();
    for (argument, key) in [("given_name", "givenName"), ("family_name", "familyName")] {
        if let Some(value) = arguments.text_or_none(argument) {
            name.insert(key.into(), json!(value));
        }
    }
    if !name.is_empty() {
        body["name"] = Value::Object(name);
    }
    if let Some(user_type) = arguments.text_or_none("user_type") {
        body["userType"] = json!(user_type);
    }
    call(client, "createScimUser", &json!({"body": body}), options).await
}

pub(super) async fn deactivate(client: &Client, user_name: &str, options: &CallOptions) -> Result<Value> {
    let user = find(client, Some(user_name), None, options).await?;
    let Some(id) = user.get("id").cloned() else {
        return Err(not_found(format!("no active SCIM user has the userName {user_name}")));
    };
    let patch = json!({"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "path": "active", "value": false}]});
    // Its answer is not documented (an empty body from the mock): only success matters.
    client
        .call_operation(super::step("patchScimUser")?, &json!({"idUser": id, "body": patch}), Vec::new(), options)
        .await?;
    call(client, "getScimUser", &json!({"idUser": id}), options).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_filter_value_is_quoted_and_escaped() {
        assert_eq!(super::filter("userName", "ada@example.com"), r#"userName eq "ada@example.com""#);
        assert_eq!(super::filter("userName", r#"o"dd\x"#), r#"userName eq "o\"dd\\x""#);
    }
}
