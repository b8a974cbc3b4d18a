//! The API reference (`docs/api/{rust,python,node}.md`), the error table of `docs/errors.md` and the list of pages
//! whose Rust blocks run as doctests (`tests/src/docs.rs`), from the operation description, the workflow, option
//! and error tables: every method in every language with its parameters, types, return type, rate limit and
//! route, grouped by tag.

use std::collections::BTreeMap;
use std::fmt::Write;

use heck::{ToLowerCamelCase, ToPascalCase};
use toriihq_spec::{LoadedSpec, Operation, Pagination};

use crate::generators::call_model::{self, Argument, Call, Shape};
use crate::generators::errors::catalogue::{Builtin, CATALOGUE};
use crate::generators::options::table::{OPTIONS, OptionType};
use crate::generators::type_model::TypeModel;
use crate::generators::workflows::table::{ParamType, WorkflowSpec};

pub struct Reference {
    pub rust: String,
    pub python: String,
    pub node: String,
}

/// Where the generated error table goes in `docs/errors.md`.
pub const ERRORS_START: &str = "<!-- generated:errors (cargo xtask generate) -->";
pub const ERRORS_END: &str = "<!-- end of generated:errors -->";

fn header() -> String {
    format!("<!-- {} -->\n", crate::generated_header("").trim())
}

/// A method's documentation in one paragraph: the summary, the route, the rate limit.
fn summary_line(call: &Call<'_>) -> String {
    let op = call.op;
    let mut line =
        format!("{}. `{} {}` (operation `{}`)", call.summary().trim_end_matches('.'), op.method, op.path, op.id);
    if let Some(limit) = op.rate_limit_per_minute {
        let _ = write!(line, "; {limit} requests a minute");
    }
    line.push('.');
    line
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn by_tag<'a>(calls: &'a [Call<'a>]) -> BTreeMap<String, Vec<&'a Call<'a>>> {
    let mut tags: BTreeMap<String, Vec<&Call>> = BTreeMap::new();
    for call in calls {
        let tag = call.op.tags.first().cloned().unwrap_or_else(|| "Other".into());
        tags.entry(tag).or_default().push(call);
    }
    tags
}

fn anchor(text: &str) -> String {
    text.to_lowercase().replace(' ', "-")
}

fn table_of_contents(out: &mut String, tags: &BTreeMap<String, Vec<&Call>>) {
    out.push_str("**Operations by tag:** ");
    let links: Vec<String> = tags.keys().map(|tag| format!("[{tag}](#{})", anchor(tag))).collect();
    out.push_str(&links.join(" · "));
    out.push_str(" · [SDK workflows](#sdk-workflows)\n");
}

fn arguments_table(
    out: &mut String,
    arguments: &[&Argument],
    name: impl Fn(&Argument) -> String,
    ty: impl Fn(&Argument) -> String,
) {
    if arguments.is_empty() {
        return;
    }
    out.push_str("\n| argument | type | required | description |\n|---|---|---|---|\n");
    for argument in arguments {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} |",
            name(argument),
            cell(&ty(argument)),
            if argument.required { "yes" } else { "" },
            cell(argument.description.as_deref().unwrap_or_default())
        );
    }
}

pub fn generate(spec: &LoadedSpec) -> anyhow::Result<Reference> {
    let spec = &*crate::generators::workflows::with_workflow_types(spec)?;
    let mut model = TypeModel::new(spec);
    let calls: Vec<Call> = spec.operations.iter().map(|op| call_model::call(spec, &mut model, op)).collect();
    let workflows: Vec<&WorkflowSpec> = crate::generators::workflows::offered(spec).collect();
    Ok(Reference { rust: rust(&calls, &workflows), python: python(&calls, &workflows), node: node(&calls, &workflows) })
}

fn iterator_note(op: &Operation, name: &str) -> Option<String> {
    let kind = match op.pagination {
        Pagination::None => return None,
        Pagination::Cursor { .. } => "cursor",
        Pagination::ScimOffset { .. } => "SCIM",
        Pagination::Offset { .. } => "offset",
    };
    Some(format!("Every item of every page ({kind} paging): `{name}`."))
}

fn python(calls: &[Call], workflows: &[&WorkflowSpec]) -> String {
    let mut out = header();
    out.push_str("\n# Python API reference\n\n");
    out.push_str(
        "`toriihq.Client` (blocking) and `toriihq.AsyncClient` (asyncio: the same methods, awaited; iterators with \
         `async for`) have one method per operation, keyword arguments only, and every method takes `options=` \
         ([`RequestOptions`](#requestoptions)). Answers are plain `dict`s typed by the TypedDicts of \
         `toriihq.types`; `client.with_raw_response.<method>(…)` answers an `APIResponse` (status, headers, \
         `parse()`). Errors: [the error classes](../errors.md).\n\n",
    );
    let tags = by_tag(calls);
    table_of_contents(&mut out, &tags);
    options_tables(
        &mut out,
        "Python",
        |spec| spec.name.to_string(),
        |ty| crate::generators::options::spelled(ty).0,
        "seconds",
    );
    for (tag, calls) in &tags {
        let _ = writeln!(out, "\n## {tag}\n");
        for call in calls {
            let op = call.op;
            let returns = call
                .returns
                .as_ref()
                .map(|r| crate::generators::python::render(r, "types.", false))
                .unwrap_or("None".into());
            let signature = crate::generators::python::signature(call.arguments.iter()).replacen("self, ", "", 1);
            let _ =
                writeln!(out, "### `{}`\n\n```text\n{}({signature}) -> {returns}\n```\n", op.snake_name, op.snake_name);
            let _ = writeln!(out, "{}", summary_line(call));
            if let Some(note) = iterator_note(op, &format!("{}_iter(…)", op.snake_name)) {
                let _ = writeln!(out, "{note}");
            }
            let arguments: Vec<&Argument> = call.arguments.iter().collect();
            arguments_table(
                &mut out,
                &arguments,
                |a| crate::generators::python::identifier(&a.snake),
                |a| {
                    let text = crate::generators::python::keyword(a).0;
                    text.split_once(": ")
                        .map(|(_, ty)| ty.trim_end_matches(" | None = None").to_string())
                        .unwrap_or(text)
                },
            );
        }
    }
    out.push_str(
        "\n## SDK workflows\n\nJobs of several calls whose logic is the core's, as methods of both clients.\n",
    );
    for workflow in workflows {
        let parameters: Vec<String> = workflow
            .params
            .iter()
            .map(|p| {
                let ty = crate::generators::workflows::python_type(p.ty);
                if p.required { format!("{}: {ty}", p.name) } else { format!("{}: {ty} | None = None", p.name) }
            })
            .collect();
        let returns = crate::generators::workflows::python_returns(workflow.returns);
        let _ = writeln!(
            out,
            "\n### `{}`\n\n```text\n{}(*, {}) -> {returns}\n```\n",
            workflow.name,
            workflow.name,
            parameters.join(", ")
        );
        let _ = writeln!(out, "{}.", workflow.summary.trim_end_matches('.'));
        workflow_table(&mut out, workflow, |name| name.to_string(), crate::generators::workflows::python_type);
    }
    out
}

fn node(calls: &[Call], workflows: &[&WorkflowSpec]) -> String {
    let mut out = header();
    out.push_str("\n# Node API reference\n\n");
    out.push_str(
        "`new Client(options?)` ([`ClientOptions`](#clientoptions)) has one method per operation: it takes one \
         object of camelCase parameters and the call's [`RequestOptions`](#requestoptions), and returns an \
         `APIPromise` (a `Promise` with `withResponse()` for the status and headers). Paged lists have an \
         `…Iter` for `for await`. Types are in `index.d.ts`; errors: [the error classes](../errors.md).\n\n",
    );
    let tags = by_tag(calls);
    table_of_contents(&mut out, &tags);
    options_tables(
        &mut out,
        "Node",
        crate::generators::options::node_name,
        |ty| crate::generators::options::spelled(ty).1,
        "milliseconds",
    );
    for (tag, calls) in &tags {
        let _ = writeln!(out, "\n## {tag}\n");
        for call in calls {
            let op = call.op;
            let returns = call.returns.as_ref().map(crate::generators::node::ts).unwrap_or("void".into());
            let params = format!("{}Params", op.pascal_name);
            let optional = if call.any_required() { "" } else { "?" };
            let _ = writeln!(
                out,
                "### `{}`\n\n```text\n{}(params{optional}: {params}, options?: RequestOptions): Promise<{returns}>\n```\n",
                op.camel_name, op.camel_name
            );
            let _ = writeln!(out, "{}", summary_line(call));
            if let Some(note) = iterator_note(op, &format!("{}Iter(…)", op.camel_name)) {
                let _ = writeln!(out, "{note}");
            }
            let arguments: Vec<&Argument> = call.arguments.iter().collect();
            arguments_table(&mut out, &arguments, |a| a.camel.clone(), |a| crate::generators::node::ts_shape(&a.shape));
        }
    }
    out.push_str("\n## SDK workflows\n\nJobs of several calls whose logic is the core's.\n");
    for workflow in workflows {
        let name = workflow.name.to_lower_camel_case();
        let returns = crate::generators::workflows::ts_returns(workflow.returns);
        let _ = writeln!(
            out,
            "\n### `{name}`\n\n```text\n{name}(params: {}Params, options?: RequestOptions): Promise<{returns}>\n```\n",
            workflow.name.to_pascal_case()
        );
        let _ = writeln!(out, "{}.", workflow.summary.trim_end_matches('.'));
        workflow_table(&mut out, workflow, |name| name.to_lower_camel_case(), crate::generators::workflows::ts_type);
    }
    out
}

fn rust(calls: &[Call], workflows: &[&WorkflowSpec]) -> String {
    let mut out = header();
    out.push_str("\n# Rust API reference\n\n");
    out.push_str(
        "`toriihq::Client` has one method per operation, returning a builder: parameters are its methods \
         (`.id_contract(42)`), a JSON body is `.body(…)`, and `send()` returns the typed answer \
         (`send_with_response()` with the status and headers). Paged lists have `<operation>_stream(|request| …)`, \
         a `Stream` of every item. Any operation can also be called by name with JSON parameters \
         (`client.call(\"getContract\", &json!({\"idContract\": 1}))`). Errors are one `toriihq::Error` whose \
         `kind()` is [the kind of the error table](../errors.md). The crate's rustdoc has every type.\n\n",
    );
    let tags = by_tag(calls);
    table_of_contents(&mut out, &tags);
    out.push_str(
        "\n## ClientBuilder\n\n`Client::builder()`, then `.build()`; `Client::from_env()` takes every default.\n\n",
    );
    out.push_str("| setter | takes | default and meaning |\n|---|---|---|\n");
    for spec in OPTIONS {
        let takes = match spec.ty {
            OptionType::Duration => "Duration",
            OptionType::Count => "u32",
            OptionType::Flag => "bool",
            OptionType::Headers => "name, value (`default_header`)",
            OptionType::Choice(_) => "an enum",
            OptionType::Secret | OptionType::Text => "&str",
        };
        let _ = writeln!(out, "| `{}` | {takes} | {} |", spec.name, cell(spec.doc));
    }
    for (tag, calls) in &tags {
        let _ = writeln!(out, "\n## {tag}\n");
        for call in calls {
            let op = call.op;
            let returns = op.response_schema.as_deref().map(|s| format!("types::{}", s.to_pascal_case()));
            let returns = match returns {
                _ if op.answers_with_redirect() => "ByteStream".to_string(),
                Some(ty) => ty,
                None => "()".to_string(),
            };
            let setters: Vec<String> = call
                .arguments
                .iter()
                .filter(|a| !matches!(a.shape, Shape::ExtraQuery))
                .map(|a| if matches!(a.shape, Shape::Body { .. }) { "body".to_string() } else { a.snake.clone() })
                .collect();
            let _ = writeln!(
                out,
                "### `{}`\n\n```text\nclient.{}(){} .send() -> Result<{returns}>\n```\n",
                op.snake_name,
                op.snake_name,
                setters.iter().map(|s| format!(".{s}(…)")).collect::<String>()
            );
            let _ = writeln!(out, "{}", summary_line(call));
            if let Some(note) = iterator_note(op, &format!("{}_stream(|request| …)", op.snake_name)) {
                let _ = writeln!(out, "{note}");
            }
        }
    }
    out.push_str("\n## SDK workflows\n\nMethods of `Client`; by name too (`client.call(\"offboard_user\", …)`).\n");
    for workflow in workflows {
        let _ = writeln!(out, "\n### `{}`\n\n{}.", workflow.name, workflow.summary.trim_end_matches('.'));
        workflow_table(&mut out, workflow, |name| name.to_string(), |ty| format!("{ty:?}").to_lowercase());
    }
    out
}

fn workflow_table(
    out: &mut String,
    workflow: &WorkflowSpec,
    name: impl Fn(&str) -> String,
    ty: impl Fn(ParamType) -> String,
) {
    if workflow.params.is_empty() {
        return;
    }
    out.push_str("\n| argument | type | required | description |\n|---|---|---|---|\n");
    for param in workflow.params {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} |",
            name(param.name),
            cell(&ty(param.ty)),
            if param.required { "yes" } else { "" },
            cell(param.doc)
        );
    }
}

fn options_tables(
    out: &mut String,
    language: &str,
    name: impl Fn(&crate::generators::options::table::OptionSpec) -> String,
    ty: impl Fn(OptionType) -> String,
    unit: &str,
) {
    let _ = writeln!(
        out,
        "\n## ClientOptions\n\nA {language} client's settings, checked by the core; each has a default. Durations are in {unit}.\n"
    );
    out.push_str("| option | type | meaning |\n|---|---|---|\n");
    for spec in OPTIONS {
        let _ = writeln!(out, "| `{}` | `{}` | {} |", name(spec), cell(&ty(spec.ty)), cell(spec.doc));
    }
    out.push_str("\n## RequestOptions\n\nWhat one call changes of its client's settings.\n\n");
    out.push_str("| option | type | meaning |\n|---|---|---|\n");
    for spec in OPTIONS.iter().filter(|spec| spec.per_call) {
        let meaning = spec.per_call_doc.unwrap_or(spec.doc);
        let _ = writeln!(out, "| `{}` | `{}` | {} |", name(spec), cell(&ty(spec.ty)), cell(meaning));
    }
}

/// The table of `docs/errors.md`: every class, the same in Python and Node, with the kind Rust's `Error::kind()`
/// reports.
pub fn errors_table() -> String {
    let mut out = String::from(
        "| class | parent | `kind` | also a | attributes (Python / Node) | when |\n|---|---|---|---|---|---|\n",
    );
    for row in CATALOGUE {
        let also = match row.builtin {
            Some(Builtin::Type) => "`TypeError`",
            Some(Builtin::Value) => "`ValueError` / `RangeError`",
            None => "",
        };
        let fields: Vec<String> =
            row.fields
                .iter()
                .map(|f| {
                    if f.python == f.node {
                        format!("`{}`", f.python)
                    } else {
                        format!("`{}` / `{}`", f.python, f.node)
                    }
                })
                .collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {also} | {} | {} |",
            row.name,
            row.parent.map(|p| format!("`{p}`")).unwrap_or_default(),
            row.kind.map(|k| format!("`{k}`")).unwrap_or_default(),
            fields.join(", "),
            cell(row.doc)
        );
    }
    out
}

/// `docs/errors.md` with its generated table replaced.
pub fn errors_page(current: &str) -> anyhow::Result<String> {
    let (before, rest) =
        current.split_once(ERRORS_START).ok_or_else(|| anyhow::anyhow!("docs/errors.md lacks {ERRORS_START}"))?;
    let (_, after) = rest.split_once(ERRORS_END).ok_or_else(|| anyhow::anyhow!("docs/errors.md lacks {ERRORS_END}"))?;
    Ok(format!("{before}{ERRORS_START}\n{}{ERRORS_END}{after}", errors_table()))
}

/// `tests/src/docs.rs`: every page with code blocks, included so its Rust blocks are doctests of the crate.
pub fn doctest_pages(pages: &[std::path::PathBuf]) -> String {
    let root = crate::paths::root();
    let mut out = format!(
        "{}\n\n//! Every documentation page, so its Rust blocks compile (and run, unless `no_run`) as doctests:\n\
         //! `cargo test --doc -p toriihq-tests`, which `cargo xtask test docs` runs against the mock.\n\n",
        crate::generated_header("//")
    );
    let items: Vec<String> = pages
        .iter()
        .enumerate()
        .map(|(index, page)| {
            let relative = page.strip_prefix(&root).unwrap_or(page).to_string_lossy().replace('\\', "/");
            format!("#[cfg(doctest)]\n#[doc = include_str!(\"../../{relative}\")]\npub struct Page{index};\n")
        })
        .collect();
    out.push_str(&items.join("\n"));
    out
}
