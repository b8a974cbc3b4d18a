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

/// What `fields=` (and `includeLicenses=`) ask of an item, read once per request.
pub(crate) struct Selection<'q> {
    wanted: Vec<&'q str>,
    licenses: bool,
    /// The items' schema keeps undeclared keys: a requested key the item lacks is one of the org's custom fields.
    open: bool,
    /// What was decided for the last item's keys: a page's items share their keys, so this is worked out once.
    shape: Option<KeysSeen<'q>>,
}

/// An item's keys, in order, and how a selection treats them.
struct KeysSeen<'q> {
    keys: Vec<String>,
    /// Every key is kept: the item's cached JSON can be reused.
    all_kept: bool,
    /// The requested keys the item lacks (custom fields).
    absent: Vec<&'q str>,
}

impl<'q> Selection<'q> {
    /// `None` when the query does not narrow the answer (no `fields=`).
    pub(crate) fn of(query: &'q BTreeMap<String, String>, item_schema: Option<&Value>) -> Option<Self> {
        let fields = query.get("fields")?;
        Some(Selection {
            wanted: fields.split(',').map(str::trim).filter(|f| !f.is_empty()).collect(),
            licenses: query.get("includeLicenses").is_some_and(|v| v == "true"),
            open: item_schema
                .and_then(|s| s.get("additionalProperties"))
                .is_some_and(|extra| extra != &Value::Bool(false)),
            shape: None,
        })
    }

    fn keeps(&self, key: &str) -> bool {
        key == "id" || (self.licenses && key == "licenses") || self.wanted.contains(&key)
    }

    /// Keeps only the keys asked for (and `id`; `licenses` with `includeLicenses=true`). Torii answers a custom
    /// field asked for by its key; the mock holds no custom values, so it makes one from the key and the item's id.
    pub(crate) fn apply(&mut self, value: &Map<String, Value>) -> Map<String, Value> {
        let mut selected: Map<String, Value> =
            value.iter().filter(|(k, _)| self.keeps(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
        for (key, custom) in self.custom_fields(value) {
            selected.insert(key.to_string(), Value::String(custom));
        }
        selected
    }

    fn custom_fields(&mut self, value: &Map<String, Value>) -> Vec<(&'q str, String)> {
        if !self.open {
            return Vec::new();
        }
        let id = value.get("id").map(|id| id.to_string()).unwrap_or_default();
        self.shape_of(value).absent.iter().map(|key| (*key, format!("{key} {id}"))).collect()
    }

    fn shape_of(&mut self, value: &Map<String, Value>) -> &KeysSeen<'q> {
        let same = self.shape.as_ref().is_some_and(|shape| {
            shape.keys.len() == value.len() && shape.keys.iter().zip(value.keys()).all(|(a, b)| a == b)
        });
        if !same {
            let all_kept = value.keys().all(|k| self.keeps(k));
            let absent = self.wanted.iter().copied().filter(|key| !value.contains_key(*key)).collect();
            self.shape = Some(KeysSeen { keys: value.keys().cloned().collect(), all_kept, absent });
        }
        self.shape.as_ref().expect("the shape was just worked out")
    }

    /// The selected item as JSON. When every key the item has is asked for, its cached JSON is reused and the
    /// custom fields are appended, so a page of 1,000 asked for with `fields=` costs about what one without does.
    pub(crate) fn write(&mut self, item: &Item, body: &mut Vec<u8>) {
        if !self.shape_of(&item.value).all_kept || !item.json.ends_with(b"}") {
            let selected = self.apply(&item.value);
            body.extend_from_slice(&serde_json::to_vec(&selected).expect("JSON"));
            return;
        }
        body.extend_from_slice(&item.json[..item.json.len() - 1]);
        for (key, custom) in self.custom_fields(&item.value) {
            open_member(body, key);
            serde_json::to_writer(&mut *body, &custom).expect("JSON");
        }
        body.push(b'}');
    }
}

pub(crate) fn item_response(
    shared: &Shared,
    route: &Route,
    item: &Arc<Item>,
    query: &BTreeMap<String, String>,
) -> MockResponse {
    let status = route.op.success_status;
    let selection =
        Selection::of(query, shared.api.item_schema(&route.collection).map(|s| shared.api.schemas().deref(s)));
    let complete = selection.is_none() && route.required.iter().all(|k| item.value.contains_key(k));
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
    let selected = selection.map(|mut s| s.apply(&item.value));
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
