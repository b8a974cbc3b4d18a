//! The commands of `cargo xtask` (see `main.rs` for the list), and what they share: running a program, where
//! cargo builds, the mock binary.

pub mod bench;
pub mod bulk_jobs;
pub mod demo;
pub mod dist;
pub mod docs;
pub mod drift;
pub mod fuzz;
pub mod generate;
pub mod installed_cli;
pub mod mock;
pub mod native_build;
pub mod node;
pub mod python;
pub mod soak;
pub mod spec;
pub mod spec_diff;
pub mod test;
pub mod tls_fixture;

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Runs a command in `dir`, echoing it, and fails when it fails.
pub fn run(dir: &Path, program: &str, args: &[&str]) -> Result<()> {
    let shown = Path::new(program).file_name().and_then(|n| n.to_str()).unwrap_or(program);
    let root = crate::paths::root().to_string_lossy().into_owned();
    let echoed: Vec<String> = args.iter().map(|a| a.replace(&root, ".")).collect();
    println!("$ {shown} {}", echoed.join(" "));
    let status =
        Command::new(program).args(args).current_dir(dir).status().with_context(|| format!("starting {program}"))?;
    if !status.success() {
        bail!("`{shown} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Where cargo puts build output (respects CARGO_TARGET_DIR).
pub fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| crate::paths::root().join("target"))
}

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// The mock binary the Python and Node tests start (a debug build).
pub fn mock_binary() -> Result<std::path::PathBuf> {
    run(&crate::paths::root(), &cargo(), &["build", "--quiet", "--package", "toriihq-mock", "--bin", "toriihq-mock"])?;
    Ok(target_dir().join("debug/toriihq-mock"))
}
