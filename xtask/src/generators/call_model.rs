//! What a generated method takes, decided once for every binding: its arguments (parameters, body or form
//! fields, the file, undeclared query filters), which the iterator variant drops (the paging parameter), and
//! what it returns. The Python and Node generators only spell these in their language.

use heck::ToLowerCamelCase;
use toriihq_spec::{BodyKind, LoadedSpec, Operation, ParameterLocation};

use crate::generators::type_model::{TypeExpr, TypeModel, parameter_type};

pub struct Call<'a> {
    pub op: &'a Operation,
    /// In the spec's order: parameters, then the body or the form fields, then `extra_query`.
    pub arguments: Vec<Argument>,
    /// The name (as sent) of the binary form field, for operations that upload a file.
    pub upload_field: Option<String>,
    pub returns: Option<TypeExpr>,
    /// For paged lists: the item type and the keys a page may hold its items under.
    pub items: Option<(TypeExpr, Vec<&'a str>)>,
}

pub struct Argument {
    /// The key the core reads it under.
    pub wire: String,
    pub snake: String,
    pub camel: String,
    pub shape: Shape,
    pub required: bool,
    /// The paging parameter is the core's to set: the iterator variant does not take it.
    pub paging: bool,
    /// What the spec says of it, as plain text.
    pub description: Option<String>,
}

pub enum Shape {
    Value(TypeExpr),
    /// A JSON body; `open` when its schema takes undeclared keys (custom fields by system key).
    Body {
        ty: Option<TypeExpr>,
        open: bool,
    },
    /// The file of a multipart upload: a path or the bytes.
    File,
    /// Query filters the spec does not declare.
    ExtraQuery,
}

impl Shape {
    /// The type it is declared with, when it has one.
    pub fn type_expr(&self) -> Option<&TypeExpr> {
        match self {
            Shape::Value(ty) | Shape::Body { ty: Some(ty), .. } => Some(ty),
            _ => None,
        }
    }
}

impl Call<'_> {
    pub fn any_required(&self) -> bool {
        self.arguments.iter().any(|a| a.required)
    }

    /// The arguments of the iterator variant.
    pub fn iterator_arguments(&self) -> impl Iterator<Item = &Argument> {
        self.arguments.iter().filter(|a| !a.paging)
    }

    /// The method's documentation as plain text: the summary, the spec's description, the rate limit, and where
    /// it goes. Each binding adds its arguments' and spells the comment.
    pub fn doc_paragraphs(&self) -> Vec<String> {
        let mut paragraphs = vec![format!("{}.", self.summary().trim_end_matches('.'))];
        paragraphs.extend(self.op.description.clone());
        if let Some(limit) = self.op.rate_limit_per_minute {
            paragraphs.push(format!("Rate limit: {limit} requests a minute."));
        }
        paragraphs.push(format!("`{} {}` (operation `{}`).", self.op.method, self.op.path, self.op.id));
        paragraphs
    }

    pub fn summary(&self) -> String {
        self.op.summary.clone().unwrap_or_else(|| self.op.id.clone()).trim_start_matches("Torii ").to_string()
    }
}

pub fn call<'a>(spec: &LoadedSpec, model: &mut TypeModel<'_>, op: &'a Operation) -> Call<'a> {
    let types = model.operation(op);
    let paging_param = op.pagination.position_param();
    let mut arguments: Vec<Argument> = Vec::new();
    for param in op.parameters.iter().filter(|p| p.location != ParameterLocation::Cookie) {
        arguments.push(Argument {
            wire: param.name.clone(),
            snake: param.snake_name.clone(),
            camel: param.camel_name.clone(),
            shape: Shape::Value(parameter_type(param)),
            required: param.required,
            paging: Some(param.name.as_str()) == paging_param,
            description: param.description.clone(),
        });
    }
    let mut upload_field = None;
    match &op.body {
        Some(body) if body.kind == BodyKind::Json => {
            let open = body
                .schema
                .as_ref()
                .and_then(|name| spec.document.pointer(&format!("/components/schemas/{name}/additionalProperties")))
                .is_some_and(|extra| extra != &serde_json::Value::Bool(false));
            arguments.push(Argument {
                wire: "body".into(),
                snake: "body".into(),
                camel: "body".into(),
                shape: Shape::Body { ty: types.body.clone(), open },
                required: body.required,
                paging: false,
                description: Some(if open {
                    "The request body; fields the spec does not list (custom fields) go by their system key.".into()
                } else {
                    "The request body.".into()
                }),
            });
        }
        Some(body) => {
            for field in &body.form_fields {
                let shape = if field.binary {
                    upload_field = Some(field.name.clone());
                    Shape::File
                } else if field.enum_values.is_empty() {
                    Shape::Value(TypeExpr::Str)
                } else {
                    Shape::Value(TypeExpr::Literal(field.enum_values.clone()))
                };
                arguments.push(Argument {
                    wire: field.name.clone(),
                    snake: field.snake_name.clone(),
                    // The file keeps the spec's spelling in JavaScript too: it is read back by that name.
                    camel: if field.binary { field.name.clone() } else { field.name.to_lower_camel_case() },
                    required: field.required || field.binary,
                    shape,
                    paging: false,
                    description: field.binary.then(|| "The file: a path or its bytes.".to_string()),
                });
            }
        }
        None => {}
    }
    if op.parameters.iter().any(|p| p.location == ParameterLocation::Query) {
        arguments.push(Argument {
            wire: "extra_query".into(),
            snake: "extra_query".into(),
            camel: "extraQuery".into(),
            shape: Shape::ExtraQuery,
            required: false,
            paging: false,
            description: Some(
                "Query filters the spec does not declare, sent as given (custom fields: `{\"myField\": \"true\"}`)."
                    .into(),
            ),
        });
    }
    let items = types.items.map(|(_, item)| (item, op.pagination.items_fields()));
    Call { op, arguments, upload_field, returns: types.response, items }
}
