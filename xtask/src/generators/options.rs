//! The declarations of client and call options in Python (`toriihq/_options.py`: TypedDicts) and TypeScript
//! (`ClientOptions`, `RequestOptions` in `index.d.ts`), from the option table
//! (`toriihq_spec::sdk::options`, the table the client crate reads options by).

use anyhow::Result;
use heck::ToLowerCamelCase;
use serde::Serialize;

pub(crate) use toriihq_spec::sdk::options as table;

use table::{OPTIONS, OptionSpec, OptionType};

use crate::generators::templates;

pub struct OptionOutputs {
    pub python: String,
    pub node_declarations: String,
}

pub fn generate() -> Result<OptionOutputs> {
    let declared = Declared {
        header: crate::generated_header("#").trim_end().to_string(),
        client: rows(false).map(|spec| declared(spec, false)).collect(),
        call: rows(true).map(|spec| declared(spec, true)).collect(),
    };
    Ok(OptionOutputs {
        python: templates::render("python/options.py", &declared)?,
        node_declarations: templates::render("node/options.d.ts", &declared)?,
    })
}

/// What the option templates are filled with: a client's options and a call's.
#[derive(Serialize)]
struct Declared {
    header: String,
    client: Vec<DeclaredOption>,
    call: Vec<DeclaredOption>,
}

/// An option as each language declares it.
#[derive(Serialize)]
struct DeclaredOption {
    python: &'static str,
    python_type: String,
    python_doc: String,
    /// Python takes the key as the first positional argument (`Client("key")`), not as an option.
    secret_key: bool,
    node: String,
    typescript: String,
    node_doc: String,
}

fn declared(spec: &'static OptionSpec, per_call: bool) -> DeclaredOption {
    let (python_type, typescript) = spelled(spec.ty);
    DeclaredOption {
        python: spec.name,
        python_type,
        python_doc: doc(spec, per_call, "seconds"),
        secret_key: spec.ty == OptionType::Secret && spec.name == "api_key",
        node: node_name(spec),
        typescript,
        node_doc: doc(spec, per_call, "milliseconds"),
    }
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

/// JavaScript spells names in camel case and durations in milliseconds (`timeoutMs`).
pub(crate) fn node_name(spec: &OptionSpec) -> String {
    match spec.ty {
        OptionType::Duration => format!("{}_ms", spec.name).to_lower_camel_case(),
        _ => spec.name.to_lower_camel_case(),
    }
}
