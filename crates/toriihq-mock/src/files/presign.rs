//! `GET /files/url`: a presigned upload URL on the storage origin, valid for one content type and a few minutes
//! (facts: five), and the `filePath` that `POST /files` takes afterwards.

use std::collections::BTreeMap;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::Presigned;
use crate::api::Route;
use crate::http::MockResponse;
use crate::schema::Generate;
use crate::shared::Shared;

pub(crate) fn presign(shared: &Shared, route: &Route, query: &BTreeMap<String, String>) -> MockResponse {
    let token = format!("upload-{}", shared.next_token());
    let name = query.get("name").cloned().unwrap_or_else(|| "file".to_string());
    let content_type = query.get("type").cloned().unwrap_or_default();
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or_default();
    // Torii's paths are `<timestamp>/<file name>`; the token keeps two uploads in one millisecond apart.
    let file_path = format!("{millis}{}/{name}", shared.next_token());
    let url = format!(
        "{}/_storage/uploads/{token}?X-Amz-Expires={}&X-Amz-Signature={token}",
        shared.storage_url,
        shared.presigned_ttl.as_secs()
    );
    shared.state.write().expect("state lock").presigned.insert(
        token,
        Presigned {
            file_path: file_path.clone(),
            content_type,
            expires: Instant::now() + shared.presigned_ttl,
            object: None,
        },
    );
    let schemas = shared.api.schemas();
    let mut value =
        shared.api.schema_at(&route.response_schema).map(|s| schemas.generate(s, 0, "response")).unwrap_or(json!({}));
    override_strings(&mut value, &|key| match key {
        "url" => Some(url.clone()),
        "fileId" | "filePath" | "id" => Some(file_path.clone()),
        _ => None,
    });
    MockResponse::json(route.op.success_status, &value)
}

fn override_strings(value: &mut Value, pick: &dyn Fn(&str) -> Option<String>) {
    if let Value::Object(map) = value {
        for (key, child) in map.iter_mut() {
            match pick(key) {
                Some(replacement) => *child = Value::String(replacement),
                None => override_strings(child, pick),
            }
        }
    }
}
