//! Client and call options given as JSON, the way the Python and Node packages pass them.

use std::time::{Duration, Instant};

use serde_json::json;
use toriihq::Error;
use toriihq::options::{CallOptions, ClientOptions};
use toriihq_tests::server;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

fn client_from(server: &wiremock::MockServer, options: serde_json::Value) -> toriihq::Client {
    let mut options = options;
    options["api_key"] = json!("test-key");
    options["baseUrl"] = json!(server.uri());
    ClientOptions::from_json(&options).unwrap().builder().build().unwrap()
}

#[tokio::test]
async fn a_call_replaces_the_client_retries_and_adds_its_headers() {
    let server = server().await;
    Mock::given(method("GET")).and(path("/contracts/1")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = client_from(&server, json!({"maxRetries": 2, "extraHeaders": {"x-team": "it"}}));
    let options = CallOptions::from_json(&json!({"max_retries": 0, "extra_headers": {"x-run": "7"}})).unwrap();
    let outcome = client.call_raw_with("getContract", &json!({"idContract": 1}), Vec::new(), &options).await;
    assert!(matches!(outcome, Err(Error::Server(_))), "{outcome:?}");
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1, "the call's max_retries 0 did not replace the client's 2");
    assert_eq!((sent[0].headers["x-team"].to_str().unwrap(), sent[0].headers["x-run"].to_str().unwrap()), ("it", "7"));
}

#[tokio::test]
async fn a_call_timeout_is_a_deadline_over_every_attempt() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/contracts/1"))
        .respond_with(ResponseTemplate::new(503).set_delay(Duration::from_millis(150)))
        .mount(&server)
        .await;
    // Each attempt fits in the client's timeout; three of them with their back-off do not fit in the call's.
    let client = client_from(&server, json!({"max_retries": 2, "timeout": 5}));
    let options = CallOptions::from_json(&json!({"timeoutMs": 400})).unwrap();
    let started = Instant::now();
    let outcome = client.call_raw_with("getContract", &json!({"idContract": 1}), Vec::new(), &options).await;
    assert!(matches!(outcome, Err(Error::Timeout)), "{outcome:?}");
    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
}
