//! The command tree, built from the operation description and the workflow table when the program starts: a new
//! operation in the spec is a new command after `cargo xtask generate`, with no other edit.

use std::collections::BTreeMap;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, Command, value_parser};
use heck::{ToKebabCase, ToShoutySnakeCase};
use toriihq::workflows::table::{ParamType, WorkflowParam};
use toriihq_spec::{BodyKind, Operation, Pagination, Parameter, ParameterLocation, ValueType};

use crate::naming::{Named, name_all};
use crate::workflow_commands::{WorkflowCommand, available};

/// Flags every command has, or that the program gives a command itself: a parameter of the spec with one of these
/// names is spelled `--api-<name>` (`fields=`, the API's field selection, is `--api-fields`).
pub const OWN_FLAGS: &[&str] = &[
    "format",
    "fields",
    "all",
    "dry-run",
    "quiet",
    "api-key-file",
    "base-url",
    "timeout",
    "max-retries",
    "body",
    "extra-query",
    "from",
    "key-column",
    "journal",
    "concurrency",
    "rate",
    "results",
    "help",
    "version",
];

pub const FORMATS: [&str; 4] = ["json", "ndjson", "table", "csv"];

/// What a leaf command runs.
pub enum Target<'a> {
    Operation(&'a Operation),
    Workflow(&'static WorkflowCommand),
    Validate,
    Mock,
    Completions,
    Skill,
}

/// The program's commands for `operations`, and what each `(group, action)` runs.
pub fn build(operations: &[Operation]) -> (Command, BTreeMap<(String, String), Target<'_>>) {
    let workflows = available(operations);
    let taken: Vec<(&str, &str)> = workflows.iter().map(|w| (w.group, w.action)).collect();
    let named = name_all(operations, &taken);
    let mut targets = BTreeMap::new();
    let mut groups: BTreeMap<String, Command> = BTreeMap::new();
    for n in &named {
        let group = groups.entry(n.group.clone()).or_insert_with(|| group_command(&n.group));
        *group = std::mem::take(group).subcommand(operation_command(n));
        targets.insert((n.group.clone(), n.action.clone()), Target::Operation(n.op));
    }
    for w in workflows {
        let group = groups.entry(w.group.to_string()).or_insert_with(|| group_command(w.group));
        *group = std::mem::take(group).subcommand(workflow_command(w));
        targets.insert((w.group.to_string(), w.action.to_string()), Target::Workflow(w));
    }
    let sync = groups.entry("sync".into()).or_insert_with(|| group_command("sync"));
    *sync = std::mem::take(sync).subcommand(
        Command::new("validate")
            .about("Check a custom-integration file offline and print every problem with its path (exit 2 if any)")
            .arg(Arg::new("file").value_name("FILE").required(true).help("The JSON file")),
    );
    targets.insert(("sync".into(), "validate".into()), Target::Validate);
    targets.insert(("mock".into(), String::new()), Target::Mock);
    targets.insert(("completions".into(), String::new()), Target::Completions);
    targets.insert(("skill".into(), String::new()), Target::Skill);

    let mut root = Command::new("toriihq")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Torii API from the terminal: every operation of the spec and the SDK's workflows")
        .after_help(crate::exit::HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args());
    for (_, group) in groups {
        let actions: Vec<String> = group.get_subcommands().map(|c| c.get_name().to_string()).collect();
        root = root.subcommand(group.about(actions.join(", ")));
    }
    root = root
        .subcommand(mock_command())
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script")
                .arg(Arg::new("shell").required(true).value_parser(value_parser!(clap_complete::Shell))),
        )
        .subcommand(Command::new("skill").about("Print SKILL.md: what this command line can do, for an AI agent"));
    (root, targets)
}

fn group_command(name: &str) -> Command {
    Command::new(name.to_string()).subcommand_required(true).arg_required_else_help(true)
}

fn global_args() -> Vec<Arg> {
    vec![
        Arg::new("format")
            .long("format")
            .global(true)
            .value_parser(PossibleValuesParser::new(FORMATS))
            .default_value("json")
            .help("Output format; table and csv show the items of a list, one row each"),
        Arg::new("fields")
            .long("fields")
            .global(true)
            .value_name("A,B.C")
            .help("Only these fields of each item, dotted paths into nested objects (primaryOwner.email)"),
        Arg::new("dry-run")
            .long("dry-run")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Print the request (key masked) and send nothing"),
        Arg::new("quiet")
            .long("quiet")
            .short('q')
            .global(true)
            .action(ArgAction::SetTrue)
            .help("No progress on stderr"),
        Arg::new("api-key-file")
            .long("api-key-file")
            .global(true)
            .value_name("PATH")
            .help("Read the API key from this file (default: TORII_API_KEY)"),
        Arg::new("base-url")
            .long("base-url")
            .global(true)
            .value_name("URL")
            .help("Default: TORII_BASE_URL, else Torii's"),
        Arg::new("timeout")
            .long("timeout")
            .global(true)
            .value_name("SECONDS")
            .value_parser(value_parser!(f64))
            .help("Per attempt (default 60)"),
        Arg::new("max-retries")
            .long("max-retries")
            .global(true)
            .value_name("N")
            .value_parser(value_parser!(u32))
            .help("Retries after the first attempt (default 2)"),
    ]
}

fn operation_command(named: &Named) -> Command {
    let op = named.op;
    let summary = op.summary.clone().unwrap_or_else(|| op.id.clone());
    let mut long = format!("{summary}\n\n{} {} ({})", op.method.to_ascii_uppercase(), op.path, op.id);
    if let Some(description) = &op.description {
        long.push_str(&format!("\n\n{description}"));
    }
    if let Some(limit) = op.rate_limit_per_minute {
        long.push_str(&format!("\n\nRate limit: {limit} requests per minute."));
    }
    let mut command = Command::new(named.action.clone()).about(summary).long_about(long).args(bulk_args());
    let path_params = op.parameters.iter().filter(|p| p.location == ParameterLocation::Path);
    for p in path_params {
        command = command.arg(parameter_arg(p, true));
    }
    for p in op.parameters.iter().filter(|p| matches!(p.location, ParameterLocation::Query | ParameterLocation::Header))
    {
        command = command.arg(parameter_arg(p, false));
    }
    if op.pagination != Pagination::None {
        command = command.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Every item of every page, streamed as it arrives"),
        );
    }
    if op.parameters.iter().any(|p| p.location == ParameterLocation::Query) || op.method.eq_ignore_ascii_case("get") {
        command = command.arg(
            Arg::new("extra-query")
                .long("extra-query")
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help("A query parameter the spec does not declare (a custom-field filter); repeatable"),
        );
    }
    match &op.body {
        Some(body) if body.kind == BodyKind::Json => {
            command =
                command.arg(
                    Arg::new("body").long("body").value_name("JSON|@FILE|-").required_unless_from(body.required).help(
                        "The request body: JSON text, @file.json, or - for stdin (with --from: under each line's)",
                    ),
                );
        }
        Some(body) => {
            for field in &body.form_fields {
                let help = if field.binary { "A file to send (its path)" } else { "A form field" };
                let mut arg = Arg::new(param_id(&field.name))
                    .long(flag_name(&field.name))
                    .value_name(if field.binary { "PATH".to_string() } else { field.name.to_shouty_snake_case() })
                    .required_unless_from(field.required)
                    .help(help);
                let choices = text_choices(&field.enum_values);
                if !choices.is_empty() {
                    arg = arg.value_parser(PossibleValuesParser::new(choices));
                }
                command = command.arg(arg);
            }
        }
        None => {}
    }
    command
}

/// The id of a parameter's argument: apart from the program's own (`fields`, the API's, is not `--fields`).
pub fn param_id(name: &str) -> String {
    format!("param:{name}")
}

/// The flag of a parameter named `name` in the spec.
pub fn flag_name(name: &str) -> String {
    let kebab = name.to_kebab_case();
    if OWN_FLAGS.contains(&kebab.as_str()) { format!("api-{kebab}") } else { kebab }
}

fn parameter_arg(p: &Parameter, positional: bool) -> Arg {
    let mut arg = Arg::new(param_id(&p.name)).value_name(p.name.to_shouty_snake_case());
    arg = if positional {
        arg.required_unless_from(true)
    } else {
        arg.long(flag_name(&p.name)).required_unless_from(p.required)
    };
    if let Some(description) = &p.description {
        let first = description.split(['\n', '.']).next().unwrap_or(description).trim();
        arg = arg.help(first.to_string()).long_help(description.clone());
    }
    let choices = text_choices(&p.enum_values);
    match p.value_type {
        _ if !choices.is_empty() => arg.value_parser(PossibleValuesParser::new(choices)),
        ValueType::Integer => arg.value_parser(value_parser!(i64)),
        ValueType::Number => arg.value_parser(value_parser!(f64)),
        ValueType::Boolean if positional => arg.value_parser(value_parser!(bool)),
        ValueType::Boolean => {
            arg.value_parser(value_parser!(bool)).num_args(0..=1).default_missing_value("true").value_name("BOOL")
        }
        ValueType::Array => arg.action(ArgAction::Append).value_delimiter(','),
        _ => arg,
    }
}

fn text_choices(values: &[serde_json::Value]) -> Vec<String> {
    values.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
}

fn workflow_command(command: &'static WorkflowCommand) -> Command {
    let Some(spec) = command.spec() else { return Command::new(command.action) };
    let mut cli = Command::new(command.action).about(spec.summary.to_string()).args(bulk_args());
    for name in command.positional {
        if let Some(param) = spec.params.iter().find(|p| p.name == *name) {
            cli = cli.arg(workflow_arg(param, Arg::new(param.name).value_name(param.name.to_shouty_snake_case())));
        }
    }
    for param in spec.params.iter().filter(|p| !command.positional.contains(&p.name)) {
        if matches!(param.ty, ParamType::ListOf(_)) {
            continue; // Given as the file on the command line.
        }
        let flag = command.flag(param.name);
        let arg = Arg::new(param.name).long(flag.clone()).value_name(flag.to_shouty_snake_case());
        cli = cli.arg(workflow_arg(param, arg));
    }
    cli
}

fn workflow_arg(param: &WorkflowParam, arg: Arg) -> Arg {
    let arg = arg.required_unless_from(param.required).help(param.doc.to_string());
    match param.ty {
        ParamType::Integer => arg.value_parser(value_parser!(i64)),
        ParamType::Seconds => arg.value_parser(value_parser!(f64)),
        _ => arg,
    }
}

/// The flags every operation and workflow command takes for a bulk run (`--from`, see `bulk`).
fn bulk_args() -> Vec<Arg> {
    vec![
        Arg::new("from").long("from").value_name("FILE").help(
            "Run once per line of this CSV (header row) or NDJSON file; columns name parameters, body.x a body field",
        ),
        Arg::new("key-column")
            .long("key-column")
            .value_name("NAME")
            .requires("from")
            .help("The column each result and journal line is keyed by (default: the line number)"),
        Arg::new("journal")
            .long("journal")
            .value_name("FILE")
            .requires("from")
            .help("Record what was sent and how it ended; run again with the same file to resume"),
        Arg::new("concurrency")
            .long("concurrency")
            .value_name("N")
            .value_parser(value_parser!(usize))
            .requires("from")
            .help("Items in flight at once (default 4)"),
        Arg::new("rate")
            .long("rate")
            .value_name("N/min")
            .requires("from")
            .help("Pace to this rate (default: the operation's limit in the spec)"),
        Arg::new("results")
            .long("results")
            .value_name("FILE")
            .requires("from")
            .help("Write each item's outcome here, NDJSON or CSV by the extension (default: NDJSON on stdout)"),
    ]
}

fn mock_command() -> Command {
    Command::new("mock")
        .about("Run the local Torii mock (the SDK's own) until Ctrl-C; prints `listening on URL`")
        .arg(Arg::new("port").long("port").value_parser(value_parser!(u16)).default_value("0").help("0: the OS picks"))
        .arg(Arg::new("api-key").long("api-key").help("The key clients must send (default: TORII_API_KEY)"))
        .arg(Arg::new("seed").long("seed").help("Items per collection: apps=500,users=100000, a number, or none"))
        .arg(Arg::new("rate-limit").long("rate-limit").value_name("N/min|spec").help("Answer 429 beyond this rate"))
        .arg(Arg::new("chaos").long("chaos").value_parser(value_parser!(u64)).help("Percent of requests given a fault"))
}

/// A required argument may be left out when `--from` gives it on each line.
trait RequiredUnlessFrom {
    fn required_unless_from(self, required: bool) -> Self;
}

impl RequiredUnlessFrom for Arg {
    fn required_unless_from(self, required: bool) -> Self {
        if required { self.required_unless_present("from") } else { self }
    }
}
