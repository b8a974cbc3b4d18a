//! The Python and Node methods for the core's workflows (`toriihq_spec::sdk::workflows`, the table the client
//! crate runs them by): each calls the workflow by name, so its logic stays in the core. The
//! types workflows take and return beyond the spec's come from JSON Schemas under `spec/` and join the generated
//! types of both languages.

use std::borrow::Cow;

use anyhow::{Context, Result};
use heck::{ToLowerCamelCase, ToPascalCase};
use serde_json::Value;
use toriihq_spec::LoadedSpec;

pub(crate) use toriihq_spec::sdk::workflows as table;

use table::{ParamType, Returns, WORKFLOWS, WorkflowParam, WorkflowSpec};

/// The schemas of the workflows' own types: the custom-integration file, and what workflows return.
pub const TYPE_SCHEMAS: [&str; 2] = ["spec/custom-integration/file.schema.json", "spec/workflows/types.schema.json"];

/// The workflows whose operations the spec has.
pub fn offered(spec: &LoadedSpec) -> impl Iterator<Item = &'static WorkflowSpec> + '_ {
    WORKFLOWS.iter().filter(|w| w.needs.iter().all(|id| spec.operations.iter().any(|op| op.id == *id)))
}

/// Refuses a spec with an operation spelled like a workflow (`download`, `offboardUser`): a call by that name
/// could mean either, and the client resolves each name to exactly one.
pub fn check_names(spec: &LoadedSpec) -> Result<()> {
    for workflow in WORKFLOWS {
        let spellings = [workflow.name.to_string(), workflow.name.to_lower_camel_case()];
        let clash = spec
            .operations
            .iter()
            .find(|op| [&op.id, &op.snake_name, &op.camel_name].iter().any(|name| spellings.contains(name)));
        if let Some(op) = clash {
            anyhow::bail!(
                "the operation `{}` is spelled like the workflow `{}`: rename one (the overlay can give the operation \
                 another operationId)",
                op.id,
                workflow.name
            );
        }
    }
    Ok(())
}

/// The type names a workflow's signature uses.
fn named_types(spec: &WorkflowSpec) -> impl Iterator<Item = &'static str> + '_ {
    let params = spec.params.iter().filter_map(|p| match p.ty {
        ParamType::ListOf(name) => Some(name),
        _ => None,
    });
    let returns = match spec.returns {
        Returns::Type(name) | Returns::Optional(name) => Some(name),
        Returns::Bytes => None,
    };
    params.chain(returns)
}

/// `spec` with the definitions of every type-schema file that an offered workflow names and the spec lacks, as
/// if they were its own `components/schemas` (their `$ref`s rewritten to match).
pub fn with_workflow_types(spec: &LoadedSpec) -> Result<Cow<'_, LoadedSpec>> {
    let schemas = spec.document.pointer("/components/schemas").and_then(Value::as_object);
    let missing: Vec<&str> =
        offered(spec).flat_map(named_types).filter(|name| !schemas.is_some_and(|s| s.contains_key(*name))).collect();
    if missing.is_empty() {
        return Ok(Cow::Borrowed(spec));
    }
    let mut merged = spec.clone();
    for file in TYPE_SCHEMAS {
        let definitions = type_schema(file)?;
        if !missing.iter().any(|name| definitions.iter().any(|(defined, _)| defined == name)) {
            continue;
        }
        let components = merged
            .document
            .pointer_mut("/components")
            .and_then(Value::as_object_mut)
            .context("the spec has no components")?;
        let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Default::default()));
        let schemas = schemas.as_object_mut().context("components.schemas is not an object")?;
        for (name, schema) in definitions {
            schemas.insert(name, schema);
        }
    }
    Ok(Cow::Owned(merged))
}

/// A type-schema file's definitions: each of its `$defs`, and the root when it describes a value (has a type).
fn type_schema(file: &str) -> Result<Vec<(String, Value)>> {
    let path = crate::paths::root().join(file);
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let text = text.replace("\"#/$defs/", "\"#/components/schemas/");
    let mut root: Value = serde_json::from_str(&text).with_context(|| format!("parsing {file}"))?;
    let mut definitions: Vec<(String, Value)> = match root.as_object_mut().and_then(|r| r.remove("$defs")) {
        Some(Value::Object(defs)) => defs.into_iter().collect(),
        _ => Vec::new(),
    };
    if root.get("type").is_some() {
        let title =
            root.get("title").and_then(Value::as_str).context("a type schema with a root type needs a title")?;
        definitions.push((title.to_string(), root.clone()));
    }
    Ok(definitions)
}

/// A type schema as every package ships it: the header as `$comment`, then the file.
pub fn shipped_schema(file: &str) -> Result<String> {
    let path = crate::paths::root().join(file);
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let parsed: serde_json::Map<String, Value> =
        serde_json::from_str(&text).with_context(|| format!("parsing {file}"))?;
    let mut shipped = serde_json::Map::new();
    shipped.insert("$comment".into(), Value::String(crate::generated_header("").trim().replace("spec/", file)));
    shipped.extend(parsed);
    let mut out = serde_json::to_string_pretty(&Value::Object(shipped))?;
    out.push('\n');
    Ok(out)
}

pub(crate) fn python_type(ty: ParamType) -> String {
    match ty {
        ParamType::Text => "str".into(),
        ParamType::Integer => "int".into(),
        ParamType::Seconds => "float".into(),
        ParamType::File => "FileInput".into(),
        ParamType::ListOf(name) => format!("Sequence[types.{name}]"),
    }
}

pub(crate) fn ts_type(ty: ParamType) -> String {
    match ty {
        ParamType::Text => "string".into(),
        ParamType::Integer | ParamType::Seconds => "number".into(),
        ParamType::File => "string | Uint8Array".into(),
        ParamType::ListOf(name) => format!("{name}[]"),
    }
}

pub(crate) fn python_returns(returns: Returns) -> String {
    match returns {
        Returns::Type(name) => format!("types.{name}"),
        Returns::Optional(name) => format!("types.{name} | None"),
        Returns::Bytes => "bytes".into(),
    }
}

pub(crate) fn ts_returns(returns: Returns) -> String {
    match returns {
        Returns::Type(name) => name.into(),
        Returns::Optional(name) => format!("{name} | null"),
        Returns::Bytes => "Buffer".into(),
    }
}

fn files(spec: &WorkflowSpec) -> impl Iterator<Item = &WorkflowParam> {
    spec.params.iter().filter(|p| p.ty == ParamType::File)
}

/// A workflow's method of `SyncOperations` and `AsyncOperations`, as `python/operations.py` lays it out.
#[derive(serde::Serialize)]
pub struct PythonWorkflow {
    pub name: &'static str,
    pub signature: String,
    pub returns: String,
    pub summary: &'static str,
    /// The JSON arguments and the file arguments, as Python dict entries.
    pub sent: String,
    pub files: String,
    /// Whether it reports an upload's progress (a `progress` argument).
    pub progress: bool,
    /// Whether its signature names `Sequence`, `FileInput` and a type of `types`.
    pub takes_lists: bool,
    pub takes_files: bool,
    pub names_types: bool,
}

pub fn python_method(spec: &'static WorkflowSpec) -> PythonWorkflow {
    let mut params: Vec<&WorkflowParam> = spec.params.iter().collect();
    params.sort_by_key(|p| !p.required);
    let mut signature: Vec<String> = params
        .iter()
        .map(|p| {
            let ty = python_type(p.ty);
            if p.required { format!("{}: {ty}", p.name) } else { format!("{}: {ty} | None = None", p.name) }
        })
        .collect();
    if spec.progress {
        signature.push("progress: Callable[[int, int], object] | None = None".into());
    }
    signature.push("options: RequestOptions | None = None".into());
    let entry = |p: &WorkflowParam| format!("{:?}: {}", p.name, p.name);
    let sent: Vec<String> = spec.params.iter().filter(|p| p.ty != ParamType::File).map(entry).collect();
    let file_arguments: Vec<String> = files(spec).map(entry).collect();
    PythonWorkflow {
        name: spec.name,
        signature: signature.join(", "),
        returns: python_returns(spec.returns),
        summary: spec.summary,
        sent: sent.join(", "),
        files: file_arguments.join(", "),
        progress: spec.progress,
        takes_lists: spec.params.iter().any(|p| matches!(p.ty, ParamType::ListOf(_))),
        takes_files: files(spec).next().is_some(),
        names_types: spec.params.iter().any(|p| matches!(p.ty, ParamType::ListOf(_)))
            || matches!(spec.returns, Returns::Type(_) | Returns::Optional(_)),
    }
}

/// A workflow's method of the Node `Client` class and its declaration, as `node/operations.js` and
/// `node/client.d.ts` lay them out.
#[derive(serde::Serialize)]
pub struct NodeWorkflow {
    pub name: &'static str,
    pub method: String,
    pub summary: &'static str,
    /// Its file arguments, quoted, for `_workflow`; whether it answers bytes.
    pub file_fields: String,
    pub binary: bool,
    pub params_name: String,
    pub params_arg: String,
    pub params: Vec<NodeParam>,
    /// `WorkflowOptions` when it reports an upload's progress, else `RequestOptions`.
    pub options: &'static str,
    pub returns: String,
}

#[derive(serde::Serialize)]
pub struct NodeParam {
    pub key: String,
    pub optional: &'static str,
    pub ty: String,
    pub doc: &'static str,
}

pub fn node_method(spec: &'static WorkflowSpec) -> NodeWorkflow {
    let fields: Vec<String> = files(spec).map(|p| format!("'{}'", p.name.to_lower_camel_case())).collect();
    let params_name = format!("{}Params", spec.name.to_pascal_case());
    let optional = if spec.params.iter().any(|p| p.required) { "params" } else { "params?" };
    NodeWorkflow {
        name: spec.name,
        method: spec.name.to_lower_camel_case(),
        summary: spec.summary,
        file_fields: fields.join(", "),
        binary: spec.returns == Returns::Bytes,
        params_arg: format!("{optional}: {params_name}"),
        params_name,
        params: spec
            .params
            .iter()
            .map(|param| NodeParam {
                key: param.name.to_lower_camel_case(),
                optional: if param.required { "" } else { "?" },
                ty: ts_type(param.ty),
                doc: param.doc,
            })
            .collect(),
        options: if spec.progress { "WorkflowOptions" } else { "RequestOptions" },
        returns: ts_returns(spec.returns),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_schema_says_where_it_comes_from() {
        let shipped = super::shipped_schema(super::TYPE_SCHEMAS[0]).unwrap();
        assert!(
            shipped.starts_with(
                "{\n  \"$comment\": \"Generated by `cargo xtask generate` from spec/custom-integration/file.schema.json"
            ),
            "{shipped}"
        );
    }
}
