//! How an answer differs from its operation's response schema: the client's strict mode reports it, and
//! `cargo xtask drift` turns a report into a draft of overlay actions. Each difference names where in the answer
//! (`$.apps[*].owner`, array items folded into `[*]` and counted) and where in the spec (a JSON pointer to the
//! schema that says otherwise), so a report from a user is enough to mend the overlay.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::schema::{MAX_DEPTH, Schemas, has_type};

/// Distinct differences kept in one report; more are counted in [`DriftReport::omitted`].
pub const MAX_DIFFERENCES: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// A required key the answer lacks.
    Missing,
    /// A key the schema does not declare, in an object that does not take undeclared keys.
    Undeclared,
    /// A value of another JSON type (`null` where the schema is not nullable included).
    WrongType,
    /// A value outside the schema's `enum`.
    NotAllowed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    pub kind: DifferenceKind,
    /// Where in the answer: a JSONPath with array indices folded into `[*]`.
    pub path: String,
    /// The schema that says otherwise, as a JSON pointer into the spec the client was generated from: the object
    /// for `missing` and `undeclared`, the value's own schema for the others.
    pub schema: String,
    /// What the schema wants: a JSON type, `one of …`, or the key (for `missing`).
    pub expected: String,
    /// What came: a JSON type, or the value itself outside an enum.
    pub found: String,
    /// How many times (items of an array).
    pub count: u64,
}

/// Every difference between one answer and its schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftReport {
    /// The operationId.
    pub operation: String,
    pub method: String,
    /// The path template (`/apps/{idApp}`).
    pub route: String,
    pub status: u16,
    pub differences: Vec<Difference>,
    /// Distinct differences beyond [`MAX_DIFFERENCES`], left out.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub omitted: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Difference { path, expected, found, .. } = self;
        match self.kind {
            DifferenceKind::Missing => write!(f, "{path} is missing (required)")?,
            DifferenceKind::Undeclared => write!(f, "{path} is not declared ({found})")?,
            DifferenceKind::WrongType => write!(f, "{path} is {found}, the spec says {expected}")?,
            DifferenceKind::NotAllowed => write!(f, "{path} is {found}, the spec allows {expected}")?,
        }
        if self.count > 1 {
            write!(f, " ×{}", self.count)?;
        }
        Ok(())
    }
}

impl fmt::Display for DriftReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.differences.len() as u64 + self.omitted;
        write!(
            f,
            "{} ({} {}) answered {} differently from the spec, {total} difference{}: ",
            self.operation,
            self.method,
            self.route,
            self.status,
            if total == 1 { "" } else { "s" }
        )?;
        const SHOWN: usize = 10;
        let shown: Vec<String> = self.differences.iter().take(SHOWN).map(ToString::to_string).collect();
        f.write_str(&shown.join("; "))?;
        if total > SHOWN as u64 {
            write!(f, "; and {} more", total - SHOWN as u64)?;
        }
        Ok(())
    }
}

/// The differences between `value` and the schema at `pointer` (a JSON pointer, `#/…`, into the schemas' document).
/// Empty when the value conforms, or when the pointer leads nowhere.
pub fn differences(schemas: Schemas<'_>, value: &Value, pointer: &str) -> (Vec<Difference>, u64) {
    let mut found = Found::default();
    if let Some(schema) = schemas.doc.pointer(pointer.trim_start_matches('#')) {
        Walker { schemas }.walk(value, schema, pointer.to_string(), "$".to_string(), 0, &mut found);
    }
    found.finish()
}

#[derive(Default)]
struct Found {
    differences: Vec<Difference>,
    index: HashMap<(DifferenceKind, String), usize>,
    omitted: u64,
}

impl Found {
    fn add(&mut self, kind: DifferenceKind, path: &str, schema: &str, expected: String, found: String) {
        if let Some(&at) = self.index.get(&(kind, path.to_string())) {
            self.differences[at].count += 1;
            return;
        }
        if self.differences.len() >= MAX_DIFFERENCES {
            self.omitted += 1;
            return;
        }
        self.index.insert((kind, path.to_string()), self.differences.len());
        self.differences.push(Difference {
            kind,
            path: path.to_string(),
            schema: schema.to_string(),
            expected,
            found,
            count: 1,
        });
    }

    fn finish(self) -> (Vec<Difference>, u64) {
        (self.differences, self.omitted)
    }
}

struct Walker<'a> {
    schemas: Schemas<'a>,
}

impl<'a> Walker<'a> {
    /// The schema behind `$ref`s, and where it is.
    fn resolve(&self, mut schema: &'a Value, mut at: String) -> (&'a Value, String) {
        for _ in 0..MAX_DEPTH {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else { break };
            let Some(target) = self.schemas.doc.pointer(reference.trim_start_matches('#')) else { break };
            schema = target;
            at = reference.to_string();
        }
        (schema, at)
    }

    fn walk(&self, value: &Value, schema: &'a Value, at: String, path: String, depth: usize, found: &mut Found) {
        let (schema, at) = self.resolve(schema, at);
        if depth > MAX_DEPTH * 2 {
            return;
        }
        let nullable = schema.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        if value.is_null() && nullable {
            return;
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(options) = schema.get(combinator).and_then(Value::as_array) {
                self.closest_option(value, options, &format!("{at}/{combinator}"), &path, depth, found);
                return;
            }
        }
        let kind = declared_type(schema);
        if let Some(kind) = kind
            && !has_type(value, kind)
        {
            found.add(DifferenceKind::WrongType, &path, &at, kind.to_string(), json_type(value).to_string());
            return;
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
            found.add(DifferenceKind::NotAllowed, &path, &at, format!("one of {}", list.join(", ")), value.to_string());
            return;
        }
        match value {
            Value::Array(items) => {
                let item_schema = schema.get("items").unwrap_or(&Value::Null);
                for item in items {
                    self.walk(item, item_schema, format!("{at}/items"), format!("{path}[*]"), depth + 1, found);
                }
            }
            Value::Object(map) => self.walk_object(map, schema, &at, &path, depth, found),
            _ => {}
        }
    }

    fn walk_object(
        &self,
        map: &serde_json::Map<String, Value>,
        schema: &'a Value,
        at: &str,
        path: &str,
        depth: usize,
        found: &mut Found,
    ) {
        let properties = self.properties(schema, at.to_string(), 0);
        for required in self.schemas.required(schema) {
            if !map.contains_key(required) {
                found.add(DifferenceKind::Missing, &member(path, required), at, required.to_string(), "absent".into());
            }
        }
        let additional = schema.get("additionalProperties");
        for (key, value) in map {
            match properties.iter().find(|(name, _, _)| name == key) {
                Some((_, property, property_at)) => {
                    self.walk(value, property, property_at.clone(), member(path, key), depth + 1, found)
                }
                None => match additional {
                    // An object that declares nothing is free-form; `{}` or `true` takes anything (custom fields).
                    None | Some(Value::Bool(false)) if !properties.is_empty() => found.add(
                        DifferenceKind::Undeclared,
                        &member(path, key),
                        at,
                        "no such key".into(),
                        json_type(value).to_string(),
                    ),
                    Some(extra @ Value::Object(rules)) if !rules.is_empty() => self.walk(
                        value,
                        extra,
                        format!("{at}/additionalProperties"),
                        member(path, key),
                        depth + 1,
                        found,
                    ),
                    _ => {}
                },
            }
        }
    }

    /// An object schema's properties with where each is declared, through `$ref` and `allOf`.
    fn properties(&self, schema: &'a Value, at: String, depth: usize) -> Vec<(String, &'a Value, String)> {
        let (schema, at) = self.resolve(schema, at);
        let mut out: Vec<(String, &Value, String)> = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, property)| (name.clone(), property, format!("{at}/properties/{}", escape(name))))
            .collect();
        if depth < MAX_DEPTH {
            for (i, part) in schema.get("allOf").and_then(Value::as_array).into_iter().flatten().enumerate() {
                out.extend(self.properties(part, format!("{at}/allOf/{i}"), depth + 1));
            }
        }
        out
    }

    /// For a `oneOf`/`anyOf`: nothing when an option fits, else the differences of the option that fits best.
    fn closest_option(
        &self,
        value: &Value,
        options: &'a [Value],
        at: &str,
        path: &str,
        depth: usize,
        found: &mut Found,
    ) {
        let mut best: Option<Found> = None;
        for (i, option) in options.iter().enumerate() {
            let mut trial = Found::default();
            self.walk(value, option, format!("{at}/{i}"), path.to_string(), depth + 1, &mut trial);
            if trial.differences.is_empty() {
                return;
            }
            if best.as_ref().is_none_or(|b| trial.differences.len() < b.differences.len()) {
                best = Some(trial);
            }
        }
        for d in best.map(|b| b.differences).unwrap_or_default() {
            for _ in 0..d.count {
                found.add(d.kind, &d.path, &d.schema, d.expected.clone(), d.found.clone());
            }
        }
    }
}

fn declared_type(schema: &Value) -> Option<&str> {
    match schema.get("type").and_then(Value::as_str) {
        Some(kind) => Some(kind),
        None if schema.get("properties").is_some() => Some("object"),
        None => None,
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `path.key`, or `path['odd key']` for a key that is not a plain name.
fn member(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain { format!("{path}.{key}") } else { format!("{path}['{}']", key.replace('\'', "\\'")) }
}

/// A key as a JSON pointer segment (RFC 6901).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document() -> Value {
        json!({
            "components": {"schemas": {
                "App": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "state": {"type": "string", "enum": ["discovered", "sanctioned"]},
                        "owner": {"$ref": "#/components/schemas/Owner"},
                        "tags": {"type": "array", "items": {"type": "string"}}
                    }
                },
                "Custom": {"type": "object", "properties": {"id": {"type": "integer"}}, "additionalProperties": {}},
                "Owner": {"type": "object", "nullable": true, "properties": {"email": {"type": "string"}}},
                "Page": {"type": "object", "properties": {
                    "apps": {"type": "array", "items": {"$ref": "#/components/schemas/App"}},
                    "custom": {"$ref": "#/components/schemas/Custom"},
                    "free": {"type": "object"}
                }}
            }}
        })
    }

    fn check(value: Value) -> Vec<Difference> {
        let doc = document();
        differences(Schemas::new(&doc), &value, "#/components/schemas/Page").0
    }

    #[test]
    fn a_conforming_answer_has_no_differences() {
        let page = json!({"apps": [{"id": 1, "name": "a", "owner": null, "tags": ["x"]}], "custom": {"id": 1, "cf": 2},
            "free": {"anything": true}});
        assert_eq!(check(page), vec![]);
    }

    #[test]
    fn each_kind_is_found_with_its_path_and_schema_and_items_are_folded() {
        let page = json!({"apps": [
            {"id": "1", "name": "a", "state": "retired", "owner": {"email": 5}, "seats": 3},
            {"id": 2, "seats": 4},
            {"id": 3, "name": "c", "tags": [1]}
        ], "extra": []});
        let found = check(page);
        let brief: Vec<(DifferenceKind, &str, &str, u64)> =
            found.iter().map(|d| (d.kind, d.path.as_str(), d.schema.as_str(), d.count)).collect();
        assert_eq!(
            brief,
            vec![
                (DifferenceKind::WrongType, "$.apps[*].id", "#/components/schemas/App/properties/id", 1),
                (DifferenceKind::NotAllowed, "$.apps[*].state", "#/components/schemas/App/properties/state", 1),
                (DifferenceKind::WrongType, "$.apps[*].owner.email", "#/components/schemas/Owner/properties/email", 1),
                (DifferenceKind::Undeclared, "$.apps[*].seats", "#/components/schemas/App", 2),
                (DifferenceKind::Missing, "$.apps[*].name", "#/components/schemas/App", 1),
                (DifferenceKind::WrongType, "$.apps[*].tags[*]", "#/components/schemas/App/properties/tags/items", 1),
                (DifferenceKind::Undeclared, "$.extra", "#/components/schemas/Page", 1),
            ]
        );
        assert_eq!(found[0].to_string(), "$.apps[*].id is string, the spec says integer");
        assert_eq!(found[3].to_string(), "$.apps[*].seats is not declared (integer) ×2");
    }

    #[test]
    fn a_report_keeps_at_most_its_share_and_counts_the_rest() {
        let mut app = serde_json::Map::new();
        for i in 0..(MAX_DIFFERENCES + 7) {
            app.insert(format!("k{i}"), json!(i));
        }
        let doc = document();
        let (found, omitted) =
            differences(Schemas::new(&doc), &json!({"id": 1, "name": "a", "odd": {}}), "#/components/schemas/App");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "$.odd");
        let mut value = Value::Object(app);
        value["id"] = json!(1);
        value["name"] = json!("a");
        let (found, omitted_many) = differences(Schemas::new(&doc), &value, "#/components/schemas/App");
        assert_eq!((found.len(), omitted, omitted_many), (MAX_DIFFERENCES, 0, 7));
    }
}
