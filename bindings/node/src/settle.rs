//! How a call's answer gets back to JavaScript: the JavaScript side makes the promise and files it under the call's
//! id; the runtime runs the call and hands the outcome to one threadsafe function per client, which calls the
//! package's `settle(id, ok, value)` on the event loop's thread.
//!
//! Why not napi-rs's promise per call (`Env::spawn_future_with_callback`), which the mock's start still uses: each
//! of those makes a threadsafe function (a libuv handle opened and closed), an `Error` with its stack trace, a
//! reference and a clean-up hook, and settles through a handle of its own, so answers that arrive together wake
//! the event loop once each. Measured on 64 `getContract` calls in flight (see the performance page).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

use napi::bindgen_prelude::{FnArgs, Function, JsError, ToNapiValue, Unknown};
use napi::threadsafe_function::{ThreadsafeCallContext, ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status, sys};

use toriihq::dynamic::Calls;

use crate::error::to_js_error;

/// A call's id as JavaScript numbers them: a whole number below 2^53. A `u32` would wrap after four billion calls
/// (days, for a busy service), and an answer filed under the wrapped id would never settle its promise.
pub(crate) type CallId = i64;

/// The JavaScript function that settles a call: `(id, ok, value)`, `value` the answer or the error to reject with.
pub(crate) type SettleFunction<'f> = Function<'f, FnArgs<(CallId, bool, Unknown<'static>)>, Unknown<'static>>;

/// Makes a call's outcome into a JavaScript value, on the event loop's thread: whether it succeeded, and its
/// answer or the error to reject with.
type IntoJs = Box<dyn FnOnce(&Env) -> napi::Result<(bool, sys::napi_value)> + Send>;

struct Settlement {
    id: CallId,
    into_js: IntoJs,
}

type Carrier =
    ThreadsafeFunction<Settlement, Unknown<'static>, FnArgs<(CallId, bool, Unknown<'static>)>, Status, false, true>;

/// What the carrier's callback shares with the calls: its raw handle (for ref and unref) and how many calls wait.
#[derive(Default)]
struct Waiting {
    raw: AtomicPtr<sys::napi_threadsafe_function__>,
    calls: AtomicU32,
}

impl Waiting {
    /// The event loop stays alive while a call waits, and only then: a client kept in a module variable must not
    /// keep a finished script running. Both ends run on the event loop's thread.
    fn hold(&self, env: &Env) {
        if self.calls.fetch_add(1, Ordering::Relaxed) == 0 {
            unsafe { sys::napi_ref_threadsafe_function(env.raw(), self.raw.load(Ordering::Relaxed)) };
        }
    }

    fn release(&self, env: &Env) {
        if self.calls.fetch_sub(1, Ordering::Relaxed) == 1 {
            unsafe { sys::napi_unref_threadsafe_function(env.raw(), self.raw.load(Ordering::Relaxed)) };
        }
    }
}

/// One client's way back to JavaScript, shared by its copies (`withOptions`), its pages and its bulk jobs.
#[derive(Clone)]
pub(crate) struct Settler {
    carrier: Arc<Carrier>,
    waiting: Arc<Waiting>,
}

impl Settler {
    pub(crate) fn new(settle: SettleFunction<'_>) -> napi::Result<Settler> {
        let waiting = Arc::new(Waiting::default());
        let released = waiting.clone();
        let carrier = settle
            .build_threadsafe_function::<Settlement>()
            .weak::<true>()
            .callee_handled::<false>()
            .build_callback(move |context: ThreadsafeCallContext<Settlement>| {
                released.release(&context.env);
                let Settlement { id, into_js } = context.value;
                let (ok, value) = into_js(&context.env)
                    .unwrap_or_else(|failure| (false, unsafe { JsError::from(failure).into_value(context.env.raw()) }));
                Ok(FnArgs::from((id, ok, unsafe { Unknown::from_raw_unchecked(context.env.raw(), value) })))
            })?;
        waiting.raw.store(carrier.raw(), Ordering::Relaxed);
        Ok(Settler { carrier: Arc::new(carrier), waiting })
    }

    /// Runs `call` on the runtime until it ends or the caller aborts it (`calls.cancel` of `id`), and settles the
    /// call `id` with `answer` of its result (made off the event loop's thread), or with the core's error.
    ///
    /// Every method that answers later is a plain method that takes what the call needs (reference-counted clones)
    /// before it returns, never an `async fn(&self)`: a worker thread that is terminated finalises its objects
    /// while their calls are still in flight, and a future that borrowed `self` then read freed memory (measured:
    /// the worker-churn soak aborted with a corrupted heap).
    pub(crate) fn settle<T, V>(
        &self,
        env: &Env,
        calls: &Calls,
        id: CallId,
        call: impl Future<Output = toriihq::Result<T>> + Send + 'static,
        answer: impl FnOnce(T) -> toriihq::Result<V> + Send + 'static,
    ) where
        T: Send + 'static,
        V: ToNapiValue + Send + 'static,
    {
        let call = calls.run(id.unsigned_abs(), call);
        self.waiting.hold(env);
        let carrier = self.carrier.clone();
        drop(napi::bindgen_prelude::spawn(async move {
            let outcome = call.await.and_then(answer);
            let into_js = Box::new(move |env: &Env| match outcome {
                Ok(value) => unsafe { V::to_napi_value(env.raw(), value) }.map(|value| (true, value)),
                Err(error) => Ok((false, unsafe { JsError::from(to_js_error(env, error)).into_value(env.raw()) })),
            });
            // Refused only once the environment is gone (a terminated worker): nobody is left to tell.
            carrier.call(Settlement { id, into_js }, ThreadsafeFunctionCallMode::NonBlocking);
        }));
    }
}
