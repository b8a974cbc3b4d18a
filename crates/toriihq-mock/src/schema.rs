//! Deterministic values made from a schema: the mock's seed data, its responses and the conformance test's bodies.
//! Reading and checking schemas is [`toriihq_spec::schema`]'s.

use serde_json::{Map, Value, json};
use toriihq_spec::schema::MAX_DEPTH;
pub use toriihq_spec::schema::Schemas;

/// Values for a schema, generated from its types, formats, examples and property names.
pub trait Generate<'a> {
    /// A deterministic value for `schema`: item `index` of a made-up collection, for the property `name`.
    fn generate(&self, schema: &'a Value, index: u64, name: &str) -> Value;
}

impl<'a> Generate<'a> for Schemas<'a> {
    fn generate(&self, schema: &'a Value, index: u64, name: &str) -> Value {
        generate_at(self, schema, index, name, 0)
    }
}

fn generate_at<'a>(schemas: &Schemas<'a>, schema: &'a Value, index: u64, name: &str, depth: usize) -> Value {
    let schema = schemas.deref(schema);
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array).filter(|v| !v.is_empty()) {
        return values[(index as usize) % values.len()].clone();
    }
    for combinator in ["oneOf", "anyOf"] {
        if let Some(first) = schema.get(combinator).and_then(Value::as_array).and_then(|a| a.first()) {
            return generate_at(schemas, first, index, name, depth + 1);
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") | None if schema.get("properties").is_some() || schema.get("allOf").is_some() => {
            let mut map = Map::new();
            for (key, property) in schemas.properties(schema) {
                map.insert(key.clone(), generate_at(schemas, property, index, key, depth + 1));
            }
            Value::Object(map)
        }
        Some("object") => json!({}),
        Some("array") => {
            if let Some(example) = schema.get("example").filter(|e| e.is_array()) {
                return example.clone();
            }
            let items = schema.get("items").unwrap_or(&Value::Null);
            Value::Array(vec![generate_at(schemas, items, index, name, depth + 1)])
        }
        // An id is a whole number, whatever type the spec gives it (the docs spec says `number` for `idOrg`).
        Some("integer" | "number") if is_id(name) => json!(index + 1),
        Some("integer") => {
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
        Some("string") => Value::String(generate_string(schema, index, name)),
        _ => match schema.get("example") {
            Some(example) => example.clone(),
            None => Value::String(format!("{name}-{}", index + 1)),
        },
    }
}

/// `id`, or `id` and a capitalised name (`idOrg`, `idRole`), as Torii names its ids.
fn is_id(name: &str) -> bool {
    name == "id" || name.strip_prefix("id").is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
}

fn generate_string(schema: &Value, index: u64, name: &str) -> String {
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
