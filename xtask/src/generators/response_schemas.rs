//! `crates/toriihq/generated/responses.json`: what the client's strict mode checks answers against. The normalised
//! document cut down to each operation's 2xx JSON schemas and the components they reach, every value at the same
//! JSON pointer as in the full document, so a drift report's pointers mean the same in both.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};
use toriihq_spec::LoadedSpec;
use toriihq_spec::drift::escape;

pub fn generate(spec: &LoadedSpec) -> String {
    let doc = &spec.document;
    let mut trimmed = json!({ "$comment": crate::generated_header("").trim() });
    let mut operations = Map::new();
    let mut wanted: Vec<String> = Vec::new();
    for op in &spec.operations {
        let operation_pointer = format!("/paths/{}/{}", escape(&op.path), op.method.to_ascii_lowercase());
        let Some(responses) = doc.pointer(&format!("{operation_pointer}/responses")).and_then(Value::as_object) else {
            continue;
        };
        let mut schemas = Map::new();
        for (status, response) in responses {
            if !status.parse::<u16>().is_ok_and(|code| (200..300).contains(&code)) {
                continue;
            }
            let response_pointer = match response.get("$ref").and_then(Value::as_str) {
                Some(reference) => reference.trim_start_matches('#').to_string(),
                None => format!("{operation_pointer}/responses/{}", escape(status)),
            };
            let content = doc.pointer(&format!("{response_pointer}/content")).and_then(Value::as_object);
            let media = content
                .into_iter()
                .flatten()
                .find(|(m, media)| (m.contains("json") || m.as_str() == "*/*") && media.get("schema").is_some());
            if let Some((media, _)) = media {
                let pointer = format!("{response_pointer}/content/{}/schema", escape(media));
                schemas.insert(status.clone(), json!(format!("#{pointer}")));
                wanted.push(pointer);
            }
        }
        if !schemas.is_empty() {
            operations.insert(
                op.id.clone(),
                json!({ "method": op.method.to_ascii_uppercase(), "route": op.path, "responses": schemas }),
            );
        }
    }
    let mut copied = BTreeSet::new();
    while let Some(pointer) = wanted.pop() {
        if !copied.insert(pointer.clone()) {
            continue;
        }
        let Some(value) = doc.pointer(&pointer) else { continue };
        collect_refs(value, &mut wanted);
        place(&mut trimmed, &pointer, value.clone());
    }
    trimmed["operations"] = Value::Object(operations);
    let mut text = serde_json::to_string_pretty(&trimmed).expect("JSON values serialise");
    text.push('\n');
    text
}

fn collect_refs(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                into.push(reference.trim_start_matches('#').to_string());
            }
            map.values().for_each(|v| collect_refs(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

/// Puts `value` at `pointer` in `doc`, making the objects on the way.
fn place(doc: &mut Value, pointer: &str, value: Value) {
    let segments: Vec<String> = pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    let mut at = doc;
    for segment in &segments[..segments.len().saturating_sub(1)] {
        at = at
            .as_object_mut()
            .expect("a parent of a copied value is an object")
            .entry(segment.clone())
            .or_insert(json!({}));
    }
    if let (Some(last), Some(parent)) = (segments.last(), at.as_object_mut()) {
        parent.insert(last.clone(), value);
    }
}
