//! Uploads of any size, downloads and the custom-integration sync, typed, against the mock: which way a file goes
//! by its size, that the key never reaches the storage host, retries and a fresh URL on the PUT, every problem of
//! a bad file before any request, and the 409 of a sync already running.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use toriihq::custom_integration::{CustomIntegrationFile, CustomIntegrationUser};
use toriihq::{Error, FilePart, Upload};
use toriihq_mock::{MockConfig, MockServer, Seed};

const KEY: &str = "files-test-key";
const MIB: usize = 1024 * 1024;

async fn mock(sync_duration: Duration) -> MockServer {
    let config =
        MockConfig { api_key: KEY.into(), seed: Seed::parse("none").unwrap(), sync_duration, ..MockConfig::default() };
    MockServer::start(config).await.unwrap()
}

fn client(server: &MockServer, max_retries: u32) -> toriihq::Client {
    toriihq::Client::builder().api_key(KEY).base_url(server.url()).max_retries(max_retries).build().unwrap()
}

async fn admin(server: &MockServer, method: &str, path: &str, body: Option<Value>) -> Value {
    let mut request = toriihq_tests::http().request(method.parse().unwrap(), format!("{}/_mock/{path}", server.url()));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let bytes = request.send().await.unwrap().bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

/// What the mock received since the last call, as `METHOD path` with whether it carried a key.
async fn received(server: &MockServer) -> Vec<(String, bool)> {
    let log = admin(server, "GET", "requests", None).await;
    admin(server, "DELETE", "requests", None).await;
    log.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let keyed = r["headers"].as_array().unwrap().iter().any(|h| h[0] == "authorization");
            (format!("{} {}", r["method"].as_str().unwrap(), r["path"].as_str().unwrap()), keyed)
        })
        .collect()
}

fn steps(log: &[(String, bool)]) -> Vec<String> {
    log.iter().map(|(step, _)| step.split("/upload-").next().unwrap().to_string()).collect()
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

/// A file in a folder of its own, removed with the returned guard.
fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::Builder::new().prefix("toriihq-files-").tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

#[tokio::test]
async fn a_5_mb_file_goes_the_three_step_way_with_no_key_on_the_put_and_a_2_mb_file_in_one_request() {
    let server = mock(Duration::from_secs(2)).await;
    let client = client(&server, 2);
    let big = pattern(5 * MIB);
    let (_dir, path) = temp_file("expenses.csv", &big);
    let seen: Arc<Mutex<Vec<(u64, u64)>>> = Arc::default();
    let record = seen.clone();
    let job = Upload::new(path.as_path(), "expenseReport")
        .on_progress(move |sent, total| record.lock().unwrap().push((sent, total)));
    let id = client.upload(job).await.unwrap();
    let log = received(&server).await;
    assert_eq!(steps(&log), ["GET /files/url", "PUT /_storage/uploads", "POST /files"], "{log:?}");
    assert_eq!(log.iter().map(|(_, keyed)| *keyed).collect::<Vec<_>>(), [true, false, true], "the PUT carries no key");
    let stored = admin(&server, "GET", &format!("files/{id}"), None).await;
    assert_eq!((stored["size"].as_u64(), stored["name"].as_str()), (Some(big.len() as u64), Some("expenses.csv")));
    let progress = seen.lock().unwrap().clone();
    assert_eq!(progress.last(), Some(&(big.len() as u64, big.len() as u64)));
    assert!(progress.windows(2).all(|w| w[0].0 < w[1].0) && progress.len() > 2, "{progress:?}");
    assert_eq!(&client.download(id).await.unwrap()[..], &big[..]);
    received(&server).await;

    let small = pattern(2 * MIB);
    let id = client.upload(Upload::new(FilePart::bytes("small.json", small.clone()), "attachment")).await.unwrap();
    assert_eq!(steps(&received(&server).await), ["POST /files/upload"]);
    let target = path.with_file_name("back.json");
    assert_eq!(client.download_to(id, &target).await.unwrap(), small.len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), small);
    let log = received(&server).await;
    assert_eq!(steps(&log), [format!("GET /files/{id}/download"), format!("GET /_storage/files/{id}")]);
    assert!(!log[1].1, "the download from the storage host carries no key");
}

#[tokio::test]
async fn the_put_is_retried_on_a_5xx_and_an_expired_url_is_replaced_once() {
    let server = mock(Duration::from_secs(2)).await;
    let client = client(&server, 2);
    let (_dir, path) = temp_file("big.bin", &pattern(4 * MIB));
    let fault = |status: u16, times: u32| json!({"path": "/_storage/uploads/{token}", "kind": "status", "status": status, "times": times});

    admin(&server, "POST", "faults", Some(fault(503, 1))).await;
    client.upload(Upload::new(path.as_path(), "attachment")).await.unwrap();
    assert_eq!(
        steps(&received(&server).await),
        ["GET /files/url", "PUT /_storage/uploads", "PUT /_storage/uploads", "POST /files"]
    );

    admin(&server, "POST", "faults", Some(fault(403, 1))).await;
    client.upload(Upload::new(path.as_path(), "attachment")).await.unwrap();
    let fresh = ["GET /files/url", "PUT /_storage/uploads", "GET /files/url", "PUT /_storage/uploads", "POST /files"];
    assert_eq!(steps(&received(&server).await), fresh);

    admin(&server, "POST", "faults", Some(fault(403, 2))).await;
    let error = client.upload(Upload::new(path.as_path(), "attachment")).await.unwrap_err();
    assert!(matches!(error, Error::PermissionDenied(_)), "{error:?}");
    assert_eq!(steps(&received(&server).await), fresh[..4]);
}

#[tokio::test]
async fn bad_uploads_are_refused_before_any_request() {
    let server = mock(Duration::from_secs(2)).await;
    let client = client(&server, 0);
    let missing = client.upload(Upload::new(std::path::Path::new("/no/such/file.csv"), "attachment")).await;
    assert!(matches!(&missing, Err(Error::InvalidArgument { name, .. }) if name == "file"), "{missing:?}");
    let directory = client.upload(Upload::new(std::env::temp_dir().as_path(), "attachment")).await;
    assert!(
        matches!(&directory, Err(Error::InvalidArgument { problem, .. }) if problem.contains("not a file")),
        "{directory:?}"
    );
    let kind = client.upload(Upload::new(FilePart::bytes("a.csv", b"a".to_vec()), "contract")).await;
    assert!(matches!(&kind, Err(Error::InvalidArgument { name, .. }) if name == "file_type"), "{kind:?}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_file_with_six_problems_reports_all_six_before_any_request() {
    let server = mock(Duration::from_secs(2)).await;
    let client = client(&server, 0);
    let six =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/custom-integration/examples/six-problems.json");
    let error = client.sync_custom_integration_data(7, six.as_path(), None).await.unwrap_err();
    let Error::InvalidFile { problems } = &error else { panic!("{error:?}") };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "users[1].email",
            "users[2].email",
            "users[2].status",
            "users[3].email",
            "users[3].lastUsedDate",
            "licenses[0].pricePerUser"
        ]
    );
    assert_eq!(error.kind(), "invalid_file");
    assert!(received(&server).await.is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn a_sync_stores_the_file_and_a_concurrent_one_is_a_sync_in_progress_unless_it_waits() {
    let server = mock(Duration::from_millis(1500)).await;
    let client = client(&server, 0);
    let file = CustomIntegrationFile {
        users: vec![CustomIntegrationUser { email: "ada@example.com".into(), ..Default::default() }],
        licenses: Vec::new(),
    };
    let outcome = client.sync_custom_integration_data(7, file.clone(), None).await.unwrap();
    assert!(outcome.success && outcome.warnings.is_empty(), "{outcome:?}");
    let log = received(&server).await;
    assert_eq!(steps(&log), ["POST /files/upload", "PUT /services/sync/custom"]);
    let stored = admin(&server, "GET", &format!("files/{}", outcome.id_file), None).await;
    assert_eq!(stored["size"].as_u64(), Some(file.to_json().len() as u64));

    let busy = client.sync_custom_integration_data(7, file.clone(), None).await.unwrap_err();
    assert!(matches!(busy, Error::SyncInProgress(_)), "{busy:?}");
    assert_eq!((busy.kind(), busy.status().map(|s| s.as_u16())), ("sync_in_progress", Some(409)));
    let waited = client.sync_custom_integration_data(7, file, Some(Duration::from_secs(10))).await.unwrap();
    assert!(waited.success);
    let syncs = received(&server).await.into_iter().filter(|(step, _)| step == "PUT /services/sync/custom").count();
    assert!(syncs >= 3, "the waiting sync tried again after the 409: {syncs} syncs");
}
