//! The Python package's per-operation surface: `toriihq/_operations.py` (one keyword-only method per
//! operation, sync and async, plus `<operation>_iter` for paged lists) and `toriihq/types.py` (a TypedDict per
//! object type of the model). Plain Python with inline annotations, so editors and mypy read them directly; the
//! native module stays generic.

use std::fmt::Write;

use serde_json::Value;
use toriihq_spec::LoadedSpec;

use serde::Serialize;

use crate::generators::call_model::{self, Argument, Shape};
use crate::generators::templates;
use crate::generators::type_model::{Definition, TypeExpr, TypeModel};
use crate::generators::workflows::{self, PythonWorkflow};

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
pub(crate) fn render(ty: &TypeExpr, prefix: &str, runtime: bool) -> String {
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
        TypeExpr::Bytes => "bytes".into(),
    }
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

/// What `python/types.py` is filled with.
#[derive(Serialize)]
struct TypesModule {
    header: String,
    typing: Vec<&'static str>,
    names: Vec<String>,
    classes: Vec<TypedDictClass>,
    aliases: Vec<Field>,
}

/// A TypedDict: a class, or the functional form (its members as the text between braces) when a key is not a
/// Python identifier.
#[derive(Serialize)]
struct TypedDictClass {
    name: String,
    doc: String,
    required: Vec<Field>,
    optional: Vec<Field>,
    functional: Option<String>,
}

/// A field of a TypedDict, or an alias: its name and its type as Python reads it.
#[derive(Serialize)]
struct Field {
    key: String,
    ty: String,
}

fn typed_dict(
    name: &str,
    description: &Option<String>,
    fields: &[crate::generators::type_model::Field],
) -> TypedDictClass {
    let doc = description.clone().unwrap_or_else(|| format!("`{name}`."));
    let field = |f: &crate::generators::type_model::Field| Field { key: f.key.clone(), ty: render(&f.ty, "", false) };
    let functional = match fields.iter().all(|f| is_plain_identifier(&f.key)) {
        true => None,
        false => {
            let members: Vec<String> =
                fields.iter().map(|f| format!("{:?}: {:?}", f.key, render(&f.ty, "", true))).collect();
            Some(members.join(", "))
        }
    };
    TypedDictClass {
        name: name.to_string(),
        doc,
        required: fields.iter().filter(|f| f.required).map(field).collect(),
        optional: fields.iter().filter(|f| !f.required).map(field).collect(),
        functional,
    }
}

fn types_module(definitions: &[Definition], header: &str) -> anyhow::Result<(String, String)> {
    let mut classes = Vec::new();
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
            Definition::Object { name, description, fields, .. } => classes.push(typed_dict(name, description, fields)),
        }
    }
    // An alias may name another alias: each is written after the ones it names (in spec order otherwise).
    let alias_names: Vec<&str> = pending_aliases.iter().map(|(name, _)| *name).collect();
    let mut aliases: Vec<Field> = Vec::new();
    while aliases.len() < pending_aliases.len() {
        let written = |name: &str| aliases.iter().any(|alias| alias.key == name);
        let ready = pending_aliases.iter().find(|(name, ty)| {
            !written(name) && named_in(ty).iter().all(|n| !alias_names.contains(&n.as_str()) || written(n) || n == name)
        });
        // A cycle cannot be ordered: write the next one and let Python report it.
        let Some((name, ty)) = ready.or_else(|| pending_aliases.iter().find(|(n, _)| !written(n))) else { break };
        aliases.push(Field { key: name.to_string(), ty: render(ty, "", true) });
    }
    // What the module imports follows from the types it declares (ruff refuses an unused import).
    let mut types: Vec<&TypeExpr> = pending_aliases.iter().map(|(_, ty)| *ty).collect();
    types.extend(definitions.iter().flat_map(|d| match d {
        Definition::Object { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
        Definition::Alias { .. } => Vec::new(),
    }));
    let any = types.iter().any(|ty| mentions(ty, &|ty| matches!(ty, TypeExpr::Any | TypeExpr::Map)));
    let literal = types.iter().any(|ty| mentions(ty, &|ty| matches!(ty, TypeExpr::Literal(_))));
    let typed_dict = !classes.is_empty();
    // `Union` is the runtime form of an alias (aliases are evaluated at import) and of a functional TypedDict's
    // member types.
    let runtime: Vec<&TypeExpr> = pending_aliases.iter().map(|(_, ty)| *ty).collect();
    let union = runtime.iter().any(|ty| mentions(ty, &|ty| matches!(ty, TypeExpr::Union(_) | TypeExpr::Nullable(_))))
        || classes.iter().any(|c| c.functional.as_deref().is_some_and(|members| members.contains("Union[")));
    let typing = [("Any", any), ("Literal", literal), ("TypedDict", typed_dict), ("Union", union)];
    let module = TypesModule {
        header: header.to_string(),
        typing: typing.into_iter().filter_map(|(name, used)| used.then_some(name)).collect(),
        names: definitions.iter().map(|d| d.name().to_string()).collect(),
        classes,
        aliases,
    };
    Ok((templates::render("python/types.py", module)?, allowlist))
}

/// A keyword argument of a generated method: its signature text, and its entry in the params sent to the core
/// (`None` for a file, which travels apart).
pub(crate) fn keyword(argument: &Argument) -> (String, Option<String>) {
    let name = identifier(&argument.snake);
    let annotation = match &argument.shape {
        Shape::Value(ty) => render(ty, "types.", false),
        // A TypedDict cannot say "and any other key": a body that takes fields by system key (custom fields)
        // is also accepted as a plain mapping.
        Shape::Body { ty: Some(ty), open: true } => format!("{} | Mapping[str, Any]", render(ty, "types.", false)),
        Shape::Body { ty: Some(ty), open: false } => render(ty, "types.", false),
        Shape::Body { ty: None, .. } => "Mapping[str, Any]".into(),
        Shape::File => return (format!("{name}: FileInput"), None),
        Shape::ExtraQuery => "Mapping[str, Any]".into(),
    };
    let text =
        if argument.required { format!("{name}: {annotation}") } else { format!("{name}: {annotation} | None = None") };
    (text, Some(format!("{:?}: {name}", argument.wire)))
}

/// The method's parameters after `self`: required ones first (they have no default), keyword-only throughout,
/// and the call's options last.
pub(crate) fn signature<'a>(arguments: impl Iterator<Item = &'a Argument>) -> String {
    let mut arguments: Vec<&Argument> = arguments.collect();
    arguments.sort_by_key(|a| !a.required);
    let mut texts: Vec<String> = arguments.into_iter().map(|a| keyword(a).0).collect();
    texts.push("options: RequestOptions | None = None".into());
    format!("self, *, {}", texts.join(", "))
}

fn params<'a>(arguments: impl Iterator<Item = &'a Argument>) -> String {
    let entries: Vec<String> = arguments.filter_map(|a| keyword(a).1).collect();
    format!("{{{}}}", entries.join(", "))
}

/// A method's docstring, its lines indented for a method body: the paragraphs, then `Args:` with what the spec
/// says of each argument (editors show both).
fn docstring<'a>(paragraphs: &[String], arguments: impl Iterator<Item = &'a Argument>) -> String {
    let mut text = paragraphs.join("\n\n");
    let described: Vec<String> = arguments
        .filter_map(|a| {
            a.description.as_ref().map(|d| format!("    {}: {}", identifier(&a.snake), d.replace('\n', "\n        ")))
        })
        .collect();
    if !described.is_empty() {
        text.push_str("\n\nArgs:\n");
        text.push_str(&described.join("\n"));
    }
    let text = text.replace('\\', "\\\\").replace("\"\"\"", "\\\"\"\"");
    let text = if text.ends_with('"') { format!("{text} ") } else { text };
    text.lines()
        .enumerate()
        .map(|(i, line)| if i == 0 || line.is_empty() { line.to_string() } else { format!("        {line}") })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `python/operations.py` is filled with.
#[derive(Serialize)]
struct OperationsModule<'a> {
    header: String,
    /// The names imported from `collections.abc` and `typing`.
    abc: Vec<&'static str>,
    typing: Vec<&'static str>,
    uses_types: bool,
    uses_files: bool,
    clients: &'a [ClientClass],
    operations: &'a [OperationMethod],
    workflows: &'a [PythonWorkflow],
}

/// One operation's methods, as `python/operations.py` lays them out.
#[derive(Serialize)]
struct OperationMethod {
    name: String,
    id: String,
    signature: String,
    returns: String,
    docstring: String,
    /// `_call` or `_upload`, and what it is given.
    method: &'static str,
    arguments: String,
    pages: Option<PagesMethod>,
    /// Whether its types name a `Literal` and a type of `types`.
    #[serde(skip)]
    literal: bool,
    #[serde(skip)]
    named: bool,
}

/// `<operation>_iter`, for a paged list.
#[derive(Serialize)]
struct PagesMethod {
    signature: String,
    item: String,
    params: String,
}

/// A client class of the module: the blocking one or the asyncio one.
#[derive(Serialize)]
struct ClientClass {
    name: &'static str,
    base: &'static str,
    purpose: &'static str,
    raw: &'static str,
    wrap: &'static str,
    def: &'static str,
    wait: &'static str,
    iterator: &'static str,
}

const CLIENTS: [ClientClass; 2] = [
    ClientClass {
        name: "SyncOperations",
        base: "SyncBase",
        purpose: "blocking",
        raw: "SyncRawOperations",
        wrap: "sync_raw",
        def: "def",
        wait: "",
        iterator: "Iterator",
    },
    ClientClass {
        name: "AsyncOperations",
        base: "AsyncBase",
        purpose: "for asyncio",
        raw: "AsyncRawOperations",
        wrap: "async_raw",
        def: "async def",
        wait: "await ",
        iterator: "AsyncIterator",
    },
];

fn operation_method(spec: &LoadedSpec, model: &mut TypeModel, op: &toriihq_spec::Operation) -> OperationMethod {
    let call = call_model::call(spec, model, op);
    let sent = params(call.arguments.iter());
    let (method, arguments) = match &call.upload_field {
        Some(field) => {
            let file = call.arguments.iter().find(|a| matches!(a.shape, Shape::File)).map(|a| identifier(&a.snake));
            ("_upload", format!("{:?}, {sent}, {field:?}, {}, options", op.id, file.unwrap_or_default()))
        }
        None => ("_call", format!("{:?}, {sent}, options", op.id)),
    };
    let mut types: Vec<&TypeExpr> = call.arguments.iter().filter_map(|a| a.shape.type_expr()).collect();
    types.extend(call.returns.iter().chain(call.items.iter().map(|(item, _)| item)));
    let literal = types.iter().any(|ty| mentions(ty, &|ty| matches!(ty, TypeExpr::Literal(_))));
    let named = types.iter().any(|ty| mentions(ty, &|ty| matches!(ty, TypeExpr::Named(_))));
    let pages = call.items.as_ref().map(|(item, _)| PagesMethod {
        signature: signature(call.iterator_arguments()),
        item: render(item, "types.", false),
        params: params(call.iterator_arguments()),
    });
    OperationMethod {
        name: op.snake_name.clone(),
        id: op.id.clone(),
        signature: signature(call.arguments.iter()),
        returns: call.returns.as_ref().map(|r| render(r, "types.", false)).unwrap_or_else(|| "None".into()),
        docstring: docstring(&call.doc_paragraphs(), call.arguments.iter()),
        method,
        arguments,
        pages,
        literal,
        named,
    }
}

/// Whether `ty` or a type inside it is one `is` picks.
fn mentions(ty: &TypeExpr, is: &dyn Fn(&TypeExpr) -> bool) -> bool {
    is(ty)
        || match ty {
            TypeExpr::List(inner) | TypeExpr::Nullable(inner) => mentions(inner, is),
            TypeExpr::Union(parts) => parts.iter().any(|part| mentions(part, is)),
            _ => false,
        }
}

pub fn generate(spec: &LoadedSpec) -> anyhow::Result<PythonOutput> {
    let spec = &*crate::generators::workflows::with_workflow_types(spec)?;
    let mut model = TypeModel::new(spec);
    let operations: Vec<OperationMethod> =
        spec.operations.iter().map(|op| operation_method(spec, &mut model, op)).collect();
    let workflows: Vec<PythonWorkflow> = workflows::offered(spec).map(workflows::python_method).collect();
    // What the module imports follows from what it declares: every name imported is used (ruff refuses others).
    let paged = operations.iter().any(|op| op.pages.is_some());
    let progress = workflows.iter().any(|w| w.progress);
    let lists = workflows.iter().any(|w| w.takes_lists);
    let abc =
        [("AsyncIterator", paged), ("Callable", progress), ("Iterator", paged), ("Mapping", true), ("Sequence", lists)];
    let abc: Vec<&str> = abc.into_iter().filter_map(|(name, used)| used.then_some(name)).collect();
    let literal = operations.iter().any(|op| op.literal);
    let typing: Vec<&str> =
        [("Any", true), ("Literal", literal)].into_iter().filter_map(|(n, used)| used.then_some(n)).collect();
    let uses_types = operations.iter().any(|op| op.named) || workflows.iter().any(|w| w.names_types);
    let uses_files = operations.iter().any(|op| op.method == "_upload") || workflows.iter().any(|w| w.takes_files);
    let module = OperationsModule {
        header: crate::generated_header("#"),
        abc,
        typing,
        uses_types,
        uses_files,
        clients: &CLIENTS,
        operations: &operations,
        workflows: &workflows,
    };
    let operations = templates::render("python/operations.py", module)?;
    let definitions = model.finish();
    let header = crate::generated_header("#");
    let (types, stubtest_allowlist) = types_module(&definitions, &header)?;
    Ok(PythonOutput { operations, types, stubtest_allowlist })
}
