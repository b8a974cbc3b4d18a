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

/// A request to the mock's admin API (`/_mock/…`, no key) with a plain socket: xtask has no HTTP client of its
/// own. Returns the status line's code and the body.
pub fn admin(url: &str, method: &str, path: &str) -> Result<(u16, String)> {
    use std::io::{Read, Write};
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).with_context(|| format!("connecting to {address}"))?;
    write!(
        stream,
        "{method} /_mock/{path} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer.as_str(), ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, body.to_string()))
}

impl Drop for RunningMock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
