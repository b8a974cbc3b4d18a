//! The real API's shapes on the wire (wiremock answers with the documented bodies): each check covers what is
//! sent (method, path, integer ids, query, JSON or multipart body) and what is decoded (envelopes, wrapped
//! objects, custom fields, `aggregations`), plus the three paging kinds and the either-key list.

use futures::TryStreamExt;
use serde_json::json;
use toriihq::types;
use toriihq_tests::{assert_standard_headers, builder, client, header, json_body, only_request, pairs, query, server};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

fn ok(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

#[tokio::test]
async fn get_apps_decodes_the_real_page_with_owners_custom_fields_and_aggregations() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/apps"))
        .respond_with(ok(json!({
            "apps": [{"id": 7, "name": "Slack", "state": "managed", "isHidden": false,
                      "primaryOwner": {"id": 3, "email": "ada@example.com", "fullName": "Ada L"},
                      "costCentre": "R&D"}],
            "aggregations": [{"key": "managed", "value": 1, "groupCount": 1}],
            "nextCursor": "Y3Vy", "count": 1, "total": 7
        })))
        .mount(&server)
        .await;
    let page = client(&server)
        .get_apps()
        .fields("id,name,state,costCentre")
        .sort("name:asc")
        .size(10)
        .cursor("YzA=")
        .send()
        .await
        .unwrap();
    let apps = page.apps.unwrap().0;
    assert_eq!((apps[0].id, apps[0].name.as_deref()), (Some(7), Some("Slack")));
    assert_eq!(apps[0].primary_owner.as_ref().and_then(|o| o.email.as_deref()), Some("ada@example.com"));
    assert_eq!(apps[0].extra["costCentre"], json!("R&D"), "custom fields are kept");
    assert!(matches!(page.aggregations, Some(types::AppsPageAggregations::Aggregations(_))));
    assert_eq!(page.next_cursor.map(|c| c.to_string()).as_deref(), Some("Y3Vy"));
    assert_eq!((page.count, page.total), (Some(1), Some(7)));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(
        query(&request),
        pairs(&[("fields", "id,name,state,costCentre"), ("sort", "name:asc"), ("size", "10"), ("cursor", "YzA=")])
    );
}

#[tokio::test]
async fn a_configured_api_version_is_sent_as_a_header() {
    let server = server().await;
    Mock::given(method("GET")).and(path("/apps")).respond_with(ok(json!({"apps": []}))).mount(&server).await;
    builder(&server).api_version("1.1").build().unwrap().get_apps().send().await.unwrap();
    assert_eq!(header(&only_request(&server).await, "x-api-version"), Some("1.1"));
}

#[tokio::test]
async fn get_contract_takes_an_integer_id_and_unwraps_nothing_it_was_not_asked_to() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/contracts/42"))
        .respond_with(ok(
            json!({"contract": {"id": 42, "name": "Slack 2026", "status": "active", "endDate": "2026-12-31"}}),
        ))
        .mount(&server)
        .await;
    let answer = client(&server).get_contract().id_contract(42).fields("id,name,endDate").send().await.unwrap();
    let contract = answer.contract.unwrap();
    assert_eq!((contract.id, contract.name.as_deref()), (Some(42), Some("Slack 2026")));
    assert_eq!(contract.extra["endDate"], json!("2026-12-31"));
    assert_eq!(query(&only_request(&server).await), pairs(&[("fields", "id,name,endDate")]));
}

#[tokio::test]
async fn update_contract_sends_any_field_by_its_system_key() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/contracts/42"))
        .respond_with(ok(json!({"contract": {"id": 42, "name": "Renewal 2027", "status": "active"}})))
        .mount(&server)
        .await;
    let body: types::UpdateContract =
        serde_json::from_value(json!({"name": "Renewal 2027", "amount": {"value": 1200, "currency": "EUR"}})).unwrap();
    let updated = client(&server).update_contract().id_contract(42).body(body).send().await.unwrap();
    assert_eq!(updated.contract.and_then(|c| c.name).as_deref(), Some("Renewal 2027"));
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(json_body(&request), json!({"name": "Renewal 2027", "amount": {"value": 1200, "currency": "EUR"}}));
}

#[tokio::test]
async fn delete_contract_answers_204() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/contracts/5"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let response = client(&server).delete_contract().id_contract(5).send_with_response().await.unwrap();
    assert_eq!(response.status().as_u16(), 204);
}

#[tokio::test]
async fn update_user_sets_the_lifecycle_status() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/users/9"))
        .respond_with(ok(json!({"user": {"id": 9, "email": "leaver@example.com", "lifecycleStatus": "offboarding"}})))
        .mount(&server)
        .await;
    let body = types::EditableUser { lifecycle_status: types::EditableUserLifecycleStatus::Offboarding };
    let user = client(&server).update_user().id_user(9).body(body).send().await.unwrap().user.unwrap();
    assert_eq!(user.lifecycle_status, Some(types::UserLifecycleStatus::Offboarding));
    assert_eq!(json_body(&only_request(&server).await), json!({"lifecycleStatus": "offboarding"}));
}

#[tokio::test]
async fn the_audit_log_decodes_its_entries_and_pages_without_a_total() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/audit"))
        .respond_with(ok(json!({
            "audit": [{"performedBy": 1, "performedByEmail": "ada@example.com", "type": "create_contract",
                       "creationTime": "2026-11-30T10:00:00Z", "properties": {"idContract": 42}}],
            "nextCursor": "bmV4dA==", "count": 1
        })))
        .mount(&server)
        .await;
    let page = client(&server).get_audit().sort(types::GetAuditSort::Asc).size(1000).send().await.unwrap();
    let entries = page.audit.unwrap().0;
    assert_eq!(entries[0].performed_by_email.as_deref(), Some("ada@example.com"));
    assert_eq!(page.next_cursor.map(|c| c.to_string()).as_deref(), Some("bmV4dA=="));
    assert_eq!(query(&only_request(&server).await), pairs(&[("sort", "asc"), ("size", "1000")]));
}

#[tokio::test]
async fn action_executions_are_read_from_whichever_documented_key_the_server_sends() {
    let server = server().await;
    let execution = |id: i64| {
        json!({"id": id, "idOrg": 1, "idWorkflow": 2, "idWorkflowExecution": 3, "idAction": "a",
                                     "isRun": true, "isCompleted": true, "continueOnError": false, "isIgnored": false})
    };
    Mock::given(method("GET"))
        .and(path("/workflows/actionExecutions"))
        .and(query_param("cursor", "cGFnZTI="))
        .respond_with(ok(json!({"actionExecutions": [execution(3)], "count": 1, "total": 3})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/workflows/actionExecutions"))
        .respond_with(ok(
            json!({"response": [execution(1), execution(2)], "nextCursor": "cGFnZTI=", "count": 2, "total": 3}),
        ))
        .mount(&server)
        .await;
    let items: Vec<types::ActionExecution> =
        client(&server).get_workflow_action_executions_stream(|request| request.size(2)).try_collect().await.unwrap();
    assert_eq!(items.iter().map(|e| e.id).collect::<Vec<_>>(), vec![1, 2, 3]);
    let by_name: Vec<serde_json::Value> =
        client(&server).call_stream("getWorkflowActionExecutions", json!({"size": 2})).try_collect().await.unwrap();
    assert_eq!(by_name.len(), 3, "the by-name stream (under Python and Node) reads either key too");
}

#[tokio::test]
async fn the_workflow_audit_pages_by_offset_until_a_short_page() {
    let server = server().await;
    let entries = |n: usize| json!({"audit": (0..n).map(|i| json!({"type": "update_workflow", "message": format!("edit {i}")})).collect::<Vec<_>>()});
    for (offset, n) in [("0", 2), ("2", 2), ("4", 1)] {
        Mock::given(method("GET"))
            .and(path("/workflows/audit"))
            .and(query_param("offset", offset))
            .respond_with(ok(entries(n)))
            .mount(&server)
            .await;
    }
    let items: Vec<types::WorkflowAuditEntry> =
        client(&server).get_workflow_audit_stream(|request| request.limit(2)).try_collect().await.unwrap();
    assert_eq!(items.len(), 5);
    let requests = server.received_requests().await.unwrap();
    let offsets: Vec<String> = requests.iter().map(|r| query(r)["offset"].clone()).collect();
    assert_eq!(offsets, ["0", "2", "4"], "the short third page ends the list");
    assert!(requests.iter().all(|r| query(r)["limit"] == "2"), "the caller's limit is sent with every page");
}

#[tokio::test]
async fn scim_lists_create_patch_and_delete() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users"))
        .respond_with(ok(json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 1, "startIndex": 1, "itemsPerPage": 1,
            "Resources": [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "9", "userName": "ada@example.com", "active": true}]})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/scim/v2/Users"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "10", "userName": "bo@example.com", "active": true})),
        )
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/scim/v2/Users/10"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/scim/v2/Users/10"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let list = client
        .list_scim_users()
        .filter("userName eq \"ada@example.com\"")
        .start_index(1)
        .count(50)
        .send()
        .await
        .unwrap();
    assert_eq!(list.resources.unwrap().0[0].user_name.as_deref(), Some("ada@example.com"));
    let create: types::ScimCreateUser = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bo@example.com", "active": true
    }))
    .unwrap();
    let created = client.create_scim_user().body(create).send().await.unwrap();
    assert_eq!(created.id.as_deref(), Some("10"));
    let patch: types::ScimPatchRequest = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": false}]
    }))
    .unwrap();
    client.patch_scim_user().id_user(10).body(patch).send().await.unwrap();
    assert_eq!(client.delete_scim_user().id_user(10).send_with_response().await.unwrap().status().as_u16(), 204);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        query(&requests[0]),
        pairs(&[("filter", "userName eq \"ada@example.com\""), ("startIndex", "1"), ("count", "50")])
    );
    assert_eq!(json_body(&requests[2])["Operations"][0]["value"], json!(false), "a boolean stays a boolean");
}

#[tokio::test]
async fn the_upload_sends_file_and_type_and_takes_a_201() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/files/upload"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 77})))
        .mount(&server)
        .await;
    let uploaded = client(&server)
        .upload_file()
        .file(toriihq::FilePart::bytes("users.json", br#"{"users":[]}"#.to_vec()))
        .type_("customIntegrationData")
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.id, Some(77));
    let request = only_request(&server).await;
    assert_standard_headers(&request);
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains("Content-Disposition: form-data; name=\"file\"; filename=\"users.json\""), "{body}");
    assert!(body.contains("Content-Disposition: form-data; name=\"type\"\r\n\r\ncustomIntegrationData"), "{body}");
}

#[tokio::test]
async fn an_upload_without_a_valid_type_is_refused_before_sending() {
    let server = server().await;
    let file = || toriihq::FilePart::bytes("users.json", b"{}".to_vec());
    let missing = client(&server).upload_file().file(file()).send().await.unwrap_err();
    let wrong = client(&server).upload_file().file(file()).type_("contract").send().await.unwrap_err();
    assert_eq!((missing.kind(), wrong.kind()), ("invalid_argument", "invalid_argument"));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_presigned_upload_url_needs_a_name_and_a_content_type() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/files/url"))
        .respond_with(ok(json!({"uploadFileParameters": {"url": "https://uploads.example.com/put?sig=1", "filePath": "1700000000/big.csv"}})))
        .mount(&server)
        .await;
    let answer = client(&server).get_file_upload_url().name("big.csv").type_("text/csv").send().await.unwrap();
    let target = answer.upload_file_parameters.unwrap();
    assert_eq!(target.file_path.as_deref(), Some("1700000000/big.csv"));
    assert_eq!(query(&only_request(&server).await), pairs(&[("name", "big.csv"), ("type", "text/csv")]));
}

#[tokio::test]
async fn the_custom_integration_sync_is_a_put_of_file_and_account() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/services/sync/custom"))
        .respond_with(ok(json!({"success": true})))
        .mount(&server)
        .await;
    let body = types::CustomIntegrationSyncConfiguration { id_file: 77, id_app_account: 5 };
    let sync = client(&server).sync_custom_integration().body(body).send().await.unwrap();
    assert_eq!(sync.success, Some(true));
    assert_eq!(json_body(&only_request(&server).await), json!({"idFile": 77, "idAppAccount": 5}));
}

#[tokio::test]
async fn parsings_take_a_parse_config_and_answer_wrapped() {
    let server = server().await;
    Mock::given(method("PUT")).and(path("/parsings/manual")).respond_with(ok(json!({"id": 8}))).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/parsings/8"))
        .respond_with(ok(json!({"parse": {"id": 8, "status": "parsed_successfully", "matchedTransactions": 3}})))
        .mount(&server)
        .await;
    let config = json!({"parseConfig": {"idFile": 77, "transactionDateColumn": "A", "descriptionColumn": "B",
                                       "amountColumn": "C", "dateFormat": "DD/MM/YYYY", "currency": "USD"}});
    let client = client(&server);
    let started = client
        .update_parsing_manual()
        .body(serde_json::from_value::<types::ManualParseConfiguration>(config.clone()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(started.id, Some(8));
    let parse = client.get_parsing_request().id(8).send().await.unwrap().parse.unwrap();
    assert_eq!(parse.matched_transactions, Some(3));
    assert_eq!(json_body(&server.received_requests().await.unwrap()[0]), config, "the date format is sent as written");
}
