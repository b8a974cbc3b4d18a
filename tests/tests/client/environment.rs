//! Settings read from the environment. One test, because the environment is shared by the whole process.

use toriihq::Error;

#[tokio::test]
async fn the_key_and_base_url_come_from_the_environment_when_not_given() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({"apps": []})))
        .mount(&server)
        .await;
    // SAFETY: this test binary has this one test, so nothing reads the environment concurrently.
    unsafe {
        std::env::remove_var("TORII_API_KEY");
        std::env::remove_var("TORII_BASE_URL");
    }
    let missing = toriihq::Client::from_env().unwrap_err();
    assert!(matches!(&missing, Error::Config(m) if m.contains("TORII_API_KEY")), "{missing:?}");
    unsafe {
        std::env::set_var("TORII_API_KEY", "env-key");
        std::env::set_var("TORII_BASE_URL", server.uri());
    }
    let client = toriihq::Client::from_env().unwrap();
    client.get_apps().send().await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.headers.get("authorization").unwrap(), "Bearer env-key");
    unsafe {
        std::env::remove_var("TORII_BASE_URL");
    }
    let default = toriihq::Client::from_env().unwrap();
    assert_eq!(default.base_url(), toriihq::DEFAULT_BASE_URL);
}
