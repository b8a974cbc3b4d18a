//! The `toriihq` command a package installs (the wheel's console script, the npm bin) is the Rust crate's: the same
//! `--help`, byte for byte, and it runs against the mock with its exit codes.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use super::{cargo, run, target_dir};

pub fn check(installed: &Path) -> Result<()> {
    let shown = installed.strip_prefix(crate::paths::root()).unwrap_or(installed);
    println!("$ {} --help, and against the mock", shown.display());
    run(&crate::paths::root(), &cargo(), &["build", "--quiet", "--package", "toriihq-cli", "--bin", "toriihq"])?;
    let help = |program: &Path| -> Result<String> {
        let output =
            Command::new(program).arg("--help").output().with_context(|| format!("running {}", program.display()))?;
        if !output.status.success() {
            bail!("{} --help failed: {}", program.display(), String::from_utf8_lossy(&output.stderr));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    if help(installed)? != help(&target_dir().join("debug/toriihq"))? {
        bail!("{} --help differs from the Rust crate's", installed.display());
    }
    let mut mock = Command::new(super::mock_binary()?)
        .args(["--port", "0", "--api-key", "installed-cli-key", "--seed", "apps=10"])
        .stdout(Stdio::piped())
        .spawn()
        .context("starting the mock")?;
    let mut line = String::new();
    BufReader::new(mock.stdout.take().context("the mock's stdout")?).read_line(&mut line)?;
    let url = line.trim().strip_prefix("listening on ").map(str::to_string);
    let result = url.context("the mock did not start").and_then(|url| {
        let toriihq = |args: &[&str]| {
            Command::new(installed)
                .args(args)
                .env("TORII_API_KEY", "installed-cli-key")
                .env("TORII_BASE_URL", &url)
                .output()
                .context("running the installed toriihq")
        };
        let listed = toriihq(&["apps", "list", "--all", "--size", "3", "--format", "csv", "--fields", "id"])?;
        let rows = String::from_utf8_lossy(&listed.stdout).lines().count();
        if !listed.status.success() || rows != 11 {
            bail!("apps list --all gave {rows} lines ({}): {}", listed.status, String::from_utf8_lossy(&listed.stderr));
        }
        let missing = toriihq(&["apps", "get", "999"])?;
        if missing.status.code() != Some(4) {
            bail!("apps get 999 exited {}, not 4 (not found)", missing.status);
        }
        Ok(())
    });
    let _ = mock.kill();
    let _ = mock.wait();
    result
}
