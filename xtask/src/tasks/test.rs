//! `cargo xtask test`: every check CI runs, in the order that fails fastest.

use anyhow::Result;

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
    println!("== Rust tests");
    // INSTA_UPDATE=no with CI set: a snapshot that differs fails instead of writing a .snap.new.
    // SAFETY of set_var: single-threaded at this point, before any child is spawned.
    unsafe {
        std::env::set_var("INSTA_UPDATE", "no");
        std::env::set_var("CI", "true");
    }
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
    println!("== all checks passed");
    Ok(())
}
