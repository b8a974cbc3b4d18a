//! The tokio runtime under the Python package. Blocking calls run on a runtime of this process; after
//! `os.fork()` the child builds its own (the parent's worker threads do not exist there) instead of hanging on
//! the inherited one. The asyncio bridge spawns its tasks on the same runtime, so it works after fork too.

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

pub fn block_on<F: Future>(future: F) -> F::Output {
    current().block_on(future)
}

pub fn spawn<F>(future: F) -> tokio::task::JoinHandle<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    current().spawn(future)
}
