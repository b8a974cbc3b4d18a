//! The core's one error type, raised as the Python class for its kind (classes defined in `toriihq._errors`).

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn class_name(error: &toriihq::Error) -> &'static str {
    match error {
        toriihq::Error::InvalidArgument { wrong_type: true, .. } => "ArgumentTypeError",
        toriihq::Error::InvalidArgument { .. } => "InvalidArgumentError",
        other => match other.kind() {
            "bad_request" => "BadRequestError",
            "authentication" => "AuthenticationError",
            "permission_denied" => "PermissionDeniedError",
            "not_found" => "NotFoundError",
            "conflict" => "ConflictError",
            "payload_too_large" => "PayloadTooLargeError",
            "unprocessable_entity" => "UnprocessableEntityError",
            "rate_limited" => "RateLimitError",
            "server" => "InternalServerError",
            "unexpected_status" => "APIStatusError",
            "timeout" => "APITimeoutError",
            "connection" => "APIConnectionError",
            "decode" => "APIResponseValidationError",
            _ => "ToriiError",
        },
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
    let class = module.getattr(class_name(error))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("kind", error.kind())?;
    if let Some(response) = error.response() {
        kwargs.set_item("status_code", response.status.as_u16())?;
        let body = response.body.as_ref().map(|b| b.to_string());
        kwargs.set_item("body_json", body)?;
        let headers: Vec<(String, String)> = response
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect();
        kwargs.set_item("headers", headers)?;
    }
    if let toriihq::Error::RateLimited { retry_after, .. } = error {
        kwargs.set_item("retry_after", retry_after.map(|d| d.as_secs_f64()))?;
    }
    if let toriihq::Error::InvalidArgument { name, .. } = error {
        kwargs.set_item("argument", name)?;
    }
    let instance = class.call((error.to_string(),), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// Runs `body`, turning a Rust panic into a `ToriiError` instead of letting pyo3 raise `PanicException`.
pub fn no_panic<T>(body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic_message(&panic);
            Err(Python::attach(|py| {
                to_py_err(
                    py,
                    toriihq::Error::Config(format!("internal error in toriihq (a bug; please report it): {what}")),
                )
            }))
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
