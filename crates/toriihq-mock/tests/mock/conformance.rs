//! Every operation of a spec, called with a request generated from its description, answers its documented
//! success status with a body that validates against its response schema. Run for the embedded spec and for the
//! docs spec of the real API (60 operations), with no code change between them.

use crate::common;

use common::{KEY, http, start_with};
use serde_json::{Value, json};
use toriihq_mock::schema::{Generate, Schemas};
use toriihq_mock::{MockConfig, MockServer, Seed};
use toriihq_spec::{BodyKind, LoadedSpec, Operation, ParameterLocation, ValueType};

async fn existing_id(server: &MockServer, collection: &str) -> Option<String> {
    // Touch the collection first so nested ones are seeded.
    let items: Value = http()
        .get(format!("{}/_mock/collection", server.url()))
        .query(&[("path", collection)])
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    items.as_array()?.first()?.get("id").map(|id| match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

fn sample(value_type: ValueType, enum_values: &[Value], minimum: Option<f64>) -> String {
    if let Some(first) = enum_values.first() {
        return first.as_str().map(str::to_string).unwrap_or_else(|| first.to_string());
    }
    match value_type {
        ValueType::Integer | ValueType::Number => minimum.map(|m| (m as i64).max(1)).unwrap_or(1).to_string(),
        ValueType::Boolean => "true".into(),
        _ => "x".into(),
    }
}

async fn call(server: &MockServer, spec: &LoadedSpec, op: &Operation) -> (u16, Vec<u8>) {
    let schemas = Schemas::new(&spec.document);
    let mut path = op.path.clone();
    let mut parents = String::new();
    let segments: Vec<&str> = op.path.trim_start_matches('/').split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            parents.push('/');
            parents.push_str(segment);
            continue;
        };
        let param = op.parameters.iter().find(|p| p.name == name).expect("declared path parameter");
        let is_last = i == segments.len() - 1;
        let value = if is_last {
            // touch the collection through its list route when there is one, so nested collections exist
            let _ = http().get(format!("{}{parents}", server.url())).bearer_auth(KEY).send().await;
            existing_id(server, &parents)
                .await
                .unwrap_or_else(|| sample(param.value_type, &param.enum_values, param.minimum))
        } else {
            sample(param.value_type, &param.enum_values, param.minimum)
        };
        path = path.replace(&format!("{{{name}}}"), &value);
        parents.push('/');
        parents.push_str(&value);
    }
    // The API's own answer is checked: a documented redirect (the download's 302) is not followed.
    let unfollowed = common::http_builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut request =
        unfollowed.request(op.method.parse().unwrap(), format!("{}{path}", server.url())).bearer_auth(KEY);
    let query: Vec<(String, String)> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query && p.required)
        .map(|p| (p.name.clone(), sample(p.value_type, &p.enum_values, p.minimum)))
        .collect();
    request = request.query(&query);
    for header in op.parameters.iter().filter(|p| p.location == ParameterLocation::Header && p.required) {
        request = request.header(header.name.as_str(), sample(header.value_type, &header.enum_values, header.minimum));
    }
    match &op.body {
        Some(body) if body.kind == BodyKind::Json => {
            let escaped = op.path.replace('~', "~0").replace('/', "~1");
            let pointer =
                format!("/paths/{escaped}/{}/requestBody/content/application~1json/schema", op.method.to_lowercase());
            let schema = spec.document.pointer(&pointer).expect("a JSON body schema");
            // A created item is a new one, past the seed's (SCIM answers 409 to a userName it has); an update
            // describes the seeded item at the path (SCIM refuses a changed userName).
            let index = if op.method == "POST" { 1000 } else { 0 };
            request = request.json(&schemas.generate(schema, index, "body"));
        }
        Some(body) => {
            let boundary = "conformance-boundary";
            let mut form = Vec::new();
            for field in &body.form_fields {
                form.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
                if field.binary {
                    form.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{}\"; filename=\"a.json\"\r\n\r\n{{}}\r\n",
                            field.name
                        )
                        .as_bytes(),
                    );
                } else {
                    let value = field.enum_values.first().and_then(Value::as_str).unwrap_or("x");
                    form.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{}\"\r\n\r\n{value}\r\n", field.name)
                            .as_bytes(),
                    );
                }
            }
            form.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
            request = request.header("content-type", format!("multipart/form-data; boundary={boundary}")).body(form);
        }
        None => {}
    }
    let response = request.send().await.expect("the mock answers");
    (response.status().as_u16(), response.bytes().await.expect("a body").to_vec())
}

/// Operations that need state generated arguments cannot name (a path a presigned URL was issued for, a
/// well-formed custom-integration file): the refusal they must give, status and message start.
/// `tests/files.rs` covers their success.
const NEEDS_STATE: &[(&str, &str, u16, &str)] = &[
    ("POST", "/files", 400, "no upload URL was issued"),
    // A seeded file record is not a custom-integration file.
    ("PUT", "/services/sync/custom", 400, "Illegal file structure"),
];

async fn every_operation_conforms(spec: LoadedSpec) -> usize {
    let server = start_with(MockConfig {
        spec: Some(spec.clone()),
        api_key: KEY.into(),
        seed: Seed::parse("3").unwrap(),
        ..MockConfig::default()
    })
    .await;
    let schemas = Schemas::new(&spec.document);
    let mut checked = 0;
    let mut failures = Vec::new();
    // Deletes last, so the items other calls use still exist.
    let mut operations: Vec<&Operation> = spec.operations.iter().collect();
    operations.sort_by_key(|op| op.method == "DELETE");
    for op in operations {
        let (status, body) = call(&server, &spec, op).await;
        if let Some((.., expected, message)) = NEEDS_STATE.iter().find(|(m, p, ..)| *m == op.method && *p == op.path) {
            let error: Value = serde_json::from_slice(&body).unwrap_or_default();
            let said = error["message"].as_str().unwrap_or_default();
            if status != *expected || !said.starts_with(message) || error["statusCode"] != *expected {
                failures.push(format!(
                    "{} {}: expected {expected} \"{message}…\", got {status} {error}",
                    op.method, op.path
                ));
            } else {
                checked += 1;
            }
            continue;
        }
        if status != op.success_status {
            failures.push(format!(
                "{} {}: status {status}, expected {}: {}",
                op.method,
                op.path,
                op.success_status,
                String::from_utf8_lossy(&body)
            ));
            continue;
        }
        let escaped = op.path.replace('~', "~0").replace('/', "~1");
        let pointer = format!(
            "/paths/{escaped}/{}/responses/{}/content/application~1json/schema",
            op.method.to_lowercase(),
            op.success_status
        );
        if let Some(schema) = spec.document.pointer(&pointer) {
            let value: Value = match serde_json::from_slice(&body) {
                Ok(value) => value,
                Err(e) => {
                    failures.push(format!("{} {}: body is not JSON ({e})", op.method, op.path));
                    continue;
                }
            };
            if let Err(problem) = schemas.validate(&value, schema, "response") {
                failures.push(format!("{} {}: {problem} in {value}", op.method, op.path));
                continue;
            }
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{} operations do not conform:\n{}", failures.len(), failures.join("\n"));
    checked
}

#[tokio::test]
async fn every_operation_of_the_embedded_spec_conforms() {
    let checked = every_operation_conforms(toriihq_mock::embedded_spec().unwrap()).await;
    assert_eq!(checked, 60);
}

#[tokio::test]
async fn every_operation_of_the_first_spec_conforms_with_no_code_change() {
    let spec = toriihq_spec::load_dir(&common::repo().join("spec/torii/1.1.0")).unwrap();
    let checked = every_operation_conforms(spec).await;
    assert_eq!(checked, 19);
}

#[test]
fn generated_values_are_deterministic() {
    let spec = toriihq_mock::embedded_spec().unwrap();
    let schemas = Schemas::new(&spec.document);
    let schema = &spec.document["components"]["schemas"]["SCIMUser"];
    assert_eq!(schemas.generate(schema, 4, "item"), schemas.generate(schema, 4, "item"));
    assert_ne!(schemas.generate(schema, 4, "item"), schemas.generate(schema, 5, "item"));
    let _ = json!(null);
}
