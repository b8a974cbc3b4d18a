//! Multipart upload: size checked before any byte is sent, from a path or from bytes.

use serde_json::json;
use toriihq::{Error, FilePart, MAX_UPLOAD_BYTES};
use toriihq_tests::{answer_once_then, client, server};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

async fn upload_server() -> wiremock::MockServer {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/files/upload"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_file_one_byte_over_three_mib_is_refused_before_sending() {
    let server = upload_server().await;
    let client = client(&server);
    let too_big = vec![b'x'; MAX_UPLOAD_BYTES as usize + 1];
    let error = client
        .upload_file()
        .type_("expenseReport")
        .file(FilePart::bytes("big.csv", too_big.clone()))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidArgument { name, problem, .. } if name == "file" && problem.contains("3145729")),
        "{error:?}"
    );

    let dir = std::env::temp_dir().join(format!("toriihq-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let on_disk = dir.join("big.csv");
    std::fs::write(&on_disk, &too_big).unwrap();
    let error = client.upload_file().type_("expenseReport").file(on_disk.as_path()).send().await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { name, .. } if name == "file"), "{error:?}");
    std::fs::remove_dir_all(&dir).unwrap();

    assert!(server.received_requests().await.unwrap().is_empty(), "bytes were sent for a refused file");
}

#[tokio::test]
async fn a_file_of_exactly_three_mib_is_sent_from_a_path() {
    let server = upload_server().await;
    let dir = std::env::temp_dir().join(format!("toriihq-upload-ok-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("users.csv");
    std::fs::write(&file, vec![b'y'; MAX_UPLOAD_BYTES as usize]).unwrap();
    let uploaded =
        client(&server).upload_file().type_("expenseReport").file(file.to_str().unwrap()).send().await.unwrap();
    assert_eq!(uploaded.id, Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].body.len() > MAX_UPLOAD_BYTES as usize);
    let body = String::from_utf8_lossy(&requests[0].body[..300]);
    assert!(body.contains("filename=\"users.csv\"") && body.contains("Content-Type: text/csv"), "{body}");
}

#[tokio::test]
async fn a_missing_file_is_an_invalid_argument() {
    let server = upload_server().await;
    let error = client(&server).upload_file().type_("expenseReport").send().await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidArgument { name, problem, .. } if name == "file" && problem == "is required")
    );
    let error =
        client(&server).upload_file().type_("expenseReport").file("/no/such/file.csv").send().await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { problem, .. } if problem.contains("cannot read")), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_upload_answered_429_is_retried_with_the_same_bytes() {
    let server = server().await;
    answer_once_then(
        &server,
        "POST",
        "/files/upload",
        ResponseTemplate::new(429).insert_header("Retry-After", "0"),
        ResponseTemplate::new(201).set_body_json(json!({"id": 2})),
    )
    .await;
    let uploaded = client(&server)
        .upload_file()
        .type_("expenseReport")
        .file(FilePart::bytes("a.json", b"{}".to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.id, Some(2));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
}
