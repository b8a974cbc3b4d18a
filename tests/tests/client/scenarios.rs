//! Every cross-language scenario in `tests/scenarios/`, with the Rust client against `toriihq-mock`.

use toriihq_tests::scenario::{BulkVia, Scenario, run, run_with};

#[tokio::test]
async fn every_scenario_passes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "scenarios are missing from {}", dir.display());
    let mut failures = Vec::new();
    for file in &files {
        let scenario: Scenario = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Err(problem) = run(&scenario).await {
            failures.push(format!("{} ({}): {problem}", file.display(), scenario.name));
        }
    }
    assert!(failures.is_empty(), "{} scenarios failed:\n{}", failures.len(), failures.join("\n"));
}

/// The scenarios with bulk steps, those steps run by the command line's `--from` (results read from `--results`).
#[tokio::test]
async fn the_bulk_scenarios_pass_through_the_command_line() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut ran = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if path.extension().is_none_or(|x| x != "json") || !text.contains("\"bulk\"") {
            continue;
        }
        let scenario: Scenario = serde_json::from_str(&text).unwrap();
        if let Err(problem) = run_with(&scenario, BulkVia::CommandLine).await {
            panic!("{} ({}): {problem}", path.display(), scenario.name);
        }
        ran += 1;
    }
    assert!(ran >= 1, "no scenario with bulk steps in {}", dir.display());
}
