//! Reading schemas of the (normalised) document: follow `$ref`s, make deterministic values from a schema,
//! and check a value against one. The mock's request validation, its seed data, its responses and the
//! conformance test all go through here.

use serde_json::{Map, Value, json};

/// A schema together with the document its `$ref`s point into.
#[derive(Clone, Copy)]
pub struct Schemas<'a> {
    pub doc: &'a Value,
}

const MAX_DEPTH: usize = 12;

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

    /// A deterministic value for `schema`: item `index` of a made-up collection, for the property `name`.
    pub fn generate(&self, schema: &'a Value, index: u64, name: &str) -> Value {
        self.generate_at(schema, index, name, 0)
    }

    fn generate_at(&self, schema: &'a Value, index: u64, name: &str, depth: usize) -> Value {
        let schema = self.deref(schema);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array).filter(|v| !v.is_empty()) {
            return values[(index as usize) % values.len()].clone();
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(first) = schema.get(combinator).and_then(Value::as_array).and_then(|a| a.first()) {
                return self.generate_at(first, index, name, depth + 1);
            }
        }
        let lower = name.to_ascii_lowercase();
        match schema.get("type").and_then(Value::as_str) {
            Some("object") | None if schema.get("properties").is_some() || schema.get("allOf").is_some() => {
                let mut map = Map::new();
                for (key, property) in self.properties(schema) {
                    map.insert(key.clone(), self.generate_at(property, index, key, depth + 1));
                }
                Value::Object(map)
            }
            Some("object") => json!({}),
            Some("array") => {
                if let Some(example) = schema.get("example").filter(|e| e.is_array()) {
                    return example.clone();
                }
                let items = schema.get("items").unwrap_or(&Value::Null);
                Value::Array(vec![self.generate_at(items, index, name, depth + 1)])
            }
            Some("integer") => {
                if lower == "id" || lower.starts_with("id") {
                    return json!(index + 1);
                }
                let minimum = schema.get("minimum").and_then(Value::as_i64).unwrap_or(0);
                let maximum = schema.get("maximum").and_then(Value::as_i64).unwrap_or(i64::MAX);
                let span = (maximum - minimum).clamp(1, 1000);
                json!(minimum + (index as i64 % span))
            }
            Some("number") => {
                let minimum = schema.get("minimum").and_then(Value::as_f64).unwrap_or(0.0);
                json!(minimum + (index % 1000) as f64 * 1.5)
            }
            Some("boolean") => json!(index.is_multiple_of(2)),
            Some("string") => Value::String(self.generate_string(schema, index, name)),
            _ => match schema.get("example") {
                Some(example) => example.clone(),
                None => Value::String(format!("{name}-{}", index + 1)),
            },
        }
    }

    fn generate_string(&self, schema: &Value, index: u64, name: &str) -> String {
        let lower = name.to_ascii_lowercase();
        let n = index + 1;
        let x_format = |name: &str| schema.get("x-format").and_then(|x| x.get(name)).is_some();
        match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => return timestamp(index),
            Some("date") => return date(index),
            Some("email") => return format!("user{n}@example.com"),
            Some("uri") | Some("url") => return format!("https://app{n}.example.com"),
            _ if x_format("email") => return format!("user{n}@example.com"),
            _ if x_format("uri") => return format!("https://app{n}.example.com"),
            _ if x_format("guid") => return format!("00000000-0000-4000-8000-{n:012x}"),
            _ => {}
        }
        if lower == "id" || lower.starts_with("id") && lower.len() > 2 {
            return n.to_string();
        }
        if lower.contains("email") || lower == "username" {
            return format!("user{n}@example.com");
        }
        if lower.ends_with("time") || lower.ends_with("date") || lower.ends_with("at") {
            return timestamp(index);
        }
        if lower == "url" || lower.ends_with("url") {
            return format!("https://app{n}.example.com");
        }
        if let Some(example) = schema.get("example").and_then(Value::as_str) {
            if schema.get("pattern").is_some() {
                return example.to_string();
            }
            // Names are unique; other text (a state, a status) repeats over five values, as real data does.
            let unique = lower.contains("name") || lower == "title";
            let k = if unique { index } else { index % 5 };
            return if k == 0 { example.to_string() } else { format!("{example} {}", k + 1) };
        }
        // Names are unique; other text repeats over five values, so equality filters match a fifth of a list.
        if lower.contains("name") || lower == "title" {
            return format!("{name} {n}");
        }
        format!("{name} {}", index % 5 + 1)
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
        let matches = match kind {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        };
        if !matches {
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

fn timestamp(index: u64) -> String {
    let minutes = index % (60 * 24 * 365);
    let day = minutes / (60 * 24);
    let (month, day_of_month) = month_day(day);
    format!("2026-{month:02}-{day_of_month:02}T{:02}:{:02}:00.000Z", (minutes / 60) % 24, minutes % 60)
}

fn date(index: u64) -> String {
    let (month, day) = month_day(index % 365);
    format!("2026-{month:02}-{day:02}")
}

fn month_day(day_of_year: u64) -> (u64, u64) {
    const DAYS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut rest = day_of_year;
    for (i, days) in DAYS.iter().enumerate() {
        if rest < *days {
            return (i as u64 + 1, rest + 1);
        }
        rest -= days;
    }
    (12, 31)
}
