//! Walking paged lists: one [`Walk`] per paging kind holds the rule for where the next page is and when the list
//! ends; [`pages`] asks for each page through the caller's `fetch`, which re-applies every filter the caller set, so
//! page 2 asks for exactly what page 1 asked for. The walkers yield whole pages; item streams
//! flatten them. Only one page is held at a time ([`read_ahead`] holds at most three).

use std::future::Future;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use super::page_summary::{PageKeys, summarize};
use crate::Result;

/// A page as the bindings get it: the raw JSON, and the key its items are under (the first of the list's keys the
/// page has), so no binding repeats that rule.
#[derive(Debug, Clone)]
pub struct RawPage {
    pub body: bytes::Bytes,
    pub items_key: Option<&'static str>,
}

/// One fetched page: what it holds, how many items, and where the next one is.
pub struct Fetched<P, N> {
    pub page: P,
    pub items: usize,
    pub next: N,
}

/// Where a walk over a paged list stands, and the rule that ends it: one per paging kind, so the typed streams and
/// the by-name pages stop at the same page for the same answers.
pub trait Walk: Send {
    /// What the next page is asked with (a cursor, a start index, an offset).
    type Position: Send;
    /// What a page says of the next one (its cursor, the list's total, nothing).
    type Next: Send;
    /// The position of the next page: `None` when the walk is over, an error when the list cannot go on.
    fn position(&mut self, operation: &str) -> Option<Result<Self::Position>>;
    /// Takes in a page of `items` items and what it says of the next.
    fn advance(&mut self, items: usize, next: Self::Next);
    /// Ends the walk (a page failed).
    fn stop(&mut self);
}

/// Cursor paging: the first page is asked without a cursor, each next one with the cursor the page before gave.
/// The list ends at a page without a cursor or without items. A cursor the server already gave would walk the same
/// pages forever (or, stopped quietly, hand back part of the list): it is an error naming the operation, after
/// the page that carried it.
#[derive(Default)]
pub struct CursorWalk {
    state: CursorState,
    seen: std::collections::HashSet<String>,
}

#[derive(Default)]
enum CursorState {
    #[default]
    First,
    Ask(String),
    Repeated(String),
    Done,
}

impl Walk for CursorWalk {
    type Position = Option<String>;
    type Next = Option<String>;

    fn position(&mut self, operation: &str) -> Option<Result<Option<String>>> {
        match std::mem::replace(&mut self.state, CursorState::Done) {
            CursorState::First => Some(Ok(None)),
            CursorState::Ask(cursor) => Some(Ok(Some(cursor))),
            CursorState::Repeated(cursor) => Some(Err(crate::Error::Decode {
                what: format!(
                    "`{operation}` answered a cursor it had already given ({cursor:?}): its list would never end"
                ),
                location: "`nextCursor`".into(),
            })),
            CursorState::Done => None,
        }
    }

    fn advance(&mut self, items: usize, next: Option<String>) {
        self.state = match next.filter(|c| !c.is_empty()) {
            _ if items == 0 => CursorState::Done,
            None => CursorState::Done,
            Some(cursor) if !self.seen.insert(cursor.clone()) => CursorState::Repeated(cursor),
            Some(cursor) => CursorState::Ask(cursor),
        };
    }

    fn stop(&mut self) {
        self.state = CursorState::Done;
    }
}

/// SCIM paging: `startIndex` from 1; the list ends at an empty page or once `totalResults` items came.
pub struct ScimWalk {
    start: Option<u64>,
    asked: u64,
}

impl Default for ScimWalk {
    fn default() -> Self {
        ScimWalk { start: Some(1), asked: 1 }
    }
}

impl Walk for ScimWalk {
    type Position = u64;
    type Next = Option<i64>;

    fn position(&mut self, _operation: &str) -> Option<Result<u64>> {
        let start = self.start.take()?;
        self.asked = start;
        Some(Ok(start))
    }

    fn advance(&mut self, items: usize, total: Option<i64>) {
        let seen = self.asked - 1 + items as u64;
        let finished = items == 0 || total.is_some_and(|total| seen >= total.max(0) as u64);
        self.start = (!finished).then_some(self.asked + items as u64);
    }

    fn stop(&mut self) {
        self.start = None;
    }
}

/// Offset paging (`offset` from 0, `limit`). The list ends at an empty page or at one shorter than the longest page
/// so far (the server's page size, whatever `limit` the caller set), so a list that fits in one short page costs
/// one more request, which comes back empty.
#[derive(Default)]
pub struct OffsetWalk {
    offset: Option<u64>,
    asked: u64,
    longest: usize,
    started: bool,
}

impl Walk for OffsetWalk {
    type Position = u64;
    type Next = ();

    fn position(&mut self, _operation: &str) -> Option<Result<u64>> {
        let offset = if self.started { self.offset.take()? } else { 0 };
        self.started = true;
        self.asked = offset;
        Some(Ok(offset))
    }

    fn advance(&mut self, items: usize, _: ()) {
        self.longest = self.longest.max(items);
        let finished = items == 0 || items < self.longest;
        self.offset = (!finished).then_some(self.asked + items as u64);
    }

    fn stop(&mut self) {
        self.started = true;
        self.offset = None;
    }
}

/// Every page of a list, `fetch(position)` asking for one, `walk` saying where the next is and when to stop.
pub fn pages<'a, W, P, Fut, F>(operation: &'a str, walk: W, fetch: F) -> BoxStream<'a, Result<P>>
where
    W: Walk + 'a,
    P: Send + 'a,
    F: Fn(W::Position) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Fetched<P, W::Next>>> + Send + 'a,
{
    stream::unfold((walk, fetch), move |(mut walk, fetch)| async move {
        let position = match walk.position(operation)? {
            Ok(position) => position,
            Err(error) => return Some((Err(error), (walk, fetch))),
        };
        let outcome = match fetch(position).await {
            Ok(fetched) => {
                walk.advance(fetched.items, fetched.next);
                Ok(fetched.page)
            }
            Err(error) => {
                walk.stop();
                Err(error)
            }
        };
        Some((outcome, (walk, fetch)))
    })
    .boxed()
}

/// Cursor paging: `fetch(cursor)` returns a page and the next cursor (absent on the last page).
pub fn cursor_pages<'a, P, Fut, F>(operation: &'a str, fetch: F) -> BoxStream<'a, Result<P>>
where
    P: Send + 'a,
    F: Fn(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Fetched<P, Option<String>>>> + Send + 'a,
{
    pages(operation, CursorWalk::default(), fetch)
}

fn flatten<'a, T: Send + 'a>(pages: BoxStream<'a, Result<Vec<T>>>) -> BoxStream<'a, Result<T>> {
    pages.map_ok(|items| stream::iter(items.into_iter().map(Ok))).try_flatten().boxed()
}

/// Every item over cursor pages, a page decoded while the next is fetched: `fetch(cursor)` returns a page's JSON,
/// whose next cursor is read without building anything ([`summarize`]); the page is then decoded into `P` on the
/// blocking pool and `items` takes its list out, while the stream asks for the next page. Decoding a 1,000-user page
/// takes about as long as the server takes to send the next, so paging costs the greater of the two, not the sum.
/// At most two pages are held.
pub fn cursor_stream_ahead<'a, P, T, Fut, F>(
    operation: &'a str,
    keys: PageKeys<'static>,
    fetch: F,
    items: fn(P) -> Vec<T>,
) -> BoxStream<'a, Result<T>>
where
    P: DeserializeOwned + Send + 'static,
    T: Send + 'static,
    F: Fn(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<bytes::Bytes>> + Send + 'a,
{
    let bodies = cursor_pages(operation, move |cursor| {
        let body = fetch(cursor);
        async move {
            let body = body.await?;
            let summary = summarize(&body, keys)?;
            let next = summary.next.as_ref().and_then(serde_json::Value::as_str).map(str::to_string);
            Ok(Fetched { items: summary.items, page: body, next })
        }
    });
    let pages = bodies
        .map_ok(move |body| {
            let decoding = tokio::task::spawn_blocking(move || super::decode::<P>(&body).map(items));
            async move { decoding.await.map_err(|e| crate::Error::Internal(format!("decoding a page: {e}")))? }
        })
        .try_buffered(2)
        .boxed();
    flatten(pages)
}

/// Every item over SCIM pages: `fetch(start_index)` returns one page's items and `totalResults`.
pub fn offset_stream<'a, T, Fut, F>(fetch: F) -> BoxStream<'a, Result<T>>
where
    T: Send + 'a,
    F: Fn(u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<(Vec<T>, Option<i64>)>> + Send + 'a,
{
    flatten(pages("", ScimWalk::default(), move |start| {
        let page = fetch(start);
        async move { page.await.map(|(items, total)| Fetched { items: items.len(), page: items, next: total }) }
    }))
}

/// Every item over offset pages: `fetch(offset)` returns one page's items.
pub fn limit_offset_stream<'a, T, Fut, F>(fetch: F) -> BoxStream<'a, Result<T>>
where
    T: Send + 'a,
    F: Fn(u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Vec<T>>> + Send + 'a,
{
    flatten(pages("", OffsetWalk::default(), move |offset| {
        let page = fetch(offset);
        async move { page.await.map(|items| Fetched { items: items.len(), page: items, next: () }) }
    }))
}

/// Fetches ahead on a task given to `spawn` (the caller's runtime) while the caller works through the pages it has: with Python or JavaScript decoding
/// one page as the next is on the wire, paging costs about the greater of the two instead of their sum. At most
/// two pages wait unread, so memory stays flat however long the list; dropping the stream stops the fetching
/// (a page already requested completes and is discarded).
pub fn read_ahead<T: Send + 'static>(
    mut pages: BoxStream<'static, T>,
    spawn: impl FnOnce(futures::future::BoxFuture<'static, ()>),
) -> BoxStream<'static, T> {
    let (ready, waiting) = tokio::sync::mpsc::channel(1);
    spawn(Box::pin(async move {
        while let Some(page) = pages.next().await {
            if ready.send(page).await.is_err() {
                break;
            }
        }
    }));
    stream::unfold(waiting, |mut waiting| async move { waiting.recv().await.map(|page| (page, waiting)) }).boxed()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// The offsets a fake server was asked for.
    type Asked = Arc<Mutex<Vec<u64>>>;

    /// `fetch(offset)` over a list of `total` numbers served `page` at a time; records the offsets asked for.
    fn served(total: u64, page: u64) -> (Asked, impl Fn(u64) -> futures::future::Ready<Result<Vec<u64>>>) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let fetch = move |offset: u64| {
            log.lock().unwrap().push(offset);
            futures::future::ready(Ok((offset..total.min(offset + page)).collect()))
        };
        (asked, fetch)
    }

    #[tokio::test]
    async fn offset_paging_reads_every_item_and_stops_at_the_short_page() {
        let (asked, fetch) = served(120, 50);
        let items: Vec<u64> = limit_offset_stream(fetch).try_collect().await.unwrap();
        assert_eq!(items, (0..120).collect::<Vec<_>>());
        assert_eq!(*asked.lock().unwrap(), vec![0, 50, 100]);
    }

    #[tokio::test]
    async fn offset_paging_of_an_exact_multiple_ends_at_the_empty_page() {
        let (asked, fetch) = served(100, 50);
        let items: Vec<u64> = limit_offset_stream(fetch).try_collect().await.unwrap();
        assert_eq!(items.len(), 100);
        assert_eq!(*asked.lock().unwrap(), vec![0, 50, 100]);
    }

    #[tokio::test]
    async fn offset_paging_stops_on_an_error() {
        let fetch = |offset: u64| {
            futures::future::ready(if offset == 0 {
                Ok((0..10).collect::<Vec<u64>>())
            } else {
                Err(crate::Error::invalid_argument("offset", "boom"))
            })
        };
        let results: Vec<Result<u64>> = limit_offset_stream(fetch).collect().await;
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 10);
        assert!(results.last().unwrap().is_err());
    }

    /// A server whose cursors run `a`, `b`, then `a` again: every page it served comes out, then an error naming
    /// the operation — never a silent stop with part of the list, never a loop.
    #[tokio::test]
    async fn a_cursor_the_server_already_gave_is_an_error_naming_the_operation() {
        for cursors in [vec!["a", "b", "a"], vec!["a", "a"]] {
            let answers = cursors.clone();
            let fetch = move |asked: Option<String>| {
                let page = asked.map_or(0, |cursor| answers.iter().position(|c| *c == cursor).unwrap() + 1);
                let next = Some(answers[page.min(answers.len() - 1)].to_string());
                futures::future::ready(Ok(Fetched { page, items: 1, next }))
            };
            let outcomes: Vec<Result<usize>> = cursor_pages("getUsers", fetch).collect().await;
            let (pages, errors): (Vec<_>, Vec<_>) = outcomes.into_iter().partition(|o| o.is_ok());
            assert_eq!(pages.len(), cursors.len(), "{cursors:?}: every page served comes out once");
            let error = errors.into_iter().next().and_then(|e| e.err()).expect("an error at the end");
            assert!(error.to_string().contains("`getUsers`") && error.kind() == "decode", "{error}");
        }
    }
}
