//! The core's one error type, raised as the Python class for its kind (classes defined in `toriihq._errors`).

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// Raise a core result's error as its Python class: `result.or_raise(py)?`.
pub trait OrRaise<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, toriihq::Error> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|error| to_py_err(py, error))
    }
}

/// The Python exception for a core error.
pub fn to_py_err(py: Python<'_>, error: toriihq::Error) -> PyErr {
    match build(py, &error) {
        Ok(err) => err,
        Err(_) => PyRuntimeError::new_err(error.to_string()),
    }
}

fn build(py: Python<'_>, error: &toriihq::Error) -> PyResult<PyErr> {
    let module = ERRORS.get_or_try_init(py, || PyModule::import(py, "toriihq._errors").map(Bound::unbind))?.bind(py);
    let detail = error.detail();
    let record = serde_json::to_vec(&detail).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    let record = crate::decode::to_python(py, &record).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    let instance = module.getattr(detail.class)?.call1((detail.message, record))?;
    Ok(PyErr::from_value(instance))
}

/// Runs `body`, turning a Rust panic into a `ToriiError` instead of letting pyo3 raise `PanicException`.
pub fn no_panic<T>(body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic_message(&panic);
            Err(Python::attach(|py| to_py_err(py, toriihq::Error::Internal(what))))
        }
    }
}

pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown".into())
}
