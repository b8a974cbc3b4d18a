//! The core's workflows as typed Rust methods, against the mock.

use toriihq::Error;
use toriihq_mock::{MockConfig, MockServer, Seed};

async fn mock_and_client(seed: &str) -> (MockServer, toriihq::Client) {
    let seed = Seed::parse(seed).unwrap();
    let server = MockServer::start(MockConfig { api_key: "k".into(), seed, ..MockConfig::default() }).await.unwrap();
    let client = toriihq::Client::builder().api_key("k").base_url(server.url()).build().unwrap();
    (server, client)
}

#[tokio::test]
async fn offboard_user_sets_the_status_once_and_names_an_unknown_email() {
    let (_server, client) = mock_and_client("users=3").await;
    let user = client.offboard_user("USER1@example.com").await.unwrap();
    assert_eq!((user.id, user.lifecycle_status.map(|s| s.to_string())), (Some(1), Some("offboarding".into())));
    let again = client.offboard_user("user1@example.com").await.unwrap();
    assert_eq!(again.id, Some(1));
    match client.offboard_user("nobody@example.com").await {
        Err(error @ Error::NotFound(_)) => assert!(error.to_string().contains("nobody@example.com"), "{error}"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert!(matches!(client.offboard_user("nobody").await, Err(Error::InvalidArgument { .. })));
}

#[tokio::test]
async fn scim_users_are_provisioned_once_found_and_deactivated() {
    use toriihq::workflows::ScimLookup;
    let (_server, client) = mock_and_client("none").await;
    let root = client.provision_scim_user("root@example.com", serde_json::json!({"user_type": "Admin"})).await.unwrap();
    let ada = client.provision_scim_user("ada@example.com", serde_json::json!({"given_name": "Ada"})).await.unwrap();
    assert_ne!(root.id, ada.id);
    let again = client.provision_scim_user("ada@example.com", serde_json::Value::Null).await.unwrap();
    assert_eq!(again.id, ada.id, "an active user is not created twice");
    let found = client.find_scim_user(ScimLookup::Email("ada@example.com")).await.unwrap();
    assert_eq!(found.map(|u| u.id), Some(ada.id.clone()));
    let gone = client.deactivate_scim_user("ada@example.com").await.unwrap();
    assert_eq!(gone.active, Some(false));
    assert!(client.find_scim_user(ScimLookup::UserName("ada@example.com")).await.unwrap().is_none());
    assert!(matches!(client.deactivate_scim_user("ada@example.com").await, Err(Error::NotFound(_))));
    assert!(
        matches!(client.deactivate_scim_user("root@example.com").await, Err(Error::BadRequest(_))),
        "the last admin"
    );
}
