//! A spec change reaches every language with no other edit: copy the built spec, add one operation, generate
//! into a temporary directory, and find the new operation in the Rust client, the Python glue and its types.

use xtask::paths;

const NEW_OPERATION: &str = r#"
  /roles:
    get:
      operationId: listRoles
      summary: List roles
      parameters:
        - {name: includeAdmins, in: query, schema: {type: boolean}}
      responses:
        '200':
          description: Roles.
          content:
            application/json:
              schema:
                type: object
                properties:
                  roles:
                    type: array
                    items: {type: object, properties: {id: {type: integer}, systemKey: {type: string}}}
"#;

#[test]
fn an_added_operation_reaches_rust_python_and_node() {
    let dir = std::env::temp_dir().join(format!("toriihq-regeneration-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_dir = paths::built_spec_dir().unwrap();
    let document = std::fs::read_to_string(spec_dir.join("openapi.yaml")).unwrap();
    let with_roles = document.replacen("paths:\n", &format!("paths:{NEW_OPERATION}"), 1);
    assert_ne!(with_roles, document, "the operation was not inserted");
    std::fs::write(dir.join("openapi.yaml"), with_roles).unwrap();
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

    assert!(rust.contains("pub fn list_roles(&self) -> builder::ListRoles<'_>"), "Rust client lacks list_roles");
    assert!(rust.contains("pub fn include_admins<V>"), "Rust builder lacks the parameter");
    assert!(python.operations.contains("def list_roles(self, *, include_admins: bool | None = None"), "no sync method");
    assert!(
        python.operations.contains("async def list_roles(self, *, include_admins: bool | None = None"),
        "no async method"
    );
    assert!(python.operations.contains("-> types.ListRolesResponse:"), "no typed return");
    assert!(python.types.contains("class ListRolesResponse(TypedDict, total=False):"), "no TypedDict for the answer");
    assert!(
        python.types.contains("class ListRolesResponseRolesItem(TypedDict, total=False):"),
        "no TypedDict for the items"
    );
    assert!(node.operations.contains("listRoles(params, options) {"), "no Node method");
    assert!(
        node.operations.contains("this._call(\"listRoles\", params, options)"),
        "the Node method does not call the core"
    );
    assert!(
        node.declarations
            .contains("listRoles(params?: ListRolesParams, options?: RequestOptions): Promise<ListRolesResponse>"),
        "no declaration"
    );
    assert!(
        node.declarations.contains("export interface ListRolesParams {\n  includeAdmins?: boolean"),
        "no params interface"
    );
    assert!(node.declarations.contains("export interface ListRolesResponseRolesItem {"), "no item interface");
    std::fs::remove_dir_all(&dir).unwrap();
}
