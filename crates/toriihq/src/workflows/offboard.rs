//! `offboard_user`: find a user by email, then `PUT /users/{id}` with `lifecycleStatus: offboarding`.

use serde_json::{Value, json};

use super::call;
use crate::options::CallOptions;
use crate::{Client, Error, Result};

/// The statuses after which there is nothing left to do.
const DONE: [&str; 2] = ["offboarding", "offboarded"];

pub(super) async fn offboard_user(client: &Client, email: &str, options: &CallOptions) -> Result<Value> {
    let email = email.trim();
    if !email.contains('@') {
        return Err(Error::invalid_argument("email", format!("{email:?} is not an email address")));
    }
    let user = find_by_email(client, email, options).await?;
    let status = user.get("lifecycleStatus").and_then(Value::as_str).unwrap_or_default();
    if DONE.contains(&status) {
        return Ok(user);
    }
    let id = user
        .get("id")
        .cloned()
        .ok_or_else(|| Error::Decode { what: "the user has no id".into(), location: "`users[].id`".into() })?;
    let params = json!({"idUser": id, "body": {"lifecycleStatus": "offboarding"}});
    let answer = call(client, "updateUser", &params, options).await?;
    match answer {
        Value::Object(mut map) => map
            .remove("user")
            .ok_or_else(|| Error::Decode { what: "the answer has no `user`".into(), location: "`user`".into() }),
        _ => Err(Error::Decode { what: "the answer is not an object".into(), location: "the whole body".into() }),
    }
}

/// The user whose email (or one of whose additional emails) is `email`, in any case. Torii's `email` filter does
/// not say how it matches, so the filter narrows and the comparison here decides; a filter that matched nothing
/// is tried once more in lower case.
async fn find_by_email(client: &Client, email: &str, options: &CallOptions) -> Result<Value> {
    let lower = email.to_lowercase();
    let mut tries = vec![email.to_string()];
    if lower != email {
        tries.push(lower);
    }
    for filter in tries {
        let page = call(client, "getUsers", &json!({"email": filter}), options).await?;
        let users = page.get("users").and_then(Value::as_array).cloned().unwrap_or_default();
        if let Some(user) = users.into_iter().find(|user| has_email(user, email)) {
            return Ok(user);
        }
    }
    Err(super::not_found(format!("no Torii user has the email {email}")))
}

fn has_email(user: &Value, email: &str) -> bool {
    let primary = user.get("email").and_then(Value::as_str);
    let additional =
        user.get("additionalEmails").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    primary.into_iter().chain(additional).any(|candidate| candidate.trim().eq_ignore_ascii_case(email))
}
