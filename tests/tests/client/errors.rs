//! One test per error variant: each status the API documents, and each failure that is not a status.

use std::time::Duration;

use serde_json::json;
use toriihq::Error;
use toriihq_tests::{KEY, builder, server};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

async fn error_for_status(status: u16) -> Error {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/contracts/5"))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("x-request-id", "req-1")
                .set_body_json(json!({"statusCode": status, "error": "Err", "message": format!("status {status}")})),
        )
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(0).build().unwrap();
    let error = client.get_contract().id_contract(5).send().await.unwrap_err();
    let response = error.response().expect("a status error carries the answer");
    assert_eq!(response.status.as_u16(), status);
    assert_eq!(response.headers.get("x-request-id").unwrap(), "req-1");
    assert_eq!(response.message(), Some(format!("status {status}").as_str()));
    error
}

#[tokio::test]
async fn status_400_is_bad_request() {
    assert!(matches!(error_for_status(400).await, Error::BadRequest(_)));
}

#[tokio::test]
async fn status_401_is_authentication() {
    assert!(matches!(error_for_status(401).await, Error::Authentication(_)));
}

#[tokio::test]
async fn status_403_is_permission_denied() {
    assert!(matches!(error_for_status(403).await, Error::PermissionDenied(_)));
}

#[tokio::test]
async fn status_404_is_not_found() {
    let error = error_for_status(404).await;
    assert!(matches!(error, Error::NotFound(_)));
    assert_eq!(error.to_string(), "not found (HTTP 404 Not Found: status 404)");
}

#[tokio::test]
async fn status_409_is_conflict() {
    assert!(matches!(error_for_status(409).await, Error::Conflict(_)));
}

#[tokio::test]
async fn status_413_is_payload_too_large() {
    assert!(matches!(error_for_status(413).await, Error::PayloadTooLarge(_)));
}

#[tokio::test]
async fn status_422_is_unprocessable_entity() {
    assert!(matches!(error_for_status(422).await, Error::UnprocessableEntity(_)));
}

#[tokio::test]
async fn status_429_is_rate_limited() {
    assert!(matches!(error_for_status(429).await, Error::RateLimited { retry_after: None, .. }));
}

#[tokio::test]
async fn status_5xx_is_server() {
    assert!(matches!(error_for_status(500).await, Error::Server(_)));
    assert!(matches!(error_for_status(504).await, Error::Server(_)));
}

#[tokio::test]
async fn an_undocumented_status_is_unexpected_status() {
    assert!(matches!(error_for_status(418).await, Error::UnexpectedStatus(_)));
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let client = builder(&server).timeout(Duration::from_millis(100)).max_retries(0).build().unwrap();
    assert!(matches!(client.get_apps().send().await.unwrap_err(), Error::Timeout));
}

#[tokio::test]
async fn a_closed_port_is_a_connection_error_after_retries() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = toriihq::Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(1)
        .build()
        .unwrap();
    let error = client.get_apps().send().await.unwrap_err();
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
}

#[tokio::test]
async fn a_body_that_does_not_match_the_spec_is_a_decode_error_naming_where() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/apps"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"apps": [{"id": 1}, {"id": "2"}]})))
        .mount(&server)
        .await;
    let error = builder(&server).build().unwrap().get_apps().send().await.unwrap_err();
    match &error {
        Error::Decode { what, location } => {
            assert!(location.contains("apps[1].id"), "{location}");
            assert!(what.contains("invalid type: string \"2\""), "{what}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_decode_error() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/apps"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>gateway</html>"))
        .mount(&server)
        .await;
    let error = builder(&server).build().unwrap().get_apps().send().await.unwrap_err();
    assert!(matches!(&error, Error::Decode { what, .. } if what.contains("<html>")), "{error:?}");
}

#[tokio::test]
async fn a_missing_path_parameter_is_an_invalid_argument_and_sends_nothing() {
    let server = server().await;
    let error = builder(&server).build().unwrap().get_contract().send().await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { name, .. } if name == "id_contract"), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_out_of_range_argument_is_an_invalid_argument_naming_it() {
    let server = server().await;
    let error = builder(&server).build().unwrap().get_apps().size(1001).send().await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { name, .. } if name == "size"), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_bad_base_url_is_a_configuration_error() {
    let error = toriihq::Client::builder().api_key(KEY).base_url("not a url").build().unwrap_err();
    assert!(matches!(&error, Error::Config(m) if m.contains("not a URL")), "{error:?}");
    let error = toriihq::Client::builder().api_key(KEY).base_url("http://api.example.com").build().unwrap_err();
    assert!(matches!(&error, Error::Config(m) if m.contains("plain http")), "{error:?}");
    toriihq::Client::builder()
        .api_key(KEY)
        .base_url("http://api.example.com")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    toriihq::Client::builder().api_key(KEY).base_url("http://localhost:1").build().unwrap();
}
