//! The admin API under `/_mock/` (not part of the spec, never needs the key):
//!
//! | call | what it does |
//! |---|---|
//! | `POST /_mock/faults` | queue one fault or a list: `{"method":"GET","path":"/apps","times":2,"kind":"status","status":503}` |
//! | `DELETE /_mock/faults` | drop queued faults |
//! | `GET /_mock/writes` | writes answered with success, counted by method and path: `{"PUT /users/17": 1}` |
//! | `GET /_mock/requests` | the request log (method, path, query, headers with the key masked, body) |
//! | `DELETE /_mock/requests` | clear the log |
//! | `POST /_mock/reset` | state back to the seed; faults and log cleared |
//! | `GET /_mock/collection?path=/contracts` | the stored items of a collection |
//! | `GET /_mock/files/{id}` | a stored file's name, size, SHA-256 and whether its bytes were kept |
//! | `GET /_mock/health` | what is served |
//! | `GET /_mock/openapi.json` | the document served: the spec after the overlay and normalisation |

use bytes::Bytes;
use serde_json::{Value, json};

use crate::faults::Fault;
use crate::http::MockResponse;
use crate::shared::Shared;

pub(crate) async fn handle(
    shared: &Shared,
    method: &str,
    path: &str,
    query: &std::collections::BTreeMap<String, String>,
    body: Bytes,
) -> MockResponse {
    let segments: Vec<&str> = path.split('/').collect();
    match (method, segments.as_slice()) {
        ("POST", ["faults"]) => {
            let faults: Result<Vec<Fault>, _> = match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Array(items)) => items.into_iter().map(serde_json::from_value).collect(),
                Ok(single) => serde_json::from_value(single).map(|f| vec![f]),
                Err(e) => return MockResponse::error(400, format!("the fault is not JSON: {e}")),
            };
            match faults {
                Ok(faults) => {
                    let queued = faults.len();
                    faults.into_iter().for_each(|f| shared.faults.push(f));
                    MockResponse::json(201, &json!({ "queued": queued }))
                }
                Err(e) => MockResponse::error(400, format!("not a fault: {e}")),
            }
        }
        ("DELETE", ["faults"]) => {
            shared.faults.clear();
            MockResponse::empty(204)
        }
        ("GET", ["writes"]) => MockResponse::json(200, &json!(shared.writes())),
        ("GET", ["requests"]) => MockResponse::json(200, &serde_json::to_value(shared.log.snapshot()).expect("JSON")),
        ("DELETE", ["requests"]) => {
            shared.log.clear();
            MockResponse::empty(204)
        }
        ("POST", ["reset"]) => {
            shared.reset();
            MockResponse::empty(204)
        }
        ("GET", ["collection"]) => {
            let Some(wanted) = query.get("path") else {
                return MockResponse::error(400, "`path` is required");
            };
            let state = shared.state.read().expect("state lock");
            let items: Vec<&serde_json::Map<String, Value>> =
                state.collections.get(wanted).map(|c| c.items.values().map(|i| &i.value).collect()).unwrap_or_default();
            MockResponse::json(200, &json!(items))
        }
        ("GET", ["files", id]) => match shared.state.read().expect("state lock").files.get(*id) {
            Some(file) => MockResponse::json(200, &file.summary()),
            None => MockResponse::error(404, format!("no file {id}")),
        },
        ("GET", ["health"]) => MockResponse::json(
            200,
            &json!({
                "status": "ok",
                "title": shared.api.spec.document["info"]["title"],
                "version": shared.api.spec.document["info"]["version"],
                "operations": shared.api.routes.len(),
            }),
        ),
        ("GET", ["openapi.json"]) => MockResponse::json(200, &shared.api.spec.document),
        _ => MockResponse::error(404, format!("no admin call {method} /_mock/{path}")),
    }
}
