//! Builds the operation description from a normalised document.

use heck::{ToLowerCamelCase, ToPascalCase, ToSnakeCase};
use serde_json::Value;

use crate::SpecError;
use crate::normalise::{MULTIPART_EXTENSION, for_each_operation};
use crate::operation::*;

pub fn describe(doc: &Value) -> Result<Vec<Operation>, SpecError> {
    let mut operations = Vec::new();
    let mut failure = None;
    for_each_operation(doc, |path, method, op| {
        if failure.is_some() {
            return;
        }
        match describe_operation(doc, path, method, op) {
            Ok(operation) => operations.push(operation),
            Err(e) => failure = Some(e),
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(operations),
    }
}

fn describe_operation(doc: &Value, path: &str, method: &str, op: &Value) -> Result<Operation, SpecError> {
    let id = op
        .get("operationId")
        .and_then(Value::as_str)
        .ok_or_else(|| SpecError::Invalid(format!("{} {path} has no operationId", method.to_uppercase())))?
        .to_string();
    let path_level = doc.pointer(&format!("/paths/{}/parameters", escape(path))).and_then(Value::as_array);
    let op_level = op.get("parameters").and_then(Value::as_array);
    let mut parameters: Vec<Parameter> = Vec::new();
    for raw in path_level.into_iter().flatten().chain(op_level.into_iter().flatten()) {
        let resolved = deref(doc, raw);
        let parameter = describe_parameter(doc, resolved)
            .ok_or_else(|| SpecError::Invalid(format!("{id}: a parameter lacks `name` or `in`")))?;
        parameters.retain(|p| !(p.name == parameter.name && p.location == parameter.location));
        parameters.push(parameter);
    }
    let (success_status, response_schema) = success_response(doc, op, &id);
    let pagination = detect_pagination(doc, op, &parameters);
    let rate_limit_per_minute = op.get("description").and_then(Value::as_str).and_then(rate_limit_per_minute);
    Ok(Operation {
        snake_name: id.to_snake_case(),
        camel_name: id.to_lower_camel_case(),
        pascal_name: id.to_pascal_case(),
        method: method.to_uppercase(),
        path: path.to_string(),
        summary: op.get("summary").and_then(Value::as_str).map(str::to_string),
        description: op.get("description").and_then(Value::as_str).and_then(crate::plain_text),
        tags: op
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| t.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default(),
        parameters,
        body: describe_body(doc, op),
        success_status,
        response_schema,
        pagination,
        rate_limit_per_minute,
        id,
    })
}

/// Torii's descriptions end with "Rate limit: N requests per minute" (inside HTML list markup).
fn rate_limit_per_minute(description: &str) -> Option<u32> {
    let after = &description[description.find("Rate limit:")? + "Rate limit:".len()..];
    let after = after.trim_start();
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    after[digits.len()..].trim_start().starts_with("requests per minute").then(|| digits.parse().ok()).flatten()
}

fn describe_parameter(doc: &Value, raw: &Value) -> Option<Parameter> {
    let name = raw.get("name")?.as_str()?.to_string();
    let location = match raw.get("in")?.as_str()? {
        "path" => ParameterLocation::Path,
        "query" => ParameterLocation::Query,
        "header" => ParameterLocation::Header,
        "cookie" => ParameterLocation::Cookie,
        _ => return None,
    };
    let schema_ref = raw.get("schema").and_then(|s| s.get("$ref")).and_then(Value::as_str).map(ref_name);
    let schema = raw.get("schema").map(|s| deref(doc, s)).cloned().unwrap_or(Value::Null);
    let number = |key: &str| schema.get(key).and_then(Value::as_f64);
    Some(Parameter {
        snake_name: name.to_snake_case(),
        camel_name: name.to_lower_camel_case(),
        required: location == ParameterLocation::Path || raw.get("required").and_then(Value::as_bool).unwrap_or(false),
        value_type: value_type(&schema),
        schema: schema_ref,
        enum_values: schema.get("enum").and_then(Value::as_array).cloned().unwrap_or_default(),
        minimum: number("minimum"),
        maximum: number("maximum"),
        max_length: schema.get("maxLength").and_then(Value::as_u64),
        pattern: schema.get("pattern").and_then(Value::as_str).map(str::to_string),
        default: schema.get("default").cloned(),
        description: raw.get("description").and_then(Value::as_str).and_then(crate::plain_text),
        location,
        name,
    })
}

fn describe_body(doc: &Value, op: &Value) -> Option<BodyDescription> {
    if let Some(form) = op.get(MULTIPART_EXTENSION) {
        let schema = deref(doc, form.get("schema").unwrap_or(&Value::Null));
        let required = required_list(schema);
        let form_fields = properties(schema)
            .map(|(name, property)| {
                let property = deref(doc, property);
                FormField {
                    snake_name: name.to_snake_case(),
                    binary: property.get("format").and_then(Value::as_str) == Some("binary"),
                    required: required.contains(name),
                    enum_values: property.get("enum").and_then(Value::as_array).cloned().unwrap_or_default(),
                    name: name.clone(),
                }
            })
            .collect();
        return Some(BodyDescription {
            kind: BodyKind::Multipart,
            required: form.get("required").and_then(Value::as_bool).unwrap_or(false),
            schema: None,
            value_type: ValueType::Object,
            required_properties: Vec::new(),
            form_fields,
        });
    }
    let body = deref(doc, op.get("requestBody")?);
    let (_, media) = body.get("content")?.as_object()?.iter().find(|(m, _)| m.contains("json"))?;
    let raw_schema = media.get("schema").unwrap_or(&Value::Null);
    Some(BodyDescription {
        kind: BodyKind::Json,
        required: body.get("required").and_then(Value::as_bool).unwrap_or(false),
        schema: raw_schema.get("$ref").and_then(Value::as_str).map(ref_name),
        value_type: body_type(deref(doc, raw_schema)),
        required_properties: required_list(deref(doc, raw_schema)),
        form_fields: Vec::new(),
    })
}

fn success_response(doc: &Value, op: &Value, id: &str) -> (u16, Option<String>) {
    let responses = op.get("responses").and_then(Value::as_object);
    let statuses =
        || responses.into_iter().flatten().filter_map(|(s, response)| Some((s.parse::<u16>().ok()?, response)));
    let success = statuses()
        .find(|(status, _)| (200..300).contains(status))
        .or_else(|| statuses().find(|(status, _)| (300..400).contains(status)));
    let Some((status, response)) = success else { return (200, None) };
    let schema = deref(doc, response)
        .get("content")
        .and_then(Value::as_object)
        .and_then(|c| c.iter().find(|(m, _)| m.contains("json")))
        .and_then(|(_, media)| media.get("schema"));
    let name = schema.map(|s| match s.get("$ref").and_then(Value::as_str) {
        Some(reference) => ref_name(reference),
        None => format!("{}Response", id.to_pascal_case()),
    });
    (status, name)
}

fn detect_pagination(doc: &Value, op: &Value, parameters: &[Parameter]) -> Pagination {
    let query = |name: &str| parameters.iter().any(|p| p.location == ParameterLocation::Query && p.name == name);
    let (_, response) = success_schema(doc, op);
    let Some(response) = response else { return Pagination::None };
    let arrays: Vec<(&String, &Value)> = properties(response)
        .filter(|(_, property)| deref(doc, property).get("type").and_then(Value::as_str) == Some("array"))
        .collect();
    // Two array keys holding the same items are one list the server may send under either name.
    let one_list = arrays.split_first().filter(|(first, rest)| rest.iter().all(|(_, p)| same_items(doc, first.1, p)));
    let has = |name: &str| properties(response).any(|(n, _)| n == name);
    if query("cursor")
        && has("nextCursor")
        && let Some(((items_field, _), others)) = one_list
    {
        return Pagination::Cursor {
            cursor_param: "cursor".into(),
            next_cursor_field: "nextCursor".into(),
            items_field: (*items_field).clone(),
            other_items_fields: others.iter().map(|(name, _)| (*name).clone()).collect(),
            size_param: query("size").then(|| "size".to_string()),
        };
    }
    if query("offset")
        && query("limit")
        && let Some(((items_field, _), [])) = one_list
    {
        return Pagination::Offset {
            offset_param: "offset".into(),
            limit_param: "limit".into(),
            items_field: (*items_field).clone(),
        };
    }
    let arrays: Vec<&String> = arrays.into_iter().map(|(name, _)| name).collect();
    if query("startIndex") && query("count") && has("totalResults") {
        let items = arrays.iter().find(|n| n.as_str() == "Resources").or(arrays.first());
        if let Some(items) = items {
            return Pagination::ScimOffset {
                start_param: "startIndex".into(),
                count_param: "count".into(),
                items_field: (*items).clone(),
                total_field: "totalResults".into(),
            };
        }
    }
    Pagination::None
}

fn same_items(doc: &Value, a: &Value, b: &Value) -> bool {
    let items = |array: &Value| deref(doc, array).get("items").map(|items| deref(doc, items)).cloned();
    items(a).is_some() && items(a) == items(b)
}

fn success_schema<'a>(doc: &'a Value, op: &'a Value) -> (u16, Option<&'a Value>) {
    for (status, response) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
        let Ok(code) = status.parse::<u16>() else { continue };
        if !(200..300).contains(&code) {
            continue;
        }
        let schema = deref(doc, response)
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.iter().find(|(m, _)| m.contains("json")))
            .and_then(|(_, media)| media.get("schema"))
            .map(|s| deref(doc, s));
        return (code, schema);
    }
    (200, None)
}

fn properties(schema: &Value) -> impl Iterator<Item = (&String, &Value)> {
    schema.get("properties").and_then(Value::as_object).into_iter().flatten()
}

fn required_list(schema: &Value) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

fn value_type(schema: &Value) -> ValueType {
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => ValueType::String,
        Some("integer") => ValueType::Integer,
        Some("number") => ValueType::Number,
        Some("boolean") => ValueType::Boolean,
        Some("array") => ValueType::Array,
        Some("object") => ValueType::Object,
        _ => ValueType::Any,
    }
}

/// A body schema's type; one with properties but no `type` is an object.
fn body_type(schema: &Value) -> ValueType {
    match value_type(schema) {
        ValueType::Any if schema.get("properties").is_some() => ValueType::Object,
        declared => declared,
    }
}

/// Follows `$ref` chains inside the document (a missing target yields the reference object itself).
pub fn deref<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str).and_then(|r| doc.pointer(r.trim_start_matches('#'))) {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

fn ref_name(reference: &str) -> String {
    reference.rsplit('/').next().unwrap_or(reference).to_string()
}

fn escape(path: &str) -> String {
    path.replace('~', "~0").replace('/', "~1")
}
