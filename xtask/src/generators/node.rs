//! The Node package's per-operation surface: `lib/operations.js` (one method per operation taking one params
//! object, plus `<operation>Iter` async generators for paged lists) and `index.d.ts` (an interface per object
//! type of the model, a params interface per operation, the Client and the error classes).

use std::fmt::Write;

use serde_json::Value;
use toriihq_spec::LoadedSpec;

use crate::generators::call_model::{self, Shape};
use crate::generators::type_model::{Definition, TypeExpr, TypeModel};

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

const PRELUDE: &str = r#"/// <reference types="node" />

/** Query parameters the spec does not declare (custom-field filters). */
export type ExtraQuery = Record<string, string | number | boolean>

export declare const MAX_UPLOAD_BYTES: number

/** An answer's status and headers, from `withResponse()`. */
export interface APIResponseInfo {
  status: number
  headers: Headers
}

/** What an operation returns: a promise of the decoded answer; `withResponse()` adds its status and headers. */
export interface APIPromise<T> extends Promise<T> {
  withResponse(): Promise<{ data: T; response: APIResponseInfo }>
}

"#;

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

pub fn generate(spec: &LoadedSpec) -> anyhow::Result<NodeOutput> {
    let spec = &*crate::generators::workflows::with_workflow_types(spec)?;
    let mut model = TypeModel::new(spec);
    let mut methods = String::new();
    let mut declared_methods = String::new();
    let mut params_interfaces = String::new();
    for op in &spec.operations {
        let call = call_model::call(spec, &mut model, op);
        let returns = call.returns.as_ref().map(ts).unwrap_or_else(|| "null".into());
        let params_name = format!("{}Params", op.pascal_name);
        let _ = writeln!(
            params_interfaces,
            "\n/** Parameters of `{}` (`{} {}`). */\nexport interface {params_name} {{",
            op.id, op.method, op.path
        );
        for argument in &call.arguments {
            let optional = if argument.required { "" } else { "?" };
            if let Some(description) = &argument.description {
                let _ = writeln!(params_interfaces, "{}", jsdoc(std::slice::from_ref(description), "  "));
            }
            let _ = writeln!(params_interfaces, "  {}{optional}: {}", key(&argument.camel), ts_shape(&argument.shape));
        }
        let _ = writeln!(params_interfaces, "}}");
        let params_arg =
            if call.any_required() { format!("params: {params_name}") } else { format!("params?: {params_name}") };
        let doc = format!("  /** {}. `{} {}` (operation `{}`). */", call.summary(), op.method, op.path, op.id);
        let name = &op.camel_name;
        let declared_doc = jsdoc(&call.doc_paragraphs(), "  ");
        // A file's bytes come as a plain promise: there is no one answer whose status and headers to show.
        let promise = if op.answers_with_redirect() { "Promise" } else { "APIPromise" };
        let _ = writeln!(
            declared_methods,
            "{declared_doc}\n  {name}({params_arg}, options?: RequestOptions): {promise}<{returns}>"
        );
        let body = match &call.upload_field {
            Some(field) => format!("this._upload({:?}, params, {field:?}, options)", op.id),
            None if op.answers_with_redirect() => format!("this._callBytes({:?}, params, options)", op.id),
            None => format!("this._call({:?}, params, options)", op.id),
        };
        let _ = writeln!(methods, "\n{doc}\n  {name}(params, options) {{\n    return {body}\n  }}");
        if let Some((item, _)) = &call.items {
            let omitted: Vec<String> =
                call.arguments.iter().filter(|a| a.paging).map(|a| format!("'{}'", a.camel)).collect();
            let iter_params = if omitted.is_empty() {
                params_name.clone()
            } else {
                format!("Omit<{params_name}, {}>", omitted.join(" | "))
            };
            let iter_arg =
                if call.any_required() { format!("params: {iter_params}") } else { format!("params?: {iter_params}") };
            let iter_doc =
                format!("  /** Every item of `{}`, page after page; the params are sent with every page. */", op.id);
            let _ = writeln!(
                declared_methods,
                "{iter_doc}\n  {name}Iter({iter_arg}, options?: RequestOptions): AsyncGenerator<{}, void, undefined>",
                ts(item)
            );
            let _ = writeln!(
                methods,
                "\n{iter_doc}\n  {name}Iter(params, options) {{\n    return this._iter({:?}, params, options)\n  }}",
                op.id,
            );
        }
    }
    for workflow in crate::generators::workflows::offered(spec) {
        methods.push_str(&crate::generators::workflows::node_method(workflow));
        let (method, interface) = crate::generators::workflows::node_declarations(workflow);
        declared_methods.push_str(&method);
        params_interfaces.push_str(&interface);
    }
    if crate::generators::workflows::offered(spec).any(|w| w.progress) {
        params_interfaces.push_str(crate::generators::workflows::NODE_WORKFLOW_OPTIONS);
    }
    let definitions = model.finish();
    let mut interfaces = String::new();
    for definition in &definitions {
        match definition {
            Definition::Alias { name, ty } => {
                let _ = writeln!(interfaces, "\nexport type {name} = {}", ts(ty));
            }
            Definition::Object { name, description, fields, open } => {
                let doc = description.clone().unwrap_or_else(|| format!("`{name}`."));
                let _ = writeln!(interfaces, "\n/** {doc} */\nexport interface {name} {{");
                for field in fields {
                    let _ = writeln!(
                        interfaces,
                        "  {}{}: {}",
                        key(&field.key),
                        if field.required { "" } else { "?" },
                        ts(&field.ty)
                    );
                }
                if *open {
                    let _ = writeln!(
                        interfaces,
                        "  /** Keys the spec does not declare, such as custom fields. */\n  [key: string]: unknown"
                    );
                }
                let _ = writeln!(interfaces, "}}");
            }
        }
    }
    let header = crate::generated_header("//");
    let errors = crate::generators::errors::generate().node_declarations;
    let options = crate::generators::options::generate().node_declarations;
    let spec_declarations = format!(
        "{interfaces}{params_interfaces}\nexport declare class Client {{\n  constructor(options?: ClientOptions)\n  readonly baseUrl: string\n  /** A new client with this one's settings and `options` over them (extra headers are added to this client's). */\n  withOptions(options: ClientOptions): Client\n  /**\n   * Calls an endpoint the spec does not describe yet, `method path` under the base URL, with query parameters and a\n   * JSON body, through the same retries, options and errors as every operation; resolves to the answer's JSON. The\n   * path cannot leave the base URL (another host, `..`, a query in the path): an InvalidArgumentError, before anything\n   * is sent.\n   */\n  request<T = unknown>(request: RawRequest, options?: RequestOptions): Promise<T>\n{declared_methods}}}\n\n/** A request to an endpoint the spec does not describe (`client.request`). */\nexport interface RawRequest {{\n  /** `GET`, `POST`, … */\n  method: string\n  /** Under the base URL: `/apps/42/notes`. */\n  path: string\n  /** Query parameters; a list repeats its key. */\n  query?: Record<string, unknown>\n  /** The JSON body. */\n  body?: unknown\n}}\n"
    );
    let declarations = format!("{header}\n{PRELUDE}{options}{errors}{spec_declarations}");
    let operations = format!(
        "{header}\n'use strict'\n// One method per operation of the spec; the plumbing is in base.js, the work in the Rust core.\n\nconst {{ Base }} = require('./base.js')\n\nclass Client extends Base {{{methods}}}\n\nmodule.exports = {{ Client }}\n"
    );
    Ok(NodeOutput { operations, declarations, spec_declarations })
}
