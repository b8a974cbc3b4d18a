//! The core's workflows as typed Rust methods, against the mock.

use toriihq::Error;
use toriihq_mock::{MockConfig, MockServer, Seed};

async fn mock_and_client() -> (MockServer, toriihq::Client) {
    let seed = Seed::parse("users=3").unwrap();
    let server = MockServer::start(MockConfig { api_key: "k".into(), seed, ..MockConfig::default() }).await.unwrap();
    let client = toriihq::Client::builder().api_key("k").base_url(server.url()).build().unwrap();
    (server, client)
}

#[tokio::test]
async fn offboard_user_sets_the_status_once_and_names_an_unknown_email() {
    let (_server, client) = mock_and_client().await;
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
