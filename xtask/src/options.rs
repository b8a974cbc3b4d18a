//! The declarations of client and call options in Python (`toriihq/_options.py`: TypedDicts) and TypeScript
//! (`ClientOptions`, `RequestOptions` in `index.d.ts`), from the core's option table
//! (`crates/toriihq/src/options/table.rs`, read as a module of this crate like the error catalogue).

use std::fmt::Write;

use heck::ToLowerCamelCase;

#[path = "../../crates/toriihq/src/options/table.rs"]
#[allow(dead_code)]
mod table;

use table::{OPTIONS, OptionSpec, OptionType};

pub struct OptionOutputs {
    pub python: String,
    pub node_declarations: String,
}

pub fn generate() -> OptionOutputs {
    OptionOutputs { python: python(), node_declarations: node_declarations() }
}

fn python_type(ty: OptionType) -> &'static str {
    match ty {
        OptionType::Secret | OptionType::Text => "str",
        OptionType::Duration => "float",
        OptionType::Count => "int",
        OptionType::Headers => "Mapping[str, str]",
        OptionType::Flag => "bool",
    }
}

fn python_doc(spec: &OptionSpec, per_call: bool) -> String {
    let doc = if per_call { spec.per_call_doc.unwrap_or(spec.doc) } else { spec.doc };
    if spec.ty == OptionType::Duration { format!("In seconds. {doc}") } else { doc.to_string() }
}

/// Python takes a secret as the first positional argument (`Client("key")`), the other options by keyword.
fn python() -> String {
    let mut out = crate::generated_header("#");
    out.push_str(concat!(
        "\n\"\"\"The options of a client and of a call, as the core's option table lists them. The core checks every\n",
        "value; these declarations are for editors and type checkers.\"\"\"\n\n",
        "from __future__ import annotations\n\nfrom collections.abc import Mapping\n",
        "from typing import TypedDict\n\n__all__ = [\"ClientOptions\", \"RequestOptions\"]\n\n\n",
        "class ClientOptions(TypedDict, total=False):\n",
        "    \"\"\"A client's settings besides the key; each has a default.\"\"\"\n",
    ));
    for spec in OPTIONS.iter().filter(|s| s.ty != OptionType::Secret) {
        let _ =
            write!(out, "\n    {}: {}\n    \"\"\"{}\"\"\"\n", spec.name, python_type(spec.ty), python_doc(spec, false));
    }
    out.push_str(
        "\n\nclass RequestOptions(TypedDict, total=False):\n    \"\"\"What one call changes of its client's settings.\"\"\"\n",
    );
    for spec in OPTIONS.iter().filter(|s| s.per_call) {
        let _ =
            write!(out, "\n    {}: {}\n    \"\"\"{}\"\"\"\n", spec.name, python_type(spec.ty), python_doc(spec, true));
    }
    out
}

/// JavaScript spells names in camel case and durations in milliseconds (`timeoutMs`).
fn node_name(spec: &OptionSpec) -> String {
    match spec.ty {
        OptionType::Duration => format!("{}_ms", spec.name).to_lower_camel_case(),
        _ => spec.name.to_lower_camel_case(),
    }
}

fn ts_type(ty: OptionType) -> &'static str {
    match ty {
        OptionType::Secret | OptionType::Text => "string",
        OptionType::Duration | OptionType::Count => "number",
        OptionType::Headers => "Record<string, string>",
        OptionType::Flag => "boolean",
    }
}

fn ts_doc(spec: &OptionSpec, per_call: bool) -> String {
    let doc = if per_call { spec.per_call_doc.unwrap_or(spec.doc) } else { spec.doc };
    if spec.ty == OptionType::Duration { format!("In milliseconds. {doc}") } else { doc.to_string() }
}

fn node_declarations() -> String {
    let mut out = String::from("/** A client's settings; each has a default. */\nexport interface ClientOptions {\n");
    for spec in OPTIONS {
        let _ = writeln!(out, "  /** {} */\n  {}?: {}", ts_doc(spec, false), node_name(spec), ts_type(spec.ty));
    }
    out.push_str("}\n\n/** What one call changes of its client's settings. */\nexport interface RequestOptions {\n");
    out.push_str("  /** Aborting it cancels the request; the call rejects with APIUserAbortError. */\n");
    out.push_str("  signal?: AbortSignal\n");
    for spec in OPTIONS.iter().filter(|s| s.per_call) {
        let _ = writeln!(out, "  /** {} */\n  {}?: {}", ts_doc(spec, true), node_name(spec), ts_type(spec.ty));
    }
    out.push_str("}\n\n");
    out
}
