//! Property tests of what decodes the server's bytes — the page-key scanner (hand-written, one pass), the typed
//! decode and its timestamp parser — against arbitrary bytes, arbitrary JSON and real pages mutated byte by byte:
//! no panic, and no disagreement with the reference (serde_json's full parse; chrono's own `Deserialize` for
//! timestamps) on what is valid and what it holds.
//! CI runs a bounded number of cases; `cargo xtask fuzz` runs many more (`PROPTEST_CASES`).

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use serde_json::Value;
use toriihq::__runtime::Timestamp;
use toriihq::__runtime::page_summary::{PageKeys, summarize};

const KEYS: PageKeys<'static> = PageKeys { items: &["response", "actionExecutions"], next: Some("nextCursor") };

/// A real page of the list with two documented item keys, as the mock serves it.
const PAGE: &str = r#"{"response":[{"id":1,"idWorkflow":7,"state":"completed","actionName":"Send email","createdAt":"2026-01-01T00:00:00.000Z"},{"id":2,"idWorkflow":7,"state":"failed","errorMessage":"x\"y\\u00e9"}],"total":30,"nextCursor":"Mg=="}"#;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(3000)
}

/// What the reference says a page holds: an error for anything that is not an object whose item keys hold arrays
/// (or null); else the first item key holding an array, its length, and the cursor.
fn reference(bytes: &[u8]) -> Option<(Option<usize>, usize, Option<Value>)> {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(bytes) else { return None };
    let mut first = None;
    for (index, key) in KEYS.items.iter().enumerate() {
        match map.get(*key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                first = first.or(Some((index, items.len())));
            }
            Some(_) => return None,
        }
    }
    let next = map.get("nextCursor").filter(|v| !v.is_null()).cloned();
    Some((first.map(|(i, _)| i), first.map_or(0, |(_, n)| n), next))
}

fn agree(bytes: &[u8]) -> Result<(), TestCaseError> {
    let ours = summarize(bytes, KEYS).ok().map(|s| (s.items_key, s.items, s.next));
    prop_assert_eq!(ours, reference(bytes), "{}", String::from_utf8_lossy(bytes));
    // The typed decode never panics, and never accepts what is not JSON. (Like serde_json's own typed decoding,
    // it does not look inside a string it skips, so bytes there that are not UTF-8 pass: every value it keeps is
    // checked. Read that way, the reference must agree.)
    if let Some(Ok(_)) = toriihq::typed_round_trip("getWorkflowActionExecutions", bytes) {
        let as_text = String::from_utf8_lossy(bytes);
        prop_assert!(serde_json::from_str::<Value>(&as_text).is_ok());
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Remove(usize, usize),
    Truncate(usize),
    Repeat(usize, usize),
}

fn mutate(page: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = page.to_vec();
    for mutation in mutations {
        let len = bytes.len().max(1);
        match *mutation {
            Mutation::Flip(at, to) => {
                if let Some(byte) = bytes.get_mut(at % len) {
                    *byte = to;
                }
            }
            Mutation::Insert(at, byte) => bytes.insert(at % (bytes.len() + 1), byte),
            Mutation::Remove(at, n) => {
                let start = at % len;
                let end = (start + n % 16).min(bytes.len());
                bytes.drain(start.min(end)..end);
            }
            Mutation::Truncate(at) => bytes.truncate(at % len),
            Mutation::Repeat(at, n) => {
                let start = at % len;
                let end = (start + n % 32).min(bytes.len());
                let copy = bytes[start.min(end)..end].to_vec();
                bytes.splice(end..end, copy);
            }
        }
    }
    bytes
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Bytes that matter to JSON's grammar, more often than chance would pick them.
    let byte = prop_oneof![any::<u8>(), prop::sample::select(b"{}[]\":,\\ 0123456789.eE+-tfnul".to_vec())];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(a, b)| Mutation::Flip(a, b)),
        (any::<usize>(), byte).prop_map(|(a, b)| Mutation::Insert(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, n)| Mutation::Remove(a, n)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, n)| Mutation::Repeat(a, n)),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        "[a-zA-Z0-9=\"\\\\\\u{e9}]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (prop::sample::select(vec!["response", "actionExecutions", "nextCursor", "total", "id"]), inner),
                0..6
            )
            .prop_map(|entries| Value::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// Timestamps of every shape chrono reads (`T` or a space, fractions of any length, `Z` or an offset, lower case),
/// then characters replaced by ones a timestamp is made of: near misses on every side of valid.
fn timestamp() -> impl Strategy<Value = String> {
    let shape = (
        0..10000u32,
        0..14u32,
        0..33u32,
        0..25u32,
        0..61u32,
        0..62u32,
        prop::sample::select(vec!["", ".5", ".123", ".123456789", ".1234567891"]),
        prop::sample::select(vec!["T", "t", " "]),
        prop::sample::select(vec!["Z", "z", "+00:00", "-05:30", "+14:00", "+2400", "-00:00"]),
    );
    let text = shape.prop_map(|(y, mo, d, h, mi, s, fraction, t, zone)| {
        format!("{y:04}-{mo:02}-{d:02}{t}{h:02}:{mi:02}:{s:02}{fraction}{zone}")
    });
    let replacements =
        prop::collection::vec((any::<usize>(), prop::sample::select(b"0123456789-:+.TZ ".to_vec())), 0..3);
    (text, replacements).prop_map(|(text, replacements)| {
        let mut bytes = text.into_bytes();
        for (at, byte) in replacements {
            let at = at % bytes.len();
            bytes[at] = byte;
        }
        String::from_utf8(bytes).expect("ASCII")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn timestamps_are_read_as_chronos_own_deserialize_reads_them(text in timestamp()) {
        let json = serde_json::to_string(&text).unwrap();
        let reference = serde_json::from_str::<DateTime<Utc>>(&json).map_err(|e| e.to_string());
        let ours = serde_json::from_str::<Timestamp>(&json).map(|t| t.0).map_err(|e| e.to_string());
        prop_assert_eq!(ours, reference, "{}", text);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_are_judged_as_the_reference_judges_them(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        agree(&bytes)?;
    }

    #[test]
    fn mutated_real_pages_are_read_as_the_reference_reads_them(mutations in prop::collection::vec(mutation(), 1..6)) {
        agree(&mutate(PAGE.as_bytes(), &mutations))?;
    }

    #[test]
    fn arbitrary_json_is_read_as_the_reference_reads_it(value in json()) {
        agree(&serde_json::to_vec(&value).unwrap())?;
    }
}

/// Duplicate keys: the last one counts, as it does for the reference.
#[test]
fn a_key_given_twice_counts_by_its_last_value() {
    for page in [r#"{"response":[1,2],"response":[3]}"#, r#"{"response":[1],"response":null,"actionExecutions":[1,2]}"#]
    {
        agree(page.as_bytes()).unwrap();
    }
}
