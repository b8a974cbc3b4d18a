//! Item streams over paged lists: every item, every page, the caller's filters on every request.

use futures::TryStreamExt;
use serde_json::{Value, json};
use toriihq_tests::{builder, client, query, server, torii_mock};
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

/// Serves `total` apps in pages of `size`, the cursor being the offset as text.
struct AppPages {
    total: usize,
}

impl Respond for AppPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let q = query(request);
        let size: usize = q.get("size").and_then(|s| s.parse().ok()).unwrap_or(1000);
        let start: usize = q.get("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
        let end = (start + size).min(self.total);
        let data: Vec<Value> = (start..end).map(|i| json!({"id": i, "state": "managed"})).collect();
        let mut body = json!({"apps": data, "count": end - start, "total": self.total});
        if end < self.total {
            body["nextCursor"] = json!(format!("{end:04}"));
        }
        ResponseTemplate::new(200).set_body_json(body)
    }
}

#[tokio::test]
async fn every_item_of_every_page_arrives_and_each_request_keeps_the_filters() {
    let server = server().await;
    Mock::given(method("GET")).and(path("/apps")).respond_with(AppPages { total: 2500 }).mount(&server).await;
    let client = client(&server);
    let apps: Vec<_> =
        client.get_apps_stream(|request| request.q("slack").fields("id,state").size(1000)).try_collect().await.unwrap();
    assert_eq!(apps.len(), 2500);
    let ids: Vec<i64> = apps.iter().map(|a| a.id.unwrap()).collect();
    assert_eq!((ids.first(), ids.last()), (Some(&0), Some(&2499)));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for (i, request) in requests.iter().enumerate() {
        let q = query(request);
        assert_eq!(q.get("q").map(String::as_str), Some("slack"), "page {i} lost the search");
        assert_eq!(q.get("fields").map(String::as_str), Some("id,state"), "page {i} lost fields");
        assert_eq!(q.get("size").map(String::as_str), Some("1000"), "page {i} lost size");
    }
    assert_eq!(query(&requests[0]).get("cursor"), None);
    assert_eq!(query(&requests[1]).get("cursor").map(String::as_str), Some("1000"));
    assert_eq!(query(&requests[2]).get("cursor").map(String::as_str), Some("2000"));
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error() {
    let server = server().await;
    Mock::given(method("GET")).and(path("/users")).respond_with(ResponseTemplate::new(403)).mount(&server).await;
    let client = builder(&server).max_retries(0).build().unwrap();
    let outcome: Result<Vec<_>, _> = client.get_users_stream(|r| r).try_collect().await;
    assert!(matches!(outcome, Err(toriihq::Error::PermissionDenied(_))));
}

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

/// SCIM lists page by 1-based `startIndex` and `count`, and stop at `totalResults`.
struct ScimPages {
    total: usize,
}

impl Respond for ScimPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let q = query(request);
        let count: usize = q.get("count").and_then(|s| s.parse().ok()).unwrap_or(100);
        let start: usize = q.get("startIndex").and_then(|s| s.parse().ok()).unwrap_or(1);
        let first = start - 1;
        let last = (first + count).min(self.total);
        let resources: Vec<Value> = (first..last)
            .map(|i| json!({"schemas": [USER], "id": i.to_string(), "userName": format!("u{i}@example.com")}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": self.total, "startIndex": start, "itemsPerPage": resources.len(), "Resources": resources
        }))
    }
}

#[tokio::test]
async fn scim_users_page_by_start_index_until_total_results() {
    let server = server().await;
    Mock::given(method("GET")).and(path("/scim/v2/Users")).respond_with(ScimPages { total: 5 }).mount(&server).await;
    let users: Vec<_> =
        client(&server).list_scim_users_stream(|r| r.count(2).filter("userName sw \"u\"")).try_collect().await.unwrap();
    assert_eq!(users.len(), 5);
    assert_eq!(users[4].user_name.as_deref(), Some("u4@example.com"));
    let requests = server.received_requests().await.unwrap();
    let starts: Vec<String> = requests.iter().map(|r| query(r)["startIndex"].clone()).collect();
    assert_eq!(starts, ["1", "3", "5"]);
    assert!(requests.iter().all(|r| query(r)["filter"] == "userName sw \"u\"" && query(r)["count"] == "2"));
}

#[tokio::test]
async fn pages_decoded_ahead_keep_their_order_and_custom_fields() {
    let (_server, client) = torii_mock("users=2500").await;
    let users: Vec<_> =
        client.get_users_stream(|request| request.size(1000).fields("email,department")).try_collect().await.unwrap();
    let ids: Vec<i64> = users.iter().map(|u| u.id.unwrap()).collect();
    assert_eq!(ids, (1..=2500).collect::<Vec<_>>(), "every user, once, in order");
    assert_eq!(users[1234].extra.get("department"), Some(&json!("department 1235")));
    assert_eq!(users[1234].email.as_deref(), Some("user1235@example.com"));
}

#[tokio::test]
async fn a_page_that_does_not_decode_ends_the_stream_naming_where() {
    let (server, client) = torii_mock("users=2500").await;
    let fault = json!({"method": "GET", "path": "/users", "after": 1, "kind": "wrong_types"});
    let (status, _) = server.admin("POST", "faults", fault.to_string().as_bytes()).await;
    assert_eq!(status, 201);
    let mut stream = client.get_users_stream(|request| request.size(1000));
    let mut first_page = 0;
    let error = loop {
        match stream.try_next().await {
            Ok(Some(_)) => first_page += 1,
            Ok(None) => panic!("the broken second page ended the stream quietly"),
            Err(error) => break error,
        }
    };
    assert_eq!(first_page, 1000, "the first page arrives whole before the second fails");
    let text = error.to_string();
    assert!(matches!(error, toriihq::Error::Decode { .. }), "{text}");
    assert!(text.contains("users[0]"), "the JSON path of the mismatch is named: {text}");
}
