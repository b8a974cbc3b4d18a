//! Reading schemas of a (normalised) document: follow `$ref`s, collect an object's properties and required keys
//! through `allOf`, and check a value against a schema. The mock validates requests with it; the client's strict
//! mode finds how an answer differs from its schema with [`crate::drift`].

use std::ops::ControlFlow;

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

    /// Checks `value` against `schema`; the error names the JSON path of the first mismatch (`path` is the root's
    /// name: `body`, `body.users[0].email`).
    pub fn validate(&self, value: &Value, schema: &'a Value, path: &str) -> Result<(), String> {
        let mut first = None;
        let _ = self.walk(value, schema, &mut Vec::new(), 0, &mut |at, failure| {
            first = Some(failure.dotted(path, at));
            ControlFlow::Break(())
        });
        first.map_or(Ok(()), Err)
    }

    /// Every way `value` breaks `schema`, each at the JSON pointer of the value at fault (for a missing property,
    /// the object that lacks it, as JSON Schema reports it).
    pub fn problems(&self, value: &Value, schema: &'a Value) -> Vec<Problem> {
        let mut problems = Vec::new();
        let _ = self.walk(value, schema, &mut Vec::new(), 0, &mut |at, failure| {
            problems.push(Problem { pointer: pointer(at), message: failure.message() });
            ControlFlow::Continue(())
        });
        problems
    }

    /// Tells `found` each mismatch, going on while it answers `Continue`; a value's checks end at its first.
    fn walk<'v>(
        &self,
        value: &'v Value,
        schema: &'a Value,
        at: &mut Vec<Step<'v>>,
        depth: usize,
        found: &mut dyn FnMut(&[Step<'v>], Failure) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let schema = self.deref(schema);
        if depth > MAX_DEPTH * 2 {
            return ControlFlow::Continue(());
        }
        if value.is_null() && schema.get("nullable").and_then(Value::as_bool).unwrap_or(false) {
            return ControlFlow::Continue(());
        }
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.walk(value, part, at, depth + 1, found)?;
        }
        let fits = |option: &'a Value| {
            let mut fits = true;
            let _ = self.walk(value, option, &mut Vec::new(), depth + 1, &mut |_, _| {
                fits = false;
                ControlFlow::Break(())
            });
            fits
        };
        for combinator in ["oneOf", "anyOf"] {
            if let Some(options) = schema.get(combinator).and_then(Value::as_array)
                && !options.iter().any(fits)
            {
                return found(at, Failure::NoShape);
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            return found(at, Failure::NotOneOf(allowed));
        }
        // Past its enum and combinators, a schema without a `type` takes any value.
        if schema.get("type").is_none() {
            return ControlFlow::Continue(());
        }
        if let Some(failure) = Failure::of_value(value, schema) {
            return found(at, failure);
        }
        if let Some(items) = value.as_array() {
            let item_schema = schema.get("items").unwrap_or(&Value::Null);
            for (i, item) in items.iter().enumerate() {
                at.push(Step::Index(i));
                let flow = self.walk(item, item_schema, at, depth + 1, found);
                at.pop();
                flow?;
            }
        }
        if let Some(map) = value.as_object() {
            for required in self.required(schema) {
                if !map.contains_key(required) {
                    found(at, Failure::Required(required))?;
                }
            }
            let properties = self.properties(schema);
            for (key, property) in &properties {
                if let Some((key, v)) = map.get_key_value(key.as_str()) {
                    at.push(Step::Key(key));
                    let flow = self.walk(v, property, at, depth + 1, found);
                    at.pop();
                    flow?;
                }
            }
            if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
                for extra in map.keys().filter(|k| !properties.iter().any(|(p, _)| p == k)) {
                    found(at, Failure::NotAllowed(extra))?;
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// One way a value breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The JSON pointer of the value at fault (`""` for the root).
    pub pointer: String,
    pub message: String,
}

/// The keywords a check reads; any other (`description`, `example`, `$comment`, …) only describes.
pub const CHECKED_KEYWORDS: &[&str] = &[
    "$ref",
    "allOf",
    "oneOf",
    "anyOf",
    "nullable",
    "enum",
    "type",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "format",
    "x-format",
    "pattern",
    "items",
    "required",
    "properties",
    "additionalProperties",
];

enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

fn pointer(at: &[Step]) -> String {
    at.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
}

enum Failure<'a> {
    NoShape,
    NotOneOf(&'a [Value]),
    Type(&'a str),
    Below(f64),
    Above(f64),
    Shorter(u64),
    Longer(u64),
    FewerItems(u64),
    Format(String),
    Required(&'a str),
    NotAllowed(&'a str),
}

impl<'a> Failure<'a> {
    /// What `value` breaks of the keywords that look at it alone (its type, bounds, length and format).
    fn of_value(value: &Value, schema: &'a Value) -> Option<Failure<'a>> {
        let bound = |keyword: &str| schema.get(keyword).and_then(Value::as_u64);
        if let Some(kind) = schema.get("type").and_then(Value::as_str)
            && !has_type(value, kind)
        {
            return Some(Failure::Type(kind));
        }
        if let Some(number) = value.as_f64() {
            if let Some(minimum) = schema.get("minimum").and_then(Value::as_f64).filter(|m| number < *m) {
                return Some(Failure::Below(minimum));
            }
            if let Some(maximum) = schema.get("maximum").and_then(Value::as_f64).filter(|m| number > *m) {
                return Some(Failure::Above(maximum));
            }
        }
        if let Some(text) = value.as_str() {
            let length = text.chars().count() as u64;
            if let Some(min) = bound("minLength").filter(|min| length < *min) {
                return Some(Failure::Shorter(min));
            }
            if let Some(max) = bound("maxLength").filter(|max| length > *max) {
                return Some(Failure::Longer(max));
            }
            if let Some(problem) = crate::formats::problem(schema, text) {
                return Some(Failure::Format(problem));
            }
        }
        if let Some(items) = value.as_array()
            && let Some(min) = bound("minItems").filter(|min| (items.len() as u64) < *min)
        {
            return Some(Failure::FewerItems(min));
        }
        None
    }

    /// The failure said of the value at `at` below `root`: `body.users[0].email must be a string`.
    fn dotted(&self, root: &str, at: &[Step]) -> String {
        let mut path = root.to_string();
        for step in at {
            match step {
                Step::Key(key) => path.push_str(&format!(".{key}")),
                Step::Index(i) => path.push_str(&format!("[{i}]")),
            }
        }
        match self.key() {
            Some(key) => format!("{path}.{key} {}", self.predicate()),
            None => format!("{path} {}", self.predicate()),
        }
    }

    /// The failure said without the path: `must be a string`, `` `email` is required``.
    fn message(&self) -> String {
        match self.key() {
            Some(key) => format!("`{key}` {}", self.predicate()),
            None => self.predicate(),
        }
    }

    /// The property a failure is about, for those said of an object's property rather than of the value.
    fn key(&self) -> Option<&str> {
        match self {
            Failure::Required(key) | Failure::NotAllowed(key) => Some(key),
            _ => None,
        }
    }

    fn predicate(&self) -> String {
        let characters = |n: u64| if n == 1 { "character" } else { "characters" };
        match self {
            Failure::NoShape => "matches none of the allowed shapes".into(),
            Failure::NotOneOf(allowed) => {
                let list: Vec<String> = allowed.iter().map(|v| v.to_string()).collect();
                format!("must be one of {}", list.join(", "))
            }
            Failure::Type(kind) => {
                let article = if matches!(*kind, "integer" | "array" | "object") { "an" } else { "a" };
                format!("must be {article} {kind}")
            }
            Failure::Below(minimum) => format!("must be at least {minimum}"),
            Failure::Above(maximum) => format!("must be at most {maximum}"),
            Failure::Shorter(min) => format!("must be at least {min} {}", characters(*min)),
            Failure::Longer(max) => format!("must be at most {max} {}", characters(*max)),
            Failure::FewerItems(min) => {
                format!("must have at least {min} {}", if *min == 1 { "item" } else { "items" })
            }
            Failure::Format(problem) => problem.clone(),
            Failure::Required(_) => "is required".into(),
            Failure::NotAllowed(_) => "is not allowed".into(),
        }
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
