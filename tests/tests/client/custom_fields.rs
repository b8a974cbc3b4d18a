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
