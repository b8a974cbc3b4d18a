//! Pacing to the spec's rate limits, against the mock enforcing them (`rate_limit: "spec"`): `createAppField`
//! allows 50 a minute.

use std::time::Duration;

use serde_json::json;
use toriihq::Error;
use toriihq::options::CallOptions;
use toriihq_mock::{MockConfig, MockServer, Seed};

async fn mock() -> MockServer {
    let config = MockConfig {
        api_key: "k".into(),
        seed: Seed::parse("none").unwrap(),
        rate_limit: Some("spec".into()),
        ..MockConfig::default()
    };
    MockServer::start(config).await.unwrap()
}

fn field(i: usize) -> serde_json::Value {
    json!({"body": {"name": format!("Plan {i}"), "type": "singleLine"}})
}

#[tokio::test]
async fn without_pacing_the_51st_field_a_minute_is_a_429() {
    let server = mock().await;
    let client = toriihq::Client::builder().api_key("k").base_url(server.url()).max_retries(0).build().unwrap();
    for i in 0..50 {
        client.call("createAppField", &field(i)).await.unwrap();
    }
    assert!(matches!(client.call("createAppField", &field(50)).await, Err(Error::RateLimited { .. })));
}

#[tokio::test]
async fn with_pacing_the_51st_waits_for_its_minute_and_is_never_sent_early() {
    let server = mock().await;
    let client = |url: String| {
        toriihq::Client::builder().api_key("k").base_url(url).max_retries(0).pace_to_rate_limits(true).build().unwrap()
    };
    // Two clients of one key share the count, as Torii's limit does.
    let (first, second) = (client(server.url()), client(server.url()));
    for i in 0..50 {
        let client = if i % 2 == 0 { &first } else { &second };
        client.call("createAppField", &field(i)).await.unwrap();
    }
    let options = CallOptions { timeout: Some(Duration::from_millis(300)), ..CallOptions::default() };
    let waiting = second.call_raw_with("createAppField", &field(50), Vec::new(), &options).await;
    assert!(matches!(waiting, Err(Error::Timeout)), "{waiting:?}");
    let (_, log) = server.admin("GET", "requests", b"").await;
    let sent = serde_json::from_slice::<Vec<serde_json::Value>>(&log).unwrap();
    assert_eq!(sent.len(), 50, "the 51st waited instead of being sent");
    assert!(first.call("getUsers", &json!({})).await.is_ok(), "other operations keep their own count");
}
