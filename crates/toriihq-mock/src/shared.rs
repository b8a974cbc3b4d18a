//! What every request handler reads: the routes, the state, the faults, the log and the rate limit.

use std::collections::HashSet;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

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
    pub log: request_log::RequestLog,
    pub rate_limit: Option<rate_limit::RateLimit>,
    /// Collection templates whose items have integer ids.
    pub integer_ids: HashSet<String>,
    tokens: AtomicU64,
}

impl Shared {
    pub fn new(
        api: api::Api,
        state: store::State,
        seed: Seed,
        expected_authorization: String,
        rate_limit: Option<rate_limit::RateLimit>,
        integer_ids: HashSet<String>,
    ) -> Self {
        Shared {
            api,
            state: RwLock::new(state),
            seed,
            expected_authorization,
            faults: faults::Faults::default(),
            log: request_log::RequestLog::default(),
            rate_limit,
            integer_ids,
            tokens: AtomicU64::new(0),
        }
    }

    pub fn next_token(&self) -> u64 {
        self.tokens.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub fn reset(&self) {
        *self.state.write().expect("state lock") = store::State::seeded(&self.api, &self.seed, &self.integer_ids);
        self.faults.clear();
        self.log.clear();
    }
}
