//! `--from FILE`: a command run once per line of a CSV or NDJSON file, by the core's bulk runner — paced, a few
//! at a time, resumable with `--journal`, each item's outcome written to `--results` (or stdout) as it ends.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use clap::ArgMatches;
use futures::StreamExt;
use serde_json::{Map, Value, json};
use toriihq::bulk::{BulkItem, BulkJob, BulkResult, Input, KeyColumn, Outcome, Progress, read_file};
use toriihq::{Client, Error, Rate};

use crate::exit;
use crate::run::{Code, Settings, report};
use tokio::sync::watch;

/// The job `--from` describes, `base` (the command's other arguments) under every line. Once `stopping` turns
/// true (Ctrl-C) it takes no more lines and ends when those in flight have.
pub async fn run(
    client: &Client,
    operation: &str,
    base: Value,
    settings: &Settings<'_>,
    stopping: watch::Receiver<bool>,
) -> Code {
    match job(operation, settings.matches) {
        Ok((job, path, key)) => {
            let source = Source { path, key, base, stopping };
            run_job(client, job, source, settings.matches, settings.progress).await
        }
        Err(error) => report(&error),
    }
}

/// Where a job's lines come from, and what ends them early.
struct Source {
    path: String,
    key: KeyColumn,
    base: Value,
    stopping: watch::Receiver<bool>,
}

fn job(operation: &str, matches: &ArgMatches) -> Result<(BulkJob, String, KeyColumn), Error> {
    let mut job = BulkJob::new(operation);
    if let Some(concurrency) = matches.get_one::<usize>("concurrency") {
        job.concurrency = *concurrency;
    }
    job.rate = matches.get_one::<String>("rate").map(|rate| Rate::parse(rate)).transpose()?;
    job.journal = matches.get_one::<String>("journal").map(Into::into);
    let path = matches.get_one::<String>("from").cloned().unwrap_or_default();
    job.total = Some(count_items(Path::new(&path))?);
    Ok((job, path, KeyColumn(matches.get_one::<String>("key-column").cloned())))
}

async fn run_job(client: &Client, job: BulkJob, source: Source, matches: &ArgMatches, progress: bool) -> Code {
    let Source { path, key, base, mut stopping } = source;
    let inputs = match read_file(Path::new(&path), key) {
        Ok(inputs) => inputs.map(move |input| under(&base, input)),
        Err(error) => return report(&error),
    };
    let stopped = async move {
        let _ = stopping.wait_for(|stop| *stop).await;
    };
    let mut out = match Results::open(matches.get_one::<String>("results").map(String::as_str)) {
        Ok(out) => out,
        Err(error) => {
            eprintln!("toriihq: cannot write the results: {error}");
            return exit::OTHER;
        }
    };
    let mut run = match client.bulk(job, futures::stream::iter(inputs).take_until(stopped)) {
        Ok(run) => run,
        Err(error) => return report(&error),
    };
    while let Some(result) = run.next().await {
        if let Err(error) = out.write(&result) {
            eprintln!("toriihq: cannot write the results: {error}");
            return exit::OTHER;
        }
        if progress {
            eprint!("\r{}", line(&run.progress()));
        }
    }
    if let Err(error) = out.finish() {
        eprintln!("toriihq: cannot write the results: {error}");
        return exit::OTHER;
    }
    let end = run.progress();
    eprintln!("{}toriihq: {}", if progress { "\n" } else { "" }, summary(&end));
    if end.failed + end.unknown > 0 { exit::SOME_ITEMS_FAILED } else { exit::OK }
}

/// An item with the command's own arguments under it: the line's values win, body fields merged one by one. A
/// column may be spelled as the command's flag is (`id-user`): the core reads snake case.
fn under(base: &Value, input: Input) -> Input {
    let BulkItem { key, params } = input?;
    let mut merged = base.as_object().cloned().unwrap_or_default();
    for (name, value) in params.as_object().cloned().unwrap_or_default() {
        let name = if name.contains('-') { name.replace('-', "_") } else { name };
        match (merged.get_mut(&name), value) {
            (Some(Value::Object(fields)), Value::Object(more)) if name == toriihq::BODY => fields.extend(more),
            (_, value) => {
                merged.insert(name, value);
            }
        }
    }
    Ok(BulkItem { key, params: Value::Object(merged) })
}

/// How many items the file holds (lines that are not blank, less a CSV's header): for the time left.
fn count_items(path: &Path) -> Result<u64, Error> {
    let file = toriihq::local_file::open("from", path)?;
    let mut lines = 0u64;
    for line in BufReader::new(file.file).split(b'\n') {
        let line = line.map_err(|e| Error::invalid_argument("from", format!("{}: {e}", path.display())))?;
        lines += u64::from(!line.iter().all(u8::is_ascii_whitespace));
    }
    let csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    Ok(if csv { lines.saturating_sub(1) } else { lines })
}

fn line(progress: &Progress) -> String {
    let total = progress.total.map_or(String::new(), |total| format!("/{total}"));
    let eta = progress.eta.map_or(String::new(), |eta| format!(", {} left", clock(eta.as_secs())));
    format!(
        "{}{total} items: {} ok, {} failed, {} skipped, {} unknown, {:.1}/s{eta}   ",
        progress.finished(),
        progress.done,
        progress.failed,
        progress.skipped,
        progress.unknown,
        progress.per_second
    )
}

fn summary(progress: &Progress) -> String {
    format!(
        "{} items: {} ok, {} failed, {} skipped (done before), {} unknown (sent before, not answered) in {:.1} s",
        progress.finished(),
        progress.done,
        progress.failed,
        progress.skipped,
        progress.unknown,
        progress.elapsed.as_secs_f64()
    )
}

fn clock(seconds: u64) -> String {
    format!("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

/// Where each item's outcome goes: NDJSON (stdout, or a file not ending in .csv) or CSV.
enum Results {
    Ndjson(Box<dyn Write>),
    Csv(Box<csv::Writer<BufWriter<File>>>),
}

impl Results {
    fn open(path: Option<&str>) -> std::io::Result<Results> {
        Ok(match path {
            None => Results::Ndjson(Box::new(BufWriter::new(std::io::stdout()))),
            Some(path) if path.to_ascii_lowercase().ends_with(".csv") => {
                let mut out = csv::Writer::from_writer(BufWriter::new(File::create(path)?));
                out.write_record(["key", "status", "error", "http_status", "message"])?;
                Results::Csv(Box::new(out))
            }
            Some(path) => Results::Ndjson(Box::new(BufWriter::new(File::create(path)?))),
        })
    }

    /// Writes one item's outcome, flushed: a reader tailing the results sees each item as it ends.
    fn write(&mut self, result: &BulkResult) -> std::io::Result<()> {
        let (kind, status, message) = match &result.outcome {
            Outcome::Failed(error) => (error.kind(), error.status().map(|s| s.as_u16()), error.to_string()),
            _ => ("", None, String::new()),
        };
        match self {
            Results::Ndjson(out) => {
                let mut line = Map::new();
                line.insert("key".into(), json!(result.key));
                line.insert("status".into(), json!(result.outcome.name()));
                if let Outcome::Ok(bytes) = &result.outcome
                    && let Ok(answer) = serde_json::from_slice::<Value>(bytes)
                {
                    line.insert("answer".into(), answer);
                }
                if !kind.is_empty() {
                    line.insert("error".into(), json!(kind));
                    line.insert("http_status".into(), json!(status));
                    line.insert("message".into(), json!(message));
                }
                writeln!(out, "{}", Value::Object(line))?;
                out.flush()
            }
            Results::Csv(out) => {
                let http = status.map(|s| s.to_string()).unwrap_or_default();
                out.write_record([result.key.as_str(), result.outcome.name(), kind, http.as_str(), message.as_str()])?;
                out.flush()
            }
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Results::Ndjson(mut out) => out.flush(),
            Results::Csv(mut out) => out.flush(),
        }
    }
}
