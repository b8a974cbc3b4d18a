//! PUT and PATCH bodies applied to a stored item: SCIM `Operations` (add, replace, remove by path) one by one,
//! or any other body merged key by key; the result must still be an item the mock can serve.

use serde_json::{Map, Value};

use crate::http::{MockResponse, bad};
use crate::output::coerce;
use crate::schema::Schemas;

/// An item's identity; SCIM calls it read-only (RFC 7643 §3.1), and a write that names it is refused.
const ID: &str = "id";

/// PUT/PATCH: SCIM `Operations` are applied one by one; any other body is merged key by key.
pub(crate) fn apply_update(target: &mut Map<String, Value>, body: Value) -> Result<(), MockResponse> {
    let Value::Object(body) = body else { return Err(bad("the body must be a JSON object")) };
    let Some(Value::Array(operations)) = body.get("Operations") else {
        for (key, value) in body {
            if key != "id" {
                target.insert(key, value);
            }
        }
        return Ok(());
    };
    for (i, operation) in operations.iter().enumerate() {
        let op = operation.get("op").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
        let path = operation.get("path").and_then(Value::as_str);
        let value = operation.get("value").cloned().unwrap_or(Value::Null);
        match (op.as_str(), path) {
            ("add" | "replace", Some(path)) => set_path(target, path, value)?,
            ("add" | "replace", None) => match value {
                Value::Object(map) => {
                    for (key, value) in map {
                        set_path(target, &key, value)?;
                    }
                }
                _ => return Err(bad(format!("body.Operations[{i}].value must be an object when there is no path"))),
            },
            ("remove", Some(path)) => {
                refuse_id(path)?;
                remove_path(target, path)?
            }
            _ => return Err(bad(format!("body.Operations[{i}] is not a supported add, replace or remove"))),
        }
    }
    Ok(())
}

/// After an update: the item still has every required key it had, and every value the update changed fits its
/// property's schema — what is stored is served, so what would break the answer's schema is refused (400).
pub(crate) fn check_update(
    schemas: Schemas<'_>,
    item_schema: &Value,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> Result<(), MockResponse> {
    let item_schema = schemas.deref(item_schema);
    for required in schemas.required(item_schema) {
        if before.contains_key(required) && !after.contains_key(required) {
            return Err(bad(format!("{required} is required and cannot be removed")));
        }
    }
    for (key, property) in schemas.properties(item_schema) {
        let Some(value) = after.get(key.as_str()) else { continue };
        if before.get(key.as_str()) != Some(value) {
            schemas.validate(&coerce(schemas, property, value), property, key).map_err(bad)?;
        }
    }
    Ok(())
}

fn refuse_id(path: &str) -> Result<(), MockResponse> {
    match path.split('.').next() == Some(ID) {
        true => Err(bad(format!("{ID} is read-only; PATCH path {path:?} cannot change it"))),
        false => Ok(()),
    }
}

fn set_path(target: &mut Map<String, Value>, path: &str, value: Value) -> Result<(), MockResponse> {
    refuse_id(path)?;
    if path.contains('[') {
        return Err(bad(format!("PATCH path {path:?} uses a filter, which the mock does not support")));
    }
    let mut parts = path.split('.').peekable();
    let mut node = target;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            node.insert(part.to_string(), value);
            return Ok(());
        }
        let child = node.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
        if !child.is_object() {
            *child = Value::Object(Map::new());
        }
        node = child.as_object_mut().expect("made an object");
    }
    Ok(())
}

fn remove_path(target: &mut Map<String, Value>, path: &str) -> Result<(), MockResponse> {
    match path.split_once('.') {
        Some((head, rest)) => match target.get_mut(head).and_then(Value::as_object_mut) {
            Some(child) => remove_path(child, rest),
            None => Ok(()),
        },
        None => {
            target.shift_remove(path);
            Ok(())
        }
    }
}
