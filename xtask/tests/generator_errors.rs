//! What the generator says when it cannot generate: the operation, not a progenitor backtrace.

/// Two different JSON success bodies on one operation: progenitor cannot give it one return type.
const TWO_SUCCESS_BODIES: &str = r#"
openapi: 3.0.3
info: {title: Broken, version: 1.0.0}
paths:
  /fine:
    get:
      operationId: getFine
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
  /things:
    post:
      operationId: createThing
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
        '201': {description: made, content: {application/json: {schema: {type: array, items: {type: integer}}}}}
"#;

#[test]
fn a_progenitor_failure_names_the_operation() {
    let spec = toriihq_spec::load_str(TWO_SUCCESS_BODIES, None).unwrap();
    let error = xtask::generators::rust::generate(&spec, &Default::default()).unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("`createThing` (POST /things)"), "{message}");
    assert!(!message.contains("getFine"), "only the failing operation is named: {message}");
}

/// An operation spelled like a workflow: a call by that name could mean either, so the generator refuses it.
#[test]
fn an_operation_spelled_like_a_workflow_is_refused() {
    let spec = |operation_id: &str| {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: Clash, version: 1.0.0}}\npaths:\n  /files/{{id}}/content:\n    get:\n      \
             operationId: {operation_id}\n      parameters: [{{name: id, in: path, required: true, schema: {{type: integer}}}}]\n      \
             responses:\n        '200': {{description: ok}}\n"
        );
        toriihq_spec::load_str(&text, None).unwrap()
    };
    for clash in ["download", "offboardUser", "offboard_user"] {
        let error = xtask::generators::workflows::check_names(&spec(clash)).unwrap_err().to_string();
        assert!(error.contains(&format!("`{clash}`")) && error.contains("workflow"), "{error}");
    }
    xtask::generators::workflows::check_names(&spec("getFileContent")).unwrap();
}
