//! The tokio runtimes under the Python package: one single-threaded runtime per Python thread for blocking calls,
//! and one shared multi-threaded runtime for asyncio calls and page iterators. After `os.fork()` the child builds
//! its own (the parent's threads do not exist there) instead of hanging on the inherited ones.

use std::cell::RefCell;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use pyo3::prelude::*;

static RUNTIME: Mutex<Option<(u32, &'static tokio::runtime::Runtime)>> = Mutex::new(None);

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
    let mut guard = RUNTIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
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

thread_local! {
    static HERE: RefCell<Option<(u32, tokio::runtime::Runtime)>> = const { RefCell::new(None) };
}

/// Blocking calls run on a single-threaded runtime of the calling thread: the request, its connection and its
/// I/O stay on one thread, so a call costs no hand-offs between threads (which were most of a small call's time).
/// Threads run in parallel, each on its own runtime, with the GIL released.
pub fn block_on_here<F: Future>(future: F) -> F::Output {
    HERE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let pid = std::process::id();
        if !matches!(&*slot, Some((owner, _)) if *owner == pid) {
            if let Some((_, inherited)) = slot.take() {
                // Forked: this runtime's I/O driver and blocking threads belong to the parent.
                std::mem::forget(inherited);
            }
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime can be built");
            *slot = Some((pid, runtime));
        }
        let (_, runtime) = slot.as_ref().expect("set above");
        runtime.block_on(future)
    })
}

/// For the page iterators, whose reading ahead must go on while Python works: the shared runtime.
pub fn block_on<F: Future>(future: F) -> F::Output {
    current().block_on(future)
}

/// How often a blocking wait lets Python look for Ctrl-C: its signal handlers run only when the interpreter is
/// asked, and a wait in Rust would otherwise ignore SIGINT until the call ended.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// Waits for `future` with the GIL released (`block` drives it on a runtime for at most a moment), and between
/// moments runs Python's signal handlers: a `KeyboardInterrupt` (or whatever a handler raises) drops the future —
/// which cancels its request — and is raised. Nothing is left running.
pub fn wait_interruptibly<F>(
    py: Python<'_>,
    block: impl Fn(std::pin::Pin<&mut F>) -> Option<F::Output> + Send + Sync,
    future: F,
) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    let mut future = std::pin::pin!(future);
    loop {
        let moment = py.detach(|| block(future.as_mut()));
        crate::logs::flush(py);
        if let Some(output) = moment {
            return Ok(output);
        }
        py.check_signals()?;
    }
}

/// One moment of [`wait_interruptibly`] on this thread's runtime (blocking calls).
pub fn moment_here<F: Future>(future: std::pin::Pin<&mut F>) -> Option<F::Output> {
    block_on_here(async { tokio::time::timeout(SIGNAL_CHECK, future).await.ok() })
}

/// One moment of [`wait_interruptibly`] on the shared runtime (page iterators).
pub fn moment<F: Future>(future: std::pin::Pin<&mut F>) -> Option<F::Output> {
    block_on(async { tokio::time::timeout(SIGNAL_CHECK, future).await.ok() })
}

pub fn spawn<F>(future: F) -> tokio::task::JoinHandle<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    current().spawn(future)
}
