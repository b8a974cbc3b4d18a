//! Strict mode against the mock: its answers (which follow the spec) pass; an answer with a key the spec does not
//! declare is a warning line and a report line at `warn`, `Error::SpecDrift` at `error`, and nothing when off.

use std::sync::{Arc, Mutex};

use futures::StreamExt;
use serde_json::json;
use toriihq::Error;
use toriihq::log::{LogLevel, Logger};
use toriihq::strict::{DifferenceKind, DriftReport, Strictness};
use toriihq_mock::{MockConfig, MockServer, Seed};

type Lines = Arc<Mutex<Vec<(LogLevel, String)>>>;

async fn mock() -> MockServer {
    let seed = Seed::parse("apps=30,users=30,contracts=5").unwrap();
    MockServer::start(MockConfig { api_key: "k".into(), seed, ..MockConfig::default() }).await.unwrap()
}

fn client(server: &MockServer, mode: Strictness) -> (toriihq::Client, Lines) {
    let lines: Lines = Arc::default();
    let sink = lines.clone();
    let logger = Logger::new(move |level, line| sink.lock().unwrap().push((level, line.to_string())));
    let client =
        toriihq::Client::builder().api_key("k").base_url(server.url()).strict(mode).logger(logger).build().unwrap();
    (client, lines)
}

async fn fault(server: &MockServer, fault: serde_json::Value) {
    let (status, body) = server.admin("POST", "faults", fault.to_string().as_bytes()).await;
    assert!(status < 300, "{body:?}");
}

async fn extra_key_on_apps(server: &MockServer) {
    fault(server, json!({"path": "/apps", "kind": "extra_key", "key": "renewalOwner"})).await;
}

#[tokio::test]
async fn the_mocks_answers_follow_the_spec_so_error_mode_passes_them() {
    let server = mock().await;
    let (client, lines) = client(&server, Strictness::Error);
    for (operation, arguments) in [("getApps", json!({"size": 7})), ("getUsers", json!({"size": 7}))] {
        let items: Vec<_> = client.call_stream(operation, arguments).collect().await;
        assert_eq!(items.len(), 30);
        assert!(items.iter().all(Result::is_ok), "{operation}: {items:?}");
    }
    // Every read the seed can answer: lists, metadata, fields, one of each resource, SCIM's discovery.
    for (operation, arguments) in [
        ("getAudit", json!({})),
        ("listContracts", json!({})),
        ("listRoles", json!({})),
        ("listAppFields", json!({})),
        ("getAppsMetadata", json!({})),
        ("searchApps", json!({"q": "Sales"})),
        ("getApp", json!({"idApp": 1})),
        ("listContractFields", json!({})),
        ("getContractsMetadata", json!({})),
        ("getContract", json!({"idContract": 1})),
        ("getOrganization", json!({})),
        ("listUserFields", json!({})),
        ("getUsersMetadata", json!({})),
        ("getUser", json!({"idUser": 2})),
        ("listAppUsers", json!({"idApp": 1})),
        ("listUserApps", json!({"idUser": 1})),
        ("listScimResourceTypes", json!({})),
        ("listScimSchemas", json!({})),
        ("getScimServiceProviderConfig", json!({})),
        ("listScimUsers", json!({})),
    ] {
        client.call(operation, &arguments).await.unwrap_or_else(|e| panic!("{operation}: {e}"));
    }
    assert!(lines.lock().unwrap().is_empty());
}

#[tokio::test]
async fn warn_logs_the_difference_records_it_and_returns_the_answer() {
    let server = mock().await;
    let report_file = std::env::temp_dir().join(format!("toriihq-drift-{}.ndjson", std::process::id()));
    let _ = std::fs::remove_file(&report_file);
    let lines: Lines = Arc::default();
    let sink = lines.clone();
    let client = toriihq::Client::builder()
        .api_key("k")
        .base_url(server.url())
        .strict(Strictness::Warn)
        .strict_report(&report_file)
        .logger(Logger::new(move |level, line| sink.lock().unwrap().push((level, line.to_string()))))
        .build()
        .unwrap();
    extra_key_on_apps(&server).await;
    let page = client.get_apps().size(5).send().await.unwrap();
    assert_eq!(page.apps.map(|apps| apps.len()), Some(5), "the answer is used as it came");
    let lines = lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].0, LogLevel::Warn);
    assert!(lines[0].1.contains("getApps (GET /apps) answered 200"), "{lines:?}");
    assert!(lines[0].1.contains("$.renewalOwner is not declared (string)"), "{lines:?}");
    let recorded = std::fs::read_to_string(&report_file).unwrap();
    let report: DriftReport = serde_json::from_str(recorded.trim()).unwrap();
    assert_eq!(report.differences.len(), 1);
    assert_eq!(report.differences[0].schema, "#/components/schemas/AppsPage");
    std::fs::remove_file(&report_file).unwrap();
}

#[tokio::test]
async fn error_fails_typed_and_by_name_calls_with_the_report() {
    let server = mock().await;
    let (client, _) = client(&server, Strictness::Error);
    extra_key_on_apps(&server).await;
    let typed = client.get_apps().send().await.unwrap_err();
    extra_key_on_apps(&server).await;
    let by_name = client.call("getApps", &json!({})).await.unwrap_err();
    for error in [typed, by_name] {
        let Error::SpecDrift(report) = &error else { panic!("expected SpecDrift, got {error:?}") };
        assert_eq!((report.operation.as_str(), report.status), ("getApps", 200));
        assert_eq!(report.differences[0].kind, DifferenceKind::Undeclared);
        assert_eq!(error.class_name(), "SpecDriftError");
        assert_eq!(error.detail().drift.unwrap()["differences"][0]["path"], "$.renewalOwner");
    }
    // A wrong type is drift before it is a decode failure: the report says where and what.
    fault(&server, json!({"path": "/apps/{idApp}", "kind": "wrong_types"})).await;
    let Err(Error::SpecDrift(report)) = client.get_app().id_app(1).send().await else { panic!("expected SpecDrift") };
    assert!(report.differences.iter().any(|d| d.kind == DifferenceKind::WrongType), "{report}");
}

#[tokio::test]
async fn off_checks_nothing() {
    let server = mock().await;
    let (client, lines) = client(&server, Strictness::Off);
    extra_key_on_apps(&server).await;
    client.get_apps().send().await.unwrap();
    assert!(lines.lock().unwrap().is_empty());
}
