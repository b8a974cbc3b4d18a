//! One loader for every consumer of the Torii OpenAPI document: the code generator (`cargo xtask generate`),
//! the mock server and the binding generators all read the spec through [`load_dir`] or [`load_str`], so the
//! overlay and the normalisation are applied in exactly one place.

mod check;
#[cfg(feature = "loader")]
mod describe;
pub mod drift;
pub mod formats;
#[cfg(feature = "loader")]
mod normalise;
mod operation;
#[cfg(feature = "loader")]
mod overlay;
mod rate;
pub mod schema;
pub mod sdk;
#[cfg(feature = "loader")]
mod text;

#[cfg(feature = "loader")]
use std::path::{Path, PathBuf};

pub use check::{MAX_UPLOAD_BYTES, ValueProblem, bounds_problem};
#[cfg(feature = "loader")]
pub use describe::{deref, describe};
#[cfg(feature = "loader")]
pub use normalise::{MULTIPART_EXTENSION, NormaliseReport, normalise};
pub use operation::{
    BodyDescription, BodyKind, FormField, Operation, Pagination, Parameter, ParameterLocation, ValueType,
};
#[cfg(feature = "loader")]
pub use overlay::apply_overlay;
pub use rate::{NotARate, Rate};
#[cfg(feature = "loader")]
pub use text::plain_text;

/// File names looked up inside a versioned spec folder such as `spec/torii/1.1.0/`.
#[cfg(feature = "loader")]
pub const DOCUMENT_CANDIDATES: [&str; 2] = ["openapi.yaml", "openapi.json"];
#[cfg(feature = "loader")]
pub const OVERLAY_FILE: &str = "overlay.yaml";

#[cfg(feature = "loader")]
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{what} is not valid YAML/JSON: {message}")]
    Parse { what: String, message: String },
    #[error("overlay action {index} ({description}): {message}")]
    Overlay { index: usize, description: String, message: String },
    #[error("the document is not a usable OpenAPI 3.0 description after normalisation: {0}")]
    Invalid(String),
    #[error("no OpenAPI document in {0} (looked for openapi.yaml and openapi.json)")]
    Missing(PathBuf),
}

#[cfg(feature = "loader")]
/// A spec after overlay and normalisation: what progenitor, the mock and the binding generators consume.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The normalised document as JSON (OpenAPI 3.0.3).
    pub document: serde_json::Value,
    /// The same document, typed.
    pub openapi: openapiv3::OpenAPI,
    /// One entry per operation, in document order.
    pub operations: Vec<Operation>,
    /// What normalisation changed, for the generator's log and tests.
    pub report: NormaliseReport,
}

#[cfg(feature = "loader")]
/// Parses YAML or JSON (JSON is YAML, so one parser serves both) into a JSON value.
pub fn parse_document(text: &str, what: &str) -> Result<serde_json::Value, SpecError> {
    serde_norway::from_str(text).map_err(|e| SpecError::Parse { what: what.to_string(), message: e.to_string() })
}

#[cfg(feature = "loader")]
/// The OpenAPI document of a spec folder: `dir/openapi.yaml` or `dir/openapi.json`.
pub fn document_path(dir: &Path) -> Result<PathBuf, SpecError> {
    DOCUMENT_CANDIDATES
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.exists())
        .ok_or_else(|| SpecError::Missing(dir.to_path_buf()))
}

#[cfg(feature = "loader")]
/// Loads `dir/openapi.{yaml,json}`, applies `dir/overlay.yaml` when present, and normalises.
pub fn load_dir(dir: &Path) -> Result<LoadedSpec, SpecError> {
    let document_path = document_path(dir)?;
    let document = read(&document_path)?;
    let overlay_path = dir.join(OVERLAY_FILE);
    let overlay = if overlay_path.exists() { Some(read(&overlay_path)?) } else { None };
    load_str(&document, overlay.as_deref())
}

#[cfg(feature = "loader")]
/// Loads a spec from text: the document and, optionally, an OpenAPI Overlay 1.0 document.
pub fn load_str(document: &str, overlay: Option<&str>) -> Result<LoadedSpec, SpecError> {
    let mut value = parse_document(document, "the OpenAPI document")?;
    if let Some(overlay) = overlay {
        let overlay = parse_document(overlay, "the overlay")?;
        apply_overlay(&mut value, &overlay)?;
    }
    let report = normalise(&mut value);
    if !report.unmatched_schema_names.is_empty() {
        return Err(SpecError::Invalid(format!(
            "components.x-toriihq-schema-names names schemas the document does not have: {}",
            report.unmatched_schema_names.join(", ")
        )));
    }
    let openapi: openapiv3::OpenAPI =
        serde_json::from_value(value.clone()).map_err(|e| SpecError::Invalid(e.to_string()))?;
    let operations = describe(&value)?;
    Ok(LoadedSpec { document: value, openapi, operations, report })
}

#[cfg(feature = "loader")]
fn read(path: &Path) -> Result<String, SpecError> {
    std::fs::read_to_string(path).map_err(|source| SpecError::Read { path: path.to_path_buf(), source })
}
