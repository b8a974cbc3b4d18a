//! One measurement of one Rust client, for `cargo xtask bench`.
//!
//! usage: toriihq-bench SCENARIO CLIENT SECONDS BASE_URL API_KEY
//! Prints one JSON line: {"count": operations or items, "seconds": measured time, "rss_kb": peak RSS}.
//! Both clients do the same work: the HTTP call and the JSON decoded (toriihq into its typed structs, the peer
//! into `serde_json::Value`, the floor of our stack).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use serde_json::Value;

const IN_FLIGHT: usize = 64;
const PAGE: u64 = 1000;

#[derive(Clone)]
enum Subject {
    Toriihq(toriihq::Client),
    Reqwest { http: reqwest::Client, base_url: String, key: String },
}

impl Subject {
    fn new(name: &str, base_url: &str, key: &str) -> Self {
        match name {
            "toriihq" => Subject::Toriihq(
                toriihq::Client::builder().api_key(key).base_url(base_url).max_retries(0).build().expect("client"),
            ),
            "reqwest" => Subject::Reqwest {
                http: reqwest::Client::new(),
                base_url: base_url.trim_end_matches('/').to_string(),
                key: key.to_string(),
            },
            other => fail(&format!("no client {other}")),
        }
    }

    async fn contract(&self) -> bool {
        match self {
            Subject::Toriihq(client) => client
                .get_contract()
                .id_contract(1)
                .send()
                .await
                .is_ok_and(|c| c.contract.is_some_and(|c| c.id.is_some())),
            Subject::Reqwest { http, base_url, key } => {
                let answer = http.get(format!("{base_url}/contracts/1")).bearer_auth(key).send().await;
                match answer {
                    Ok(answer) => answer.json::<Value>().await.is_ok_and(|v| v["contract"].get("id").is_some()),
                    Err(_) => false,
                }
            }
        }
    }

    /// One page of 1,000 users, decoded; returns how many it held.
    async fn page(&self) -> usize {
        match self {
            Subject::Toriihq(client) => {
                let size = std::num::NonZeroU64::new(PAGE).expect("a page size");
                client.get_users().size(size).send().await.map_or(0, |page| page.users.map_or(0, |users| users.0.len()))
            }
            Subject::Reqwest { http, base_url, key } => {
                let answer = http.get(format!("{base_url}/users")).bearer_auth(key).query(&[("size", PAGE)]).send();
                match answer.await {
                    Ok(answer) => answer.json::<Value>().await.map_or(0, |v| v["users"].as_array().map_or(0, Vec::len)),
                    Err(_) => 0,
                }
            }
        }
    }

    async fn every_user(&self) -> u64 {
        match self {
            Subject::Toriihq(client) => {
                let stream = client
                    .get_users_stream(|request| request.size(std::num::NonZeroU64::new(PAGE).expect("a page size")));
                stream
                    .try_fold(0u64, |n, _user| async move { Ok(n + 1) })
                    .await
                    .unwrap_or_else(|e| fail(&e.to_string()))
            }
            Subject::Reqwest { http, base_url, key } => {
                let (mut count, mut cursor) = (0u64, None::<String>);
                loop {
                    let mut request = http.get(format!("{base_url}/users")).bearer_auth(key).query(&[("size", PAGE)]);
                    if let Some(cursor) = &cursor {
                        request = request.query(&[("cursor", cursor)]);
                    }
                    let answer = request.send().await.unwrap_or_else(|e| fail(&e.to_string()));
                    let page: Value = answer.json().await.unwrap_or_else(|e| fail(&e.to_string()));
                    count += page["users"].as_array().map_or(0, |items| items.len() as u64);
                    match page.get("nextCursor").and_then(Value::as_str) {
                        Some(next) if !next.is_empty() => cursor = Some(next.to_string()),
                        _ => return count,
                    }
                }
            }
        }
    }
}

fn fail(message: &str) -> ! {
    eprintln!("toriihq-bench: {message}");
    std::process::exit(2)
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap_or("VmHWM: 0 kB");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
}

fn report(count: u64, elapsed: Duration) {
    println!(r#"{{"count": {count}, "seconds": {}, "rss_kb": {}}}"#, elapsed.as_secs_f64(), peak_rss_kb());
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [scenario, client, seconds, base_url, key] = args.as_slice() else {
        fail("usage: toriihq-bench SCENARIO CLIENT SECONDS BASE_URL API_KEY")
    };
    let seconds = Duration::from_secs_f64(seconds.parse().unwrap_or_else(|_| fail("SECONDS must be a number")));
    let subject = Subject::new(client, base_url, key);
    match scenario.as_str() {
        "sequential" => {
            subject.contract().await;
            let (started, mut count) = (Instant::now(), 0u64);
            while started.elapsed() < seconds {
                if !subject.contract().await {
                    fail("a call failed");
                }
                count += 1;
            }
            report(count, started.elapsed());
        }
        "page" => {
            subject.page().await;
            let (started, mut count) = (Instant::now(), 0u64);
            while started.elapsed() < seconds {
                if subject.page().await != PAGE as usize {
                    fail("a page was short");
                }
                count += 1;
            }
            report(count, started.elapsed());
        }
        "in_flight" => {
            futures::future::join_all((0..IN_FLIGHT).map(|_| subject.contract())).await;
            let count = Arc::new(AtomicU64::new(0));
            let started = Instant::now();
            let workers = (0..IN_FLIGHT).map(|_| {
                let (subject, count) = (subject.clone(), count.clone());
                tokio::spawn(async move {
                    while started.elapsed() < seconds {
                        if !subject.contract().await {
                            fail("a call failed");
                        }
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                })
            });
            futures::future::join_all(workers).await;
            report(count.load(Ordering::Relaxed), started.elapsed());
        }
        "paginate" => {
            let started = Instant::now();
            let count = subject.every_user().await;
            report(count, started.elapsed());
        }
        "soak" => soak(base_url, key).await,
        "upload" | "sync" => {
            // One upload or sync of TORIIHQ_BENCH_FILE with toriihq: its peak RSS is the figure.
            let client =
                toriihq::Client::builder().api_key(key).base_url(base_url).max_retries(0).build().expect("client");
            let path = std::path::PathBuf::from(
                std::env::var("TORIIHQ_BENCH_FILE").unwrap_or_else(|_| fail("no TORIIHQ_BENCH_FILE")),
            );
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or_else(|e| fail(&e.to_string()));
            let started = Instant::now();
            let outcome = if scenario == "upload" {
                client.upload(toriihq::Upload::new(path, "attachment")).await.map(drop)
            } else {
                let account = std::env::var("TORIIHQ_BENCH_ACCOUNT").ok().and_then(|a| a.parse().ok()).unwrap_or(1);
                client.sync_custom_integration_data(account, path, None).await.map(drop)
            };
            outcome.unwrap_or_else(|e| fail(&e.to_string()));
            report(size, started.elapsed());
        }
        other => fail(&format!("unknown scenario {other}")),
    }
}

fn resident_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count()).unwrap_or(0)
}

/// TORIIHQ_SOAK_CALLS calls at 64 in flight against a mock injecting faults (see the Python driver's run_soak).
async fn soak(base_url: &str, key: &str) {
    use std::collections::BTreeMap;
    use std::sync::Mutex;
    let calls: usize = std::env::var("TORIIHQ_SOAK_CALLS").ok().and_then(|c| c.parse().ok()).unwrap_or(1000);
    let prefix = std::env::var("TORIIHQ_SOAK_PREFIX").unwrap_or_default();
    let client =
        Arc::new(toriihq::Client::builder().api_key(key).base_url(base_url).max_retries(2).build().expect("client"));
    let next = Arc::new(AtomicU64::new(0));
    let tally = Arc::new(Mutex::new((0u64, 0u64, BTreeMap::<String, u64>::new(), (0u64, 0usize))));
    let started = Instant::now();
    let workers = (0..IN_FLIGHT).map(|_| {
        let (client, next, tally, prefix) = (client.clone(), next.clone(), tally.clone(), prefix.clone());
        tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                if i >= calls {
                    return;
                }
                let contract = (i % 5 + 1) as i64;
                let outcome = if i.is_multiple_of(20) {
                    let body = serde_json::json!({"name": format!("{prefix}-{i}"), "idApp": 1, "status": "active"});
                    client.call("createContract", &serde_json::json!({"body": body})).await.map(|_| 1)
                } else if i % 20 < 4 {
                    let body = serde_json::json!({"name": format!("soak {i}")});
                    client
                        .call("updateContract", &serde_json::json!({"idContract": contract, "body": body}))
                        .await
                        .map(|_| 0)
                } else {
                    client.get_contract().id_contract(contract).send().await.map(|_| 0)
                };
                let mut tally = tally.lock().unwrap_or_else(|p| p.into_inner());
                match outcome {
                    Ok(post) => {
                        tally.0 += 1;
                        tally.1 += post;
                    }
                    Err(error) => *tally.2.entry(error.kind().to_string()).or_default() += 1,
                }
                if i == 1000 {
                    tally.3 = (resident_kb(), open_fds());
                }
            }
        })
    });
    futures::future::join_all(workers).await;
    let (ok, posts_ok, typed, (rss_1000_kb, fds_1000)) = tally.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let report = serde_json::json!({
        "calls": calls, "seconds": started.elapsed().as_secs_f64(), "ok": ok, "posts_ok": posts_ok, "untyped": 0,
        "typed": typed, "rss_1000_kb": rss_1000_kb, "fds_1000": fds_1000, "rss_end_kb": resident_kb(), "fds_end": open_fds(),
    });
    println!("{report}");
}
