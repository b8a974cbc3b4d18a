//! `cargo xtask drift REPORT…`: strict-mode reports (the JSON lines a client appends to `strict_report`, or a
//! `SpecDriftError`'s `drift`) turned into a draft of overlay actions for the built spec version — one action per
//! distinct difference, targeted at the document as the overlay sees it (the spec's own schema names, before
//! normalisation renames them). The draft is applied to the document before it is printed: an action whose target
//! matches nothing is reported, not printed.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use toriihq_spec::drift::{Difference, DifferenceKind, DriftReport};

use crate::paths;

pub fn run(files: &[&str]) -> Result<()> {
    if files.is_empty() {
        bail!("drift takes one or more report files (JSON lines from `strict_report`, or an error's `drift`)");
    }
    let mut reports = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
        reports.extend(parse_reports(&text).with_context(|| format!("reading reports from {file}"))?);
    }
    let spec_dir = paths::built_spec_dir()?;
    let draft = draft(&reports, &spec_dir)?;
    print!("{}", draft.yaml);
    for problem in &draft.unplaced {
        eprintln!("not drafted: {problem}");
    }
    Ok(())
}

/// Reports from JSON lines, one JSON array, or objects holding a report under `drift` (an error's detail).
pub fn parse_reports(text: &str) -> Result<Vec<DriftReport>> {
    let trimmed = text.trim_start();
    let values: Vec<Value> = if trimmed.starts_with('[') {
        serde_json::from_str(trimmed)?
    } else {
        let lines = text.lines().filter(|line| !line.trim().is_empty());
        lines.map(serde_json::from_str).collect::<Result<_, _>>()?
    };
    values
        .into_iter()
        .map(|value| {
            let report = value.get("drift").cloned().unwrap_or(value);
            serde_json::from_value(report).context("not a strict-mode report")
        })
        .collect()
}

pub struct Draft {
    /// Overlay actions (YAML), ready to append to the version's `overlay.yaml` once reviewed.
    pub yaml: String,
    /// The actions themselves.
    pub actions: Vec<Value>,
    /// Differences no action could be made for, and why.
    pub unplaced: Vec<String>,
}

pub fn draft(reports: &[DriftReport], spec_dir: &Path) -> Result<Draft> {
    let document_path = toriihq_spec::document_path(spec_dir)?;
    let mut document = toriihq_spec::parse_document(&std::fs::read_to_string(&document_path)?, "the document")?;
    let overlay_path = spec_dir.join(toriihq_spec::OVERLAY_FILE);
    if overlay_path.exists() {
        let overlay = toriihq_spec::parse_document(&std::fs::read_to_string(&overlay_path)?, "the overlay")?;
        toriihq_spec::apply_overlay(&mut document, &overlay)?;
    }
    let spec = toriihq_spec::load_dir(spec_dir)?;
    let original_names = original_schema_names(&spec.report);

    let mut seen: BTreeMap<(DifferenceKind, String, String), (String, Difference)> = BTreeMap::new();
    for report in reports {
        for difference in &report.differences {
            seen.entry((difference.kind, difference.schema.clone(), last_key(&difference.path)))
                .or_insert((report.operation.clone(), difference.clone()));
        }
    }
    let mut actions = Vec::new();
    let mut unplaced = Vec::new();
    for (operation, difference) in seen.values() {
        let pointer = original_pointer(&difference.schema, &original_names);
        let Some(target) = json_path(&document, &pointer) else {
            unplaced.push(format!("{} ({}): {pointer} is not in the document", difference, operation));
            continue;
        };
        let action = action(operation, difference, &target);
        let mut trial = document.clone();
        match toriihq_spec::apply_overlay(&mut trial, &json!({"overlay": "1.0.0", "actions": [action.clone()]})) {
            Ok(()) => {
                document = trial;
                actions.push(action);
            }
            Err(error) => unplaced.push(format!("{difference} ({operation}): {error}")),
        }
    }
    let mut yaml = format!(
        "# Drafted by `cargo xtask drift` from {} report{}: review each action, then add it to {}.\n",
        reports.len(),
        if reports.len() == 1 { "" } else { "s" },
        overlay_path.strip_prefix(paths::root()).unwrap_or(&overlay_path).display()
    );
    for action in &actions {
        yaml.push_str(&format!(
            "  - target: {}\n    description: {}\n",
            Value::from(action["target"].as_str().unwrap_or_default()),
            action["description"]
        ));
        if action.get("remove") == Some(&Value::Bool(true)) {
            yaml.push_str("    remove: true\n");
        } else {
            yaml.push_str(&format!("    update: {}\n", action["update"]));
        }
    }
    Ok(Draft { yaml, actions, unplaced })
}

/// One action: declare an undeclared key, stop requiring a missing one, take the type or value that came.
fn action(operation: &str, difference: &Difference, target: &str) -> Value {
    let key = last_key(&difference.path);
    let found = &difference.found;
    let (description, change) = match difference.kind {
        DifferenceKind::Undeclared => (
            format!("Torii sends `{key}` ({found}) in {operation} answers (strict-mode report)."),
            json!({"target": format!("{target}.properties"), "update": {key.as_str(): schema_of_type(found)}}),
        ),
        DifferenceKind::Missing => (
            format!("Torii leaves out `{key}` in {operation} answers (strict-mode report)."),
            json!({"target": format!("{target}.required[?@ == '{key}']"), "remove": true}),
        ),
        DifferenceKind::WrongType if found == "null" => (
            format!("Torii sends null for `{key}` in {operation} answers (strict-mode report)."),
            json!({"target": target, "update": {"nullable": true}}),
        ),
        DifferenceKind::WrongType => (
            format!(
                "Torii sends `{key}` as {found}, not {}, in {operation} answers (strict-mode report).",
                difference.expected
            ),
            json!({"target": target, "update": {"type": found}}),
        ),
        DifferenceKind::NotAllowed => {
            let value: Value = serde_json::from_str(found).unwrap_or_else(|_| Value::from(found.as_str()));
            (
                format!("Torii sends `{key}` = {found} in {operation} answers (strict-mode report)."),
                json!({"target": format!("{target}.enum"), "update": [value]}),
            )
        }
    };
    let mut action = change;
    action["description"] = Value::from(description);
    action
}

fn schema_of_type(found: &str) -> Value {
    match found {
        "null" => json!({"nullable": true}),
        "array" => json!({"type": "array", "items": {}}),
        other => json!({"type": other}),
    }
}

/// The key a path ends with: `renewalOwner` in `$.apps[*].renewalOwner`, `odd key` in `$['odd key']`; array
/// markers at the end are dropped.
fn last_key(path: &str) -> String {
    let path = path.trim_end_matches("[*]");
    if let Some(rest) = path.strip_suffix("']")
        && let Some(start) = rest.rfind("['")
    {
        return rest[start + 2..].replace("\\'", "'");
    }
    path.rsplit('.').next().unwrap_or(path).to_string()
}

/// Normalised schema name → the document's own, undoing both renames normalisation makes.
fn original_schema_names(report: &toriihq_spec::NormaliseReport) -> BTreeMap<String, String> {
    let mut names: BTreeMap<String, String> =
        report.project_schema_names.iter().map(|(old, new)| (new.clone(), old.clone())).collect();
    for (old, new) in &report.renamed_schemas {
        let original = names.get(old).cloned().unwrap_or_else(|| old.clone());
        names.insert(new.clone(), original);
    }
    names
}

fn original_pointer(pointer: &str, names: &BTreeMap<String, String>) -> String {
    let pointer = pointer.trim_start_matches('#');
    let Some(rest) = pointer.strip_prefix("/components/schemas/") else { return pointer.to_string() };
    let (name, tail) = rest.split_once('/').map_or((rest, ""), |(name, tail)| (name, tail));
    let name = names.get(name).map_or(name, String::as_str);
    if tail.is_empty() { format!("/components/schemas/{name}") } else { format!("/components/schemas/{name}/{tail}") }
}

/// A JSON pointer as the JSONPath the overlay's targets are written in, when it leads somewhere in `document`.
fn json_path(document: &Value, pointer: &str) -> Option<String> {
    let mut at = document;
    let mut path = String::from("$");
    for raw in pointer.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        match at {
            Value::Array(items) => {
                let index: usize = segment.parse().ok()?;
                at = items.get(index)?;
                path.push_str(&format!("[{index}]"));
            }
            Value::Object(map) => {
                at = map.get(&segment)?;
                let plain = segment.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && segment.starts_with(|c: char| c.is_ascii_alphabetic());
                if plain {
                    path.push_str(&format!(".{segment}"));
                } else {
                    path.push_str(&format!("['{}']", segment.replace('\'', "\\'")));
                }
            }
            _ => return None,
        }
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_off_the_end_of_a_path() {
        assert_eq!(last_key("$.apps[*].renewalOwner"), "renewalOwner");
        assert_eq!(last_key("$.apps[*]['odd key']"), "odd key");
        assert_eq!(last_key("$.tags[*]"), "tags");
    }

    #[test]
    fn pointers_become_paths_through_objects_and_arrays() {
        let doc = json!({"paths": {"/apps": {"get": {"x": [{"y": 1}]}}}});
        assert_eq!(json_path(&doc, "/paths/~1apps/get/x/0/y").as_deref(), Some("$.paths['/apps'].get.x[0].y"));
        assert_eq!(json_path(&doc, "/paths/~1users"), None);
    }
}
