//! A bulk job whose inputs a binding hands over one at a time from its own language (a Python iterable, a
//! JavaScript async iterable), pulled only when the job has room: [`FedRun::next`] answers with a result or asks
//! for an input, so the binding never reads ahead of the workers and never blocks on one it already has.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use serde_json::Value;
use tokio::sync::mpsc;

use super::{BulkItem, BulkJob, BulkResult, BulkRun, Input, KeyColumn, Progress, Tracker, inputs};
use crate::{Callable, Client, Result};

/// Where a fed job's inputs come from.
pub enum Source {
    /// The binding's own items, handed over with [`FedRun::push`].
    Fed,
    /// A CSV or NDJSON file, read by the core.
    File(PathBuf),
}

/// What [`FedRun::next`] has for the binding.
pub enum Next {
    Result(BulkResult),
    /// The job has room for another input: push one, or close the input.
    Wants,
    /// Every input has ended.
    End,
}

pub struct FedRun {
    run: tokio::sync::Mutex<BulkRun<'static>>,
    sender: Mutex<Option<mpsc::Sender<Input>>>,
    tracker: Tracker,
    key: KeyColumn,
    answers_bytes: bool,
}

impl FedRun {
    /// Starts `job` on `client`, its items keyed by `key` (a parameter's value, or the item's number).
    pub fn start(client: Arc<Client>, job: BulkJob, source: Source, key: KeyColumn) -> Result<FedRun> {
        let answers_bytes = Callable::resolve(&job.operation)?.answers_bytes();
        let (run, sender) = match source {
            Source::File(path) => {
                let items = inputs::read_file(&path, key.clone())?;
                (Client::bulk_shared(client, job, futures::stream::iter(items))?, None)
            }
            Source::Fed => {
                // `bulk_shared` refuses a concurrency out of range; the channel must not panic on it first.
                let (sender, receiver) = mpsc::channel::<Input>(job.concurrency.clamp(1, super::MAX_CONCURRENCY));
                let items = futures::stream::unfold(receiver, |mut receiver| async move {
                    receiver.recv().await.map(|input| (input, receiver))
                });
                (Client::bulk_shared(client, job, items)?, Some(sender))
            }
        };
        let tracker = run.tracker();
        Ok(FedRun { run: tokio::sync::Mutex::new(run), sender: Mutex::new(sender), tracker, key, answers_bytes })
    }

    /// The next result, or a request for an input when the job has room for one and nothing has ended.
    pub async fn next(&self) -> Next {
        let sender = self.sender.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        let mut run = self.run.lock().await;
        let room = async {
            match &sender {
                Some(sender) => sender.reserve().await.is_ok(),
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            result = run.next() => result.map_or(Next::End, Next::Result),
            true = room => Next::Wants,
        }
    }

    /// Hands over the `number`th input (from 1): its parameters as JSON, or why they could not be read.
    pub fn push(&self, number: u64, params: Result<Value>) {
        let input = match params {
            Ok(params) => BulkItem::keyed(params, &self.key, number),
            Err(error) => Err((number.to_string(), error)),
        };
        if let Some(sender) = &*self.sender.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) {
            // `next` said there is room, and only the binding's one consumer pushes.
            let _ = sender.try_send(input);
        }
    }

    /// No more inputs: the job ends once those handed over have.
    pub fn close(&self) {
        self.sender.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
    }

    pub fn progress(&self) -> Progress {
        self.tracker.progress()
    }

    /// Whether answers are bytes (a download), not JSON.
    pub fn answers_bytes(&self) -> bool {
        self.answers_bytes
    }
}
