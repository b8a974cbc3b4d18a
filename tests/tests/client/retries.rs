//! Retry rules: which answers are retried, how many times, and how `Retry-After` is honoured.

use std::time::{Duration, Instant};

use serde_json::json;
use toriihq::Error;
use toriihq_tests::{answer_once_then, builder, server};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

async fn attempts(server: &wiremock::MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_succeeds() {
    let server = server().await;
    answer_once_then(
        &server,
        "GET",
        "/contracts/1",
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        ResponseTemplate::new(200).set_body_json(json!({"contract": {"id": 1}})),
    )
    .await;
    let started = Instant::now();
    let contract = builder(&server).build().unwrap().get_contract().id_contract(1).send().await.unwrap();
    assert_eq!(contract.contract.and_then(|c| c.id), Some(1));
    assert!(started.elapsed() >= Duration::from_secs(1), "waited only {:?}", started.elapsed());
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn a_503_that_persists_fails_after_exactly_three_attempts() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/contracts/1"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(json!({"statusCode": 503, "error": "Service Unavailable", "message": "down"})),
        )
        .up_to_n_times(4)
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(2).build().unwrap();
    let error = client.get_contract().id_contract(1).send().await.unwrap_err();
    assert!(matches!(&error, Error::Server(r) if r.status.as_u16() == 503 && r.message() == Some("down")), "{error:?}");
    assert_eq!(attempts(&server).await, 3);
}

fn new_contract() -> toriihq::types::NewContract {
    serde_json::from_value(json!({"name": "Slack 2027", "idApp": 1, "status": "active"})).expect("a new contract")
}

#[tokio::test]
async fn a_post_that_fails_with_500_is_not_retried() {
    let server = server().await;
    Mock::given(method("POST")).and(path("/contracts")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let client = builder(&server).max_retries(2).build().unwrap();
    let error = client.create_contract().body(new_contract()).send().await.unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn a_post_that_gets_429_is_retried() {
    let server = server().await;
    answer_once_then(
        &server,
        "POST",
        "/contracts",
        ResponseTemplate::new(429).insert_header("Retry-After", "0"),
        ResponseTemplate::new(200).set_body_json(json!({"contract": {"id": 11, "name": "Slack 2027"}})),
    )
    .await;
    let client = builder(&server).build().unwrap();
    let created = client.create_contract().body(new_contract()).send().await.unwrap();
    assert_eq!(created.contract.and_then(|c| c.id), Some(11));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body, "the retried POST carries the same body");
}

#[tokio::test]
async fn a_retry_after_beyond_a_minute_is_returned_at_once() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/apps"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "3600")
                .set_body_json(json!({"statusCode": 429, "error": "Too Many Requests", "message": "slow down"})),
        )
        .mount(&server)
        .await;
    let started = Instant::now();
    let error = builder(&server).build().unwrap().get_apps().send().await.unwrap_err();
    match &error {
        Error::RateLimited { retry_after, response } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(3600)));
            assert_eq!(response.message(), Some("slow down"));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn timeouts_are_retried_then_reported() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/apps"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)).set_body_json(json!({"apps": []})))
        .mount(&server)
        .await;
    let client = builder(&server).timeout(Duration::from_millis(150)).max_retries(1).build().unwrap();
    let error = client.get_apps().send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout), "{error:?}");
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn max_retries_zero_turns_retrying_off() {
    let server = server().await;
    Mock::given(method("GET")).and(path("/apps")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let error = builder(&server).max_retries(0).build().unwrap().get_apps().send().await.unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(attempts(&server).await, 1);
}
