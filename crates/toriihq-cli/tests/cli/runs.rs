//! Commands run against the mock.

use serde_json::json;

use super::*;

#[tokio::test]
async fn a_command_of_every_group_runs() {
    let server = mock("apps=5,users=5,contracts=3").await;
    let scratch = tempfile::tempdir().unwrap();
    let valid = scratch.path().join("valid.json");
    std::fs::write(&valid, r#"{"users": [{"email": "ada@example.com", "status": "active"}], "licenses": []}"#).unwrap();
    let valid = valid.to_string_lossy().into_owned();
    let commands: Vec<Vec<&str>> = vec![
        vec!["anonymization", "create-request", "--dry-run", "--body", r#"{"email": "ada@example.com"}"#],
        vec!["app-fields", "list"],
        vec!["applications-users", "list", "1"],
        vec!["apps", "get", "1"],
        vec!["audit", "list"],
        vec!["contracts", "list"],
        vec!["contracts-fields", "list"],
        vec!["files", "get-upload-url", "--name", "a.txt", "--type", "attachment"],
        vec!["integrations", "sync-custom", "--dry-run", "--body", r#"{"idAppAccount": 1, "idFile": 2}"#],
        vec!["organizations", "get"],
        vec!["parsings", "get-request", "1", "--dry-run"],
        vec!["plugins", "list-fields", "1", "--dry-run"],
        vec!["roles", "list"],
        vec!["scim", "list-users"],
        vec!["sync", "validate", &valid],
        vec!["user-applications", "list", "1"],
        vec!["user-fields", "list"],
        vec!["users", "list"],
        vec!["workflows", "list-audit"],
    ];
    for args in &commands {
        let output = toriihq(&server, args).await;
        assert_eq!(code(&output), 0, "{args:?}: {}", stderr(&output));
        json(&output);
    }
    let groups: std::collections::BTreeSet<&str> = commands.iter().map(|c| c[0]).collect();
    let every: std::collections::BTreeSet<String> =
        toriihq_cli::name_all(toriihq::operations(), &[]).into_iter().map(|n| n.group).collect();
    for group in &every {
        assert!(groups.contains(group.as_str()), "no command of {group} runs here");
    }
}

#[tokio::test]
async fn all_streams_every_item_across_pages_in_each_format() {
    let server = mock("apps=25").await;
    let ndjson =
        toriihq(&server, &["apps", "list", "--size", "7", "--all", "--format", "ndjson", "--fields", "id"]).await;
    let ids: Vec<i64> =
        stdout(&ndjson).lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, (1..=25).collect::<Vec<_>>());
    let pages = requests(&server).await.into_iter().filter(|r| r["path"] == "/apps").count();
    assert_eq!(pages, 4, "25 apps in pages of 7");
    let csv = toriihq(
        &server,
        &["apps", "list", "--size", "10", "--all", "--format", "csv", "--fields", "id,name,primaryOwner.email"],
    )
    .await;
    let lines: Vec<String> = stdout(&csv).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 26);
    assert_eq!(lines[0], "id,name,primaryOwner.email");
    assert_eq!(lines[1], "1,Salesforce,user1@example.com");
    let whole = toriihq(&server, &["apps", "list", "--size", "10", "--all", "--fields", "id"]).await;
    assert_eq!(json(&whole).as_array().map(Vec::len), Some(25), "--all as JSON is one array");
    let table = toriihq(&server, &["apps", "list", "--size", "3", "--format", "table", "--fields", "id,name"]).await;
    assert_eq!(stdout(&table), "id  name\n1   Salesforce\n2   Salesforce 2\n3   Salesforce 3\n");
    let one = toriihq(&server, &["apps", "list", "--size", "3"]).await;
    assert_eq!(json(&one)["apps"].as_array().map(Vec::len), Some(3), "without --all, one page as it came");
}

#[tokio::test]
async fn a_failed_page_keeps_what_was_written_and_says_where_to_resume() {
    let server = mock("apps=25").await;
    fault(&server, json!({"path": "/apps", "after": 2, "kind": "status", "status": 503})).await;
    let output = toriihq(
        &server,
        &["apps", "list", "--size", "5", "--all", "--format", "ndjson", "--fields", "id", "--max-retries", "0"],
    )
    .await;
    assert_eq!(code(&output), 6, "a server error");
    assert_eq!(stdout(&output).lines().count(), 10, "two pages were written");
    let said = stderr(&output);
    let cursor = said.split("resume with --cursor ").nth(1).map(str::trim).unwrap_or_else(|| panic!("{said}"));
    let rest = toriihq(
        &server,
        &["apps", "list", "--size", "5", "--all", "--format", "ndjson", "--fields", "id", "--cursor", cursor],
    )
    .await;
    let first: Vec<i64> =
        stdout(&rest).lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_i64().unwrap()).collect();
    assert_eq!(first, (11..=25).collect::<Vec<_>>(), "resumed where it broke");
}

#[tokio::test]
async fn each_exit_code() {
    let server = mock("apps=3,users=3").await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        format!("http://127.0.0.1:{port}")
    };
    assert_eq!(code(&toriihq(&server, &["apps", "get", "1"]).await), 0);
    fault(&server, json!({"path": "/apps/{idApp}", "kind": "status", "status": 400})).await;
    assert_eq!(code(&toriihq(&server, &["apps", "get", "1"]).await), 1);
    assert_eq!(code(&toriihq(&server, &["apps", "get", "one"]).await), 2, "clap refuses it");
    assert_eq!(code(&toriihq(&server, &["apps", "list", "--size", "0"]).await), 2, "the core refuses it, unsent");
    assert_eq!(code(&toriihq_with(server.url(), "wrong-key", &["apps", "get", "1"]).await), 3);
    assert_eq!(code(&toriihq(&server, &["apps", "get", "999"]).await), 4);
    fault(&server, json!({"path": "/apps/{idApp}", "kind": "status", "status": 429, "retry_after": 1})).await;
    assert_eq!(code(&toriihq(&server, &["apps", "get", "1", "--max-retries", "0"]).await), 5);
    fault(&server, json!({"path": "/apps/{idApp}", "kind": "status", "status": 500})).await;
    assert_eq!(code(&toriihq(&server, &["apps", "get", "1", "--max-retries", "0"]).await), 6);
    assert_eq!(code(&toriihq_with(closed, KEY, &["apps", "get", "1", "--max-retries", "0"]).await), 7);
    let scratch = tempfile::tempdir().unwrap();
    let bad_file = scratch.path().join("bad.json");
    std::fs::write(&bad_file, r#"{"users": [{"email": "not-an-email"}, {}]}"#).unwrap();
    let validated = toriihq(&server, &["sync", "validate", &bad_file.to_string_lossy()]).await;
    assert_eq!(code(&validated), 2);
    assert!(stderr(&validated).contains("users[0].email"), "{}", stderr(&validated));
    let synced = toriihq(&server, &["sync", "custom", "--app-account", "1", &bad_file.to_string_lossy()]).await;
    assert_eq!(code(&synced), 2, "{}", stderr(&synced));
    assert!(
        stderr(&synced).contains("nothing was sent") && stderr(&synced).contains("users[0].email"),
        "{}",
        stderr(&synced)
    );
}

#[cfg(unix)]
#[tokio::test]
async fn ctrl_c_ends_a_call_with_130() {
    let server = mock("apps=3").await;
    fault(&server, json!({"path": "/apps/{idApp}", "kind": "delay", "delay_ms": 20000})).await;
    let child = Command::new(env!("CARGO_BIN_EXE_toriihq"))
        .args(["apps", "get", "1"])
        .env("TORII_API_KEY", KEY)
        .env("TORII_BASE_URL", server.url())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while requests(&server).await.iter().all(|r| r["path"] != "/apps/1") {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let started = std::time::Instant::now();
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()).await.unwrap();
    assert_eq!(code(&output), 130, "{}", stderr(&output));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn dry_run_sends_nothing_and_masks_the_key() {
    let server = mock("apps=3").await;
    let output = toriihq(
        &server,
        &["contracts", "create", "--dry-run", "--body", r#"{"name": "Renewal", "idApp": 1, "status": "active"}"#],
    )
    .await;
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let shown = json(&output);
    assert_eq!(shown["method"], "POST");
    assert_eq!(shown["url"], format!("{}/contracts", server.url()));
    assert_eq!(shown["body"]["name"], "Renewal");
    assert!(shown["headers"].as_array().unwrap().iter().any(|h| h[0] == "authorization" && h[1] == "Bearer ****"));
    let refused = toriihq(&server, &["users", "offboard", "ada@example.com", "--dry-run"]).await;
    assert_eq!(code(&refused), 2, "a workflow has no one request to show");
    assert!(requests(&server).await.is_empty(), "the mock received nothing");
}

#[tokio::test]
async fn the_key_never_reaches_stdout_or_stderr() {
    let server = mock("apps=3,users=3").await;
    let scratch = tempfile::tempdir().unwrap();
    let key_file = scratch.path().join("key");
    std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
    let key_file = key_file.to_string_lossy().into_owned();
    let runs = [
        toriihq(&server, &["apps", "list", "--format", "table"]).await,
        toriihq(&server, &["apps", "get", "1", "--dry-run"]).await,
        toriihq(&server, &["apps", "get", "999"]).await,
        toriihq_with(server.url(), "", &["--api-key-file", &key_file, "users", "list"]).await,
        toriihq_with(server.url(), &format!("{KEY}-wrong"), &["apps", "list"]).await,
        toriihq(&server, &["apps", "get", "1", "--base-url", "ftp://example"]).await,
    ];
    assert_eq!(code(&runs[3]), 0, "the key file works: {}", stderr(&runs[3]));
    for output in &runs {
        for text in [stdout(output), stderr(output)] {
            assert!(!text.contains("SECRET"), "the key shows:\n{text}");
        }
    }
}

#[tokio::test]
async fn workflows_upload_offboard_and_scim() {
    let server = mock("users=3").await;
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("upload.txt");
    std::fs::write(&file, b"hello").unwrap();
    let uploaded = toriihq(&server, &["files", "upload", &file.to_string_lossy(), "--type", "attachment"]).await;
    assert_eq!(code(&uploaded), 0, "{}", stderr(&uploaded));
    assert!(json(&uploaded)["id"].as_i64().is_some());
    let offboarded = toriihq(&server, &["users", "offboard", "user2@example.com", "--fields", "lifecycleStatus"]).await;
    assert_eq!(json(&offboarded), json!({"lifecycleStatus": "offboarding"}));
    let provisioned = toriihq(&server, &["scim", "provision", "ada@example.com", "--given-name", "Ada"]).await;
    assert_eq!(json(&provisioned)["userName"], "ada@example.com");
    let deactivated = toriihq(&server, &["scim", "deactivate", "ada@example.com", "--fields", "active"]).await;
    assert_eq!(json(&deactivated), json!({"active": false}));
}

#[tokio::test]
async fn the_mock_command_serves_and_completions_print() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_toriihq"))
        .args(["mock", "--seed", "apps=4", "--api-key", KEY])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("{line}")).to_string();
    let listed = toriihq_with(url, KEY, &["apps", "list", "--all", "--format", "ndjson"]).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(stdout(&listed).lines().count(), 4);
    let bash = Command::new(env!("CARGO_BIN_EXE_toriihq")).args(["completions", "bash"]).output().unwrap();
    assert!(code(&bash) == 0 && stdout(&bash).contains("toriihq__subcmd__apps__subcmd__list)"), "{}", stdout(&bash));
}
