//! The Node package: npm dependencies from the lock file, `napi build` for the addon, and the checks.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::run;
use crate::paths;

pub fn node_dir() -> PathBuf {
    paths::root().join("bindings/node")
}

fn bin(tool: &str) -> String {
    node_dir().join("node_modules/.bin").join(tool).to_string_lossy().into_owned()
}

/// Installs the pinned tools when node_modules is missing. Not `npm ci`: npm 11 leaves other platforms'
/// optional packages of @napi-rs/cli out of the lock file and then refuses it in `npm ci`; `npm install` with the
/// lock installs the same versions, and a lock it would rewrite fails here instead.
pub fn ensure_dependencies() -> Result<()> {
    if node_dir().join("node_modules/.bin/napi").exists() {
        return Ok(());
    }
    let lock = node_dir().join("package-lock.json");
    let pinned = std::fs::read_to_string(&lock).context("bindings/node/package-lock.json")?;
    run(&node_dir(), "npm", &["install", "--no-audit", "--no-fund"])?;
    if std::fs::read_to_string(&lock)? != pinned {
        bail!("`npm install` changed bindings/node/package-lock.json; review and commit it");
    }
    Ok(())
}

/// Builds the addon. napi also writes the loader and its `.d.ts`; they are committed, so a build that changes
/// them (a newer CLI, a changed native API) fails here until the change is reviewed and committed.
pub fn build(release: bool) -> Result<()> {
    ensure_dependencies()?;
    let generated = ["native.js", "native.d.ts"];
    let before: Vec<String> =
        generated.iter().map(|f| std::fs::read_to_string(node_dir().join(f)).unwrap_or_default()).collect();
    let mut args = vec!["build", "--platform", "--js", "native.js", "--dts", "native.d.ts"];
    if release {
        args.push("--release");
    }
    run(&node_dir(), &bin("napi"), &args)?;
    for (file, old) in generated.iter().zip(before) {
        let new = std::fs::read_to_string(node_dir().join(file))?;
        if !old.is_empty() && old != new && std::env::var_os("TORIIHQ_ACCEPT_NAPI_OUTPUT").is_none() {
            bail!(
                "`napi build` changed bindings/node/{file}; review and commit it (set TORIIHQ_ACCEPT_NAPI_OUTPUT=1 to accept)"
            );
        }
    }
    Ok(())
}

/// node --test against the mock, tsc --strict on the typed usage file, and tsc reporting each deliberate error.
pub fn test() -> Result<()> {
    build(false)?;
    let mock = super::python::mock_binary()?;
    println!("$ node --test test/");
    let status = Command::new("node")
        .args(["--test", "test/"])
        .current_dir(node_dir())
        .env("TORIIHQ_MOCK_BIN", &mock)
        .status()
        .context("running node")?;
    if !status.success() {
        bail!("node tests failed ({status})");
    }
    run(&node_dir(), &bin("tsc"), &["-p", "tsconfig.json"])?;
    deliberate_errors_are_reported()
}

fn deliberate_errors_are_reported() -> Result<()> {
    let source = std::fs::read_to_string(node_dir().join("typecheck/wrong.ts"))?;
    let expected: Vec<usize> =
        source.lines().enumerate().filter(|(_, l)| l.contains("// error:")).map(|(i, _)| i + 1).collect();
    let output = Command::new(bin("tsc"))
        .args(["--noEmit", "--strict", "--types", "node", "typecheck/wrong.ts"])
        .current_dir(node_dir())
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut reported: Vec<usize> = text
        .lines()
        .filter_map(|l| l.strip_prefix("typecheck/wrong.ts("))
        .filter_map(|l| l.split(',').next()?.parse().ok())
        .collect();
    reported.dedup();
    if reported != expected {
        bail!("tsc should report lines {expected:?} of typecheck/wrong.ts, it reported {reported:?}:\n{text}");
    }
    println!("tsc reports every deliberate type error ({} lines)", expected.len());
    Ok(())
}

/// `npm pack` into dist/, then an offline install of the tarball into a fresh folder that loads it both ways.
pub fn pack(dist: &std::path::Path) -> Result<()> {
    build(true)?;
    run(&node_dir(), "npm", &["pack", "--pack-destination", &dist.to_string_lossy()])?;
    let tarball = dist.join(format!("toriihq-{}.tgz", env!("CARGO_PKG_VERSION")));
    let check = super::target_dir().join("npm-install-check");
    let _ = std::fs::remove_dir_all(&check);
    std::fs::create_dir_all(&check)?;
    std::fs::write(check.join("package.json"), "{\"name\": \"install-check\", \"private\": true}\n")?;
    run(&check, "npm", &["install", "--offline", "--no-audit", "--no-fund", &tarball.to_string_lossy()])?;
    run(&check, "node", &["-e", "const t = require('toriihq'); console.log('require', typeof t.Client)"])?;
    run(
        &check,
        "node",
        &["--input-type=module", "-e", "import { Client } from 'toriihq'; console.log('import', typeof Client)"],
    )?;
    println!("dist/{}", tarball.file_name().unwrap_or_default().to_string_lossy());
    Ok(())
}
