//! Files, as Torii and its storage handle them: multipart uploads up to 3 MiB; the presigned flow (`GET
//! /files/url` → a `PUT` to the storage origin → `POST /files`); the download's 302 to the storage origin. The
//! storage origin is a listener of its own, as S3 is another host: it takes no Torii key and refuses one.

mod multipart;
mod presign;
mod record;
pub(crate) mod storage;

use serde_json::{Value, json};

use crate::api::Route;
use crate::http::MockResponse;
use crate::schema::Generate;
use crate::shared::Shared;
use crate::store::id_text;
pub use crate::store::{Presigned, StoredFile};

pub(crate) use multipart::upload;
pub(crate) use presign::presign;
pub(crate) use record::{download, file, store_file};

pub const MAX_UPLOAD_BYTES: usize = toriihq_spec::MAX_UPLOAD_BYTES as usize;

/// The `{id}` answer of an upload or a file record, the id typed as the response schema types it.
fn id_answer(shared: &Shared, route: &Route, id: &Value) -> MockResponse {
    let schemas = shared.api.schemas();
    let schema = shared.api.schema_at(&route.response_schema);
    let mut value = schema.map(|s| schemas.generate(s, 0, "response")).unwrap_or(json!({}));
    if let Value::Object(map) = &mut value
        && (map.contains_key("id") || map.is_empty())
    {
        let id_is_text = schemas
            .properties(schema.unwrap_or(&Value::Null))
            .iter()
            .find(|(k, _)| k.as_str() == "id")
            .is_some_and(|(_, s)| schemas.deref(s).get("type").and_then(Value::as_str) == Some("string"));
        map.insert("id".into(), if id_is_text { json!(id_text(id)) } else { id.clone() });
    }
    MockResponse::json(route.op.success_status, &value)
}
