//! Answers in the spec's shape: an item as its response schema wants it (coerced, completed, `fields=`
//! applied), and the raw JSON building blocks lists and items are assembled from without re-serialising.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::api::{Route, Shape, unwrap_single};
use crate::http::MockResponse;
use crate::schema::{Generate, Schemas};
use crate::shared::Shared;
use crate::store::Item;

/// Keeps only the keys asked for with `fields=` (and `id`).
pub(crate) fn select_fields(value: &Map<String, Value>, fields: Option<&String>) -> Option<Map<String, Value>> {
    let fields = fields?;
    let wanted: Vec<&str> = fields.split(',').map(str::trim).filter(|f| !f.is_empty()).collect();
    Some(
        value
            .iter()
            .filter(|(k, _)| k.as_str() == "id" || wanted.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

pub(crate) fn item_response(
    shared: &Shared,
    route: &Route,
    item: &Arc<Item>,
    query: &BTreeMap<String, String>,
) -> MockResponse {
    let status = route.op.success_status;
    let fields = query.get("fields");
    let complete = fields.is_none() && route.required.iter().all(|k| item.value.contains_key(k));
    // The common case answers with the item's cached JSON, without cloning or serialising it.
    match (&route.shape, complete) {
        (Shape::Empty, _) => return MockResponse::empty(status),
        (Shape::Item, true) => return MockResponse { status, headers: Vec::new(), body: item.json.clone() },
        (Shape::Wrapped(key), true) => {
            let mut body = Vec::with_capacity(item.json.len() + key.len() + 8);
            body.push(b'{');
            push_member_raw(&mut body, key, &item.json);
            body.push(b'}');
            return MockResponse::raw_json(status, body);
        }
        _ => {}
    }
    let selected = select_fields(&item.value, fields);
    let value = selected.as_ref().unwrap_or(&item.value);
    let schemas = shared.api.schemas();
    let Some(response) = shared.api.schema_at(&route.response_schema).map(|s| schemas.deref(s)) else {
        return MockResponse::empty(status);
    };
    let complete_map = |schema: &Value| {
        let mut map = value.clone();
        coerce_members(schemas, schema, &mut map);
        for (key, property) in schemas.properties(schema) {
            if !map.contains_key(key.as_str()) && schemas.required(schema).contains(&key.as_str()) {
                map.insert(key.clone(), schemas.generate(property, 0, key));
            }
        }
        map
    };
    let answer = match &route.shape {
        Shape::Wrapped(key) => {
            let inner = unwrap_single(schemas, response).map(|(_, inner)| inner).unwrap_or(response);
            json!({ key.clone(): complete_map(inner) })
        }
        Shape::Item => Value::Object(complete_map(response)),
        Shape::Generated | Shape::Empty => {
            let mut generated = schemas.generate(response, 0, "response");
            if let Value::Object(map) = &mut generated {
                for (key, property) in schemas.properties(response) {
                    let Some(v) = value.get(key.as_str()) else { continue };
                    let v = coerce(schemas, property, v);
                    if schemas.validate(&v, property, key).is_ok() {
                        map.insert(key.clone(), v);
                    }
                }
            }
            generated
        }
    };
    MockResponse::json(status, &answer)
}

/// Numbers and numeric strings trade places where the schema asks for the other (ids stored as text, say).
pub(crate) fn coerce(schemas: Schemas<'_>, schema: &Value, value: &Value) -> Value {
    let kind = schemas.deref(schema).get("type").and_then(Value::as_str);
    match (kind, value) {
        (Some("integer"), Value::String(text)) => {
            text.parse::<i64>().map(Value::from).unwrap_or_else(|_| value.clone())
        }
        (Some("number"), Value::String(text)) => text.parse::<f64>().map(Value::from).unwrap_or_else(|_| value.clone()),
        (Some("string"), Value::Number(n)) => Value::String(n.to_string()),
        _ => value.clone(),
    }
}

fn coerce_members(schemas: Schemas<'_>, schema: &Value, map: &mut Map<String, Value>) {
    for (key, property) in schemas.properties(schema) {
        if let Some(value) = map.get_mut(key.as_str()) {
            *value = coerce(schemas, property, value);
        }
    }
}

pub(crate) fn open_member(body: &mut Vec<u8>, key: &str) {
    if body.last() != Some(&b'{') {
        body.push(b',');
    }
    body.extend_from_slice(serde_json::to_string(key).expect("JSON").as_bytes());
    body.push(b':');
}

pub(crate) fn push_member_raw(body: &mut Vec<u8>, key: &str, json: &[u8]) {
    open_member(body, key);
    body.extend_from_slice(json);
}

pub(crate) fn push_member(body: &mut Vec<u8>, key: &str, value: &Value) {
    open_member(body, key);
    body.extend_from_slice(&serde_json::to_vec(value).expect("JSON"));
}

pub(crate) fn answer_without_item(shared: &Shared, route: &Route) -> MockResponse {
    match shared.api.schema_at(&route.response_schema) {
        Some(schema) => {
            MockResponse::json(route.op.success_status, &shared.api.schemas().generate(schema, 0, "response"))
        }
        None => MockResponse::empty(route.op.success_status),
    }
}
