//! The Python and Node error classes, their declarations and the Node ES-module export list, from the error
//! catalogue (`toriihq_spec::sdk::errors`, the table the client crate raises its errors by).

use std::fmt::Write;

pub(crate) use toriihq_spec::sdk::errors as catalogue;

use catalogue::{Builtin, CATALOGUE, DetailField, ErrorClass, FieldType};

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

pub fn generate() -> ErrorOutputs {
    ErrorOutputs { python: python(), node: node(), node_declarations: node_declarations(), node_esm: node_esm() }
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

fn python() -> String {
    let mut out = crate::python_module_head(
        "The exceptions toriihq raises, one class per row of the core's error catalogue. The core decides\nwhich one and hands over its detail record; the classes only carry it.",
        &["from collections.abc import Mapping", "from typing import Any"],
    );
    out.push_str("__all__ = [\n");
    for name in sorted_names() {
        let _ = writeln!(out, "    {name:?},");
    }
    out.push_str("]\n");
    for row in CATALOGUE {
        let builtin = match row.builtin {
            Some(Builtin::Type) => ", TypeError",
            Some(Builtin::Value) => ", ValueError",
            None => "",
        };
        let parent = row.parent.unwrap_or("Exception");
        let _ = write!(out, "\n\nclass {}({parent}{builtin}):\n    \"\"\"{}\"\"\"\n", row.name, row.doc);
        if row.parent.is_none() {
            out.push_str(concat!(
                "\n    kind: str = \"error\"\n    message: str\n    #: Everything the core reported, by key.\n",
                "    detail: dict[str, Any]\n\n",
                "    def __init__(self, message: str, detail: Mapping[str, Any] | None = None) -> None:\n",
                "        super().__init__(message)\n        self.message = message\n",
                "        self.detail = dict(detail or {})\n",
                "        self.kind = self.detail.get(\"kind\", type(self).kind)\n",
            ));
            continue;
        }
        if let Some(kind) = row.kind {
            let _ = write!(out, "\n    kind = {kind:?}\n");
        }
        if row.fields.is_empty() {
            continue;
        }
        for field in row.fields {
            let _ = write!(out, "    {}: {}\n    \"\"\"{}\"\"\"\n", field.python, spelled(field.ty).python, field.doc);
        }
        out.push_str(concat!(
            "\n    def __init__(self, message: str, detail: Mapping[str, Any] | None = None) -> None:\n",
            "        super().__init__(message, detail)\n",
        ));
        for field in row.fields {
            let read = spelled(field.ty).python_read.replace("{key:?}", &format!("{:?}", field.key));
            let _ = writeln!(out, "        self.{} = {read}", field.python);
        }
    }
    out.push_str(
        "\n\n#: The classes raised for each kind the core reports (what the cross-language scenarios name).\n",
    );
    out.push_str("CLASSES_BY_KIND: dict[str, tuple[type[ToriiError], ...]] = {\n");
    for (kind, classes) in kinds() {
        let _ = writeln!(out, "    {kind:?}: ({}{}),", classes.join(", "), if classes.len() == 1 { "," } else { "" });
    }
    out.push_str("}\n");
    out
}

fn js_base(row: &ErrorClass) -> &'static str {
    match row.builtin {
        Some(Builtin::Type) => "TypeError",
        Some(Builtin::Value) => "RangeError",
        None => row.parent.unwrap_or("Error"),
    }
}

fn node() -> String {
    let mut out = crate::generated_header("//");
    out.push_str(concat!(
        "\n'use strict'\n// The errors toriihq throws, one class per row of the core's error catalogue. The core decides\n",
        "// which one and hands over its detail record; the classes only carry it.\n"
    ));
    for row in CATALOGUE {
        let own_root = row.parent.is_none() || row.builtin.is_some();
        let fields: Vec<&DetailField> =
            if row.builtin.is_some() { all_fields(row) } else { row.fields.iter().collect() };
        let _ = write!(out, "\n/** {} */\nclass {} extends {} {{", row.doc, row.name, js_base(row));
        if !own_root && fields.is_empty() {
            out.push_str("}\n");
            continue;
        }
        out.push_str("\n  constructor(message, detail = {}) {\n");
        if own_root {
            let kind = row.kind.unwrap_or("error");
            let _ = write!(
                out,
                "    super(message)\n    this.name = new.target.name\n    this.kind = detail.kind ?? DEFAULT_KIND.get(new.target) ?? '{kind}'\n"
            );
        } else {
            out.push_str("    super(message, detail)\n");
        }
        for field in fields {
            let _ = writeln!(out, "    this.{} = detail.{} ?? {}", field.node, field.key, spelled(field.ty).js_default);
        }
        out.push_str("  }\n}\n");
    }
    out.push_str("\nconst CLASSES = {\n");
    for row in CATALOGUE {
        let _ = writeln!(out, "  {},", row.name);
    }
    out.push_str("}\n\n// The kind an error built in JavaScript reports when its detail names none.\nconst DEFAULT_KIND = new Map([\n");
    for row in CATALOGUE.iter().filter(|r| r.kind.is_some()) {
        let _ = writeln!(out, "  [{}, '{}'],", row.name, row.kind.unwrap_or_default());
    }
    out.push_str(
        "])\n\n/** The classes thrown for each kind the core reports (what the cross-language scenarios name). */\n",
    );
    out.push_str("const CLASSES_BY_KIND = {\n");
    for (kind, classes) in kinds() {
        let _ = writeln!(out, "  {kind}: [{}],", classes.join(", "));
    }
    out.push_str(concat!(
        "}\n\n",
        "/**\n",
        " * The error the core reported, as its class; anything else is passed through. The native addon rejects with\n",
        " * an Error whose `toriihq` property is the core's detail record (kind, class, message, status, ...).\n",
        " */\n",
        "function translate(error) {\n",
        "  const detail = error !== null && typeof error === 'object' ? error.toriihq : undefined\n",
        "  if (detail === null || typeof detail !== 'object' || typeof detail.class !== 'string') return error\n",
        "  const Class = Object.hasOwn(CLASSES, detail.class) ? CLASSES[detail.class] : ToriiError\n",
        "  return new Class(detail.message, detail)\n",
        "}\n\nmodule.exports = { ...CLASSES, CLASSES_BY_KIND, translate }\n"
    ));
    out
}

fn node_declarations() -> String {
    let mut out = String::new();
    for row in CATALOGUE {
        let _ = write!(out, "/** {} */\nexport declare class {} extends {} {{", row.doc, row.name, js_base(row));
        let mut lines = Vec::new();
        if row.parent.is_none() {
            lines.push("  readonly kind: string".to_string());
        }
        if row.builtin.is_some() {
            lines.push(format!("  readonly kind: '{}'", row.kind.unwrap_or("error")));
        }
        let fields: Vec<&DetailField> =
            if row.builtin.is_some() { all_fields(row) } else { row.fields.iter().collect() };
        for field in fields {
            lines.push(format!("  /** {} */\n  readonly {}: {}", field.doc, field.node, spelled(field.ty).typescript));
        }
        if lines.is_empty() {
            out.push_str("}\n");
        } else {
            let _ = write!(out, "\n{}\n}}\n", lines.join("\n"));
        }
    }
    out
}

fn node_esm() -> String {
    let mut out = crate::generated_header("//");
    out.push_str("\n// The ES module entry: the same names as the CommonJS one.\nimport toriihq from './index.js'\n\n");
    out.push_str("export const {\n  Client,\n  MAX_UPLOAD_BYTES,\n");
    for row in CATALOGUE {
        let _ = writeln!(out, "  {},", row.name);
    }
    out.push_str("} = toriihq\nexport default toriihq\n");
    out
}

/// The package's `__init__.py`: it names every error class, so it is generated with them. (mypy and stubtest
/// do not follow `__all__ += _errors.__all__`.)
pub fn python_init() -> String {
    let mut out = crate::generated_header("#");
    out.push_str(concat!(
        "\n\"\"\"toriihq: the SDK for the Torii SaaS-management API.\n\n",
        ">>> import toriihq\n",
        ">>> with toriihq.Client() as client:  # the key from TORII_API_KEY, the URL from TORII_BASE_URL\n",
        "...     managed = [app[\"name\"] for app in client.get_apps_iter(extra_query={\"state\": \"managed\"})]\n",
        "...     user = client.get_user(id_user=1)[\"user\"]\n",
        ">>> user[\"id\"]\n",
        "1\n",
        "\"\"\"\n\n",
        "from typing import TYPE_CHECKING\n\n",
        "from ._client import AsyncClient, Client, FileInput\nfrom ._errors import (\n",
    ));
    for name in sorted_names() {
        let _ = writeln!(out, "    {name},");
    }
    out.push_str(concat!(
        ")\nfrom ._native import MAX_UPLOAD_BYTES, __version__\nfrom ._options import ClientOptions, RequestOptions\n",
        "from ._response import APIResponse, Headers\n\n",
        "if TYPE_CHECKING:\n    from . import types\n\n"
    ));
    let mut exported: Vec<&str> = vec![
        "MAX_UPLOAD_BYTES",
        "APIResponse",
        "AsyncClient",
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
    out.push_str("__all__ = [\n");
    for name in exported {
        let _ = writeln!(out, "    {name:?},");
    }
    out.push_str("]\n");
    out.push_str(concat!(
        "\nif not TYPE_CHECKING:\n\n",
        "    def __getattr__(name: str) -> object:\n",
        "        # `toriihq.types` (TypedDicts, for editors and type checkers) loads on first use: it was a third of\n",
        "        # `import toriihq`.\n",
        "        if name == \"types\":\n",
        "            import importlib\n\n",
        "            return importlib.import_module(f\"{__name__}.types\")  # not `from . import`: it asks this hook\n",
        "        raise AttributeError(f\"module {__name__!r} has no attribute {name!r}\")\n",
    ));
    out
}
