//! The tokio runtimes under the Python package: one single-threaded runtime per Python thread for blocking calls,
//! and one shared multi-threaded runtime for asyncio calls and page iterators. After `os.fork()` the child builds
//! its own (the parent's threads do not exist there) instead of hanging on the inherited ones.

use std::cell::RefCell;
use std::future::Future;
use std::sync::Mutex;

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

pub fn spawn<F>(future: F) -> tokio::task::JoinHandle<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    current().spawn(future)
}
