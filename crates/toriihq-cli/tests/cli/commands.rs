//! The command tree: every group on `--help`, and a new operation of the spec as a command with no other edit.

use toriihq_cli::commands::build;

use super::*;

#[test]
fn help_lists_every_group_and_the_exit_codes() {
    let output = Command::new(env!("CARGO_BIN_EXE_toriihq")).arg("--help").output().unwrap();
    assert_eq!(code(&output), 0);
    let help = stdout(&output);
    for name in toriihq_cli::name_all(toriihq::operations(), &[]).iter().map(|n| n.group.as_str()) {
        assert!(help.contains(&format!("  {name} ")), "{name} is not in --help:\n{help}");
    }
    for group in ["sync", "mock", "completions"] {
        assert!(help.contains(group), "{help}");
    }
    assert!(help.contains("4  not found (404)") && help.contains("7  connection failure or timeout"), "{help}");
}

#[test]
fn every_operation_has_exactly_one_command() {
    let operations = toriihq::operations();
    let (command, targets) = build(operations);
    let operation_targets =
        targets.values().filter(|t| matches!(t, toriihq_cli::commands::Target::Operation(_))).count();
    assert_eq!(operation_targets, operations.len());
    for (group, action) in targets.keys().filter(|(_, action)| !action.is_empty()) {
        let found = command.find_subcommand(group).and_then(|g| g.find_subcommand(action));
        assert!(found.is_some(), "{group} {action}");
    }
}

#[test]
fn an_operation_added_to_the_spec_is_a_command_with_its_flags() {
    let spec_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/torii/2026-03");
    let document = std::fs::read_to_string(toriihq_spec::document_path(&spec_dir).unwrap()).unwrap();
    let mut overlay: serde_json::Value =
        toriihq_spec::parse_document(&std::fs::read_to_string(spec_dir.join("overlay.yaml")).unwrap(), "o").unwrap();
    overlay["actions"].as_array_mut().unwrap().push(serde_json::json!({
        "target": "$.paths",
        "update": {"/widgets/{idWidget}": {"get": {
            "operationId": "getWidget", "tags": ["Widgets"], "summary": "Get a widget",
            "parameters": [
                {"name": "idWidget", "in": "path", "required": true, "schema": {"type": "integer"}},
                {"name": "colour", "in": "query", "schema": {"type": "string", "enum": ["red", "blue"]}}
            ],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
        }}}
    }));
    let spec = toriihq_spec::load_str(&document, Some(&overlay.to_string())).unwrap();
    let (command, _) = build(&spec.operations);
    let matches = command
        .clone()
        .try_get_matches_from(["toriihq", "widgets", "get", "7", "--colour", "red"])
        .expect("the new operation is a command");
    let (_, leaf) = matches.subcommand().unwrap().1.subcommand().unwrap();
    assert_eq!(leaf.get_one::<i64>("param:idWidget"), Some(&7));
    let refused = command.try_get_matches_from(["toriihq", "widgets", "get", "7", "--colour", "green"]);
    assert!(refused.is_err(), "the enum is checked");
}
