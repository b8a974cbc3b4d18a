//! `cargo xtask demo`: build the mock and the quickstart, start the mock on a free loopback port, run the
//! quickstart against it, stop the mock. No network beyond loopback.

use std::process::Command;

use anyhow::{Context, Result, bail};

use super::{cargo, run};
use crate::paths;

const DEMO_KEY: &str = "demo-key";

/// `POST /_mock/reset`, with a plain socket: xtask has no HTTP client of its own.
fn reset(url: &str) -> Result<()> {
    use std::io::{Read, Write};
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address)?;
    write!(stream, "POST /_mock/reset HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    if !answer.starts_with("HTTP/1.1 204") {
        bail!("the mock did not reset: {}", answer.lines().next().unwrap_or_default());
    }
    Ok(())
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
