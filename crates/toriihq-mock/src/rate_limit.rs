//! The optional rate limit: a token bucket per route, answering 429 with `Retry-After` like Torii.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// `N/min`, `N/s` or `N/h` per operation, or `spec`: each operation at the limit its description states (Torii's
/// "Rate limit: N requests per minute"). A token bucket per route.
pub struct RateLimit {
    /// Per route: tokens a window holds and the window (`None`: not limited).
    limits: Vec<Option<(f64, Duration)>>,
    buckets: Vec<Mutex<(f64, Instant)>>,
}

impl RateLimit {
    /// `per_minute` gives each route's limit from the spec, for `spec`. Each window lasts `1/time_scale` of its
    /// length (60: a minute in a second), so a test can run a job at the spec's limits in little time.
    pub fn parse(text: &str, per_minute: &[Option<u32>], time_scale: f64) -> Result<RateLimit, String> {
        let limits: Vec<Option<(f64, Duration)>> = if text.trim() == "spec" {
            per_minute.iter().map(|limit| limit.map(|n| (f64::from(n), Duration::from_secs(60)))).collect()
        } else {
            let uniform = Self::uniform(text)?;
            per_minute.iter().map(|_| Some(uniform)).collect()
        };
        let limits = limits
            .into_iter()
            .map(|limit| limit.map(|(n, window)| (n, window.div_f64(time_scale))))
            .collect::<Vec<_>>();
        let now = Instant::now();
        let buckets = limits.iter().map(|limit| Mutex::new((limit.map_or(0.0, |(n, _)| n), now))).collect();
        Ok(RateLimit { limits, buckets })
    }

    fn uniform(text: &str) -> Result<(f64, Duration), String> {
        let rate = toriihq_spec::Rate::parse(text).map_err(|e| format!("rate limit {e}, nor spec"))?;
        Ok((f64::from(rate.count), rate.per))
    }

    /// Takes a token for the route, or says how long until one is free.
    pub fn take(&self, route: usize) -> Result<(), Duration> {
        let (Some(bucket), Some(Some((per_window, window)))) = (self.buckets.get(route), self.limits.get(route)) else {
            return Ok(());
        };
        let mut bucket = bucket.lock().expect("bucket lock");
        let now = Instant::now();
        let rate = per_window / window.as_secs_f64();
        bucket.0 = (bucket.0 + now.duration_since(bucket.1).as_secs_f64() * rate).min(*per_window);
        bucket.1 = now;
        if bucket.0 >= 1.0 {
            bucket.0 -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.0) / rate))
        }
    }
}
