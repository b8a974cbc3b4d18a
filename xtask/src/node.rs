//! The Node package's per-operation surface: `lib/operations.js` (one method per operation taking one params
//! object, plus `<operation>Iter` async generators for paged lists) and `index.d.ts` (an interface per object
//! type of the model, a params interface per operation, the Client and the error classes).

use std::fmt::Write;

use heck::ToLowerCamelCase;
use serde_json::Value;
use toriihq_spec::{BodyKind, LoadedSpec, ParameterLocation};

use crate::type_model::{Definition, TypeExpr, TypeModel, parameter_type};

pub struct NodeOutput {
    pub operations: String,
    pub declarations: String,
}

fn ts(ty: &TypeExpr) -> String {
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
    }
}

fn key(name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if plain { name.to_string() } else { Value::String(name.to_string()).to_string() }
}

const PRELUDE: &str = r#"/// <reference types="node" />

export interface ClientOptions {
  /** Defaults to the TORII_API_KEY environment variable. */
  apiKey?: string
  /** Defaults to TORII_BASE_URL, then https://api.toriihq.com/v1.0. */
  baseUrl?: string
  /** Sent as X-API-Version unless a call sets its own. */
  apiVersion?: string
  /** Per attempt; default 60000. */
  timeoutMs?: number
  /** Retries after the first attempt; default 2. */
  maxRetries?: number
}

export interface RequestOptions {
  /** Aborting it cancels the request; the call rejects with APIUserAbortError. */
  signal?: AbortSignal
  /** A deadline for this call, retries included. */
  timeoutMs?: number
}

/** Query parameters the spec does not declare (custom-field filters). */
export type ExtraQuery = Record<string, string | number | boolean>

export declare const MAX_UPLOAD_BYTES: number

export declare class ToriiError extends Error {
  readonly kind: string
}
export declare class APIError extends ToriiError {}
export declare class APIStatusError extends APIError {
  readonly status: number
  readonly body: unknown
  readonly headers: Record<string, string>
}
export declare class BadRequestError extends APIStatusError {}
export declare class AuthenticationError extends APIStatusError {}
export declare class PermissionDeniedError extends APIStatusError {}
export declare class NotFoundError extends APIStatusError {}
export declare class ConflictError extends APIStatusError {}
export declare class PayloadTooLargeError extends APIStatusError {}
export declare class UnprocessableEntityError extends APIStatusError {}
export declare class RateLimitError extends APIStatusError {
  /** Seconds the API asked to wait, when it said. */
  readonly retryAfter: number | null
}
export declare class InternalServerError extends APIStatusError {}
export declare class APIConnectionError extends APIError {}
export declare class APITimeoutError extends APIConnectionError {}
export declare class APIResponseValidationError extends APIError {}
export declare class APIUserAbortError extends APIError {}
export declare class ArgumentTypeError extends TypeError {
  readonly kind: 'invalid_argument'
  readonly argument: string | null
}
export declare class InvalidArgumentError extends RangeError {
  readonly kind: 'invalid_argument'
  readonly argument: string | null
}
"#;

pub fn generate(spec: &LoadedSpec) -> NodeOutput {
    let mut model = TypeModel::new(spec);
    let mut methods = String::new();
    let mut declared_methods = String::new();
    let mut params_interfaces = String::new();
    for op in &spec.operations {
        let types = model.operation(op);
        let returns = types.response.as_ref().map(ts).unwrap_or_else(|| "null".into());
        let params_name = format!("{}Params", op.pascal_name);
        let mut fields: Vec<(String, String, bool, bool)> = Vec::new(); // (key, type, required, iterable)
        let paging_param = op.pagination.position_param();
        for param in op.parameters.iter().filter(|p| p.location != ParameterLocation::Cookie) {
            fields.push((
                param.camel_name.clone(),
                ts(&parameter_type(param)),
                param.required,
                Some(param.name.as_str()) != paging_param,
            ));
        }
        let mut upload_field = None;
        match &op.body {
            Some(body) if body.kind == BodyKind::Json => {
                let ty = types.body.as_ref().map(ts).unwrap_or_else(|| "Record<string, unknown>".into());
                fields.push(("body".into(), ty, body.required, true));
            }
            Some(body) => {
                for field in &body.form_fields {
                    let name = field.name.to_lower_camel_case();
                    if field.binary {
                        upload_field = Some(field.name.clone());
                        fields.push((field.name.clone(), "string | Uint8Array".into(), field.required, true));
                    } else {
                        let ty = if field.enum_values.is_empty() {
                            "string".into()
                        } else {
                            ts(&TypeExpr::Literal(field.enum_values.clone()))
                        };
                        fields.push((name, ty, field.required, true));
                    }
                }
            }
            None => {}
        }
        if op.parameters.iter().any(|p| p.location == ParameterLocation::Query) {
            fields.push(("extraQuery".into(), "ExtraQuery".into(), false, true));
        }
        let _ = writeln!(
            params_interfaces,
            "\n/** Parameters of `{}` (`{} {}`). */\nexport interface {params_name} {{",
            op.id, op.method, op.path
        );
        for (name, ty, required, _) in &fields {
            let _ = writeln!(params_interfaces, "  {}{}: {ty}", key(name), if *required { "" } else { "?" });
        }
        let _ = writeln!(params_interfaces, "}}");
        let any_required = fields.iter().any(|f| f.2);
        let params_arg =
            if any_required { format!("params: {params_name}") } else { format!("params?: {params_name}") };
        let summary = op.summary.clone().unwrap_or_else(|| op.id.clone()).trim_start_matches("Torii ").to_string();
        let doc = format!("  /** {summary}. `{} {}` (operation `{}`). */", op.method, op.path, op.id);
        let name = &op.camel_name;
        let _ =
            writeln!(declared_methods, "{doc}\n  {name}({params_arg}, options?: RequestOptions): Promise<{returns}>");
        let call = match &upload_field {
            Some(field) => format!("this._upload({:?}, params, {field:?}, options)", op.id),
            None => format!("this._call({:?}, params, options)", op.id),
        };
        let _ = writeln!(methods, "\n{doc}\n  {name}(params, options) {{\n    return {call}\n  }}");
        if let Some((_, item)) = &types.items {
            let items_keys: Vec<String> = op.pagination.items_fields().iter().map(|k| format!("'{k}'")).collect();
            let omitted: Vec<String> = fields.iter().filter(|f| !f.3).map(|f| format!("'{}'", f.0)).collect();
            let iter_params = if omitted.is_empty() {
                params_name.clone()
            } else {
                format!("Omit<{params_name}, {}>", omitted.join(" | "))
            };
            let iter_arg =
                if any_required { format!("params: {iter_params}") } else { format!("params?: {iter_params}") };
            let iter_doc =
                format!("  /** Every item of `{}`, page after page; the params are sent with every page. */", op.id);
            let _ = writeln!(
                declared_methods,
                "{iter_doc}\n  {name}Iter({iter_arg}): AsyncGenerator<{}, void, undefined>",
                ts(item)
            );
            let _ = writeln!(
                methods,
                "\n{iter_doc}\n  {name}Iter(params) {{\n    return this._iter({:?}, params, [{}])\n  }}",
                op.id,
                items_keys.join(", ")
            );
        }
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
    let declarations = format!(
        "{header}\n{PRELUDE}{interfaces}{params_interfaces}\nexport declare class Client {{\n  constructor(options?: ClientOptions)\n  readonly baseUrl: string\n{declared_methods}}}\n"
    );
    let operations = format!(
        "{header}\n'use strict'\n// One method per operation of the spec; the plumbing is in base.js, the work in the Rust core.\n\nconst {{ Base }} = require('./base.js')\n\nclass Client extends Base {{{methods}}}\n\nmodule.exports = {{ Client }}\n"
    );
    NodeOutput { operations, declarations }
}
