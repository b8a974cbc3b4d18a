//! `POST /files {path, type}` records a file put to a presigned URL; `GET /files/{id}/download` answers 302 to
//! the file on the storage origin.

use serde_json::{Map, Value, json};

use super::{StoredFile, id_answer};
use crate::api::Route;
use crate::http::{MockResponse, Outcome, bad};
use crate::shared::Shared;
use crate::store::{Item, id_text};

pub(crate) fn store_file(shared: &Shared, route: &Route, collection_path: &str, body: Value) -> Outcome {
    let path = body.get("path").and_then(Value::as_str).unwrap_or_default();
    let file_type = body.get("type").cloned().unwrap_or(Value::Null);
    let mut state = shared.state.write().expect("state lock");
    let object = state
        .presigned
        .values()
        .find(|p| p.file_path == path)
        .ok_or_else(|| bad(format!("no upload URL was issued for the path {path:?}")))?
        .object
        .clone()
        .ok_or_else(|| bad(format!("nothing was uploaded to {path:?} yet: PUT the file to its URL first")))?;
    let collection = state.collection(collection_path, shared.integer_ids.contains(&route.collection));
    let id = collection.assign_id();
    let mut record = Map::new();
    record.insert("id".into(), id.clone());
    record.insert("type".into(), file_type);
    record.insert("fileName".into(), json!(object.name));
    record.insert("size".into(), json!(object.len));
    collection.insert(Item::new(record));
    state.files.insert(id_text(&id), object);
    drop(state);
    Ok(id_answer(shared, route, &id))
}

/// Where file records live: the collection `POST /files` adds to.
pub(crate) const RECORDS: &str = "/files";

/// The file with this id: an upload, or a seeded record (no upload behind it), whose content is the record
/// itself as JSON.
pub(crate) fn file(shared: &Shared, id: &str) -> Option<StoredFile> {
    let state = shared.state.read().expect("state lock");
    if let Some(file) = state.files.get(id) {
        return Some(file.clone());
    }
    let record = state.collections.get(RECORDS)?.items.get(id)?;
    Some(StoredFile::whole(format!("file-{id}.json"), record.json.clone()))
}

pub(crate) fn download(shared: &Shared, path_params: &[(String, String)]) -> Outcome {
    let id = path_params.first().map(|(_, v)| v.as_str()).unwrap_or_default();
    let Some(file) = file(shared, id) else {
        return Err(MockResponse::error(404, format!("no file with id {id}")));
    };
    // The storage origin serves what it holds: a seeded record's content is put there on first download.
    shared.state.write().expect("state lock").files.entry(id.to_string()).or_insert(file);
    let mut response = MockResponse::empty(302);
    let signature = shared.next_token();
    response
        .headers
        .push(("location", format!("{}/_storage/files/{id}?X-Amz-Signature={signature}", shared.storage_url)));
    Ok(response)
}
