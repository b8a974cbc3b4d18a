//! The Python package: a venv of our own under target/, maturin to build into it, and the checks.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::{run, target_dir};
use crate::paths;

pub fn venv() -> PathBuf {
    target_dir().join("python-venv")
}

fn venv_bin(tool: &str) -> String {
    venv().join("bin").join(tool).to_string_lossy().into_owned()
}

fn python_dir() -> PathBuf {
    paths::root().join("bindings/python")
}

/// Creates the venv (once) and installs the pinned tools into it.
pub fn ensure_venv() -> Result<()> {
    let venv = venv();
    if !venv.join("bin/python").exists() {
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        run(&paths::root(), &python, &["-m", "venv", &venv.to_string_lossy()])?;
    }
    let requirements = python_dir().join("requirements-dev.txt");
    run(
        &paths::root(),
        &venv_bin("python"),
        &["-m", "pip", "install", "--quiet", "-r", &requirements.to_string_lossy()],
    )
}

/// Builds the extension into the venv (debug, as tests want it).
pub fn develop() -> Result<()> {
    ensure_venv()?;
    // For this Python, as pip installs it here (the version-specific wheel, not the abi3 one).
    let status = Command::new(venv_bin("maturin"))
        .args(["develop", "--quiet", "--no-default-features"])
        .current_dir(python_dir())
        .env("VIRTUAL_ENV", venv())
        .status()
        .context("running maturin")?;
    if !status.success() {
        bail!("maturin develop failed ({status})");
    }
    Ok(())
}

/// pytest against the mock, ruff, mypy --strict on the typed usage file (and on a file of deliberate errors,
/// which must fail on each marked line), and stubtest.
pub fn test() -> Result<()> {
    develop()?;
    let mock = super::mock_binary()?;
    let tls = super::tls_fixture::write()?;
    let dir = python_dir();
    println!("$ pytest");
    let status = Command::new(venv_bin("python"))
        .args(["-m", "pytest", "-q", "tests"])
        .current_dir(&dir)
        .env("TORIIHQ_MOCK_BIN", &mock)
        .env(super::tls_fixture::ENV, &tls)
        .status()
        .context("running pytest")?;
    if !status.success() {
        bail!("pytest failed ({status})");
    }
    println!("$ pytest -k 'async or asyncio or bridge', through the waker thread (a loop without add_reader)");
    let status = Command::new(venv_bin("python"))
        .args(["-m", "pytest", "-q", "tests", "-k", "async or asyncio or bridge"])
        .current_dir(&dir)
        .env("TORIIHQ_MOCK_BIN", &mock)
        .env(super::tls_fixture::ENV, &tls)
        .env("TORIIHQ_ASYNCIO_WAKER", "thread")
        .status()
        .context("running pytest")?;
    if !status.success() {
        bail!("the asyncio tests failed through the waker thread ({status})");
    }
    let ruffed = [
        "check",
        "python",
        "tests",
        "typecheck",
        "examples",
        "build_backend",
        "../../examples/python",
        "../../bench/python",
    ];
    run(&dir, &venv_bin("ruff"), &ruffed)?;
    let checked = [
        "typecheck/usage.py",
        "examples/quickstart.py",
        "examples/own_tests/test_offboard.py",
        "../../examples/python/offboard_leavers.py",
        "../../examples/python/nightly_sync.py",
        "../../examples/python/audit_to_csv.py",
        "../../examples/python/access_review.py",
    ];
    run(&dir, &venv_bin("mypy"), &[&["--strict"][..], &checked[..]].concat())?;
    deliberate_errors_are_reported()?;
    run(&dir, &venv_bin("python"), &["-m", "mypy.stubtest", "toriihq", "--allowlist", "stubtest-allowlist.txt"])?;
    installed_package_runs_a_users_tests()
}

/// The package as a user gets it: its abi3 wheel (the tests above ran the version-specific build) in a fresh venv
/// beside pytest alone, running `examples/own_tests` (a user's job and its tests on `toriihq.testing`'s fixture)
/// and the decoder's fuzz tests from a folder outside the source tree, and its `toriihq` console script.
fn installed_package_runs_a_users_tests() -> Result<()> {
    let dir = python_dir();
    let user = target_dir().join("python-user");
    let _ = std::fs::remove_dir_all(&user);
    let (wheels, venv, work) = (user.join("wheels"), user.join("venv"), user.join("work"));
    std::fs::create_dir_all(&work)?;
    run(&dir, &venv_bin("maturin"), &["build", "--quiet", "--out", &wheels.to_string_lossy()])?;
    let wheel = std::fs::read_dir(&wheels)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| path.extension().is_some_and(|e| e == "whl"))
        .context("maturin built no wheel")?;
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    run(&user, &python, &["-m", "venv", &venv.to_string_lossy()])?;
    let pytest = std::fs::read_to_string(dir.join("requirements-dev.txt"))?
        .lines()
        .find(|line| line.starts_with("pytest=="))
        .context("requirements-dev.txt pins no pytest")?
        .to_string();
    let user_python = venv.join("bin/python").to_string_lossy().into_owned();
    run(&user, &user_python, &["-m", "pip", "install", "--quiet", &wheel.to_string_lossy(), &pytest])?;
    for file in ["offboard.py", "test_offboard.py"] {
        std::fs::copy(dir.join("examples/own_tests").join(file), work.join(file))?;
    }
    std::fs::copy(dir.join("tests/test_decoder_fuzz.py"), work.join("test_decoder_fuzz.py"))?;
    run(&work, &user_python, &["-m", "pytest", "-q", "-p", "no:cacheprovider"])?;
    super::installed_cli::check(&venv.join("bin/toriihq"))
}

/// `typecheck/wrong.py` marks lines with `# error`: mypy must report exactly those lines.
fn deliberate_errors_are_reported() -> Result<()> {
    let dir = python_dir();
    let source = std::fs::read_to_string(dir.join("typecheck/wrong.py"))?;
    let expected: Vec<usize> =
        source.lines().enumerate().filter(|(_, l)| l.contains("# error:")).map(|(i, _)| i + 1).collect();
    let output = Command::new(venv_bin("mypy")).args(["--strict", "typecheck/wrong.py"]).current_dir(&dir).output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut reported: Vec<usize> =
        text.lines().filter(|l| l.contains(": error:")).filter_map(|l| l.split(':').nth(1)?.parse().ok()).collect();
    reported.dedup();
    if reported != expected {
        bail!("mypy should report lines {expected:?} of typecheck/wrong.py, it reported {reported:?}:\n{text}");
    }
    println!("mypy reports every deliberate type error ({} lines)", expected.len());
    Ok(())
}
