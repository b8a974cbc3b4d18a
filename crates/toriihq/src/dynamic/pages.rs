//! Every page of a paged list called by name: the operation is resolved once for the whole list, then each page is
//! one request of it with the caller's filters and the walk's position, read only as far as its paging keys.

use futures::StreamExt;
use serde_json::Value;
use toriihq_spec::{Operation, Pagination};

use crate::operations::Callable;
use crate::options::CallOptions;
use crate::runtime::BoxStream;
use crate::runtime::page_summary::{PageKeys, summarize};
use crate::runtime::paging::{CursorWalk, Fetched, OffsetWalk, RawPage, ScimWalk, Walk, pages as walk_pages};
use crate::{Client, Error, Result};

/// The pages of `operation` with `params` on each, for any handle on a client (a reference or an `Arc`).
pub(super) fn pages<'a, C>(
    client: C,
    operation: &str,
    params: Value,
    options: CallOptions,
) -> BoxStream<'a, Result<RawPage>>
where
    C: std::ops::Deref<Target = Client> + Clone + Send + Sync + 'a,
{
    let listed = Callable::operation(operation, "only an operation is a paged list")
        .and_then(|op| ListWalk::of(op).map(|walk| (op, walk)));
    let (op, walk) = match listed {
        Ok(listed) => listed,
        Err(e) => return futures::stream::once(async move { Err(e) }).boxed(),
    };
    let items_fields: Vec<&'static str> = op.pagination.items_fields();
    walk_pages(&op.id, walk, move |position: Option<(&'static str, Value)>| {
        let client = client.clone();
        let mut params = params.clone();
        if let (Some((name, value)), Some(map)) = (position, params.as_object_mut()) {
            map.insert(name.to_string(), value);
        }
        let options = options.clone();
        let items_fields = items_fields.clone();
        async move {
            let body = client.call_operation(op, &params, Vec::new(), &options).await?;
            let summary = summarize(&body, PageKeys { items: &items_fields, next: walk_next_key(op) })?;
            let items_key = summary.items_key.map(|index| items_fields[index]);
            Ok(Fetched { items: summary.items, page: RawPage { body, items_key }, next: summary.next })
        }
    })
}

/// The walk of the operation's paging kind, its position given as the parameter (name and value) it is sent as.
enum ListWalk {
    Cursor(CursorWalk, &'static str),
    Scim(ScimWalk, &'static str),
    Offset(OffsetWalk, &'static str),
}

impl ListWalk {
    fn of(op: &'static Operation) -> Result<ListWalk> {
        Ok(match &op.pagination {
            Pagination::Cursor { cursor_param, .. } => ListWalk::Cursor(CursorWalk::default(), cursor_param),
            Pagination::ScimOffset { start_param, .. } => ListWalk::Scim(ScimWalk::default(), start_param),
            Pagination::Offset { offset_param, .. } => ListWalk::Offset(OffsetWalk::default(), offset_param),
            Pagination::None => {
                return Err(Error::invalid_argument("operation", format!("`{}` is not a paged list", op.id)));
            }
        })
    }
}

/// The key a page names the next one by: its cursor, or SCIM's total; offset pages have none.
fn walk_next_key(op: &'static Operation) -> Option<&'static str> {
    match &op.pagination {
        Pagination::Cursor { next_cursor_field, .. } => Some(next_cursor_field),
        Pagination::ScimOffset { total_field, .. } => Some(total_field),
        Pagination::Offset { .. } | Pagination::None => None,
    }
}

impl Walk for ListWalk {
    /// The parameter the position is sent as, absent for a first cursor page.
    type Position = Option<(&'static str, Value)>;
    /// The value under the page's next key.
    type Next = Option<Value>;

    fn position(&mut self, operation: &str) -> Option<Result<Self::Position>> {
        let sent = |name: &'static str, value: Value| Some((name, value));
        Some(match self {
            ListWalk::Cursor(walk, name) => {
                walk.position(operation)?.map(|c| c.and_then(|c| sent(name, Value::String(c))))
            }
            ListWalk::Scim(walk, name) => walk.position(operation)?.map(|start| sent(name, Value::from(start))),
            ListWalk::Offset(walk, name) => walk.position(operation)?.map(|offset| sent(name, Value::from(offset))),
        })
    }

    fn advance(&mut self, items: usize, next: Option<Value>) {
        match self {
            ListWalk::Cursor(walk, _) => walk.advance(items, next.as_ref().and_then(Value::as_str).map(str::to_string)),
            ListWalk::Scim(walk, _) => walk.advance(items, next.as_ref().and_then(Value::as_f64).map(|t| t as i64)),
            ListWalk::Offset(walk, _) => walk.advance(items, ()),
        }
    }

    fn stop(&mut self) {
        match self {
            ListWalk::Cursor(walk, _) => walk.stop(),
            ListWalk::Scim(walk, _) => walk.stop(),
            ListWalk::Offset(walk, _) => walk.stop(),
        }
    }
}
