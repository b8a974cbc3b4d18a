//! What the Python and Node packages' mocks use: settings from JSON and the admin API called in process.

use serde_json::{Value, json};
use toriihq_mock::{MockConfig, MockServer};

use crate::common::{self, send};

#[tokio::test]
async fn settings_come_from_json_and_the_admin_api_answers_in_process() {
    let config =
        MockConfig::from_json(&json!({"api_key": "mock-test-key", "seed": "contracts=3", "sync_seconds": 0.5}));
    let server = MockServer::start(config.unwrap()).await.unwrap();
    let (status, body) = server.admin("GET", "collection?path=/contracts", b"").await;
    assert_eq!((status, serde_json::from_slice::<Value>(&body).unwrap().as_array().map(Vec::len)), (200, Some(3)));
    let fault = json!({"path": "/contracts/{idContract}", "kind": "status", "status": 503});
    assert_eq!(server.admin("POST", "faults", fault.to_string().as_bytes()).await.0, 201);
    assert_eq!(send(&server, "GET", "/contracts/1", None).await.status, 503);
    let (_, log) = server.admin("GET", "requests", b"").await;
    assert_eq!(serde_json::from_slice::<Value>(&log).unwrap()[0]["path"], "/contracts/1");
    assert_eq!(server.admin("POST", "reset", b"").await.0, 204);
    assert_eq!(server.admin("GET", "nothing", b"").await.0, 404);
}

#[test]
fn bad_settings_are_named() {
    for (config, named) in [
        (json!({"seed": 5}), "seed"),
        (json!({"chaos": 101}), "chaos"),
        (json!({"sync_seconds": 0}), "sync_seconds"),
        (json!({"port": 1}), "port"),
        (json!([1]), "object"),
    ] {
        let error = MockConfig::from_json(&config).unwrap_err().to_string();
        assert!(error.contains(named), "{config}: {error}");
    }
}

/// A test that stops the mock and calls it at once must find it gone, on a connection kept from before the stop
/// or a new one, however busy the runtime is: the serving tasks may not have seen the stop yet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_mock_answers_nothing_from_the_moment_stop_returns() {
    let server = MockServer::start(MockConfig::from_json(&json!({"api_key": "k"})).unwrap()).await.unwrap();
    let url = format!("{}/apps", server.url());
    let kept = common::http();
    assert_eq!(kept.get(&url).bearer_auth("k").send().await.unwrap().status(), 200);
    server.stop();
    assert!(kept.get(&url).bearer_auth("k").send().await.is_err(), "the kept connection is answered no more");
    assert!(common::http().get(&url).bearer_auth("k").send().await.is_err(), "a new one neither");
}
