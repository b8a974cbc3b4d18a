//! Runs a cross-language scenario (`tests/scenarios/*.json`) with the Rust client against `toriihq-mock`.

use serde::Deserialize;
use serde_json::{Map, Value};
use toriihq_mock::{MockConfig, MockServer, Seed};

#[derive(Debug, Deserialize)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub seed: String,
    #[serde(default)]
    pub client: ClientSettings,
    pub steps: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ClientSettings {
    pub max_retries: Option<u32>,
    pub api_version: Option<String>,
}

const KEY: &str = "scenario-key";

/// `tests/scenarios/`, where the scenarios and the files they upload are.
pub fn scenarios_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Who runs a scenario's bulk steps: the Rust client's runner, or the command line's `--from` (the other steps
/// always go through the Rust client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkVia {
    Client,
    CommandLine,
}

pub async fn run(scenario: &Scenario) -> Result<(), String> {
    run_with(scenario, BulkVia::Client).await
}

pub async fn run_with(scenario: &Scenario, via: BulkVia) -> Result<(), String> {
    let seed = Seed::parse(&scenario.seed)?;
    let server = MockServer::start(MockConfig { api_key: KEY.into(), seed, ..MockConfig::default() })
        .await
        .map_err(|e| e.to_string())?;
    let mut builder = toriihq::Client::builder().api_key(KEY).base_url(server.url());
    if let Some(retries) = scenario.client.max_retries {
        builder = builder.max_retries(retries);
    }
    if let Some(version) = &scenario.client.api_version {
        builder = builder.api_version(version);
    }
    let client = builder.build().map_err(|e| e.to_string())?;
    let admin = crate::http();
    let mut seen_requests = 0usize;
    // Removed when the run ends, passed or failed.
    let scratch = tempfile::Builder::new().prefix("toriihq-scenario-").tempdir().map_err(|e| e.to_string())?;
    let scratch = scratch.path();
    for (index, step) in scenario.steps.iter().enumerate() {
        let context = |message: String| format!("step {index} ({step}): {message}");
        if let Some(operation) = step.get("call").and_then(Value::as_str) {
            let mut params = step.get("params").cloned().unwrap_or(Value::Null);
            if let Some(file) = params.get_mut("file") {
                *file = Value::String(file_argument(file, scratch).map_err(context)?);
            }
            for value in params.as_object_mut().into_iter().flat_map(|map| map.values_mut()) {
                if let Some(length) = value.get("repeat_x").and_then(Value::as_u64) {
                    *value = Value::String("x".repeat(length as usize));
                }
            }
            let outcome = client.call_raw(operation, &params).await.and_then(|bytes| answer(operation, &bytes));
            check_call(outcome, step.get("expect").unwrap_or(&Value::Null)).map_err(context)?;
        } else if let Some(operation) = step.get("iterate").and_then(Value::as_str) {
            use futures::TryStreamExt;
            let params = step.get("params").cloned().unwrap_or(Value::Null);
            let items: Vec<Value> =
                client.call_stream(operation, params).try_collect().await.map_err(|e| context(e.to_string()))?;
            check_items(&items, step.get("expect").unwrap_or(&Value::Null)).map_err(context)?;
        } else if let Some(operation) = step.get("bulk").and_then(Value::as_str) {
            let bulk = Bulk::of(step, scratch);
            let results = match via {
                BulkVia::Client => bulk.with_client(&client, operation).await,
                BulkVia::CommandLine => bulk.with_command_line(&server.url(), operation, index, scratch).await,
            };
            check_bulk(&results.map_err(context)?, step.get("expect").unwrap_or(&Value::Null)).map_err(context)?;
        } else if let Some(expect) = step.get("writes") {
            let writes: Value = admin_json(&server, "writes").await.map_err(context)?;
            for (write, count) in expect.as_object().into_iter().flatten() {
                let actual = writes.get(write).and_then(Value::as_u64).unwrap_or(0);
                if Some(actual) != count.as_u64() {
                    return Err(context(format!("{write} was applied {actual} times, not {count}")));
                }
            }
        } else if let Some(fault) = step.get("fault") {
            let response = admin
                .post(format!("{}/_mock/faults", server.url()))
                .json(fault)
                .send()
                .await
                .map_err(|e| context(e.to_string()))?;
            if response.status().as_u16() != 201 {
                return Err(context(format!(
                    "the mock refused the fault: {}",
                    response.text().await.unwrap_or_default()
                )));
            }
        } else if let Some(expect) = step.get("requests") {
            let log: Vec<Value> = admin_json(&server, "requests").await.map_err(context)?;
            let fresh = &log[seen_requests.min(log.len())..];
            seen_requests = log.len();
            check_requests(fresh, expect).map_err(context)?;
        } else {
            return Err(context("unknown step".into()));
        }
    }
    Ok(())
}

/// What the mock's admin API answers to `GET /_mock/{path}`, as JSON.
async fn admin_json<T: serde::de::DeserializeOwned>(server: &MockServer, path: &str) -> Result<T, String> {
    let (status, body) = server.admin("GET", path, b"").await;
    if status != 200 {
        return Err(format!("the mock answered {status} to GET /_mock/{path}"));
    }
    serde_json::from_slice(&body).map_err(|e| e.to_string())
}

/// A `bulk` step: the inputs, the parameter that keys them, the journal (a name, kept in the run's scratch folder
/// so a later step of the same scenario resumes from it) and the concurrency.
struct Bulk {
    inputs: Vec<Value>,
    key: Option<String>,
    journal: Option<std::path::PathBuf>,
    concurrency: usize,
}

/// One input's end as every runner reports it: key, status, error kind.
type Ended = (String, String, Option<String>);

impl Bulk {
    fn of(step: &Value, scratch: &std::path::Path) -> Bulk {
        Bulk {
            inputs: step["inputs"].as_array().cloned().unwrap_or_default(),
            key: step.get("key").and_then(Value::as_str).map(str::to_string),
            journal: step.get("journal").and_then(Value::as_str).map(|name| scratch.join(format!("{name}.jsonl"))),
            concurrency: step.get("concurrency").and_then(Value::as_u64).unwrap_or(4) as usize,
        }
    }

    async fn with_client(self, client: &toriihq::Client, operation: &str) -> Result<Vec<Ended>, String> {
        use futures::StreamExt;
        use toriihq::bulk::{BulkItem, BulkJob, KeyColumn};
        let mut job = BulkJob::new(operation);
        job.concurrency = self.concurrency;
        job.journal = self.journal;
        let key = KeyColumn(self.key);
        let inputs =
            self.inputs.into_iter().enumerate().map(move |(i, params)| BulkItem::keyed(params, &key, i as u64 + 1));
        let run = client.bulk(job, futures::stream::iter(inputs)).map_err(|e| e.to_string())?;
        Ok(run
            .map(|result| {
                let kind = match &result.outcome {
                    toriihq::bulk::Outcome::Failed(error) => Some(error.kind().to_string()),
                    _ => None,
                };
                (result.key, result.outcome.name().to_string(), kind)
            })
            .collect()
            .await)
    }

    /// The step as `toriihq <group> <action> --from inputs.ndjson`, its results read back from `--results`.
    async fn with_command_line(
        self,
        base_url: &str,
        operation: &str,
        index: usize,
        scratch: &std::path::Path,
    ) -> Result<Vec<Ended>, String> {
        let (group, action) = toriihq_cli::command_of(operation).ok_or(format!("no command calls {operation}"))?;
        let inputs = scratch.join(format!("step-{index}.ndjson"));
        let lines: Vec<String> = self.inputs.iter().map(Value::to_string).collect();
        std::fs::write(&inputs, lines.join("\n") + "\n").map_err(|e| e.to_string())?;
        let key_file = scratch.join("key");
        std::fs::write(&key_file, KEY).map_err(|e| e.to_string())?;
        let results = scratch.join(format!("step-{index}-results.ndjson"));
        let mut args: Vec<String> = ["toriihq", "--quiet", "--base-url", base_url, "--api-key-file"]
            .map(str::to_string)
            .into_iter()
            .chain([key_file.display().to_string(), group, action, "--from".into(), inputs.display().to_string()])
            .chain(["--results".into(), results.display().to_string()])
            .chain(["--concurrency".into(), self.concurrency.to_string()])
            .collect();
        if let Some(key) = self.key {
            args.extend(["--key-column".into(), key]);
        }
        if let Some(journal) = self.journal {
            args.extend(["--journal".into(), journal.display().to_string()]);
        }
        // The program makes a runtime of its own: it runs on a thread of its own, as it would in a process.
        let code = tokio::task::spawn_blocking(move || toriihq_cli::main_until(args, std::future::pending::<()>()))
            .await
            .map_err(|e| e.to_string())?;
        if code != 0 && code != 8 {
            return Err(format!("the command line exited {code}"));
        }
        let text = std::fs::read_to_string(&results).map_err(|e| e.to_string())?;
        text.lines()
            .map(|line| {
                let result: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
                let text = |key: &str| result[key].as_str().map(str::to_string);
                Ok((text("key").unwrap_or_default(), text("status").unwrap_or_default(), text("error")))
            })
            .collect()
    }
}

/// The counts by status, and the error kind of each key named in `errors`.
fn check_bulk(results: &[Ended], expect: &Value) -> Result<(), String> {
    for status in ["ok", "failed", "skipped", "unknown"] {
        let count = results.iter().filter(|(_, s, _)| s == status).count() as u64;
        if let Some(wanted) = expect.get(status).and_then(Value::as_u64)
            && wanted != count
        {
            return Err(format!("{count} inputs ended {status}, not {wanted}: {results:?}"));
        }
    }
    for (key, kind) in expect.get("errors").and_then(Value::as_object).into_iter().flatten() {
        let found = results.iter().find(|(k, _, _)| k == key).and_then(|(_, _, kind)| kind.as_deref());
        if found != kind.as_str() {
            return Err(format!("input {key} failed with {found:?}, not {kind}"));
        }
    }
    Ok(())
}

/// A `file` parameter: a path relative to the scenarios folder, `{"generate": N}`, a file of N bytes made in the
/// run's scratch folder (`generated-N.bin`, the same bytes in every language: byte i is i·31 mod 251), or
/// `{"fifo": true}`, a named pipe no one writes to.
fn file_argument(file: &Value, dir: &std::path::Path) -> Result<String, String> {
    if let Some(relative) = file.as_str() {
        return Ok(scenarios_dir().join(relative).to_string_lossy().into_owned());
    }
    if file.get("fifo") == Some(&Value::Bool(true)) {
        let path = dir.join("named-pipe");
        if !path.exists() {
            let made = std::process::Command::new("mkfifo").arg(&path).status().map_err(|e| e.to_string())?;
            made.success().then_some(()).ok_or("mkfifo failed")?;
        }
        return Ok(path.to_string_lossy().into_owned());
    }
    let size = file
        .get("generate")
        .and_then(Value::as_u64)
        .ok_or(format!("a file is a path, {{\"generate\": N}} or {{\"fifo\": true}}: {file}"))?;
    let path = dir.join(format!("generated-{size}.bin"));
    let bytes: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    Ok(path.to_string_lossy().into_owned())
}

/// The answer as JSON; one that is bytes (a download, or an operation redirecting to a file) as `{"length": N}`.
fn answer(operation: &str, bytes: &[u8]) -> toriihq::Result<Answer> {
    use toriihq::workflows::table::Returns;
    let file = match toriihq::workflows::workflow(operation) {
        Some(workflow) => workflow.returns == Returns::Bytes,
        None => toriihq::operation(operation).is_some_and(toriihq::Operation::answers_with_redirect),
    };
    if file {
        return Ok(Answer::Bytes(bytes.len()));
    }
    if bytes.is_empty() {
        return Ok(Answer::Json(Value::Null));
    }
    serde_json::from_slice(bytes)
        .map(Answer::Json)
        .map_err(|e| toriihq::Error::Decode { what: e.to_string(), location: "the answer".into() })
}

enum Answer {
    Json(Value),
    Bytes(usize),
}

fn check_call(outcome: toriihq::Result<Answer>, expect: &Value) -> Result<(), String> {
    match (outcome, expect.get("error").and_then(Value::as_str)) {
        (Ok(Answer::Bytes(length)), None) => match expect.get("length").and_then(Value::as_u64) {
            Some(wanted) if wanted != length as u64 => Err(format!("expected {wanted} bytes, got {length}")),
            _ => Ok(()),
        },
        (Ok(Answer::Json(body)), None) => {
            if let Some(wanted) = expect.get("body") {
                contains(&body, wanted, "body")?;
            }
            Ok(())
        }
        (Ok(Answer::Json(body)), Some(kind)) => Err(format!("expected a {kind} error, got {body}")),
        (Ok(Answer::Bytes(length)), Some(kind)) => Err(format!("expected a {kind} error, got {length} bytes")),
        (Err(error), Some(kind)) => {
            if error.kind() != kind {
                return Err(format!("expected a {kind} error, got {} ({error})", error.kind()));
            }
            if let Some(status) = expect.get("status").and_then(Value::as_u64) {
                let actual = error.status().map(|s| s.as_u16() as u64);
                if actual != Some(status) {
                    return Err(format!("expected status {status}, got {actual:?}"));
                }
            }
            if let Some(text) = expect.get("message_contains").and_then(Value::as_str)
                && !error.to_string().contains(text)
            {
                return Err(format!("the error {error:?} does not mention {text:?}"));
            }
            if let Some(argument) = expect.get("argument").and_then(Value::as_str)
                && error.detail().argument.as_deref() != Some(argument)
            {
                return Err(format!("the error names {:?}, not {argument:?}: {error}", error.detail().argument));
            }
            Ok(())
        }
        (Err(error), None) => Err(format!("unexpected error: {error}")),
    }
}

fn check_items(items: &[Value], expect: &Value) -> Result<(), String> {
    if let Some(count) = expect.get("count").and_then(Value::as_u64)
        && items.len() as u64 != count
    {
        return Err(format!("expected {count} items, got {}", items.len()));
    }
    if let Some(every) = expect.get("every") {
        for (i, item) in items.iter().enumerate() {
            contains(item, every, &format!("item {i}"))?;
        }
    }
    Ok(())
}

fn check_requests(requests: &[Value], expect: &Value) -> Result<(), String> {
    let path = expect.get("path").and_then(Value::as_str);
    let prefix = expect.get("path_prefix").and_then(Value::as_str);
    let matching: Vec<&Value> = requests
        .iter()
        .filter(|r| path.is_none_or(|p| r["path"] == p))
        .filter(|r| prefix.is_none_or(|p| r["path"].as_str().is_some_and(|path| path.starts_with(p))))
        .collect();
    if let Some(count) = expect.get("count").and_then(Value::as_u64)
        && matching.len() as u64 != count
    {
        let seen: Vec<String> = requests.iter().map(|r| format!("{} {}", r["method"], r["path"])).collect();
        return Err(format!("expected {count} requests, the mock received {}: {seen:?}", matching.len()));
    }
    if expect.get("without_key") == Some(&Value::Bool(true)) {
        let keyed = |r: &&&Value| r["headers"].as_array().into_iter().flatten().any(|h| h[0] == "authorization");
        if let Some(request) = matching.iter().find(keyed) {
            return Err(format!("{} {} carried the key", request["method"], request["path"]));
        }
    }
    if let Some(every) = expect.get("every_query") {
        for request in &matching {
            contains(&query_object(request), every, "query")?;
        }
    }
    if let Some(last) = expect.get("last") {
        let request = matching.last().ok_or("no request to compare with `last`")?;
        for key in ["method", "path", "body"] {
            if let Some(wanted) = last.get(key) {
                contains(&request[key], wanted, key)?;
            }
        }
        if let Some(wanted) = last.get("query") {
            contains(&query_object(request), wanted, "query")?;
        }
    }
    Ok(())
}

fn query_object(request: &Value) -> Value {
    let mut map = Map::new();
    for pair in request["query"].as_array().into_iter().flatten() {
        if let (Some(k), Some(v)) = (pair[0].as_str(), pair[1].as_str()) {
            map.insert(k.to_string(), Value::String(v.to_string()));
        }
    }
    Value::Object(map)
}

/// `actual` holds everything in `wanted`: objects by key (recursively), arrays element by element, scalars equal.
pub fn contains(actual: &Value, wanted: &Value, at: &str) -> Result<(), String> {
    match (actual, wanted) {
        (Value::Object(actual), Value::Object(wanted)) => {
            for (key, value) in wanted {
                let inner = actual.get(key).ok_or_else(|| format!("{at}.{key} is missing"))?;
                contains(inner, value, &format!("{at}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(actual), Value::Array(wanted)) => {
            if actual.len() < wanted.len() {
                return Err(format!("{at} has {} elements, expected at least {}", actual.len(), wanted.len()));
            }
            for (i, (a, w)) in actual.iter().zip(wanted).enumerate() {
                contains(a, w, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        (a, w) if a == w => Ok(()),
        (a, w) => Err(format!("{at} is {a}, expected {w}")),
    }
}
