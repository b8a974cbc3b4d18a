//! Every answer of every operation decodes into its typed Rust struct and encodes back to the same JSON: the
//! calls of `tests/scenarios/every_operation.json` against the mock, which serves the real API's shapes.

use serde_json::{Map, Value, json};

/// JSON with absent and null told the same (the typed structs skip `None`), numbers compared as numbers (`0` and
/// `0.0` are one value to a caller) and timestamps as instants (`…00.000Z` is `…00Z`).
fn normalised(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, normalised(v))).collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalised).collect()),
        Value::Number(n) => n.as_f64().map_or(Value::Number(n), Value::from),
        Value::String(text) => Value::String(without_zero_fraction(text)),
        other => other,
    }
}

fn without_zero_fraction(text: String) -> String {
    match text.strip_suffix('Z').and_then(|t| t.rsplit_once('.')) {
        Some((whole, fraction)) if whole.contains('T') && fraction.bytes().all(|b| b == b'0') => format!("{whole}Z"),
        _ => text,
    }
}

/// Whether `operation` has a typed answer; if it has, `body` decodes into it and encodes back unchanged.
fn round_trips(operation: &str, body: &[u8]) -> bool {
    let Some(round_trip) = toriihq::typed_round_trip(operation, body) else { return false };
    let typed = round_trip.unwrap_or_else(|e| panic!("{operation}: the answer does not decode as typed: {e}"));
    let sent: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(normalised(typed), normalised(sent), "{operation}: typed decoding lost or changed something");
    true
}

#[tokio::test]
async fn every_typed_answer_decodes_and_loses_nothing() {
    let (_server, client) = toriihq_tests::torii_mock("10").await;
    let path = toriihq_tests::scenario::scenarios_dir().join("every_operation.json");
    let scenario: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut checked = std::collections::BTreeSet::new();
    for step in scenario["steps"].as_array().unwrap() {
        let Some(operation) = step["call"].as_str() else { continue };
        if step["expect"].get("error").is_some() {
            continue;
        }
        let mut params = step["params"].clone();
        if let Some(file) = params.get_mut("file") {
            let relative = file.as_str().unwrap().to_string();
            *file = Value::String(toriihq_tests::scenario::scenarios_dir().join(relative).to_string_lossy().into());
        }
        let body = client.call_raw(operation, &params).await.unwrap_or_else(|e| panic!("{operation}: {e}"));
        if round_trips(operation, &body) {
            checked.insert(operation.to_string());
        }
    }
    // `storeFile` records a file put to a presigned URL: a path no scenario step can name in advance.
    let presigned = client.call("getFileUploadUrl", &json!({"name": "a.csv", "type": "text/csv"})).await.unwrap();
    let parameters = &presigned["uploadFileParameters"];
    let put = toriihq_tests::http()
        .put(parameters["url"].as_str().unwrap())
        .header("content-type", "text/csv")
        .body("a\n")
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success());
    let stored = json!({"body": {"path": parameters["filePath"], "type": "attachment"}});
    if round_trips("storeFile", &client.call_raw("storeFile", &stored).await.unwrap()) {
        checked.insert("storeFile".into());
    }
    let typed_operations = toriihq::operations().iter().filter(|op| op.response_schema.is_some()).count();
    assert_eq!(checked.len(), typed_operations, "every operation with a JSON answer was checked: {checked:?}");
}
