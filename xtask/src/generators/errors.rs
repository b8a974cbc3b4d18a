//! The Python and Node error classes, their declarations and the Node ES-module export list, from the error
//! catalogue (`toriihq_spec::sdk::errors`, the table the client crate raises its errors by).

use anyhow::Result;
use serde::Serialize;

pub(crate) use toriihq_spec::sdk::errors as catalogue;

use catalogue::{Builtin, CATALOGUE, DetailField, ErrorClass, FieldType};

use crate::generators::templates;

pub struct ErrorOutputs {
    pub python: String,
    pub node: String,
    /// The error classes of `index.d.ts`.
    pub node_declarations: String,
    /// `index.mjs`: named exports must be spelled out, so they are generated too.
    pub node_esm: String,
}

fn class(name: &str) -> &'static ErrorClass {
    CATALOGUE.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("the catalogue has no class {name}"))
}

/// Fields a class shows: its own, after those of its ancestors.
fn all_fields(row: &ErrorClass) -> Vec<&'static DetailField> {
    let mut chain = vec![];
    let mut at = Some(row.name);
    while let Some(name) = at {
        let row = class(name);
        chain.push(row);
        at = row.parent;
    }
    chain.iter().rev().flat_map(|row| row.fields.iter()).collect()
}

/// Each catalogue kind with the classes raised for it, in catalogue order.
fn kinds() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut kinds: Vec<(&str, Vec<&str>)> = Vec::new();
    for row in CATALOGUE {
        let Some(kind) = row.kind else { continue };
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, classes)) => classes.push(row.name),
            None => kinds.push((kind, vec![row.name])),
        }
    }
    kinds
}

fn sorted_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = CATALOGUE.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names
}

/// How a detail field is written in each language.
struct Spelling {
    python: &'static str,
    /// Reading it from the detail record (`{key:?}` stands for the key).
    python_read: &'static str,
    typescript: &'static str,
    js_default: &'static str,
}

fn spelled(ty: FieldType) -> Spelling {
    let (python, python_read, typescript, js_default) = match ty {
        FieldType::Status => ("int", "self.detail.get({key:?}, 0)", "number", "0"),
        FieldType::Json => ("Any", "self.detail.get({key:?})", "unknown", "null"),
        FieldType::Headers => {
            ("dict[str, str]", "dict(self.detail.get({key:?}) or {})", "Record<string, string>", "{}")
        }
        FieldType::Seconds => ("float | None", "self.detail.get({key:?})", "number | null", "null"),
        FieldType::Text => ("str | None", "self.detail.get({key:?})", "string | null", "null"),
    };
    Spelling { python, python_read, typescript, js_default }
}

fn js_base(row: &ErrorClass) -> &'static str {
    match row.builtin {
        Some(Builtin::Type) => "TypeError",
        Some(Builtin::Value) => "RangeError",
        None => row.parent.unwrap_or("Error"),
    }
}

/// A class of the catalogue, as the templates write it.
#[derive(Serialize)]
struct Class {
    name: &'static str,
    doc: &'static str,
    parent: Option<&'static str>,
    kind: Option<&'static str>,
    /// `, TypeError` or `, ValueError` after the Python parent, when it is also the language's own error.
    python_builtin: &'static str,
    /// Its own fields (Python reads its parents' through inheritance).
    fields: Vec<Field>,
    js_base: &'static str,
    /// Whether the JavaScript class sets the name and kind itself (the root, and a class that extends a
    /// JavaScript error rather than ours, which then declares every field of its chain).
    own_root: bool,
    js_fields: Vec<Field>,
}

#[derive(Serialize)]
struct Field {
    key: &'static str,
    doc: &'static str,
    python: &'static str,
    python_type: &'static str,
    python_read: String,
    node: &'static str,
    typescript: &'static str,
    js_default: &'static str,
}

fn field(field: &DetailField) -> Field {
    let spelling = spelled(field.ty);
    Field {
        key: field.key,
        doc: field.doc,
        python: field.python,
        python_type: spelling.python,
        python_read: spelling.python_read.replace("{key:?}", &format!("{:?}", field.key)),
        node: field.node,
        typescript: spelling.typescript,
        js_default: spelling.js_default,
    }
}

fn class_of(row: &'static ErrorClass) -> Class {
    let js_fields = if row.builtin.is_some() { all_fields(row) } else { row.fields.iter().collect() };
    Class {
        name: row.name,
        doc: row.doc,
        parent: row.parent,
        kind: row.kind,
        python_builtin: match row.builtin {
            Some(Builtin::Type) => ", TypeError",
            Some(Builtin::Value) => ", ValueError",
            None => "",
        },
        fields: row.fields.iter().map(field).collect(),
        js_base: js_base(row),
        own_root: row.parent.is_none() || row.builtin.is_some(),
        js_fields: js_fields.into_iter().map(field).collect(),
    }
}

#[derive(Serialize)]
struct Kind {
    kind: &'static str,
    classes: Vec<&'static str>,
}

/// What every error template is filled with.
#[derive(Serialize)]
struct Catalogue {
    header: String,
    classes: Vec<Class>,
    kinds: Vec<Kind>,
    sorted_names: Vec<&'static str>,
    /// Python's `__all__`, in isort's order.
    exported: Vec<&'static str>,
}

fn catalogue(comment: &str) -> Catalogue {
    Catalogue {
        header: crate::generated_header(comment).trim_end().to_string(),
        classes: CATALOGUE.iter().map(class_of).collect(),
        kinds: kinds().into_iter().map(|(kind, classes)| Kind { kind, classes }).collect(),
        sorted_names: sorted_names(),
        exported: exported(),
    }
}

pub fn generate() -> Result<ErrorOutputs> {
    Ok(ErrorOutputs {
        python: templates::render("python/errors.py", catalogue("#"))?,
        node: templates::render("node/errors.js", catalogue("//"))?,
        node_declarations: templates::render("node/errors.d.ts", catalogue("//"))?,
        node_esm: templates::render("node/index.mjs", catalogue("//"))?,
    })
}

/// The package's `__init__.py`: it names every error class, so it is generated with them. (mypy and stubtest
/// do not follow `__all__ += _errors.__all__`.)
pub fn python_init() -> Result<String> {
    templates::render("python/__init__.py", catalogue("#"))
}

fn exported() -> Vec<&'static str> {
    let mut exported: Vec<&str> = vec![
        "MAX_UPLOAD_BYTES",
        "APIResponse",
        "AsyncClient",
        "BulkProgress",
        "BulkResult",
        "Client",
        "ClientOptions",
        "FileInput",
        "Headers",
        "RequestOptions",
    ];
    exported.extend(sorted_names());
    // isort's order, as ruff keeps it: constants, classes, then the rest.
    exported.sort_by_key(|name| {
        let group = if name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            0
        } else if name.starts_with(|c: char| c.is_ascii_uppercase()) {
            1
        } else {
            2
        };
        (group, *name)
    });
    exported.extend(["__version__", "types"]);
    exported
}
