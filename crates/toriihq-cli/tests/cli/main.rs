//! The `toriihq` binary against the mock: every group, `--all` across pages, each format, each exit code,
//! `--dry-run` sending nothing, and the key never in what it prints. One binary for all of it (see the client's).

mod bulk;
mod commands;
mod runs;

use std::process::{Command, Output};

use serde_json::Value;
use toriihq_mock::{MockConfig, MockServer, Seed};

pub const KEY: &str = "cli-test-key-SECRET-0123";

pub async fn mock(seed: &str) -> MockServer {
    let seed = Seed::parse(seed).unwrap();
    MockServer::start(MockConfig { api_key: KEY.into(), seed, ..MockConfig::default() }).await.unwrap()
}

/// Runs `toriihq args…` against `server` (off the async runtime: the binary is a process of its own).
pub async fn toriihq(server: &MockServer, args: &[&str]) -> Output {
    toriihq_with(server.url(), KEY, args).await
}

pub async fn toriihq_with(base_url: String, key: &str, args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let key = key.to_string();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_toriihq"))
            .args(&args)
            .env("TORII_API_KEY", key)
            .env("TORII_BASE_URL", base_url)
            .env_remove("TORII_LOG")
            .env_remove("TORII_STRICT")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

pub fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(output), stderr(output)))
}

pub async fn requests(server: &MockServer) -> Vec<Value> {
    let (_, body) = server.admin("GET", "requests", b"").await;
    serde_json::from_slice(&body).unwrap()
}

pub async fn fault(server: &MockServer, fault: Value) {
    let (status, body) = server.admin("POST", "faults", fault.to_string().as_bytes()).await;
    assert!(status < 300, "{body:?}");
}
