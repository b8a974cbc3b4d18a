//! `cargo xtask demo`: build the mock and the quickstart, start the mock on a free loopback port, run the
//! quickstart against it, stop the mock. No network beyond loopback.

use std::process::Command;

use anyhow::{Context, Result, bail};

use super::{cargo, run};
use crate::paths;

const DEMO_KEY: &str = "demo-key";

/// `POST /_mock/reset`.
fn reset(url: &str) -> Result<()> {
    match super::mock::admin(url, "POST", "reset")? {
        (204, _) => Ok(()),
        (status, body) => bail!("the mock did not reset ({status}): {body}"),
    }
}

pub fn run_all() -> Result<()> {
    let root = paths::root();
    let cargo = cargo();
    run(
        &root,
        &cargo,
        // Both targets named: `--example` alone limits cargo to examples and would skip the mock's binary.
        &[
            "build",
            "--quiet",
            "--package",
            "toriihq-mock",
            "--bin",
            "toriihq-mock",
            "--package",
            "toriihq",
            "--example",
            "quickstart",
        ],
    )?;
    let mock_binary = super::target_dir().join("debug/toriihq-mock");
    let mock = super::mock::RunningMock::start(&mock_binary, DEMO_KEY, "apps=250,users=40,contracts=5,audit=20")?;
    let url = mock.url.as_str();
    println!("toriihq-mock {url}");
    let status = Command::new(super::target_dir().join("debug/examples/quickstart"))
        .env("TORII_API_KEY", DEMO_KEY)
        .env("TORII_BASE_URL", url)
        .status()
        .context("running the quickstart")?;
    if !status.success() {
        bail!("the Rust quickstart failed ({status})");
    }
    println!("-- the same against the Python package (the mock reset to its seed first)");
    reset(url)?;
    super::python::develop()?;
    let status = Command::new(super::python::venv().join("bin/python"))
        .arg(root.join("bindings/python/examples/quickstart.py"))
        .env("TORII_API_KEY", DEMO_KEY)
        .env("TORII_BASE_URL", url)
        .status()
        .context("running the Python quickstart")?;
    if !status.success() {
        bail!("the Python quickstart failed ({status})");
    }
    println!("-- the same against the Node package (the mock reset to its seed first)");
    reset(url)?;
    super::node::build(false)?;
    let status = Command::new("node")
        .arg(root.join("bindings/node/examples/quickstart.js"))
        .env("TORII_API_KEY", DEMO_KEY)
        .env("TORII_BASE_URL", url)
        .status()
        .context("running the Node quickstart")?;
    drop(mock);
    if !status.success() {
        bail!("the Node quickstart failed ({status})");
    }
    println!("demo finished");
    Ok(())
}
