//! Faults queued by tests through the admin API: what the next matching requests get instead of an answer.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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
        let kind = fault.kind.clone();
        fault.times = fault.times.saturating_sub(1);
        if fault.times == 0 {
            queue.remove(index);
        }
        self.pending.store(queue.len(), Ordering::Release);
        Some(kind)
    }
}
