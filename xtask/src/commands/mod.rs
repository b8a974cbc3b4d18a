pub mod dist;
pub mod generate;
pub mod test;

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Runs a command in `dir`, echoing it, and fails when it fails.
pub fn run(dir: &Path, program: &str, args: &[&str]) -> Result<()> {
    println!("$ {program} {}", args.join(" "));
    let status =
        Command::new(program).args(args).current_dir(dir).status().with_context(|| format!("starting {program}"))?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}
