//! `--from`: a job killed with SIGKILL at random points and run again with its journal applies each PUT at least
//! once (twice only for those in flight at a kill) and never a POST twice, and the last run's results name every
//! input; a job with failed inputs exits 8 with each in the results.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use toriihq_mock::{MockConfig, MockServer, Seed};

use super::{KEY, code, stderr, toriihq};

/// The mock keeping the spec's limits, answering each `method path` write 150 ms late: requests are in flight
/// long enough for a kill to land while one is.
async fn rate_limited_mock(method: &str, path: &str) -> MockServer {
    let config = MockConfig {
        api_key: KEY.into(),
        seed: Seed::parse("users=200,apps=2").unwrap(),
        rate_limit: Some("spec".into()),
        time_scale: 60.0,
        ..MockConfig::default()
    };
    let server = MockServer::start(config).await.unwrap();
    let late = serde_json::json!({"method": method, "path": path, "times": 100_000, "kind": "delay", "delay_ms": 150});
    assert_eq!(server.admin("POST", "faults", late.to_string().as_bytes()).await.0, 201);
    server
}

/// Milliseconds from 40 to 340, different on each call.
fn random_delay() -> Duration {
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos() as u64
        ^ CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    Duration::from_millis(40 + seed % 300)
}

/// Runs the job to its end after killing it `kills` times part way; returns the last run's results by key.
async fn killed_and_resumed(server: &MockServer, args: &[&str], kills: usize) -> Vec<Value> {
    let results = args.iter().position(|a| *a == "--results").map(|i| args[i + 1].to_string()).unwrap();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let url = server.url();
    let code = tokio::task::spawn_blocking(move || {
        let run = || {
            Command::new(env!("CARGO_BIN_EXE_toriihq"))
                .args(&args)
                .env("TORII_API_KEY", KEY)
                .env("TORII_BASE_URL", &url)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        };
        for _ in 0..kills {
            let mut child = run();
            std::thread::sleep(random_delay());
            child.kill().unwrap(); // SIGKILL: no handler runs, the journal is as the last write left it
            child.wait().unwrap();
        }
        run().wait().unwrap().code()
    })
    .await
    .unwrap();
    assert!(matches!(code, Some(0) | Some(8)), "the last run exited {code:?}");
    std::fs::read_to_string(&results).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

/// A folder for a job's files, removed with the returned guard, passed or failed.
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("toriihq-cli-bulk-{name}-")).tempdir().unwrap()
}

fn write_lines(path: &Path, lines: impl Iterator<Item = String>) {
    std::fs::write(path, lines.collect::<Vec<_>>().join("\n") + "\n").unwrap();
}

#[tokio::test]
async fn killed_ten_times_a_put_job_applies_every_input_and_resends_only_what_was_in_flight() {
    let server = rate_limited_mock("PUT", "/users/{idUser}").await;
    let dir = scratch("put");
    let (inputs, journal, results) =
        (dir.path().join("in.csv"), dir.path().join("journal.jsonl"), dir.path().join("results.ndjson"));
    write_lines(
        &inputs,
        std::iter::once("idUser,body.lifecycleStatus".to_string()).chain((1..=150).map(|i| format!("{i},offboarding"))),
    );
    let args = ["users", "update", "--from", inputs.to_str().unwrap(), "--key-column", "idUser", "--journal"];
    let args: Vec<&str> = args
        .into_iter()
        .chain([
            journal.to_str().unwrap(),
            "--results",
            results.to_str().unwrap(),
            "--rate",
            "10/s",
            "--concurrency",
            "4",
        ])
        .collect();
    let last = killed_and_resumed(&server, &args, 10).await;
    assert_eq!(last.len(), 150, "the last run's results name every input");
    assert!(last.iter().any(|r| r["status"] == "ok"), "the kills stopped the job before its end");
    assert!(last.iter().all(|r| r["status"] == "ok" || r["status"] == "skipped"), "{last:?}");
    let (_, writes) = server.admin("GET", "writes", b"").await;
    let writes: Value = serde_json::from_slice(&writes).unwrap();
    let mut resent = 0;
    for id in 1..=150 {
        let count = writes[format!("PUT /users/{id}")].as_u64().unwrap_or(0);
        assert!(count >= 1, "user {id} was never updated");
        resent += count - 1;
    }
    // Each kill leaves at most `concurrency` requests sent without a recorded answer; PUT is sent again.
    assert!(resent <= 10 * 4, "{resent} updates sent twice");
}

#[tokio::test]
async fn killed_ten_times_a_post_job_never_creates_anything_twice() {
    let server = rate_limited_mock("POST", "/contracts").await;
    let dir = scratch("post");
    let (inputs, journal, results) =
        (dir.path().join("in.ndjson"), dir.path().join("journal.jsonl"), dir.path().join("results.ndjson"));
    let names: Vec<String> = (1..=150).map(|i| format!("Renewal {i}")).collect();
    write_lines(
        &inputs,
        names
            .iter()
            .map(|name| serde_json::json!({"body": {"name": name, "idApp": 1, "status": "active"}}).to_string()),
    );
    let args = ["contracts", "create", "--from", inputs.to_str().unwrap(), "--journal", journal.to_str().unwrap()];
    let args: Vec<&str> = args
        .into_iter()
        .chain(["--results", results.to_str().unwrap(), "--rate", "10/s", "--concurrency", "4"])
        .collect();
    let last = killed_and_resumed(&server, &args, 10).await;
    assert_eq!(last.len(), 150, "the last run's results name every input");
    assert!(last.iter().any(|r| r["status"] == "ok"), "the kills stopped the job before its end");
    let (_, stored) = server.admin("GET", "collection?path=/contracts", b"").await;
    let stored: Vec<Value> = serde_json::from_slice(&stored).unwrap();
    for (line, name) in names.iter().enumerate() {
        let created = stored.iter().filter(|c| c["name"] == name.as_str()).count();
        assert!(created <= 1, "{name} was created {created} times");
        let number = |r: &&Value| r["key"].as_str().and_then(|key| key.parse::<usize>().ok());
        let status = last.iter().find(|r| number(r) == Some(line + 1)).map(|r| r["status"].clone());
        match status.as_ref().and_then(Value::as_str) {
            Some("ok" | "skipped") => assert_eq!(created, 1, "{name} is done, yet not stored"),
            Some("unknown") => {} // sent by a killed run: stored or not, it is the caller's to check
            other => panic!("{name} ended {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_job_with_failed_inputs_exits_8_and_writes_each_to_a_csv() {
    let server = super::mock("users=5").await;
    let dir = scratch("failed");
    let (inputs, results) = (dir.path().join("in.csv"), dir.path().join("results.csv"));
    write_lines(&inputs, ["idUser".to_string(), "1".into(), "404".into(), "2".into()].into_iter());
    let output =
        toriihq(&server, &["users", "get", "--from", inputs.to_str().unwrap(), "--results", results.to_str().unwrap()])
            .await;
    assert_eq!(code(&output), 8, "{}", stderr(&output));
    assert!(stderr(&output).contains("3 items: 2 ok, 1 failed"), "{}", stderr(&output));
    let text = std::fs::read_to_string(&results).unwrap();
    assert!(text.starts_with("key,status,error,http_status,message\n"), "{text}");
    assert!(text.lines().any(|line| line.starts_with("3,failed,not_found,404,")), "{text}");
}

#[tokio::test]
async fn with_from_the_command_needs_no_required_argument_and_refuses_a_bad_rate() {
    let server = super::mock("users=5").await;
    let output = toriihq(&server, &["users", "update"]).await;
    assert_eq!(code(&output), 2, "without --from the id is required");
    let dir = scratch("rate");
    let inputs = dir.path().join("in.ndjson");
    write_lines(&inputs, std::iter::once("{\"idUser\": 1}".to_string()));
    let output = toriihq(&server, &["users", "update", "--from", inputs.to_str().unwrap(), "--rate", "fast"]).await;
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(stderr(&output).contains("rate"), "{}", stderr(&output));
    assert!(super::requests(&server).await.is_empty());
}

#[cfg(unix)]
#[tokio::test]
async fn ctrl_c_stops_a_job_with_130_its_journal_whole_and_a_rerun_finishes_it() {
    let server = super::mock("users=300").await;
    let dir = scratch("interrupted");
    let (inputs, journal) = (dir.path().join("in.csv"), dir.path().join("journal.jsonl"));
    // Columns may be spelled as the flags are (`id-user`), as well as the spec (`idUser`) or snake case.
    write_lines(
        &inputs,
        std::iter::once("id-user,body.lifecycleStatus".to_string())
            .chain((1..=300).map(|i| format!("{i},offboarding"))),
    );
    let args = ["users", "update", "--from", inputs.to_str().unwrap(), "--journal", journal.to_str().unwrap()];
    // 15 s at this pace: however slow the machine, the interrupt lands long before the end.
    let child = Command::new(env!("CARGO_BIN_EXE_toriihq"))
        .args(args)
        .args(["--rate", "20/s", "--results", "/dev/null"])
        .env("TORII_API_KEY", KEY)
        .env("TORII_BASE_URL", server.url())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupted once the burst has gone and the job waits on the pace (20 at once, then 20 a second).
    while super::requests(&server).await.len() < 22 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()).await.unwrap();
    assert_eq!(code(&output), 130, "{}", stderr(&output));
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(text.ends_with('\n') && text.lines().all(|line| serde_json::from_str::<Value>(line).is_ok()), "{text}");
    let done = text.lines().filter(|line| line.contains("\"event\":\"ok\"")).count();
    assert!((20..300).contains(&done), "{done} done before the interrupt");
    // The pace is not the journal's: the rest goes at once.
    let rerun = toriihq(&server, &[&args[..], &["--rate", "1000/s"]].concat()).await;
    assert_eq!(code(&rerun), 0, "{}", stderr(&rerun));
    assert!(stderr(&rerun).contains(&format!("{} skipped", done)), "{}", stderr(&rerun));
    let (_, writes) = server.admin("GET", "writes", b"").await;
    let writes: Value = serde_json::from_slice(&writes).unwrap();
    assert!((1..=300).all(|id| writes[format!("PUT /users/{id}")].as_u64() == Some(1)), "{writes}");
}
