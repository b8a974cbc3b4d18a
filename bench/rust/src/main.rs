//! One measurement of one Rust client, for `cargo xtask bench`.
//!
//! usage: toriihq-bench SCENARIO CLIENT SECONDS BASE_URL API_KEY
//! Prints one JSON line: {"count": operations or items, "seconds": measured time, "rss_kb": peak RSS}.
//! Every client does the same work: the HTTP call and the JSON decoded — toriihq into its generated types (custom
//! fields kept), `reqwest` into `serde_json::Value`, `reqwest+typed` into hand-written structs that skip custom
//! fields (the floor for typed decoding).

mod typed;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use serde::de::DeserializeOwned;
use serde_json::Value;

const IN_FLIGHT: usize = 64;
const PAGE: u64 = 1000;

/// What a page asks for, named by `cargo xtask bench` for every language: the fields (custom ones included).
struct Query {
    user_fields: String,
    app_fields: String,
}

impl Query {
    fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).unwrap_or_else(|_| fail(&format!("no {name}")));
        Query { user_fields: var("TORIIHQ_BENCH_USER_FIELDS"), app_fields: var("TORIIHQ_BENCH_APP_FIELDS") }
    }
}

/// How a peer decodes: into `serde_json::Value`, or into the hand-written structs of [`typed`].
#[derive(Clone, Copy, PartialEq)]
enum Decoding {
    Value,
    Typed,
}

#[derive(Clone)]
enum Subject {
    Toriihq(toriihq::Client),
    Reqwest { http: reqwest::Client, base_url: String, key: String, decoding: Decoding },
}

fn size() -> std::num::NonZeroU64 {
    std::num::NonZeroU64::new(PAGE).expect("a page size")
}

impl Subject {
    fn new(name: &str, base_url: &str, key: &str) -> Self {
        let reqwest = |decoding| Subject::Reqwest {
            http: reqwest::Client::new(),
            base_url: base_url.trim_end_matches('/').to_string(),
            key: key.to_string(),
            decoding,
        };
        match name {
            "toriihq" => Subject::Toriihq(
                toriihq::Client::builder().api_key(key).base_url(base_url).max_retries(0).build().expect("client"),
            ),
            "reqwest" => reqwest(Decoding::Value),
            "reqwest+typed" => reqwest(Decoding::Typed),
            other => fail(&format!("no client {other}")),
        }
    }

    async fn get<T: DeserializeOwned>(http: &reqwest::Client, url: String, key: &str, query: &[(&str, &str)]) -> T {
        let answer = http.get(url).bearer_auth(key).query(query).send().await.unwrap_or_else(|e| fail(&e.to_string()));
        answer.json::<T>().await.unwrap_or_else(|e| fail(&e.to_string()))
    }

    async fn contract(&self) -> bool {
        match self {
            Subject::Toriihq(client) => client
                .get_contract()
                .id_contract(1)
                .send()
                .await
                .is_ok_and(|c| c.contract.is_some_and(|c| c.id.is_some())),
            Subject::Reqwest { http, base_url, key, decoding } => {
                let url = format!("{base_url}/contracts/1");
                match decoding {
                    Decoding::Value => Self::get::<Value>(http, url, key, &[]).await["contract"].get("id").is_some(),
                    Decoding::Typed => Self::get::<typed::ContractAnswer>(http, url, key, &[]).await.contract.id > 0,
                }
            }
        }
    }

    /// One page of users (or of apps), decoded; returns how many it held and the next cursor.
    async fn page(&self, query: &Query, apps: bool, cursor: Option<String>) -> (usize, Option<String>) {
        match self {
            Subject::Toriihq(client) if apps => {
                let mut request =
                    client.get_apps().size(size()).fields(query.app_fields.clone()).include_licenses(true);
                if let Some(cursor) = cursor {
                    request = request.cursor(cursor);
                }
                let page = request.send().await.unwrap_or_else(|e| fail(&e.to_string()));
                (page.apps.map_or(0, |apps| apps.0.len()), page.next_cursor.map(|c| c.to_string()))
            }
            Subject::Toriihq(client) => {
                let mut request = client.get_users().size(size()).fields(query.user_fields.clone());
                if let Some(cursor) = cursor {
                    request = request.cursor(cursor);
                }
                let page = request.send().await.unwrap_or_else(|e| fail(&e.to_string()));
                (page.users.map_or(0, |users| users.0.len()), page.next_cursor.map(|c| c.to_string()))
            }
            Subject::Reqwest { http, base_url, key, decoding } => {
                let (path, fields) = if apps { ("apps", &query.app_fields) } else { ("users", &query.user_fields) };
                let size = PAGE.to_string();
                let mut params = vec![("size", size.as_str()), ("fields", fields.as_str())];
                if apps {
                    params.push(("includeLicenses", "true"));
                }
                if let Some(cursor) = &cursor {
                    params.push(("cursor", cursor));
                }
                let url = format!("{base_url}/{path}");
                match (decoding, apps) {
                    (Decoding::Value, _) => {
                        let page: Value = Self::get(http, url, key, &params).await;
                        let items = page[path].as_array().map_or(0, Vec::len);
                        (items, page.get("nextCursor").and_then(Value::as_str).map(str::to_string))
                    }
                    (Decoding::Typed, false) => {
                        let page: typed::UsersPage = Self::get(http, url, key, &params).await;
                        (page.users.len(), page.next_cursor)
                    }
                    (Decoding::Typed, true) => {
                        let page: typed::AppsPage = Self::get(http, url, key, &params).await;
                        (page.apps.len(), page.next_cursor)
                    }
                }
            }
        }
    }

    async fn every_user(&self, query: &Query) -> u64 {
        if let Subject::Toriihq(client) = self {
            let stream = client.get_users_stream(|request| request.size(size()).fields(query.user_fields.clone()));
            return stream
                .try_fold(0u64, |n, _user| async move { Ok(n + 1) })
                .await
                .unwrap_or_else(|e| fail(&e.to_string()));
        }
        let (mut count, mut cursor) = (0u64, None::<String>);
        loop {
            let (items, next) = self.page(query, false, cursor.take()).await;
            count += items as u64;
            match next {
                Some(next) if !next.is_empty() => cursor = Some(next),
                _ => return count,
            }
        }
    }
}

/// Decoding alone: the body of one page of 1,000 users, already in memory, decoded as each client would.
fn decode_users(client: &str, body: &[u8]) -> usize {
    fn failed<T>(error: serde_json::Error) -> T {
        fail(&error.to_string())
    }
    match client {
        "toriihq" => toriihq::runtime::decode::<toriihq::types::UsersPage>(body)
            .unwrap_or_else(|e| fail(&e.to_string()))
            .users
            .map_or(0, |users| users.0.len()),
        "reqwest+typed" => serde_json::from_slice::<typed::UsersPage>(body).unwrap_or_else(failed).users.len(),
        "reqwest" => {
            serde_json::from_slice::<Value>(body).unwrap_or_else(failed)["users"].as_array().map_or(0, Vec::len)
        }
        other => fail(&format!("no decoder {other}")),
    }
}

async fn users_page_body(base_url: &str, key: &str, query: &Query) -> Vec<u8> {
    let url = format!("{}/users", base_url.trim_end_matches('/'));
    let size = PAGE.to_string();
    let request = reqwest::Client::new()
        .get(url)
        .bearer_auth(key)
        .query(&[("size", size.as_str()), ("fields", &query.user_fields)]);
    let answer = request.send().await.unwrap_or_else(|e| fail(&e.to_string()));
    answer.bytes().await.unwrap_or_else(|e| fail(&e.to_string())).to_vec()
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
    let started_process = Instant::now();
    // reqwest is built without a TLS provider of its own (the SDK brings ring): the peer needs one installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [scenario, client, seconds, base_url, key] = args.as_slice() else {
        fail("usage: toriihq-bench SCENARIO CLIENT SECONDS BASE_URL API_KEY")
    };
    let seconds = Duration::from_secs_f64(seconds.parse().unwrap_or_else(|_| fail("SECONDS must be a number")));
    if scenario == "first_call" {
        // Client set-up (root certificates, connection pool) and the first call's connection, once.
        let subject = Subject::new(client, base_url, key);
        if !subject.contract().await {
            fail("the first call failed");
        }
        return report(1, started_process.elapsed());
    }
    let needs_query = matches!(scenario.as_str(), "page" | "page_apps" | "paginate" | "decode");
    let query =
        if needs_query { Query::from_env() } else { Query { user_fields: String::new(), app_fields: String::new() } };
    if scenario == "decode" {
        let body = users_page_body(base_url, key, &query).await;
        let (started, mut count) = (Instant::now(), 0u64);
        while started.elapsed() < seconds {
            if decode_users(client, &body) != PAGE as usize {
                fail("a page was short");
            }
            count += 1;
        }
        return report(count, started.elapsed());
    }
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
        "page" | "page_apps" => {
            let apps = scenario == "page_apps";
            subject.page(&query, apps, None).await;
            let (started, mut count) = (Instant::now(), 0u64);
            while started.elapsed() < seconds {
                if subject.page(&query, apps, None).await.0 != PAGE as usize {
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
            let count = subject.every_user(&query).await;
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
