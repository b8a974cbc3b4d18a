//! How a core error reaches JavaScript: an `Error` whose `toriihq` property is the core's detail record (kind,
//! class, message, status, …) as a JavaScript object, which the generated `lib/errors.js` turns into its class.
//! Every call's failure (`settle.rs`) and every synchronous method's goes through [`to_js_error`], so no call site
//! builds an error of its own.

use napi::Env;
use napi::bindgen_prelude::{JsObjectValue, JsValue};

/// `error` as the JavaScript value the addon throws or rejects with.
pub(crate) fn to_js_error(env: &Env, error: toriihq::Error) -> napi::Error {
    let detail = error.detail();
    let built = env.create_error(napi::Error::from_reason(detail.message.clone())).and_then(|mut object| {
        object.set_named_property("toriihq", env.to_js_value(&detail)?)?;
        Ok(napi::Error::from(object.to_unknown()))
    });
    built.unwrap_or_else(|failure| failure)
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
