//! Pacing to the rate limits the spec states for each operation ("Rate limit: N requests per minute"), or to a
//! rate the caller names: a request waits until fewer than N of its operation went out in the last window, so a
//! bulk job (offboard 5,000 users) runs at the limit instead of into 429s. Torii counts per key, so the count is
//! shared by every client of the process with the same key and base URL — threads, tasks, Python's per-thread
//! clients alike. Up to N may go at once (as the limit allows), until the server says otherwise: a 429 pauses the
//! operation for every caller until its `Retry-After` has passed, lowers the pace by a quarter, and from then on
//! spaces its requests evenly (a burst is what the server refused); each request answered without a 429 brings
//! the pace back a step. Measured against a server allowing half the pace asked for: bursts after recovering
//! brought a 429 storm each time, hence the even spacing for good.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::time::Instant;

pub use toriihq_spec::Rate;

/// The lowest share of its rate a throttled operation is slowed to.
const SLOWEST: f64 = 0.25;
/// How much each request answered without a 429 brings a slowed operation back.
const RECOVERY_STEP: f64 = 0.01;
/// The pause after a 429 that names no `Retry-After`.
const DEFAULT_PAUSE: Duration = Duration::from_secs(1);

/// What the pacer knows of one operation.
struct Lane {
    sent: VecDeque<Instant>,
    paused_until: Option<Instant>,
    /// The share of the rate it goes at: 1 until a 429, then lower, and back up as answers come.
    share: f64,
    /// Whether requests are spaced evenly: from the first 429 on.
    even: bool,
}

impl Default for Lane {
    fn default() -> Self {
        Lane { sent: VecDeque::new(), paused_until: None, share: 1.0, even: false }
    }
}

#[derive(Default)]
pub(crate) struct Pacer {
    lanes: Mutex<HashMap<&'static str, Lane>>,
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

    fn with_lane<T>(&self, operation: &'static str, f: impl FnOnce(&mut Lane) -> T) -> T {
        let mut lanes = self.lanes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(lanes.entry(operation).or_default())
    }

    /// The wait before a request of `operation` keeps it within `rate` (and past a pause), none when it may go
    /// now — in which case it is counted as sent.
    fn reserve(&self, operation: &'static str, rate: Rate) -> Option<Duration> {
        self.with_lane(operation, |lane| {
            let now = Instant::now();
            if let Some(until) = lane.paused_until.filter(|until| *until > now) {
                return Some(until - now);
            }
            while lane.sent.front().is_some_and(|at| now.duration_since(*at) >= rate.per) {
                lane.sent.pop_front();
            }
            let allowed = ((f64::from(rate.count) * lane.share).floor() as usize).max(1);
            if lane.sent.len() >= allowed {
                // The request that must leave the window before one more fits in it.
                let leaving = lane.sent[lane.sent.len() - allowed];
                return Some((leaving + rate.per).saturating_duration_since(now).max(Duration::from_millis(1)));
            }
            if lane.even
                && let Some(last) = lane.sent.back()
            {
                let next = *last + rate.per.div_f64(f64::from(rate.count) * lane.share);
                if next > now {
                    return Some(next - now);
                }
            }
            lane.sent.push_back(now);
            None
        })
    }

    /// Waits until a request of `operation` may go, and counts it; `waited` hears each wait.
    pub(crate) async fn wait(&self, operation: &'static str, rate: Rate, waited: impl Fn(Duration)) {
        while let Some(wait) = self.reserve(operation, rate) {
            waited(wait);
            tokio::time::sleep(wait).await;
        }
    }

    /// A 429 for `operation`: every caller waits out `retry_after`, and the pace drops by a quarter.
    pub(crate) fn throttled(&self, operation: &'static str, retry_after: Option<Duration>) {
        self.with_lane(operation, |lane| {
            let until = Instant::now() + retry_after.unwrap_or(DEFAULT_PAUSE);
            lane.paused_until = Some(lane.paused_until.map_or(until, |paused| paused.max(until)));
            lane.share = (lane.share * 0.75).max(SLOWEST);
            lane.even = true;
        });
    }

    /// An answer that was not a 429: a slowed operation comes back a step.
    pub(crate) fn answered(&self, operation: &'static str) {
        self.with_lane(operation, |lane| lane.share = (lane.share + RECOVERY_STEP).min(1.0));
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
                pacer.wait("updateUser", Rate::per_minute(3), |_| {}).await;
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
        pacer.wait("getUsers", Rate::per_minute(3), |_| {}).await;
        assert_eq!(Instant::now(), other, "each operation has a count of its own");
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_pauses_every_caller_and_slows_the_pace_until_answers_bring_it_back() {
        let pacer = Pacer::default();
        let rate = Rate { count: 4, per: Duration::from_secs(1) };
        pacer.wait("updateUser", rate, |_| {}).await;
        let throttled_at = Instant::now();
        pacer.throttled("updateUser", Some(Duration::from_secs(5)));
        pacer.wait("updateUser", rate, |_| {}).await;
        assert_eq!(Instant::now().duration_since(throttled_at), Duration::from_secs(5), "paused for all");
        // Slowed to three a second (4 × 0.75), and spaced evenly: a third of a second apart.
        let resumed = Instant::now();
        for _ in 0..2 {
            pacer.wait("updateUser", rate, |_| {}).await;
        }
        let spacing = Instant::now().duration_since(resumed);
        assert!(spacing >= Duration::from_millis(666) && spacing < Duration::from_millis(700), "{spacing:?}");
        for _ in 0..40 {
            pacer.answered("updateUser");
        }
        assert_eq!(pacer.with_lane("updateUser", |lane| lane.share), 1.0, "recovered in full");
    }

    #[test]
    fn clients_with_the_same_key_and_url_share_a_pacer() {
        let a = Pacer::shared("https://api.example/v1.0", "k1");
        assert!(Arc::ptr_eq(&a, &Pacer::shared("https://api.example/v1.0", "k1")));
        assert!(!Arc::ptr_eq(&a, &Pacer::shared("https://api.example/v1.0", "k2")));
        assert!(!Arc::ptr_eq(&a, &Pacer::shared("http://127.0.0.1:1", "k1")));
    }
}
