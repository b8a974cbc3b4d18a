//! The SCIM rules Torii documents (facts §2.16), on top of the generic handling of `/scim/v2/Users`: a `userName`
//! is unique and cannot change, POST of an inactive user's `userName` reactivates them, PUT works on active users
//! only, and the last active admin can be neither deleted nor demoted.

use serde_json::{Map, Value};

use crate::api::Route;
use crate::http::{MockResponse, bad};
use crate::store::{Collection, Item};

const USERS: &str = "/scim/v2/Users";
const ADMIN: &str = "Admin";

pub(crate) fn is_users(route: &Route) -> bool {
    route.collection == USERS
}

fn text<'a>(value: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn is_active(value: &Map<String, Value>) -> bool {
    value.get("active").and_then(Value::as_bool).unwrap_or(true)
}

fn same_name(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

/// Before a create: a `userName` taken by an active user is a 409; taken by an inactive one, that user is
/// reactivated with the body's values (returned), instead of a new one being made. A `userName` must be an email
/// (facts §2.16, whatever the spec served says): a new user's email is their `userName`, as Torii shows it in
/// `emails`.
pub(crate) fn create(
    collection: &mut Collection,
    body: &mut Map<String, Value>,
) -> Result<Option<std::sync::Arc<Item>>, MockResponse> {
    if let Some(name) = text(body, "userName").map(str::to_string) {
        if !toriihq_spec::formats::email(&name) {
            return Err(bad(format!("userName must be an email address, not {name:?}")));
        }
        body.entry("emails").or_insert_with(|| serde_json::json!([{"primary": true, "value": name}]));
    }
    let name = text(body, "userName");
    let Some(existing) = collection.items.values().find(|item| same_name(text(&item.value, "userName"), name)).cloned()
    else {
        return Ok(None);
    };
    if is_active(&existing.value) {
        return Err(MockResponse::error(
            409,
            format!("a user with userName {} already exists", name.unwrap_or_default()),
        ));
    }
    let mut value = existing.value.clone();
    for (key, field) in body {
        if key != "id" {
            value.insert(key.clone(), field.clone());
        }
    }
    value.insert("active".into(), Value::Bool(true));
    let item = Item::new(value);
    collection.insert(item.clone());
    Ok(Some(item))
}

/// Before PUT or PATCH of `current` to `updated`: the rules a write must keep.
pub(crate) fn update(
    collection: &Collection,
    method: &str,
    current: &Map<String, Value>,
    updated: &Map<String, Value>,
) -> Result<(), MockResponse> {
    if method.eq_ignore_ascii_case("PUT") && !is_active(current) {
        return Err(bad("PUT works only on active users; POST the userName to reactivate one"));
    }
    if !same_name(text(current, "userName"), text(updated, "userName")) {
        return Err(bad("userName cannot be changed"));
    }
    let demoted = text(current, "userType") == Some(ADMIN) && text(updated, "userType") != Some(ADMIN);
    if (demoted || !is_active(updated)) && is_last_admin(collection, current) {
        return Err(bad("the last admin's role cannot be changed"));
    }
    Ok(())
}

/// Before a delete.
pub(crate) fn delete(collection: &Collection, current: &Map<String, Value>) -> Result<(), MockResponse> {
    if is_last_admin(collection, current) {
        return Err(bad("the last admin cannot be deleted"));
    }
    Ok(())
}

fn is_last_admin(collection: &Collection, user: &Map<String, Value>) -> bool {
    let admin = |value: &Map<String, Value>| text(value, "userType") == Some(ADMIN) && is_active(value);
    admin(user) && collection.items.values().filter(|item| admin(&item.value)).count() == 1
}

/// A list shows active users only.
pub(crate) fn listed(item: &Map<String, Value>) -> bool {
    is_active(item)
}

/// `userName eq "ada@example.com"`: RFC 7644's `eq` on `userName` or `emails` (all Torii supports), the value a
/// JSON string (quotes and backslashes escaped).
pub(crate) fn parse_filter(filter: &str) -> Result<(String, String), String> {
    let mut parts = filter.trim().splitn(3, ' ');
    let (Some(attribute), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("`filter` {filter:?} is not `attribute eq \"value\"`"));
    };
    if !op.eq_ignore_ascii_case("eq") {
        return Err(format!("`filter` operator {op:?} is not supported; only eq is"));
    }
    let known = ["userName", "emails", "emails.value"];
    if !known.iter().any(|k| k.eq_ignore_ascii_case(attribute)) {
        return Err(format!("`filter` on {attribute:?} is not supported; only userName and emails are"));
    }
    let value: String = serde_json::from_str(value.trim())
        .map_err(|_| format!("`filter` value {value} is not a quoted string (escape \" and \\ with a backslash)"))?;
    Ok((attribute.to_string(), value))
}

pub(crate) fn filter_matches(item: &Map<String, Value>, attribute: &str, wanted: &str) -> bool {
    if attribute.to_ascii_lowercase().starts_with("emails") {
        return item.get("emails").and_then(Value::as_array).is_some_and(|emails| {
            emails
                .iter()
                .any(|e| e.get("value").and_then(Value::as_str).is_some_and(|v| v.eq_ignore_ascii_case(wanted)))
        });
    }
    same_name(text(item, "userName"), Some(wanted))
}
