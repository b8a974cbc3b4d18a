//! OpenAPI Overlay 1.0: `actions` with a JSONPath `target` and either `update` (merged) or `remove: true`.
//!
//! Merging is deep for objects (keys of `update` replace or extend the target's) and appends to arrays. An
//! action whose target matches nothing is an error rather than a silent no-op: when the spec changes under an
//! overlay, a fix that no longer applies must be noticed.

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::SpecError;

pub fn apply_overlay(document: &mut Value, overlay: &Value) -> Result<(), SpecError> {
    let fail = |index: usize, description: &str, message: String| SpecError::Overlay {
        index,
        description: description.to_string(),
        message,
    };
    match overlay.get("overlay").and_then(Value::as_str) {
        Some(version) if version.starts_with("1.") => {}
        other => return Err(fail(0, "header", format!("expected `overlay: 1.x`, found {other:?}"))),
    }
    let actions = overlay.get("actions").and_then(Value::as_array).cloned().unwrap_or_default();
    for (index, action) in actions.iter().enumerate() {
        let description = action.get("description").and_then(Value::as_str).unwrap_or("");
        let target = action
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| fail(index, description, "has no `target`".into()))?;
        let path = JsonPath::parse(target).map_err(|e| fail(index, description, format!("bad JSONPath: {e}")))?;
        let mut pointers: Vec<String> =
            path.query_located(document).locations().map(|loc| loc.to_json_pointer()).collect();
        if pointers.is_empty() {
            return Err(fail(index, description, format!("target `{target}` matches nothing")));
        }
        let remove = action.get("remove").and_then(Value::as_bool).unwrap_or(false);
        if remove {
            // Remove deepest and last first so earlier pointers stay valid.
            pointers.sort_by(|a, b| b.cmp(a));
            for pointer in &pointers {
                remove_at(document, pointer).map_err(|m| fail(index, description, m))?;
            }
        } else if let Some(update) = action.get("update") {
            for pointer in &pointers {
                let node = document.pointer_mut(pointer).expect("pointer located a moment ago");
                merge(node, update);
            }
        } else {
            return Err(fail(index, description, "has neither `update` nor `remove: true`".into()));
        }
    }
    Ok(())
}

fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => merge(existing, value),
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(update)) => target.extend(update.iter().cloned()),
        (Value::Array(target), update) => target.push(update.clone()),
        (target, update) => *target = update.clone(),
    }
}

fn remove_at(document: &mut Value, pointer: &str) -> Result<(), String> {
    let (parent, last) = pointer.rsplit_once('/').ok_or_else(|| "cannot remove the document root".to_string())?;
    let key = last.replace("~1", "/").replace("~0", "~");
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
            Ok(())
        }
        Some(Value::Array(items)) => {
            let index: usize = key.parse().map_err(|_| format!("bad array index {key}"))?;
            items.remove(index);
            Ok(())
        }
        _ => Err(format!("no container at {parent}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions})
    }

    #[test]
    fn update_merges_deeply_and_keeps_siblings() {
        let mut doc = json!({"a": {"b": {"c": 1, "d": 2}}});
        apply_overlay(&mut doc, &overlay(json!([{"target": "$.a.b", "update": {"c": 9, "e": 3}}]))).unwrap();
        assert_eq!(doc, json!({"a": {"b": {"c": 9, "d": 2, "e": 3}}}));
    }

    #[test]
    fn update_applies_to_every_match() {
        let mut doc = json!({"s": {"x": {"type": "object"}, "y": {"type": "object"}}});
        apply_overlay(&mut doc, &overlay(json!([{"target": "$.s.*", "update": {"additionalProperties": {}}}])))
            .unwrap();
        assert_eq!(doc["s"]["x"]["additionalProperties"], json!({}));
        assert_eq!(doc["s"]["y"]["additionalProperties"], json!({}));
    }

    #[test]
    fn remove_deletes_keys_and_array_items() {
        let mut doc = json!({"a": {"b": 1, "c": 2}, "l": [1, 2, 3]});
        let actions = json!([
            {"target": "$.a.b", "remove": true},
            {"target": "$.l[0,2]", "remove": true}
        ]);
        apply_overlay(&mut doc, &overlay(actions)).unwrap();
        assert_eq!(doc, json!({"a": {"c": 2}, "l": [2]}));
    }

    #[test]
    fn a_target_that_matches_nothing_is_an_error_naming_the_action() {
        let mut doc = json!({"a": 1});
        let err =
            apply_overlay(&mut doc, &overlay(json!([{"target": "$.nope", "description": "fix x", "update": {}}])))
                .unwrap_err();
        assert!(err.to_string().contains("fix x"), "{err}");
        assert!(err.to_string().contains("matches nothing"), "{err}");
    }

    #[test]
    fn a_non_overlay_document_is_refused() {
        let mut doc = json!({});
        assert!(apply_overlay(&mut doc, &json!({"actions": []})).is_err());
    }
}
