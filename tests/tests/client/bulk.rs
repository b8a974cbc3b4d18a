//! Bulk jobs against the mock keeping the spec's rate limits on a scaled clock (a minute lasts a second): paced
//! to the limit, slowed by 429s, inputs read only as workers free up, and resumed from the journal without a
//! non-idempotent request sent twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::StreamExt;
use serde_json::{Value, json};
use toriihq::bulk::{BulkItem, BulkJob, BulkResult, Input, KeyColumn, Outcome};
use toriihq::{Client, Rate};
use toriihq_mock::{MockConfig, MockServer, Seed};

async fn mock(rate_limit: &str, time_scale: f64) -> MockServer {
    let config = MockConfig {
        api_key: "k".into(),
        seed: Seed::parse("users=400,apps=3").unwrap(),
        rate_limit: Some(rate_limit.into()),
        time_scale,
        ..MockConfig::default()
    };
    MockServer::start(config).await.unwrap()
}

fn client(server: &MockServer) -> Client {
    Client::builder().api_key("k").base_url(server.url()).build().unwrap()
}

fn offboard(ids: std::ops::RangeInclusive<u64>) -> Vec<Input> {
    let key = KeyColumn(Some("idUser".into()));
    ids.enumerate()
        .map(|(i, id)| {
            BulkItem::keyed(json!({"idUser": id, "body": {"lifecycleStatus": "offboarding"}}), &key, i as u64 + 1)
        })
        .collect()
}

async fn admin(server: &MockServer, path: &str) -> Value {
    serde_json::from_slice(&server.admin("GET", path, b"").await.1).unwrap()
}

async fn throttled(server: &MockServer) -> usize {
    // The mock logs every request; those answered 429 were sent again, so the extra ones are the 429s.
    admin(server, "requests").await.as_array().unwrap().len()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("toriihq-bulk-{}-{name}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

#[tokio::test]
async fn paced_to_the_limit_a_job_meets_no_429_where_an_unpaced_one_meets_many() {
    // updateUser allows 200 a minute: 200 a second on the mock's scaled clock.
    let server = mock("spec", 60.0).await;
    let client = client(&server);
    let mut job = BulkJob::new("updateUser");
    (job.concurrency, job.rate) = (8, Some(Rate::parse("200/s").unwrap()));
    let results: Vec<BulkResult> = client.bulk(job, futures::stream::iter(offboard(1..=400))).unwrap().collect().await;
    assert!(
        results.iter().all(|r| matches!(r.outcome, Outcome::Ok(_))),
        "{:?}",
        results.iter().find(|r| !matches!(r.outcome, Outcome::Ok(_)))
    );
    let sent = throttled(&server).await;
    assert!(sent <= 408, "paced, {} of 400 requests met a 429", sent - 400);

    let server = mock("spec", 60.0).await;
    let mut unpaced = BulkJob::new("updateUser");
    (unpaced.concurrency, unpaced.rate) = (8, Some(Rate::parse("100000/s").unwrap()));
    let results: Vec<BulkResult> =
        super::bulk::client(&server).bulk(unpaced, futures::stream::iter(offboard(1..=400))).unwrap().collect().await;
    let sent = throttled(&server).await;
    assert!(sent > 440, "unpaced, only {} requests met a 429", sent - 400);
    assert_eq!(results.len(), 400);
}

#[tokio::test]
async fn a_429_pauses_and_slows_every_worker_so_few_requests_meet_one() {
    // The mock allows 200 a second; the job asks for 400: after a 429 every worker waits and the pace drops.
    let server = mock("20/s", 10.0).await;
    let mut job = BulkJob::new("updateUser");
    (job.concurrency, job.rate) = (8, Some(Rate::parse("400/s").unwrap()));
    let results: Vec<BulkResult> =
        client(&server).bulk(job, futures::stream::iter(offboard(1..=300))).unwrap().collect().await;
    let failed: Vec<&BulkResult> = results.iter().filter(|r| !matches!(r.outcome, Outcome::Ok(_))).collect();
    assert!(failed.is_empty(), "{failed:?}");
    let met = throttled(&server).await - 300;
    // Sent on at 400/s, half of them would: a 429 slows the job under the server's limit.
    assert!(met < 75, "{met} of 300 requests met a 429");
}

#[tokio::test]
async fn inputs_are_read_only_as_workers_free_up() {
    let server = mock("1000/s", 1.0).await;
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = pulled.clone();
    let inputs = futures::stream::iter(offboard(1..=400)).inspect(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let mut job = BulkJob::new("updateUser");
    job.concurrency = 3;
    let client = client(&server);
    let mut run = client.bulk(job, inputs).unwrap();
    run.next().await.unwrap();
    assert!(pulled.load(Ordering::SeqCst) <= 4, "{} inputs read for the first result", pulled.load(Ordering::SeqCst));
}

#[tokio::test]
async fn a_job_stopped_part_way_resumes_from_its_journal_applying_each_input_once() {
    let server = mock("1000/s", 1.0).await;
    let journal = scratch("resume");
    let job = || {
        let mut job = BulkJob::new("update_user");
        (job.concurrency, job.journal) = (4, Some(journal.clone()));
        job
    };
    let client = client(&server);
    let first: Vec<BulkResult> =
        client.bulk(job(), futures::stream::iter(offboard(1..=120))).unwrap().take(50).collect().await;
    let second: Vec<BulkResult> = client.bulk(job(), futures::stream::iter(offboard(1..=120))).unwrap().collect().await;
    assert_eq!(second.len(), 120, "every input has a result in the second run");
    let skipped: Vec<&str> =
        second.iter().filter(|r| matches!(r.outcome, Outcome::Skipped)).map(|r| r.key.as_str()).collect();
    for done in &first {
        assert!(skipped.contains(&done.key.as_str()), "{} was done in the first run, yet not skipped", done.key);
    }
    let writes = admin(&server, "writes").await;
    let mut extra = 0;
    for id in 1..=120 {
        let count = writes[format!("PUT /users/{id}")].as_u64().unwrap_or(0);
        assert!(count >= 1, "user {id} never updated");
        extra += count - 1;
    }
    // Only those in flight when the first run stopped are sent again (PUT is idempotent): at most its concurrency.
    assert!(extra <= 4, "{extra} inputs sent twice");
    let _ = std::fs::remove_file(&journal);
}

#[tokio::test]
async fn a_post_an_earlier_run_sent_without_an_answer_is_unknown_and_not_sent_again() {
    let server = mock("1000/s", 1.0).await;
    let journal = scratch("post");
    std::fs::write(
        &journal,
        "{\"journal\":1,\"operation\":\"createContract\"}\n{\"key\":\"Plan A\",\"event\":\"sent\"}\n",
    )
    .unwrap();
    let key = KeyColumn(Some("name".into()));
    let inputs: Vec<Input> = ["Plan A", "Plan B"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let body = json!({"name": name, "idApp": 1, "status": "active"});
            BulkItem::keyed(json!({"name": name, "body": body}), &key, i as u64 + 1)
        })
        .collect();
    let mut job = BulkJob::new("createContract");
    job.journal = Some(journal.clone());
    let results: Vec<BulkResult> = client(&server).bulk(job, futures::stream::iter(inputs)).unwrap().collect().await;
    let outcome = |key: &str| results.iter().find(|r| r.key == key).map(|r| r.outcome.name());
    assert_eq!((outcome("Plan A"), outcome("Plan B")), (Some("unknown"), Some("failed")), "{results:?}");
    let _ = std::fs::remove_file(&journal);
}

#[tokio::test]
async fn a_journal_of_another_job_is_refused_before_anything_is_sent() {
    let server = mock("1000/s", 1.0).await;
    let journal = scratch("other");
    std::fs::write(&journal, "{\"journal\":1,\"operation\":\"deleteUser\"}\n").unwrap();
    let mut job = BulkJob::new("updateUser");
    job.journal = Some(journal.clone());
    let error = client(&server).bulk(job, futures::stream::iter(offboard(1..=3))).err().unwrap();
    assert_eq!(error.kind(), "invalid_argument");
    assert!(error.to_string().contains("`deleteUser` job"), "{error}");
    assert_eq!(throttled(&server).await, 0);
    let _ = std::fs::remove_file(&journal);
}
