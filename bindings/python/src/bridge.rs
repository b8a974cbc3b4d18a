//! asyncio without Python on the runtime's threads. A call runs as a tokio task that, when done, only pushes its
//! outcome onto a queue and raises a flag; the event loop learns of it and, on its own thread, turns outcomes into
//! Python values and settles the futures. No runtime thread ever takes the GIL, so nothing can touch Python while
//! the interpreter shuts down — which is what crashed the earlier bridge, whose completions called
//! `loop.call_soon_threadsafe` from runtime threads.
//!
//! How the loop learns of it: on Unix a byte on a socket the loop watches (`loop.add_reader`); on a loop without
//! `add_reader` (Windows' proactor loop) one waker thread of `toriihq._bridge` blocks in [`Bridge::wait`] with the
//! GIL released and hands each wake-up to the loop with `call_soon_threadsafe` — a Python thread, stopped before
//! the interpreter finalises.

use std::future::Future;
#[cfg(unix)]
use std::io::{ErrorKind, Read, Write};
#[cfg(unix)]
use std::os::fd::AsRawFd;
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures::FutureExt;
use pyo3::prelude::*;
use toriihq::dynamic::Calls;
use toriihq::dynamic::RawPage;

/// What a task hands back: an answer, a page (`None` at the end of a page stream), or the core's error.
pub type Outcome = Result<Option<Answer>, toriihq::Error>;

pub enum Answer {
    /// A call's JSON answer, decoded whole.
    Body(Bytes),
    /// A call's answer as bytes (a download).
    Raw(Bytes),
    /// A page of a list: only its items reach Python.
    Page(RawPage),
    /// An answer with its status and headers, for `with_raw_response`.
    Response(toriihq::RawResponse),
    /// What a bulk job has next, and whether its answers are bytes.
    Bulk(toriihq::bulk::Next, bool),
}

struct Finished {
    outcomes: Mutex<Vec<(u64, Outcome)>>,
    /// Uploads' progress, `(call, sent, total)`, the newest per call.
    progress: Mutex<Vec<(u64, u64, u64)>>,
    wake: Wake,
}

/// The flag a finished call raises: a byte on the loop's socket (Unix), and a condition the waker thread waits on.
struct Wake {
    /// `None` once the bridge is closed.
    #[cfg(unix)]
    socket: Mutex<Option<UnixStream>>,
    raised: Mutex<bool>,
    changed: Condvar,
}

impl Wake {
    #[cfg(unix)]
    fn new(socket: UnixStream) -> Self {
        Wake { socket: Mutex::new(Some(socket)), raised: Mutex::new(false), changed: Condvar::new() }
    }

    #[cfg(not(unix))]
    fn new() -> Self {
        Wake { raised: Mutex::new(false), changed: Condvar::new() }
    }

    fn raise(&self) {
        *lock(&self.raised) = true;
        self.changed.notify_all();
        // A full socket (or a closed loop) needs no byte: a wake-up is already pending, or nobody listens.
        #[cfg(unix)]
        if let Some(socket) = lock(&self.socket).as_ref() {
            let _ = (&*socket).write(&[1]);
        }
    }

    /// Waits up to `timeout` for the flag; lowers it and says whether it was raised.
    fn wait(&self, timeout: Duration) -> bool {
        let raised = lock(&self.raised);
        let (mut raised, _) = self
            .changed
            .wait_timeout_while(raised, timeout, |raised| !*raised)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        std::mem::replace(&mut *raised, false)
    }
}

impl Finished {
    fn progress(&self, id: u64, sent: u64, total: u64) {
        let was_empty = {
            let mut progress = lock(&self.progress);
            let was_empty = progress.is_empty();
            match progress.iter_mut().find(|(call, _, _)| *call == id) {
                Some(entry) => *entry = (id, sent, total),
                None => progress.push((id, sent, total)),
            }
            was_empty
        };
        if was_empty {
            self.wake.raise();
        }
    }

    fn push(&self, id: u64, outcome: Outcome) {
        let was_empty = {
            let mut outcomes = lock(&self.outcomes);
            let was_empty = outcomes.is_empty();
            outcomes.push((id, outcome));
            was_empty
        };
        // One wake-up per batch: the loop drains every outcome when it wakes.
        if was_empty {
            self.wake.raise();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One per event loop (made by `toriihq._bridge`).
#[pyclass(module = "toriihq._native", frozen)]
pub struct Bridge {
    finished: Arc<Finished>,
    /// The end of the socket the loop watches; `None` once closed.
    #[cfg(unix)]
    woken: Mutex<Option<UnixStream>>,
    calls: Calls,
}

impl Bridge {
    /// Runs `work` on the runtime; its outcome reaches Python through `drain`. Returns the call's id.
    pub fn spawn(&self, work: impl Future<Output = Outcome> + Send + 'static) -> u64 {
        self.spawn_with_progress(|_| work)
    }

    /// As [`Bridge::spawn`], for work told where to report an upload's progress (`drain_progress` hands it to
    /// the loop).
    pub fn spawn_with_progress<F: Future<Output = Outcome> + Send + 'static>(
        &self,
        work: impl FnOnce(toriihq::options::Progress) -> F,
    ) -> u64 {
        let id = self.calls.next_id();
        let sink = self.finished.clone();
        let work = work(toriihq::options::Progress::new(move |sent, total| sink.progress(id, sent, total)));
        let finished = self.finished.clone();
        let work = self.calls.run(
            id,
            std::panic::AssertUnwindSafe(work).catch_unwind().map(|outcome| {
                outcome.unwrap_or_else(|panic| Err(toriihq::Error::Internal(crate::errors::panic_message(&panic))))
            }),
        );
        // A cancelled call's outcome (`Aborted`) still arrives; its waiter is gone and `drain`'s caller drops it.
        drop(crate::runtime::spawn(async move { finished.push(id, work.await) }));
        id
    }
}

#[pymethods]
impl Bridge {
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        #[cfg(unix)]
        let (woken, wake) = {
            let sockets = UnixStream::pair().and_then(|(woken, wake)| {
                woken.set_nonblocking(true)?;
                wake.set_nonblocking(true)?;
                Ok((woken, wake))
            });
            let (woken, wake) = sockets.map_err(|e| {
                crate::errors::to_py_err(py, toriihq::Error::Config(format!("cannot set up the asyncio bridge: {e}")))
            })?;
            (woken, Wake::new(wake))
        };
        #[cfg(not(unix))]
        let wake = {
            let _ = py;
            Wake::new()
        };
        Ok(Bridge {
            finished: Arc::new(Finished { outcomes: Mutex::new(Vec::new()), progress: Mutex::new(Vec::new()), wake }),
            #[cfg(unix)]
            woken: Mutex::new(Some(woken)),
            calls: Calls::default(),
        })
    }

    /// The socket the event loop watches. Unix only: elsewhere the loop is woken by the waker thread.
    #[cfg(unix)]
    fn fileno(&self) -> i32 {
        lock(&self.woken).as_ref().map_or(-1, AsRawFd::as_raw_fd)
    }

    /// Releases the socket pair once the loop is closed; calls still running finish into a queue nobody drains.
    fn close(&self) {
        #[cfg(unix)]
        {
            drop(lock(&self.woken).take());
            drop(lock(&self.finished.wake.socket).take());
        }
    }

    /// For the waker thread: blocks, with the GIL released, until a call finishes (or [`Bridge::wake`]) or `timeout`
    /// seconds pass; says which.
    fn wait(&self, py: Python<'_>, timeout: f64) -> bool {
        let timeout = Duration::try_from_secs_f64(timeout).unwrap_or(Duration::ZERO);
        py.detach(|| self.finished.wake.wait(timeout))
    }

    /// Raises the flag by hand: wakes a waiting [`Bridge::wait`] (to stop the waker thread).
    fn wake(&self) {
        self.finished.wake.raise();
    }

    /// Every finished call since the last drain, as `(id, outcome)`: the answer as Python values, `None` at the
    /// end of a page stream, or the exception to raise. Runs on the event loop's thread, with the GIL.
    fn drain(&self, py: Python<'_>) -> Vec<(u64, Py<PyAny>)> {
        // Empty the socket before taking the queue, so an outcome pushed in between leaves a byte behind.
        #[cfg(unix)]
        if let Some(woken) = lock(&self.woken).as_ref() {
            let mut sink = [0u8; 256];
            loop {
                match (&*woken).read(&mut sink) {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
        }
        let outcomes = std::mem::take(&mut *lock(&self.finished.outcomes));
        outcomes
            .into_iter()
            .map(|(id, outcome)| {
                let value = match outcome {
                    Ok(Some(Answer::Body(bytes))) => crate::decode::to_python(py, &bytes),
                    Ok(Some(Answer::Raw(bytes))) => Ok(pyo3::types::PyBytes::new(py, &bytes).into_any()),
                    Ok(Some(Answer::Page(page))) => crate::decode::page_items(py, &page),
                    Ok(Some(Answer::Response(response))) => crate::decode::response(py, &response),
                    Ok(Some(Answer::Bulk(next, answers_bytes))) => {
                        crate::bulk_answer::to_python(py, next, answers_bytes)
                    }
                    Ok(None) => Ok(py.None().into_bound(py)),
                    Err(error) => Err(error),
                };
                match value {
                    Ok(value) => (id, value.unbind()),
                    Err(error) => (id, crate::errors::to_py_err(py, error).into_value(py).into_any()),
                }
            })
            .collect()
    }

    /// Uploads' progress since the last call, `(id, sent, total)`, the newest per call. Call after `drain`.
    fn drain_progress(&self) -> Vec<(u64, u64, u64)> {
        std::mem::take(&mut *lock(&self.finished.progress))
    }

    /// Stops a call whose awaiting task was cancelled; its outcome never arrives.
    fn cancel(&self, call_id: u64) {
        self.calls.cancel(call_id);
    }

    /// Calls still running: a cancelled call must not be among them.
    fn running(&self) -> usize {
        self.calls.running()
    }
}
