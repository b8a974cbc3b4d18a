//! A `toriihq-mock` started on a port the OS picks, stopped when dropped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use anyhow::{Context, Result, bail};

pub struct RunningMock {
    child: Child,
    pub url: String,
}

impl RunningMock {
    pub fn start(binary: &Path, api_key: &str, seed: &str) -> Result<Self> {
        Self::start_with(binary, api_key, seed, &[])
    }

    /// As [`RunningMock::start`], with more of the mock's flags (`--chaos 5`).
    pub fn start_with(binary: &Path, api_key: &str, seed: &str, more: &[&str]) -> Result<Self> {
        let mut child = Command::new(binary)
            .args(["--port", "0", "--api-key", api_key, "--seed", seed])
            .args(more)
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("mock stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let Some(url) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            bail!("the mock did not start: {line:?}");
        };
        Ok(RunningMock { url: url.to_string(), child })
    }
}

impl Drop for RunningMock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
