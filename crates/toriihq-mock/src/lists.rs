//! Lists: filters, search, sort and paging (cursor or SCIM `startIndex`), answered in the spec's envelope. A page
//! is assembled from each item's cached JSON, so nothing re-serialises the collection.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine;
use serde_json::{Value, json};
use toriihq_spec::{Pagination, ParameterLocation};

use crate::api::{Route, list_items};
use crate::http::{MockResponse, Outcome, bad};
use crate::output::{Selection, open_member, push_member};
use crate::schema::Generate;
use crate::shared::Shared;
use crate::store::Item;

/// Query parameters that shape a list without filtering it (paging parameters come from the operation).
const RESERVED_QUERY: [&str; 10] =
    ["fields", "sort", "q", "aggs", "filters", "filter", "sortBy", "sortOrder", "qFields", "includeLicenses"];

pub(crate) fn list(shared: &Shared, route: &Route, collection_path: &str, query: &BTreeMap<String, String>) -> Outcome {
    let schemas = shared.api.schemas();
    let response = shared
        .api
        .schema_at(&route.response_schema)
        .map(|s| schemas.deref(s))
        .ok_or_else(|| MockResponse::empty(200))?;
    // A list the spec declares under two keys (`response`, `actionExecutions`) is served under the first.
    let (items_key, _) = list_items(schemas, response, route.op.pagination.items_fields().first().copied())
        .ok_or_else(|| MockResponse::error(500, "list response has no array"))?;
    let declared: Vec<String> = schemas.properties(response).iter().map(|(k, _)| (*k).clone()).collect();
    let paging = route.op.pagination.paging_params();
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
        .filter(|(k, _)| searches(k) && !RESERVED_QUERY.contains(&k.as_str()) && !paging.contains(&k.as_str()))
        .map(|(_, v)| v.to_lowercase())
        .collect();
    let filters: Vec<(&String, &String)> = query
        .iter()
        .filter(|(k, _)| !RESERVED_QUERY.contains(&k.as_str()) && !paging.contains(&k.as_str()))
        .filter(|(k, _)| route.op.parameters.iter().all(|p| p.name != **k || p.location == ParameterLocation::Query))
        .filter(|(k, _)| !searches(k))
        .collect();
    let scim_filter = query.get("filter").map(|f| crate::scim::parse_filter(f)).transpose().map_err(bad)?;
    let only_active = crate::scim::is_users(route);
    texts.extend(query.get("q").map(|q| q.to_lowercase()));

    let state = shared.state.read().expect("state lock");
    let empty = crate::store::Collection::default();
    let collection = state.collections.get(collection_path).unwrap_or(&empty);
    let needs_scan = !filters.is_empty()
        || scim_filter.is_some()
        || only_active
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
            .filter(|item| !only_active || crate::scim::listed(&item.value))
            .filter(|item| {
                scim_filter.as_ref().is_none_or(|(attr, wanted)| crate::scim::filter_matches(&item.value, attr, wanted))
            })
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
        Pagination::Offset { offset_param, limit_param, .. } => {
            let offset = query.get(offset_param).and_then(|s| s.parse::<usize>().ok()).unwrap_or(0);
            let limit = page_size(route, Some(limit_param), query, 50);
            let start = offset.min(total);
            (start, (start + limit).min(total), None)
        }
        Pagination::None => (0, total, None),
    };
    let mut selection =
        Selection::of(query, shared.api.item_schema(&route.collection).map(|s| shared.api.schemas().deref(s)));
    open_member(&mut body, items_key);
    body.push(b'[');
    for i in start..end {
        if i > start {
            body.push(b',');
        }
        let item = item_at(i);
        match &mut selection {
            Some(selection) => selection.write(item, &mut body),
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
