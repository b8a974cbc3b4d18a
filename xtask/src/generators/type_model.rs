//! The spec's schemas as a small, language-neutral type model: named object types with fields, aliases, and
//! type expressions. The Python and TypeScript generators render the same model, so an inline object gets the
//! same name (`GetAppsResponse`, `ScimUserName`) in every language, and the one progenitor gives it in Rust.

use std::collections::BTreeSet;

use heck::ToPascalCase;
use serde_json::Value;
use toriihq_spec::{BodyKind, LoadedSpec, Operation, Parameter, ValueType};

#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    Str,
    Int,
    Float,
    Bool,
    Any,
    /// An object with no declared properties.
    Map,
    Literal(Vec<Value>),
    List(Box<TypeExpr>),
    Named(String),
    Union(Vec<TypeExpr>),
    Nullable(Box<TypeExpr>),
    /// Raw bytes: the file a documented redirect leads to.
    Bytes,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub key: String,
    pub ty: TypeExpr,
    pub required: bool,
}

#[derive(Debug, Clone)]
pub enum Definition {
    /// `open`: the schema declares `additionalProperties`, so undeclared keys (custom fields) are expected.
    Object {
        name: String,
        description: Option<String>,
        fields: Vec<Field>,
        open: bool,
    },
    Alias {
        name: String,
        ty: TypeExpr,
    },
}

impl Definition {
    pub fn name(&self) -> &str {
        match self {
            Definition::Object { name, .. } | Definition::Alias { name, .. } => name,
        }
    }
}

/// What one operation takes and gives, in the model's terms.
pub struct OperationTypes {
    pub response: Option<TypeExpr>,
    pub body: Option<TypeExpr>,
    /// For paged lists: the items' key and type.
    pub items: Option<(String, TypeExpr)>,
}

pub struct TypeModel<'a> {
    doc: &'a Value,
    written: BTreeSet<String>,
    pending: Vec<(String, &'a Value)>,
    definitions: Vec<Definition>,
}

fn escape(path: &str) -> String {
    path.replace('~', "~0").replace('/', "~1")
}

impl<'a> TypeModel<'a> {
    /// A model holding every named schema of the document.
    pub fn new(spec: &'a LoadedSpec) -> Self {
        let doc = &spec.document;
        let mut model = TypeModel { doc, written: BTreeSet::new(), pending: Vec::new(), definitions: Vec::new() };
        if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
            for (name, schema) in schemas {
                model.queue(name.to_pascal_case(), schema);
            }
        }
        model
    }

    fn deref(&self, mut schema: &'a Value) -> (&'a Value, Option<String>) {
        let mut name = None;
        for _ in 0..16 {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else { break };
            name = Some(reference.rsplit('/').next().unwrap_or(reference).to_pascal_case());
            match self.doc.pointer(reference.trim_start_matches('#')) {
                Some(target) => schema = target,
                None => break,
            }
        }
        (schema, name)
    }

    /// The type of a schema; inline objects become definitions named `suggested`.
    pub fn type_of(&mut self, schema: &'a Value, suggested: &str) -> TypeExpr {
        let (resolved, reference) = self.deref(schema);
        if let Some(name) = reference {
            self.queue(name.clone(), resolved);
            return TypeExpr::Named(name);
        }
        let base = self.base_type(resolved, suggested);
        if resolved.get("nullable").and_then(Value::as_bool) == Some(true) {
            TypeExpr::Nullable(Box::new(base))
        } else {
            base
        }
    }

    fn base_type(&mut self, schema: &'a Value, suggested: &str) -> TypeExpr {
        if let Some(values) = schema.get("enum").and_then(Value::as_array).filter(|v| !v.is_empty()) {
            return TypeExpr::Literal(values.clone());
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(options) = schema.get(combinator).and_then(Value::as_array) {
                let parts = options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| self.type_of(o, &format!("{suggested}Variant{i}")))
                    .collect();
                return TypeExpr::Union(parts);
            }
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => TypeExpr::Str,
            Some("integer") => TypeExpr::Int,
            Some("number") => TypeExpr::Float,
            Some("boolean") => TypeExpr::Bool,
            Some("array") => {
                let items = schema.get("items").unwrap_or(&Value::Null);
                TypeExpr::List(Box::new(self.type_of(items, &format!("{suggested}Item"))))
            }
            _ if schema.get("properties").is_some() || schema.get("allOf").is_some() => {
                self.queue(suggested.to_string(), schema);
                TypeExpr::Named(suggested.to_string())
            }
            Some("object") => TypeExpr::Map,
            _ => TypeExpr::Any,
        }
    }

    fn queue(&mut self, name: String, schema: &'a Value) {
        if !self.written.contains(&name) && !self.pending.iter().any(|(n, _)| *n == name) {
            self.pending.push((name, schema));
        }
    }

    fn properties(&self, schema: &'a Value) -> (Vec<(&'a String, &'a Value)>, Vec<&'a str>) {
        let (schema, _) = self.deref(schema);
        let mut properties: Vec<(&String, &Value)> =
            schema.get("properties").and_then(Value::as_object).map(|p| p.iter().collect()).unwrap_or_default();
        let mut required: Vec<&str> =
            schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            let (more, more_required) = self.properties(part);
            properties.extend(more);
            required.extend(more_required);
        }
        (properties, required)
    }

    /// The types an operation takes and gives (their definitions join the model).
    pub fn operation(&mut self, op: &Operation) -> OperationTypes {
        let method = op.method.to_lowercase();
        let base = format!("/paths/{}/{method}", escape(&op.path));
        let doc = self.doc;
        let response_schema = doc
            .pointer(&format!("{base}/responses/{}/content", op.success_status))
            .and_then(Value::as_object)
            .and_then(|c| c.iter().find(|(m, _)| m.contains("json")))
            .and_then(|(_, media)| media.get("schema"));
        let response = match response_schema {
            _ if op.answers_with_redirect() => Some(TypeExpr::Bytes),
            Some(schema) => Some(self.type_of(schema, &format!("{}Response", op.pascal_name))),
            None => None,
        };
        let body = match &op.body {
            Some(b) if b.kind == BodyKind::Json => doc
                .pointer(&format!("{base}/requestBody/content/application~1json/schema"))
                .map(|s| self.type_of(s, &format!("{}Body", op.pascal_name))),
            _ => None,
        };
        let items_field = op.pagination.items_fields().first().map(|field| field.to_string());
        let items = match (items_field, response_schema, &response) {
            (Some(field), Some(schema), Some(TypeExpr::Named(parent))) => {
                let (resolved, _) = self.deref(schema);
                let item = resolved
                    .pointer(&format!("/properties/{}", escape(&field)))
                    .map(|p| self.deref(p).0)
                    .and_then(|a| a.get("items"))
                    .map(|schema| self.type_of(schema, &format!("{parent}{}Item", field.to_pascal_case())))
                    .unwrap_or(TypeExpr::Any);
                Some((field, item))
            }
            (Some(field), _, _) => Some((field, TypeExpr::Any)),
            _ => None,
        };
        OperationTypes { response, body, items }
    }

    /// Every definition, once the walk has reached everything it names.
    pub fn finish(mut self) -> Vec<Definition> {
        while let Some((name, schema)) = self.pending.pop() {
            if !self.written.insert(name.clone()) {
                continue;
            }
            let is_object = schema.get("properties").is_some() || schema.get("allOf").is_some();
            if !is_object {
                let ty = self.base_type(schema, &format!("{name}Item"));
                self.definitions.push(Definition::Alias { name, ty });
                continue;
            }
            let (properties, required) = self.properties(schema);
            let fields = properties
                .iter()
                .map(|(key, property)| Field {
                    key: (*key).clone(),
                    ty: self.type_of(property, &format!("{name}{}", key.to_pascal_case())),
                    required: required.contains(&key.as_str()),
                })
                .collect();
            let description = schema
                .get("description")
                .and_then(Value::as_str)
                .map(|d| d.trim().lines().next().unwrap_or("").replace('"', "'"))
                .filter(|d| !d.is_empty());
            let open = schema.get("additionalProperties").is_some_and(|a| a != &Value::Bool(false));
            self.definitions.push(Definition::Object { name, description, fields, open });
        }
        let mut definitions = self.definitions;
        definitions.sort_by(|a, b| a.name().cmp(b.name()));
        definitions
    }
}

/// A parameter's type: its enum, else its JSON type.
pub fn parameter_type(param: &Parameter) -> TypeExpr {
    if !param.enum_values.is_empty() {
        return TypeExpr::Literal(param.enum_values.clone());
    }
    match param.value_type {
        ValueType::Integer => TypeExpr::Int,
        ValueType::Number => TypeExpr::Float,
        ValueType::Boolean => TypeExpr::Bool,
        ValueType::String => TypeExpr::Str,
        ValueType::Array => TypeExpr::List(Box::new(TypeExpr::Any)),
        _ => TypeExpr::Any,
    }
}
