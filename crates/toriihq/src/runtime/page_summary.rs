//! What paging needs from a page — how many items, the next cursor, the total — read in one pass over the raw
//! JSON without building it: a 1,000-user page is 218 KB, and the caller decodes the items itself (into Python or
//! JavaScript objects, or typed structs), so building a `serde_json::Value` first would decode it twice.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::{Error, Result};

/// The top-level keys that matter for paging.
#[derive(Clone, Copy)]
pub struct PageKeys<'a> {
    /// The key the items are under; a list the server may send under another documented key names them all.
    pub items: &'a [&'a str],
    /// The next cursor (cursor paging) or the total (SCIM paging); none for offset paging.
    pub next: Option<&'a str>,
}

#[derive(Debug, Default, PartialEq)]
pub struct PageSummary {
    pub items: usize,
    /// Which of [`PageKeys::items`] the page holds its items under: the first of them it has (as an array).
    pub items_key: Option<usize>,
    /// The value under [`PageKeys::next`], when present and not null.
    pub next: Option<Value>,
}

/// Reads the paging keys of a page's JSON body; anything else is skipped unbuilt. The body is checked to be UTF-8
/// first, in one pass: skipping a string does not look inside it, and a body JSON forbids must not pass.
pub fn summarize(bytes: &[u8], keys: PageKeys<'_>) -> Result<PageSummary> {
    let text = super::body_text(bytes)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    keys.deserialize(&mut deserializer)
        .and_then(|summary| deserializer.end().map(|()| summary))
        .map_err(|error| Error::decode(bytes, &error, None))
}

impl<'de> DeserializeSeed<'de> for PageKeys<'_> {
    type Value = PageSummary;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<PageSummary, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PageKeys<'_> {
    type Value = PageSummary;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "a page: an object with `{}`", self.items.join("` or `"))
    }

    /// As a JSON parser reads an object: a key given twice counts by its last value.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<PageSummary, A::Error> {
        let mut summary = PageSummary::default();
        // The item count under each of the list's keys (a list has one or two).
        let mut counts: Vec<Option<usize>> = vec![None; self.items.len()];
        // A page has a handful of top-level keys: owning each costs nothing measurable.
        while let Some(key) = map.next_key::<String>()? {
            if let Some(index) = self.items.iter().position(|k| *k == key) {
                counts[index] = map.next_value::<Option<ItemCount>>()?.map(|count| count.0);
            } else if self.next == Some(key.as_str()) {
                summary.next = map.next_value::<Option<Value>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if let Some((index, count)) = counts.iter().enumerate().find_map(|(i, c)| c.map(|c| (i, c))) {
            summary.items_key = Some(index);
            summary.items = count;
        }
        Ok(summary)
    }
}

/// The length of an array whose elements are skipped unbuilt.
struct ItemCount(usize);

impl<'de> serde::Deserialize<'de> for ItemCount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct CountVisitor;
        impl<'de> Visitor<'de> for CountVisitor {
            type Value = ItemCount;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an array of items")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<ItemCount, A::Error> {
                let mut count = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    count += 1;
                }
                Ok(ItemCount(count))
            }
        }
        deserializer.deserialize_seq(CountVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CURSOR: PageKeys<'static> = PageKeys { items: &["data"], next: Some("nextCursor") };

    #[test]
    fn reads_the_count_and_the_cursor_and_skips_the_rest() {
        let body = br#"{"data":[{"id":"1","nested":{"data":[1,2,3]}},{"id":"2"}],"nextCursor":"Mg==","total":30}"#;
        let summary = summarize(body, CURSOR).unwrap();
        assert_eq!(summary, PageSummary { items: 2, items_key: Some(0), next: Some(Value::String("Mg==".into())) });
    }

    #[test]
    fn a_last_page_has_no_cursor_and_null_items_count_as_none() {
        let empty = PageSummary { items_key: Some(0), ..PageSummary::default() };
        assert_eq!(summarize(br#"{"data":[],"nextCursor":null}"#, CURSOR).unwrap(), empty);
        assert_eq!(summarize(br#"{"data":null}"#, CURSOR).unwrap(), PageSummary::default());
        let scim = PageKeys { items: &["Resources"], next: Some("totalResults") };
        let summary = summarize(br#"{"Resources":[{}],"totalResults":41}"#, scim).unwrap();
        assert_eq!(summary.next, Some(Value::from(41)));
    }

    #[test]
    fn items_under_either_documented_key_are_counted() {
        let keys = PageKeys { items: &["response", "actionExecutions"], next: Some("nextCursor") };
        let summary = summarize(br#"{"actionExecutions":[{"id":1},{"id":2}],"nextCursor":"Mg=="}"#, keys).unwrap();
        assert_eq!((summary.items, summary.items_key), (2, Some(1)));
        let both = summarize(br#"{"actionExecutions":[{}],"response":[{}],"nextCursor":null}"#, keys).unwrap();
        assert_eq!(both.items_key, Some(0), "the first of the list's keys wins, wherever it stands in the page");
        assert_eq!(both.items, 1, "the count is that key's");
        let offset = PageKeys { items: &["audit"], next: None };
        let summary = summarize(br#"{"audit":[{},{},{}]}"#, offset).unwrap();
        assert_eq!(summary, PageSummary { items: 3, items_key: Some(0), next: None });
    }

    #[test]
    fn a_body_that_is_not_a_page_is_a_decode_error() {
        for body in [&b"[1,2]"[..], b"{\"data\":[1,", b"{\"data\":{}}", b"{} trailing"] {
            let error = summarize(body, CURSOR).unwrap_err();
            assert_eq!(error.kind(), "decode", "{}", String::from_utf8_lossy(body));
        }
    }
}
