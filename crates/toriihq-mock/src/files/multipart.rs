//! `POST /files/upload`: a multipart upload up to 3 MiB, recorded under the parent collection (`/files`).

use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::{MAX_UPLOAD_BYTES, StoredFile, id_answer};
use crate::api::Route;
use crate::http::{MockRequest, MockResponse, Outcome, bad};
use crate::shared::Shared;
use crate::store::{Item, id_text};

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
    let mut file: Option<(String, String, Bytes)> = None;
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
                file = Some((name, file_name, data));
            }
            None => {
                fields.insert(name, json!(String::from_utf8_lossy(&data)));
            }
        }
    }
    let form = route.op.body.as_ref().map(|b| b.form_fields.clone()).unwrap_or_default();
    for field in &form {
        let present = if field.binary {
            file.as_ref().is_some_and(|(n, _, _)| *n == field.name)
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
    let (_, file_name, bytes) = file.ok_or_else(|| bad("no file part in the form"))?;
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
        state.files.insert(id_text(&id), StoredFile::whole(file_name, bytes));
        id
    };
    Ok(id_answer(shared, route, &id))
}
