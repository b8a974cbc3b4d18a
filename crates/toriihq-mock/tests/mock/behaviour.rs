//! The mock's rules, one test each: validation, auth, state, paging, faults, the log, files, rate limits.

use crate::common;

use std::time::{Duration, Instant};

use common::{KEY, http, queue_fault, send, send_as, start, start_with};
use serde_json::{Value, json};
use toriihq_mock::{MockConfig, Seed};

fn message(answer: &common::Answer) -> &str {
    answer.body["message"].as_str().unwrap_or_default()
}

fn assert_error_body(answer: &common::Answer, status: u16) {
    assert_eq!(answer.status, status, "{:?}", answer.body);
    assert_eq!(answer.body["statusCode"], json!(status));
    assert!(answer.body["error"].is_string() && answer.body["message"].is_string(), "{:?}", answer.body);
}

#[tokio::test]
async fn an_unknown_path_is_404_with_the_error_body() {
    let server = start("").await;
    let answer = send(&server, "GET", "/no/such/thing", None).await;
    assert_error_body(&answer, 404);
}

#[tokio::test]
async fn a_parameter_of_the_wrong_type_is_400_naming_it() {
    let server = start("").await;
    let answer = send(&server, "GET", "/apps?size=ten", None).await;
    assert_error_body(&answer, 400);
    assert!(message(&answer).contains("`size`") && message(&answer).contains("integer"), "{}", message(&answer));
}

#[tokio::test]
async fn a_value_over_the_maximum_is_400_naming_it() {
    let server = start("").await;
    let answer = send(&server, "GET", "/scim/v2/Users?count=201", None).await;
    assert_error_body(&answer, 400);
    assert!(message(&answer).contains("`count`") && message(&answer).contains("200"), "{}", message(&answer));
}

#[tokio::test]
async fn a_missing_required_body_field_is_400_naming_it() {
    let server = start("").await;
    let answer = send(&server, "PUT", "/parsings/manual", Some(json!({"fileId": "f1"}))).await;
    assert_error_body(&answer, 400);
    assert!(message(&answer).contains("body.mappings is required"), "{}", message(&answer));
}

#[tokio::test]
async fn a_value_outside_the_enum_is_400_naming_it() {
    let server = start("").await;
    let answer = send_as(&server, "GET", "/apps", None, Some(KEY)).await;
    assert_eq!(answer.status, 200);
    let response = http()
        .get(format!("{}/apps", server.url()))
        .bearer_auth(KEY)
        .header("X-API-Version", "2.0")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("`X-API-Version`"), "{body}");
    let answer = send(&server, "PATCH", "/scim/v2/Users/1", Some(json!({"Operations": [{"op": "merge"}]}))).await;
    assert_error_body(&answer, 400);
    assert!(message(&answer).contains("body.Operations[0].op"), "{}", message(&answer));
}

#[tokio::test]
async fn a_missing_or_wrong_key_is_401() {
    let server = start("").await;
    assert_error_body(&send_as(&server, "GET", "/apps", None, None).await, 401);
    assert_error_body(&send_as(&server, "GET", "/apps", None, Some("wrong")).await, 401);
}

#[tokio::test]
async fn scim_users_go_through_create_get_patch_delete() {
    let server = start("none").await;
    let created = send(
        &server,
        "POST",
        "/scim/v2/Users",
        Some(json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ada@example.com", "active": true, "name": {"givenName": "Ada"}})),
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_string();
    let read = send(&server, "GET", &format!("/scim/v2/Users/{id}"), None).await;
    assert_eq!(read.body["userName"], "ada@example.com");
    let patched = send(
        &server,
        "PATCH",
        &format!("/scim/v2/Users/{id}"),
        Some(json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
            {"op": "replace", "path": "active", "value": false},
            {"op": "add", "path": "name.familyName", "value": "Lovelace"},
            {"op": "remove", "path": "name.givenName"}
        ]})),
    )
    .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    assert_eq!(patched.body["active"], false);
    assert_eq!(patched.body["name"], json!({"familyName": "Lovelace"}));
    // Torii lists active users only (facts §2.16): a deactivated user is found by id, not by the list.
    let listed = send(&server, "GET", "/scim/v2/Users?filter=userName%20eq%20%22ada@example.com%22", None).await;
    assert_eq!(listed.body["totalResults"], 0);
    assert_eq!(send(&server, "DELETE", &format!("/scim/v2/Users/{id}"), None).await.status, 204);
    assert_error_body(&send(&server, "GET", &format!("/scim/v2/Users/{id}"), None).await, 404);
}

#[tokio::test]
async fn an_update_persists_and_undeclared_keys_come_back() {
    let server = start("contracts=3").await;
    let updated =
        send(&server, "PUT", "/contracts/2", Some(json!({"name": "Renewal 2027", "renewalOwner": "ada"}))).await;
    assert_eq!(updated.status, 200);
    let read = send(&server, "GET", "/contracts/2", None).await;
    assert_eq!(read.body["name"], "Renewal 2027");
    assert_eq!(read.body["renewalOwner"], "ada");
    let selected = send(&server, "GET", "/contracts/2?fields=renewalOwner", None).await;
    assert_eq!(selected.body, json!({"id": "2", "renewalOwner": "ada"}));
}

#[tokio::test]
async fn lists_page_with_size_and_cursor_and_keep_filters() {
    let server = start("apps=2500").await;
    let mut cursor: Option<String> = None;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/apps?state=state%202&size=100&cursor={}", urlencode(c)),
            None => "/apps?state=state%202&size=100".to_string(),
        };
        let page = send(&server, "GET", &path, None).await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        assert_eq!(page.body["total"], 500, "a fifth of 2500 apps have state 2");
        let data = page.body["data"].as_array().unwrap();
        assert_eq!(page.body["count"], data.len());
        assert!(data.iter().all(|app| app["state"] == "state 2"));
        seen.extend(data.iter().map(|a| a["id"].as_str().unwrap().to_string()));
        pages += 1;
        match page.body.get("nextCursor").and_then(Value::as_str) {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen.len(), 500);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 500, "no item twice");
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")
}

#[tokio::test]
async fn scim_lists_page_by_start_index_and_count() {
    let server = start("none").await;
    for i in 0..5 {
        let user =
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": format!("u{i}@example.com")});
        assert_eq!(send(&server, "POST", "/scim/v2/Users", Some(user)).await.status, 201);
    }
    let page = send(&server, "GET", "/scim/v2/Users?startIndex=3&count=2", None).await;
    assert_eq!(page.body["totalResults"], 5);
    assert_eq!(page.body["startIndex"], 3);
    assert_eq!(page.body["itemsPerPage"], 2);
    assert_eq!(page.body["Resources"][0]["userName"], "u2@example.com");
}

#[tokio::test]
async fn a_status_fault_answers_for_the_next_n_matching_requests() {
    let server = start("").await;
    queue_fault(&server, json!({"method": "GET", "path": "/contracts/{idContract}", "times": 2, "kind": "status", "status": 429, "retry_after": 3})).await;
    for _ in 0..2 {
        let answer = send(&server, "GET", "/contracts/1", None).await;
        assert_error_body(&answer, 429);
        assert_eq!(answer.headers.get("retry-after").unwrap(), "3");
    }
    assert_eq!(send(&server, "GET", "/contracts/1", None).await.status, 200);
    queue_fault(&server, json!([{"kind": "status", "status": 500}, {"kind": "status", "status": 502}, {"kind": "status", "status": 503}])).await;
    for status in [500, 502, 503] {
        assert_error_body(&send(&server, "GET", "/apps", None).await, status);
    }
}

#[tokio::test]
async fn a_delay_fault_holds_the_answer() {
    let server = start("").await;
    queue_fault(&server, json!({"path": "/apps", "kind": "delay", "delay_ms": 300})).await;
    let started = Instant::now();
    assert_eq!(send(&server, "GET", "/apps", None).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_reset_fault_closes_the_connection_unanswered() {
    let server = start("").await;
    queue_fault(&server, json!({"path": "/apps", "kind": "reset"})).await;
    let outcome = http().get(format!("{}/apps", server.url())).bearer_auth(KEY).send().await;
    assert!(outcome.is_err(), "expected a connection error, got {outcome:?}");
    assert_eq!(send(&server, "GET", "/apps", None).await.status, 200);
}

#[tokio::test]
async fn a_truncated_fault_cuts_the_body_short() {
    let server = start("").await;
    queue_fault(&server, json!({"path": "/apps", "kind": "truncated"})).await;
    let response = http().get(format!("{}/apps", server.url())).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.bytes().await.is_err(), "reading a truncated body must fail");
}

#[tokio::test]
async fn invalid_json_and_wrong_types_faults_break_decoding() {
    let server = start("").await;
    queue_fault(&server, json!({"path": "/apps", "kind": "invalid_json"})).await;
    let answer = send(&server, "GET", "/apps", None).await;
    assert_eq!(answer.status, 200);
    assert!(answer.body.is_string(), "not JSON: {:?}", answer.body);
    queue_fault(&server, json!({"path": "/contracts/1", "kind": "wrong_types"})).await;
    let answer = send(&server, "GET", "/contracts/1", None).await;
    assert_eq!(answer.body["id"], 12345);
    assert!(answer.body["annualCost"].as_str().unwrap().starts_with("not-a-number"));
}

#[tokio::test]
async fn the_request_log_shows_what_was_sent_with_the_key_masked() {
    let server = start("").await;
    send(&server, "PUT", "/contracts/1?fields=name", Some(json!({"name": "x"}))).await;
    let log = send_as(&server, "GET", "/_mock/requests", None, None).await.body;
    let entry = &log.as_array().unwrap()[0];
    assert_eq!(entry["method"], "PUT");
    assert_eq!(entry["path"], "/contracts/1");
    assert_eq!(entry["query"], json!([["fields", "name"]]));
    assert_eq!(entry["body"], json!({"name": "x"}));
    let headers = entry["headers"].as_array().unwrap();
    let auth = headers.iter().find(|h| h[0] == "authorization").unwrap();
    assert_eq!(auth[1], "Bearer ****");
    assert!(!log.to_string().contains(KEY));
}

#[tokio::test]
async fn multipart_uploads_are_stored_and_large_ones_refused() {
    let server = start("").await;
    let form = |content: &[u8]| {
        let mut body =
            b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"users.json\"\r\n\r\n".to_vec();
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n--b--\r\n");
        body
    };
    let upload = |body: Vec<u8>| {
        http()
            .post(format!("{}/files/upload", server.url()))
            .bearer_auth(KEY)
            .header("content-type", "multipart/form-data; boundary=b")
            .body(body)
            .send()
    };
    let ok = upload(form(b"{\"users\":[]}")).await.unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    let id = ok.json::<Value>().await.unwrap()["id"].clone();
    let files = send_as(&server, "GET", "/_mock/collection?path=/files", None, None).await.body;
    assert!(files.as_array().unwrap().iter().any(|f| f["id"] == id && f["fileName"] == "users.json"), "{files}");
    let too_big = upload(form(&vec![b'x'; 3 * 1024 * 1024 + 1])).await.unwrap();
    assert_eq!(too_big.status().as_u16(), 413);
}

#[tokio::test]
async fn a_custom_integration_sync_is_recorded() {
    let server = start("").await;
    let payload = json!({"appName": "Payroll", "users": [{"email": "ada@example.com", "status": "active"}]});
    assert_eq!(send(&server, "POST", "/services/sync/custom", Some(payload.clone())).await.status, 200);
    let recorded = send_as(&server, "GET", "/_mock/collection?path=/services/sync/custom", None, None).await.body;
    assert_eq!(recorded[0]["appName"], "Payroll");
    assert_eq!(recorded[0]["users"], payload["users"]);
}

#[tokio::test]
async fn reset_restores_the_seed_and_clears_faults_and_log() {
    let server = start("contracts=2").await;
    send(&server, "PUT", "/contracts/1", Some(json!({"name": "changed"}))).await;
    queue_fault(&server, json!({"kind": "status", "status": 500})).await;
    assert_eq!(send_as(&server, "POST", "/_mock/reset", None, None).await.status, 204);
    let read = send(&server, "GET", "/contracts/1", None).await;
    assert_eq!(read.status, 200, "the fault was cleared");
    assert_ne!(read.body["name"], "changed");
    let log = send_as(&server, "GET", "/_mock/requests", None, None).await.body;
    assert_eq!(log.as_array().unwrap().len(), 1, "only the read after the reset");
}

#[tokio::test]
async fn a_rate_limit_answers_429_with_retry_after() {
    let server = start_with(MockConfig {
        api_key: KEY.into(),
        rate_limit: Some("3/min".into()),
        seed: Seed::parse("").unwrap(),
        ..MockConfig::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(send(&server, "GET", "/apps", None).await.status, 200);
    }
    let limited = send(&server, "GET", "/apps", None).await;
    assert_error_body(&limited, 429);
    let wait: u64 = limited.headers.get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    assert_eq!(send(&server, "GET", "/contracts/1", None).await.status, 200, "limits are per operation");
}

#[tokio::test]
async fn seeding_is_deterministic() {
    let first = start("users=50").await;
    let second = start("users=50").await;
    let a = send(&first, "GET", "/users?size=50", None).await.body;
    let b = send(&second, "GET", "/users?size=50", None).await.body;
    assert_eq!(a, b);
    assert_eq!(a["total"], 50);
}

#[tokio::test]
async fn the_workflow_audit_pages_by_offset_and_limit() {
    let server = common::start_version("2026-03", "/workflows/audit=7").await;
    let mut seen = Vec::new();
    for offset in [0, 3, 6, 9] {
        let answer = send(&server, "GET", &format!("/workflows/audit?offset={offset}&limit=3"), None).await;
        assert_eq!(answer.status, 200, "{:?}", answer.body);
        let page = answer.body["audit"].as_array().expect("items under `audit`").clone();
        assert!(page.len() <= 3);
        seen.extend(page);
    }
    assert_eq!(seen.len(), 7, "offset and limit are paging, not filters");
}

#[tokio::test]
async fn action_executions_are_served_under_the_specs_key() {
    let server = common::start_version("2026-03", "actionExecutions=3").await;
    let answer = send(&server, "GET", "/workflows/actionExecutions?size=2", None).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert_eq!(answer.body["response"].as_array().map(Vec::len), Some(2), "{:?}", answer.body);
    assert!(answer.body["nextCursor"].is_string());
}

#[tokio::test]
async fn a_scim_user_created_without_a_body_is_refused_not_stored_half_made() {
    let server = common::start_version("2026-03", "").await;
    let answer = send(&server, "POST", "/scim/v2/Users", None).await;
    assert_error_body(&answer, 400);
    assert!(message(&answer).contains("body.schemas is required"), "{}", message(&answer));
    for query in ["", "?sortOrder=descending&sortBy=noSuchAttribute", "?sortBy=userName"] {
        let list = send(&server, "GET", &format!("/scim/v2/Users{query}"), None).await;
        let resources = list.body["Resources"].as_array().unwrap();
        assert!(!resources.is_empty());
        for user in resources {
            assert!(user["schemas"].is_array() && user["userName"].is_string(), "{query}: {user}");
        }
    }
}

#[tokio::test]
async fn ids_are_whole_numbers_even_where_the_spec_says_number() {
    let server = common::start_version("2026-03", "users=3").await;
    let answer = send(&server, "GET", "/users", None).await;
    let users = answer.body["users"].as_array().unwrap();
    assert_eq!(users.len(), 3);
    for user in users {
        for key in ["id", "idOrg", "idRole"] {
            assert!(user[key].is_u64(), "{key} of {user}");
        }
    }
}
