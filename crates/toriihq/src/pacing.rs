//! Opt-in pacing to the rate limits the spec states for each operation ("Rate limit: N requests per minute"):
//! a request waits until fewer than N of its operation went out in the last minute, so a bulk job (offboard 5,000
//! users) runs at the limit instead of into 429s. Torii counts per key, so the count is shared by every client of
//! the process with the same key and base URL — threads, tasks, Python's per-thread clients alike.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::time::Instant;

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Default)]
pub(crate) struct Pacer {
    sent: Mutex<HashMap<&'static str, VecDeque<Instant>>>,
}

impl Pacer {
    /// The pacer of every client with this key and base URL (the key only hashed, never kept).
    pub(crate) fn shared(base_url: &str, key: &str) -> Arc<Pacer> {
        type ByKeyAndUrl = HashMap<(String, u64), Arc<Pacer>>;
        static PACERS: OnceLock<Mutex<ByKeyAndUrl>> = OnceLock::new();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        let mut pacers = PACERS.get_or_init(Mutex::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        pacers.entry((base_url.to_string(), hasher.finish())).or_default().clone()
    }

    /// The wait before a request of `operation` keeps it within `limit` a minute, none when it may go now —
    /// in which case it is counted as sent.
    fn reserve(&self, operation: &'static str, limit: u32) -> Option<Duration> {
        let mut sent = self.sent.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let window = sent.entry(operation).or_default();
        let now = Instant::now();
        while window.front().is_some_and(|at| now.duration_since(*at) >= WINDOW) {
            window.pop_front();
        }
        match window.front() {
            Some(oldest) if window.len() >= limit.max(1) as usize => Some(WINDOW - now.duration_since(*oldest)),
            _ => {
                window.push_back(now);
                None
            }
        }
    }

    /// Waits until a request of `operation` may go, and counts it; `waited` hears each wait.
    pub(crate) async fn wait(&self, operation: &'static str, limit: u32, waited: impl Fn(Duration)) {
        while let Some(wait) = self.reserve(operation, limit) {
            waited(wait);
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn no_more_than_the_limit_go_out_in_any_minute() {
        let pacer = Arc::new(Pacer::default());
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..7 {
            let pacer = pacer.clone();
            tasks.push(tokio::spawn(async move {
                pacer.wait("updateUser", 3, |_| {}).await;
                Instant::now().duration_since(started).as_secs()
            }));
        }
        let mut at = Vec::new();
        for task in tasks {
            at.push(task.await.unwrap());
        }
        at.sort_unstable();
        assert_eq!(at, [0, 0, 0, 60, 60, 60, 120]);
        let other = Instant::now();
        pacer.wait("getUsers", 3, |_| {}).await;
        assert_eq!(Instant::now(), other, "each operation has a count of its own");
    }

    #[test]
    fn clients_with_the_same_key_and_url_share_a_pacer() {
        let a = Pacer::shared("https://api.example/v1.0", "k1");
        assert!(Arc::ptr_eq(&a, &Pacer::shared("https://api.example/v1.0", "k1")));
        assert!(!Arc::ptr_eq(&a, &Pacer::shared("https://api.example/v1.0", "k2")));
        assert!(!Arc::ptr_eq(&a, &Pacer::shared("http://127.0.0.1:1", "k1")));
    }
}
