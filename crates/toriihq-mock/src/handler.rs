//! Answers one API request: validate it against the spec, act on the store, shape the answer like the spec's
//! response schema.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};
use toriihq_spec::ParameterLocation;

use crate::api::{Kind, Route};
use crate::http::{MockRequest, MockResponse, Outcome, bad};
use crate::output::{answer_without_item, item_response};
use crate::patch::{apply_update, check_update};
use crate::shared::Shared;
use crate::store::Item;

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
        // Whole seconds, as Torii sends; the milliseconds too, for a mock whose minute is scaled down.
        response.headers.push(("retry-after", wait.as_secs_f64().ceil().max(1.0).to_string()));
        response.headers.push(("retry-after-ms", wait.as_millis().max(1).to_string()));
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
            let body = new_item_body(shared, route, &request)?;
            let mut value = match body {
                Value::Object(map) => map,
                other => return Err(bad(format!("the body must be a JSON object, not {other}"))),
            };
            let item = {
                let mut state = shared.state.write().expect("state lock");
                let collection = state.collection(&collection_path, integer_ids(shared, route));
                if crate::scim::is_users(route)
                    && let Some(reactivated) = crate::scim::create(collection, &mut value)?
                {
                    drop(state);
                    return Ok(item_response(shared, route, &reactivated, query));
                }
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
            if let Some(schema) = shared.api.item_schema(&route.collection) {
                check_update(shared.api.schemas(), schema, &current.value, &value)?;
            }
            let mut state = shared.state.write().expect("state lock");
            if crate::scim::is_users(route) {
                let collection = state.collection(&collection_path, integer_ids(shared, route));
                crate::scim::update(collection, &request.method, &current.value, &value)?;
            }
            let item = Item::new(value);
            let id = current.id().unwrap_or_default();
            state.collection(&collection_path, integer_ids(shared, route)).items.insert(id, item.clone());
            drop(state);
            Ok(item_response(shared, route, &item, query))
        }
        Kind::Delete => {
            let item = find_item(shared, route, &collection_path, &path_params)?;
            let id = item.id().unwrap_or_default();
            let mut state = shared.state.write().expect("state lock");
            let collection = state.collection(&collection_path, integer_ids(shared, route));
            if crate::scim::is_users(route) {
                crate::scim::delete(collection, &item.value)?;
            }
            collection.items.shift_remove(&id);
            Ok(answer_without_item(shared, route))
        }
        Kind::Action => {
            if route.body_schema.is_some() {
                let body = json_body(shared, route, &request)?;
                shared.record(route, &collection_path, body);
            }
            Ok(answer_without_item(shared, route))
        }
        Kind::PresignUrl => Ok(crate::files::presign(shared, route, query)),
        Kind::Upload => crate::files::upload(shared, route, &collection_path, &request).await,
        Kind::StoreFile => {
            let body = json_body(shared, route, &request)?;
            crate::files::store_file(shared, route, &collection_path, body)
        }
        Kind::Download => crate::files::download(shared, &path_params),
        Kind::Sync => {
            let body = json_body(shared, route, &request)?;
            crate::sync::sync(shared, route, &collection_path, body)
        }
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
            Some(raw) => param.check(&raw).map_err(|p| bad(format!("`{}` {}", param.name, p.problem)))?,
        }
    }
    Ok(())
}

/// A create's body: it becomes an item every later read serves, so an absent one is checked as `{}` against the
/// schema (a SCIM user without `schemas` and `userName` is refused, not stored as `{"id": …}`).
fn new_item_body(shared: &Shared, route: &Route, request: &MockRequest) -> Result<Value, MockResponse> {
    let body = json_body(shared, route, request)?;
    if request.body.is_empty()
        && let Some(schema) = shared.api.schema_at(&route.body_schema)
    {
        shared.api.schemas().validate(&body, schema, "body").map_err(bad)?;
    }
    Ok(body)
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
