//! Calls in flight that a binding cancels by id: a JavaScript `AbortSignal`, a cancelled asyncio task. One
//! registry for both packages, so "cancel" means the same everywhere: the call stops at once and ends with
//! [`Error::Aborted`].

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::{Error, Result};

#[derive(Clone, Default)]
pub struct Calls {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    running: Mutex<HashMap<u64, oneshot::Sender<()>>>,
    next_id: AtomicU64,
}

impl Inner {
    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<u64, oneshot::Sender<()>>> {
        self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Takes a call off the registry however it ends: finished, cancelled, or dropped unfinished.
struct Registered {
    inner: Arc<Inner>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.inner.running().remove(&self.id);
    }
}

impl Calls {
    /// A fresh id, for callers that do not choose their own.
    pub fn next_id(&self) -> u64 {
        self.inner.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Runs `call` under `id` until it ends or [`Calls::cancel`] stops it. The call is registered at once,
    /// before the returned future is first polled, so a cancel that comes right after is not lost.
    pub fn run<T, F>(&self, id: u64, call: F) -> impl Future<Output = Result<T>> + use<T, F>
    where
        F: Future<Output = Result<T>>,
    {
        let (cancel, cancelled) = oneshot::channel();
        self.inner.running().insert(id, cancel);
        let registered = Registered { inner: self.inner.clone(), id };
        async move {
            let _registered = registered;
            tokio::select! {
                outcome = call => outcome,
                _ = cancelled => Err(Error::Aborted),
            }
        }
    }

    /// Stops the call with this id, if it is still running; says whether it was.
    pub fn cancel(&self, id: u64) -> bool {
        match self.inner.running().remove(&id) {
            Some(cancel) => cancel.send(()).is_ok(),
            None => false,
        }
    }

    /// How many calls are running.
    pub fn running(&self) -> usize {
        self.inner.running().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<T>(future: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(future)
    }

    #[test]
    fn a_cancelled_call_ends_aborted_and_leaves_the_registry() {
        let calls = Calls::default();
        let id = calls.next_id();
        let call = calls.run(id, std::future::pending::<Result<()>>());
        assert_eq!(calls.running(), 1);
        assert!(calls.cancel(id));
        assert!(matches!(block_on(call), Err(Error::Aborted)));
        assert_eq!(calls.running(), 0);
        assert!(!calls.cancel(id), "a second cancel finds nothing");
    }

    #[test]
    fn a_finished_or_dropped_call_leaves_the_registry() {
        let calls = Calls::default();
        assert_eq!(block_on(calls.run(7, async { Ok(42) })).unwrap(), 42);
        drop(calls.run(8, std::future::pending::<Result<()>>()));
        assert_eq!(calls.running(), 0);
        assert_ne!(calls.next_id(), calls.next_id());
    }
}
