//! `toriihq/testing`'s native part: the project's mock, in process on the addon's runtime, and its admin API
//! called directly.

use std::future::Future;
use std::sync::Mutex;

use napi::Env;
use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi_derive::napi;
use toriihq_mock::{MockConfig, MockServer};

use crate::error::{OrThrow, to_js_error};

fn config_error(error: impl std::fmt::Display) -> toriihq::Error {
    toriihq::Error::Config(format!("the mock: {error}"))
}

/// A promise of `call`, its answer made by `answer` off the event loop's thread; a failure of either rejects
/// with the core's error. napi-rs's promise per call, which a client's calls do without (`settle.rs`): the mock
/// is started once and its admin API asked a few times per test.
fn settle<'env, T, V>(
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

#[napi]
pub struct NativeMock {
    server: Mutex<Option<MockServer>>,
    url: String,
    storage_url: String,
}

/// An admin call's answer: its status and JSON text.
#[napi(object)]
pub struct AdminAnswer {
    pub status: u32,
    pub body: String,
}

#[napi]
impl NativeMock {
    /// Starts a mock with `config` (JSON text: the settings of `MockConfig::from_json`) on a port the OS picks.
    #[napi(ts_return_type = "Promise<NativeMock>")]
    pub fn start(env: &Env, config: String) -> napi::Result<PromiseRaw<'_, NativeMock>> {
        let starting = async move {
            let config: serde_json::Value = serde_json::from_str(&config).map_err(config_error)?;
            let config = MockConfig::from_json(&config).map_err(config_error)?;
            MockServer::start(config).await.map_err(config_error)
        };
        settle(env, starting, |server| {
            let (url, storage_url) = (server.url(), server.storage_url());
            Ok(NativeMock { server: Mutex::new(Some(server)), url, storage_url })
        })
    }

    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    #[napi(getter)]
    pub fn storage_url(&self) -> String {
        self.storage_url.clone()
    }

    /// A call of the admin API (`path` after `/_mock/`, query included). Not an `async fn(&self)`: the promise
    /// must not borrow the object, which a terminated worker frees while calls are in flight (see `Settler::settle`).
    #[napi(catch_unwind, ts_return_type = "Promise<AdminAnswer>")]
    pub fn admin<'env>(
        &self,
        env: &'env Env,
        method: String,
        path: String,
        body: String,
    ) -> napi::Result<PromiseRaw<'env, AdminAnswer>> {
        let pending = {
            let server = self.server.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let server = server.as_ref().ok_or_else(|| config_error("it was stopped")).or_throw(env)?;
            server.admin_request(&method, &path, body.as_bytes())
        };
        env.spawn_future(async move {
            let (status, body) = pending.await;
            Ok(AdminAnswer { status: status.into(), body: String::from_utf8_lossy(&body).into_owned() })
        })
    }

    /// Stops serving; a second stop does nothing.
    #[napi]
    pub fn stop(&self) {
        if let Some(server) = self.server.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take() {
            server.stop();
        }
    }
}
