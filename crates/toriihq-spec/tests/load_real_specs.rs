//! The loader against the project's own spec and the docs spec of the real API.

use std::path::{Path, PathBuf};

use toriihq_spec::{Pagination, load_dir};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_built_spec_loads_with_its_overlay() {
    let spec = load_dir(&repo().join("spec/torii/1.1.0")).expect("loads");
    assert_eq!(spec.document["openapi"], "3.0.3");
    assert_eq!(spec.operations.len(), 19);
    assert_eq!(spec.report.error_schema.as_deref(), Some("ApiError"));
    assert_eq!(spec.report.multipart_operations, vec!["uploadFile".to_string()]);
    assert_eq!(spec.report.hoisted_parameter_schemas, vec!["ApiVersion".to_string()]);
    let get_apps = spec.operations.iter().find(|o| o.id == "getApps").unwrap();
    assert!(matches!(&get_apps.pagination, Pagination::Cursor { items_field, .. } if items_field == "data"));
    let scim = spec.operations.iter().find(|o| o.id == "listScimUsers").unwrap();
    assert!(matches!(&scim.pagination, Pagination::ScimOffset { items_field, .. } if items_field == "Resources"));
    let size = get_apps.parameters.iter().find(|p| p.name == "size").unwrap();
    assert_eq!(size.maximum, Some(1000.0));
    // every 4xx of every operation now has the one error body
    let contract_404 = &spec.document["paths"]["/contracts/{idContract}"]["get"]["responses"]["404"];
    assert_eq!(contract_404["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ApiError");
}

#[test]
fn the_docs_spec_of_the_real_api_loads_without_an_overlay() {
    let spec = load_dir(&repo().join("spec/torii/docs-2026-03")).expect("loads");
    assert_eq!(spec.operations.len(), 60);
    assert!(!spec.report.punctuation_enums.is_empty(), "the dateFormat enum collides once turned into Rust names");
    let users = spec.operations.iter().find(|o| o.path == "/users" && o.method == "GET").unwrap();
    assert!(matches!(&users.pagination, Pagination::Cursor { items_field, .. } if items_field == "users"));
    let scim = spec.operations.iter().find(|o| o.path == "/scim/v2/Users" && o.method == "GET").unwrap();
    assert!(matches!(&scim.pagination, Pagination::ScimOffset { .. }));
    assert_eq!(spec.report.renamed_schemas.get("apps").map(String::as_str), Some("AppsList"));
    assert_eq!(spec.report.error_schema.as_deref(), Some("errorResponse"));
    // `*/*` answers became JSON ones
    let org = &spec.document["paths"]["/orgs/my"]["get"]["responses"]["200"]["content"];
    assert!(org.get("application/json").is_some() && org.get("*/*").is_none());
}
