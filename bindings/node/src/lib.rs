//! The Node package's native addon. Generic like the Python one: calls go by operation name with JSON
//! parameters; the typed surface is generated JavaScript and TypeScript (`lib/operations.js`, `index.d.ts`).
//! Retries, paging, argument checks, uploads and the choice of error are the Rust core's.

use std::sync::Arc;

use futures::StreamExt;
use napi::bindgen_prelude::{Buffer, FnArgs, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;
use serde_json::Value;
use toriihq::dynamic::BoxStream;
use toriihq::dynamic::Calls;
use toriihq::dynamic::RawPage;
use toriihq::log::Logger;
use toriihq::options::{CallOptions, ClientOptions, Progress};
use toriihq::{Client, FilePart};

mod bulk;
pub mod cli;
mod error;
mod mock;
mod settle;
mod text;

use error::OrThrow;
use settle::{CallId, SettleFunction, Settler};
use text::Text;

fn parse_json(name: &str, text: &str) -> Result<Value, toriihq::Error> {
    toriihq::arguments::parse(name, text.as_bytes())
}

/// A call's parameters and options, both JSON text.
fn parse_call(params: &str, options: &str) -> Result<(Value, CallOptions), toriihq::Error> {
    let options = CallOptions::from_json(&parse_json("options", options)?)?;
    Ok((parse_json("params", params)?, options))
}

/// A multipart file given as bytes.
#[napi(object)]
pub struct Upload {
    pub field: String,
    pub file_name: String,
    pub data: Buffer,
}

/// `(sent, total)` for a JavaScript progress callback, called on the event loop's thread.
type ProgressFunction = ThreadsafeFunction<FnArgs<(f64, f64)>, Unknown<'static>, FnArgs<(f64, f64)>, Status, false>;

fn progress_to_js(function: ProgressFunction) -> Progress {
    Progress::new(move |sent, total| {
        function.call(FnArgs::from((sent as f64, total as f64)), ThreadsafeFunctionCallMode::NonBlocking);
    })
}

fn files(upload: Option<Upload>) -> Vec<(String, FilePart)> {
    upload.into_iter().map(|u| (u.field, FilePart::bytes(u.file_name, u.data.to_vec()))).collect()
}

/// A call as JavaScript describes it: an operation or workflow name, its parameters and options as JSON text, the
/// id `cancel` knows it by, and a file given as a Buffer (a path goes in `params` instead).
#[napi(object)]
pub struct NativeCall {
    pub name: String,
    pub params: String,
    pub options: String,
    pub id: CallId,
    pub upload: Option<Upload>,
}

/// A call with its JSON parsed and its options checked, ready to move onto the runtime.
struct Checked {
    name: String,
    params: Value,
    options: CallOptions,
    files: Vec<(String, FilePart)>,
}

impl NativeCall {
    /// The id, and the call to check on the runtime (the file is copied out of its Buffer here, on the caller's
    /// thread).
    fn split(self) -> (CallId, impl FnOnce() -> toriihq::Result<Checked> + Send + 'static) {
        let NativeCall { name, params, options, id, upload } = self;
        let files = files(upload);
        (id, move || {
            let (params, options) = parse_call(&params, &options)?;
            Ok(Checked { name, params, options, files })
        })
    }
}

/// `client.request`'s call: method, path, `{"query": ..., "body": ...}` and options as JSON text, and its id.
#[napi(object)]
pub struct NativeRequest {
    pub method: String,
    pub path: String,
    pub params: String,
    pub options: String,
    pub id: CallId,
}

/// One client of the core, plus the calls in flight (for `cancel`) and the way their answers go back.
#[napi]
pub struct NativeClient {
    client: Arc<Client>,
    calls: Calls,
    settler: Settler,
    /// What the client was built from, for `withOptions`.
    options: Value,
    user_agent: String,
    logger: Option<Logger>,
}

/// `(level, line)` for the JavaScript logger, called on the event loop's thread; it does not keep Node alive.
type LogFunction =
    ThreadsafeFunction<FnArgs<(String, String)>, Unknown<'static>, FnArgs<(String, String)>, Status, false, true>;

fn logger_to_js(function: LogFunction) -> Logger {
    Logger::new(move |level, line| {
        function.call(
            FnArgs::from((level.as_str().to_string(), line.to_string())),
            ThreadsafeFunctionCallMode::NonBlocking,
        );
    })
}

impl NativeClient {
    fn build(
        options: Value,
        user_agent: String,
        logger: Option<Logger>,
        settler: Settler,
    ) -> toriihq::Result<NativeClient> {
        let mut builder = ClientOptions::from_json(&options)?.builder().user_agent_suffix(user_agent.clone());
        if let Some(logger) = &logger {
            builder = builder.logger(logger.clone());
        }
        let client = Arc::new(builder.build()?);
        Ok(NativeClient { client, calls: Calls::default(), settler, options, user_agent, logger })
    }
}

#[napi]
impl NativeClient {
    /// `options` is the client's options as JSON text, checked by the core; `settle(id, ok, value)` settles the
    /// call filed under `id`.
    #[napi(constructor, catch_unwind)]
    pub fn new(
        env: Env,
        options: String,
        user_agent: String,
        #[napi(ts_arg_type = "((level: string, line: string) => void) | undefined | null")] log: Option<LogFunction>,
        #[napi(ts_arg_type = "(id: number, ok: boolean, value: unknown) => void")] settle: SettleFunction<'_>,
    ) -> napi::Result<Self> {
        let settler = Settler::new(settle)?;
        parse_json("options", &options)
            .and_then(|options| NativeClient::build(options, user_agent, log.map(logger_to_js), settler))
            .or_throw(&env)
    }

    /// A client with this one's options and `changes` (JSON text) over them, merged by the core.
    #[napi(catch_unwind)]
    pub fn with_options(&self, env: &Env, changes: String) -> napi::Result<NativeClient> {
        let merged = parse_json("options", &changes)
            .and_then(|changes| toriihq::options::merge_json(&self.options, &changes))
            .and_then(|options| {
                NativeClient::build(options, self.user_agent.clone(), self.logger.clone(), self.settler.clone())
            });
        merged.or_throw(env)
    }

    #[napi(getter, catch_unwind)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_string()
    }

    /// Calls an operation or workflow by name; settles the call `id` with the answer's JSON text ("" when it has
    /// none). `progress(sent, total)` hears how an upload goes.
    #[napi(catch_unwind)]
    pub fn call(
        &self,
        env: &Env,
        call: NativeCall,
        #[napi(ts_arg_type = "((sent: number, total: number) => void) | undefined | null")] progress: Option<
            ProgressFunction,
        >,
    ) {
        let client = self.client.clone();
        let (id, checked) = call.split();
        let answer = async move {
            let mut call = checked()?;
            call.options.progress = progress.map(progress_to_js);
            client.call_raw_with(&call.name, &call.params, call.files, &call.options).await
        };
        self.settler.settle(env, &self.calls, id, answer, Text::of)
    }

    /// As `call`, for one operation, with the answer's status and headers (`withResponse()`).
    #[napi(catch_unwind)]
    pub fn call_response(&self, env: &Env, call: NativeCall) {
        let client = self.client.clone();
        let (id, checked) = call.split();
        let answer = async move {
            let call = checked()?;
            client.call_response_with(&call.name, &call.params, call.files, &call.options).await
        };
        self.settler.settle(env, &self.calls, id, answer, |response| {
            let headers = response.headers.iter().map(|(name, value)| format!("{name}: {value}")).collect::<Vec<_>>();
            Ok(Answer { status: response.status.into(), headers: headers.join("\n"), body: Text::of(response.body)? })
        })
    }

    /// As `call`, for an answer of bytes (a download): settles with a Buffer.
    #[napi(catch_unwind)]
    pub fn call_bytes(&self, env: &Env, call: NativeCall) {
        let client = self.client.clone();
        let (id, checked) = call.split();
        let answer = async move {
            let call = checked()?;
            client.call_raw_with(&call.name, &call.params, call.files, &call.options).await
        };
        self.settler.settle(env, &self.calls, id, answer, |answer| Ok(Buffer::from(answer.to_vec())))
    }

    /// `method path` under the base URL, for an endpoint the spec does not describe yet. Settles the call `id`
    /// with the answer's JSON text ("" when it has none).
    #[napi(catch_unwind)]
    pub fn request(&self, env: &Env, request: NativeRequest) {
        let client = self.client.clone();
        let NativeRequest { method, path, params, options, id } = request;
        let answer = async move {
            let (params, options) = parse_call(&params, &options)?;
            client.request_json(&method, &path, &params, &options).await.map(|response| response.body)
        };
        self.settler.settle(env, &self.calls, id, answer, Text::of)
    }

    /// Aborts the call with this id, if it is still running.
    #[napi(catch_unwind)]
    pub fn cancel(&self, id: CallId) {
        self.calls.cancel(id.unsigned_abs());
    }

    /// Every page of a paged list, as JSON text; the paging happens in the core.
    #[napi(catch_unwind)]
    pub fn pages(&self, env: &Env, operation: String, params: String, options: String) -> napi::Result<NativePages> {
        let (params, options) = parse_call(&params, &options).or_throw(env)?;
        let pages = Client::call_pages_shared_with(self.client.clone(), &operation, params, options);
        let stream = toriihq::dynamic::read_ahead(pages, |task| drop(napi::bindgen_prelude::spawn(task)));
        let stream = Arc::new(tokio::sync::Mutex::new(stream));
        Ok(NativePages { stream, calls: Calls::default(), settler: self.settler.clone() })
    }

    /// A bulk job of `operation` (`settings`: JSON of the job and each call's options), its inputs read from
    /// `fromFile` or pushed from JavaScript, keyed by the parameter `key` or by their number.
    #[napi(catch_unwind)]
    pub fn bulk(
        &self,
        env: &Env,
        operation: String,
        settings: String,
        from_file: Option<String>,
        key: Option<String>,
    ) -> napi::Result<bulk::NativeBulk> {
        let started = parse_json("options", &settings).and_then(|settings| {
            let job = toriihq::bulk::BulkJob::from_json(&operation, &settings)?;
            let source = from_file.map_or(toriihq::bulk::Source::Fed, |path| toriihq::bulk::Source::File(path.into()));
            toriihq::bulk::FedRun::start(self.client.clone(), job, source, toriihq::bulk::KeyColumn(key))
        });
        let run = Arc::new(started.or_throw(env)?);
        Ok(bulk::NativeBulk { run, calls: Calls::default(), settler: self.settler.clone() })
    }
}
#[napi]
pub struct NativePages {
    stream: Arc<tokio::sync::Mutex<BoxStream<'static, toriihq::Result<RawPage>>>>,
    /// The wait for a page, so an AbortSignal can end it.
    calls: Calls,
    settler: Settler,
}

/// An answer as it came: status, headers as `name: value` lines (names in lower case), the body.
#[napi(object, object_from_js = false)]
pub struct Answer {
    pub status: u32,
    pub headers: String,
    #[napi(ts_type = "string")]
    pub body: Text,
}

/// A page's JSON text and the key its items are under (`null` when it has none).
#[napi(object, object_from_js = false)]
pub struct Page {
    #[napi(ts_type = "string")]
    pub body: Text,
    pub items_key: Option<String>,
}

#[napi]
impl NativePages {
    /// Settles the call `id` with the next page, or `null` after the last; `cancel(id)` ends the wait.
    #[napi(catch_unwind)]
    pub fn next(&self, env: &Env, id: CallId) {
        let stream = self.stream.clone();
        let call = async move { stream.lock().await.next().await.transpose() };
        self.settler.settle(env, &self.calls, id, call, |next| match next {
            None => Ok(None),
            Some(page) => Ok(Some(Page { body: Text::of(page.body)?, items_key: page.items_key.map(str::to_string) })),
        })
    }

    /// Ends the wait for the page asked for under this id, if it is still waiting.
    #[napi(catch_unwind)]
    pub fn cancel(&self, id: CallId) {
        self.calls.cancel(id.unsigned_abs());
    }
}

#[napi]
pub const MAX_UPLOAD_BYTES: u32 = toriihq::MAX_UPLOAD_BYTES as u32;

/// How deep a call's arguments may nest (the arguments object counted).
#[napi]
pub const MAX_JSON_DEPTH: u32 = toriihq::arguments::MAX_JSON_DEPTH as u32;
