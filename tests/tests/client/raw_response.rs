//! `Client::call_response_with`, behind Python's `with_raw_response` and Node's `withResponse()`: an operation's
//! answer with its status and headers.

use serde_json::json;
use toriihq::Error;
use toriihq::options::CallOptions;
use toriihq_tests::{client, server};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn an_answer_keeps_its_status_and_every_header_in_order() {
    let server = server().await;
    let answer = ResponseTemplate::new(201)
        .insert_header("X-RateLimit-Remaining", "41")
        .append_header("Link", "<a>")
        .append_header("Link", "<b>")
        .set_body_json(json!({"contract": {"id": 7}}));
    Mock::given(method("GET")).and(path("/contracts/7")).respond_with(answer).mount(&server).await;
    let response = client(&server)
        .call_response_with("getContract", &json!({"idContract": 7}), Vec::new(), &CallOptions::default())
        .await
        .unwrap();
    assert_eq!(response.status, 201);
    let named =
        |name: &str| response.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
    assert_eq!(named("x-ratelimit-remaining"), ["41"]);
    assert_eq!(named("link"), ["<a>", "<b>"]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&response.body).unwrap(), json!({"contract": {"id": 7}}));
}

#[tokio::test]
async fn errors_stay_errors_and_a_workflow_has_no_one_response() {
    let server = server().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let client = client(&server);
    let options = CallOptions::default();
    let missing = client.call_response_with("getContract", &json!({"idContract": 1}), Vec::new(), &options).await;
    assert!(matches!(missing, Err(Error::NotFound(_))));
    let workflow = client.call_response_with("offboardUser", &json!({"email": "a@b.co"}), Vec::new(), &options).await;
    match workflow {
        Err(error @ Error::InvalidArgument { .. }) => assert!(error.to_string().contains("workflow"), "{error}"),
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "the workflow sent nothing");
}
