//! `cargo xtask soak [--quick]`: each package makes 20,000 calls at 64 in flight (2,000 with `--quick`, what CI
//! runs) against a mock that gives 5 % of requests a random fault — a 503, a 429 with Retry-After, a reset
//! connection, a delay, a truncated body. Every call must end in success or in a typed error; no POST may run twice
//! (each creates a contract of its own name, and the mock's store shows how many it holds); resident memory and
//! open descriptors are reported after 1,000 calls and at the end, and descriptors must not grow by more than a
//! connection pool's slack. Python runs three times (64 in flight on one `AsyncClient`; one blocking `Client`
//! shared by 8 threads; one `Client` behind a `ThreadPoolExecutor` of 32), Node twice (64 in flight; 8
//! `worker_threads` with 8 in flight each), Rust once.
//!
//! Then the churn that services put a client through, against a mock without faults: 5,000 short-lived threads
//! over one Python `Client`, 2,000 `asyncio.run()` over one `AsyncClient`, 200 forked children using a client made
//! in their parent, 500 Node `worker_threads` that each make a client (a third of them terminated while a call is
//! in flight); `--quick` runs a fifth of each. Every run must end well, and resident memory and open descriptors
//! may not grow past a small fixed slack from a tenth of the way in to the end.
//!
//! Then bulk jobs through the command line at the spec's rate limits (see [`super::bulk_jobs`]).

use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::bench::setup;
use super::mock::RunningMock;

const KEY: &str = "soak-key";

/// Row label, driver, the driver's scenario.
const VARIANTS: [(&str, &str, &str); 6] = [
    ("Python, AsyncClient", "python", "soak"),
    ("Python, 8 threads on one Client", "python", "soak_threads"),
    ("Python, ThreadPoolExecutor(32) on one Client", "python", "soak_pool"),
    ("Node, one Client", "node", "soak"),
    ("Node, 8 worker_threads", "node", "soak_workers"),
    ("Rust", "rust", "soak"),
];

/// Connections a pool may still hold at the end beyond those it held after 1,000 calls.
const FD_SLACK: u64 = 16;

/// Row label, driver, scenario, runs in the full churn (each a thread, an event loop, a forked child, a worker),
/// and the resident memory it may add from a tenth of the way in to the end. Node's is larger: 500 worker_threads
/// that only `fetch` (no toriihq) add 14.5 MiB of their own (V8 isolates leave the heap fragmented), measured.
const CHURNS: [(&str, &str, &str, u64, u64); 4] = [
    ("Python, a thread per call on one Client", "python", "churn_threads", 5_000, 20 * 1024),
    ("Python, asyncio.run() per call on one AsyncClient", "python", "churn_loops", 2_000, 20 * 1024),
    ("Python, forked children using the parent's Client", "python", "churn_forks", 200, 20 * 1024),
    ("Node, a worker_thread per job, each with a Client", "node", "churn_workers", 500, 32 * 1024),
];

/// The descriptors a churn may add from a tenth of the way in to the end.
const CHURN_FD_SLACK: u64 = 10;

#[derive(Debug, Deserialize)]
struct Churned {
    runs: u64,
    seconds: f64,
    ok: u64,
    failed: u64,
    errors: Vec<String>,
    rss_warm_kb: u64,
    rss_end_kb: u64,
    fds_warm: u64,
    fds_end: u64,
}

#[derive(Debug, Deserialize)]
struct Figures {
    calls: u64,
    seconds: f64,
    ok: u64,
    posts_ok: u64,
    untyped: u64,
    typed: std::collections::BTreeMap<String, u64>,
    #[serde(default)]
    rss_1000_kb: u64,
    rss_end_kb: u64,
    #[serde(default)]
    fds_1000: u64,
    fds_end: u64,
}

pub fn run(quick: bool) -> Result<()> {
    let calls: u64 = if quick { 2_000 } else { 20_000 };
    let subjects = setup::prepare(!quick)?;
    let mock = RunningMock::start_with(&subjects.mock, KEY, "contracts=5", &["--chaos", "5"])?;
    println!("\n**Soak: {calls} calls at 64 in flight, 5 % injected faults** ({} build)\n", subjects.profile);
    println!(
        "| package | calls/s | ok | typed errors | untyped | POSTs ok / stored | RSS after 1,000 → end | fds after 1,000 → end |"
    );
    println!("|---|---:|---:|---|---:|---:|---:|---:|");
    let mut failures = Vec::new();
    for (language, driver, scenario) in VARIANTS {
        let prefix = format!("{scenario}-{driver}");
        let figures: Figures = drive(&subjects, driver, scenario, &mock.url, calls, &prefix)?;
        let stored = stored_contracts(&mock.url, &prefix)?;
        let typed: Vec<String> = figures.typed.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
        println!(
            "| {language} | {:.0} | {} | {} | {} | {} / {} | {} → {} KiB | {} → {} |",
            figures.calls as f64 / figures.seconds,
            figures.ok,
            typed.join(", "),
            figures.untyped,
            figures.posts_ok,
            stored.total,
            figures.rss_1000_kb,
            figures.rss_end_kb,
            figures.fds_1000,
            figures.fds_end
        );
        let outcomes = figures.ok + figures.typed.values().sum::<u64>() + figures.untyped;
        if outcomes != figures.calls {
            failures.push(format!("{language}: {outcomes} outcomes for {} calls", figures.calls));
        }
        if figures.untyped > 0 {
            failures.push(format!("{language}: {} calls ended in an error that is not toriihq's", figures.untyped));
        }
        if figures.fds_end > figures.fds_1000 + FD_SLACK {
            failures.push(format!(
                "{language}: open descriptors grew from {} after 1,000 calls to {} at the end",
                figures.fds_1000, figures.fds_end
            ));
        }
        if stored.duplicated > 0 {
            failures.push(format!("{language}: {} POSTs ran twice", stored.duplicated));
        }
        if stored.total < figures.posts_ok {
            failures.push(format!(
                "{language}: {} POSTs succeeded but {} contracts are stored",
                figures.posts_ok, stored.total
            ));
        }
    }
    drop(mock);
    failures.extend(churn(&subjects, quick)?);
    failures.extend(super::bulk_jobs::run_all(&subjects.mock, subjects.profile, quick)?);
    if !failures.is_empty() {
        bail!("the soak failed:\n{}", failures.join("\n"));
    }
    Ok(())
}

/// The churn runs, each in a fresh process against a mock without faults; returns what failed.
fn churn(subjects: &setup::Subjects, quick: bool) -> Result<Vec<String>> {
    let mock = RunningMock::start_with(&subjects.mock, KEY, "contracts=5,users=6", &[])?;
    println!("\n**Churn: clients through the threads, event loops, forks and workers that services have**\n");
    println!("| pattern | runs | ok | runs/s | RSS a tenth in → end | fds a tenth in → end |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut failures = Vec::new();
    for (pattern, driver, scenario, full_runs, rss_slack_kb) in CHURNS {
        let runs = if quick { full_runs / 5 } else { full_runs };
        let figures: Churned = drive(subjects, driver, scenario, &mock.url, runs, scenario)?;
        println!(
            "| {pattern} | {} | {} | {:.0} | {} → {} KiB | {} → {} |",
            figures.runs,
            figures.ok,
            figures.runs as f64 / figures.seconds,
            figures.rss_warm_kb,
            figures.rss_end_kb,
            figures.fds_warm,
            figures.fds_end
        );
        if figures.failed > 0 {
            failures.push(format!("{pattern}: {} runs failed: {}", figures.failed, figures.errors.join("; ")));
        }
        if figures.rss_end_kb > figures.rss_warm_kb + rss_slack_kb {
            failures.push(format!(
                "{pattern}: resident memory grew from {} to {} KiB (more than {rss_slack_kb} KiB)",
                figures.rss_warm_kb, figures.rss_end_kb
            ));
        }
        if figures.fds_end > figures.fds_warm + CHURN_FD_SLACK {
            failures.push(format!(
                "{pattern}: open descriptors grew from {} to {} (more than {CHURN_FD_SLACK})",
                figures.fds_warm, figures.fds_end
            ));
        }
    }
    Ok(failures)
}

/// A driver's process for one scenario of `calls` calls (or runs) against `url`.
fn command(subjects: &setup::Subjects, driver: &str, scenario: &str, url: &str, calls: u64, prefix: &str) -> Command {
    let root = crate::paths::root();
    let mut command = match driver {
        "python" => {
            let mut c = Command::new(&subjects.python);
            c.arg(root.join("bench/python/driver.py"));
            c
        }
        "node" => {
            let mut c = Command::new("node");
            c.arg(root.join("bench/node/driver.mjs")).env("TORIIHQ_NODE_PACKAGE", &subjects.node_package);
            c
        }
        _ => Command::new(&subjects.rust_driver),
    };
    command
        .args([scenario, "toriihq", "0", url, KEY])
        .env("TORIIHQ_SOAK_CALLS", calls.to_string())
        .env("TORIIHQ_SOAK_PREFIX", prefix);
    command
}

/// Runs a driver's scenario and reads the figures it prints last.
fn drive<T: serde::de::DeserializeOwned>(
    subjects: &setup::Subjects,
    driver: &str,
    scenario: &str,
    url: &str,
    calls: u64,
    prefix: &str,
) -> Result<T> {
    let output = command(subjects, driver, scenario, url, calls, prefix)
        .output()
        .with_context(|| format!("starting the {driver} {scenario}"))?;
    if !output.status.success() {
        bail!("the {driver} {scenario} failed ({}):\n{}", output.status, String::from_utf8_lossy(&output.stderr));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line).with_context(|| format!("reading the {driver} {scenario}'s figures: {line:?}"))
}

struct Stored {
    total: u64,
    duplicated: u64,
}

/// The contracts the soak created, by name: each POST's name is its own, so a name held twice ran twice.
fn stored_contracts(url: &str, prefix: &str) -> Result<Stored> {
    let (status, body) = super::mock::admin(url, "GET", "collection?path=/contracts")?;
    if status != 200 {
        bail!("the mock's contracts: {status} {body}");
    }
    let items: Vec<serde_json::Value> = serde_json::from_str(&body).context("reading the mock's contracts")?;
    let mut names = std::collections::HashMap::<String, u64>::new();
    for name in items.iter().filter_map(|item| item["name"].as_str()).filter(|n| n.starts_with(&format!("{prefix}-"))) {
        *names.entry(name.to_string()).or_default() += 1;
    }
    Ok(Stored { total: names.values().sum(), duplicated: names.values().filter(|n| **n > 1).count() as u64 })
}
