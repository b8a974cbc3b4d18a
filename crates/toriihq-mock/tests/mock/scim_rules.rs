//! The SCIM rules Torii documents (facts §2.16), as the mock keeps them.

use crate::common;

use common::send;
use serde_json::{Value, json};

const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

fn user(name: &str, user_type: &str) -> Value {
    json!({"schemas": [CORE], "userName": name, "userType": user_type, "active": true})
}

fn deactivate() -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
           "Operations": [{"op": "replace", "path": "active", "value": false}]})
}

fn filter(expression: &str) -> String {
    let encoded: String = form_urlencoded::byte_serialize(expression.as_bytes()).collect();
    format!("/scim/v2/Users?filter={encoded}")
}

#[tokio::test]
async fn a_user_name_is_unique_and_posting_an_inactive_one_reactivates_it() {
    let server = common::start_version("2026-03", "none").await;
    let ada = send(&server, "POST", "/scim/v2/Users", Some(user("ada@example.com", "Admin"))).await;
    assert_eq!(ada.status, 201);
    send(&server, "POST", "/scim/v2/Users", Some(user("bob@example.com", "Admin"))).await;
    let again = send(&server, "POST", "/scim/v2/Users", Some(user("ADA@example.com", "Admin"))).await;
    assert_eq!(again.status, 409, "{:?}", again.body);
    let id = ada.body["id"].as_str().unwrap().to_string();
    assert_eq!(send(&server, "PATCH", &format!("/scim/v2/Users/{id}"), Some(deactivate())).await.status, 200);
    assert_eq!(send(&server, "GET", &filter("userName eq \"ada@example.com\""), None).await.body["totalResults"], 0);
    let back = send(&server, "POST", "/scim/v2/Users", Some(user("ada@example.com", "Admin"))).await;
    assert_eq!(
        (back.status, back.body["id"].as_str(), back.body["active"].as_bool()),
        (201, Some(id.as_str()), Some(true))
    );
}

#[tokio::test]
async fn put_needs_an_active_user_and_a_user_name_never_changes() {
    let server = common::start_version("2026-03", "none").await;
    send(&server, "POST", "/scim/v2/Users", Some(user("root@example.com", "Admin"))).await;
    let ada = send(&server, "POST", "/scim/v2/Users", Some(user("ada@example.com", "Read Only"))).await;
    let path = format!("/scim/v2/Users/{}", ada.body["id"].as_str().unwrap());
    let renamed = send(&server, "PUT", &path, Some(user("eve@example.com", "Read Only"))).await;
    assert_eq!(renamed.status, 400, "{:?}", renamed.body);
    assert!(renamed.body["message"].as_str().unwrap().contains("userName"));
    send(&server, "PATCH", &path, Some(deactivate())).await;
    let put = send(&server, "PUT", &path, Some(user("ada@example.com", "Read Only"))).await;
    assert_eq!(put.status, 400, "{:?}", put.body);
    assert!(put.body["message"].as_str().unwrap().contains("active"));
}

#[tokio::test]
async fn the_last_admin_can_be_neither_deleted_nor_demoted() {
    let server = common::start_version("2026-03", "none").await;
    let root = send(&server, "POST", "/scim/v2/Users", Some(user("root@example.com", "Admin"))).await;
    let path = format!("/scim/v2/Users/{}", root.body["id"].as_str().unwrap());
    assert_eq!(send(&server, "DELETE", &path, None).await.status, 400);
    assert_eq!(send(&server, "PUT", &path, Some(user("root@example.com", "Read Only"))).await.status, 400);
    assert_eq!(send(&server, "PATCH", &path, Some(deactivate())).await.status, 400);
    send(&server, "POST", "/scim/v2/Users", Some(user("second@example.com", "Admin"))).await;
    assert_eq!(send(&server, "DELETE", &path, None).await.status, 204, "with a second admin the first may go");
}

#[tokio::test]
async fn filters_take_user_name_or_emails_with_escaped_quotes() {
    let server = common::start_version("2026-03", "none").await;
    let odd = r#"o"dd\name@example.com"#;
    send(&server, "POST", "/scim/v2/Users", Some(user(odd, "Admin"))).await;
    let escaped = format!("userName eq {}", serde_json::to_string(odd).unwrap());
    assert_eq!(send(&server, "GET", &filter(&escaped), None).await.body["totalResults"], 1);
    let unsupported = send(&server, "GET", &filter("displayName eq \"x\""), None).await;
    assert_eq!(unsupported.status, 400, "{:?}", unsupported.body);
    assert_eq!(send(&server, "GET", &filter("userName eq unquoted"), None).await.status, 400);
}

/// A value breaking its `format`, `x-format` or `pattern` is refused, so the mock never stores what it could not
/// serve against its own schema (schemathesis found an empty SCIM email accepted, then served).
#[tokio::test]
async fn a_user_name_that_is_no_email_is_refused_with_its_path() {
    let server = common::start_version("2026-03", "none").await;
    for (name, problem) in [("", "email"), ("not an email", "email")] {
        let refused = send(&server, "POST", "/scim/v2/Users", Some(user(name, "Admin"))).await;
        assert_eq!(refused.status, 400, "{name:?}: {:?}", refused.body);
        let message = refused.body["message"].as_str().unwrap();
        assert!(message.contains("body.userName") && message.contains(problem), "{message}");
    }
    let listed = send(&server, "GET", "/scim/v2/Users", None).await;
    assert_eq!(listed.body["totalResults"], 0, "nothing was stored");
}

fn patch(operation: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [operation]})
}

/// Found by schemathesis: a PATCH that removed `schemas` was stored, and the list then broke its own schema.
#[tokio::test]
async fn a_patch_that_would_leave_a_user_the_mock_cannot_serve_is_refused() {
    let server = common::start_version("2026-03", "none").await;
    let ada = send(&server, "POST", "/scim/v2/Users", Some(user("ada@example.com", "Admin"))).await;
    let path = format!("/scim/v2/Users/{}", ada.body["id"].as_str().unwrap());
    for (operation, problem) in [
        (json!({"op": "remove", "path": "schemas"}), "schemas is required"),
        (json!({"op": "replace", "path": "schemas", "value": "x"}), "schemas must be an array"),
        (json!({"op": "replace", "value": {"schemas": null}}), "schemas must be an array"),
        (json!({"op": "replace", "path": "active", "value": "no"}), "active must be a boolean"),
        (json!({"op": "replace", "path": "id", "value": "99"}), "id is read-only"),
        (json!({"op": "remove", "path": "id"}), "id is read-only"),
    ] {
        let answer = send(&server, "PATCH", &path, Some(patch(operation.clone()))).await;
        assert_eq!(answer.status, 400, "{operation}: {:?}", answer.body);
        assert!(answer.body["message"].as_str().unwrap().contains(problem), "{operation}: {:?}", answer.body);
    }
    let stored = send(&server, "GET", &path, None).await;
    assert_eq!((stored.body["schemas"].clone(), stored.body["active"].clone()), (json!([CORE]), json!(true)));
    let renamed =
        send(&server, "PATCH", &path, Some(patch(json!({"op": "replace", "path": "name.givenName", "value": "Ada"}))));
    assert_eq!(renamed.await.status, 200);
    assert_eq!(send(&server, "GET", &path, None).await.body["name"]["givenName"], "Ada");
}

/// Found by schemathesis on the 1.1.0 spec, whose `userName` has no format: the mock made `"1"` the user's email.
#[tokio::test]
async fn a_user_name_must_be_an_email_whatever_the_spec_says() {
    for version in ["1.1.0", "2026-03"] {
        let server = common::start_version(version, "none").await;
        let answer = send(&server, "POST", "/scim/v2/Users", Some(json!({"schemas": [CORE], "userName": "1"}))).await;
        assert_eq!(answer.status, 400, "{version}: {:?}", answer.body);
        assert!(answer.body["message"].as_str().unwrap().contains("email"), "{version}: {:?}", answer.body);
    }
}
