//! `toriihq`, the command line: a command per operation of the spec (grouped by tag) and per workflow of the core,
//! built when the program starts from the operation description the client was generated with. One
//! implementation, entered three ways: this crate's binary, the Python package's `toriihq` console script and the
//! Node package's `toriihq` bin, both through their native modules' [`main`].

mod args;
mod bulk;
pub mod commands;
mod exit;
mod naming;
mod output;
mod run;
mod skill;
mod workflow_commands;

use std::ffi::OsString;

use clap::ArgMatches;
use serde_json::json;

use commands::Target;
use run::{Code, Settings};

pub use exit::HELP as EXIT_CODES;
pub use naming::{Named, name_all};

/// Runs the command line `args` (the program's name first) to the end and returns the exit code. Blocks; Ctrl-C
/// ends it with 130.
pub fn main<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    main_until(args, async {
        // Without a handler (it could not be installed) nothing interrupts but the default action.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
}

/// As [`main`], ended with 130 when `interrupted` completes instead of on Ctrl-C: for a host that owns the
/// process's signals (Node, whose own SIGINT handling fights a second handler).
pub fn main_until<I, T>(args: I, interrupted: impl std::future::Future<Output = ()>) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let operations = toriihq::operations();
    let (command, targets) = commands::build(operations);
    let matches = match command.clone().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(error) => {
            let _ = error.print();
            return error.exit_code();
        }
    };
    let Some((group, group_matches)) = matches.subcommand() else { return i32::from(exit::BAD_ARGUMENTS) };
    let (action, leaf) = group_matches.subcommand().unwrap_or(("", group_matches));
    let Some(target) = targets.get(&(group.to_string(), action.to_string())) else {
        return i32::from(exit::BAD_ARGUMENTS);
    };
    let settings = Settings::new(&matches, leaf);
    if let Target::Completions = target {
        return completions(command, leaf);
    }
    if let Target::Skill = target {
        print!("{}", skill::render(&command));
        return i32::from(exit::OK);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("toriihq: cannot start: {error}");
            return i32::from(exit::OTHER);
        }
    };
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let code = runtime.block_on(async {
        let work = dispatch(target, &settings, stopping);
        tokio::pin!(work);
        tokio::select! {
            code = &mut work => return code,
            _ = interrupted => {}
        }
        if !bulk_run(&settings) {
            eprintln!("\ntoriihq: interrupted");
            return exit::INTERRUPTED;
        }
        // A job stops taking inputs; the requests already sent are answered and recorded, so its journal knows
        // how each ended (killed instead, a POST in flight is left `unknown`).
        let _ = stop.send(true);
        eprintln!("\ntoriihq: interrupted; recording the requests in flight (up to {} s)", GRACE.as_secs());
        let _ = tokio::time::timeout(GRACE, work).await;
        exit::INTERRUPTED
    });
    i32::from(code)
}

/// How long an interrupted `--from` job waits for the requests it has in flight.
const GRACE: std::time::Duration = std::time::Duration::from_secs(10);

async fn dispatch(target: &Target<'_>, settings: &Settings<'_>, stopping: tokio::sync::watch::Receiver<bool>) -> Code {
    match target {
        Target::Validate => run::validate(settings).await,
        Target::Mock => mock(settings.matches).await,
        Target::Completions | Target::Skill => exit::OK,
        Target::Operation(op) => {
            let params = match args::operation_params(op, settings.matches) {
                Ok(params) => params,
                Err(problem) => {
                    eprintln!("toriihq: {problem}");
                    return exit::BAD_ARGUMENTS;
                }
            };
            match run::client(settings) {
                Ok(client) if bulk_run(settings) => bulk::run(&client, &op.id, params, settings, stopping).await,
                Ok(client) => run::operation(&client, op, params, settings).await,
                Err(error) => run::report(&error),
            }
        }
        Target::Workflow(command) => {
            let Some(spec) = command.spec() else { return exit::BAD_ARGUMENTS };
            let params = args::workflow_params(spec, settings.matches);
            match run::client(settings) {
                Ok(client) if bulk_run(settings) => bulk::run(&client, spec.name, params, settings, stopping).await,
                Ok(client) => run::workflow(&client, command, params, settings).await,
                Err(error) => run::report(&error),
            }
        }
    }
}

/// The command (`group`, `action`) that calls the operation or workflow named `name` (`updateUser` →
/// `users update`), as the program names them.
pub fn command_of(name: &str) -> Option<(String, String)> {
    let (_, targets) = commands::build(toriihq::operations());
    let callable = toriihq::Callable::resolve(name).ok()?;
    targets.into_iter().find_map(|(command, target)| {
        let same = match (target, callable) {
            (Target::Operation(op), toriihq::Callable::Operation(wanted)) => op.id == wanted.id,
            (Target::Workflow(command), toriihq::Callable::Workflow(wanted)) => command.workflow == wanted.name,
            _ => false,
        };
        same.then_some(command)
    })
}

/// Whether the command runs once per line of `--from`.
fn bulk_run(settings: &Settings<'_>) -> bool {
    settings.matches.try_get_one::<String>("from").ok().flatten().is_some()
}

/// `toriihq mock`: the SDK's mock in this process until Ctrl-C.
async fn mock(matches: &ArgMatches) -> Code {
    let text = |id: &str| matches.get_one::<String>(id).cloned();
    let api_key = text("api-key").or_else(|| std::env::var("TORII_API_KEY").ok().filter(|k| !k.trim().is_empty()));
    let settings = json!({
        "api_key": api_key,
        "seed": text("seed"),
        "rate_limit": text("rate-limit"),
        "chaos": matches.get_one::<u64>("chaos"),
    });
    let mut config = match toriihq_mock::MockConfig::from_json(&settings) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("toriihq: {error}");
            return exit::BAD_ARGUMENTS;
        }
    };
    let port = matches.get_one::<u16>("port").copied().unwrap_or(0);
    config.address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    match toriihq_mock::MockServer::start(config).await {
        Ok(server) => {
            println!("listening on {}", server.url());
            // Stopped by Ctrl-C, in `main`.
            std::future::pending::<()>().await;
            exit::OK
        }
        Err(error) => {
            eprintln!("toriihq: the mock could not start: {error}");
            exit::OTHER
        }
    }
}

fn completions(mut command: clap::Command, matches: &ArgMatches) -> i32 {
    let Some(shell) = matches.get_one::<clap_complete::Shell>("shell") else { return i32::from(exit::BAD_ARGUMENTS) };
    clap_complete::generate(*shell, &mut command, "toriihq", &mut std::io::stdout());
    i32::from(exit::OK)
}
