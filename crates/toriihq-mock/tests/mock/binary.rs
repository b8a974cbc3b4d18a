//! The `toriihq-mock` binary: prints where it listens, serves, and refuses bad flags clearly.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common;

struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn it_prints_one_listening_line_and_serves_the_embedded_spec() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_toriihq-mock"))
        .args(["--port", "0", "--api-key", "bin-key", "--seed", "contracts=2"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let health: serde_json::Value =
        common::http().get(format!("{url}/_mock/health")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["operations"], 60);
    let contract = common::http().get(format!("{url}/contracts/2")).bearer_auth("bin-key").send().await.unwrap();
    assert_eq!(contract.status().as_u16(), 200);
    let contract: serde_json::Value = contract.json().await.unwrap();
    assert_eq!(contract["contract"]["id"], 2, "the real API wraps the object and ids are integers: {contract}");
}

#[test]
fn a_bad_flag_is_refused_with_the_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_toriihq-mock")).args(["--seed", "apps=many"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a number"));
    let output = Command::new(env!("CARGO_BIN_EXE_toriihq-mock")).args(["--frobnicate"]).output().unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: toriihq-mock"));
}
