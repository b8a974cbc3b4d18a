//! The request a call would send, checked and shown but not sent: what the command line's `--dry-run` prints.
//! The arguments go through the same checks as a real call; the key is masked as in the debug log.

use serde::Serialize;
use serde_json::Value;

use super::{build_request, place};
use crate::operations::Callable;
use crate::runtime::upload::{FilePart, FormValue};
use crate::{Client, Result};

/// One request, as it would leave: method, full URL, headers (secrets masked), and its body.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DryRun {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// A JSON body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// A multipart form's fields: text as it is, a file as `@path` (or `<N bytes>`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub form: Vec<(String, String)>,
}

impl Client {
    /// The request `operation` with `params` would send, after every check a call makes, without sending it. A
    /// workflow makes several requests whose later ones depend on earlier answers, so it has none to show.
    pub fn dry_run(&self, operation: &str, params: &Value) -> Result<DryRun> {
        let why = "its later requests depend on the answers, so it cannot be shown unsent";
        let op = Callable::operation(operation, why)?;
        let placed = place(op, params, Vec::new())?;
        let transport = self.inner.for_operation(op);
        let form = placed.form.as_ref().map(|fields| fields.iter().map(shown_field).collect()).unwrap_or_default();
        let mut request = build_request(op, &placed, &transport)?;
        transport.add_headers(&mut request);
        Ok(DryRun {
            method: request.method().to_string(),
            url: request.url().to_string(),
            headers: crate::log::masked_pairs(request.headers()),
            body: placed.body,
            form,
        })
    }
}

fn shown_field((name, value): &(&'static str, FormValue)) -> (String, String) {
    let shown = match value {
        FormValue::Text(text) => text.clone(),
        FormValue::File(FilePart::Path(path)) => format!("@{}", path.display()),
        FormValue::File(FilePart::Bytes { bytes, .. }) => format!("<{} bytes>", bytes.len()),
    };
    (name.to_string(), shown)
}
