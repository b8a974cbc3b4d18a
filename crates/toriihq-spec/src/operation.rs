//! The machine-readable description of every operation. The Rust, Python and Node generators, the mock and
//! the client's by-name calls read this instead of parsing the OpenAPI document again.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// The spec's operationId, e.g. `getApps`.
    pub id: String,
    /// `get_apps`: the Rust and Python method name.
    pub snake_name: String,
    /// `getApps`: the Node method name.
    pub camel_name: String,
    /// `GetApps`: progenitor's builder and response type prefix.
    pub pascal_name: String,
    pub method: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The spec's description as plain text, without the rate-limit line (see `rate_limit_per_minute`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tags: Vec<String>,
    pub parameters: Vec<Parameter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyDescription>,
    /// The first 2xx status the spec declares, else its first 3xx (a download's redirect to the file).
    pub success_status: u16,
    /// The schema of that response: a component name, or `<PascalName>Response` for an inline one (progenitor's
    /// name for it); `None` when the response has no JSON body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_schema: Option<String>,
    pub pagination: Pagination,
    /// "Rate limit: N requests per minute", as the operation's description states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_per_minute: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    pub snake_name: String,
    pub camel_name: String,
    pub location: ParameterLocation,
    pub required: bool,
    pub value_type: ValueType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub enum_values: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    Any,
}

impl ValueType {
    /// Whether a JSON value is of this type (an integral number is a `number` too; `Any` admits everything).
    pub fn admits(self, value: &Value) -> bool {
        match (self, value) {
            (ValueType::Any, _) => true,
            (ValueType::String, Value::String(_)) | (ValueType::Boolean, Value::Bool(_)) => true,
            (ValueType::Array, Value::Array(_)) | (ValueType::Object, Value::Object(_)) => true,
            (ValueType::Number, Value::Number(_)) => true,
            (ValueType::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
            _ => false,
        }
    }

    fn is_any(&self) -> bool {
        *self == ValueType::Any
    }

    fn any() -> ValueType {
        ValueType::Any
    }

    /// The type in words, for an error: "an object".
    pub fn described(self) -> &'static str {
        match self {
            ValueType::String => "a string",
            ValueType::Integer => "an integer",
            ValueType::Number => "a number",
            ValueType::Boolean => "true or false",
            ValueType::Array => "a list",
            ValueType::Object => "an object",
            ValueType::Any => "any JSON value",
        }
    }

    /// The type a JSON value has, in words: "a number".
    pub fn of(value: &Value) -> &'static str {
        match value {
            Value::Null => "null",
            Value::Bool(_) => "true or false",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyDescription {
    pub kind: BodyKind,
    pub required: bool,
    /// Component name of the body schema, or `None` when inline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The JSON type of the body as a whole (an object for nearly every operation).
    #[serde(skip_serializing_if = "ValueType::is_any", default = "ValueType::any")]
    pub value_type: ValueType,
    /// Required top-level properties of a JSON body.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub required_properties: Vec<String>,
    /// Fields of a multipart form.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub form_fields: Vec<FormField>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyKind {
    Json,
    Multipart,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormField {
    pub name: String,
    pub snake_name: String,
    pub binary: bool,
    pub required: bool,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub enum_values: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pagination {
    None,
    /// `cursor` in, `nextCursor` out, items under `items_field` (or, when the server uses another documented key
    /// for the same list, under one of `other_items_fields`).
    Cursor {
        cursor_param: String,
        next_cursor_field: String,
        items_field: String,
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        other_items_fields: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        size_param: Option<String>,
    },
    /// SCIM: `startIndex` (1-based) and `count` in; `totalResults` and the items out.
    ScimOffset {
        start_param: String,
        count_param: String,
        items_field: String,
        total_field: String,
    },
    /// `offset` (0-based) and `limit` in, the items out; the list ends at a page shorter than asked for.
    Offset {
        offset_param: String,
        limit_param: String,
        items_field: String,
    },
}

impl Operation {
    /// Whether the documented answer is a redirect to the content (a file's download): the client follows it,
    /// without the key, and answers the target's bytes.
    pub fn answers_with_redirect(&self) -> bool {
        (300..400).contains(&self.success_status)
    }
}

impl Pagination {
    /// Every key a page's items may be under, the usual one first; empty for an operation that does not page.
    pub fn items_fields(&self) -> Vec<&str> {
        match self {
            Pagination::None => Vec::new(),
            Pagination::Cursor { items_field, other_items_fields, .. } => {
                std::iter::once(items_field).chain(other_items_fields).map(String::as_str).collect()
            }
            Pagination::ScimOffset { items_field, .. } | Pagination::Offset { items_field, .. } => vec![items_field],
        }
    }

    /// The query parameters paging sets or sizes (`cursor` and `size`, `startIndex` and `count`, `offset` and
    /// `limit`): never filters.
    pub fn paging_params(&self) -> Vec<&str> {
        match self {
            Pagination::None => Vec::new(),
            Pagination::Cursor { cursor_param, size_param, .. } => {
                std::iter::once(cursor_param.as_str()).chain(size_param.as_deref()).collect()
            }
            Pagination::ScimOffset { start_param, count_param, .. } => vec![start_param, count_param],
            Pagination::Offset { offset_param, limit_param, .. } => vec![offset_param, limit_param],
        }
    }

    /// The query parameter that moves through the list (`cursor`, `startIndex`, `offset`).
    pub fn position_param(&self) -> Option<&str> {
        match self {
            Pagination::None => None,
            Pagination::Cursor { cursor_param, .. } => Some(cursor_param),
            Pagination::ScimOffset { start_param, .. } => Some(start_param),
            Pagination::Offset { offset_param, .. } => Some(offset_param),
        }
    }
}
