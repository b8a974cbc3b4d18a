//! A spec change reaches every language with no other edit: copy the built spec, add one operation, generate
//! into a temporary directory, and find the new operation in the Rust client, the Python glue and its types, and
//! the Node methods and declarations.

use xtask::paths;

/// An operation the built spec does not have, as a spec update would bring it.
fn new_operation() -> serde_json::Value {
    serde_json::json!({"get": {
        "operationId": "listLicenses",
        "summary": "List licenses",
        "parameters": [{"name": "includeExpired", "in": "query", "schema": {"type": "boolean"}}],
        "responses": {"200": {"description": "Licenses.", "content": {"application/json": {"schema": {
            "type": "object",
            "properties": {"licenses": {"type": "array", "items": {
                "type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}}}
        }}}}}
    }})
}

#[test]
fn an_added_operation_reaches_rust_python_and_node() {
    let dir = std::env::temp_dir().join(format!("toriihq-regeneration-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_dir = paths::built_spec_dir().unwrap();
    let document_path = toriihq_spec::document_path(&spec_dir).unwrap();
    let mut document = toriihq_spec::parse_document(&std::fs::read_to_string(document_path).unwrap(), "spec").unwrap();
    assert!(document["paths"].get("/licenses").is_none(), "the built spec already has the new operation");
    document["paths"]["/licenses"] = new_operation();
    std::fs::write(dir.join("openapi.json"), serde_json::to_string_pretty(&document).unwrap()).unwrap();
    std::fs::copy(spec_dir.join("overlay.yaml"), dir.join("overlay.yaml")).unwrap();

    let spec = toriihq_spec::load_dir(&dir).unwrap();
    let rust = xtask::generators::rust::generate(&spec, &Default::default()).unwrap();
    let python = xtask::generators::python::generate(&spec).unwrap();
    let node = xtask::generators::node::generate(&spec).unwrap();
    std::fs::write(dir.join("generated.rs"), &rust).unwrap();
    std::fs::write(dir.join("_operations.py"), &python.operations).unwrap();
    std::fs::write(dir.join("types.py"), &python.types).unwrap();
    std::fs::write(dir.join("operations.js"), &node.operations).unwrap();
    std::fs::write(dir.join("index.d.ts"), &node.declarations).unwrap();

    // (generated text, what it must contain, what is missing otherwise)
    let expected: [(&str, &str, &str); 14] = [
        (&rust, "pub fn list_licenses(&self) -> builder::ListLicenses<'_>", "Rust client lacks list_licenses"),
        (&rust, "pub fn include_expired<V>", "Rust builder lacks the parameter"),
        (&python.operations, "def list_licenses(self, *, include_expired: bool | None = None", "no sync method"),
        (&python.operations, "async def list_licenses(self, *, include_expired: bool | None = None", "no async method"),
        (&python.operations, "-> types.ListLicensesResponse:", "no typed return"),
        (&python.types, "class ListLicensesResponse(TypedDict, total=False):", "no TypedDict for the answer"),
        (&python.operations, "self.list_licenses = wrap(client.list_licenses)", "no raw-response form"),
        (
            &python.types,
            "class ListLicensesResponseLicensesItem(TypedDict, total=False):",
            "no TypedDict for the items",
        ),
        (&node.operations, "listLicenses(params, options) {", "no Node method"),
        (&node.operations, "this._call(\"listLicenses\", params, options)", "the Node method does not call the core"),
        (
            &node.declarations,
            "listLicenses(params?: ListLicensesParams, options?: RequestOptions): APIPromise<ListLicensesResponse>",
            "no declaration",
        ),
        (
            &node.declarations,
            "export interface ListLicensesParams {\n  includeExpired?: boolean",
            "no params interface",
        ),
        (&node.declarations, "export interface ListLicensesResponseLicensesItem {", "no item interface"),
        (&node.spec_declarations, "listLicenses(", "the spec's part of the declarations lacks it"),
    ];
    for (text, needle, missing) in expected {
        assert!(text.contains(needle), "{missing}: `{needle}`");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
