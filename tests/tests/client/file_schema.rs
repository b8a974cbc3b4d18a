//! The custom-integration file's JSON Schema (what every package ships, what the mock checks a sync's file
//! against) and the core's validator agree: on the docs' example, on the six-problem file, and on each structural
//! problem alone. The validator also sees what JSON Schema cannot say (emails unique without regard to case).

use serde_json::{Value, json};

fn example() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/custom-integration/examples/docs-example.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn verdicts(file: &Value) -> (bool, bool) {
    let schema_accepts = toriihq_mock::file_schema_problems(file).is_empty();
    let validator_accepts = toriihq::custom_integration::validate(&serde_json::to_vec(file).unwrap()).is_valid();
    (schema_accepts, validator_accepts)
}

#[test]
fn the_shipped_schema_is_the_one_the_mock_checks() {
    assert_eq!(toriihq::custom_integration::SCHEMA, toriihq_mock::FILE_SCHEMA);
}

#[test]
fn the_schema_and_the_validator_agree_on_the_docs_example_and_on_each_structural_problem() {
    assert_eq!(verdicts(&example()), (true, true));
    let six =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/custom-integration/examples/six-problems.json");
    assert_eq!(verdicts(&serde_json::from_slice(&std::fs::read(six).unwrap()).unwrap()), (false, false));
    let broken: [(&str, Value); 14] = [
        ("/users", json!([])),
        ("/users/0/email", Value::Null),
        ("/users/0/email", json!("not-an-email")),
        ("/users/0/email", json!(7)),
        ("/users/0/status", json!("suspended")),
        ("/users/0/roles", json!("Admin")),
        ("/users/0/roles", json!(["Admin", 3])),
        ("/users/0/lastUsedDate", json!("last tuesday")),
        ("/users/0/id", json!(12)),
        ("/licenses/0/name", Value::Null),
        ("/licenses/0/pricePerUser", json!(35.2)),
        ("/licenses/0/pricePerUser", json!(-1)),
        ("/licenses/0/unassignedAmount", json!(-3)),
        ("/licenses/0/users/0/licenseStatus", json!("paused")),
    ];
    for (pointer, value) in broken {
        let mut file = example();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let target = file.pointer_mut(parent).unwrap();
        match (target, value) {
            (Value::Object(map), Value::Null) => {
                map.remove(key);
            }
            (Value::Object(map), value) => {
                map.insert(key.to_string(), value);
            }
            (other, _) => panic!("{pointer}: {other}"),
        }
        assert_eq!(verdicts(&file), (false, false), "{pointer} should break both");
    }
}

#[test]
fn uniqueness_without_regard_to_case_is_the_validators_alone() {
    let mut file = example();
    file["users"][1]["email"] = json!("JOHN.DOE@example.com");
    assert_eq!(verdicts(&file), (true, false));
}
