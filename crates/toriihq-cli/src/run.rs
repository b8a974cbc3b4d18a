//! Running a command: the client from the flags, the call (or the pages of `--all`), the answer written, and an
//! error told on stderr with its exit code. Ctrl-C stops any of it.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use clap::ArgMatches;
use futures::StreamExt;
use serde_json::Value;
use toriihq::options::{CallOptions, Progress};
use toriihq::{Client, Error};
use toriihq_spec::{Operation, Pagination};

use crate::exit;
use crate::output::{Format, Output};
use crate::workflow_commands::WorkflowCommand;

/// How a command ended: its exit code, after whatever it printed.
pub type Code = u8;

pub struct Settings<'a> {
    pub matches: &'a ArgMatches,
    pub format: Format,
    pub fields: Option<&'a str>,
    pub dry_run: bool,
    /// Progress on stderr: it is a terminal and `--quiet` was not given.
    pub progress: bool,
}

impl<'a> Settings<'a> {
    pub fn new(root: &'a ArgMatches, leaf: &'a ArgMatches) -> Self {
        let flag = |id: &str| leaf.try_get_one::<bool>(id).ok().flatten().copied().unwrap_or(false);
        Settings {
            matches: leaf,
            format: Format::parse(leaf.get_one::<String>("format").or(root.get_one("format")).map_or("json", |s| s)),
            fields: leaf.get_one::<String>("fields").map(String::as_str),
            dry_run: flag("dry-run"),
            progress: !flag("quiet") && std::io::stderr().is_terminal(),
        }
    }

    fn output(&self) -> Output<std::io::BufWriter<std::io::StdoutLock<'static>>> {
        Output::new(self.format, self.fields, std::io::BufWriter::new(std::io::stdout().lock()))
    }
}

/// The client the flags describe: the key from `--api-key-file` or `TORII_API_KEY`, never printed.
pub fn client(settings: &Settings) -> Result<Client, Error> {
    let matches = settings.matches;
    // TORII_LOG sets the level (the builder reads it); the lines go to stderr, as the packages write them.
    let mut builder = Client::builder()
        .user_agent_suffix(concat!("toriihq-cli/", env!("CARGO_PKG_VERSION")))
        .logger(toriihq::log::Logger::stderr());
    if let Some(path) = matches.get_one::<String>("api-key-file") {
        let key = toriihq::local_file::read_to_string("api_key_file", std::path::Path::new(path))
            .map_err(|e| Error::Config(format!("the key file: {e}")))?;
        builder = builder.api_key(key.trim());
    } else if settings.dry_run && std::env::var_os("TORII_API_KEY").is_none() {
        // Shown masked either way; a dry run needs no key.
        builder = builder.api_key("none");
    }
    if let Some(url) = matches.get_one::<String>("base-url") {
        builder = builder.base_url(url);
    }
    if let Some(seconds) = matches.get_one::<f64>("timeout") {
        let timeout = Duration::try_from_secs_f64(*seconds)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| Error::invalid_argument("timeout", "must be a positive number of seconds"))?;
        builder = builder.timeout(timeout);
    }
    if let Some(retries) = matches.get_one::<u32>("max-retries") {
        builder = builder.max_retries(*retries);
    }
    builder.build()
}

pub async fn operation(client: &Client, op: &Operation, params: Value, settings: &Settings<'_>) -> Code {
    if settings.dry_run {
        return match client.dry_run(&op.id, &params) {
            Ok(request) => print_json(&serde_json::to_value(request).unwrap_or_default()),
            Err(error) => report(&error),
        };
    }
    let items_key = op.pagination.items_fields().first().map(|k| k.to_string());
    let all = settings.matches.try_get_one::<bool>("all").ok().flatten().copied().unwrap_or(false);
    if all {
        return all_pages(client, op, params, settings).await;
    }
    match client.call(&op.id, &params).await {
        Ok(answer) => written(settings.output().answer(&answer, items_key.as_deref())),
        Err(error) => report(&error),
    }
}

/// `--all`: every item of every page, written as each page comes. A page that fails ends it after what was
/// written, with the flag that resumes from there.
async fn all_pages(client: &Client, op: &Operation, params: Value, settings: &Settings<'_>) -> Code {
    let mut out = settings.output();
    let mut position = Resume::new(&op.pagination, &params);
    let mut pages = client.call_pages(&op.id, params);
    let started = Instant::now();
    let mut page_count = 0u64;
    while let Some(page) = pages.next().await {
        let page = match page.and_then(|page| decode(&page.body).map(|body| (body, page.items_key))) {
            Ok(page) => page,
            Err(error) => {
                let _ = out.finish();
                let code = report(&error);
                eprintln!("toriihq: {} items written; {}", out.items, position.hint());
                return code;
            }
        };
        let (body, items_key) = page;
        let items = items_key.and_then(|key| body.get(key)).and_then(Value::as_array);
        for item in items.into_iter().flatten() {
            if let Err(error) = out.item(item) {
                return written(Err(error));
            }
        }
        page_count += 1;
        position.after_page(&body, items.map_or(0, Vec::len));
        if let Err(error) = out.flush() {
            return written(Err(error));
        }
        if settings.progress {
            let rate = out.items as f64 / started.elapsed().as_secs_f64().max(0.001);
            eprint!("\r{} items, {page_count} pages, {rate:.0}/s", out.items);
        }
    }
    if settings.progress {
        eprintln!();
    }
    written(out.finish())
}

fn decode(body: &[u8]) -> Result<Value, Error> {
    serde_json::from_slice(body)
        .map_err(|e| Error::Decode { what: e.to_string(), location: "a page of the list".into() })
}

/// Where a list stands, as the flag that would start from there.
struct Resume {
    flag: Option<String>,
    value: Option<Value>,
    pagination: Pagination,
}

impl Resume {
    fn new(pagination: &Pagination, params: &Value) -> Self {
        let param = pagination.position_param();
        let value = param.and_then(|p| params.get(p).cloned());
        Resume { flag: param.map(crate::commands::flag_name), value, pagination: pagination.clone() }
    }

    fn after_page(&mut self, body: &Value, items: usize) {
        self.value = match &self.pagination {
            Pagination::Cursor { next_cursor_field, .. } => body.get(next_cursor_field).cloned(),
            Pagination::ScimOffset { .. } => {
                Some(Value::from(self.value.as_ref().and_then(Value::as_u64).unwrap_or(1) + items as u64))
            }
            Pagination::Offset { .. } => {
                Some(Value::from(self.value.as_ref().and_then(Value::as_u64).unwrap_or(0) + items as u64))
            }
            Pagination::None => None,
        };
    }

    fn hint(&self) -> String {
        match (&self.flag, &self.value) {
            (Some(flag), Some(Value::String(text))) => format!("resume with --{flag} {text}"),
            (Some(flag), Some(value)) if !value.is_null() => format!("resume with --{flag} {value}"),
            _ => "run it again to start over".into(),
        }
    }
}

pub async fn workflow(client: &Client, command: &WorkflowCommand, params: Value, settings: &Settings<'_>) -> Code {
    let Some(spec) = command.spec() else { return exit::BAD_ARGUMENTS };
    if settings.dry_run {
        return match client.dry_run(spec.name, &params) {
            Ok(_) => exit::OK,
            Err(error) => report(&error),
        };
    }
    let mut options = CallOptions::default();
    if settings.progress && spec.progress {
        options.progress = Some(Progress::new(|sent, total| {
            let percent = (sent * 100).checked_div(total).unwrap_or(100);
            eprint!("\r{sent} of {total} bytes sent ({percent} %)");
            if sent == total {
                eprintln!();
            }
        }));
    }
    match client.call_raw_with(spec.name, &params, Vec::new(), &options).await {
        Ok(bytes) => {
            let answer =
                if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
            written(settings.output().answer(&answer, None))
        }
        Err(error) => report(&error),
    }
}

/// `sync validate FILE`: offline; exit 2 when Torii would refuse the file.
pub async fn validate(settings: &Settings<'_>) -> Code {
    let Some(path) = settings.matches.get_one::<String>("file") else { return exit::BAD_ARGUMENTS };
    let report_found = match toriihq::custom_integration::validate_file(std::path::Path::new(path)).await {
        Ok(report_found) => report_found,
        Err(error) => return report(&error),
    };
    let code = written(settings.output().answer(&serde_json::to_value(&report_found).unwrap_or_default(), None));
    for problem in &report_found.errors {
        eprintln!("error: {problem}");
    }
    for problem in &report_found.warnings {
        eprintln!("warning: {problem}");
    }
    if report_found.is_valid() { code } else { exit::BAD_ARGUMENTS }
}

/// Tells `error` on stderr (every problem of a file, one a line) and gives its exit code.
pub fn report(error: &Error) -> Code {
    match error {
        Error::InvalidFile { problems } => {
            eprintln!("toriihq: the file has {} problem(s); nothing was sent:", problems.len());
            for problem in problems {
                eprintln!("  {problem}");
            }
        }
        other => eprintln!("toriihq: {other}"),
    }
    exit::code(error)
}

fn print_json(value: &Value) -> Code {
    let mut out = std::io::stdout().lock();
    let result =
        serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from).and_then(|_| writeln!(out));
    written(result)
}

/// The code after writing: a closed pipe (`| head`) is a reader that has seen enough, not a failure.
fn written(result: std::io::Result<()>) -> Code {
    match result {
        Ok(()) => exit::OK,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(error) => {
            eprintln!("toriihq: cannot write the output: {error}");
            exit::OTHER
        }
    }
}
