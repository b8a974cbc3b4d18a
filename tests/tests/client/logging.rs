//! The log: one line per attempt, naming the operation's path template, never the key, a query value or a body.

use std::sync::{Arc, Mutex};

use serde_json::json;
use toriihq::log::{LogLevel, Logger};
use toriihq_tests::{KEY, answer_once_then, builder, server};
use wiremock::ResponseTemplate;

type Lines = Arc<Mutex<Vec<(LogLevel, String)>>>;

fn recording() -> (Logger, Lines) {
    let lines: Lines = Arc::default();
    let sink = lines.clone();
    (Logger::new(move |level, line| sink.lock().unwrap().push((level, line.to_string()))), lines)
}

#[tokio::test]
async fn each_attempt_is_a_line_with_its_template_status_and_wait() {
    let server = server().await;
    let ok = ResponseTemplate::new(200).set_body_json(json!({"contract": {"id": 42}}));
    answer_once_then(&server, "GET", "/contracts/42", ResponseTemplate::new(503), ok).await;
    let (logger, lines) = recording();
    let client = builder(&server).log_level(LogLevel::Info).logger(logger).build().unwrap();
    client.get_contract().id_contract(42).send().await.unwrap();
    let lines = lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].1.starts_with("GET /contracts/{idContract} (getContract) → 503"), "{lines:?}");
    assert!(lines[0].1.contains("attempt 1 of 3; retrying in "), "{lines:?}");
    assert!(lines[1].1.starts_with("GET /contracts/{idContract} (getContract) → 200 OK in "), "{lines:?}");
    assert!(lines[1].1.ends_with("attempt 2 of 3"), "{lines:?}");
}

#[tokio::test]
async fn debug_adds_masked_headers_and_sizes_and_no_query_value_or_body_ever_shows() {
    let server = server().await;
    let page = ResponseTemplate::new(200).set_body_json(json!({"users": [], "count": 0}));
    answer_once_then(&server, "GET", "/users", page.clone(), page).await;
    let (logger, lines) = recording();
    let client = builder(&server).log_level(LogLevel::Debug).logger(logger).build().unwrap();
    client.call("getUsers", &json!({"email": "ada.secret@example.com"})).await.unwrap();
    let body = json!({"name": "Confidential renewal", "idApp": 1, "status": "active"});
    let _ = client.call("createContract", &json!({"body": body})).await;
    let text = lines.lock().unwrap().iter().map(|(_, line)| line.clone()).collect::<Vec<_>>().join("\n");
    assert!(text.contains("GET /users (getUsers) → 200 OK"), "{text}");
    assert!(text.contains("authorization: Bearer ****"), "{text}");
    assert!(text.contains("POST /contracts (createContract)") && text.contains("body "), "{text}");
    for secret in [KEY, "ada.secret", "Confidential"] {
        assert!(!text.contains(secret), "{secret} shows in the log:\n{text}");
    }
}

#[tokio::test]
async fn off_writes_nothing() {
    let server = server().await;
    let ok = ResponseTemplate::new(200).set_body_json(json!({"contract": {"id": 1}}));
    answer_once_then(&server, "GET", "/contracts/1", ok.clone(), ok).await;
    let (logger, lines) = recording();
    let client = builder(&server).log_level(LogLevel::Off).logger(logger).build().unwrap();
    client.get_contract().id_contract(1).send().await.unwrap();
    assert!(lines.lock().unwrap().is_empty());
}
