//! Walking paged lists. Each page is requested by the caller's closure, which re-applies every filter the
//! caller set, so page 2 asks for exactly what page 1 asked for. The walkers yield whole pages; item streams
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

/// Cursor paging: `fetch(cursor)` returns a page and the next cursor (absent on the last page). A cursor the
/// server already gave would walk the same pages forever (or, stopped quietly, hand back part of the list): it is an
/// error naming `operation`, after the page that carried it.
pub fn cursor_pages<'a, P, Fut, F>(operation: &'a str, fetch: F) -> BoxStream<'a, Result<P>>
where
    P: Send + 'a,
    F: Fn(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Fetched<P, Option<String>>>> + Send + 'a,
{
    enum Next {
        Ask(Option<String>),
        Repeated(String),
        Done,
    }
    let seen = std::collections::HashSet::<String>::new();
    stream::unfold((fetch, Next::Ask(None), seen), move |(fetch, next, mut seen)| async move {
        let asked = match next {
            Next::Ask(cursor) => cursor,
            Next::Repeated(cursor) => {
                let error = crate::Error::Decode {
                    what: format!(
                        "`{operation}` answered a cursor it had already given ({cursor:?}): its list would never end"
                    ),
                    location: "`nextCursor`".into(),
                };
                return Some((Err(error), (fetch, Next::Done, seen)));
            }
            Next::Done => return None,
        };
        match fetch(asked).await {
            Ok(fetched) => {
                let state = match fetched.next.filter(|c| !c.is_empty()) {
                    _ if fetched.items == 0 => Next::Done,
                    None => Next::Done,
                    Some(cursor) if !seen.insert(cursor.clone()) => Next::Repeated(cursor),
                    Some(cursor) => Next::Ask(Some(cursor)),
                };
                Some((Ok(fetched.page), (fetch, state, seen)))
            }
            Err(error) => Some((Err(error), (fetch, Next::Done, seen))),
        }
    })
    .boxed()
}

/// SCIM paging: `fetch(start_index)` (1-based) returns a page and `totalResults`.
pub fn offset_pages<'a, P, Fut, F>(fetch: F) -> BoxStream<'a, Result<P>>
where
    P: Send + 'a,
    F: Fn(u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Fetched<P, Option<i64>>>> + Send + 'a,
{
    stream::unfold((fetch, Some(1u64)), |(fetch, start)| async move {
        let start = start?;
        match fetch(start).await {
            Ok(fetched) => {
                let seen = start - 1 + fetched.items as u64;
                let finished = fetched.items == 0 || fetched.next.is_some_and(|total| seen >= total.max(0) as u64);
                let state = if finished { None } else { Some(start + fetched.items as u64) };
                Some((Ok(fetched.page), (fetch, state)))
            }
            Err(error) => Some((Err(error), (fetch, None))),
        }
    })
    .boxed()
}

/// Offset paging (`offset` 0-based, `limit`): `fetch(offset)` returns one page. The list ends at an empty page or
/// at one shorter than the longest page so far (the server's page size, whatever `limit` the caller set), so a
/// list that fits in one short page costs one more request, which comes back empty.
pub fn limit_offset_pages<'a, P, Fut, F>(fetch: F) -> BoxStream<'a, Result<P>>
where
    P: Send + 'a,
    F: Fn(u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Fetched<P, ()>>> + Send + 'a,
{
    stream::unfold((fetch, Some((0u64, 0usize))), |(fetch, position)| async move {
        let (offset, longest) = position?;
        match fetch(offset).await {
            Ok(fetched) => {
                let longest = longest.max(fetched.items);
                let finished = fetched.items == 0 || fetched.items < longest;
                let state = if finished { None } else { Some((offset + fetched.items as u64, longest)) };
                Some((Ok(fetched.page), (fetch, state)))
            }
            Err(error) => Some((Err(error), (fetch, None))),
        }
    })
    .boxed()
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
    flatten(offset_pages(move |start| {
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
    flatten(limit_offset_pages(move |offset| {
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
