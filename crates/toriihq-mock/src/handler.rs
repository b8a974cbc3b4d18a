//! Answers one API request: validate it against the spec, act on the store, shape the answer like the spec's
//! response schema.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine;
use bytes::Bytes;
use serde_json::{Map, Value, json};
use toriihq_spec::{Pagination, Parameter, ParameterLocation, ValueType};

use crate::Shared;
use crate::api::{Kind, Route, Shape, list_items, unwrap_single};
use crate::store::{Item, id_text};

pub const MAX_UPLOAD_BYTES: usize = 3 * 1024 * 1024;

/// A request as the handler sees it.
pub struct MockRequest {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
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

type Outcome = Result<MockResponse, MockResponse>;

fn bad(message: impl Into<String>) -> MockResponse {
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
    let query: BTreeMap<String, String> = request.query.iter().cloned().collect();
    validate_parameters(route, &path_params, &query, &request.headers)?;
    let collection_path = concrete(&route.collection, &path_params);
    if route.collection.contains('{')
        && !shared.state.read().expect("state lock").collections.contains_key(&collection_path)
    {
        let integer_ids = shared.integer_ids.contains(&route.collection);
        shared.state.write().expect("state lock").touch_nested(
            api,
            &route.collection,
            &collection_path,
            integer_ids,
            &shared.seed,
        );
    }
    match route.kind {
        Kind::List => list(shared, route, &collection_path, &query),
        Kind::Read => {
            let item = find_item(shared, route, &collection_path, &path_params)?;
            Ok(item_response(shared, route, &item, &query))
        }
        Kind::Create => {
            let body = json_body(shared, route, &request)?;
            let mut value = match body {
                Value::Object(map) => map,
                other => return Err(bad(format!("the body must be a JSON object, not {other}"))),
            };
            let item = {
                let mut state = shared.state.write().expect("state lock");
                let template = template_collection(shared, route);
                let collection = state.collection(&collection_path, &template);
                if !value.contains_key("id") {
                    value.insert("id".into(), collection.assign_id());
                }
                let item = Item::new(value);
                collection.insert(item.clone());
                item
            };
            Ok(item_response(shared, route, &item, &query))
        }
        Kind::Update => {
            let body = json_body(shared, route, &request)?;
            let current = find_item(shared, route, &collection_path, &path_params)?;
            let mut value = current.value.clone();
            apply_update(&mut value, body)?;
            let item = Item::new(value);
            let id = current.id().unwrap_or_default();
            let mut state = shared.state.write().expect("state lock");
            let template = template_collection(shared, route);
            state.collection(&collection_path, &template).items.insert(id, item.clone());
            drop(state);
            Ok(item_response(shared, route, &item, &query))
        }
        Kind::Delete => {
            let item = find_item(shared, route, &collection_path, &path_params)?;
            let id = item.id().unwrap_or_default();
            let mut state = shared.state.write().expect("state lock");
            let template = template_collection(shared, route);
            state.collection(&collection_path, &template).items.shift_remove(&id);
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
            Ok(presign(shared, route, host, &query))
        }
        Kind::Upload => upload(shared, route, &collection_path, &request).await,
    }
}

fn concrete(template: &str, params: &[(String, String)]) -> String {
    let mut path = template.to_string();
    for (name, value) in params {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    path
}

fn template_collection(shared: &Shared, route: &Route) -> crate::store::Collection {
    crate::store::Collection { integer_ids: shared.integer_ids.contains(&route.collection), ..Default::default() }
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
    let template = template_collection(shared, route);
    let collection = state.collection(collection_path, &template);
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
fn select_fields(value: &Map<String, Value>, fields: Option<&String>) -> Option<Map<String, Value>> {
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

const RESERVED_QUERY: [&str; 11] =
    ["fields", "sort", "q", "aggs", "filters", "startIndex", "count", "filter", "sortBy", "sortOrder", "qFields"];

fn list(shared: &Shared, route: &Route, collection_path: &str, query: &BTreeMap<String, String>) -> Outcome {
    let schemas = shared.api.schemas();
    let response = shared
        .api
        .schema_at(&route.response_schema)
        .map(|s| schemas.deref(s))
        .ok_or_else(|| MockResponse::empty(200))?;
    let (items_key, _) =
        list_items(schemas, response).ok_or_else(|| MockResponse::error(500, "list response has no array"))?;
    let declared: Vec<String> = schemas.properties(response).iter().map(|(k, _)| (*k).clone()).collect();
    let (cursor_param, size_param) = match &route.op.pagination {
        Pagination::Cursor { cursor_param, size_param, .. } => (Some(cursor_param.as_str()), size_param.as_deref()),
        _ => (None, None),
    };
    // A declared parameter that names no field of the items (`search` on the metadata lists) searches text;
    // anything else (`state`, or an undeclared custom field) must match a field exactly.
    let item_keys: Vec<&String> = shared
        .api
        .item_schema(&route.collection)
        .map(|s| schemas.properties(s).into_iter().map(|(k, _)| k).collect())
        .unwrap_or_default();
    let searches = |key: &str| {
        route.op.parameters.iter().any(|p| p.name == key && p.location == ParameterLocation::Query)
            && !item_keys.iter().any(|k| k.as_str() == key)
    };
    let mut texts: Vec<String> = query
        .iter()
        .filter(|(k, _)| {
            searches(k)
                && !RESERVED_QUERY.contains(&k.as_str())
                && Some(k.as_str()) != cursor_param
                && Some(k.as_str()) != size_param
        })
        .map(|(_, v)| v.to_lowercase())
        .collect();
    let filters: Vec<(&String, &String)> = query
        .iter()
        .filter(|(k, _)| {
            !RESERVED_QUERY.contains(&k.as_str()) && Some(k.as_str()) != cursor_param && Some(k.as_str()) != size_param
        })
        .filter(|(k, _)| route.op.parameters.iter().all(|p| p.name != **k || p.location == ParameterLocation::Query))
        .filter(|(k, _)| !searches(k))
        .collect();
    let scim_filter = query.get("filter").map(|f| parse_scim_filter(f)).transpose().map_err(bad)?;
    texts.extend(query.get("q").map(|q| q.to_lowercase()));

    let state = shared.state.read().expect("state lock");
    let empty = crate::store::Collection::default();
    let collection = state.collections.get(collection_path).unwrap_or(&empty);
    let needs_scan = !filters.is_empty()
        || scim_filter.is_some()
        || !texts.is_empty()
        || query.contains_key("sort")
        || query.contains_key("sortBy");
    let mut matched: Vec<&Arc<Item>> = if needs_scan {
        collection
            .items
            .values()
            .filter(|item| {
                filters.iter().all(|(k, v)| item.value.get(k.as_str()).is_some_and(|field| text_of(field) == **v))
            })
            .filter(|item| scim_filter.as_ref().is_none_or(|(attr, wanted)| scim_matches(&item.value, attr, wanted)))
            .filter(|item| {
                texts
                    .iter()
                    .all(|q| item.value.values().any(|v| v.as_str().is_some_and(|s| s.to_lowercase().contains(q))))
            })
            .collect()
    } else {
        Vec::new()
    };
    if needs_scan {
        sort_items(&mut matched, query);
    }
    let total = if needs_scan { matched.len() } else { collection.items.len() };
    let item_at = |i: usize| -> &Arc<Item> { if needs_scan { matched[i] } else { &collection.items[i] } };

    let mut body = Vec::with_capacity(256);
    body.push(b'{');
    let (start, end, next_cursor) = match &route.op.pagination {
        Pagination::Cursor { .. } => {
            let size = page_size(route, size_param, query, 1000);
            let start = match cursor_param.and_then(|c| query.get(c)) {
                Some(cursor) => decode_cursor(cursor)
                    .ok_or_else(|| bad(format!("`cursor` {cursor:?} is not a cursor this server issued")))?,
                None => 0,
            };
            let start = start.min(total);
            let end = (start + size).min(total);
            (start, end, (end < total).then(|| encode_cursor(end)))
        }
        Pagination::ScimOffset { start_param, count_param, .. } => {
            let start_index = query.get(start_param).and_then(|s| s.parse::<usize>().ok()).unwrap_or(1).max(1);
            let count = page_size(route, Some(count_param), query, 100);
            let start = (start_index - 1).min(total);
            let end = (start + count).min(total);
            let list_urn = json!(["urn:ietf:params:scim:api:messages:2.0:ListResponse"]);
            let declared_schemas =
                schemas.properties(response).into_iter().find(|(k, _)| k.as_str() == "schemas").map(|(_, s)| s);
            let constrained = declared_schemas.is_some_and(|s| schemas.validate(&list_urn, s, "schemas").is_err());
            let schemas_value = match declared_schemas {
                Some(s) if constrained => schemas.generate(s, 0, "schemas"),
                _ => list_urn,
            };
            for (key, value) in [
                ("schemas", schemas_value),
                ("totalResults", json!(total)),
                ("startIndex", json!(start_index)),
                ("itemsPerPage", json!(end - start)),
            ] {
                if declared.iter().any(|d| d == key) {
                    push_member(&mut body, key, &value);
                }
            }
            (start, end, None)
        }
        Pagination::None => (0, total, None),
    };
    let fields = query.get("fields");
    open_member(&mut body, items_key);
    body.push(b'[');
    for i in start..end {
        if i > start {
            body.push(b',');
        }
        let item = item_at(i);
        match select_fields(&item.value, fields) {
            Some(selected) => body.extend_from_slice(&serde_json::to_vec(&selected).expect("JSON")),
            None => body.extend_from_slice(&item.json),
        }
    }
    body.push(b']');
    let mut next_written = false;
    if let Some(next) = next_cursor
        && declared.iter().any(|d| d == "nextCursor")
    {
        push_member(&mut body, "nextCursor", &json!(next));
        next_written = true;
    }
    if matches!(route.op.pagination, Pagination::Cursor { .. } | Pagination::None) {
        for (key, value) in [("count", end - start), ("total", total)] {
            if declared.iter().any(|d| d == key) {
                push_member(&mut body, key, &json!(value));
            }
        }
    }
    let written = |key: &str| {
        key == items_key.as_str()
            || (key == "nextCursor" && next_written)
            || (matches!(route.op.pagination, Pagination::ScimOffset { .. })
                && ["schemas", "totalResults", "startIndex", "itemsPerPage"].contains(&key))
            || (!matches!(route.op.pagination, Pagination::ScimOffset { .. }) && ["count", "total"].contains(&key))
    };
    for required in schemas.required(response) {
        if !written(required) {
            let property =
                schemas.properties(response).into_iter().find(|(k, _)| k.as_str() == required).map(|(_, s)| s);
            push_member(
                &mut body,
                required,
                &property.map(|p| schemas.generate(p, 0, required)).unwrap_or(Value::Null),
            );
        }
    }
    body.push(b'}');
    Ok(MockResponse::raw_json(route.op.success_status, body))
}

fn open_member(body: &mut Vec<u8>, key: &str) {
    if body.last() != Some(&b'{') {
        body.push(b',');
    }
    body.extend_from_slice(serde_json::to_string(key).expect("JSON").as_bytes());
    body.push(b':');
}

fn push_member_raw(body: &mut Vec<u8>, key: &str, json: &[u8]) {
    open_member(body, key);
    body.extend_from_slice(json);
}

fn push_member(body: &mut Vec<u8>, key: &str, value: &Value) {
    open_member(body, key);
    body.extend_from_slice(&serde_json::to_vec(value).expect("JSON"));
}

fn page_size(route: &Route, param: Option<&str>, query: &BTreeMap<String, String>, fallback: usize) -> usize {
    let Some(param) = param else { return fallback };
    if let Some(size) = query.get(param).and_then(|s| s.parse::<usize>().ok()) {
        return size.max(1);
    }
    route
        .op
        .parameters
        .iter()
        .find(|p| p.name == param)
        .and_then(|p| p.default.as_ref())
        .and_then(Value::as_u64)
        .map(|d| d as usize)
        .unwrap_or(fallback)
}

fn encode_cursor(offset: usize) -> String {
    base64::engine::general_purpose::STANDARD.encode(offset.to_string())
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(cursor).ok()?;
    String::from_utf8(bytes).ok()?.parse().ok()
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn sort_items(items: &mut [&Arc<Item>], query: &BTreeMap<String, String>) {
    let mut keys: Vec<(String, bool)> = Vec::new();
    if let Some(sort) = query.get("sort") {
        for part in sort.split(',').filter(|p| !p.is_empty()) {
            let (field, order) = part.split_once(':').unwrap_or((part, "asc"));
            keys.push((field.to_string(), order.eq_ignore_ascii_case("desc")));
        }
    }
    if let Some(by) = query.get("sortBy") {
        keys.push((by.clone(), query.get("sortOrder").is_some_and(|o| o == "descending")));
    }
    if keys.is_empty() {
        return;
    }
    items.sort_by(|a, b| {
        for (field, descending) in &keys {
            let ordering = compare(a.value.get(field), b.value.get(field));
            let ordering = if *descending { ordering.reverse() } else { ordering };
            if ordering.is_ne() {
                return ordering;
            }
        }
        std::cmp::Ordering::Equal
    });
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    match (a.and_then(Value::as_f64), b.and_then(Value::as_f64)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        _ => a.map(text_of).cmp(&b.map(text_of)),
    }
}

/// `userName eq "ada@example.com"` (RFC 7644; Torii supports only `eq` on `userName` and `emails`).
fn parse_scim_filter(filter: &str) -> Result<(String, String), String> {
    let mut parts = filter.splitn(3, ' ');
    let (Some(attribute), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("`filter` {filter:?} is not `attribute eq \"value\"`"));
    };
    if !op.eq_ignore_ascii_case("eq") {
        return Err(format!("`filter` operator {op:?} is not supported; only eq is"));
    }
    let value = value.trim().trim_matches('"').to_string();
    Ok((attribute.to_string(), value))
}

fn scim_matches(item: &Map<String, Value>, attribute: &str, wanted: &str) -> bool {
    if attribute.eq_ignore_ascii_case("emails") || attribute.eq_ignore_ascii_case("emails.value") {
        return item
            .get("emails")
            .and_then(Value::as_array)
            .is_some_and(|emails| emails.iter().any(|e| e.get("value").and_then(Value::as_str) == Some(wanted)));
    }
    item.iter()
        .any(|(k, v)| k.eq_ignore_ascii_case(attribute) && v.as_str().is_some_and(|s| s.eq_ignore_ascii_case(wanted)))
}

/// `GET /files/url`: a URL on the mock itself, valid for one PUT without the Torii key.
fn presign(shared: &Shared, route: &Route, host: &str, query: &BTreeMap<String, String>) -> MockResponse {
    let token = format!("upload-{}", shared.next_token());
    let name = query.get("name").cloned().unwrap_or_else(|| "file".to_string());
    let url = format!("http://{host}/_mock/uploads/{token}");
    let schemas = shared.api.schemas();
    let mut value =
        shared.api.schema_at(&route.response_schema).map(|s| schemas.generate(s, 0, "response")).unwrap_or(json!({}));
    override_strings(&mut value, &|key| match key {
        "url" => Some(url.clone()),
        "fileId" | "filePath" | "id" => Some(format!("{token}/{name}")),
        _ => None,
    });
    MockResponse::json(route.op.success_status, &value)
}

fn override_strings(value: &mut Value, pick: &dyn Fn(&str) -> Option<String>) {
    if let Value::Object(map) = value {
        for (key, child) in map.iter_mut() {
            match pick(key) {
                Some(replacement) => *child = Value::String(replacement),
                None => override_strings(child, pick),
            }
        }
    }
}

async fn upload(shared: &Shared, route: &Route, collection_path: &str, request: &MockRequest) -> Outcome {
    let content_type =
        request.headers.get(hyper::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).map_err(|_| bad("the body must be multipart/form-data"))?;
    if request.body.len() > MAX_UPLOAD_BYTES + 64 * 1024 {
        return Err(MockResponse::error(413, format!("the upload is larger than {MAX_UPLOAD_BYTES} bytes")));
    }
    let body = request.body.clone();
    let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields: Map<String, Value> = Map::new();
    let mut file: Option<(String, Bytes)> = None;
    while let Some(field) =
        multipart.next_field().await.map_err(|e| bad(format!("the multipart body is malformed: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let data = field.bytes().await.map_err(|e| bad(format!("the multipart body is malformed: {e}")))?;
        match file_name {
            Some(file_name) => {
                if data.len() > MAX_UPLOAD_BYTES {
                    return Err(MockResponse::error(
                        413,
                        format!("`{name}` is {} bytes; at most {MAX_UPLOAD_BYTES} are accepted", data.len()),
                    ));
                }
                fields.insert("fileName".into(), json!(file_name));
                fields.insert("size".into(), json!(data.len()));
                file = Some((name, data));
            }
            None => {
                fields.insert(name, json!(String::from_utf8_lossy(&data)));
            }
        }
    }
    let form = route.op.body.as_ref().map(|b| b.form_fields.clone()).unwrap_or_default();
    for field in &form {
        let present = if field.binary {
            file.as_ref().is_some_and(|(n, _)| *n == field.name)
        } else {
            fields.contains_key(&field.name)
        };
        if field.required && !present {
            return Err(bad(format!("`{}` is required", field.name)));
        }
        if let (false, Some(value)) = (field.enum_values.is_empty(), fields.get(&field.name))
            && !field.enum_values.contains(value)
        {
            return Err(bad(format!("`{}` must be one of the allowed values, not {value}", field.name)));
        }
    }
    let (_, bytes) = file.ok_or_else(|| bad("no file part in the form"))?;
    let files_path = collection_path
        .rsplit_once('/')
        .map(|(parent, _)| parent)
        .filter(|p| !p.is_empty())
        .unwrap_or(collection_path)
        .to_string();
    let id = {
        let mut state = shared.state.write().expect("state lock");
        let template =
            crate::store::Collection { integer_ids: shared.integer_ids.contains(&files_path), ..Default::default() };
        let collection = state.collection(&files_path, &template);
        let id = collection.assign_id();
        fields.insert("id".into(), id.clone());
        collection.insert(Item::new(fields.clone()));
        state.files.insert(id_text(&id), bytes);
        id
    };
    let schemas = shared.api.schemas();
    let mut value =
        shared.api.schema_at(&route.response_schema).map(|s| schemas.generate(s, 0, "response")).unwrap_or(json!({}));
    if let Value::Object(map) = &mut value
        && (map.contains_key("id") || map.is_empty())
    {
        let typed_id = match schemas
            .properties(shared.api.schema_at(&route.response_schema).unwrap_or(&Value::Null))
            .iter()
            .find(|(k, _)| k.as_str() == "id")
        {
            Some((_, schema)) if schemas.deref(schema).get("type").and_then(Value::as_str) == Some("string") => {
                json!(id_text(&id))
            }
            _ => id.clone(),
        };
        map.insert("id".into(), typed_id);
    }
    Ok(MockResponse::json(route.op.success_status, &value))
}
