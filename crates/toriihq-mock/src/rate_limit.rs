//! The optional rate limit: a token bucket per route, answering 429 with `Retry-After` like Torii.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// `N/min` or `N/s` per operation: a token bucket per route.
pub struct RateLimit {
    per_window: f64,
    window: Duration,
    buckets: Vec<Mutex<(f64, Instant)>>,
}

impl RateLimit {
    pub fn parse(text: &str, routes: usize) -> Result<RateLimit, String> {
        let (count, unit) = text.split_once('/').ok_or_else(|| format!("rate limit {text:?} is not N/min or N/s"))?;
        let per_window: f64 =
            count.trim().parse().map_err(|_| format!("rate limit count {count:?} is not a number"))?;
        let window = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "min" | "m" | "minute" => Duration::from_secs(60),
            other => return Err(format!("rate limit unit {other:?} is not s or min")),
        };
        if per_window < 1.0 {
            return Err("a rate limit allows at least one request".into());
        }
        let now = Instant::now();
        Ok(RateLimit { per_window, window, buckets: (0..routes).map(|_| Mutex::new((per_window, now))).collect() })
    }

    /// Takes a token for the route, or says how many whole seconds until one is free.
    pub fn take(&self, route: usize) -> Result<(), u64> {
        let Some(bucket) = self.buckets.get(route) else { return Ok(()) };
        let mut bucket = bucket.lock().expect("bucket lock");
        let now = Instant::now();
        let rate = self.per_window / self.window.as_secs_f64();
        bucket.0 = (bucket.0 + now.duration_since(bucket.1).as_secs_f64() * rate).min(self.per_window);
        bucket.1 = now;
        if bucket.0 >= 1.0 {
            bucket.0 -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.0) / rate).ceil().max(1.0) as u64)
        }
    }
}
