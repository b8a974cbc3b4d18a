//! The tokio runtime under the Python package. Blocking calls run on a runtime of this process; after
//! `os.fork()` the child builds its own (the parent's worker threads do not exist there) instead of hanging on
//! the inherited one. The asyncio bridge's runtime is set once, in the process that imported the module.

use std::future::Future;
use std::sync::Mutex;

use pyo3::prelude::*;

static BLOCKING: Mutex<Option<(u32, &'static tokio::runtime::Runtime)>> = Mutex::new(None);
static ASYNC_PID: Mutex<Option<u32>> = Mutex::new(None);

fn build() -> &'static tokio::runtime::Runtime {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("toriihq")
        .enable_all()
        .build()
        .expect("a tokio runtime can be built");
    // Leaked on purpose: after fork, the parent's runtime must not be dropped (its threads are not here).
    Box::leak(Box::new(runtime))
}

fn current() -> &'static tokio::runtime::Runtime {
    let mut guard = BLOCKING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let pid = std::process::id();
    match *guard {
        Some((owner, runtime)) if owner == pid => runtime,
        _ => {
            let runtime = build();
            *guard = Some((pid, runtime));
            runtime
        }
    }
}

/// At import: one runtime serves blocking calls and the asyncio bridge.
pub fn install() {
    let runtime = current();
    if pyo3_async_runtimes::tokio::init_with_runtime(runtime).is_ok() {
        *ASYNC_PID.lock().unwrap_or_else(|p| p.into_inner()) = Some(std::process::id());
    }
}

pub fn block_on<F: Future>(future: F) -> F::Output {
    current().block_on(future)
}

/// The asyncio bridge cannot be moved to a new runtime after fork; say so instead of hanging.
pub fn check_async_usable(py: Python<'_>) -> PyResult<()> {
    let owner = *ASYNC_PID.lock().unwrap_or_else(|p| p.into_inner());
    if owner == Some(std::process::id()) {
        return Ok(());
    }
    Err(crate::errors::to_py_err(
        py,
        toriihq::Error::Config(
            "AsyncClient cannot run in a process forked after toriihq was imported; use the blocking Client in \
             the child, or start children with the 'spawn' method"
                .into(),
        ),
    ))
}
