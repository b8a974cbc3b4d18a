//! Snapshots of the generator: one per fixture spec (what is snapshotted is also compiled, by the
//! `fixture-check` crate), and the API surface of the spec the packages are built from.

use std::collections::BTreeSet;

use xtask::generators::{fixtures, surface};
use xtask::paths;

#[test]
fn every_fixture_generates_the_reviewed_code() {
    for name in fixtures::names().unwrap() {
        let code = fixtures::generate_fixture(&name).unwrap_or_else(|e| panic!("{name}: {e:#}"));
        insta::assert_snapshot!(name.clone(), code);
    }
}

/// The Python and Node packages' generated methods and types for the same fixtures.
#[test]
fn every_fixture_generates_the_reviewed_python_and_node() {
    for name in fixtures::names().unwrap() {
        let spec = fixtures::load_fixture(&name).unwrap();
        let python = xtask::generators::python::generate(&spec).unwrap();
        let python = format!("# _operations.py\n{}\n# types.py\n{}", python.operations, python.types);
        insta::assert_snapshot!(format!("{name}_python"), python);
        let node = xtask::generators::node::generate(&spec).unwrap();
        let node = format!(
            "// operations.js\n{}\n// index.d.ts (the spec's part)\n{}",
            node.operations, node.spec_declarations
        );
        insta::assert_snapshot!(format!("{name}_node"), node);
    }
}

#[test]
fn the_api_surface_of_the_built_spec() {
    let spec = toriihq_spec::load_dir(&paths::built_spec_dir().unwrap()).unwrap();
    let code = xtask::generators::rust::generate(&spec, &Default::default()).unwrap();
    insta::assert_snapshot!("api_surface", surface::api_surface(&code).unwrap());
}

/// The equivalent of `cargo insta test --unreferenced=reject`: no snapshot outlives its fixture.
#[test]
fn no_snapshot_is_left_without_a_fixture() {
    let mut expected: BTreeSet<String> =
        fixtures::names().unwrap().into_iter().map(|n| format!("snapshots__{n}.snap")).collect();
    for name in fixtures::names().unwrap() {
        expected.insert(format!("snapshots__{name}_python.snap"));
        expected.insert(format!("snapshots__{name}_node.snap"));
    }
    expected.insert("snapshots__api_surface.snap".into());
    let dir = paths::root().join("xtask/tests/snapshots");
    let found: BTreeSet<String> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect())
        .unwrap_or_default();
    let orphans: Vec<&String> = found.difference(&expected).collect();
    assert!(orphans.is_empty(), "snapshots without a fixture (delete them): {orphans:?}");
}

#[test]
fn generating_twice_gives_the_same_output() {
    let spec = toriihq_spec::load_dir(&paths::built_spec_dir().unwrap()).unwrap();
    let first = xtask::generators::rust::generate(&spec, &Default::default()).unwrap();
    let again = toriihq_spec::load_dir(&paths::built_spec_dir().unwrap()).unwrap();
    assert_eq!(first, xtask::generators::rust::generate(&again, &Default::default()).unwrap());
}
