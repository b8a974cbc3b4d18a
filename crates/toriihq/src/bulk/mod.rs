//! Bulk jobs: one operation or workflow called once per input — thousands of them, from a list or a file — with a
//! few at a time, paced to the operation's rate (the spec's limit unless the job names one, counted with every
//! other client of the process, slowed and paused for every worker by a 429), and resumable after a crash
//! through a journal ([`BulkJob::journal`]). Inputs are pulled only as workers free up, so a file of a million lines is never
//! held whole; results come as each item ends (not in input order), each with the key it was given.

mod fed;
mod inputs;
mod job;
mod journal;
mod progress;

use std::sync::Arc;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use serde_json::Value;

pub use fed::{FedRun, Next, Source};
pub use inputs::{KeyColumn, read_file};
pub use job::{BulkJob, DEFAULT_CONCURRENCY, MAX_CONCURRENCY};
use journal::{Earlier, Journal};
pub use progress::Progress;
use progress::Tally;

use crate::operations::Callable;
use crate::options::{CallOptions, Pace};
use crate::runtime::BoxStream;
use crate::{Client, Error, Rate, Result};

/// One call of a job: its parameters (named as for [`Client::call`]) and the key its result and journal
/// records carry (an id, an email, a line number). Keys must be unique within a job.
#[derive(Debug, Clone)]
pub struct BulkItem {
    pub key: String,
    pub params: Value,
}

impl BulkItem {
    /// The `number`th input (from 1) with `params`, keyed as a file's lines are: by the value of the parameter
    /// `key` names, or by its number. Parameters that are no object, or lack the key, are that input's failure.
    pub fn keyed(params: Value, key: &KeyColumn, number: u64) -> Input {
        match params {
            Value::Object(fields) => inputs::item(fields, key, number),
            other => Err(Error::invalid_type("inputs", format!("each must be an object of parameters, not {other}"))),
        }
        .map_err(|error| (number.to_string(), error))
    }
}

/// An input of a job: an item, or the key of one that could not be read (a malformed line) and why.
pub type Input = std::result::Result<BulkItem, (String, Error)>;

/// How an item ended.
#[derive(Debug)]
pub enum Outcome {
    /// Answered with success: the answer's bytes (JSON, or a download's bytes).
    Ok(Bytes),
    Failed(Error),
    /// Done by an earlier run of the job (its journal says so): not sent again.
    Skipped,
    /// An earlier run sent it and stopped before the answer (or got one that may have applied it), and it is not
    /// idempotent (a POST): not sent again on its own — check it, then remove its lines from the journal to
    /// send it again.
    Unknown,
}

#[derive(Debug)]
pub struct BulkResult {
    pub key: String,
    pub outcome: Outcome,
}

impl Outcome {
    /// The name results files and bindings use: `ok`, `failed`, `skipped`, `unknown`.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Ok(_) => "ok",
            Outcome::Failed(_) => "failed",
            Outcome::Skipped => "skipped",
            Outcome::Unknown => "unknown",
        }
    }
}

/// A running job: a stream of results, and its progress at any moment.
pub struct BulkRun<'a> {
    results: BoxStream<'a, BulkResult>,
    tally: Arc<Tally>,
}

impl BulkRun<'_> {
    /// Done, failed, skipped and unknown so far, the pace, and the time left when the total is known.
    pub fn progress(&self) -> Progress {
        self.tally.progress()
    }

    /// A handle that reads the progress while the results are being waited for elsewhere.
    pub fn tracker(&self) -> Tracker {
        Tracker(self.tally.clone())
    }
}

/// Reads a running job's progress (see [`BulkRun::progress`]).
#[derive(Clone)]
pub struct Tracker(Arc<Tally>);

impl Tracker {
    pub fn progress(&self) -> Progress {
        self.0.progress()
    }
}

impl Stream for BulkRun<'_> {
    type Item = BulkResult;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<BulkResult>> {
        self.results.poll_next_unpin(cx)
    }
}

/// What every item of a job shares.
struct Plan {
    callable: Callable,
    idempotent: bool,
    options: CallOptions,
    journal: Option<Journal>,
    tally: Arc<Tally>,
}

impl Client {
    /// Runs `job` over `inputs`: see the [module](crate::bulk). The operation, the settings and the journal are
    /// checked before the first input is read.
    pub fn bulk<'a>(&'a self, job: BulkJob, inputs: impl Stream<Item = Input> + Send + 'a) -> Result<BulkRun<'a>> {
        run(self, job, inputs)
    }

    /// As [`Client::bulk`], for a shared client: the run owns its handle (what bindings keep between calls).
    pub fn bulk_shared(
        client: Arc<Client>,
        job: BulkJob,
        inputs: impl Stream<Item = Input> + Send + 'static,
    ) -> Result<BulkRun<'static>> {
        run(client, job, inputs)
    }
}

fn run<'a, C>(client: C, job: BulkJob, inputs: impl Stream<Item = Input> + Send + 'a) -> Result<BulkRun<'a>>
where
    C: std::ops::Deref<Target = Client> + Clone + Send + Sync + 'a,
{
    if !(1..=MAX_CONCURRENCY).contains(&job.concurrency) {
        return Err(Error::invalid_argument("concurrency", format!("must be 1 to {MAX_CONCURRENCY}")));
    }
    let callable = Callable::resolve(&job.operation)?;
    let id = match callable {
        Callable::Operation(op) => op.id.as_str(),
        Callable::Workflow(workflow) => workflow.name,
    };
    let journal = job.journal.as_deref().map(|path| Journal::open(path, id)).transpose()?;
    let rate = job.rate.or_else(|| match callable {
        Callable::Operation(op) => op.rate_limit_per_minute.map(Rate::per_minute),
        Callable::Workflow(_) => None,
    });
    let tally = Arc::new(Tally::new(job.total, rate));
    let pace = job.rate.map_or(Pace::Spec, Pace::Rate);
    let plan = Arc::new(Plan {
        callable,
        idempotent: idempotent(callable),
        options: CallOptions { pace: Some(pace), ..job.options },
        journal,
        tally: tally.clone(),
    });
    let results = inputs
        .map(move |input| {
            let (client, plan) = (client.clone(), plan.clone());
            async move { one(&client, &plan, input).await }
        })
        .buffer_unordered(job.concurrency)
        .boxed();
    Ok(BulkRun { results, tally })
}

async fn one(client: &Client, plan: &Plan, input: Input) -> BulkResult {
    let (key, params) = match input {
        Ok(BulkItem { key, params }) => (key, params),
        Err((key, error)) => return plan.tally.ended(BulkResult { key, outcome: Outcome::Failed(error) }),
    };
    let mut paced = None;
    if let Some(journal) = &plan.journal {
        let earlier = journal.earlier(&key);
        let outcome = match earlier {
            Some(Earlier::Done) => Some(Outcome::Skipped),
            Some(Earlier::SentOnly | Earlier::Uncertain) if !plan.idempotent => Some(Outcome::Unknown),
            _ => None,
        };
        if let Some(outcome) = outcome {
            return plan.tally.ended(BulkResult { key, outcome });
        }
        // "sent" is recorded after the pacer's wait, so a job killed while waiting has sent nothing it records.
        // A workflow makes several requests, each paced on its own: it is recorded before its first wait.
        if let Callable::Operation(op) = plan.callable {
            client.pace(op, &plan.options).await;
            paced = Some(op);
        }
        if let Err(error) = journal.sent(&key).await {
            return plan.tally.ended(BulkResult { key, outcome: Outcome::Failed(error) });
        }
    }
    let answer = match paced {
        Some(op) => client.call_paced_operation(op, &params, &plan.options).await,
        None => client.call_resolved(plan.callable, &params, Vec::new(), &plan.options).await,
    };
    let outcome = match answer {
        Ok(bytes) => Outcome::Ok(bytes),
        Err(error) => Outcome::Failed(error),
    };
    if let Some(journal) = &plan.journal {
        let recorded = match &outcome {
            Outcome::Failed(error) => journal.outcome(&key, Err(error)),
            _ => journal.outcome(&key, Ok(())),
        };
        if let Err(error) = recorded {
            return plan.tally.ended(BulkResult { key, outcome: Outcome::Failed(error) });
        }
    }
    plan.tally.ended(BulkResult { key, outcome })
}

/// Whether sending it twice leaves the same state as once: what a resumed job may send again when an earlier run
/// stopped mid-request. The retry rules' idempotent methods, and PATCH: a job sends the same value again. A
/// workflow is when every operation it calls is.
fn idempotent(callable: Callable) -> bool {
    let resendable = |op: &toriihq_spec::Operation| {
        crate::dynamic::method(op).is_ok_and(|m| crate::retry::is_idempotent(&m) || m == reqwest::Method::PATCH)
    };
    match callable {
        Callable::Operation(op) => resendable(op),
        Callable::Workflow(workflow) => workflow.needs.iter().all(|id| crate::operation(id).is_some_and(resendable)),
    }
}
