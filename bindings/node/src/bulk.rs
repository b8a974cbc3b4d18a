//! A bulk job for JavaScript: the core's [`FedRun`], its inputs pushed from a JavaScript (async) iterable or read
//! by the core from a file, each `next` a promise the JavaScript side can cancel (an `AbortSignal`).

use std::sync::Arc;

use napi::Env;
use napi_derive::napi;
use toriihq::bulk::{FedRun, Next, Outcome};
use toriihq::dynamic::Calls;

use crate::settle::{CallId, Settler};

#[napi]
pub struct NativeBulk {
    pub(crate) run: Arc<FedRun>,
    pub(crate) calls: Calls,
    pub(crate) settler: Settler,
}

/// What the job has next: `wants` (push an input or close), or one item's end. `answer` is the JSON text (or,
/// for a download, a Buffer in `bytes`); `error` the core's detail record as JSON, for `errors.translate`.
#[napi(object, object_from_js = false)]
pub struct BulkNext {
    pub wants: bool,
    pub key: Option<String>,
    pub status: Option<String>,
    #[napi(ts_type = "string")]
    pub answer: Option<crate::Text>,
    pub bytes: Option<napi::bindgen_prelude::Buffer>,
    pub error: Option<String>,
}

fn to_js(next: Next, answers_bytes: bool) -> toriihq::Result<Option<BulkNext>> {
    let empty = BulkNext { wants: false, key: None, status: None, answer: None, bytes: None, error: None };
    let result = match next {
        Next::End => return Ok(None),
        Next::Wants => return Ok(Some(BulkNext { wants: true, ..empty })),
        Next::Result(result) => result,
    };
    let mut next = BulkNext { key: Some(result.key), status: Some(result.outcome.name().to_string()), ..empty };
    match result.outcome {
        Outcome::Ok(bytes) if answers_bytes => next.bytes = Some(bytes.to_vec().into()),
        Outcome::Ok(bytes) => next.answer = Some(crate::Text::of(bytes)?),
        Outcome::Failed(error) => next.error = serde_json::to_string(&error.detail()).ok(),
        Outcome::Skipped | Outcome::Unknown => {}
    }
    Ok(Some(next))
}

#[napi]
impl NativeBulk {
    /// Settles the call `id` with what the job has next (a `BulkNext`, or `null` at its end).
    #[napi(catch_unwind)]
    pub fn next(&self, env: &Env, id: CallId) {
        let run = self.run.clone();
        let answers_bytes = run.answers_bytes();
        let next = async move { Ok(run.next().await) };
        self.settler.settle(env, &self.calls, id, next, move |next| to_js(next, answers_bytes))
    }

    /// Hands over the `number`th input as JSON (a bad one fails that item, not the job).
    #[napi(catch_unwind)]
    pub fn push(&self, number: u32, params: String) {
        self.run.push(number.into(), toriihq::arguments::parse("params", params.as_bytes()));
    }

    /// An input that could not be encoded: that item fails with `problem`, the job goes on.
    #[napi(catch_unwind)]
    pub fn push_refused(&self, number: u32, argument: String, problem: String) {
        self.run.push(number.into(), Err(toriihq::Error::invalid_type(argument, problem)));
    }

    #[napi(catch_unwind)]
    pub fn close(&self) {
        self.run.close();
    }

    #[napi(catch_unwind)]
    pub fn cancel(&self, id: CallId) {
        self.calls.cancel(id.unsigned_abs());
    }

    /// `{done, failed, skipped, unknown, total, elapsedMs, perSecond, etaMs}` as JSON.
    #[napi(catch_unwind)]
    pub fn progress(&self) -> String {
        let p = self.run.progress();
        serde_json::json!({
            "done": p.done, "failed": p.failed, "skipped": p.skipped, "unknown": p.unknown, "total": p.total,
            "elapsedMs": p.elapsed.as_secs_f64() * 1000.0, "perSecond": p.per_second,
            "etaMs": p.eta.map(|eta| eta.as_secs_f64() * 1000.0),
        })
        .to_string()
    }
}
