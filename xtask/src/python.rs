//! The Python package's per-operation surface: `toriihq/_operations.py` (one keyword-only method per
//! operation, sync and async, plus `<operation>_iter` for paged lists) and `toriihq/types.py` (a TypedDict per
//! object schema, named as progenitor names the Rust types). Both are plain Python with inline annotations, so
//! editors and mypy read them directly; the native module stays generic.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use heck::ToPascalCase;
use serde_json::Value;
use toriihq_spec::{BodyKind, LoadedSpec, Operation, Pagination, Parameter, ParameterLocation};

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

/// Walks schemas, naming inline objects after where they stand and writing one TypedDict each.
struct Types<'a> {
    doc: &'a Value,
    out: String,
    aliases: String,
    /// Aliases stubtest misreads (it takes a runtime `Literal`/`Union` form for a callable).
    allowlist: Vec<String>,
    written: BTreeSet<String>,
    pending: Vec<(String, &'a Value)>,
}

impl<'a> Types<'a> {
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

    /// The annotation for a schema; inline objects are queued under `suggested`.
    fn annotation(&mut self, schema: &'a Value, suggested: &str) -> String {
        let (resolved, reference) = self.deref(schema);
        if let Some(name) = reference {
            self.queue(name.clone(), resolved);
            return name;
        }
        let base = self.base_annotation(resolved, suggested);
        if resolved.get("nullable").and_then(Value::as_bool) == Some(true) { format!("{base} | None") } else { base }
    }

    fn base_annotation(&mut self, schema: &'a Value, suggested: &str) -> String {
        if let Some(values) = schema.get("enum").and_then(Value::as_array).filter(|v| !v.is_empty()) {
            return format!("Literal[{}]", values.iter().map(literal).collect::<Vec<_>>().join(", "));
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(options) = schema.get(combinator).and_then(Value::as_array) {
                let parts: Vec<String> = options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| self.annotation(o, &format!("{suggested}Variant{i}")))
                    .collect();
                return parts.join(" | ");
            }
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => "str".into(),
            Some("integer") => "int".into(),
            Some("number") => "float".into(),
            Some("boolean") => "bool".into(),
            Some("array") => {
                let items = schema.get("items").unwrap_or(&Value::Null);
                format!("list[{}]", self.annotation(items, &format!("{suggested}Item")))
            }
            _ if schema.get("properties").is_some() || schema.get("allOf").is_some() => {
                self.queue(suggested.to_string(), schema);
                suggested.to_string()
            }
            Some("object") => "dict[str, Any]".into(),
            _ => "Any".into(),
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

    /// Writes everything queued (and what that queues in turn).
    fn flush(&mut self) {
        while let Some((name, schema)) = self.pending.pop() {
            if !self.written.insert(name.clone()) {
                continue;
            }
            let is_object = schema.get("properties").is_some() || schema.get("allOf").is_some();
            if !is_object {
                // A module-level alias is evaluated at import (3.9 included), so unions use `Union[...]` here.
                let alias = self.base_annotation(schema, &format!("{name}Item"));
                let alias =
                    if alias.contains(" | ") { format!("Union[{}]", alias.replace(" | ", ", ")) } else { alias };
                // Aliases go after every class: they are evaluated at import and may name a class.
                let _ = writeln!(self.aliases, "\n\n{name} = {alias}");
                if alias.starts_with("Literal[") || alias.starts_with("Union[") {
                    self.allowlist.push(name.clone());
                }
                continue;
            }
            let (properties, required) = self.properties(schema);
            let fields: Vec<(String, String, bool)> = properties
                .iter()
                .map(|(key, property)| {
                    let annotation = self.annotation(property, &format!("{name}{}", key.to_pascal_case()));
                    ((*key).clone(), annotation, required.contains(&key.as_str()))
                })
                .collect();
            let description = schema.get("description").and_then(Value::as_str).unwrap_or("").trim().replace('"', "'");
            let doc = if description.is_empty() {
                format!("`{name}`.")
            } else {
                description.lines().next().unwrap_or("").to_string()
            };
            if fields.iter().all(|(k, _, _)| is_plain_identifier(k)) {
                let (required_fields, optional_fields): (Vec<_>, Vec<_>) = fields.iter().partition(|(_, _, r)| *r);
                let base = if required_fields.is_empty() {
                    "TypedDict".to_string()
                } else {
                    let _ = writeln!(self.out, "\n\nclass _{name}Required(TypedDict):");
                    for (key, annotation, _) in &required_fields {
                        let _ = writeln!(self.out, "    {key}: {annotation}");
                    }
                    format!("_{name}Required")
                };
                let _ = writeln!(self.out, "\n\nclass {name}({base}, total=False):\n    \"\"\"{doc}\"\"\"\n");
                for (key, annotation, _) in &optional_fields {
                    let _ = writeln!(self.out, "    {key}: {annotation}");
                }
            } else {
                let members: Vec<String> = fields.iter().map(|(k, a, _)| format!("{k:?}: {a:?}")).collect();
                let _ = writeln!(self.out, "\n\n{name} = TypedDict({name:?}, {{{}}}, total=False)", members.join(", "));
            }
        }
    }
}

fn escape(path: &str) -> String {
    path.replace('~', "~0").replace('/', "~1")
}

fn response_schema<'a>(doc: &'a Value, op: &Operation) -> Option<&'a Value> {
    let pointer =
        format!("/paths/{}/{}/responses/{}/content", escape(&op.path), op.method.to_lowercase(), op.success_status);
    let content = doc.pointer(&pointer)?.as_object()?;
    content.iter().find(|(m, _)| m.contains("json")).and_then(|(_, media)| media.get("schema"))
}

fn body_schema<'a>(doc: &'a Value, op: &Operation) -> Option<&'a Value> {
    let pointer = format!(
        "/paths/{}/{}/requestBody/content/application~1json/schema",
        escape(&op.path),
        op.method.to_lowercase()
    );
    doc.pointer(&pointer)
}

fn parameter_annotation(param: &Parameter) -> String {
    if !param.enum_values.is_empty() {
        return format!("Literal[{}]", param.enum_values.iter().map(literal).collect::<Vec<_>>().join(", "));
    }
    match param.value_type {
        toriihq_spec::ValueType::Integer => "int".into(),
        toriihq_spec::ValueType::Number => "float".into(),
        toriihq_spec::ValueType::Boolean => "bool".into(),
        toriihq_spec::ValueType::String => "str".into(),
        toriihq_spec::ValueType::Array => "Sequence[Any]".into(),
        _ => "Any".into(),
    }
}

/// `from module import …` for the names the generated text uses (unused imports fail ruff).
fn imports(module: &str, names: &[&str], texts: &[&str]) -> String {
    let used: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| {
            texts.iter().any(|t| {
                t.contains(&format!("{name}["))
                    || t.contains(&format!("{name}("))
                    || t.contains(&format!(": {name}"))
                    || t.contains(&format!("[{name}"))
                    || t.contains(&format!(" {name},"))
                    || t.contains(&format!("{name}]"))
            })
        })
        .collect();
    format!("from {module} import {}", used.join(", "))
}

pub fn generate(spec: &LoadedSpec) -> PythonOutput {
    let doc = &spec.document;
    let mut types = Types {
        doc,
        out: String::new(),
        aliases: String::new(),
        allowlist: Vec::new(),
        written: BTreeSet::new(),
        pending: Vec::new(),
    };
    // Every named schema, so users can name them even when no operation uses them directly.
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, schema) in schemas {
            types.queue(name.to_pascal_case(), schema);
        }
    }
    let mut sync_methods = String::new();
    let mut async_methods = String::new();
    let mut returns: BTreeMap<String, String> = BTreeMap::new();
    for op in &spec.operations {
        let response = response_schema(doc, op).map(|s| types.annotation(s, &format!("{}Response", op.pascal_name)));
        let returns_annotation = response.clone().map(|r| format!("types.{r}")).unwrap_or_else(|| "None".into());
        returns.insert(op.id.clone(), returns_annotation.clone());
        let mut required_args = Vec::new();
        let mut optional_args = Vec::new();
        let mut entries = Vec::new();
        let mut iter_optional = Vec::new();
        let mut iter_entries = Vec::new();
        let paging_params: Vec<&str> = match &op.pagination {
            Pagination::Cursor { cursor_param, .. } => vec![cursor_param.as_str()],
            Pagination::ScimOffset { start_param, .. } => vec![start_param.as_str()],
            Pagination::None => vec![],
        };
        for param in op.parameters.iter().filter(|p| p.location != ParameterLocation::Cookie) {
            let name = identifier(&param.snake_name);
            let annotation = parameter_annotation(param);
            let entry = format!("{:?}: {name}", param.name);
            if param.required {
                required_args.push(format!("{name}: {annotation}"));
            } else {
                optional_args.push(format!("{name}: {annotation} | None = None"));
            }
            entries.push(entry.clone());
            if !paging_params.contains(&param.name.as_str()) {
                if param.required {
                    iter_optional.insert(0, format!("{name}: {annotation}"));
                } else {
                    iter_optional.push(format!("{name}: {annotation} | None = None"));
                }
                iter_entries.push(entry);
            }
        }
        let mut upload_field = None;
        match &op.body {
            Some(body) if body.kind == BodyKind::Json => {
                let annotation = match body_schema(doc, op) {
                    Some(schema) => format!("types.{}", types.annotation(schema, &format!("{}Body", op.pascal_name))),
                    None => "Mapping[str, Any]".into(),
                };
                if body.required {
                    required_args.push(format!("body: {annotation}"));
                } else {
                    optional_args.push(format!("body: {annotation} | None = None"));
                }
                entries.push("\"body\": body".into());
            }
            Some(body) => {
                for field in &body.form_fields {
                    let name = identifier(&field.snake_name);
                    if field.binary {
                        upload_field = Some((field.name.clone(), name.clone()));
                        required_args.push(format!("{name}: FileInput"));
                        continue;
                    }
                    let annotation = if field.enum_values.is_empty() {
                        "str".to_string()
                    } else {
                        format!("Literal[{}]", field.enum_values.iter().map(literal).collect::<Vec<_>>().join(", "))
                    };
                    if field.required {
                        required_args.push(format!("{name}: {annotation}"));
                    } else {
                        optional_args.push(format!("{name}: {annotation} | None = None"));
                    }
                    entries.push(format!("{:?}: {name}", field.name));
                }
            }
            None => {}
        }
        let has_query = op.parameters.iter().any(|p| p.location == ParameterLocation::Query);
        if has_query {
            optional_args.push("extra_query: Mapping[str, Any] | None = None".into());
            entries.push("\"extra_query\": extra_query".into());
            iter_optional.push("extra_query: Mapping[str, Any] | None = None".into());
            iter_entries.push("\"extra_query\": extra_query".into());
        }
        let mut args: Vec<String> = required_args.clone();
        args.extend(optional_args.clone());
        let signature = if args.is_empty() { "self".to_string() } else { format!("self, *, {}", args.join(", ")) };
        let summary =
            op.summary.clone().unwrap_or_else(|| op.id.clone()).trim_start_matches("Torii ").replace('"', "'");
        let docstring = format!("{summary}.\n\n        `{} {}` (operation `{}`).", op.method, op.path, op.id);
        let params = format!("{{{}}}", entries.join(", "));
        let name = &op.snake_name;
        let (sync_body, async_body) = match &upload_field {
            Some((field, arg)) => (
                format!("return self._upload({:?}, {params}, {field:?}, {arg})  # type: ignore[no-any-return]", op.id),
                format!(
                    "return await self._upload({:?}, {params}, {field:?}, {arg})  # type: ignore[no-any-return]",
                    op.id
                ),
            ),
            None => (
                format!("return self._call({:?}, {params})  # type: ignore[no-any-return]", op.id),
                format!("return await self._call({:?}, {params})  # type: ignore[no-any-return]", op.id),
            ),
        };
        let _ = write!(
            sync_methods,
            "\n    def {name}({signature}) -> {returns_annotation}:\n        \"\"\"{docstring}\"\"\"\n        {sync_body}\n"
        );
        let _ = write!(
            async_methods,
            "\n    async def {name}({signature}) -> {returns_annotation}:\n        \"\"\"{docstring}\"\"\"\n        {async_body}\n"
        );
        let items = match &op.pagination {
            Pagination::Cursor { items_field, .. } | Pagination::ScimOffset { items_field, .. } => Some(items_field),
            Pagination::None => None,
        };
        if let (Some(items_field), Some(response)) = (items, response_schema(doc, op)) {
            let (resolved, _) = types.deref(response);
            let item_schema = resolved
                .pointer(&format!("/properties/{}", escape(items_field)))
                .map(|p| types.deref(p).0)
                .and_then(|a| a.get("items"));
            let item_type = match item_schema {
                Some(schema) => {
                    let parent = response
                        .get("$ref")
                        .and_then(Value::as_str)
                        .map(|r| r.rsplit('/').next().unwrap_or(r).to_pascal_case())
                        .unwrap_or_else(|| format!("{}Response", op.pascal_name));
                    format!(
                        "types.{}",
                        types.annotation(schema, &format!("{parent}{}Item", items_field.to_pascal_case()))
                    )
                }
                None => "Any".into(),
            };
            let iter_signature = if iter_optional.is_empty() {
                "self".to_string()
            } else {
                format!("self, *, {}", iter_optional.join(", "))
            };
            let iter_params = format!("{{{}}}", iter_entries.join(", "));
            let iter_doc =
                format!("Every item of `{}`, page after page; the arguments are sent with every page.", op.id);
            let _ = write!(
                sync_methods,
                "\n    def {name}_iter({iter_signature}) -> Iterator[{item_type}]:\n        \"\"\"{iter_doc}\"\"\"\n        return self._iter({:?}, {iter_params}, {items_field:?})\n",
                op.id
            );
            let _ = write!(
                async_methods,
                "\n    def {name}_iter({iter_signature}) -> AsyncIterator[{item_type}]:\n        \"\"\"{iter_doc}\"\"\"\n        return self._iter({:?}, {iter_params}, {items_field:?})\n",
                op.id
            );
        }
    }
    types.flush();

    let header = crate::generated_header("#");
    let operations = [
        header.clone(),
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
    let names: Vec<String> = types.written.iter().map(|n| format!("    {n:?},")).collect();
    let types_module = [
        header,
        "\"\"\"The spec's schemas as TypedDicts, named as in the Rust crate. Answers are plain dicts: keys the spec"
            .into(),
        "does not declare, such as custom fields, are kept.\"\"\"".into(),
        String::new(),
        "from __future__ import annotations".into(),
        String::new(),
        imports("typing", &["Any", "Literal", "TypedDict", "Union"], &[&types.out, &types.aliases]),
        String::new(),
        "__all__ = [".into(),
        names.join("\n"),
        "]".into(),
        types.out,
        types.aliases,
    ]
    .join("\n");
    let mut allowlist = format!("{}\n", crate::generated_header("#"));
    for name in &types.allowlist {
        let _ = writeln!(
            allowlist,
            "# `{name}` is a Literal/Union alias: stubtest reads the runtime typing form as a callable, not a Union.\ntoriihq.types.{name}"
        );
    }
    PythonOutput { operations, types: types_module, stubtest_allowlist: allowlist }
}
