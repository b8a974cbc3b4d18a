//! The Python package's per-operation surface: `toriihq/_operations.py` (one keyword-only method per
//! operation, sync and async, plus `<operation>_iter` for paged lists) and `toriihq/types.py` (a TypedDict per
//! object type of the model). Plain Python with inline annotations, so editors and mypy read them directly; the
//! native module stays generic.

use std::fmt::Write;

use serde_json::Value;
use toriihq_spec::{BodyKind, LoadedSpec, ParameterLocation};

use crate::type_model::{Definition, TypeExpr, TypeModel, parameter_type};

pub struct PythonOutput {
    pub operations: String,
    pub types: String,
    /// stubtest allowlist: one explained line per alias it misreads.
    pub stubtest_allowlist: String,
}

const KEYWORDS: [&str; 36] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "type",
];

/// A Python identifier for a spec name (`type` → `type_`).
pub fn identifier(snake: &str) -> String {
    let cleaned: String = snake.chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '_' }).collect();
    let cleaned = if cleaned.starts_with(|c: char| c.is_ascii_digit()) { format!("_{cleaned}") } else { cleaned };
    if KEYWORDS.contains(&cleaned.as_str()) { format!("{cleaned}_") } else { cleaned }
}

fn is_plain_identifier(key: &str) -> bool {
    !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && !KEYWORDS.contains(&key)
}

fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

/// How a type reads in Python. `prefix` qualifies named types (`types.` outside the types module); `runtime`
/// asks for forms that evaluate on Python 3.9 (module-level aliases are evaluated at import).
fn render(ty: &TypeExpr, prefix: &str, runtime: bool) -> String {
    match ty {
        TypeExpr::Str => "str".into(),
        TypeExpr::Int => "int".into(),
        TypeExpr::Float => "float".into(),
        TypeExpr::Bool => "bool".into(),
        TypeExpr::Any => "Any".into(),
        TypeExpr::Map => "dict[str, Any]".into(),
        TypeExpr::Literal(values) => format!("Literal[{}]", values.iter().map(literal).collect::<Vec<_>>().join(", ")),
        TypeExpr::List(item) => format!("list[{}]", render(item, prefix, runtime)),
        TypeExpr::Named(name) => format!("{prefix}{name}"),
        TypeExpr::Union(parts) if runtime => {
            format!("Union[{}]", parts.iter().map(|p| render(p, prefix, runtime)).collect::<Vec<_>>().join(", "))
        }
        TypeExpr::Union(parts) => parts.iter().map(|p| render(p, prefix, runtime)).collect::<Vec<_>>().join(" | "),
        TypeExpr::Nullable(inner) if runtime => format!("Union[{}, None]", render(inner, prefix, runtime)),
        TypeExpr::Nullable(inner) => format!("{} | None", render(inner, prefix, runtime)),
    }
}

/// `from module import …` for the names the generated text uses (unused imports fail ruff).
fn imports(module: &str, names: &[&str], texts: &[&str]) -> String {
    let uses = |name: &str| {
        let word = |text: &str| {
            text.match_indices(name).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + name.len()..].chars().next();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                    && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        };
        texts.iter().any(|t| word(t))
    };
    let used: Vec<&str> = names.iter().copied().filter(|n| uses(n)).collect();
    format!("from {module} import {}", used.join(", "))
}

/// The schema names a type expression refers to.
fn named_in(ty: &TypeExpr) -> Vec<String> {
    match ty {
        TypeExpr::Named(name) => vec![name.clone()],
        TypeExpr::List(item) | TypeExpr::Nullable(item) => named_in(item),
        TypeExpr::Union(parts) => parts.iter().flat_map(named_in).collect(),
        _ => Vec::new(),
    }
}

fn types_module(definitions: &[Definition], header: &str) -> (String, String) {
    let mut classes = String::new();
    let mut aliases = String::new();
    let mut pending_aliases: Vec<(&str, &TypeExpr)> = Vec::new();
    let mut allowlist = format!("{header}\n");
    for definition in definitions {
        match definition {
            Definition::Alias { name, ty } => {
                // Aliases go after every class: they are evaluated at import and may name a class.
                pending_aliases.push((name.as_str(), ty));
                if matches!(ty, TypeExpr::Literal(_) | TypeExpr::Union(_) | TypeExpr::Nullable(_)) {
                    let _ = writeln!(
                        allowlist,
                        "# `{name}` is a Literal/Union alias: stubtest reads the runtime typing form as a callable, not a Union.\ntoriihq.types.{name}"
                    );
                }
            }
            Definition::Object { name, description, fields, .. } => {
                let doc = description.clone().unwrap_or_else(|| format!("`{name}`."));
                if fields.iter().all(|f| is_plain_identifier(&f.key)) {
                    let required: Vec<_> = fields.iter().filter(|f| f.required).collect();
                    let base = if required.is_empty() {
                        "TypedDict".to_string()
                    } else {
                        let _ = write!(classes, "\n\nclass _{name}Required(TypedDict):\n");
                        for field in &required {
                            let _ = writeln!(classes, "    {}: {}", field.key, render(&field.ty, "", false));
                        }
                        format!("_{name}Required")
                    };
                    let _ = write!(classes, "\n\nclass {name}({base}, total=False):\n    \"\"\"{doc}\"\"\"\n\n");
                    for field in fields.iter().filter(|f| !f.required) {
                        let _ = writeln!(classes, "    {}: {}", field.key, render(&field.ty, "", false));
                    }
                } else {
                    let members: Vec<String> =
                        fields.iter().map(|f| format!("{:?}: {:?}", f.key, render(&f.ty, "", true))).collect();
                    let _ =
                        write!(classes, "\n\n{name} = TypedDict({name:?}, {{{}}}, total=False)\n", members.join(", "));
                }
            }
        }
    }
    // An alias may name another alias: each is written after the ones it names (in spec order otherwise).
    let alias_names: Vec<&str> = pending_aliases.iter().map(|(name, _)| *name).collect();
    let mut written: Vec<&str> = Vec::new();
    while written.len() < pending_aliases.len() {
        let ready = pending_aliases.iter().find(|(name, ty)| {
            !written.contains(name)
                && named_in(ty)
                    .iter()
                    .all(|n| !alias_names.contains(&n.as_str()) || written.contains(&n.as_str()) || n == name)
        });
        // A cycle cannot be ordered: write the next one and let Python report it.
        let (name, ty) =
            ready.or_else(|| pending_aliases.iter().find(|(n, _)| !written.contains(n))).expect("one left");
        let _ = write!(aliases, "\n\n{name} = {}\n", render(ty, "", true));
        written.push(name);
    }
    let names: Vec<String> = definitions.iter().map(|d| format!("    {:?},", d.name())).collect();
    let module = [
        header.to_string(),
        "\"\"\"The spec's schemas as TypedDicts, named as in the Rust crate. Answers are plain dicts: keys the spec"
            .into(),
        "does not declare, such as custom fields, are kept.\"\"\"".into(),
        String::new(),
        "from __future__ import annotations".into(),
        String::new(),
        imports("typing", &["Any", "Literal", "TypedDict", "Union"], &[&classes, &aliases]),
        String::new(),
        "__all__ = [".into(),
        names.join("\n"),
        "]".into(),
        classes,
        aliases,
    ]
    .join("\n");
    (module, allowlist)
}

/// One keyword argument of a generated method.
struct Argument {
    /// As written in the signature: `size: int | None = None`.
    text: String,
    /// Its entry in the params dict sent to the core (empty for a file, which travels apart).
    entry: String,
    required: bool,
    /// Kept by the `_iter` variant (the paging parameter is the core's to set).
    iterable: bool,
}

pub fn generate(spec: &LoadedSpec) -> PythonOutput {
    let mut model = TypeModel::new(spec);
    let mut sync_methods = String::new();
    let mut async_methods = String::new();
    for op in &spec.operations {
        let types = model.operation(op);
        let returns = types.response.as_ref().map(|r| render(r, "types.", false)).unwrap_or_else(|| "None".into());
        let paging_param = op.pagination.position_param();
        let mut arguments: Vec<Argument> = Vec::new();
        for param in op.parameters.iter().filter(|p| p.location != ParameterLocation::Cookie) {
            let name = identifier(&param.snake_name);
            let annotation = render(&parameter_type(param), "types.", false);
            let argument = if param.required {
                format!("{name}: {annotation}")
            } else {
                format!("{name}: {annotation} | None = None")
            };
            let entry = format!("{:?}: {name}", param.name);
            arguments.push(Argument {
                text: argument,
                entry,
                required: param.required,
                iterable: Some(param.name.as_str()) != paging_param,
            });
        }
        let mut upload_field = None;
        match &op.body {
            Some(body) if body.kind == BodyKind::Json => {
                let mut annotation = types
                    .body
                    .as_ref()
                    .map(|b| render(b, "types.", false))
                    .unwrap_or_else(|| "Mapping[str, Any]".into());
                // A TypedDict cannot say "and any other key": a body that takes fields by system key (custom
                // fields) is also accepted as a plain mapping.
                let open = body
                    .schema
                    .as_ref()
                    .and_then(|name| spec.document.pointer(&format!("/components/schemas/{name}/additionalProperties")))
                    .is_some_and(|extra| extra != &serde_json::Value::Bool(false));
                if open && types.body.is_some() {
                    annotation = format!("{annotation} | Mapping[str, Any]");
                }
                let argument = if body.required {
                    format!("body: {annotation}")
                } else {
                    format!("body: {annotation} | None = None")
                };
                arguments.push(Argument {
                    text: argument,
                    entry: "\"body\": body".into(),
                    required: body.required,
                    iterable: true,
                });
            }
            Some(body) => {
                for field in &body.form_fields {
                    let name = identifier(&field.snake_name);
                    if field.binary {
                        upload_field = Some((field.name.clone(), name.clone()));
                        arguments.push(Argument {
                            text: format!("{name}: FileInput"),
                            entry: String::new(),
                            required: true,
                            iterable: true,
                        });
                        continue;
                    }
                    let annotation = if field.enum_values.is_empty() {
                        "str".to_string()
                    } else {
                        render(&TypeExpr::Literal(field.enum_values.clone()), "", false)
                    };
                    let argument = if field.required {
                        format!("{name}: {annotation}")
                    } else {
                        format!("{name}: {annotation} | None = None")
                    };
                    let entry = format!("{:?}: {name}", field.name);
                    arguments.push(Argument { text: argument, entry, required: field.required, iterable: true });
                }
            }
            None => {}
        }
        if op.parameters.iter().any(|p| p.location == ParameterLocation::Query) {
            arguments.push(Argument {
                text: "extra_query: Mapping[str, Any] | None = None".into(),
                entry: "\"extra_query\": extra_query".into(),
                required: false,
                iterable: true,
            });
        }
        // Required arguments first (they have no default), keyword-only throughout.
        arguments.sort_by_key(|a| !a.required);
        let signature = |only_iterable: bool| {
            let args: Vec<&str> =
                arguments.iter().filter(|a| !only_iterable || a.iterable).map(|a| a.text.as_str()).collect();
            if args.is_empty() { "self".to_string() } else { format!("self, *, {}", args.join(", ")) }
        };
        let params = |only_iterable: bool| {
            let entries: Vec<&str> = arguments
                .iter()
                .filter(|a| (!only_iterable || a.iterable) && !a.entry.is_empty())
                .map(|a| a.entry.as_str())
                .collect();
            format!("{{{}}}", entries.join(", "))
        };
        let summary =
            op.summary.clone().unwrap_or_else(|| op.id.clone()).trim_start_matches("Torii ").replace('"', "'");
        let docstring = format!("{summary}.\n\n        `{} {}` (operation `{}`).", op.method, op.path, op.id);
        let name = &op.snake_name;
        let (call, arguments_of_call) = match &upload_field {
            Some((field, arg)) => ("_upload", format!("{:?}, {}, {field:?}, {arg}", op.id, params(false))),
            None => ("_call", format!("{:?}, {}", op.id, params(false))),
        };
        let _ = write!(
            sync_methods,
            "\n    def {name}({}) -> {returns}:\n        \"\"\"{docstring}\"\"\"\n        return self.{call}({arguments_of_call})  # type: ignore[no-any-return]\n",
            signature(false)
        );
        let _ = write!(
            async_methods,
            "\n    async def {name}({}) -> {returns}:\n        \"\"\"{docstring}\"\"\"\n        return await self.{call}({arguments_of_call})  # type: ignore[no-any-return]\n",
            signature(false)
        );
        if let Some((_, item)) = &types.items {
            let item = render(item, "types.", false);
            let keys: Vec<String> = op.pagination.items_fields().iter().map(|k| format!("{k:?}")).collect();
            let items_keys = if keys.len() == 1 { format!("({},)", keys[0]) } else { format!("({})", keys.join(", ")) };
            let doc = format!("Every item of `{}`, page after page; the arguments are sent with every page.", op.id);
            for (out, iterator) in [(&mut sync_methods, "Iterator"), (&mut async_methods, "AsyncIterator")] {
                let _ = write!(
                    out,
                    "\n    def {name}_iter({}) -> {iterator}[{item}]:\n        \"\"\"{doc}\"\"\"\n        return self._iter({:?}, {}, {items_keys})\n",
                    signature(true),
                    op.id,
                    params(true)
                );
            }
        }
    }
    let definitions = model.finish();
    let header = crate::generated_header("#");
    let (types, stubtest_allowlist) = types_module(&definitions, &header);
    let operations = [
        header,
        "\"\"\"One method per operation of the spec, for the blocking and the asyncio client.\"\"\"".into(),
        String::new(),
        "from __future__ import annotations".into(),
        String::new(),
        imports(
            "collections.abc",
            &["AsyncIterator", "Iterator", "Mapping", "Sequence"],
            &[&sync_methods, &async_methods],
        ),
        imports("typing", &["Any", "Literal"], &[&sync_methods, &async_methods]),
        String::new(),
        "from . import types".into(),
        "from ._base import AsyncBase, FileInput, SyncBase".into(),
        String::new(),
        "__all__ = [\"AsyncOperations\", \"SyncOperations\"]".into(),
        String::new(),
        String::new(),
        "class SyncOperations(SyncBase):".into(),
        "    \"\"\"The operations, blocking.\"\"\"".into(),
        sync_methods,
        String::new(),
        "class AsyncOperations(AsyncBase):".into(),
        "    \"\"\"The operations, for asyncio.\"\"\"".into(),
        async_methods,
    ]
    .join("\n");
    PythonOutput { operations, types, stubtest_allowlist }
}
