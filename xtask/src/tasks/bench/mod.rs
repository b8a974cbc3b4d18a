//! `cargo xtask bench [--quick]`: each toriihq package against the clients its users would pick instead, in one
//! run on one machine, reported as ratios with their spread. Every measurement is a fresh process doing the same
//! work (the HTTP call and the JSON decoded into native objects) against one `toriihq-mock`.

mod files;
mod report;
pub(crate) mod setup;

use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::tasks::mock::RunningMock;
use report::{Measured, Sample, Table, Unit};
use setup::Subjects;

const KEY: &str = "bench-key";
const USERS: u64 = 100_000;
const FEWER_USERS: u64 = 10_000;
const APPS: u64 = 1_000;
/// What every page asks for, in every language: the default fields of a user (of an app: owner, licenses) and
/// two custom fields, which Torii returns when they are asked for — the real 2026-03 shapes, custom fields present.
const USER_FIELDS: &str = "idOrg,firstName,lastName,email,creationTime,idRole,lifecycleStatus,\
isDeletedInIdentitySources,isExternal,activeAppsCount,role,additionalEmails,department,costCenter";
const APP_FIELDS: &str = "id,name,primaryOwner,state,category,url,description,tags,isHidden,businessUnit,costCenter";

#[derive(Clone, Copy, PartialEq)]
pub enum Language {
    Python,
    Node,
    Rust,
}

impl Language {
    fn from_name(name: &str) -> Option<Self> {
        [Language::Python, Language::Node, Language::Rust].into_iter().find(|l| l.name().eq_ignore_ascii_case(name))
    }

    fn name(self) -> &'static str {
        match self {
            Language::Python => "Python",
            Language::Node => "Node",
            Language::Rust => "Rust",
        }
    }
}

struct Plan {
    rounds: usize,
    seconds: f64,
}

/// Who runs which scenario, toriihq first. Peers use one reused client with keep-alive, as their docs advise.
/// `X+orjson` is client X decoding with orjson; `reqwest+typed` decodes into hand-written structs.
fn clients(scenario: &str, language: Language) -> &'static [&'static str] {
    match (scenario, language) {
        ("sequential" | "page" | "page_apps" | "paginate", Language::Python) => {
            &["toriihq", "pyreqwest+orjson", "httpx+orjson", "pyreqwest", "httpx", "requests", "openapi-python-client"]
        }
        ("in_flight", Language::Python) => &["toriihq", "pyreqwest", "aiohttp", "httpx", "openapi-python-client"],
        ("decode", Language::Python) => &["toriihq", "orjson", "json"],
        ("first_call", Language::Python) => &["toriihq", "pyreqwest", "httpx", "requests"],
        ("import", Language::Python) => {
            &["toriihq", "pyreqwest", "httpx", "requests", "aiohttp", "openapi-python-client"]
        }
        ("import", Language::Node) => &["toriihq", "undici", "openapi-fetch"],
        ("decode", Language::Node) => &["toriihq", "JSON.parse(utf8 bytes)"],
        ("first_call", Language::Node) => &["toriihq", "undici", "fetch"],
        ("import", Language::Rust) => &[],
        (_, Language::Node) => &["toriihq", "undici+JSON.parse", "undici", "fetch", "openapi-fetch"],
        ("sequential" | "in_flight" | "first_call", Language::Rust) => &["toriihq", "reqwest"],
        (_, Language::Rust) => &["toriihq", "reqwest+typed", "reqwest"],
        _ => &[],
    }
}

/// Every scenario of every language (or of `only`), then the memory tables and `cargo xtask generate`'s time.
pub fn run(quick: bool, only: Option<&str>) -> Result<()> {
    let only = only.map(|name| Language::from_name(name).context("no such language")).transpose()?;
    let started = Instant::now();
    let plan = if quick { Plan { rounds: 1, seconds: 0.2 } } else { Plan { rounds: 5, seconds: 2.0 } };
    let subjects = setup::prepare(!quick)?;
    let built = started.elapsed().as_secs_f64();
    let seed = format!("users={USERS},apps={APPS},contracts=5");
    let mock = RunningMock::start(&subjects.mock, KEY, &seed)?;
    let mut tables = Vec::new();
    let languages: Vec<Language> = [Language::Python, Language::Node, Language::Rust]
        .into_iter()
        .filter(|l| only.is_none_or(|o| o == *l))
        .collect();
    let scenarios = [
        ("sequential", "sequential getContract (259 B body)", Unit::PerSecond("calls/s")),
        ("in_flight", "64 getContract calls in flight", Unit::PerSecond("calls/s")),
        ("page", "one page of 1,000 users with 2 custom fields (381 KB) to native objects", Unit::PerSecond("pages/s")),
        (
            "page_apps",
            "one page of 1,000 apps with owner, licenses and 2 custom fields (1.3 MB) to native objects",
            Unit::PerSecond("pages/s"),
        ),
        (
            "decode",
            "decoding only: the 1,000-user page's bytes, in memory, to native objects",
            Unit::PerSecond("pages/s"),
        ),
        ("paginate", "every user of 100,000, 1,000 per page", Unit::PerSecond("items/s")),
        ("first_call", "import, client set-up and the first call, in a fresh process", Unit::Milliseconds),
        ("import", "import / require in a fresh process", Unit::Milliseconds),
    ];
    for (scenario, title, unit) in scenarios {
        for &language in &languages {
            let names = clients(scenario, language);
            if names.is_empty() {
                continue;
            }
            let mut measured: Vec<Measured> = names.iter().map(|n| Measured::new(n)).collect();
            for round in 0..plan.rounds {
                // Rotate the order each round so no client always runs first (warm caches, CPU boost).
                for offset in 0..names.len() {
                    let index = (offset + round) % names.len();
                    let run = Run {
                        language,
                        scenario,
                        client: names[index],
                        seconds: plan.seconds,
                        users: USERS,
                        file: None,
                    };
                    let sample = measure(&subjects, &run, &mock.url)?;
                    measured[index].samples.push(sample);
                }
            }
            let table = Table::new(scenario, title, language.name(), unit, measured);
            table.print();
            tables.push(table);
        }
    }
    if only.is_none() {
        let memory = memory_against_total(&subjects, &plan, &mock)?;
        memory.print();
        tables.push(memory);
        for table in files::memory_against_size(&subjects, quick, &mock.url)? {
            table.print();
            tables.push(table);
        }
        drop(mock);
        let generate = time_generate(plan.rounds)?;
        generate.print();
        tables.push(generate);
    }
    let name = match (quick, only) {
        (true, _) => "quick".to_string(),
        (false, None) => "full".to_string(),
        (false, Some(language)) => language.name().to_ascii_lowercase(),
    };
    let path = report::write(&tables, &name, subjects.profile, built, started.elapsed().as_secs_f64())?;
    println!(
        "\nfigures written to {} ({} build; whole run {:.0} s)",
        path.display(),
        subjects.profile,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The file jobs' memory tables alone, at full size on the shipped build (a few minutes, not the whole bench's).
pub fn run_files() -> Result<()> {
    let subjects = setup::prepare(true)?;
    let mock = RunningMock::start(&subjects.mock, KEY, "none")?;
    for table in files::memory_against_size(&subjects, false, &mock.url)? {
        table.print();
    }
    Ok(())
}

/// One driver run: `users` is how many the mock holds, which a walk through every page must see; `file` is what
/// an upload or a sync sends, and the app account it syncs.
struct Run<'a> {
    language: Language,
    scenario: &'a str,
    client: &'a str,
    seconds: f64,
    users: u64,
    file: Option<(&'a std::path::Path, u64)>,
}

fn measure(subjects: &Subjects, run: &Run<'_>, url: &str) -> Result<Sample> {
    let Run { language, scenario, client, users, .. } = *run;
    let seconds = run.seconds.to_string();
    let args = [scenario, client, seconds.as_str(), url, KEY];
    let mut command = match language {
        Language::Python => {
            let mut c = Command::new(&subjects.python);
            c.arg(crate::paths::root().join("bench/python/driver.py")).env("PYTHONPATH", &subjects.python_path);
            c
        }
        Language::Node => {
            let mut c = Command::new("node");
            c.arg(crate::paths::root().join("bench/node/driver.mjs"))
                .env("TORIIHQ_NODE_PACKAGE", &subjects.node_package);
            c
        }
        Language::Rust => Command::new(&subjects.rust_driver),
    };
    if let Some((file, account)) = run.file {
        command.env("TORIIHQ_BENCH_FILE", file).env("TORIIHQ_BENCH_ACCOUNT", account.to_string());
    }
    command.env("TORIIHQ_BENCH_USER_FIELDS", USER_FIELDS).env("TORIIHQ_BENCH_APP_FIELDS", APP_FIELDS);
    let output = command.args(args).output().with_context(|| format!("starting the {} driver", language.name()))?;
    if !output.status.success() {
        bail!(
            "{} {scenario} with {client} failed ({}):\n{}",
            language.name(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    let sample: Sample = serde_json::from_str(line).with_context(|| format!("reading {client}'s figures: {line:?}"))?;
    if scenario == "paginate" && sample.count != users {
        bail!("{} {client} saw {} users, not {users}", language.name(), sample.count);
    }
    Ok(sample)
}

/// Peak RSS of toriihq paging through 10,000 and 100,000 users: it must not grow with the total.
fn memory_against_total(subjects: &Subjects, plan: &Plan, mock: &RunningMock) -> Result<Table> {
    let fewer = RunningMock::start(&subjects.mock, KEY, &format!("users={FEWER_USERS}"))?;
    let mut rows = Vec::new();
    for language in [Language::Python, Language::Node, Language::Rust] {
        let mut small = Measured::new(&format!("{} at {FEWER_USERS} users", language.name()));
        let mut large = Measured::new(&format!("{} at {USERS} users", language.name()));
        for _ in 0..plan.rounds.min(3) {
            let run = |users| Run {
                language,
                scenario: "paginate",
                client: "toriihq",
                seconds: plan.seconds,
                users,
                file: None,
            };
            small.samples.push(measure(subjects, &run(FEWER_USERS), &fewer.url)?);
            large.samples.push(measure(subjects, &run(USERS), &mock.url)?);
        }
        rows.push(small);
        rows.push(large);
    }
    Ok(Table::new(
        "paginate_memory",
        "toriihq's peak RSS against the number of users paged",
        "all",
        Unit::PeakRss,
        rows,
    ))
}

/// `cargo xtask generate`, run as a newcomer would, timed end to end.
fn time_generate(rounds: usize) -> Result<Table> {
    let mut measured = Measured::new("cargo xtask generate");
    for _ in 0..rounds {
        let started = Instant::now();
        // Its own report ("wrote …" per file) would land in the middle of the bench's tables.
        let output = Command::new(crate::tasks::cargo())
            .args(["xtask", "generate"])
            .current_dir(crate::paths::root())
            .output()
            .context("running cargo xtask generate")?;
        if !output.status.success() {
            bail!("cargo xtask generate failed ({}):\n{}", output.status, String::from_utf8_lossy(&output.stderr));
        }
        measured.samples.push(Sample { count: 1, seconds: started.elapsed().as_secs_f64(), rss_kb: 0 });
    }
    Ok(Table::new("generate", "spec → every generated file", "all", Unit::Milliseconds, vec![measured]))
}
