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
fn the_real_api_spec_loads_with_the_projects_names_and_fixes() {
    let spec = load_dir(&repo().join("spec/torii/2026-03")).expect("loads");
    assert_eq!(spec.operations.len(), 60);
    let op = |name: &str| spec.operations.iter().find(|o| o.id == name).unwrap_or_else(|| panic!("no {name}"));
    // names: the 1.1.0 ones kept, no mechanical operationId left
    for kept in ["getApps", "getContract", "updateContract", "syncCustomIntegration", "listScimUsers", "uploadFile"] {
        op(kept);
    }
    assert!(spec.operations.iter().all(|o| !o.id.contains("Id") || o.id.ends_with("Id")), "mechanical names left");
    assert_eq!(
        (op("syncCustomIntegration").method.as_str(), op("getContract").path.as_str()),
        ("PUT", "/contracts/{idContract}")
    );
    // schema names: no ModelN, no lower-case duplicates
    let schemas = spec.document["components"]["schemas"].as_object().unwrap();
    assert!(
        schemas.keys().all(|k| !k.starts_with("Model") && k.starts_with(|c: char| c.is_ascii_uppercase())),
        "{:?}",
        schemas.keys().collect::<Vec<_>>()
    );
    assert!(
        spec.report.renamed_schemas.is_empty(),
        "the overlay names every schema: {:?}",
        spec.report.renamed_schemas
    );
    // x-alternatives became oneOf: aggregations is a number or an array of buckets
    let aggregations = &schemas["AppsPage"]["properties"]["aggregations"];
    assert_eq!(aggregations["oneOf"][1]["$ref"], "#/components/schemas/Aggregations", "{aggregations}");
    assert!(spec.document.get("x-alt-definitions").is_none());
    // paging: the real list keys, offset paging on the workflow audit, either key for action executions
    let items = |name: &str| op(name).pagination.items_fields().join(",");
    assert_eq!(items("getApps"), "apps");
    assert_eq!(items("getUsers"), "users");
    assert_eq!(items("listAppUsers"), "users");
    assert_eq!(items("getAudit"), "audit");
    assert_eq!(items("listContracts"), "contracts");
    assert_eq!(items("getWorkflowActionExecutions"), "response,actionExecutions");
    assert!(
        matches!(&op("listScimUsers").pagination, Pagination::ScimOffset { items_field, .. } if items_field == "Resources")
    );
    assert!(matches!(&op("getWorkflowAudit").pagination, Pagination::Offset { offset_param, limit_param, items_field }
        if offset_param == "offset" && limit_param == "limit" && items_field == "audit"));
    // ids are integers; the upload's `type` is a required, typed form field; rate limits are numbers
    let id = op("getContract").parameters.iter().find(|p| p.name == "idContract").unwrap();
    assert_eq!(id.value_type, toriihq_spec::ValueType::Integer);
    let form = &op("uploadFile").body.as_ref().unwrap().form_fields;
    let kind = form.iter().find(|f| f.name == "type").unwrap();
    assert!(kind.required && kind.enum_values.len() == 4, "{kind:?}");
    assert_eq!(op("getUser").rate_limit_per_minute, Some(800));
    assert_eq!(op("createAppField").rate_limit_per_minute, Some(50));
    assert!(spec.operations.iter().all(|o| o.rate_limit_per_minute.is_some()));
    assert_eq!(op("createScimUser").success_status, 201);
    assert_eq!(spec.report.error_schema.as_deref(), Some("ApiError"));
}

#[test]
fn a_schema_name_that_matches_nothing_is_refused() {
    let document = r#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"Model1": {"type": "object"}}}}"#;
    let overlay = r#"{"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
        {"target": "$.components", "update": {"x-toriihq-schema-names": {"Model1": "Thing", "Model2": "Other"}}}]}"#;
    let error = toriihq_spec::load_str(document, Some(overlay)).unwrap_err().to_string();
    assert!(error.contains("Model2") && !error.contains("Model1,"), "{error}");
}
