//! `cargo xtask test`: every check CI runs, in the order that fails fastest.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{cargo, run};
use crate::paths;

/// One language's tests, for a quicker loop while working on it: `rust`, `python` or `node`.
pub fn run_part(part: &str) -> Result<()> {
    match part {
        "rust" => run(
            &paths::root(),
            &cargo(),
            &["test", "--workspace", "--exclude", "toriihq-python", "--exclude", "toriihq-node", "--no-fail-fast"],
        ),
        "python" => super::python::test(),
        "node" => super::node::test(),
        "docs" => super::docs::test(),
        other => anyhow::bail!("no test part {other:?}: rust, python, node or docs"),
    }
}

pub fn run_all() -> Result<()> {
    let root = paths::root();
    let cargo = cargo();
    println!("== generated files");
    super::generate::run(true)?;
    println!("== formatting");
    run(&root, &cargo, &["fmt", "--all", "--check"])?;
    println!("== lints");
    run(&root, &cargo, &["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"])?;
    // The Python module built for one Python (its decoder's calls outside the stable ABI).
    let python_module = ["clippy", "-p", "toriihq-python", "--no-default-features", "--quiet", "--", "-D", "warnings"];
    run(&root, &cargo, &python_module)?;
    println!("== Rust tests");
    // INSTA_UPDATE=no with CI set: a snapshot that differs fails instead of writing a .snap.new.
    // SAFETY of set_var: single-threaded at this point, before any child is spawned.
    unsafe {
        std::env::set_var("INSTA_UPDATE", "no");
        std::env::set_var("CI", "true");
    }
    let temp = own_temp_dir()?;
    run(
        &root,
        &cargo,
        &["test", "--workspace", "--exclude", "toriihq-python", "--exclude", "toriihq-node", "--no-fail-fast"],
    )?;
    println!("== Python package");
    super::python::test()?;
    println!("== Node package");
    super::node::test()?;
    println!("== Every code block of the docs");
    super::docs::test()?;
    println!("== Nothing left in the temporary folder");
    nothing_left_in(&temp)?;
    println!("== all checks passed");
    Ok(())
}

/// From here on every process gets a temporary folder of the run's own, emptied first: what a test leaves in it
/// would pile up in the temporary folder of every machine that runs the tests.
fn own_temp_dir() -> Result<PathBuf> {
    let dir = super::target_dir().join("test-tmp");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("emptying {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir)?;
    // SAFETY of set_var: single-threaded at this point, no child running.
    unsafe {
        for name in ["TMPDIR", "TMP", "TEMP"] {
            std::env::set_var(name, &dir);
        }
    }
    Ok(dir)
}

/// Fails naming what the tests left, apart from pytest's own folder (it keeps its last three runs' `tmp_path`s).
fn nothing_left_in(dir: &Path) -> Result<()> {
    let mut left: Vec<String> = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<std::io::Result<_>>()?;
    left.retain(|name| !name.starts_with("pytest-of-"));
    left.sort();
    anyhow::ensure!(left.is_empty(), "the tests left {} in {}: {}", left.len(), dir.display(), left.join(", "));
    Ok(())
}
