//! `cargo xtask spec-diff` over two small fixture versions that hold one of each kind of change.

use xtask::paths;

fn report() -> String {
    let dir = paths::root().join("xtask/tests/spec_diff");
    xtask::tasks::spec::report(&dir.join("v1").to_string_lossy(), &dir.join("v2").to_string_lossy()).unwrap()
}

#[test]
fn the_report_of_every_kind_of_change() {
    insta::with_settings!({ snapshot_path => "spec_diff" }, {
        insta::assert_snapshot!("v1_to_v2", report());
    });
}

#[test]
fn each_change_is_marked_breaking_or_not() {
    let report = report();
    for breaking in [
        "**breaking**: now `PUT /sync` (was `POST /sync`)",
        "**breaking**: path parameter `idThing` (Rust/Python `id_thing`, Node `idThing`) is integer (was string)",
        "**breaking**: the list is under `things` (was `data`)",
        "**breaking**: the object is now wrapped: read it from `thing`",
        "**breaking**: query parameter `owner` (`owner` in every package) added, required",
        "**breaking**: query parameter `colour` (`colour` in every package) removed",
        "**breaking**: body field `idFile` added, required",
        "**breaking**: answer field `things[].id` is integer (was string)",
        "**breaking**: answer field `thing.id` is integer (was string)",
    ] {
        assert!(report.contains(breaking), "missing {breaking:?} in\n{report}");
    }
    for compatible in [
        "compatible: query parameter `q` (`q` in every package) added",
        "compatible: answer field `total` added",
        "compatible: body field `note` added",
        "compatible: answer field `things[].colour` added",
    ] {
        assert!(report.contains(compatible), "missing {compatible:?} in\n{report}");
    }
    assert!(report.contains("| `GET /audit` | `list_audit` | `listAudit` |"), "{report}");
    assert!(report.contains("### Removed (breaking)\n\n- `getLegacy`"), "{report}");
    // a schema renamed with the same fields is no change, and moved fields are not reported as removed
    assert!(!report.contains("things[].name"), "{report}");
    assert!(!report.contains("answer field `id` removed"), "{report}");
}

#[test]
fn the_real_update_reports_what_users_must_change() {
    let report = xtask::tasks::spec::report("1.1.0", "2026-03").unwrap();
    assert!(report.contains("41 operations added, 0 removed, 19 changed"), "{report}");
    let section = |name: &str| {
        let start = report.find(&format!("#### `{name}`")).unwrap_or_else(|| panic!("no section for {name}"));
        let rest = &report[start + 5..];
        rest[..rest.find("#### ").unwrap_or(rest.len())].to_string()
    };
    assert!(section("getApps").contains("**breaking**: the list is under `apps` (was `data`)"));
    assert!(section("getContract").contains("**breaking**: the object is now wrapped: read it from `contract`"));
    assert!(
        section("getContract")
            .contains("`idContract` (Rust/Python `id_contract`, Node `idContract`) is integer (was string)")
    );
    assert!(
        section("syncCustomIntegration")
            .contains("**breaking**: now `PUT /services/sync/custom` (was `POST /services/sync/custom`)")
    );
}
