//! `cargo xtask fuzz [CASES | --quick]`: the decoders under many more generated inputs than `cargo xtask test`
//! gives them — the core's page-key scanner and typed decode against serde_json (property tests, release build),
//! the Python package's decoder against `json.loads`, the Node package's against a strict `JSON.parse` — then what
//! the client sends (path ids that try to leave their segment, raw request paths that try to leave the base URL,
//! redirects that try to take the key elsewhere),
//! and then the mock under an independent fuzzer: schemathesis against the document each spec version's mock
//! serves, where any server error or answer that breaks its own schema fails the run. `--quick` (what CI runs)
//! keeps the decoders and request properties at the test suite's sizes and gives schemathesis 10 examples per
//! operation.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::mock::RunningMock;
use super::{cargo, mock_binary, node, python, run, target_dir};
use crate::paths;

pub const DEFAULT_CASES: u64 = 1_000_000;
const NODE_MAX_CASES: u64 = 100_000;
/// Each case of the request properties is a few loopback round trips (about 3 ms), so they get at most this many.
const REQUEST_MAX_CASES: u64 = 20_000;
const KEY: &str = "fuzz-key";
/// Every spec version the mock can serve: the docs spec it embeds, and the 1.1.0 one it can be given.
const SPEC_VERSIONS: [&str; 2] = ["2026-03", "1.1.0"];

pub struct Plan {
    /// Cases per decoder property; `None` leaves the test suite's own.
    pub decoder_cases: Option<u64>,
    pub schemathesis_examples: u32,
}

impl Plan {
    pub fn full(cases: u64) -> Plan {
        Plan { decoder_cases: Some(cases), schemathesis_examples: 100 }
    }

    pub fn quick() -> Plan {
        Plan { decoder_cases: None, schemathesis_examples: 10 }
    }
}

pub fn run_all(plan: Plan) -> Result<()> {
    let started = std::time::Instant::now();
    if let Some(cases) = plan.decoder_cases {
        decoders(cases)?;
    }
    requests(plan.decoder_cases.map(|cases| cases.min(REQUEST_MAX_CASES)))?;
    for version in SPEC_VERSIONS {
        schemathesis(version, plan.schemathesis_examples)?;
    }
    println!(
        "fuzzed in {:.0} s: no crash, no disagreement, no server error, no answer off its schema",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The properties of what the client sends, against servers that record every byte: a path id stays one segment
/// (or is refused), a raw request's path stays under the base URL (or is refused), and the key never follows a
/// redirect off the API's origin. `None` keeps the suite's counts.
fn requests(cases: Option<u64>) -> Result<()> {
    let mut command = Command::new(cargo());
    command.args([
        "test",
        "--release",
        "-p",
        "toriihq-tests",
        "--test",
        "client",
        "--",
        "paths::",
        "request::",
        "redirects::",
    ]);
    if let Some(cases) = cases {
        command.env("PROPTEST_CASES", cases.to_string());
    }
    println!(
        "$ cargo test --release -p toriihq-tests --test client -- paths:: request:: redirects:: (PROPTEST_CASES={})",
        cases.map_or("the suite's".into(), |c| c.to_string())
    );
    let status = command.current_dir(paths::root()).status().context("running cargo test")?;
    if !status.success() {
        bail!("a path left the base URL or its segment, or the key followed a redirect ({status})");
    }
    Ok(())
}

fn decoders(cases: u64) -> Result<()> {
    let cases_text = cases.to_string();
    // SAFETY of set_var: single-threaded here, before any child is spawned.
    unsafe { std::env::set_var("PROPTEST_CASES", &cases_text) };
    run(&paths::root(), &cargo(), &["test", "--release", "-p", "toriihq", "--test", "decoders_under_fuzz"])?;
    python::develop()?;
    let python = python::venv().join("bin/python");
    let pytest = ["-m", "pytest", "-q", "tests/test_decoder_fuzz.py"];
    package_fuzz("python", &python.to_string_lossy(), &pytest, cases, "the Python decoder disagreed with json.loads")?;
    node::build(false)?;
    // Each Node case is a round trip to a loopback server (about 0.6 ms), so it gets at most 100,000.
    let node_test = ["--test", "test/decoder_fuzz.test.js"];
    package_fuzz("node", "node", &node_test, cases.min(NODE_MAX_CASES), "the Node decoder disagreed with JSON.parse")
}

/// A package's decoder test in `bindings/<package>`, given `cases` through `TORIIHQ_FUZZ_CASES`.
fn package_fuzz(package: &str, program: &str, args: &[&str], cases: u64, failure: &str) -> Result<()> {
    let shown = std::path::Path::new(program).file_name().map_or(program.into(), |name| name.to_string_lossy());
    println!("$ {shown} {} (TORIIHQ_FUZZ_CASES={cases})", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(paths::root().join("bindings").join(package))
        .env("TORIIHQ_FUZZ_CASES", cases.to_string())
        .status()
        .with_context(|| format!("running {program}"))?;
    if !status.success() {
        bail!("{failure} ({status})");
    }
    Ok(())
}

/// schemathesis in a venv of its own (its pinned version in xtask/fuzz-requirements.txt).
fn schemathesis_venv() -> Result<PathBuf> {
    let venv = target_dir().join("schemathesis-venv");
    if !venv.join("bin/python").exists() {
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        run(&paths::root(), &python, &["-m", "venv", &venv.to_string_lossy()])?;
    }
    let requirements = paths::root().join("xtask/fuzz-requirements.txt");
    let python = venv.join("bin/python").to_string_lossy().into_owned();
    run(&paths::root(), &python, &["-m", "pip", "install", "--quiet", "-r", &requirements.to_string_lossy()])?;
    Ok(venv)
}

/// Every phase (examples, coverage, fuzzing, stateful) on every operation, one worker (hypothesis describes its
/// strategies unsafely across threads), a fixed seed so a failure repeats, and no example database left behind.
fn schemathesis(version: &str, examples: u32) -> Result<()> {
    let venv = schemathesis_venv()?;
    let spec = paths::root().join("spec/torii").join(version);
    let spec_text = spec.to_string_lossy().into_owned();
    let mock = RunningMock::start_with(&mock_binary()?, KEY, "10", &["--spec", &spec_text])?;
    let examples = examples.to_string();
    let header = format!("Authorization: Bearer {KEY}");
    let document = format!("{}/_mock/openapi.json", mock.url);
    println!("$ st run <the {version} mock's document> --max-examples {examples}");
    let status = Command::new(venv.join("bin/st"))
        .args(["run", &document, "--url", &mock.url, "--header", &header])
        .args(["--checks", "not_a_server_error,response_schema_conformance"])
        .args(["--max-examples", &examples, "--workers", "1", "--seed", "1"])
        .args(["--generation-database", "none", "--no-color"])
        .current_dir(target_dir())
        .status()
        .context("running schemathesis")?;
    if !status.success() {
        bail!("schemathesis found a server error or an answer off its schema in the {version} mock ({status})");
    }
    Ok(())
}
