//! `cargo xtask drift`: a draft made from strict-mode reports, applied to the spec, makes the drift go away.

use serde_json::{Value, json};
use toriihq_spec::drift::{DifferenceKind, DriftReport, differences};
use toriihq_spec::schema::Schemas;
use xtask::tasks::drift;

const APPS_PAGE: &str = "#/paths/~1apps/get/responses/200/content/application~1json/schema";
const SCIM_USERS: &str = "#/paths/~1scim~1v2~1Users/get/responses/200/content/application~1json/schema";

fn report(document: &Value, operation: &str, pointer: &str, answer: &Value) -> DriftReport {
    let (differences, omitted) = differences(Schemas::new(document), answer, pointer);
    DriftReport {
        operation: operation.into(),
        method: "GET".into(),
        route: String::new(),
        status: 200,
        differences,
        omitted,
    }
}

#[test]
fn a_draft_applied_to_the_spec_leaves_no_difference() {
    let spec_dir = xtask::paths::built_spec_dir().unwrap();
    let spec = toriihq_spec::load_dir(&spec_dir).unwrap();
    let apps = json!({
        "apps": [{"id": 1, "name": "Slack", "primaryOwner": {"email": null, "lifecycleStatus": "suspended"}}],
        "count": 1,
        "renewalOwner": "ada@example.com"
    });
    let scim = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": []});
    let reports = [
        report(&spec.document, "getApps", APPS_PAGE, &apps),
        report(&spec.document, "listScimUsers", SCIM_USERS, &scim),
    ];
    let kinds: Vec<DifferenceKind> = reports.iter().flat_map(|r| r.differences.iter().map(|d| d.kind)).collect();
    for kind in
        [DifferenceKind::Undeclared, DifferenceKind::WrongType, DifferenceKind::NotAllowed, DifferenceKind::Missing]
    {
        assert!(kinds.contains(&kind), "the answers were meant to show every kind: {reports:?}");
    }

    // Through the report file's format, as a user hands it over.
    let lines: Vec<String> = reports.iter().map(|r| serde_json::to_string(r).unwrap()).collect();
    let parsed = drift::parse_reports(&lines.join("\n")).unwrap();
    assert_eq!(parsed, reports);
    let draft = drift::draft(&parsed, &spec_dir).unwrap();
    assert!(draft.unplaced.is_empty(), "{:?}", draft.unplaced);
    assert!(draft.yaml.contains("renewalOwner"), "{}", draft.yaml);

    let read = |path: std::path::PathBuf| std::fs::read_to_string(path).unwrap();
    let document_path = toriihq_spec::document_path(&spec_dir).unwrap();
    let mut document = toriihq_spec::parse_document(&read(document_path), "document").unwrap();
    let overlay = toriihq_spec::parse_document(&read(spec_dir.join(toriihq_spec::OVERLAY_FILE)), "overlay").unwrap();
    toriihq_spec::apply_overlay(&mut document, &overlay).unwrap();
    toriihq_spec::apply_overlay(&mut document, &json!({"overlay": "1.0.0", "actions": draft.actions})).unwrap();
    toriihq_spec::normalise(&mut document);
    for (answer, pointer) in [(&apps, APPS_PAGE), (&scim, SCIM_USERS)] {
        let (left, omitted) = differences(Schemas::new(&document), answer, pointer);
        assert_eq!((left, omitted), (vec![], 0), "after the draft:\n{}", draft.yaml);
    }
}

#[test]
fn an_errors_detail_is_a_report_too() {
    let detail = json!({"kind": "spec_drift", "drift": {"operation": "getApps", "method": "GET", "route": "/apps",
        "status": 200, "differences": []}});
    let reports = drift::parse_reports(&format!("[{detail}]")).unwrap();
    assert_eq!(reports[0].operation, "getApps");
    assert!(drift::parse_reports("{\"not\": \"a report\"}").is_err());
}
