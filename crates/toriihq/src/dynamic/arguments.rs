//! A call's arguments checked against the operation's description and placed where the spec says they go (path,
//! query, header, JSON body or multipart form), before anything is sent.

use serde_json::{Map, Value};
use toriihq_spec::{BodyKind, Operation, Parameter, ParameterLocation, ValueType};

use super::{BODY, EXTRA_QUERY};
use crate::runtime::upload::{FilePart, FormValue};
use crate::transport::Transport;
use crate::{Error, Result};

/// The request `placed` makes for `op`, unsent (the transport adds the key and headers as it sends).
pub(crate) fn build_request(op: &Operation, placed: &Placed, transport: &Transport) -> Result<reqwest::Request> {
    let mut builder = transport.http().request(method(op)?, transport.url(&placed.path)).query(&placed.query);
    for (name, value) in &placed.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = &placed.body {
        builder = builder.json(body);
    }
    builder.build().map_err(|e| Error::invalid_argument("request", e.to_string()))
}

pub(crate) fn method(op: &Operation) -> Result<reqwest::Method> {
    op.method.parse().map_err(|_| Error::invalid_argument("operation", format!("bad method {}", op.method)))
}

/// Where each argument of a call goes.
pub(crate) struct Placed {
    pub(crate) path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    pub(crate) body: Option<Value>,
    pub(crate) form: Option<Vec<(&'static str, FormValue)>>,
}

/// Checks and places every argument: path, query, header, body or form. Nothing is sent if anything is wrong.
pub(crate) fn place(op: &'static Operation, params: &Value, files: Vec<(String, FilePart)>) -> Result<Placed> {
    let empty = Map::new();
    let params = match params {
        Value::Object(map) => map,
        Value::Null => &empty,
        other => return Err(Error::invalid_type("params", format!("must be an object, not {other}"))),
    };
    let multipart = op.body.as_ref().filter(|b| b.kind == BodyKind::Multipart);
    let mut placed = Placed { path: op.path.clone(), query: Vec::new(), headers: Vec::new(), body: None, form: None };
    let mut form: Vec<(&'static str, FormValue)> = Vec::new();
    for (key, file) in files {
        let field = multipart
            .and_then(|b| b.form_fields.iter().find(|f| f.binary && (f.name == key || f.snake_name == key)))
            .ok_or_else(|| Error::invalid_argument(&key, format!("`{}` has no file field of that name", op.id)))?;
        form.push((&field.name, FormValue::File(file)));
    }
    for (key, value) in params {
        if key == BODY || value.is_null() {
            continue;
        }
        if key == EXTRA_QUERY {
            let Value::Object(extra) = value else {
                return Err(Error::invalid_argument(EXTRA_QUERY, "must be an object of query parameters"));
            };
            for (name, v) in extra {
                placed.query.push((name.clone(), plain_text(v)));
            }
            continue;
        }
        if let Some(field) =
            multipart.and_then(|b| b.form_fields.iter().find(|f| f.name == *key || f.snake_name == *key))
        {
            let name: &'static str = &field.name;
            if field.binary {
                let Value::String(path) = value else {
                    return Err(Error::invalid_type(name, "must be the path of the file to upload"));
                };
                form.push((name, FormValue::File(FilePart::path(path))));
            } else {
                let text = plain_text(value);
                if !field.enum_values.is_empty() && !field.enum_values.iter().any(|v| v.as_str() == Some(text.as_str()))
                {
                    return Err(Error::invalid_argument(name, format!("must be one of {}", list(&field.enum_values))));
                }
                form.push((name, FormValue::Text(text)));
            }
            continue;
        }
        let param =
            op.parameters.iter().find(|p| p.name == *key || p.snake_name == *key || p.camel_name == *key).ok_or_else(
                || {
                    let known: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
                    Error::invalid_argument(
                        key,
                        format!("is not a parameter of `{}` (it takes: {})", op.id, known.join(", ")),
                    )
                },
            )?;
        let texts = argument_texts(param, value)?;
        match param.location {
            ParameterLocation::Path => {
                let encoded = crate::path::segment(&param.snake_name, &texts.join(","))?;
                placed.path = placed.path.replace(&format!("{{{}}}", param.name), &encoded);
            }
            ParameterLocation::Query => placed.query.extend(texts.into_iter().map(|t| (param.name.clone(), t))),
            ParameterLocation::Header => placed.headers.push((param.name.clone(), texts.join(","))),
            ParameterLocation::Cookie => {}
        }
    }
    for param in op.parameters.iter().filter(|p| p.required) {
        let given = [&param.name, &param.snake_name, &param.camel_name]
            .iter()
            .any(|k| params.get(k.as_str()).is_some_and(|v| !v.is_null()));
        if !given {
            return Err(Error::invalid_argument(&param.snake_name, "is required"));
        }
    }
    check_url_length(&placed)?;
    match (&op.body, multipart) {
        (_, Some(body)) => {
            for field in body.form_fields.iter().filter(|f| f.required) {
                if !form.iter().any(|(name, _)| *name == field.name) {
                    return Err(Error::invalid_argument(&field.snake_name, "is required"));
                }
            }
            placed.form = Some(form);
        }
        (Some(body), None) => match params.get(BODY) {
            Some(Value::Null) | None if body.required => return Err(Error::invalid_argument(BODY, "is required")),
            Some(Value::Null) | None => {}
            Some(value) => {
                // A body with required properties is an object, whatever its schema says of its type.
                let expected = if body.required_properties.is_empty() { body.value_type } else { ValueType::Object };
                if !expected.admits(value) {
                    let problem = format!("must be {}, not {}", expected.described(), ValueType::of(value));
                    return Err(Error::invalid_type(BODY, problem));
                }
                if let Value::Object(map) = value
                    && let Some(missing) = body.required_properties.iter().find(|p| !map.contains_key(p.as_str()))
                {
                    return Err(Error::invalid_argument(format!("body.{missing}"), "is required"));
                }
                placed.body = Some(value.clone());
            }
        },
        (None, None) => {
            if params.get(BODY).is_some_and(|b| !b.is_null()) {
                return Err(Error::invalid_argument(BODY, format!("`{}` takes no body", op.id)));
            }
        }
    }
    Ok(placed)
}

/// The longest URL the client sends. Servers and proxies refuse longer ones (commonly past 8–16 KiB) with errors
/// that do not say why; this says which argument made it long, before anything is sent.
pub const MAX_URL_BYTES: usize = 16 * 1024;

fn check_url_length(placed: &Placed) -> Result<()> {
    let query: usize = placed.query.iter().map(|(name, value)| name.len() + value.len() + 2).sum();
    let length = placed.path.len() + query;
    if length <= MAX_URL_BYTES {
        return Ok(());
    }
    let longest = placed.query.iter().max_by_key(|(_, value)| value.len()).map(|(name, _)| name.as_str());
    let name = longest.unwrap_or("path");
    Err(Error::invalid_argument(
        name,
        format!(
            "makes the URL about {length} bytes; at most {MAX_URL_BYTES} are sent (filter with fewer values, or page)"
        ),
    ))
}

/// A value as the text it is sent as: a string as it is, anything else as its JSON.
pub(crate) fn plain_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn list(values: &[Value]) -> String {
    values.iter().map(plain_text).collect::<Vec<_>>().join(", ")
}

/// One argument as the text(s) it is sent as, after checking its type, enum and bounds.
fn argument_texts(param: &Parameter, value: &Value) -> Result<Vec<String>> {
    let name = param.snake_name.as_str();
    let wrong = |expected: &str| Error::invalid_type(name, format!("must be {expected}, not {value}"));
    let text = match (param.value_type, value) {
        (ValueType::Array, Value::Array(items)) => return items.iter().map(|v| Ok(plain_text(v))).collect(),
        (ValueType::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        (ValueType::Integer, Value::String(s)) if s.trim().parse::<i64>().is_ok() => s.trim().to_string(),
        (ValueType::Integer, _) => return Err(wrong("an integer")),
        (ValueType::Number, Value::Number(n)) => n.to_string(),
        (ValueType::Number, Value::String(s)) if s.trim().parse::<f64>().is_ok() => s.trim().to_string(),
        (ValueType::Number, _) => return Err(wrong("a number")),
        (ValueType::Boolean, Value::Bool(b)) => b.to_string(),
        (ValueType::Boolean, Value::String(s)) if s == "true" || s == "false" => s.clone(),
        (ValueType::Boolean, _) => return Err(wrong("true or false")),
        (ValueType::String, Value::String(s)) => s.clone(),
        (ValueType::String, _) => return Err(wrong("a string")),
        (ValueType::Object | ValueType::Any | ValueType::Array, other) => plain_text(other),
    };
    param.check(&text).map_err(|p| Error::InvalidArgument {
        name: name.to_string(),
        problem: p.problem,
        wrong_type: p.wrong_type,
    })?;
    Ok(vec![text])
}
