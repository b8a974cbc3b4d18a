//! The Node package's per-operation surface: `lib/operations.js` (one method per operation taking one params
//! object, plus `<operation>Iter` async generators for paged lists) and `index.d.ts` (an interface per object
//! type of the model, a params interface per operation, the Client and the error classes).

use serde::Serialize;
use serde_json::Value;
use toriihq_spec::LoadedSpec;

use crate::generators::call_model::{self, Shape};
use crate::generators::templates;
use crate::generators::type_model::{Definition, TypeExpr, TypeModel};
use crate::generators::workflows::{self, NodeWorkflow};

pub struct NodeOutput {
    pub operations: String,
    pub declarations: String,
    /// The part of `declarations` that comes from the spec (the rest is the same for every spec).
    pub spec_declarations: String,
}

pub(crate) fn ts(ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::Str => "string".into(),
        TypeExpr::Int | TypeExpr::Float => "number".into(),
        TypeExpr::Bool => "boolean".into(),
        TypeExpr::Any => "unknown".into(),
        TypeExpr::Map => "Record<string, unknown>".into(),
        TypeExpr::Literal(values) => values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" | "),
        TypeExpr::List(item) => match item.as_ref() {
            TypeExpr::Union(_) | TypeExpr::Literal(_) | TypeExpr::Nullable(_) => format!("Array<{}>", ts(item)),
            other => format!("{}[]", ts(other)),
        },
        TypeExpr::Named(name) => name.clone(),
        TypeExpr::Union(parts) => parts.iter().map(ts).collect::<Vec<_>>().join(" | "),
        TypeExpr::Nullable(inner) => format!("{} | null", ts(inner)),
        TypeExpr::Bytes => "Buffer".into(),
    }
}

pub(crate) fn ts_shape(shape: &Shape) -> String {
    match shape {
        Shape::Value(ty) => ts(ty),
        Shape::Body { ty: Some(ty), .. } => ts(ty),
        Shape::Body { ty: None, .. } => "Record<string, unknown>".into(),
        Shape::File => "string | Uint8Array".into(),
        Shape::ExtraQuery => "ExtraQuery".into(),
    }
}

fn key(name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if plain { name.to_string() } else { Value::String(name.to_string()).to_string() }
}

/// A TSDoc comment of `paragraphs` at `indent`: what an editor shows on hover.
fn jsdoc(paragraphs: &[String], indent: &str) -> String {
    let text = paragraphs.join("\n\n").replace("*/", "*\\/");
    if !text.contains('\n') {
        return format!("{indent}/** {text} */");
    }
    let lines: Vec<String> = text
        .lines()
        .map(|line| if line.is_empty() { format!("{indent} *") } else { format!("{indent} * {line}") })
        .collect();
    format!("{indent}/**\n{}\n{indent} */", lines.join("\n"))
}

/// A type of the model: an alias (`fields` is `None`) or an interface.
#[derive(Serialize)]
struct TypeDeclaration {
    name: String,
    ty: Option<String>,
    doc: Option<String>,
    fields: Option<Vec<Member>>,
    open: bool,
}

/// A member of an interface: its key, `?` when optional, its type and what the spec says of it.
#[derive(Serialize)]
struct Member {
    key: String,
    optional: &'static str,
    ty: String,
    doc: Option<String>,
}

/// One operation, as `operations.js` and the `Client` of `index.d.ts` lay it out.
#[derive(Serialize)]
struct OperationMethod {
    name: String,
    id: String,
    method: String,
    path: String,
    summary: String,
    /// `_call`, `_upload` (with the field of its file) or `_callBytes`.
    call: &'static str,
    upload_field: Option<String>,
    params_name: String,
    arguments: Vec<Member>,
    /// The declaration's TSDoc comment, its params argument, its promise and what it resolves to.
    doc: String,
    params_arg: String,
    promise: &'static str,
    returns: String,
    pages: Option<PagesMethod>,
}

/// `<operation>Iter`, for a paged list.
#[derive(Serialize)]
struct PagesMethod {
    params_arg: String,
    item: String,
}

fn type_declaration(definition: &Definition) -> TypeDeclaration {
    match definition {
        Definition::Alias { name, ty } => {
            TypeDeclaration { name: name.clone(), ty: Some(ts(ty)), doc: None, fields: None, open: false }
        }
        Definition::Object { name, description, fields, open } => TypeDeclaration {
            name: name.clone(),
            ty: None,
            doc: Some(description.clone().unwrap_or_else(|| format!("`{name}`."))),
            fields: Some(
                fields
                    .iter()
                    .map(|field| Member {
                        key: key(&field.key),
                        optional: if field.required { "" } else { "?" },
                        ty: ts(&field.ty),
                        doc: None,
                    })
                    .collect(),
            ),
            open: *open,
        },
    }
}

fn operation_method(spec: &LoadedSpec, model: &mut TypeModel, op: &toriihq_spec::Operation) -> OperationMethod {
    let call = call_model::call(spec, model, op);
    let params_name = format!("{}Params", op.pascal_name);
    let optional_params = if call.any_required() { "params" } else { "params?" };
    let arguments = call
        .arguments
        .iter()
        .map(|argument| Member {
            key: key(&argument.camel),
            optional: if argument.required { "" } else { "?" },
            ty: ts_shape(&argument.shape),
            doc: argument.description.as_ref().map(|d| jsdoc(std::slice::from_ref(d), "  ")),
        })
        .collect();
    let pages = call.items.as_ref().map(|(item, _)| {
        let omitted: Vec<String> =
            call.arguments.iter().filter(|a| a.paging).map(|a| format!("'{}'", a.camel)).collect();
        let params = match omitted.is_empty() {
            true => params_name.clone(),
            false => format!("Omit<{params_name}, {}>", omitted.join(" | ")),
        };
        PagesMethod { params_arg: format!("{optional_params}: {params}"), item: ts(item) }
    });
    let (call_method, upload_field) = match &call.upload_field {
        Some(field) => ("_upload", Some(field.clone())),
        None if op.answers_with_redirect() => ("_callBytes", None),
        None => ("_call", None),
    };
    OperationMethod {
        name: op.camel_name.clone(),
        id: op.id.clone(),
        method: op.method.to_string(),
        path: op.path.clone(),
        summary: call.summary(),
        call: call_method,
        upload_field,
        params_arg: format!("{optional_params}: {params_name}"),
        params_name,
        arguments,
        doc: jsdoc(&call.doc_paragraphs(), "  "),
        // A file's bytes come as a plain promise: there is no one answer whose status and headers to show.
        promise: if op.answers_with_redirect() { "Promise" } else { "APIPromise" },
        returns: call.returns.as_ref().map(ts).unwrap_or_else(|| "null".into()),
        pages,
    }
}

/// What `node/client.d.ts` is filled with.
#[derive(Serialize)]
struct ClientDeclarations<'a> {
    definitions: Vec<TypeDeclaration>,
    operations: &'a [OperationMethod],
    workflows: &'a [NodeWorkflow],
    workflow_options: bool,
}

/// What `node/operations.js` is filled with.
#[derive(Serialize)]
struct OperationsModule<'a> {
    header: &'a str,
    operations: &'a [OperationMethod],
    workflows: &'a [NodeWorkflow],
}

pub fn generate(spec: &LoadedSpec) -> anyhow::Result<NodeOutput> {
    let spec = &*workflows::with_workflow_types(spec)?;
    let mut model = TypeModel::new(spec);
    let operations: Vec<OperationMethod> =
        spec.operations.iter().map(|op| operation_method(spec, &mut model, op)).collect();
    let workflows: Vec<NodeWorkflow> = workflows::offered(spec).map(workflows::node_method).collect();
    let definitions = model.finish().iter().map(type_declaration).collect();
    let workflow_options = workflows.iter().any(|w| w.options == "WorkflowOptions");
    let declarations =
        ClientDeclarations { definitions, operations: &operations, workflows: &workflows, workflow_options };
    let spec_declarations = templates::render("node/client.d.ts", declarations)?;
    let header = crate::generated_header("//");
    let errors = crate::generators::errors::generate()?.node_declarations;
    let options = crate::generators::options::generate()?.node_declarations;
    let declarations = templates::render(
        "node/index.d.ts",
        minijinja::context! { header => header.trim_end(), options, errors, spec_declarations => &spec_declarations },
    )?;
    let module = OperationsModule { header: header.trim_end(), operations: &operations, workflows: &workflows };
    let operations = templates::render("node/operations.js", module)?;
    Ok(NodeOutput { operations, declarations, spec_declarations })
}
