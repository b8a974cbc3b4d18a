//! Files and syncs as Torii and its storage handle them (facts §2.11, §2.13, §3.8): the presigned URL is on
//! another origin, refuses the Torii key, expires, and is signed for one content type; a download is a 302 there;
//! a sync needs an existing, well-formed file and runs one at a time.

use crate::common;

use std::time::Duration;

use common::{KEY, http, repo, send, send_as, start_with};
use serde_json::{Value, json};
use toriihq_mock::{MockConfig, MockServer, Seed};

async fn start(presigned_ttl: Duration, sync_duration: Duration) -> MockServer {
    start_with(MockConfig {
        api_key: KEY.into(),
        seed: Seed::parse("").unwrap(),
        presigned_ttl,
        sync_duration,
        ..MockConfig::default()
    })
    .await
}

/// A presigned upload of `body` as `content_type`: its URL and file path.
async fn presign(server: &MockServer, name: &str, content_type: &str) -> (String, String) {
    let answer = send(server, "GET", &format!("/files/url?name={name}&type={content_type}"), None).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    let parameters = &answer.body["uploadFileParameters"];
    (parameters["url"].as_str().unwrap().to_string(), parameters["filePath"].as_str().unwrap().to_string())
}

/// The 3-step upload of `body`; the file's id.
async fn upload(server: &MockServer, body: &[u8]) -> Value {
    let (url, path) = presign(server, "users.json", "application/json").await;
    let put = http().put(&url).header("content-type", "application/json").body(body.to_vec()).send().await.unwrap();
    assert_eq!(put.status().as_u16(), 200);
    let stored = send(server, "POST", "/files", Some(json!({"path": path, "type": "customIntegrationData"}))).await;
    assert_eq!(stored.status, 200, "{:?}", stored.body);
    stored.body["id"].clone()
}

#[tokio::test]
async fn a_presigned_upload_goes_to_another_origin_without_the_key_and_downloads_come_back_from_there() {
    let server = start(Duration::from_secs(300), Duration::from_secs(2)).await;
    let (url, path) = presign(&server, "report.csv", "text/csv").await;
    assert!(url.starts_with(&server.storage_url()) && !url.starts_with(&server.url()), "{url}");
    assert!(path.ends_with("/report.csv"), "{path}");

    let with_key =
        http().put(&url).bearer_auth(KEY).header("content-type", "text/csv").body("a\n").send().await.unwrap();
    assert_eq!(with_key.status().as_u16(), 400);
    assert!(with_key.text().await.unwrap().contains("Only one auth mechanism"));
    let wrong_type = http().put(&url).header("content-type", "application/json").body("a\n").send().await.unwrap();
    assert_eq!(wrong_type.status().as_u16(), 403);
    assert!(wrong_type.text().await.unwrap().contains("SignatureDoesNotMatch"));

    let early = send(&server, "POST", "/files", Some(json!({"path": path, "type": "expenseReport"}))).await;
    assert_eq!(early.status, 400, "nothing was put yet: {:?}", early.body);
    let put = http().put(&url).header("content-type", "text/csv").body("a,b\n1,2\n").send().await.unwrap();
    assert_eq!(put.status().as_u16(), 200);
    let stored = send(&server, "POST", "/files", Some(json!({"path": path, "type": "expenseReport"}))).await;
    let id = stored.body["id"].as_i64().expect("an integer id");

    let summary = send_as(&server, "GET", &format!("/_mock/files/{id}"), None, None).await.body;
    assert_eq!(summary["size"], 8);
    use sha2::Digest;
    let expected: String = sha2::Sha256::digest(b"a,b\n1,2\n").iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(summary["sha256"], expected);
    let record = send(&server, "GET", &format!("/files/{id}"), None).await;
    assert_eq!(record.body["file"]["fileName"], "report.csv", "{:?}", record.body);

    let no_follow = common::http_builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let redirect =
        no_follow.get(format!("{}/files/{id}/download", server.url())).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(redirect.status().as_u16(), 302);
    let location = redirect.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&server.storage_url()), "{location}");
    let leaked = http().get(&location).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(leaked.status().as_u16(), 400);
    let bytes = http().get(&location).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(&bytes[..], b"a,b\n1,2\n");
    let missing = no_follow.get(format!("{}/files/999/download", server.url())).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}

#[tokio::test]
async fn an_expired_upload_url_is_refused() {
    let server = start(Duration::ZERO, Duration::from_secs(2)).await;
    let (url, _) = presign(&server, "a.csv", "text/csv").await;
    let put = http().put(&url).header("content-type", "text/csv").body("a\n").send().await.unwrap();
    assert_eq!(put.status().as_u16(), 403);
    assert!(put.text().await.unwrap().contains("Request has expired"));
}

#[tokio::test]
async fn a_sync_needs_a_well_formed_file_and_runs_one_at_a_time() {
    let server = start(Duration::from_secs(300), Duration::from_millis(300)).await;
    let sync =
        |id: Value| send(&server, "PUT", "/services/sync/custom", Some(json!({"idFile": id, "idAppAccount": 7})));

    let unknown = sync(json!(4242)).await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.body["message"].as_str().unwrap().starts_with("Wrong file id"), "{:?}", unknown.body);

    let six = std::fs::read(repo().join("spec/custom-integration/examples/six-problems.json")).unwrap();
    let illegal = sync(upload(&server, &six).await).await;
    assert_eq!(illegal.status, 400);
    assert_eq!(illegal.body["message"], "Illegal file structure");
    let paths: Vec<&str> =
        illegal.body["problems"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    // What JSON Schema can say of the six: all but the duplicate email (uniqueness without regard to case).
    for path in ["/users/1", "/users/2/status", "/users/3/email", "/users/3/lastUsedDate", "/licenses/0/pricePerUser"] {
        assert!(paths.contains(&path), "{path} not in {paths:?}");
    }

    let example = std::fs::read(repo().join("spec/custom-integration/examples/docs-example.json")).unwrap();
    let id = upload(&server, &example).await;
    let first = sync(id.clone()).await;
    assert_eq!((first.status, &first.body), (200, &json!({"success": true})));
    let second = sync(id.clone()).await;
    assert_eq!(second.status, 409, "{:?}", second.body);
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(sync(id).await.status, 200, "the first sync has ended");
}
