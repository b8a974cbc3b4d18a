//! Faults queued by tests through the admin API: what the next matching requests get instead of an answer.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

/// What a queued fault does to a matching request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with this status and the error body; `retry_after` (seconds) adds `Retry-After`.
    Status {
        status: u16,
        #[serde(default)]
        retry_after: Option<u64>,
    },
    /// Wait, then answer normally.
    Delay { delay_ms: u64 },
    /// Close the connection without answering.
    Reset,
    /// Announce the full body but send half of it, then close.
    Truncated,
    /// A 200 whose body is not JSON.
    InvalidJson,
    /// The normal answer with every string turned into a number and every number into a string.
    WrongTypes,
    /// The normal answer with `key` added to its top-level object: what a newer API than the spec sends (strict
    /// mode reports it; a client without it decodes the answer as usual).
    ExtraKey { key: String },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fault {
    /// Only requests with this method (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// Only requests to this path: exact (`/contracts/7`) or a spec template (`/contracts/{idContract}`).
    #[serde(default)]
    pub path: Option<String>,
    /// How many matching requests it applies to.
    #[serde(default = "one")]
    pub times: u32,
    /// How many matching requests pass untouched first (the third page of a list, not the first).
    #[serde(default)]
    pub after: u32,
    #[serde(flatten)]
    pub kind: FaultKind,
}

fn one() -> u32 {
    1
}

#[derive(Default)]
pub struct Faults {
    queue: Mutex<Vec<Fault>>,
    pending: AtomicUsize,
}

impl Faults {
    pub fn push(&self, fault: Fault) {
        let mut queue = self.queue.lock().expect("faults lock");
        queue.push(fault);
        self.pending.store(queue.len(), Ordering::Release);
    }

    pub fn clear(&self) {
        self.queue.lock().expect("faults lock").clear();
        self.pending.store(0, Ordering::Release);
    }

    /// Takes one use of the first fault matching the request. `template` is the spec path it routed to.
    pub fn take(&self, method: &str, path: &str, template: impl FnOnce() -> Option<String>) -> Option<FaultKind> {
        if self.pending.load(Ordering::Acquire) == 0 {
            return None;
        }
        let template = template();
        let template = template.as_deref();
        let mut queue = self.queue.lock().expect("faults lock");
        let index = queue.iter().position(|f| {
            f.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
                && f.path.as_deref().is_none_or(|p| p == path || Some(p) == template)
        })?;
        let fault = &mut queue[index];
        if fault.after > 0 {
            fault.after -= 1;
            return None;
        }
        let kind = fault.kind.clone();
        fault.times = fault.times.saturating_sub(1);
        if fault.times == 0 {
            queue.remove(index);
        }
        self.pending.store(queue.len(), Ordering::Release);
        Some(kind)
    }
}

/// Faults at random, for soak tests: each API request gets one with probability `percent`/100 — a 503, a 429
/// asking for a second's wait, a reset connection, a 200 ms delay or a truncated body, in equal shares. Seeded, so
/// a run repeats.
pub struct Chaos {
    percent: u64,
    state: AtomicU64,
}

impl Chaos {
    pub fn new(percent: u32, seed: u64) -> Self {
        Chaos { percent: u64::from(percent.min(100)), state: AtomicU64::new(seed | 1) }
    }

    /// xorshift64*: enough randomness for choosing faults, and lock-free.
    fn next(&self) -> u64 {
        let step = |mut x: u64| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x
        };
        let previous = self.state.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |x| Some(step(x))).unwrap_or(1);
        step(previous).wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn draw(&self) -> Option<FaultKind> {
        let roll = self.next();
        if roll % 100 >= self.percent {
            return None;
        }
        Some(match (roll / 100) % 5 {
            0 => FaultKind::Status { status: 503, retry_after: None },
            1 => FaultKind::Status { status: 429, retry_after: Some(1) },
            2 => FaultKind::Reset,
            3 => FaultKind::Delay { delay_ms: 200 },
            _ => FaultKind::Truncated,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn chaos_strikes_about_as_often_as_asked_and_repeats_with_its_seed() {
        let chaos = super::Chaos::new(5, 42);
        let hits = (0..20_000).filter(|_| chaos.draw().is_some()).count();
        assert!((800..1200).contains(&hits), "{hits} of 20,000");
        let again = super::Chaos::new(5, 42);
        let replay = (0..20_000).filter(|_| again.draw().is_some()).count();
        assert_eq!(hits, replay);
    }
}
