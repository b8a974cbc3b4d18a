//! The mock checks a sync's file against the custom-integration file schema with the spec crate's schema walk.
//! These tests keep that honest: the schema uses no keyword the walk does not read, and on generated files (the
//! docs' example broken in up to four places, and any JSON at all) the walk finds fault with exactly the values a
//! JSON Schema library does.

use proptest::prelude::*;
use serde_json::{Value, json};
use toriihq_spec::schema::CHECKED_KEYWORDS;

/// Keywords that only describe.
const DESCRIPTIVE: &[&str] = &["$comment", "$schema", "$id", "title", "description", "$defs", "examples", "default"];

fn schema() -> Value {
    serde_json::from_str(toriihq_mock::FILE_SCHEMA).unwrap()
}

/// Every schema in `node` (itself, its properties, items and definitions), with where it is.
fn schemas<'a>(node: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
    out.push((at.clone(), node));
    for key in ["properties", "$defs"] {
        for (name, child) in node.get(key).and_then(Value::as_object).into_iter().flatten() {
            schemas(child, format!("{at}/{key}/{name}"), out);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = node.get(key).filter(|c| c.is_object()) {
            schemas(child, format!("{at}/{key}"), out);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (i, child) in node.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
            schemas(child, format!("{at}/{key}/{i}"), out);
        }
    }
}

#[test]
fn the_schema_uses_only_keywords_the_walk_reads_and_nothing_beside_a_ref() {
    let schema = schema();
    let mut found = Vec::new();
    schemas(&schema, String::new(), &mut found);
    assert!(found.len() > 10, "{} schemas", found.len());
    for (at, node) in found {
        for key in node.as_object().unwrap().keys() {
            let key = key.as_str();
            assert!(CHECKED_KEYWORDS.contains(&key) || DESCRIPTIVE.contains(&key), "{at}: `{key}` is not checked");
            // The walk follows a `$ref` in place of its schema, as OpenAPI 3.0 does; JSON Schema 2020-12 applies both.
            if node.get("$ref").is_some() {
                assert!(key == "$ref" || DESCRIPTIVE.contains(&key), "{at}: `{key}` beside a `$ref` would be skipped");
            }
        }
    }
}

fn example() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../spec/custom-integration/examples/docs-example.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The pointers of the values at fault, each once, as the mock finds them.
fn mock_verdict(file: &Value) -> Vec<String> {
    let mut paths: Vec<String> =
        toriihq_mock::file_schema_problems(file).iter().map(|p| p["path"].as_str().unwrap().to_string()).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// The same from `jsonschema`.
fn library_verdict(file: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let mut paths: Vec<String> = validator.iter_errors(file).map(|e| e.instance_path().to_string()).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Where a change may land: each field of a user, a licence and a licence's user, the lists, the root.
const PLACES: &[&str] = &[
    "",
    "/users",
    "/licenses",
    "/users/0",
    "/users/0/id",
    "/users/0/email",
    "/users/0/firstName",
    "/users/0/lastName",
    "/users/0/status",
    "/users/0/externalStatus",
    "/users/0/roles",
    "/users/0/roles/0",
    "/users/0/lastUsedDate",
    "/users/1/email",
    "/users/1/status",
    "/licenses/0",
    "/licenses/0/name",
    "/licenses/0/unassignedAmount",
    "/licenses/0/pricePerUser",
    "/licenses/0/users",
    "/licenses/0/users/0",
    "/licenses/0/users/0/email",
    "/licenses/0/users/0/licenseStatus",
    "/licenses/0/users/1/lastUsedDate",
];

/// Values that sit on the edges of the schema's rules.
fn edge_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(true)),
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(7)),
        Just(json!(35.2)),
        Just(json!(2.0)),
        Just(json!(-0.5)),
        Just(json!("")),
        Just(json!("x")),
        Just(json!("active")),
        Just(json!("inactive")),
        Just(json!("deleted")),
        Just(json!("suspended")),
        Just(json!("ada@example.com")),
        Just(json!("not-an-email")),
        Just(json!("a@b")),
        Just(json!("a b@example.com")),
        Just(json!("2021-07-05")),
        Just(json!("2021-13-05")),
        Just(json!("2021-07-05T20:43:14Z")),
        Just(json!("2021-07-05T24:00")),
        Just(json!([])),
        Just(json!(["Admin"])),
        Just(json!(["Admin", 3])),
        Just(json!({})),
        Just(json!({"email": "ada@example.com"})),
        Just(json!([{"name": ""}])),
        Just(json!([{"email": 7}, {}])),
        "[ -~]{0,12}".prop_map(Value::String),
    ]
}

/// A change at one place: the value replaced, or (for `None`) removed.
fn change() -> impl Strategy<Value = (&'static str, Option<Value>)> {
    (prop::sample::select(PLACES), prop::option::weighted(0.8, edge_value()))
}

fn apply(file: &mut Value, (place, value): &(&str, Option<Value>)) {
    if place.is_empty() {
        if let Some(value) = value {
            *file = value.clone();
        }
        return;
    }
    let (parent, key) = place.rsplit_once('/').unwrap();
    match (file.pointer_mut(parent), value) {
        (Some(Value::Object(map)), Some(value)) => {
            map.insert(key.to_string(), value.clone());
        }
        (Some(Value::Object(map)), None) => {
            map.remove(key);
        }
        (Some(Value::Array(items)), value) => {
            let Ok(i) = key.parse::<usize>() else { return };
            match value {
                Some(value) if i < items.len() => items[i] = value.clone(),
                None if i < items.len() => {
                    items.remove(i);
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// Any JSON, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        "[ -~]{0,8}".prop_map(Value::from)
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(&["users", "licenses", "email", "name", "x"][..]),
                inner,
                0..4
            )
            .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_docs_example_broken_in_up_to_four_places_is_judged_as_jsonschema_judges_it(
        changes in prop::collection::vec(change(), 0..=4),
    ) {
        let mut file = example();
        for change in &changes {
            apply(&mut file, change);
        }
        prop_assert_eq!(mock_verdict(&file), library_verdict(&file), "{}", file);
    }

    #[test]
    fn any_json_is_judged_as_jsonschema_judges_it(file in any_json()) {
        prop_assert_eq!(mock_verdict(&file), library_verdict(&file), "{}", file);
    }
}

#[test]
fn the_example_passes_and_each_kind_of_fault_is_found_where_it_is() {
    assert_eq!(mock_verdict(&example()), Vec::<String>::new());
    let mut file = example();
    file["users"][0]["email"] = json!("not-an-email");
    file["users"][1].as_object_mut().unwrap().remove("email");
    file["licenses"][0]["pricePerUser"] = json!(35.2);
    file["licenses"][0]["name"] = json!("");
    assert_eq!(mock_verdict(&file), ["/licenses/0/name", "/licenses/0/pricePerUser", "/users/0/email", "/users/1"]);
    let problems = toriihq_mock::file_schema_problems(&file);
    let said =
        |path: &str| problems.iter().find(|p| p["path"] == path).unwrap()["message"].as_str().unwrap().to_string();
    assert_eq!(said("/users/1"), "`email` is required");
    assert_eq!(said("/licenses/0/name"), "must be at least 1 character");
}
