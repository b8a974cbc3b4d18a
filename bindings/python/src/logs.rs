//! The core's log lines on their way to Python's `logging` (logger `toriihq`). A line may be written on a runtime
//! thread, which never takes the GIL (see `bridge`): every line waits in one queue, and threads that hold the GIL
//! anyway pass it on — a blocking wait between its moments, the asyncio bridge when it settles futures, an
//! iterator after each page.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use pyo3::prelude::*;
use toriihq::log::{LogLevel, Logger};

static PENDING: Mutex<Vec<(LogLevel, String)>> = Mutex::new(Vec::new());
static WAITING: AtomicBool = AtomicBool::new(false);

/// The logger every client of the package is built with.
pub fn logger() -> Logger {
    Logger::new(|level, line| {
        PENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push((level, line.to_string()));
        WAITING.store(true, Ordering::Release);
    })
}

fn take() -> Vec<(LogLevel, String)> {
    if !WAITING.swap(false, Ordering::AcqRel) {
        return Vec::new();
    }
    std::mem::take(&mut *PENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
}

/// Hands the waiting lines to `toriihq._log.emit`. A failure there (logging misconfigured) is reported as
/// unraisable: a log line never fails a call.
pub fn flush(py: Python<'_>) {
    let lines = take();
    if lines.is_empty() {
        return;
    }
    let lines: Vec<(&str, String)> = lines.into_iter().map(|(level, line)| (level.as_str(), line)).collect();
    let emitted = py.import("toriihq._log").and_then(|module| module.call_method1("emit", (lines,)));
    if let Err(error) = emitted {
        error.write_unraisable(py, None);
    }
}

/// The waiting lines as `(level, line)`, for the asyncio bridge (`toriihq._log.flush`).
#[pyfunction]
pub fn drain_logs() -> Vec<(&'static str, String)> {
    take().into_iter().map(|(level, line)| (level.as_str(), line)).collect()
}
