//! What every request handler reads: the routes, the state, the faults, the log and the rate limit.

use std::collections::HashSet;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::store::Seed;
use crate::{api, faults, rate_limit, request_log, store};

/// Everything a request handler reads.
pub(crate) struct Shared {
    pub api: api::Api,
    pub state: RwLock<store::State>,
    pub seed: Seed,
    /// `Bearer <key>`, built once.
    pub expected_authorization: String,
    pub faults: faults::Faults,
    /// Random faults for soak tests (`--chaos N`), after the queued ones.
    pub chaos: Option<faults::Chaos>,
    pub log: request_log::RequestLog,
    pub rate_limit: Option<rate_limit::RateLimit>,
    /// Collection templates whose items have integer ids.
    pub integer_ids: HashSet<String>,
    /// `http://host:port` of the storage origin (presigned uploads, downloads).
    pub storage_url: String,
    pub presigned_ttl: Duration,
    pub sync_duration: Duration,
    tokens: AtomicU64,
    /// Writes answered with success, by method and path (`PUT /users/17`): a test proves each was applied once.
    writes: std::sync::Mutex<std::collections::BTreeMap<String, u64>>,
    /// Set by `MockServer::stop` before it returns: from then on no request is answered, whatever the serving
    /// tasks have yet to notice (a test that stops the mock and calls it at once must see it gone).
    stopped: std::sync::atomic::AtomicBool,
}

/// What [`Shared::new`] takes besides the API and its state.
pub struct Settings {
    pub expected_authorization: String,
    pub rate_limit: Option<rate_limit::RateLimit>,
    pub integer_ids: HashSet<String>,
    pub storage_url: String,
    pub presigned_ttl: Duration,
    pub sync_duration: Duration,
    pub chaos: Option<faults::Chaos>,
}

impl Shared {
    pub fn new(api: api::Api, state: store::State, seed: Seed, settings: Settings) -> Self {
        Shared {
            api,
            state: RwLock::new(state),
            seed,
            expected_authorization: settings.expected_authorization,
            faults: faults::Faults::default(),
            chaos: settings.chaos,
            log: request_log::RequestLog::default(),
            rate_limit: settings.rate_limit,
            integer_ids: settings.integer_ids,
            storage_url: settings.storage_url,
            presigned_ttl: settings.presigned_ttl,
            sync_duration: settings.sync_duration,
            tokens: AtomicU64::new(0),
            writes: Default::default(),
            stopped: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    pub fn next_token(&self) -> u64 {
        self.tokens.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Keeps an action's body as an item of its collection (read back with `/_mock/collection`).
    pub fn record(&self, route: &api::Route, collection_path: &str, body: serde_json::Value) {
        let mut value = match body {
            serde_json::Value::Object(map) => map,
            other => serde_json::Map::from_iter([("body".to_string(), other)]),
        };
        let mut state = self.state.write().expect("state lock");
        let collection = state.collection(collection_path, self.integer_ids.contains(&route.collection));
        value.entry("id").or_insert_with(|| collection.assign_id());
        collection.insert(store::Item::new(value));
    }

    /// Counts a request that changed something (any method but GET and HEAD) and was answered with success.
    pub fn count_write(&self, method: &str, path: &str, status: u16) {
        if matches!(method, "GET" | "HEAD") || !(200..300).contains(&status) {
            return;
        }
        *self.writes.lock().expect("writes lock").entry(format!("{method} {path}")).or_default() += 1;
    }

    pub fn writes(&self) -> std::collections::BTreeMap<String, u64> {
        self.writes.lock().expect("writes lock").clone()
    }

    pub fn reset(&self) {
        self.writes.lock().expect("writes lock").clear();
        *self.state.write().expect("state lock") = store::State::seeded(&self.api, &self.seed, &self.integer_ids);
        self.faults.clear();
        self.log.clear();
    }
}
