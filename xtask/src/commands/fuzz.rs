//! `cargo xtask fuzz [CASES]`: the decoders under many more generated inputs than CI gives them — the core's
//! page-key scanner and typed decode against serde_json (property tests, release build), and the Python package's
//! decoder against `json.loads`. CI runs the same tests with a few thousand cases each.

use std::process::Command;

use anyhow::{Context, Result, bail};

use super::{cargo, python, run};
use crate::paths;

pub const DEFAULT_CASES: u64 = 1_000_000;

pub fn run_all(cases: u64) -> Result<()> {
    let started = std::time::Instant::now();
    let cases_text = cases.to_string();
    // SAFETY of set_var: single-threaded here, before any child is spawned.
    unsafe { std::env::set_var("PROPTEST_CASES", &cases_text) };
    run(&paths::root(), &cargo(), &["test", "--release", "-p", "toriihq", "--test", "decoders_under_fuzz"])?;
    python::develop()?;
    println!("$ pytest tests/test_decoder_fuzz.py (TORIIHQ_FUZZ_CASES={cases})");
    let status = Command::new(python::venv().join("bin/python"))
        .args(["-m", "pytest", "-q", "tests/test_decoder_fuzz.py"])
        .current_dir(paths::root().join("bindings/python"))
        .env("TORIIHQ_FUZZ_CASES", &cases_text)
        .status()
        .context("running pytest")?;
    if !status.success() {
        bail!("the Python decoder disagreed with json.loads ({status})");
    }
    println!(
        "fuzzed {cases} cases per property in {:.0} s: no crash, no disagreement",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
