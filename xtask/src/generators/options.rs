//! The declarations of client and call options in Python (`toriihq/_options.py`: TypedDicts) and TypeScript
//! (`ClientOptions`, `RequestOptions` in `index.d.ts`), from the option table
//! (`toriihq_spec::sdk::options`, the table the client crate reads options by).

use heck::ToLowerCamelCase;

pub(crate) use toriihq_spec::sdk::options as table;

use table::{OPTIONS, OptionSpec, OptionType};

pub struct OptionOutputs {
    pub python: String,
    pub node_declarations: String,
}

pub fn generate() -> OptionOutputs {
    OptionOutputs { python: python(), node_declarations: node_declarations() }
}

/// How an option's type is written: (Python, TypeScript).
pub(crate) fn spelled(ty: OptionType) -> (String, String) {
    match ty {
        OptionType::Secret | OptionType::Text => ("str".into(), "string".into()),
        OptionType::Duration => ("float".into(), "number".into()),
        OptionType::Count => ("int".into(), "number".into()),
        OptionType::Headers => ("Mapping[str, str]".into(), "Record<string, string>".into()),
        OptionType::Flag => ("bool".into(), "boolean".into()),
        OptionType::Choice(words) => {
            let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
            (format!("Literal[{}]", quoted.join(", ")), quoted.join(" | "))
        }
    }
}

/// The option's doc; a duration says its unit (Python takes seconds, JavaScript milliseconds).
fn doc(spec: &OptionSpec, per_call: bool, unit: &str) -> String {
    let doc = if per_call { spec.per_call_doc.unwrap_or(spec.doc) } else { spec.doc };
    if spec.ty == OptionType::Duration { format!("In {unit}. {doc}") } else { doc.to_string() }
}

/// The rows a declaration lists: a call's options, or all of a client's.
fn rows(per_call: bool) -> impl Iterator<Item = &'static OptionSpec> {
    OPTIONS.iter().filter(move |spec| !per_call || spec.per_call)
}

/// Python takes a secret as the first positional argument (`Client("key")`), the other options by keyword.
fn python() -> String {
    let members = |per_call: bool| -> String {
        rows(per_call)
            .filter(|spec| spec.ty != OptionType::Secret)
            .map(|spec| {
                let (name, ty, doc) = (spec.name, spelled(spec.ty).0, doc(spec, per_call, "seconds"));
                format!("\n    {name}: {ty}\n    \"\"\"{doc}\"\"\"\n")
            })
            .collect()
    };
    let mut out = crate::python_module_head(
        "The options of a client and of a call, as the core's option table lists them. The core checks every\nvalue; these declarations are for editors and type checkers.",
        &["from collections.abc import Mapping", "from typing import Literal, TypedDict"],
    );
    out.push_str("__all__ = [\"ClientOptions\", \"RequestOptions\"]\n\n\n");
    out.push_str("class ClientOptions(TypedDict, total=False):\n    \"\"\"A client's settings besides the key; each has a default.\"\"\"\n");
    out.push_str(&members(false));
    out.push_str("\n\nclass RequestOptions(TypedDict, total=False):\n    \"\"\"What one call changes of its client's settings.\"\"\"\n");
    out.push_str(&members(true));
    out
}

/// JavaScript spells names in camel case and durations in milliseconds (`timeoutMs`).
pub(crate) fn node_name(spec: &OptionSpec) -> String {
    match spec.ty {
        OptionType::Duration => format!("{}_ms", spec.name).to_lower_camel_case(),
        _ => spec.name.to_lower_camel_case(),
    }
}

fn node_declarations() -> String {
    let members = |per_call: bool| -> String {
        rows(per_call)
            .map(|spec| {
                let (doc, name, ty) = (doc(spec, per_call, "milliseconds"), node_name(spec), spelled(spec.ty).1);
                format!("  /** {doc} */\n  {name}?: {ty}\n")
            })
            .collect()
    };
    let mut out = String::from("/** A client's settings; each has a default. */\nexport interface ClientOptions {\n");
    out.push_str(&members(false));
    out.push_str("  /** Where the log's lines go (see `logLevel`); default `console`. */\n");
    out.push_str("  logger?: Logger\n");
    out.push_str("}\n\n/** Takes the log's lines: `info` one per attempt, `debug` the headers and sizes. */\n");
    out.push_str(concat!(
        "export interface Logger {\n  info(line: string): void\n  debug(line: string): void\n",
        "  /** Strict mode's reports; `info` when absent. */\n  warn?(line: string): void\n}\n"
    ));
    out.push_str("\n/** What one call changes of its client's settings. */\nexport interface RequestOptions {\n");
    out.push_str("  /** Aborting it cancels the request; the call rejects with APIUserAbortError. */\n");
    out.push_str("  signal?: AbortSignal\n");
    out.push_str(&members(true));
    out.push_str("}\n\n");
    out
}
