//! A job's progress: counts kept as items end, read at any moment by whoever shows them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::{BulkResult, Outcome};
use crate::Rate;

/// A job's state at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Items answered with success in this run.
    pub done: u64,
    pub failed: u64,
    /// Done by an earlier run.
    pub skipped: u64,
    /// Left for the caller to check (see [`Outcome::Unknown`]).
    pub unknown: u64,
    /// How many inputs there are, when the job was told.
    pub total: Option<u64>,
    pub elapsed: Duration,
    /// Items sent and answered a second, over the run so far.
    pub per_second: f64,
    /// The time left: the items left at the pace so far, never faster than the rate allows (at the start, the
    /// rate alone). `None` when the total is not known.
    pub eta: Option<Duration>,
}

impl Progress {
    /// Items ended, whichever way.
    pub fn finished(&self) -> u64 {
        self.done + self.failed + self.skipped + self.unknown
    }
}

pub(super) struct Tally {
    done: AtomicU64,
    failed: AtomicU64,
    skipped: AtomicU64,
    unknown: AtomicU64,
    total: Option<u64>,
    rate: Option<Rate>,
    started: Instant,
}

impl Tally {
    pub(super) fn new(total: Option<u64>, rate: Option<Rate>) -> Tally {
        Tally {
            done: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            skipped: AtomicU64::new(0),
            unknown: AtomicU64::new(0),
            total,
            rate,
            started: Instant::now(),
        }
    }

    /// Counts `result` and hands it on.
    pub(super) fn ended(&self, result: BulkResult) -> BulkResult {
        let count = match result.outcome {
            Outcome::Ok(_) => &self.done,
            Outcome::Failed(_) => &self.failed,
            Outcome::Skipped => &self.skipped,
            Outcome::Unknown => &self.unknown,
        };
        count.fetch_add(1, Ordering::Relaxed);
        result
    }

    pub(super) fn progress(&self) -> Progress {
        let read = |count: &AtomicU64| count.load(Ordering::Relaxed);
        let (done, failed, skipped, unknown) =
            (read(&self.done), read(&self.failed), read(&self.skipped), read(&self.unknown));
        let elapsed = self.started.elapsed();
        let per_second = (done + failed) as f64 / elapsed.as_secs_f64().max(1e-3);
        let pace = match (self.rate.map(|rate| rate.per_second()), per_second > 0.0) {
            (Some(limit), true) => per_second.min(limit),
            (Some(limit), false) => limit,
            (None, _) => per_second,
        };
        let left = self.total.map(|total| total.saturating_sub(done + failed + skipped + unknown));
        let eta = left.filter(|_| pace > 0.0).map(|left| Duration::from_secs_f64(left as f64 / pace));
        Progress { done, failed, skipped, unknown, total: self.total, elapsed, per_second, eta }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_left_comes_from_the_rate_before_any_answer() {
        let tally = Tally::new(Some(400), Some(Rate::per_minute(200)));
        let eta = tally.progress().eta.unwrap();
        assert!((eta.as_secs_f64() - 120.0).abs() < 1e-6, "{eta:?}");
        tally.ended(BulkResult { key: "a".into(), outcome: Outcome::Skipped });
        tally.ended(BulkResult { key: "b".into(), outcome: Outcome::Failed(crate::Error::Timeout) });
        let progress = tally.progress();
        assert_eq!((progress.skipped, progress.failed, progress.finished()), (1, 1, 2));
        assert!(progress.eta.unwrap() <= Duration::from_secs(120), "no faster than the rate allows");
        assert_eq!(Tally::new(None, None).progress().eta, None);
    }
}
