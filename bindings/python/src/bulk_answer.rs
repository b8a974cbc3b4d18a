//! What a bulk job has next, as Python values: on the calling thread for `for`, on the loop's for `async for`.

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use toriihq::bulk::{Next, Outcome};

/// `None` at the end, `True` when the job wants an input, else `(key, status, answer, error)`.
pub fn to_python<'py>(py: Python<'py>, next: Next, answers_bytes: bool) -> toriihq::Result<Bound<'py, PyAny>> {
    let result = match next {
        Next::End => return Ok(py.None().into_bound(py)),
        Next::Wants => return Ok(pyo3::types::PyBool::new(py, true).to_owned().into_any()),
        Next::Result(result) => result,
    };
    let status = result.outcome.name();
    let (answer, error) = match result.outcome {
        Outcome::Ok(bytes) if answers_bytes => (PyBytes::new(py, &bytes).into_any(), py.None().into_bound(py)),
        Outcome::Ok(bytes) if bytes.is_empty() => (py.None().into_bound(py), py.None().into_bound(py)),
        Outcome::Ok(bytes) => (crate::decode::to_python(py, &bytes)?, py.None().into_bound(py)),
        Outcome::Failed(error) => {
            (py.None().into_bound(py), crate::errors::to_py_err(py, error).into_value(py).into_bound(py).into_any())
        }
        Outcome::Skipped | Outcome::Unknown => (py.None().into_bound(py), py.None().into_bound(py)),
    };
    Ok((result.key, status, answer, error)
        .into_pyobject(py)
        .map_err(|e| toriihq::Error::Internal(e.to_string()))?
        .into_any())
}
