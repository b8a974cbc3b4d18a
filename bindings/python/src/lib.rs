//! `toriihq._native`: the Python package's bridge to the Rust core. It is generic: calls go by operation name
//! with JSON parameters, so nothing here changes when the spec does. The typed, per-operation Python surface is
//! generated (`toriihq/_operations.py`); retries, paging, validation, uploads and error mapping are the core's.

mod bridge;
mod bulk;
mod bulk_answer;
mod decode;
mod errors;
mod logs;
mod mock;
mod runtime;

use std::sync::{Arc, Mutex};

use futures::StreamExt;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use toriihq::dynamic::BoxStream;
use toriihq::dynamic::RawPage;
use toriihq::options::{CallOptions, ClientOptions, Progress};
use toriihq::{Callable, Client, FilePart};

use crate::bridge::{Answer, Bridge};
use crate::errors::OrRaise;

fn parse_json(name: &str, json: &[u8]) -> Result<serde_json::Value, toriihq::Error> {
    toriihq::arguments::parse(name, json)
}

/// A call's parameters and options, both JSON.
fn parse_call(params: &[u8], options: &[u8]) -> Result<(serde_json::Value, CallOptions), toriihq::Error> {
    let options = CallOptions::from_json(&parse_json("options", options)?)?;
    Ok((parse_json("params", params)?, options))
}

/// A multipart file given as bytes: its form field, its file name and its content.
type Upload = (String, String, Vec<u8>);

/// A call as Python describes it (`_base._Call`): an operation or workflow name, its parameters and options as
/// JSON, and a file given as bytes.
#[derive(FromPyObject)]
struct CallArgs(String, Vec<u8>, Vec<u8>, Option<Upload>);

/// A call with its JSON parsed and its options checked.
struct Checked {
    name: String,
    params: serde_json::Value,
    options: CallOptions,
    files: Vec<(String, FilePart)>,
}

impl CallArgs {
    fn checked(self) -> Result<Checked, toriihq::Error> {
        let CallArgs(name, params, options, upload) = self;
        let (params, options) = parse_call(&params, &options)?;
        Ok(Checked { name, params, options, files: files(upload) })
    }
}

/// `client.request`'s call as Python describes it: method, path, `{"query": ..., "body": ...}` and options as JSON.
#[derive(FromPyObject)]
struct RequestArgs(String, String, Vec<u8>, Vec<u8>);

fn files(upload: Option<Upload>) -> Vec<(String, FilePart)> {
    upload.into_iter().map(|(field, name, data)| (field, FilePart::bytes(name, data))).collect()
}

/// A blocking call's progress callback. The runtime's threads never take the GIL (see `bridge`): the upload only
/// queues its figures, and the calling thread, between the moments of its wait (50 ms at most), calls the
/// callback with each in order. An exception in it is reported as unraisable and the upload goes on.
struct ProgressRelay {
    callback: Py<PyAny>,
    queued: Arc<Mutex<Vec<(u64, u64)>>>,
}

impl ProgressRelay {
    fn new(callback: Py<PyAny>) -> (ProgressRelay, Progress) {
        let queued = Arc::new(Mutex::new(Vec::new()));
        let queue = queued.clone();
        let progress = Progress::new(move |sent, total| {
            queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push((sent, total));
        });
        (ProgressRelay { callback, queued }, progress)
    }

    fn report(&self, py: Python<'_>) {
        let queued = std::mem::take(&mut *self.queued.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        for (sent, total) in queued {
            if let Err(error) = self.callback.call1(py, (sent, total)) {
                error.write_unraisable(py, Some(self.callback.bind(py)));
            }
        }
    }
}

/// What every client of one `NativeClient` is built from: the options the core checked, as JSON.
#[derive(Clone)]
struct Settings {
    options: serde_json::Value,
    user_agent: String,
}

impl Settings {
    fn build(&self) -> Result<Client, toriihq::Error> {
        let builder = ClientOptions::from_json(&self.options)?.builder();
        builder.user_agent_suffix(self.user_agent.clone()).logger(logs::logger()).build()
    }

    /// The client in `slot`, built there the first time.
    fn made_once(&self, slot: &mut Option<Arc<Client>>) -> Result<Arc<Client>, toriihq::Error> {
        if let Some(client) = slot {
            return Ok(client.clone());
        }
        let client = Arc::new(self.build()?);
        *slot = Some(client.clone());
        Ok(client)
    }
}

/// One client of the core, with two connection pools for the whole process: one on the blocking calls' runtime,
/// shared by every thread, and one on the shared runtime for asyncio and pages (see `runtime`). After `os.fork()`
/// the child gets fresh pools the first time it calls, instead of reusing connections and threads that only exist
/// in the parent.
#[pyclass(module = "toriihq._native", frozen)]
struct NativeClient {
    settings: Settings,
    clients: Mutex<ProcessClients>,
    base_url: String,
}

/// The clients of one process: those made in the parent are dropped in a forked child.
struct ProcessClients {
    pid: u32,
    shared: Option<Arc<Client>>,
    blocking: Option<Arc<Client>>,
}

impl ProcessClients {
    fn new(shared: Option<Arc<Client>>) -> Self {
        ProcessClients { pid: std::process::id(), shared, blocking: None }
    }
}

impl NativeClient {
    fn from_settings(settings: Settings) -> Result<NativeClient, toriihq::Error> {
        let client = settings.build()?;
        let base_url = client.base_url().to_string();
        Ok(NativeClient { settings, clients: Mutex::new(ProcessClients::new(Some(Arc::new(client)))), base_url })
    }

    fn clients(&self) -> std::sync::MutexGuard<'_, ProcessClients> {
        let mut clients = self.clients.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if clients.pid != std::process::id() {
            *clients = ProcessClients::new(None);
        }
        clients
    }

    /// The client of asyncio calls and pages.
    fn client(&self) -> Result<Arc<Client>, toriihq::Error> {
        self.settings.made_once(&mut self.clients().shared)
    }

    /// The client of blocking calls, every thread's: it is only ever driven on the blocking calls' runtime, so its
    /// connections live there.
    fn blocking_client(&self) -> Result<Arc<Client>, toriihq::Error> {
        self.settings.made_once(&mut self.clients().blocking)
    }

    /// A blocking call checked, and the client to make it with.
    fn blocking_call(&self, py: Python<'_>, call: CallArgs) -> PyResult<(Checked, Arc<Client>)> {
        call.checked().and_then(|call| Ok((call, self.blocking_client()?))).or_raise(py)
    }
}

#[pymethods]
impl NativeClient {
    /// `options` is the client's options as JSON, checked by the core.
    #[new]
    fn new(py: Python<'_>, options: &[u8], user_agent: String) -> PyResult<Self> {
        errors::no_panic(|| {
            let options = parse_json("options", options).or_raise(py)?;
            NativeClient::from_settings(Settings { options, user_agent }).or_raise(py)
        })
    }

    /// A client with this one's options and `changes` (JSON) over them, merged by the core.
    fn with_options(&self, py: Python<'_>, changes: &[u8]) -> PyResult<NativeClient> {
        errors::no_panic(|| {
            let copy = parse_json("options", changes).and_then(|changes| {
                let options = toriihq::options::merge_json(&self.settings.options, &changes)?;
                NativeClient::from_settings(Settings { options, user_agent: self.settings.user_agent.clone() })
            });
            copy.or_raise(py)
        })
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Calls an operation or workflow by name; blocks in Rust with the GIL released. Returns the answer as Python
    /// values (a download's as bytes). `progress(sent, total)` hears how an upload goes.
    #[pyo3(signature = (call, progress=None))]
    fn call<'py>(&self, py: Python<'py>, call: CallArgs, progress: Option<Py<PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        errors::no_panic(|| {
            let (mut call, client) = self.blocking_call(py, call)?;
            let relay = progress.map(|callback| {
                let (relay, progress) = ProgressRelay::new(callback);
                call.options.progress = Some(progress);
                relay
            });
            let callable = Callable::resolve(&call.name).or_raise(py)?;
            let answer = client.call_resolved(callable, &call.params, call.files, &call.options);
            let report = |py: Python<'_>| relay.iter().for_each(|relay| relay.report(py));
            let bytes = runtime::wait_interruptibly(py, runtime::Runtime::Blocking, answer, report)?.or_raise(py)?;
            match callable.answers_bytes() {
                true => Ok(PyBytes::new(py, &bytes).into_any()),
                false => decode::to_python(py, &bytes).or_raise(py),
            }
        })
    }

    /// As `call`, on the runtime: the outcome reaches Python through `bridge` (see `toriihq._bridge`), and so
    /// does an upload's progress when `progress` is set (the loop calls the callback, not the runtime).
    #[pyo3(signature = (bridge, call, progress=false))]
    fn start_call(&self, py: Python<'_>, bridge: &Bridge, call: CallArgs, progress: bool) -> PyResult<u64> {
        errors::no_panic(|| {
            let client = self.client().or_raise(py)?;
            Ok(bridge.spawn_with_progress(|progress_sink| async move {
                let mut call = call.checked()?;
                call.options.progress = progress.then_some(progress_sink);
                let callable = Callable::resolve(&call.name)?;
                let answer = client.call_resolved(callable, &call.params, call.files, &call.options).await?;
                Ok(Some(if callable.answers_bytes() { Answer::Raw(answer) } else { Answer::Body(answer) }))
            }))
        })
    }

    /// One operation's answer as it came, `(status, headers, body)`, for `with_raw_response`; blocks in Rust with
    /// the GIL released. The body stays bytes until the response's `parse()`.
    fn call_response<'py>(&self, py: Python<'py>, call: CallArgs) -> PyResult<Bound<'py, PyAny>> {
        errors::no_panic(|| {
            let (call, client) = self.blocking_call(py, call)?;
            let answer = client.call_response_with(&call.name, &call.params, call.files, &call.options);
            let outcome = runtime::wait_interruptibly(py, runtime::Runtime::Blocking, answer, |_| {})?;
            outcome.and_then(|response| decode::response(py, &response)).or_raise(py)
        })
    }

    /// As `call_response`, on the runtime: the tuple reaches Python through `bridge`.
    fn start_call_response(&self, py: Python<'_>, bridge: &Bridge, call: CallArgs) -> PyResult<u64> {
        errors::no_panic(|| {
            let client = self.client().or_raise(py)?;
            Ok(bridge.spawn(async move {
                let call = call.checked()?;
                let response = client.call_response_with(&call.name, &call.params, call.files, &call.options).await?;
                Ok(Some(Answer::Response(response)))
            }))
        })
    }

    /// `method path` under the base URL, for an endpoint the spec does not describe yet; blocks in Rust with the
    /// GIL released. Returns the answer's JSON as Python values.
    fn request<'py>(&self, py: Python<'py>, request: RequestArgs) -> PyResult<Bound<'py, PyAny>> {
        errors::no_panic(|| {
            let RequestArgs(method, path, params, options) = request;
            let (params, options) = parse_call(&params, &options).or_raise(py)?;
            let client = self.blocking_client().or_raise(py)?;
            let answer = client.request_json(&method, &path, &params, &options);
            let outcome = runtime::wait_interruptibly(py, runtime::Runtime::Blocking, answer, |_| {})?;
            outcome.and_then(|response| decode::to_python(py, &response.body)).or_raise(py)
        })
    }

    /// As `request`, on the runtime: the answer reaches Python through `bridge`.
    fn start_request(&self, py: Python<'_>, bridge: &Bridge, request: RequestArgs) -> PyResult<u64> {
        errors::no_panic(|| {
            let client = self.client().or_raise(py)?;
            Ok(bridge.spawn(async move {
                let RequestArgs(method, path, params, options) = request;
                let (params, options) = parse_call(&params, &options)?;
                let response = client.request_json(&method, &path, &params, &options).await?;
                Ok(Some(Answer::Body(response.body)))
            }))
        })
    }

    /// Every page of a paged list, as JSON bytes; the paging happens in the core.
    fn pages(&self, py: Python<'_>, call: CallArgs) -> PyResult<Pages> {
        errors::no_panic(|| {
            let call = call.checked().or_raise(py)?;
            let client = self.client().or_raise(py)?;
            let pages = Client::call_pages_shared_with(client, &call.name, call.params, call.options);
            let pages = toriihq::dynamic::read_ahead(pages, |task| drop(runtime::spawn(task)));
            Ok(Pages { stream: Arc::new(tokio::sync::Mutex::new(pages)) })
        })
    }

    /// A bulk job of `operation` (`settings`: JSON of the job and each call's options), its inputs read from
    /// `from_file` or pushed from Python, keyed by the parameter `key` or by their number.
    #[pyo3(signature = (operation, settings, from_file=None, key=None))]
    fn bulk(
        &self,
        py: Python<'_>,
        operation: String,
        settings: &[u8],
        from_file: Option<std::path::PathBuf>,
        key: Option<String>,
    ) -> PyResult<bulk::Bulk> {
        errors::no_panic(|| {
            let started = parse_json("options", settings).and_then(|settings| {
                let job = toriihq::bulk::BulkJob::from_json(&operation, &settings)?;
                let source = from_file.map_or(toriihq::bulk::Source::Fed, toriihq::bulk::Source::File);
                toriihq::bulk::FedRun::start(self.client()?, job, source, toriihq::bulk::KeyColumn(key))
            });
            Ok(bulk::Bulk { run: Arc::new(started.or_raise(py)?) })
        })
    }

    fn __repr__(&self) -> String {
        format!("NativeClient(base_url={:?})", self.base_url)
    }
}

/// The items of each page of a list, for `for` (blocking, GIL released) and, through a bridge, `async for`.
#[pyclass(module = "toriihq._native", frozen)]
struct Pages {
    stream: Arc<tokio::sync::Mutex<BoxStream<'static, toriihq::Result<RawPage>>>>,
}

#[pymethods]
impl Pages {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        errors::no_panic(|| {
            let stream = self.stream.clone();
            let next = runtime::wait_interruptibly(
                py,
                runtime::Runtime::Shared,
                async move { stream.lock().await.next().await },
                |_| {},
            )?;
            next.map(|page| page.and_then(|page| decode::page_items(py, &page))).transpose().or_raise(py)
        })
    }

    /// The next page on the runtime, for `async for`: `None` through `bridge` at the end.
    fn start_next(&self, bridge: &Bridge) -> u64 {
        let stream = self.stream.clone();
        bridge.spawn(async move { stream.lock().await.next().await.transpose().map(|page| page.map(Answer::Page)) })
    }
}

/// The package's JSON decoder on its own, as answers go through it: for the tests that hold it to `json.loads`.
#[pyfunction]
fn decode_json<'py>(py: Python<'py>, body: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    errors::no_panic(|| decode::to_python(py, body).or_raise(py))
}

/// The `toriihq` command line (the console script): the Rust crate's, run to its end with the GIL released.
#[pyfunction]
fn cli_main(py: Python<'_>, argv: Vec<String>) -> PyResult<i32> {
    errors::no_panic(|| Ok(py.detach(|| toriihq_cli::main(argv))))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(decode_json, m)?)?;
    m.add_function(wrap_pyfunction!(cli_main, m)?)?;
    m.add_function(wrap_pyfunction!(logs::drain_logs, m)?)?;
    m.add_class::<NativeClient>()?;
    m.add_class::<Pages>()?;
    m.add_class::<bulk::Bulk>()?;
    m.add_class::<Bridge>()?;
    m.add_class::<mock::NativeMock>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("MAX_UPLOAD_BYTES", toriihq::MAX_UPLOAD_BYTES)?;
    m.add("MAX_JSON_DEPTH", toriihq::arguments::MAX_JSON_DEPTH)?;
    Ok(())
}
