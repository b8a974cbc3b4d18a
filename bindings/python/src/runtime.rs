//! The tokio runtimes under the Python package, one of each kind per process, whatever the number of Python
//! threads or event loops:
//!
//! - **Blocking calls** run on one current-thread runtime that the calling threads drive themselves: the thread
//!   that waits polls the request and the connection's I/O, so a call costs no hand-off between threads (running
//!   them on worker threads instead cost 35 % of sequential calls/s, measured). Threads that call at once take
//!   turns driving it (tokio lets several threads `block_on` one current-thread runtime). Its connection pool is
//!   the process's, so a thread that calls once and exits leaves nothing behind — an earlier design gave every
//!   calling thread a runtime and a client of its own, which outlived it (0.2 MiB and a TLS set-up per thread).
//! - **asyncio calls and page iterators** run on one multi-threaded runtime (two workers), whose reading ahead goes
//!   on while Python works.
//!
//! After `os.fork()` the child builds its own (the parent's threads do not exist there) instead of hanging on the
//! inherited ones, which are leaked rather than dropped.

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use pyo3::prelude::*;

/// A runtime of the process that made it; `make` builds one.
struct PerProcess {
    runtime: Mutex<Option<(u32, &'static tokio::runtime::Runtime)>>,
    make: fn() -> tokio::runtime::Runtime,
}

impl PerProcess {
    fn get(&self) -> &'static tokio::runtime::Runtime {
        let mut guard = self.runtime.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let pid = std::process::id();
        match *guard {
            Some((owner, runtime)) if owner == pid => runtime,
            _ => {
                // Leaked on purpose: after fork, the parent's runtime must not be dropped (its threads are not here).
                let runtime: &'static _ = Box::leak(Box::new((self.make)()));
                *guard = Some((pid, runtime));
                runtime
            }
        }
    }
}

static SHARED: PerProcess = PerProcess {
    runtime: Mutex::new(None),
    make: || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("toriihq")
            .enable_all()
            .build()
            .expect("a tokio runtime can be built")
    },
};

static BLOCKING: PerProcess = PerProcess {
    runtime: Mutex::new(None),
    make: || tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime can be built"),
};

/// Runs `future` to its end on the shared runtime, from the calling thread.
pub fn block_on<F: Future>(future: F) -> F::Output {
    SHARED.get().block_on(future)
}

/// How often a blocking wait lets Python look for Ctrl-C: its signal handlers run only when the interpreter is
/// asked, and a wait in Rust would otherwise ignore SIGINT until the call ended.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// Which runtime a wait drives: the blocking calls' (a call of the blocking client) or the shared one (a page).
#[derive(Clone, Copy)]
pub enum Runtime {
    Blocking,
    Shared,
}

/// Waits for `future` with the GIL released, a moment at a time, driving `runtime`. Between moments it hands the
/// core's log lines to `logging`, calls `between` (a blocking upload's progress callback) and runs Python's
/// signal handlers: a `KeyboardInterrupt` (or whatever a handler raises) drops the future — which cancels its
/// request — and is raised. Nothing is left running.
pub fn wait_interruptibly<F>(
    py: Python<'_>,
    runtime: Runtime,
    future: F,
    between: impl Fn(Python<'_>),
) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    let runtime = match runtime {
        Runtime::Blocking => BLOCKING.get(),
        Runtime::Shared => SHARED.get(),
    };
    let mut future = std::pin::pin!(future);
    loop {
        let moment =
            py.detach(|| runtime.block_on(async { tokio::time::timeout(SIGNAL_CHECK, future.as_mut()).await.ok() }));
        crate::logs::flush(py);
        between(py);
        if let Some(output) = moment {
            return Ok(output);
        }
        py.check_signals()?;
    }
}

pub fn spawn<F>(future: F) -> tokio::task::JoinHandle<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    SHARED.get().spawn(future)
}
