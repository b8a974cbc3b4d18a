//! Path ids cannot change the path: whatever the text, the request line has exactly the template's segments and
//! the id's segment decodes back to the id — for typed builders and calls by name alike. Proved over arbitrary
//! Unicode and over strings built from the characters that have broken path encoders (`\`, `/`, `%`, dots).

use proptest::prelude::*;
use serde_json::json;
use toriihq::Error;
use toriihq_tests::RecordingServer;

/// 512 in the test suite; `cargo xtask fuzz` asks for more through `PROPTEST_CASES`.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(512)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// Text made of the pieces path traversals are made of, and anything else.
fn hostile_id() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(".".to_string()),
        Just("..".to_string()),
        Just("\\".to_string()),
        Just("/".to_string()),
        Just("%2e".to_string()),
        Just("%2F".to_string()),
        Just("%5c".to_string()),
        Just("%".to_string()),
        Just("?".to_string()),
        Just("#".to_string()),
        Just("\r\n".to_string()),
        Just("admin".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

fn percent_decoded(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let escape = segment.get(i + 1..i + 3).expect("two hex digits after %");
            out.push(u8::from_str_radix(escape, 16).expect("a %XX escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

/// The one request line the server saw for `id`, or that none was sent and the call was refused.
fn check_sent(server: &RecordingServer, outcome: toriihq::Result<()>, method: &str, id: &str, suffix: &str) {
    let lines = server.take_request_lines();
    if id.is_empty() || id == "." || id == ".." {
        assert!(matches!(outcome, Err(Error::InvalidArgument { .. })), "{id:?} was not refused: {outcome:?}");
        assert!(lines.is_empty(), "{id:?} was refused after sending {lines:?}");
        return;
    }
    outcome.unwrap_or_else(|e| panic!("{id:?}: {e}"));
    assert_eq!(lines.len(), 1, "{id:?}: {lines:?}");
    let target = lines[0]
        .strip_prefix(&format!("{method} "))
        .and_then(|rest| rest.strip_suffix(" HTTP/1.1"))
        .unwrap_or_else(|| panic!("{id:?}: request line {:?}", lines[0]));
    assert!(!target.contains('?') && !target.contains('#'), "{id:?}: {target}");
    let segments: Vec<&str> = target.split('/').collect();
    let expected_len = 3 + suffix.split('/').filter(|s| !s.is_empty()).count();
    assert_eq!(segments.len(), expected_len, "{id:?} sent as {target}");
    assert_eq!(segments[1], "plugins", "{id:?} sent as {target}");
    assert_eq!(percent_decoded(segments[2]), id, "{id:?} sent as {target}");
    assert!(
        segments[2].bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
        "{id:?}: {target} has a byte outside the unreserved set"
    );
}

fn client(server: &RecordingServer) -> toriihq::Client {
    toriihq::Client::builder().api_key("k").base_url(&server.url).max_retries(0).build().unwrap()
}

proptest! {
    // No regression file: a failure prints its minimal input, and the test tree stays clean.
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn an_id_stays_one_segment_by_name_and_typed(id in prop_oneof![any::<String>(), hostile_id()]) {
        let runtime = runtime();
        runtime.block_on(async {
            let server = RecordingServer::start().await;
            let client = client(&server);
            let by_name = client.call_raw("deletePlugin", &json!({"uuidPlugin": id})).await.map(drop);
            check_sent(&server, by_name, "DELETE", &id, "");
            let typed = client.delete_plugin().uuid_plugin(id.clone()).send().await;
            check_sent(&server, typed, "DELETE", &id, "");
            let nested = client.create_plugin_api_key().uuid_plugin(id.clone()).send().await.map(drop);
            check_sent(&server, nested, "POST", &id, "/apikey");
        });
    }
}

#[test]
fn the_backslash_traversal_reaches_the_plugin_not_the_admin_path() {
    runtime().block_on(async {
        let server = RecordingServer::start().await;
        let client = client(&server);
        client.delete_plugin().uuid_plugin(r"..\..\admin").send().await.unwrap();
        client.call_raw("deletePlugin", &json!({"uuid_plugin": r"..\..\admin"})).await.unwrap();
        assert_eq!(server.take_request_lines(), vec!["DELETE /plugins/..%5C..%5Cadmin HTTP/1.1"; 2]);
        let shown = client.dry_run("deletePlugin", &json!({"uuidPlugin": r"..\..\admin"})).unwrap();
        assert!(shown.url.ends_with("/plugins/..%5C..%5Cadmin"), "{}", shown.url);
    });
}
