//! The mock's state: collections of items keyed by their concrete collection path (`/contracts`,
//! `/users/7/apps`), uploaded files, and the seed that rebuilds it all on reset.

use std::collections::HashMap;
use std::sync::Arc;

use std::time::Instant;

use bytes::Bytes;
use indexmap::IndexMap;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::api::Api;
use crate::schema::Generate;

/// One stored resource, with its JSON kept serialised so list pages are assembled without re-serialising.
#[derive(Debug)]
pub struct Item {
    pub value: Map<String, Value>,
    pub json: Bytes,
}

impl Item {
    pub fn new(value: Map<String, Value>) -> Arc<Item> {
        let json = Bytes::from(serde_json::to_vec(&value).expect("a JSON map serialises"));
        Arc::new(Item { value, json })
    }

    pub fn id(&self) -> Option<String> {
        self.value.get("id").map(id_text)
    }
}

pub fn id_text(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[derive(Debug, Default)]
pub struct Collection {
    pub items: IndexMap<String, Arc<Item>>,
    pub next_id: u64,
    /// Whether the item schema types `id` as an integer (else ids are strings).
    pub integer_ids: bool,
}

impl Collection {
    pub fn assign_id(&mut self) -> Value {
        self.next_id += 1;
        if self.integer_ids { Value::from(self.next_id) } else { Value::String(self.next_id.to_string()) }
    }

    pub fn insert(&mut self, item: Arc<Item>) {
        let id = item.id().unwrap_or_else(|| (self.items.len() + 1).to_string());
        if let Ok(n) = id.parse::<u64>() {
            self.next_id = self.next_id.max(n);
        }
        self.items.insert(id, item);
    }
}

/// How many items to seed per collection: by collection path or by its last segment (`users=100000`).
#[derive(Debug, Clone, Default)]
pub struct Seed {
    pub default_count: u64,
    pub counts: Vec<(String, u64)>,
}

impl Seed {
    /// Parses `apps=500,users=100000`, `none`, or a bare number (every collection).
    pub fn parse(text: &str) -> Result<Seed, String> {
        let mut seed = Seed { default_count: 10, counts: Vec::new() };
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if part == "none" {
                seed.default_count = 0;
                continue;
            }
            match part.split_once('=') {
                Some((name, count)) => {
                    let count = count.trim().parse().map_err(|_| format!("seed count {count:?} is not a number"))?;
                    seed.counts.push((name.trim().to_string(), count));
                }
                None => seed.default_count = part.parse().map_err(|_| format!("seed {part:?} is not NAME=COUNT"))?,
            }
        }
        Ok(seed)
    }

    fn count_for(&self, collection: &str, all: &[String]) -> u64 {
        for (name, count) in &self.counts {
            if name == collection {
                return *count;
            }
            let last = |c: &str| c.rsplit('/').next().unwrap_or(c).to_ascii_lowercase();
            if !name.starts_with('/') && last(collection) == name.to_ascii_lowercase() {
                // Several collections may end in the same word (`/users`, `/scim/v2/Users`): the shortest wins.
                let shortest = all.iter().filter(|c| last(c) == name.to_ascii_lowercase()).min_by_key(|c| c.len());
                if shortest.map(String::as_str) == Some(collection) {
                    return *count;
                }
            }
        }
        self.default_count
    }
}

fn seeded_collection(api: &Api, template: &str, integer_ids: bool, count: u64) -> Collection {
    let schemas = api.schemas();
    let mut store = Collection { integer_ids, ..Default::default() };
    let Some(schema) = api.item_schema(template) else { return store };
    store.items.reserve(count as usize);
    // Items whose schema has no `id` (audit entries) are kept by position and answered without one.
    let has_id = schemas.properties(schema).iter().any(|(key, _)| key.as_str() == "id");
    for index in 0..count {
        let mut value = match schemas.generate(schema, index, "item") {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        // A seeded directory is active: Torii's SCIM list shows active users only, and a seed of half-deactivated
        // users would hide half of itself.
        if let Some(active) = value.get_mut("active").filter(|v| v.is_boolean()) {
            *active = Value::Bool(true);
        }
        let id = store.assign_id();
        if has_id {
            value.insert("id".into(), id);
        }
        store.insert(Item::new(value));
    }
    store
}

/// Bodies up to this size are kept (to download, or to validate a sync's file); larger ones only by length and
/// SHA-256, so a test can upload a gigabyte without the mock holding it.
pub const KEEP_BYTES_UP_TO: u64 = 64 * 1024 * 1024;

/// A stored file: its bytes when small enough to keep, always its length and hash.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub name: String,
    pub body: Option<Bytes>,
    pub len: u64,
    pub sha256: String,
}

impl StoredFile {
    pub fn whole(name: impl Into<String>, bytes: Bytes) -> Self {
        StoredFile {
            name: name.into(),
            len: bytes.len() as u64,
            sha256: hex(&Sha256::digest(&bytes)),
            body: Some(bytes),
        }
    }

    pub fn summary(&self) -> Value {
        json!({"name": self.name, "size": self.len, "sha256": self.sha256, "kept": self.body.is_some()})
    }
}

/// A presigned upload URL: what its signature covers (the content type), when it expires, what was put.
#[derive(Debug, Clone)]
pub struct Presigned {
    pub file_path: String,
    pub content_type: String,
    pub expires: Instant,
    pub object: Option<StoredFile>,
}

pub(crate) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Default)]
pub struct State {
    pub collections: HashMap<String, Collection>,
    /// Files by id, whichever way they were uploaded.
    pub files: HashMap<String, StoredFile>,
    /// Presigned upload URLs by token.
    pub presigned: HashMap<String, Presigned>,
    /// Until when the sync running for a sync path and app account runs.
    pub syncs_running: HashMap<(String, String), std::time::Instant>,
}

impl State {
    /// Fresh state with deterministic items in every collection whose path has no parameter.
    pub fn seeded(api: &Api, seed: &Seed, integer_ids: &std::collections::HashSet<String>) -> State {
        let mut state = State::default();
        let all = api.collections();
        let readable = |collection: &String| {
            api.routes.iter().any(|r| {
                &r.collection == collection && matches!(r.kind, crate::api::Kind::List | crate::api::Kind::Read)
            })
        };
        for collection in all.iter().filter(|c| readable(c)) {
            let integer_ids = integer_ids.contains(collection);
            if !collection.contains('{') {
                let count = seed.count_for(collection, &all);
                state.collections.insert(collection.clone(), seeded_collection(api, collection, integer_ids, count));
            }
        }
        state
    }

    /// A nested collection (`/users/7/apps`) is seeded the first time it is touched, so every parent has
    /// children to read.
    pub fn touch_nested(&mut self, api: &Api, template: &str, path: &str, integer_ids: bool, seed: &Seed) {
        if template.contains('{') && !self.collections.contains_key(path) {
            let collection = seeded_collection(api, template, integer_ids, seed.default_count);
            self.collections.insert(path.to_string(), collection);
        }
    }

    pub fn collection(&mut self, path: &str, integer_ids: bool) -> &mut Collection {
        self.collections.entry(path.to_string()).or_insert_with(|| Collection { integer_ids, ..Default::default() })
    }
}
