//! Keys the spec does not declare (custom fields asked for with `fields=`) stay reachable.

use serde_json::json;
use toriihq_tests::{client, server};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn a_custom_field_survives_decoding_on_apps_users_and_contracts() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/apps"))
        .and(query_param("fields", "id,name,myCustomField"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "apps": [{"id": 1, "name": "Slack", "myCustomField": {"tier": "gold"}, "costCenter": 7}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contracts/3"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"contract": {"id": 3, "renewalOwner": "ada@example.com"}})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let page = client.get_apps().fields("id,name,myCustomField").send().await.unwrap();
    let apps = page.apps.unwrap();
    let app = &apps.0[0];
    assert_eq!(app.extra.get("myCustomField"), Some(&json!({"tier": "gold"})));
    assert_eq!(app.extra.get("costCenter"), Some(&json!(7)));
    assert!(!app.extra.contains_key("name"), "declared keys stay in their fields");
    let contract = client.get_contract().id_contract(3).send().await.unwrap().contract.unwrap();
    assert_eq!(contract.extra.get("renewalOwner"), Some(&json!("ada@example.com")));
    // and they go back out on serialisation
    assert_eq!(serde_json::to_value(app).unwrap()["myCustomField"], json!({"tier": "gold"}));
}

/// Types keeping custom fields decode with a generated `Deserialize` (not serde's buffering `flatten`): it must
/// keep serde's rules — a missing required key and a repeated key are errors, null and absent optional keys are
/// `None`, and an undeclared key of any shape lands in `extra`.
#[test]
fn the_generated_decoding_of_open_types_keeps_serdes_rules() {
    use toriihq::types::{NewContract, User};
    let user: User = serde_json::from_value(json!({
        "id": 7, "email": null, "department": {"name": "IT"}, "tags": [1, 2], "lifecycleStatus": "active"
    }))
    .unwrap();
    assert_eq!((user.id, user.email.as_deref(), user.first_name.as_deref()), (Some(7), None, None));
    assert_eq!(user.extra.len(), 2, "only the undeclared keys: {:?}", user.extra);
    assert_eq!(user.extra["department"], json!({"name": "IT"}));
    assert_eq!(user.extra["tags"], json!([1, 2]));
    let repeated = serde_json::from_str::<User>(r#"{"id": 1, "id": 2}"#).unwrap_err();
    assert!(repeated.to_string().contains("duplicate field `id`"), "{repeated}");
    let wrong = serde_json::from_value::<User>(json!({"id": "seven"})).unwrap_err();
    assert!(wrong.to_string().contains("invalid type"), "{wrong}");
    let missing = serde_json::from_value::<NewContract>(json!({"name": "Slack"})).unwrap_err();
    assert!(missing.to_string().contains("missing field"), "{missing}");
    let not_an_object = serde_json::from_value::<User>(json!([1])).unwrap_err();
    assert!(not_an_object.to_string().contains("an object (`User`)"), "{not_an_object}");
}
