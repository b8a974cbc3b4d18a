//! `cargo xtask demo`: build the mock and the quickstart, start the mock on a free loopback port, run the
//! quickstart against it, stop the mock. No network beyond loopback.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, Result, bail};

use super::{cargo, run};
use crate::paths;

const DEMO_KEY: &str = "demo-key";

struct Mock(Child);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run_all() -> Result<()> {
    let root = paths::root();
    let cargo = cargo();
    run(
        &root,
        &cargo,
        &["build", "--quiet", "--package", "toriihq-mock", "--package", "toriihq", "--example", "quickstart"],
    )?;
    let mock_binary = super::target_dir().join("debug/toriihq-mock");
    let mut child = Command::new(&mock_binary)
        .args(["--port", "0", "--api-key", DEMO_KEY, "--seed", "apps=250,users=40,contracts=5,audit=20"])
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", mock_binary.display()))?;
    let stdout = child.stdout.take().context("mock stdout")?;
    let mock = Mock(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let Some(url) = line.trim().strip_prefix("listening on ") else {
        bail!("the mock did not start: {line:?}");
    };
    println!("toriihq-mock {url}");
    let status = Command::new(super::target_dir().join("debug/examples/quickstart"))
        .env("TORII_API_KEY", DEMO_KEY)
        .env("TORII_BASE_URL", url)
        .status()
        .context("running the quickstart")?;
    drop(mock);
    if !status.success() {
        bail!("the quickstart failed ({status})");
    }
    println!("demo finished");
    Ok(())
}
