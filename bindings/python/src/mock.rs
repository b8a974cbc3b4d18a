//! `toriihq.testing.MockServer`'s native part: the project's mock, in process on the package's runtime, and its
//! admin API called directly.

use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use toriihq_mock::{MockConfig, MockServer};

use crate::errors::{self, OrRaise};
use crate::runtime;

#[pyclass(module = "toriihq._native", frozen)]
pub struct NativeMock {
    server: Mutex<Option<MockServer>>,
    url: String,
    storage_url: String,
}

fn config_error(error: impl std::fmt::Display) -> toriihq::Error {
    toriihq::Error::Config(format!("the mock: {error}"))
}

#[pymethods]
impl NativeMock {
    /// Starts a mock with `config` (JSON: the settings of `MockConfig::from_json`) on a port the OS picks.
    #[new]
    fn new(py: Python<'_>, config: &[u8]) -> PyResult<Self> {
        errors::no_panic(|| {
            let started = py.detach(|| {
                let config: serde_json::Value = serde_json::from_slice(config).map_err(config_error)?;
                let config = MockConfig::from_json(&config).map_err(config_error)?;
                runtime::block_on(MockServer::start(config)).map_err(config_error)
            });
            let server = started.or_raise(py)?;
            let (url, storage_url) = (server.url(), server.storage_url());
            Ok(NativeMock { server: Mutex::new(Some(server)), url, storage_url })
        })
    }

    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    #[getter]
    fn storage_url(&self) -> &str {
        &self.storage_url
    }

    /// A call of the admin API (`path` after `/_mock/`, query included): `(status, body)`.
    fn admin<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> PyResult<(u16, Bound<'py, PyBytes>)> {
        errors::no_panic(|| {
            let answer = py.detach(|| {
                let server = self.server.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let server = server.as_ref().ok_or_else(|| config_error("it was stopped"))?;
                Ok(runtime::block_on(server.admin(method, path, body)))
            });
            let (status, body) = answer.or_raise(py)?;
            Ok((status, PyBytes::new(py, &body)))
        })
    }

    /// Stops serving; a second stop does nothing.
    fn stop(&self) {
        if let Some(server) = self.server.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take() {
            server.stop();
        }
    }
}
