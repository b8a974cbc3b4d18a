//! Answers one API request: validate it against the spec, act on the store, shape the answer like the spec's
//! response schema.

use std::collections::BTreeMap;
use std::sync::Arc;

use bytes::Bytes;
use serde_json::{Map, Value, json};
use toriihq_spec::{Parameter, ParameterLocation, ValueType};

use crate::Shared;
use crate::api::{Kind, Route, Shape, unwrap_single};
use crate::store::Item;

/// A request as the handler sees it.
pub struct MockRequest {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

pub struct MockResponse {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
}

impl MockResponse {
    pub fn json(status: u16, body: &Value) -> Self {
        MockResponse { status, headers: Vec::new(), body: Bytes::from(serde_json::to_vec(body).expect("JSON")) }
    }

    pub fn raw_json(status: u16, body: Vec<u8>) -> Self {
        MockResponse { status, headers: Vec::new(), body: Bytes::from(body) }
    }

    pub fn empty(status: u16) -> Self {
        MockResponse { status, headers: Vec::new(), body: Bytes::new() }
    }

    pub fn error(status: u16, message: impl Into<String>) -> Self {
        let reason = hyper::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
        MockResponse::json(status, &json!({"statusCode": status, "error": reason, "message": message.into()}))
    }
}

pub(crate) type Outcome = Result<MockResponse, MockResponse>;

pub(crate) fn bad(message: impl Into<String>) -> MockResponse {
    MockResponse::error(400, message)
}

pub async fn handle(shared: &Shared, request: MockRequest) -> MockResponse {
    match handle_inner(shared, request).await {
        Ok(response) | Err(response) => response,
    }
}

async fn handle_inner(shared: &Shared, request: MockRequest) -> Outcome {
    let api = &shared.api;
    let (index, path_params) = match api.find(&request.method, &request.path) {
        Ok(found) => found,
        Err(true) => {
            return Err(MockResponse::error(405, format!("{} is not allowed on {}", request.method, request.path)));
        }
        Err(false) => {
            return Err(MockResponse::error(404, format!("no route for {} {}", request.method, request.path)));
        }
    };
    let route = &api.routes[index];
    match request.headers.get(hyper::header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        Some(given) if given == shared.expected_authorization => {}
        Some(_) => return Err(MockResponse::error(401, "the API key is not valid")),
        None => return Err(MockResponse::error(401, "missing Authorization: Bearer <API key>")),
    }
    if let Some(limiter) = &shared.rate_limit
        && let Err(wait) = limiter.take(index)
    {
        let mut response = MockResponse::error(429, "rate limit exceeded");
        response.headers.push(("retry-after", wait.to_string()));
        return Err(response);
    }
    let query = &request.query;
    validate_parameters(route, &path_params, query, &request.headers)?;
    let collection_path = concrete(&route.collection, &path_params);
    if route.collection.contains('{')
        && !shared.state.read().expect("state lock").collections.contains_key(&collection_path)
    {
        let integer_ids = integer_ids(shared, route);
        shared.state.write().expect("state lock").touch_nested(
            api,
            &route.collection,
            &collection_path,
            integer_ids,
            &shared.seed,
        );
    }
    match route.kind {
        Kind::List => crate::lists::list(shared, route, &collection_path, query),
        Kind::Read => {
            let item = find_item(shared, route, &collection_path, &path_params)?;
            Ok(item_response(shared, route, &item, query))
        }
        Kind::Create => {
            let body = json_body(shared, route, &request)?;
            let mut value = match body {
                Value::Object(map) => map,
                other => return Err(bad(format!("the body must be a JSON object, not {other}"))),
            };
            let item = {
                let mut state = shared.state.write().expect("state lock");
                let collection = state.collection(&collection_path, integer_ids(shared, route));
                if !value.contains_key("id") {
                    value.insert("id".into(), collection.assign_id());
                }
                let item = Item::new(value);
                collection.insert(item.clone());
                item
            };
            Ok(item_response(shared, route, &item, query))
        }
        Kind::Update => {
            let body = json_body(shared, route, &request)?;
            let current = find_item(shared, route, &collection_path, &path_params)?;
            let mut value = current.value.clone();
            apply_update(&mut value, body)?;
            let item = Item::new(value);
            let id = current.id().unwrap_or_default();
            let mut state = shared.state.write().expect("state lock");
            state.collection(&collection_path, integer_ids(shared, route)).items.insert(id, item.clone());
            drop(state);
            Ok(item_response(shared, route, &item, query))
        }
        Kind::Delete => {
            let item = find_item(shared, route, &collection_path, &path_params)?;
            let id = item.id().unwrap_or_default();
            let mut state = shared.state.write().expect("state lock");
            state.collection(&collection_path, integer_ids(shared, route)).items.shift_remove(&id);
            Ok(answer_without_item(shared, route))
        }
        Kind::Action => {
            if route.body_schema.is_some() {
                let body = json_body(shared, route, &request)?;
                record(shared, route, &collection_path, body);
            }
            Ok(answer_without_item(shared, route))
        }
        Kind::PresignUrl => {
            // The URL points back at the mock the way the client reached it.
            let host = request.headers.get(hyper::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
            Ok(crate::files::presign(shared, route, host, query))
        }
        Kind::Upload => crate::files::upload(shared, route, &collection_path, &request).await,
    }
}

pub(crate) fn concrete(template: &str, params: &[(String, String)]) -> String {
    let mut path = template.to_string();
    for (name, value) in params {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    path
}

fn integer_ids(shared: &Shared, route: &Route) -> bool {
    shared.integer_ids.contains(&route.collection)
}

fn validate_parameters(
    route: &Route,
    path_params: &[(String, String)],
    query: &BTreeMap<String, String>,
    headers: &hyper::HeaderMap,
) -> Result<(), MockResponse> {
    for param in &route.op.parameters {
        let raw = match param.location {
            ParameterLocation::Path => path_params.iter().find(|(k, _)| *k == param.name).map(|(_, v)| v.clone()),
            ParameterLocation::Query => query.get(&param.name).cloned(),
            ParameterLocation::Header => {
                headers.get(param.name.as_str()).and_then(|v| v.to_str().ok()).map(str::to_string)
            }
            ParameterLocation::Cookie => None,
        };
        match raw {
            None if param.required => return Err(bad(format!("`{}` is required", param.name))),
            None => {}
            Some(raw) => check_parameter(param, &raw).map_err(bad)?,
        }
    }
    Ok(())
}

fn check_parameter(param: &Parameter, raw: &str) -> Result<(), String> {
    let name = &param.name;
    let number = match param.value_type {
        ValueType::Integer => {
            Some(raw.parse::<i64>().map_err(|_| format!("`{name}` must be an integer, not {raw:?}"))? as f64)
        }
        ValueType::Number => Some(raw.parse::<f64>().map_err(|_| format!("`{name}` must be a number, not {raw:?}"))?),
        ValueType::Boolean => {
            if raw != "true" && raw != "false" {
                return Err(format!("`{name}` must be true or false, not {raw:?}"));
            }
            None
        }
        _ => None,
    };
    if let Some(number) = number {
        if let Some(minimum) = param.minimum.filter(|m| number < *m) {
            return Err(format!("`{name}` must be at least {minimum}, not {raw}"));
        }
        if let Some(maximum) = param.maximum.filter(|m| number > *m) {
            return Err(format!("`{name}` must be at most {maximum}, not {raw}"));
        }
    }
    if !param.enum_values.is_empty() && !param.enum_values.iter().any(|v| v.as_str() == Some(raw) || *v == raw) {
        let allowed: Vec<String> =
            param.enum_values.iter().map(|v| v.as_str().map(str::to_string).unwrap_or(v.to_string())).collect();
        return Err(format!("`{name}` must be one of {}, not {raw:?}", allowed.join(", ")));
    }
    if let Some(max) = param.max_length.filter(|m| raw.chars().count() as u64 > *m) {
        return Err(format!("`{name}` must be at most {max} characters"));
    }
    Ok(())
}

fn json_body(shared: &Shared, route: &Route, request: &MockRequest) -> Result<Value, MockResponse> {
    let required = route.op.body.as_ref().is_some_and(|b| b.required);
    if request.body.is_empty() {
        return if required { Err(bad("a JSON body is required")) } else { Ok(Value::Object(Map::new())) };
    }
    let body: Value =
        serde_json::from_slice(&request.body).map_err(|e| bad(format!("the body is not valid JSON: {e}")))?;
    if let Some(schema) = shared.api.schema_at(&route.body_schema) {
        shared.api.schemas().validate(&body, schema, "body").map_err(bad)?;
    }
    Ok(body)
}

fn find_item(
    shared: &Shared,
    route: &Route,
    collection_path: &str,
    params: &[(String, String)],
) -> Result<Arc<Item>, MockResponse> {
    let param = route.item_param.as_deref().unwrap_or("id");
    let id = params.iter().find(|(k, _)| k == param).map(|(_, v)| v.as_str()).unwrap_or_default();
    let state = shared.state.read().expect("state lock");
    state
        .collections
        .get(collection_path)
        .and_then(|c| c.items.get(id))
        .cloned()
        .ok_or_else(|| MockResponse::error(404, format!("no item with {param} {id} in {collection_path}")))
}

fn record(shared: &Shared, route: &Route, collection_path: &str, body: Value) {
    let mut value = match body {
        Value::Object(map) => map,
        other => Map::from_iter([("body".to_string(), other)]),
    };
    let mut state = shared.state.write().expect("state lock");
    let collection = state.collection(collection_path, integer_ids(shared, route));
    value.entry("id").or_insert_with(|| collection.assign_id());
    collection.insert(Item::new(value));
}

/// PUT/PATCH: SCIM `Operations` are applied one by one; any other body is merged key by key.
fn apply_update(target: &mut Map<String, Value>, body: Value) -> Result<(), MockResponse> {
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
                Value::Object(map) => target.extend(map),
                _ => return Err(bad(format!("body.Operations[{i}].value must be an object when there is no path"))),
            },
            ("remove", Some(path)) => remove_path(target, path)?,
            _ => return Err(bad(format!("body.Operations[{i}] is not a supported add, replace or remove"))),
        }
    }
    Ok(())
}

fn set_path(target: &mut Map<String, Value>, path: &str, value: Value) -> Result<(), MockResponse> {
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

fn item_response(shared: &Shared, route: &Route, item: &Arc<Item>, query: &BTreeMap<String, String>) -> MockResponse {
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
            crate::lists::push_member_raw(&mut body, key, &item.json);
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
fn coerce(schemas: crate::schema::Schemas<'_>, schema: &Value, value: &Value) -> Value {
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

fn coerce_members(schemas: crate::schema::Schemas<'_>, schema: &Value, map: &mut Map<String, Value>) {
    for (key, property) in schemas.properties(schema) {
        if let Some(value) = map.get_mut(key.as_str()) {
            *value = coerce(schemas, property, value);
        }
    }
}

fn answer_without_item(shared: &Shared, route: &Route) -> MockResponse {
    match shared.api.schema_at(&route.response_schema) {
        Some(schema) => {
            MockResponse::json(route.op.success_status, &shared.api.schemas().generate(schema, 0, "response"))
        }
        None => MockResponse::empty(route.op.success_status),
    }
}
