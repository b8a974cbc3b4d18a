//! `PUT /services/sync/custom` and `/gluu` as Torii runs them: the file must exist (400 "Wrong file id"), a
//! custom-integration file must match the file schema (400 "Illegal file structure", with every problem and its
//! path), and one sync runs at a time (per app account: the facts do not say more): another started while it runs
//! answers 409.

use std::sync::OnceLock;
use std::time::Instant;

use serde_json::{Value, json};

use crate::api::Route;
use crate::files::StoredFile;
use crate::http::{MockResponse, Outcome};
use crate::output::answer_without_item;
use crate::shared::Shared;

/// The custom-integration file's JSON Schema, as every package ships it (copied here by `cargo xtask generate`).
pub const FILE_SCHEMA: &str = include_str!("../spec/custom-integration.schema.json");

pub(crate) fn sync(shared: &Shared, route: &Route, collection_path: &str, body: Value) -> Outcome {
    let id_file = body.get("idFile").map(crate::store::id_text).unwrap_or_default();
    let Some(file) = crate::files::file(shared, &id_file) else {
        return Err(MockResponse::error(400, format!("Wrong file id: no file {id_file}")));
    };
    if route.op.path.ends_with("/custom") {
        check_file(&file)?;
    }
    {
        let account = body.get("idAppAccount").map(crate::store::id_text).unwrap_or_default();
        let mut state = shared.state.write().expect("state lock");
        let now = Instant::now();
        let running = state.syncs_running.entry((route.op.path.clone(), account)).or_insert(now);
        if *running > now {
            return Err(MockResponse::error(409, "A sync is already in progress; only one sync can run at a time"));
        }
        *running = now + shared.sync_duration;
    }
    shared.record(route, collection_path, body);
    Ok(answer_without_item(shared, route))
}

fn check_file(file: &StoredFile) -> Result<(), MockResponse> {
    let Some(bytes) = &file.body else {
        return Err(illegal(vec![
            json!({"path": "", "message": "the mock keeps files up to 64 MiB to validate them"}),
        ]));
    };
    let document: Value = serde_json::from_slice(bytes)
        .map_err(|e| illegal(vec![json!({"path": "", "message": format!("not JSON: {e}")})]))?;
    let problems = problems(&document);
    if problems.is_empty() { Ok(()) } else { Err(illegal(problems)) }
}

/// Every way `document` breaks the file schema, each with the JSON pointer of the value at fault.
///
/// Checked with the spec crate's schema walk, not a JSON Schema library: `jsonschema` was 1.7 MB of each package's
/// 11.7 MB native module for this one schema. The tests hold every keyword of the schema to the ones the walk
/// reads, and the walk to `jsonschema`'s verdicts on generated files.
pub fn problems(document: &Value) -> Vec<Value> {
    let schema = file_schema();
    toriihq_spec::schema::Schemas::new(schema)
        .problems(document, schema)
        .into_iter()
        .map(|problem| json!({"path": problem.pointer, "message": problem.message}))
        .collect()
}

fn file_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(FILE_SCHEMA).expect("the file schema is JSON"))
}

fn illegal(problems: Vec<Value>) -> MockResponse {
    MockResponse::json(
        400,
        &json!({"statusCode": 400, "error": "Bad Request", "message": "Illegal file structure", "problems": problems}),
    )
}
