//! Rewrites a document into the OpenAPI 3.0 subset progenitor accepts, without changing what goes on the wire.
//!
//! Each step exists because progenitor 0.15 (or typify under it) rejects or panics on the input otherwise:
//! 1. `openapi: 3.1.x` becomes `3.0.3`; 3.1 schema syntax is rewritten (`type: [T, "null"]` → `nullable`,
//!    `examples: [..]` → `example`, `const` → one-value `enum`, numeric `exclusiveMinimum/Maximum` → boolean form).
//! 2. Responses declared as `*/*` become `application/json` (Torii answers JSON); a `*/*` plain string body
//!    (the docs spec's 204/302 placeholders) is dropped, because progenitor would try to decode it as JSON.
//! 3. Inline schemas of shared `components.parameters` are hoisted into `components.schemas` (progenitor would
//!    otherwise emit one enum per operation for the same header).
//! 4. Every 4xx/5xx response gets the one shared error schema (progenitor panics when an operation has two error
//!    bodies, or a typed one beside a body-less one).
//! 5. `multipart/form-data` bodies are taken out of the document progenitor sees; the operation is kept in the
//!    description with `x-toriihq-multipart` so the façade's upload path serves it.
//! 6. Schema names that become the same Rust type name (`apps`/`Apps`) are told apart: the one already in
//!    Rust form keeps its name, the other gets `List` (an array) or a number, and every `$ref` follows.
//! 7. String enums whose values collide once turned into Rust names (`DD/MM/YYYY` vs `DD.MM.YYYY`) are hoisted
//!    into named schemas and listed in the report; the Rust generator gives them spelled-out variant names.
//!
//! Two steps run first, because they change what the document says rather than how it says it:
//! - `x-alternatives` (the docs spec's way of saying "a number or an array") becomes `oneOf`, the
//!   `x-alt-definitions` it points into are hoisted into `components.schemas`; alternatives that are all strings
//!   (an enum beside an open pattern) are a plain string, since no value is refused.
//! - `components.x-toriihq-schema-names` (set by an overlay) renames schemas to the project's names
//!   (`Model9` → `AppsPage`), every `$ref` following; a name that matches no schema is reported, and the loader
//!   refuses the spec, as it does for an overlay action that matches nothing.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToPascalCase;
use serde_json::{Map, Value, json};

pub const API_ERROR_SCHEMA: &str = "ApiError";
pub const MULTIPART_EXTENSION: &str = "x-toriihq-multipart";
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// What normalisation changed, so generators and tests can see it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NormaliseReport {
    pub converted_from_31: bool,
    pub hoisted_parameter_schemas: Vec<String>,
    pub error_schema: Option<String>,
    pub error_responses_unified: usize,
    pub multipart_operations: Vec<String>,
    pub media_ranges_settled: usize,
    /// Schemas renamed because their Rust names collided: old name → new name.
    pub renamed_schemas: BTreeMap<String, String>,
    /// Schema name → enum values that need spelled-out Rust variant names.
    pub punctuation_enums: BTreeMap<String, Vec<String>>,
    /// Schemas given the project's names by `components.x-toriihq-schema-names`: old name → new name.
    pub project_schema_names: BTreeMap<String, String>,
    /// Names in `components.x-toriihq-schema-names` that match no schema (the loader refuses such a spec).
    pub unmatched_schema_names: Vec<String>,
    /// How many `x-alternatives` became `oneOf` (or a plain string).
    pub alternatives_resolved: usize,
}

pub fn normalise(doc: &mut Value) -> NormaliseReport {
    let mut report = NormaliseReport::default();
    if doc.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.1")) {
        doc["openapi"] = json!("3.0.3");
        report.converted_from_31 = true;
    }
    rewrite_schema_keywords(doc, Context::Keywords);
    resolve_alternatives(doc, &mut report);
    adopt_project_schema_names(doc, &mut report);
    hoist_parameter_schemas(doc, &mut report);
    settle_response_media_ranges(doc, &mut report);
    unify_error_responses(doc, &mut report);
    set_aside_multipart_bodies(doc, &mut report);
    rename_colliding_schemas(doc, &mut report);
    hoist_punctuation_enums(doc, &mut report);
    report
}

/// Whether the keys of an object are names (of properties, paths, responses…) or keywords.
#[derive(Clone, Copy, PartialEq)]
enum Context {
    Keywords,
    Names,
}

const NAME_MAPS: [&str; 17] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "schemas",
    "paths",
    "responses",
    "parameters",
    "headers",
    "content",
    "links",
    "callbacks",
    "securitySchemes",
    "requestBodies",
    "variables",
    "mapping",
    "encoding",
];
const OPAQUE_VALUES: [&str; 4] = ["example", "default", "enum", "x-example"];

fn rewrite_schema_keywords(value: &mut Value, context: Context) {
    match value {
        Value::Object(map) => {
            if context == Context::Keywords {
                rewrite_keywords(map);
            }
            for (key, child) in map.iter_mut() {
                if context == Context::Keywords && (OPAQUE_VALUES.contains(&key.as_str()) || key.starts_with("x-")) {
                    continue;
                }
                if context == Context::Keywords && key == "examples" {
                    continue; // 3.0 Example objects: payloads, not schemas
                }
                let child_context =
                    if context == Context::Keywords && NAME_MAPS.contains(&key.as_str()) && child.is_object() {
                        Context::Names
                    } else {
                        Context::Keywords
                    };
                rewrite_schema_keywords(child, child_context);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_schema_keywords(v, Context::Keywords)),
        _ => {}
    }
}

fn rewrite_keywords(map: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let non_null: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
        if non_null.len() < types.len() {
            map.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.as_slice() {
            [] => {
                map.remove("type");
            }
            [single] => {
                map.insert("type".into(), single.clone());
            }
            many => {
                map.remove("type");
                let any_of: Vec<Value> = many.iter().map(|t| json!({ "type": t })).collect();
                map.insert("anyOf".into(), Value::Array(any_of));
            }
        }
    }
    if let Some(Value::Array(examples)) = map.get("examples").cloned() {
        map.remove("examples");
        if let Some(first) = examples.into_iter().next() {
            map.entry("example").or_insert(first);
        }
    }
    if let Some(constant) = map.remove("const") {
        map.insert("enum".into(), Value::Array(vec![constant]));
    }
    for (exclusive, inclusive) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(bound) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(inclusive.into(), bound);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

pub const SCHEMA_NAMES_EXTENSION: &str = "x-toriihq-schema-names";
const ALTERNATIVES: &str = "x-alternatives";
const ALTERNATIVE_DEFINITIONS: &str = "x-alt-definitions";

/// `x-alternatives: [A, B]` → `oneOf: [A, B]`; the root `x-alt-definitions` that alternatives point into become
/// component schemas (`Name`, or `NameAlternative` where `Name` is taken).
fn resolve_alternatives(doc: &mut Value, report: &mut NormaliseReport) {
    if let Some(Value::Object(definitions)) = doc.as_object_mut().and_then(|d| d.shift_remove(ALTERNATIVE_DEFINITIONS))
    {
        let prefix = format!("#/{ALTERNATIVE_DEFINITIONS}/");
        // Only the definitions something points at, directly or through another definition.
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        let mut pending = refs_with_prefix(doc, &prefix);
        while let Some(key) = pending.pop() {
            if let Some(definition) = definitions.get(&key).filter(|_| wanted.insert(key.clone())) {
                pending.extend(refs_with_prefix(definition, &prefix));
            }
        }
        let mut by_ref = BTreeMap::new();
        let mut hoisted = Vec::new();
        for (key, schema) in definitions.into_iter().filter(|(key, _)| wanted.contains(key)) {
            let wanted = key.to_pascal_case();
            let taken = |name: &str| {
                doc.pointer(&format!("/components/schemas/{name}")).is_some()
                    || hoisted.iter().any(|(n, _): &(String, Value)| n == name)
            };
            let name = if taken(&wanted) { format!("{wanted}Alternative") } else { wanted };
            let name = unique_schema_name(doc, &name);
            by_ref.insert(format!("#/{ALTERNATIVE_DEFINITIONS}/{key}"), format!("#/components/schemas/{name}"));
            hoisted.push((name, schema));
        }
        let schemas = ensure_object(doc, "/components/schemas");
        for (name, schema) in hoisted {
            schemas.insert(name, schema);
        }
        rewrite_refs(doc, &by_ref);
    }
    replace_alternatives(doc, report);
}

fn refs_with_prefix(value: &Value, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(key) = map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix(prefix)) {
                    found.push(key.to_string());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found
}

fn replace_alternatives(value: &mut Value, report: &mut NormaliseReport) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(alternatives)) = map.shift_remove(ALTERNATIVES) {
                report.alternatives_resolved += 1;
                let all_strings = alternatives.iter().all(|a| a.get("type").and_then(Value::as_str) == Some("string"));
                for keyword in ["type", "enum", "pattern", "format", "items", "properties", "required"] {
                    map.shift_remove(keyword);
                }
                if all_strings {
                    map.insert("type".into(), json!("string"));
                } else {
                    map.insert("oneOf".into(), Value::Array(alternatives));
                }
            }
            map.values_mut().for_each(|v| replace_alternatives(v, report));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_alternatives(v, report)),
        _ => {}
    }
}

/// Renames schemas to the names `components.x-toriihq-schema-names` gives them.
fn adopt_project_schema_names(doc: &mut Value, report: &mut NormaliseReport) {
    let Some(Value::Object(names)) =
        doc.get_mut("components").and_then(Value::as_object_mut).and_then(|c| c.shift_remove(SCHEMA_NAMES_EXTENSION))
    else {
        return;
    };
    let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) else {
        report.unmatched_schema_names = names.keys().cloned().collect();
        return;
    };
    let mut renames = BTreeMap::new();
    for (old, new) in names {
        match (schemas.contains_key(&old), new.as_str()) {
            (true, Some(new)) => {
                renames.insert(old, new.to_string());
            }
            _ => report.unmatched_schema_names.push(old),
        }
    }
    rename_schemas(doc, &renames);
    report.project_schema_names = renames;
}

fn settle_response_media_ranges(doc: &mut Value, report: &mut NormaliseReport) {
    for pointer in operation_pointers(doc) {
        let Some(responses) = doc.pointer_mut(&format!("{pointer}/responses")).and_then(Value::as_object_mut) else {
            continue;
        };
        for response in responses.values_mut() {
            let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else { continue };
            let Some(media) = content.shift_remove("*/*") else { continue };
            report.media_ranges_settled += 1;
            let is_plain_string = media.pointer("/schema/type").and_then(Value::as_str) == Some("string");
            if !is_plain_string && !content.keys().any(|m| m.contains("json")) {
                content.insert("application/json".into(), media);
            }
            if content.is_empty() {
                response.as_object_mut().expect("response object").remove("content");
            }
        }
    }
}

fn hoist_parameter_schemas(doc: &mut Value, report: &mut NormaliseReport) {
    let Some(parameters) = doc.pointer("/components/parameters").and_then(Value::as_object).cloned() else {
        return;
    };
    for (key, parameter) in parameters {
        let Some(schema) = parameter.get("schema") else { continue };
        if schema.get("$ref").is_some() || schema.get("enum").is_none() {
            continue;
        }
        let name = unique_schema_name(doc, &key.to_pascal_case());
        ensure_object(doc, "/components/schemas").insert(name.clone(), schema.clone());
        doc["components"]["parameters"][&key]["schema"] = json!({ "$ref": format!("#/components/schemas/{name}") });
        report.hoisted_parameter_schemas.push(name);
    }
}

fn is_error_status(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5')
}

/// Picks the error schema used most often (by `$ref` or by structure), names it, and gives it to every
/// 4xx/5xx response of every operation.
fn unify_error_responses(doc: &mut Value, report: &mut NormaliseReport) {
    let mut counts: BTreeMap<String, (usize, Value)> = BTreeMap::new();
    let snapshot = doc.clone();
    for_each_operation(&snapshot, |_, _, op| {
        for (status, response) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
            if !is_error_status(status) {
                continue;
            }
            if let Some(schema) = resolve_response(&snapshot, response).and_then(json_schema_of) {
                let key = serde_json::to_string(&schema).unwrap_or_default();
                counts.entry(key).or_insert((0, schema)).0 += 1;
            }
        }
    });
    let chosen = counts.into_values().max_by_key(|(n, _)| *n).map(|(_, schema)| schema);
    let reference = match chosen {
        Some(schema) if schema.get("$ref").is_some() => schema,
        Some(schema) => {
            let name = unique_schema_name(doc, API_ERROR_SCHEMA);
            ensure_object(doc, "/components/schemas").insert(name.clone(), schema);
            json!({ "$ref": format!("#/components/schemas/{name}") })
        }
        None => {
            let has_error_responses = operation_pointers(doc).iter().any(|p| {
                doc.pointer(&format!("{p}/responses"))
                    .and_then(Value::as_object)
                    .is_some_and(|r| r.keys().any(|s| is_error_status(s)))
            });
            if !has_error_responses {
                return;
            }
            let name = unique_schema_name(doc, API_ERROR_SCHEMA);
            ensure_object(doc, "/components/schemas").insert(name.clone(), json!({"type": "object"}));
            json!({ "$ref": format!("#/components/schemas/{name}") })
        }
    };
    report.error_schema = reference["$ref"].as_str().map(|r| r.rsplit('/').next().unwrap_or(r).to_string());
    for pointer in operation_pointers(doc) {
        let Some(responses) = doc.pointer_mut(&format!("{pointer}/responses")).and_then(Value::as_object_mut) else {
            continue;
        };
        for (status, response) in responses.iter_mut() {
            if !is_error_status(status) {
                continue;
            }
            let description = response
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| format!("Error {status}"));
            *response = json!({
                "description": description,
                "content": { "application/json": { "schema": reference.clone() } }
            });
            report.error_responses_unified += 1;
        }
    }
}

fn resolve_response<'a>(doc: &'a Value, response: &'a Value) -> Option<&'a Value> {
    match response.get("$ref").and_then(Value::as_str) {
        Some(reference) => doc.pointer(reference.trim_start_matches('#')),
        None => Some(response),
    }
}

fn json_schema_of(response: &Value) -> Option<Value> {
    response.get("content")?.as_object()?.iter().find(|(media, _)| media.contains("json"))?.1.get("schema").cloned()
}

fn set_aside_multipart_bodies(doc: &mut Value, report: &mut NormaliseReport) {
    for pointer in operation_pointers(doc) {
        let op = doc.pointer_mut(&pointer).expect("operation pointer");
        let Some(content) = op.pointer_mut("/requestBody/content").and_then(Value::as_object_mut) else { continue };
        let Some(form) = content.shift_remove("multipart/form-data") else { continue };
        let remaining = content.len();
        let body = op.get_mut("requestBody").and_then(Value::as_object_mut).expect("request body");
        let required = body.get("required").cloned().unwrap_or(Value::Bool(false));
        if remaining == 0 {
            body.clear();
            op.as_object_mut().expect("operation object").remove("requestBody");
        }
        op[MULTIPART_EXTENSION] =
            json!({ "required": required, "schema": form.get("schema").cloned().unwrap_or(json!({})) });
        let id = op.get("operationId").and_then(Value::as_str).unwrap_or(&pointer).to_string();
        report.multipart_operations.push(id);
    }
}

fn rename_colliding_schemas(doc: &mut Value, report: &mut NormaliseReport) {
    let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) else { return };
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in schemas.keys() {
        groups.entry(typify_variant_name(name)).or_default().push(name.clone());
    }
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let mut taken: BTreeSet<String> = schemas.keys().cloned().collect();
    for (rust_name, mut members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
        // The member already spelled as the Rust name keeps it; the others are renamed in sorted order.
        members.sort_by_key(|m| (*m != rust_name, m.clone()));
        for member in members.into_iter().skip(1) {
            let is_array = schemas[&member].get("type").and_then(Value::as_str) == Some("array");
            let base = if is_array { format!("{rust_name}List") } else { rust_name.clone() };
            let new_name = std::iter::once(base.clone())
                .chain((2..).map(|n| format!("{base}{n}")))
                .find(|candidate| !taken.iter().any(|t| typify_variant_name(t) == *candidate))
                .expect("unbounded");
            taken.insert(new_name.clone());
            renames.insert(member, new_name);
        }
    }
    if renames.is_empty() {
        return;
    }
    rename_schemas(doc, &renames);
    report.renamed_schemas = renames;
}

/// Renames component schemas (old → new), keeping their order, and points every `$ref` at the new names.
fn rename_schemas(doc: &mut Value, renames: &BTreeMap<String, String>) {
    let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    let entries: Vec<(String, Value)> = std::mem::take(schemas).into_iter().collect();
    for (name, schema) in entries {
        schemas.insert(renames.get(&name).cloned().unwrap_or(name), schema);
    }
    let by_ref: BTreeMap<String, String> = renames
        .iter()
        .map(|(old, new)| (format!("#/components/schemas/{old}"), format!("#/components/schemas/{new}")))
        .collect();
    rewrite_refs(doc, &by_ref);
}

fn rewrite_refs(value: &mut Value, by_ref: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && let Some(new) = by_ref.get(reference.as_str())
            {
                *reference = new.clone();
            }
            map.values_mut().for_each(|v| rewrite_refs(v, by_ref));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, by_ref)),
        _ => {}
    }
}

/// The Rust identifier typify would derive from an enum value.
pub fn typify_variant_name(value: &str) -> String {
    let cleaned: String =
        value.replace('\'', "").chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' }).collect();
    cleaned.to_pascal_case()
}

fn has_colliding_variants(values: &[Value]) -> bool {
    let mut seen = BTreeSet::new();
    values.iter().filter_map(Value::as_str).any(|v| !seen.insert(typify_variant_name(v)))
}

fn hoist_punctuation_enums(doc: &mut Value, report: &mut NormaliseReport) {
    // Named schemas first: they keep their names.
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, schema) in schemas {
            if let Some(values) = colliding_enum(schema) {
                report.punctuation_enums.insert(name.to_pascal_case(), values);
            }
        }
    }
    // Inline ones anywhere else are hoisted under a name taken from where they stand.
    let mut found: Vec<(String, String)> = Vec::new();
    collect_inline_colliding_enums(doc, "", &mut found);
    for (pointer, suggested) in found {
        let schema = doc.pointer(&pointer).cloned().expect("located enum");
        let values = colliding_enum(&schema).expect("collides");
        let existing = report.punctuation_enums.iter().find(|(_, v)| **v == values).map(|(k, _)| k.clone());
        let name = match existing {
            Some(name) if doc.pointer(&format!("/components/schemas/{name}")).is_some() => name,
            _ => {
                let name = unique_schema_name(doc, &suggested);
                ensure_object(doc, "/components/schemas").insert(name.clone(), schema);
                report.punctuation_enums.insert(name.clone(), values);
                name
            }
        };
        *doc.pointer_mut(&pointer).expect("located enum") = json!({ "$ref": format!("#/components/schemas/{name}") });
    }
}

fn colliding_enum(schema: &Value) -> Option<Vec<String>> {
    let values = schema.get("enum")?.as_array()?;
    if schema.get("type").and_then(Value::as_str) != Some("string") || !has_colliding_variants(values) {
        return None;
    }
    Some(values.iter().filter_map(Value::as_str).map(str::to_string).collect())
}

fn collect_inline_colliding_enums(value: &Value, pointer: &str, found: &mut Vec<(String, String)>) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            for (i, item) in items.iter().enumerate() {
                collect_inline_colliding_enums(item, &format!("{pointer}/{i}"), found);
            }
        }
        return;
    };
    let is_component_schema = pointer.starts_with("/components/schemas/") && pointer.matches('/').count() == 3;
    if !is_component_schema && colliding_enum(value).is_some() {
        let last = pointer.rsplit('/').find(|s| *s != "schema" && *s != "items" && s.parse::<usize>().is_err());
        let suggested = last.unwrap_or("Enum").replace("~1", "_").to_pascal_case();
        found.push((pointer.to_string(), suggested));
        return;
    }
    for (key, child) in map {
        if OPAQUE_VALUES.contains(&key.as_str()) || key.starts_with("x-") || key == "examples" {
            continue;
        }
        let escaped = key.replace('~', "~0").replace('/', "~1");
        collect_inline_colliding_enums(child, &format!("{pointer}/{escaped}"), found);
    }
}

pub(crate) fn operation_pointers(doc: &Value) -> Vec<String> {
    let mut pointers = Vec::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let escaped = path.replace('~', "~0").replace('/', "~1");
        for method in METHODS {
            if item.get(method).is_some() {
                pointers.push(format!("/paths/{escaped}/{method}"));
            }
        }
    }
    pointers
}

pub(crate) fn for_each_operation(doc: &Value, mut f: impl FnMut(&str, &str, &Value)) {
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                f(path, method, op);
            }
        }
    }
}

fn unique_schema_name(doc: &Value, wanted: &str) -> String {
    let taken = |name: &str| doc.pointer(&format!("/components/schemas/{name}")).is_some();
    if !taken(wanted) {
        return wanted.to_string();
    }
    (2..).map(|n| format!("{wanted}{n}")).find(|n| !taken(n)).expect("unbounded")
}

fn ensure_object<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Map<String, Value> {
    let mut node = doc;
    for part in pointer.trim_start_matches('/').split('/') {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        node = node.as_object_mut().expect("object").entry(part).or_insert_with(|| Value::Object(Map::new()));
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    node.as_object_mut().expect("object")
}
