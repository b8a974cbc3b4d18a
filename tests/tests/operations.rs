//! Every operation of the spec, each checked on the wire (method, path, query, headers, JSON body) and in the
//! decoded response.

use serde_json::json;
use toriihq::types;
use toriihq_tests::{assert_standard_headers, builder, client, header, json_body, only_request, pairs, query, server};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

fn ok(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

#[tokio::test]
async fn get_apps_sends_filters_and_decodes_the_page() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/apps"))
        .respond_with(ok(json!({
            "data": [{"id": "1", "name": "Slack", "state": "managed", "activeUsers": 40}],
            "nextCursor": "Y3Vy", "count": 1, "total": 7
        })))
        .mount(&server)
        .await;
    let page = client(&server)
        .get_apps()
        .fields("id,name,state")
        .state("managed")
        .sort("name:asc")
        .size(10)
        .cursor("c0")
        .send()
        .await
        .unwrap();
    assert_eq!(page.data[0].name.as_deref(), Some("Slack"));
    assert_eq!(page.data[0].active_users, Some(40));
    assert_eq!(page.next_cursor.as_deref(), Some("Y3Vy"));
    assert_eq!((page.count, page.total), (Some(1), Some(7)));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        query(&request),
        pairs(&[
            ("fields", "id,name,state"),
            ("state", "managed"),
            ("sort", "name:asc"),
            ("size", "10"),
            ("cursor", "c0")
        ])
    );
}

#[tokio::test]
async fn a_configured_api_version_is_sent_and_a_per_call_one_wins() {
    let server = server().await;
    Mock::given(method("GET")).and(path("/apps")).respond_with(ok(json!({"data": []}))).mount(&server).await;
    let client = builder(&server).api_version("1.1").build().unwrap();
    client.get_apps().send().await.unwrap();
    client.get_apps().x_api_version(types::ApiVersion::X10).send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(header(&requests[0], "x-api-version"), Some("1.1"));
    assert_eq!(header(&requests[1], "x-api-version"), Some("1.0"));
}

#[tokio::test]
async fn get_apps_metadata_searches() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/apps/metadata"))
        .respond_with(ok(json!({"data": [{"key": "owner", "name": "Owner", "type": "user", "isCustom": false}]})))
        .mount(&server)
        .await;
    let fields = client(&server).get_apps_metadata().search("own").send().await.unwrap();
    assert_eq!(fields.data[0].key.as_deref(), Some("owner"));
    assert_eq!(fields.data[0].is_custom, Some(false));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(query(&request), pairs(&[("search", "own")]));
}

#[tokio::test]
async fn get_users_pages_with_size_and_cursor() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/users"))
        .respond_with(ok(json!({"data": [{"id": "u1", "email": "ada@example.com", "isExternal": false}], "total": 1})))
        .mount(&server)
        .await;
    let page = client(&server).get_users().fields("id,email").size(500).cursor("abc").send().await.unwrap();
    assert_eq!(page.data[0].email.as_deref(), Some("ada@example.com"));
    assert_eq!(page.total, Some(1));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(query(&request), pairs(&[("fields", "id,email"), ("size", "500"), ("cursor", "abc")]));
}

#[tokio::test]
async fn get_users_metadata_searches() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/users/metadata"))
        .respond_with(ok(json!({"data": [{"key": "email", "name": "Email", "type": "email"}]})))
        .mount(&server)
        .await;
    let fields = client(&server).get_users_metadata().search("mail").send().await.unwrap();
    assert_eq!(fields.data[0].name.as_deref(), Some("Email"));
    assert_eq!(query(&only_request(&server).await), pairs(&[("search", "mail")]));
}

#[tokio::test]
async fn get_contract_by_id() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/contracts/42"))
        .respond_with(ok(json!({"id": "42", "name": "Slack 2026", "status": "active", "endDate": "2026-12-31"})))
        .mount(&server)
        .await;
    let contract = client(&server).get_contract().id_contract("42").send().await.unwrap();
    assert_eq!(contract.name.as_deref(), Some("Slack 2026"));
    assert_eq!(contract.end_date.map(|d| d.to_string()).as_deref(), Some("2026-12-31"));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(request.method.as_str(), "GET");
}

#[tokio::test]
async fn update_contract_sends_the_json_body() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/contracts/42"))
        .respond_with(ok(json!({"id": "42", "name": "Renewal 2027", "status": "active"})))
        .mount(&server)
        .await;
    let updated = client(&server)
        .update_contract()
        .id_contract("42")
        .body_map(|b| b.name("Renewal 2027".to_string()).annual_cost(1200.5))
        .send()
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("Renewal 2027"));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(json_body(&request), json!({"name": "Renewal 2027", "annualCost": 1200.5}));
}

#[tokio::test]
async fn get_contracts_metadata_searches() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/contracts/metadata"))
        .respond_with(ok(json!({"data": [{"key": "endDate", "name": "End date", "type": "datePicker"}]})))
        .mount(&server)
        .await;
    let fields = client(&server).get_contracts_metadata().search("end").send().await.unwrap();
    assert_eq!(fields.data[0].key.as_deref(), Some("endDate"));
    assert_eq!(query(&only_request(&server).await), pairs(&[("search", "end")]));
}

#[tokio::test]
async fn get_audit_pages() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/audit"))
        .respond_with(ok(json!({"data": [{"id": "a1", "action": "create_contract", "details": {"k": 1}}], "count": 1})))
        .mount(&server)
        .await;
    let page = client(&server).get_audit().sort("desc").size(1000).send().await.unwrap();
    assert_eq!(page.data[0].action.as_deref(), Some("create_contract"));
    assert_eq!(page.data[0].details.get("k"), Some(&json!(1)));
    assert_eq!(query(&only_request(&server).await), pairs(&[("sort", "desc"), ("size", "1000")]));
}

#[tokio::test]
async fn get_file_upload_url() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/files/url"))
        .respond_with(ok(json!({"url": "https://uploads.example.com/put?sig=1", "fileId": "f1"})))
        .mount(&server)
        .await;
    let target = client(&server).get_file_upload_url().send().await.unwrap();
    assert_eq!(target.file_id.as_deref(), Some("f1"));
    assert_eq!(target.url.as_deref(), Some("https://uploads.example.com/put?sig=1"));
    assert_standard_headers(&only_request(&server).await);
}

#[tokio::test]
async fn get_parsing_request() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/parsings/p7"))
        .respond_with(ok(json!({"id": "p7", "status": "parsed_successfully", "columns": ["A", "B"]})))
        .mount(&server)
        .await;
    let parse = client(&server).get_parsing_request().id("p7").send().await.unwrap();
    assert_eq!(parse.status.as_deref(), Some("parsed_successfully"));
    assert_eq!(parse.columns, vec!["A".to_string(), "B".to_string()]);
    assert_standard_headers(&only_request(&server).await);
}

#[tokio::test]
async fn update_parsing_manual_sends_the_mapping() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/parsings/manual"))
        .respond_with(ok(json!({"id": "p8", "status": "parsing_in_progress"})))
        .mount(&server)
        .await;
    let body = json!({"fileId": "f1", "mappings": [{"sourceColumn": "A", "targetField": "amount"}]});
    let parse = client(&server)
        .update_parsing_manual()
        .body(serde_json::from_value::<types::UpdateParsingManualBody>(body.clone()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(parse.id.as_deref(), Some("p8"));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(json_body(&request), body);
}

#[tokio::test]
async fn sync_custom_integration_posts_the_payload() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/services/sync/custom"))
        .respond_with(ok(json!({"status": "queued"})))
        .mount(&server)
        .await;
    let body = json!({"appName": "Payroll", "users": [{"email": "ada@example.com", "status": "active"}]});
    let sync = client(&server)
        .sync_custom_integration()
        .body(serde_json::from_value::<types::SyncCustomIntegrationBody>(body.clone()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(sync.status.as_deref(), Some("queued"));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(json_body(&request), body);
}

#[tokio::test]
async fn get_workflow_action_executions() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/workflows/actionExecutions"))
        .respond_with(ok(json!({"data": [{"id": "e1", "workflowId": "w1", "status": "completed"}], "total": 1})))
        .mount(&server)
        .await;
    let page = client(&server).get_workflow_action_executions().size(50).send().await.unwrap();
    assert_eq!(page.data[0].workflow_id.as_deref(), Some("w1"));
    assert_eq!(query(&only_request(&server).await), pairs(&[("size", "50")]));
}

#[tokio::test]
async fn list_scim_users_filters() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users"))
        .respond_with(ok(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 1, "startIndex": 1, "itemsPerPage": 1,
            "Resources": [{"id": "9", "userName": "ada@example.com", "active": true}]
        })))
        .mount(&server)
        .await;
    let list = client(&server)
        .list_scim_users()
        .filter("userName eq \"ada@example.com\"")
        .start_index(1)
        .count(50)
        .send()
        .await
        .unwrap();
    assert_eq!(list.resources[0].user_name.as_deref(), Some("ada@example.com"));
    assert_eq!(list.total_results, Some(1));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(
        query(&request),
        pairs(&[("filter", "userName eq \"ada@example.com\""), ("startIndex", "1"), ("count", "50")])
    );
}

#[tokio::test]
async fn create_scim_user_answers_201() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/scim/v2/Users"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": "10", "userName": "bo@example.com", "active": true})),
        )
        .mount(&server)
        .await;
    let created = client(&server)
        .create_scim_user()
        .body_map(|u| {
            u.user_name("bo@example.com".to_string())
                .schemas(vec!["urn:ietf:params:scim:schemas:core:2.0:User".to_string()])
                .active(true)
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.id.as_deref(), Some("10"));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(
        json_body(&request),
        json!({"userName": "bo@example.com", "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "active": true})
    );
}

#[tokio::test]
async fn get_scim_user() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users/10"))
        .respond_with(ok(json!({"id": "10", "userName": "bo@example.com", "name": {"givenName": "Bo"}})))
        .mount(&server)
        .await;
    let user = client(&server).get_scim_user().id_user("10").send().await.unwrap();
    assert_eq!(user.name.and_then(|n| n.given_name).as_deref(), Some("Bo"));
    assert_standard_headers(&only_request(&server).await);
}

#[tokio::test]
async fn patch_scim_user_sends_operations() {
    let server = server().await;
    Mock::given(method("PATCH"))
        .and(path("/scim/v2/Users/10"))
        .respond_with(ok(json!({"id": "10", "userName": "bo@example.com", "active": false})))
        .mount(&server)
        .await;
    let body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": false}]
    });
    let user = client(&server)
        .patch_scim_user()
        .id_user("10")
        .body(serde_json::from_value::<types::PatchScimUserBody>(body.clone()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(user.active, Some(false));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(json_body(&request), body);
}

#[tokio::test]
async fn delete_scim_user_answers_204() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/scim/v2/Users/10"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let response = client(&server).delete_scim_user().id_user("10").send_with_response().await.unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(request.method.as_str(), "DELETE");
}

#[tokio::test]
async fn upload_file_sends_a_multipart_form() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/files/upload"))
        .respond_with(ok(json!({"id": "f9", "url": "https://files.example.com/f9"})))
        .mount(&server)
        .await;
    let uploaded = client(&server)
        .upload_file()
        .file(toriihq::FilePart::bytes("users.json", br#"{"users":[]}"#.to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.id.as_deref(), Some("f9"));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    let content_type = header(&request, "content-type").unwrap();
    assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains("Content-Disposition: form-data; name=\"file\"; filename=\"users.json\""), "{body}");
    assert!(body.contains("Content-Type: application/json"), "{body}");
    assert!(body.contains(r#"{"users":[]}"#), "{body}");
}
