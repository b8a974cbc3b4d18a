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
    let rust = xtask::rust_client::generate(&spec, &Default::default()).unwrap();
    let python = xtask::python::generate(&spec);
    let node = xtask::node::generate(&spec);
    std::fs::write(dir.join("generated.rs"), &rust).unwrap();
    std::fs::write(dir.join("_operations.py"), &python.operations).unwrap();
    std::fs::write(dir.join("types.py"), &python.types).unwrap();
    std::fs::write(dir.join("operations.js"), &node.operations).unwrap();
    std::fs::write(dir.join("index.d.ts"), &node.declarations).unwrap();

    assert!(
        rust.contains("pub fn list_licenses(&self) -> builder::ListLicenses<'_>"),
        "Rust client lacks list_licenses"
    );
    assert!(rust.contains("pub fn include_expired<V>"), "Rust builder lacks the parameter");
    assert!(
        python.operations.contains("def list_licenses(self, *, include_expired: bool | None = None"),
        "no sync method"
    );
    assert!(
        python.operations.contains("async def list_licenses(self, *, include_expired: bool | None = None"),
        "no async method"
    );
    assert!(python.operations.contains("-> types.ListLicensesResponse:"), "no typed return");
    assert!(
        python.types.contains("class ListLicensesResponse(TypedDict, total=False):"),
        "no TypedDict for the answer"
    );
    assert!(
        python.types.contains("class ListLicensesResponseLicensesItem(TypedDict, total=False):"),
        "no TypedDict for the items"
    );
    assert!(node.operations.contains("listLicenses(params, options) {"), "no Node method");
    assert!(
        node.operations.contains("this._call(\"listLicenses\", params, options)"),
        "the Node method does not call the core"
    );
    assert!(
        node.declarations.contains(
            "listLicenses(params?: ListLicensesParams, options?: RequestOptions): Promise<ListLicensesResponse>"
        ),
        "no declaration"
    );
    assert!(
        node.declarations.contains("export interface ListLicensesParams {\n  includeExpired?: boolean"),
        "no params interface"
    );
    assert!(node.declarations.contains("export interface ListLicensesResponseLicensesItem {"), "no item interface");
    std::fs::remove_dir_all(&dir).unwrap();
}
