//! `toriihq._native`: the Python package's bridge to the Rust core. It is generic: calls go by operation name
//! with JSON parameters, so nothing here changes when the spec does. The typed, per-operation Python surface is
//! generated (`toriihq/_operations.py`); retries, paging, validation, uploads and error mapping are the core's.

mod errors;
mod runtime;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::StreamExt;
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use toriihq::runtime::BoxStream;
use toriihq::{Client, FilePart};

/// Raw JSON bytes, turned into a Python `bytes` object; the package decodes them with `json.loads`.
struct Json(Bytes);

impl<'py> IntoPyObject<'py> for Json {
    type Target = PyBytes;
    type Output = Bound<'py, PyBytes>;
    type Error = std::convert::Infallible;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        Ok(PyBytes::new(py, &self.0))
    }
}

fn parse_params(params: &[u8]) -> Result<serde_json::Value, toriihq::Error> {
    if params.is_empty() {
        return Ok(serde_json::Value::Null);
    }
    serde_json::from_slice(params).map_err(|e| toriihq::Error::invalid_type("params", e.to_string()))
}

#[derive(Clone)]
struct Settings {
    api_key: Option<String>,
    base_url: Option<String>,
    api_version: Option<String>,
    timeout: f64,
    max_retries: u32,
    user_agent: String,
}

impl Settings {
    fn build(&self) -> Result<Client, toriihq::Error> {
        let mut builder = Client::builder()
            .timeout(std::time::Duration::from_secs_f64(self.timeout))
            .max_retries(self.max_retries)
            .user_agent_suffix(self.user_agent.clone());
        if let Some(key) = &self.api_key {
            builder = builder.api_key(key.clone());
        }
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url.clone());
        }
        if let Some(version) = &self.api_version {
            builder = builder.api_version(version.clone());
        }
        builder.build()
    }
}

/// One client of the core. After `os.fork()` the child gets a fresh HTTP client on its own runtime the first
/// time it calls, instead of reusing connections and threads that only exist in the parent.
#[pyclass(module = "toriihq._native", frozen)]
struct NativeClient {
    settings: Settings,
    client: Mutex<(u32, Arc<Client>)>,
    base_url: String,
}

impl NativeClient {
    fn client(&self) -> Result<Arc<Client>, toriihq::Error> {
        let mut guard = self.client.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let pid = std::process::id();
        if guard.0 != pid {
            *guard = (pid, Arc::new(self.settings.build()?));
        }
        Ok(guard.1.clone())
    }
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (api_key, base_url, api_version, timeout, max_retries, user_agent))]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        base_url: Option<String>,
        api_version: Option<String>,
        timeout: f64,
        max_retries: u32,
        user_agent: String,
    ) -> PyResult<Self> {
        errors::no_panic(|| {
            if !(timeout.is_finite() && timeout > 0.0) {
                return Err(errors::to_py_err(
                    py,
                    toriihq::Error::invalid_argument("timeout", "must be a positive number of seconds"),
                ));
            }
            let settings = Settings { api_key, base_url, api_version, timeout, max_retries, user_agent };
            let client = settings.build().map_err(|e| errors::to_py_err(py, e))?;
            let base_url = client.base_url().to_string();
            Ok(NativeClient { settings, client: Mutex::new((std::process::id(), Arc::new(client))), base_url })
        })
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Calls an operation by name; blocks in Rust with the GIL released. Returns the answer's JSON bytes.
    fn call<'py>(&self, py: Python<'py>, operation: &str, params: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        errors::no_panic(|| {
            let outcome = py.detach(|| -> Result<Bytes, toriihq::Error> {
                let params = parse_params(params)?;
                let client = self.client()?;
                runtime::block_on(async move { client.call_raw(operation, &params).await })
            });
            outcome.map(|bytes| PyBytes::new(py, &bytes)).map_err(|e| errors::to_py_err(py, e))
        })
    }

    /// As `call`, returning an asyncio awaitable.
    fn call_async<'py>(&self, py: Python<'py>, operation: String, params: Vec<u8>) -> PyResult<Bound<'py, PyAny>> {
        errors::no_panic(|| {
            let client = self.client().map_err(|e| errors::to_py_err(py, e))?;
            runtime::check_async_usable(py)?;
            pyo3_async_runtimes::tokio::future_into_py(
                py,
                errors::no_panic_async(async move {
                    let params = parse_params(&params).map_err(errors::deferred)?;
                    client.call_raw(&operation, &params).await.map(Json).map_err(errors::deferred)
                }),
            )
        })
    }

    /// A multipart upload whose file comes as bytes (a path can go in `params` instead).
    fn upload<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        params: &[u8],
        field: String,
        file_name: String,
        data: Vec<u8>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        errors::no_panic(|| {
            let outcome = py.detach(|| -> Result<Bytes, toriihq::Error> {
                let params = parse_params(params)?;
                let client = self.client()?;
                let files = vec![(field, FilePart::bytes(file_name, data))];
                runtime::block_on(async move { client.call_raw_with_files(operation, &params, files).await })
            });
            outcome.map(|bytes| PyBytes::new(py, &bytes)).map_err(|e| errors::to_py_err(py, e))
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn upload_async<'py>(
        &self,
        py: Python<'py>,
        operation: String,
        params: Vec<u8>,
        field: String,
        file_name: String,
        data: Vec<u8>,
    ) -> PyResult<Bound<'py, PyAny>> {
        errors::no_panic(|| {
            let client = self.client().map_err(|e| errors::to_py_err(py, e))?;
            runtime::check_async_usable(py)?;
            pyo3_async_runtimes::tokio::future_into_py(
                py,
                errors::no_panic_async(async move {
                    let params = parse_params(&params).map_err(errors::deferred)?;
                    let files = vec![(field, FilePart::bytes(file_name, data))];
                    client.call_raw_with_files(&operation, &params, files).await.map(Json).map_err(errors::deferred)
                }),
            )
        })
    }

    /// Every page of a paged list, as JSON bytes; the paging happens in the core.
    fn pages(&self, py: Python<'_>, operation: &str, params: &[u8]) -> PyResult<Pages> {
        errors::no_panic(|| {
            let params = parse_params(params).map_err(|e| errors::to_py_err(py, e))?;
            let client = self.client().map_err(|e| errors::to_py_err(py, e))?;
            Ok(Pages {
                stream: Arc::new(tokio::sync::Mutex::new(Client::call_pages_shared(client, operation, params))),
            })
        })
    }

    fn __repr__(&self) -> String {
        format!("NativeClient(base_url={:?})", self.base_url)
    }
}

/// Pages of a list, for `for` (blocking, GIL released) and `async for`.
#[pyclass(module = "toriihq._native", frozen)]
struct Pages {
    stream: Arc<tokio::sync::Mutex<BoxStream<'static, toriihq::Result<Bytes>>>>,
}

#[pymethods]
impl Pages {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        errors::no_panic(|| {
            let stream = self.stream.clone();
            let next = py.detach(|| runtime::block_on(async move { stream.lock().await.next().await }));
            match next {
                None => Ok(None),
                Some(Ok(bytes)) => Ok(Some(PyBytes::new(py, &bytes))),
                Some(Err(e)) => Err(errors::to_py_err(py, e)),
            }
        })
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        errors::no_panic(|| {
            runtime::check_async_usable(py)?;
            let stream = self.stream.clone();
            pyo3_async_runtimes::tokio::future_into_py(
                py,
                errors::no_panic_async(async move {
                    match stream.lock().await.next().await {
                        None => Err(PyStopAsyncIteration::new_err(())),
                        Some(Ok(bytes)) => Ok(Json(bytes)),
                        Some(Err(e)) => Err(errors::deferred(e)),
                    }
                }),
            )
        })
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    runtime::install();
    m.add_class::<NativeClient>()?;
    m.add_class::<Pages>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("MAX_UPLOAD_BYTES", toriihq::MAX_UPLOAD_BYTES)?;
    Ok(())
}
