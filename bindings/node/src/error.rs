//! How a core error reaches JavaScript: an `Error` whose `toriihq` property is the core's detail record (kind,
//! class, message, status, …) as a JavaScript object, which the generated `lib/errors.js` turns into its class.
//! Every promise the addon returns settles through [`settle`], so no call site builds an error of its own.

use std::future::Future;

use napi::Env;
use napi::bindgen_prelude::{JsObjectValue, JsValue, PromiseRaw, ToNapiValue};

/// `error` as the JavaScript value the addon throws or rejects with.
pub(crate) fn to_js_error(env: &Env, error: toriihq::Error) -> napi::Error {
    let detail = error.detail();
    let built = env.create_error(napi::Error::from_reason(detail.message.clone())).and_then(|mut object| {
        object.set_named_property("toriihq", env.to_js_value(&detail)?)?;
        Ok(napi::Error::from(object.to_unknown()))
    });
    built.unwrap_or_else(|failure| failure)
}

/// A promise of `call`, its answer made by `answer` off the event loop's thread; a failure of either rejects
/// with the core's error.
pub(crate) fn settle<'env, T, V>(
    env: &'env Env,
    call: impl Future<Output = toriihq::Result<T>> + Send + 'static,
    answer: impl FnOnce(T) -> toriihq::Result<V> + Send + 'static,
) -> napi::Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: ToNapiValue + Send + 'static,
{
    let outcome = async move { Ok(call.await.and_then(answer)) };
    env.spawn_future_with_callback(outcome, |env, outcome| outcome.map_err(|error| to_js_error(env, error)))
}

/// What a `Result` of the core throws, for the synchronous methods.
pub(crate) trait OrThrow<T> {
    fn or_throw(self, env: &Env) -> napi::Result<T>;
}

impl<T> OrThrow<T> for toriihq::Result<T> {
    fn or_throw(self, env: &Env) -> napi::Result<T> {
        self.map_err(|error| to_js_error(env, error))
    }
}
