//! Streams over every item of a paged list. Each page is requested by the caller's closure, which re-applies
//! every filter the caller set, so page 2 asks for exactly what page 1 asked for.

use std::collections::VecDeque;
use std::future::Future;

use futures::stream::{self, BoxStream, StreamExt};

use crate::Result;

/// Cursor paging: `fetch(cursor)` returns one page's items and the next cursor (absent on the last page).
pub fn cursor_stream<'a, T, Fut, F>(fetch: F) -> BoxStream<'a, Result<T>>
where
    T: Send + 'a,
    F: Fn(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<(Vec<T>, Option<String>)>> + Send + 'a,
{
    struct State<F, T> {
        fetch: F,
        buffer: VecDeque<T>,
        next: Option<String>,
        started: bool,
        finished: bool,
    }
    let state = State { fetch, buffer: VecDeque::new(), next: None, started: false, finished: false };
    stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), state));
            }
            if state.finished || (state.started && state.next.is_none()) {
                return None;
            }
            let asked = state.next.take();
            state.started = true;
            match (state.fetch)(asked.clone()).await {
                Ok((items, next)) => {
                    let next = next.filter(|c| !c.is_empty());
                    // A server that hands back the cursor it was given would loop forever.
                    state.finished = items.is_empty() || (next.is_some() && next == asked);
                    state.next = next;
                    state.buffer.extend(items);
                }
                Err(error) => {
                    state.finished = true;
                    return Some((Err(error), state));
                }
            }
        }
    })
    .boxed()
}

/// SCIM paging: `fetch(start_index)` (1-based) returns one page's items and `totalResults`.
pub fn offset_stream<'a, T, Fut, F>(fetch: F) -> BoxStream<'a, Result<T>>
where
    T: Send + 'a,
    F: Fn(u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<(Vec<T>, Option<i64>)>> + Send + 'a,
{
    struct State<F, T> {
        fetch: F,
        buffer: VecDeque<T>,
        start: u64,
        finished: bool,
    }
    let state = State { fetch, buffer: VecDeque::new(), start: 1, finished: false };
    stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), state));
            }
            if state.finished {
                return None;
            }
            match (state.fetch)(state.start).await {
                Ok((items, total)) => {
                    let received = items.len() as u64;
                    let seen = state.start - 1 + received;
                    state.finished = received == 0 || total.is_some_and(|t| seen >= t.max(0) as u64);
                    state.start += received;
                    state.buffer.extend(items);
                }
                Err(error) => {
                    state.finished = true;
                    return Some((Err(error), state));
                }
            }
        }
    })
    .boxed()
}
