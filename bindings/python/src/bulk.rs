//! A bulk job for Python: the core's [`FedRun`], its inputs pushed from a Python iterable (or read by the core
//! from a file), its results taken blocking (GIL released) or through a bridge for `async for`.

use std::sync::Arc;

use pyo3::prelude::*;
use toriihq::bulk::FedRun;

use crate::bridge::{Answer, Bridge};
use crate::errors::OrRaise;
use crate::runtime;

#[pyclass(module = "toriihq._native", frozen)]
pub struct Bulk {
    pub(crate) run: Arc<FedRun>,
}

#[pymethods]
impl Bulk {
    /// The next result or request for input, blocking with the GIL released (Ctrl-C interrupts it).
    fn next<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::no_panic(|| {
            let run = self.run.clone();
            let next =
                runtime::wait_interruptibly(py, runtime::Runtime::Shared, async move { run.next().await }, |_| {})?;
            crate::bulk_answer::to_python(py, next, self.run.answers_bytes()).or_raise(py)
        })
    }

    /// As `next`, on the runtime: the value reaches Python through `bridge`.
    fn start_next(&self, bridge: &Bridge) -> u64 {
        let run = self.run.clone();
        bridge.spawn(async move {
            let answers_bytes = run.answers_bytes();
            Ok(Some(Answer::Bulk(run.next().await, answers_bytes)))
        })
    }

    /// Hands over the `number`th input, its parameters as JSON (a bad one fails that item, not the job).
    fn push(&self, number: u64, params: &[u8]) {
        self.run.push(number, toriihq::arguments::parse("params", params));
    }

    /// An input that could not be encoded: that item fails with `error`'s message, the job goes on.
    fn push_refused(&self, number: u64, argument: String, problem: String) {
        self.run.push(number, Err(toriihq::Error::invalid_type(argument, problem)));
    }

    fn close(&self) {
        self.run.close();
    }

    /// `(done, failed, skipped, unknown, total, elapsed, per_second, eta)`, times in seconds.
    fn progress(&self) -> (u64, u64, u64, u64, Option<u64>, f64, f64, Option<f64>) {
        let p = self.run.progress();
        (
            p.done,
            p.failed,
            p.skipped,
            p.unknown,
            p.total,
            p.elapsed.as_secs_f64(),
            p.per_second,
            p.eta.map(|eta| eta.as_secs_f64()),
        )
    }
}
