//! The key never shows in Debug or Display of the client, its builder, or any error, and never travels to a
//! host other than the configured API.

use serde_json::json;
use toriihq_tests::{KEY, builder, client, server};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

fn assert_no_key(text: &str) {
    assert!(!text.contains(KEY), "the key leaked: {text}");
    assert!(!text.contains("S3CR3T"), "part of the key leaked: {text}");
}

#[tokio::test]
async fn client_builder_and_errors_never_show_the_key() {
    let server = server().await;
    for status in [400u16, 401, 403, 404, 409, 413, 422, 429, 500, 418] {
        Mock::given(method("GET"))
            .and(path(format!("/contracts/{status}")))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"statusCode": status, "message": "no"})))
            .mount(&server)
            .await;
    }
    let configured = builder(&server).max_retries(0);
    assert_no_key(&format!("{configured:?}"));
    let client = configured.build().unwrap();
    assert_no_key(&format!("{client:?}"));
    assert_no_key(&format!("{client:#?}"));
    for status in [400u16, 401, 403, 404, 409, 413, 422, 429, 500, 418] {
        let error = client.get_contract().id_contract(i64::from(status)).send().await.unwrap_err();
        assert_no_key(&format!("{error:?}"));
        assert_no_key(&error.to_string());
    }
    let invalid = client.get_contract().send().await.unwrap_err();
    assert_no_key(&format!("{invalid:?} {invalid}"));
    let missing = toriihq::Client::builder().api_key("").build().unwrap_err();
    assert_no_key(&format!("{missing:?} {missing}"));
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    let api = server().await;
    let elsewhere = server().await;
    Mock::given(method("GET"))
        .and(path("/contracts/1"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", format!("{}/steal", elsewhere.uri())))
        .mount(&api)
        .await;
    let error = client(&api).get_contract().id_contract(1).send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(302));
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "the redirect was followed to another host");
}
