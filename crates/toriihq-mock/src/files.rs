//! Files: multipart uploads (size-limited, stored under the parent collection) and the presigned-style upload
//! URL that points back at the mock.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::api::Route;
use crate::http::{MockRequest, MockResponse, Outcome, bad};
use crate::shared::Shared;
use crate::store::{Item, id_text};

pub const MAX_UPLOAD_BYTES: usize = toriihq_spec::MAX_UPLOAD_BYTES as usize;

/// `GET /files/url`: a URL on the mock itself, valid for one PUT without the Torii key.
pub(crate) fn presign(shared: &Shared, route: &Route, host: &str, query: &BTreeMap<String, String>) -> MockResponse {
    let token = format!("upload-{}", shared.next_token());
    let name = query.get("name").cloned().unwrap_or_else(|| "file".to_string());
    let url = format!("http://{host}/_mock/uploads/{token}");
    let schemas = shared.api.schemas();
    let mut value =
        shared.api.schema_at(&route.response_schema).map(|s| schemas.generate(s, 0, "response")).unwrap_or(json!({}));
    override_strings(&mut value, &|key| match key {
        "url" => Some(url.clone()),
        "fileId" | "filePath" | "id" => Some(format!("{token}/{name}")),
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

pub(crate) async fn upload(shared: &Shared, route: &Route, collection_path: &str, request: &MockRequest) -> Outcome {
    let content_type =
        request.headers.get(hyper::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).map_err(|_| bad("the body must be multipart/form-data"))?;
    if request.body.len() > MAX_UPLOAD_BYTES + 64 * 1024 {
        return Err(MockResponse::error(413, format!("the upload is larger than {MAX_UPLOAD_BYTES} bytes")));
    }
    let body = request.body.clone();
    let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields: Map<String, Value> = Map::new();
    let mut file: Option<(String, Bytes)> = None;
    while let Some(field) =
        multipart.next_field().await.map_err(|e| bad(format!("the multipart body is malformed: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let data = field.bytes().await.map_err(|e| bad(format!("the multipart body is malformed: {e}")))?;
        match file_name {
            Some(file_name) => {
                if data.len() > MAX_UPLOAD_BYTES {
                    return Err(MockResponse::error(
                        413,
                        format!("`{name}` is {} bytes; at most {MAX_UPLOAD_BYTES} are accepted", data.len()),
                    ));
                }
                fields.insert("fileName".into(), json!(file_name));
                fields.insert("size".into(), json!(data.len()));
                file = Some((name, data));
            }
            None => {
                fields.insert(name, json!(String::from_utf8_lossy(&data)));
            }
        }
    }
    let form = route.op.body.as_ref().map(|b| b.form_fields.clone()).unwrap_or_default();
    for field in &form {
        let present = if field.binary {
            file.as_ref().is_some_and(|(n, _)| *n == field.name)
        } else {
            fields.contains_key(&field.name)
        };
        if field.required && !present {
            return Err(bad(format!("`{}` is required", field.name)));
        }
        if let (false, Some(value)) = (field.enum_values.is_empty(), fields.get(&field.name))
            && !field.enum_values.contains(value)
        {
            return Err(bad(format!("`{}` must be one of the allowed values, not {value}", field.name)));
        }
    }
    let (_, bytes) = file.ok_or_else(|| bad("no file part in the form"))?;
    let files_path = collection_path
        .rsplit_once('/')
        .map(|(parent, _)| parent)
        .filter(|p| !p.is_empty())
        .unwrap_or(collection_path)
        .to_string();
    let id = {
        let mut state = shared.state.write().expect("state lock");
        let collection = state.collection(&files_path, shared.integer_ids.contains(&files_path));
        let id = collection.assign_id();
        fields.insert("id".into(), id.clone());
        collection.insert(Item::new(fields.clone()));
        state.files.insert(id_text(&id), bytes);
        id
    };
    let schemas = shared.api.schemas();
    let mut value =
        shared.api.schema_at(&route.response_schema).map(|s| schemas.generate(s, 0, "response")).unwrap_or(json!({}));
    if let Value::Object(map) = &mut value
        && (map.contains_key("id") || map.is_empty())
    {
        let typed_id = match schemas
            .properties(shared.api.schema_at(&route.response_schema).unwrap_or(&Value::Null))
            .iter()
            .find(|(k, _)| k.as_str() == "id")
        {
            Some((_, schema)) if schemas.deref(schema).get("type").and_then(Value::as_str) == Some("string") => {
                json!(id_text(&id))
            }
            _ => id.clone(),
        };
        map.insert("id".into(), typed_id);
    }
    Ok(MockResponse::json(route.op.success_status, &value))
}
