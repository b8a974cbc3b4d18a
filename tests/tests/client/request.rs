//! `Client::request`: an endpoint the spec does not describe, through the same pipeline as every operation (key,
//! retries, errors), and never anywhere but under the base URL.

use proptest::prelude::*;
use serde_json::json;
use toriihq::Error;
use toriihq::options::CallOptions;
use toriihq_tests::{RecordingServer, torii_mock};

#[tokio::test]
async fn a_request_goes_through_the_pipeline_and_answers_as_it_came() {
    let (server, client) = torii_mock("apps=5,contracts=3").await;
    let none = CallOptions::default();
    let apps = client.request("GET", "/apps", &[("size".into(), "2".into())], None, &none).await.unwrap();
    assert_eq!(apps.status, 200);
    let page: serde_json::Value = serde_json::from_slice(&apps.body).unwrap();
    assert_eq!(page["apps"].as_array().unwrap().len(), 2);
    let body = json!({"name": "Renewal", "idApp": 1, "status": "active"});
    let created = client.request("POST", "/contracts", &[], Some(&body), &none).await.unwrap();
    let created: serde_json::Value = serde_json::from_slice(&created.body).unwrap();
    assert_eq!(created["contract"]["name"], "Renewal");
    let missing = client.request("GET", "/not/in/the/spec", &[], None, &none).await.unwrap_err();
    assert!(matches!(missing, Error::NotFound(_)), "{missing:?}");
    drop(server);
}

#[tokio::test]
async fn a_request_cannot_leave_the_base_url() {
    let server = RecordingServer::start().await;
    let client = toriihq::Client::builder().api_key("k").base_url(&server.url).build().unwrap();
    let none = CallOptions::default();
    for path in ["http://evil.example/x", "//evil.example/x", "evil", "/../admin", "/a/%2e%2e/admin", "/x?y=1", "/a\\b"]
    {
        let error = client.request("GET", path, &[], None, &none).await.unwrap_err();
        assert!(matches!(&error, Error::InvalidArgument { name, .. } if name == "path"), "{path}: {error:?}");
    }
    let error = client.request("GET /x", "/x", &[], None, &none).await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { name, .. } if name == "method"), "{error:?}");
    assert!(server.take_request_lines().is_empty(), "a refused request was sent");
    client.request("DELETE", "/plugins/a%2Fb", &[], None, &none).await.unwrap();
    assert_eq!(server.take_request_lines(), vec!["DELETE /plugins/a%2Fb HTTP/1.1"]);
}

/// Paths made of the pieces that have escaped base URLs, and anything else.
fn hostile_path() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("/".to_string()),
        Just("//".to_string()),
        Just(".".to_string()),
        Just("..".to_string()),
        Just("%2e".to_string()),
        Just("%2E".to_string()),
        Just("%2f".to_string()),
        Just("%".to_string()),
        Just("\\".to_string()),
        Just("?".to_string()),
        Just("#".to_string()),
        Just("@".to_string()),
        Just(":".to_string()),
        Just("http:".to_string()),
        Just("evil.example".to_string()),
        Just("admin".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

/// 256 in the test suite; `cargo xtask fuzz` asks for more through `PROPTEST_CASES`.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever the text: refused with nothing sent, or sent to the server under the base URL's path exactly as
    /// given — never normalised into another path, never to another host.
    #[test]
    fn a_path_is_refused_or_sent_as_given_under_the_base_path(path in prop_oneof![any::<String>(), hostile_path()]) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let server = RecordingServer::start().await;
            let base = format!("{}/api", server.url);
            let client = toriihq::Client::builder().api_key("k").base_url(&base).max_retries(0).build().unwrap();
            let outcome = client.request("GET", &path, &[], None, &CallOptions::default()).await;
            let lines = server.take_request_lines();
            match outcome {
                Err(Error::InvalidArgument { name, .. }) if name == "path" => {
                    assert!(lines.is_empty(), "{path:?} was refused after sending {lines:?}");
                }
                Err(other) => panic!("{path:?}: {other:?}"),
                Ok(_) => {
                    assert_eq!(lines, vec![format!("GET /api{path} HTTP/1.1")], "{path:?}");
                    let dot = |s: &str| matches!(s.to_ascii_lowercase().replace("%2e", ".").as_str(), "." | "..");
                    assert!(!path.split('/').any(dot), "{path:?} climbs out of the base path");
                }
            }
        });
    }
}
