//! What the Python and Node packages' mocks use: settings from JSON and the admin API called in process.

use serde_json::{Value, json};
use toriihq_mock::{MockConfig, MockServer};

use crate::common::send;

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
