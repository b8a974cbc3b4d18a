//! A command's arguments as the JSON parameters a by-name call takes (`{"idApp": 7, "body": {…}}`): the core then
//! checks them as it checks every language's.

use std::io::Read;

use clap::ArgMatches;
use serde_json::{Map, Value};
use toriihq::workflows::table::{ParamType, WorkflowSpec};
use toriihq_spec::{BodyKind, Operation, ValueType};

use crate::commands::param_id;

/// The parameters of `op` from `matches`. An unreadable `--body` is an error naming it.
pub fn operation_params(op: &Operation, matches: &ArgMatches) -> Result<Value, String> {
    let mut params = Map::new();
    for p in &op.parameters {
        let id = param_id(&p.name);
        let value = match p.value_type {
            _ if !p.enum_values.is_empty() => text(matches, &id),
            ValueType::Integer => matches.try_get_one::<i64>(&id).ok().flatten().map(|n| Value::from(*n)),
            ValueType::Number => matches.try_get_one::<f64>(&id).ok().flatten().map(|n| Value::from(*n)),
            ValueType::Boolean => matches.try_get_one::<bool>(&id).ok().flatten().map(|b| Value::from(*b)),
            ValueType::Array => matches
                .try_get_many::<String>(&id)
                .ok()
                .flatten()
                .map(|items| Value::Array(items.map(|item| Value::from(item.as_str())).collect())),
            ValueType::Object | ValueType::Any => {
                text(matches, &id).map(|v| json_or_text(v.as_str().unwrap_or_default()))
            }
            ValueType::String => text(matches, &id),
        };
        if let Some(value) = value {
            params.insert(p.name.clone(), value);
        }
    }
    match &op.body {
        Some(body) if body.kind == BodyKind::Json => {
            if let Some(source) = matches.get_one::<String>("body") {
                params.insert(toriihq::BODY.into(), read_body(source)?);
            }
        }
        Some(body) => {
            for field in &body.form_fields {
                if let Some(value) = text(matches, &param_id(&field.name)) {
                    params.insert(field.name.clone(), value);
                }
            }
        }
        None => {}
    }
    if let Ok(Some(pairs)) = matches.try_get_many::<String>("extra-query") {
        let mut extra = Map::new();
        for pair in pairs {
            let (name, value) =
                pair.split_once('=').ok_or_else(|| format!("--extra-query takes NAME=VALUE, not {pair:?}"))?;
            extra.insert(name.to_string(), Value::from(value));
        }
        params.insert(toriihq::EXTRA_QUERY.into(), Value::Object(extra));
    }
    Ok(Value::Object(params))
}

/// The arguments of a workflow from `matches`, named as the workflow table names them.
pub fn workflow_params(spec: &WorkflowSpec, matches: &ArgMatches) -> Value {
    let mut params = Map::new();
    for param in spec.params {
        let value = match param.ty {
            ParamType::Integer => matches.try_get_one::<i64>(param.name).ok().flatten().map(|n| Value::from(*n)),
            ParamType::Seconds => matches.try_get_one::<f64>(param.name).ok().flatten().map(|n| Value::from(*n)),
            ParamType::ListOf(_) => None,
            ParamType::Text | ParamType::File => text(matches, param.name),
        };
        if let Some(value) = value {
            params.insert(param.name.to_string(), value);
        }
    }
    Value::Object(params)
}

fn text(matches: &ArgMatches, id: &str) -> Option<Value> {
    matches.try_get_one::<String>(id).ok().flatten().map(|s| Value::from(s.as_str()))
}

fn json_or_text(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::from(text))
}

/// `--body`: JSON text, `@file.json`, or `-` for standard input.
fn read_body(source: &str) -> Result<Value, String> {
    let (text, from) = match source {
        "-" => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| format!("--body -: cannot read stdin: {e}"))?;
            (text, "standard input".to_string())
        }
        _ => match source.strip_prefix('@') {
            Some(path) => {
                let text = toriihq::local_file::read_to_string("body", std::path::Path::new(path))
                    .map_err(|e| format!("--body @{path}: {e}"))?;
                (text, path.to_string())
            }
            None => (source.to_string(), "--body".to_string()),
        },
    };
    serde_json::from_str(&text).map_err(|e| format!("--body: {from} is not JSON ({e})"))
}
