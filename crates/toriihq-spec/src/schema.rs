//! Reading schemas of a (normalised) document: follow `$ref`s, collect an object's properties and required keys
//! through `allOf`, and check a value against a schema. The mock validates requests with it; the client's strict
//! mode finds how an answer differs from its schema with [`crate::drift`].

use serde_json::Value;

/// A document whose `$ref`s the schemas handed to it point into.
#[derive(Clone, Copy)]
pub struct Schemas<'a> {
    pub doc: &'a Value,
}

/// How many `$ref`s are followed in a row, and (twice this) how deep a check goes: the spec's schemas nest a few
/// levels, and a cycle must end.
pub const MAX_DEPTH: usize = 12;

impl<'a> Schemas<'a> {
    pub fn new(doc: &'a Value) -> Self {
        Schemas { doc }
    }

    pub fn deref(&self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..MAX_DEPTH {
            match schema.get("$ref").and_then(Value::as_str).and_then(|r| self.doc.pointer(r.trim_start_matches('#'))) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    /// The properties of an object schema (after `$ref` and `allOf`).
    pub fn properties(&self, schema: &'a Value) -> Vec<(&'a String, &'a Value)> {
        let schema = self.deref(schema);
        let mut out: Vec<(&String, &Value)> =
            schema.get("properties").and_then(Value::as_object).map(|p| p.iter().collect()).unwrap_or_default();
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            out.extend(self.properties(part));
        }
        out
    }

    pub fn required(&self, schema: &'a Value) -> Vec<&'a str> {
        let schema = self.deref(schema);
        let mut out: Vec<&str> =
            schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            out.extend(self.required(part));
        }
        out
    }

    /// Checks `value` against `schema`; the error names the JSON path of the first mismatch.
    pub fn validate(&self, value: &Value, schema: &'a Value, path: &str) -> Result<(), String> {
        self.validate_at(value, schema, path, 0)
    }

    fn validate_at(&self, value: &Value, schema: &'a Value, path: &str, depth: usize) -> Result<(), String> {
        let schema = self.deref(schema);
        if depth > MAX_DEPTH * 2 {
            return Ok(());
        }
        if value.is_null() && schema.get("nullable").and_then(Value::as_bool).unwrap_or(false) {
            return Ok(());
        }
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.validate_at(value, part, path, depth + 1)?;
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(options) = schema.get(combinator).and_then(Value::as_array)
                && !options.iter().any(|o| self.validate_at(value, o, path, depth + 1).is_ok())
            {
                return Err(format!("{path} matches none of the allowed shapes"));
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            let list: Vec<String> = allowed.iter().map(|v| v.to_string()).collect();
            return Err(format!("{path} must be one of {}", list.join(", ")));
        }
        let Some(kind) = schema.get("type").and_then(Value::as_str) else { return Ok(()) };
        if !has_type(value, kind) {
            let article = if matches!(kind, "integer" | "array" | "object") { "an" } else { "a" };
            return Err(format!("{path} must be {article} {kind}"));
        }
        if let Some(number) = value.as_f64() {
            if let Some(minimum) = schema.get("minimum").and_then(Value::as_f64)
                && number < minimum
            {
                return Err(format!("{path} must be at least {minimum}"));
            }
            if let Some(maximum) = schema.get("maximum").and_then(Value::as_f64)
                && number > maximum
            {
                return Err(format!("{path} must be at most {maximum}"));
            }
        }
        if let (Some(text), Some(max)) = (value.as_str(), schema.get("maxLength").and_then(Value::as_u64))
            && text.chars().count() as u64 > max
        {
            return Err(format!("{path} must be at most {max} characters"));
        }
        if let Some(problem) = value.as_str().and_then(|text| crate::formats::problem(schema, text)) {
            return Err(format!("{path} {problem}"));
        }
        if let Some(items) = value.as_array() {
            let item_schema = schema.get("items").unwrap_or(&Value::Null);
            for (i, item) in items.iter().enumerate() {
                self.validate_at(item, item_schema, &format!("{path}[{i}]"), depth + 1)?;
            }
        }
        if let Some(map) = value.as_object() {
            for required in self.required(schema) {
                if !map.contains_key(required) {
                    return Err(format!("{path}.{required} is required"));
                }
            }
            let properties = self.properties(schema);
            for (key, property) in &properties {
                if let Some(v) = map.get(key.as_str()) {
                    self.validate_at(v, property, &format!("{path}.{key}"), depth + 1)?;
                }
            }
            if schema.get("additionalProperties") == Some(&Value::Bool(false))
                && let Some(extra) = map.keys().find(|k| !properties.iter().any(|(p, _)| p == k))
            {
                return Err(format!("{path}.{extra} is not allowed"));
            }
        }
        Ok(())
    }
}

/// Whether `value` is of the schema type `kind` (an integer is a number without a fraction, as JSON writes it).
pub(crate) fn has_type(value: &Value, kind: &str) -> bool {
    match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}
