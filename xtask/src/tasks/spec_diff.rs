//! `cargo xtask spec-diff <old> <new>`: what changed between two spec versions, for the people who call it.
//!
//! Operations are matched by name (the overlay keeps names stable across versions), so a moved path is a change
//! of one operation, not a removal and an addition. Schemas are compared as the fields a caller reads or sends:
//! every schema is flattened to `path → type` (`apps[].primaryOwner.email → string`), `$ref`s followed, so a
//! renamed schema with the same fields is no change, and a list key or a wrapper shows as what it is.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde_json::Value;
use toriihq_spec::{LoadedSpec, Operation, Parameter, deref};

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub breaking: bool,
    pub text: String,
}

impl Change {
    fn breaking(text: String) -> Change {
        Change { breaking: true, text }
    }
    fn compatible(text: String) -> Change {
        Change { breaking: false, text }
    }
}

/// The report: operations added and removed, and per kept operation what changed.
#[derive(Debug, Default)]
pub struct SpecDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: BTreeMap<String, Vec<Change>>,
}

pub fn diff(old: &LoadedSpec, new: &LoadedSpec) -> SpecDiff {
    let mut report = SpecDiff::default();
    let old_ops: BTreeMap<&str, &Operation> = old.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let new_ops: BTreeMap<&str, &Operation> = new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    report.removed = old_ops.keys().filter(|k| !new_ops.contains_key(*k)).map(|k| k.to_string()).collect();
    report.added = new_ops.keys().filter(|k| !old_ops.contains_key(*k)).map(|k| k.to_string()).collect();
    for (name, before) in &old_ops {
        let Some(after) = new_ops.get(name) else { continue };
        let mut changes = operation_changes(old, before, new, after);
        changes.dedup();
        if !changes.is_empty() {
            report.changed.insert(name.to_string(), changes);
        }
    }
    report
}

fn operation_changes(old: &LoadedSpec, before: &Operation, new: &LoadedSpec, after: &Operation) -> Vec<Change> {
    let mut changes = Vec::new();
    if (before.method.as_str(), before.path.as_str()) != (after.method.as_str(), after.path.as_str()) {
        changes.push(Change::breaking(format!(
            "now `{} {}` (was `{} {}`)",
            after.method, after.path, before.method, before.path
        )));
    }
    changes.extend(parameter_changes(&before.parameters, &after.parameters));
    let body = |spec: &LoadedSpec, op: &Operation| request_body(spec, op).map(|s| flatten(&spec.document, s));
    match (body(old, before), body(new, after)) {
        (None, Some(_)) => changes.push(Change::breaking("now takes a request body".into())),
        (Some(_), None) => changes.push(Change::breaking("no longer takes a request body".into())),
        (Some(was), Some(is)) => changes.extend(field_changes("body", &was, &is, Direction::Sent)),
        (None, None) => {}
    }
    if before.success_status != after.success_status {
        changes.push(Change::compatible(format!(
            "answers {} (was {}); the client accepts any 2xx",
            after.success_status, before.success_status
        )));
    }
    let answer = |spec: &LoadedSpec, op: &Operation| response(spec, op).map(|s| flatten(&spec.document, s));
    match (answer(old, before), answer(new, after)) {
        (None, Some(_)) => changes.push(Change::compatible("now answers with a JSON body".into())),
        (Some(_), None) => changes.push(Change::breaking("no longer answers with a JSON body".into())),
        (Some(was), Some(is)) => {
            let (envelope, was) = envelope_changes(before, after, was, &is);
            changes.extend(envelope);
            changes.extend(field_changes("answer", &was, &is, Direction::Received));
        }
        (None, None) => {}
    }
    changes
}

fn parameter_changes(before: &[Parameter], after: &[Parameter]) -> Vec<Change> {
    let mut changes = Vec::new();
    let describe = |p: &Parameter| format!("{} parameter `{}` ({})", location(p), p.name, names(p));
    for was in before {
        match after.iter().find(|p| p.name == was.name) {
            None => changes.push(Change::breaking(format!("{} removed", describe(was)))),
            Some(is) => {
                if is.value_type != was.value_type {
                    changes.push(Change::breaking(format!(
                        "{} is {} (was {})",
                        describe(is),
                        type_name(is),
                        type_name(was)
                    )));
                }
                if is.required && !was.required {
                    changes.push(Change::breaking(format!("{} is now required", describe(is))));
                }
                if was.location != is.location {
                    changes.push(Change::breaking(format!("{} moved from the {}", describe(is), location(was))));
                }
            }
        }
    }
    for is in after.iter().filter(|p| !before.iter().any(|was| was.name == p.name)) {
        let required = if is.required { ", required" } else { "" };
        let change = format!("{} added{required}", describe(is));
        changes.push(if is.required { Change::breaking(change) } else { Change::compatible(change) });
    }
    changes
}

/// How a parameter is spelled in each package: `size` (Rust builder and Python) / `size` (Node).
fn names(p: &Parameter) -> String {
    if p.snake_name == p.camel_name {
        format!("`{}` in every package", p.snake_name)
    } else {
        format!("Rust/Python `{}`, Node `{}`", p.snake_name, p.camel_name)
    }
}

fn location(p: &Parameter) -> &'static str {
    match p.location {
        toriihq_spec::ParameterLocation::Path => "path",
        toriihq_spec::ParameterLocation::Query => "query",
        toriihq_spec::ParameterLocation::Header => "header",
        toriihq_spec::ParameterLocation::Cookie => "cookie",
    }
}

fn type_name(p: &Parameter) -> String {
    serde_json::to_value(p.value_type).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    /// A request body: a new required field or a removed field breaks callers.
    Sent,
    /// An answer: a removed field or a changed type breaks callers; a new field does not.
    Received,
}

/// The list key and the wrapping of an answer, said once instead of as a field-by-field rewrite. Returns the old
/// fields moved to where the new answer has them (`data[].id` → `apps[].id`, `id` → `contract.id`), so the field
/// comparison that follows reports what changed inside.
fn envelope_changes(
    before: &Operation,
    after: &Operation,
    mut was: BTreeMap<String, String>,
    is: &BTreeMap<String, String>,
) -> (Vec<Change>, BTreeMap<String, String>) {
    let mut changes = Vec::new();
    let (old_keys, new_keys) = (before.pagination.items_fields(), after.pagination.items_fields());
    let old_list = old_keys.first().map(|k| k.to_string()).or_else(|| only_list(&was).map(str::to_string));
    let new_list = new_keys.first().copied().or_else(|| only_list(is));
    if let (Some(old_list), Some(new_list)) = (old_list, new_list)
        && old_list != new_list
    {
        changes.push(Change::breaking(format!("the list is under `{new_list}` (was `{old_list}`)")));
        was = was
            .into_iter()
            .map(|(path, kind)| match path.strip_prefix(old_list.as_str()) {
                Some(rest) if rest.is_empty() || rest.starts_with(['.', '[']) => (format!("{new_list}{rest}"), kind),
                _ => (path, kind),
            })
            .collect();
    }
    let top = |fields: &BTreeMap<String, String>| -> BTreeSet<String> {
        fields.keys().filter(|k| !k.is_empty()).map(|k| k.split(['.', '[']).next().unwrap_or(k).to_string()).collect()
    };
    let (old_top, new_top) = (top(&was), top(is));
    if new_top.len() == 1 && old_top.len() > 1 {
        let wrapper = new_top.iter().next().expect("one key");
        let inner: BTreeSet<String> = is
            .keys()
            .filter_map(|k| k.strip_prefix(&format!("{wrapper}.")))
            .map(|k| k.split(['.', '[']).next().unwrap_or(k).to_string())
            .collect();
        if old_top.iter().any(|k| inner.contains(k)) {
            changes.push(Change::breaking(format!("the object is now wrapped: read it from `{wrapper}`")));
            was = was
                .into_iter()
                .map(|(path, kind)| {
                    let moved = if path.is_empty() { wrapper.clone() } else { format!("{wrapper}.{path}") };
                    (moved, kind)
                })
                .collect();
            // The new answer is still an object at its root: the wrapper.
            was.insert(String::new(), "object".into());
        }
    }
    if old_keys != new_keys && new_keys.len() > 1 {
        changes
            .push(Change::compatible(format!("items are read from `{}`, whichever is sent", new_keys.join("` or `"))));
    }
    if std::mem::discriminant(&before.pagination) != std::mem::discriminant(&after.pagination) {
        changes.push(Change::breaking(format!("pages {} (was {})", paging(after), paging(before))));
    }
    (changes, was)
}

fn only_list(fields: &BTreeMap<String, String>) -> Option<&str> {
    let lists: Vec<&str> = fields
        .iter()
        .filter(|(k, t)| !k.contains(['.', '[']) && t.as_str() == "array")
        .map(|(k, _)| k.as_str())
        .collect();
    match lists.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

fn paging(op: &Operation) -> &'static str {
    match op.pagination {
        toriihq_spec::Pagination::None => "not at all",
        toriihq_spec::Pagination::Cursor { .. } => "by cursor",
        toriihq_spec::Pagination::ScimOffset { .. } => "by SCIM startIndex",
        toriihq_spec::Pagination::Offset { .. } => "by offset",
    }
}

/// Field-level changes, each reported at its shallowest point: a removed object is one line, not one per field.
fn field_changes(
    what: &str,
    was: &BTreeMap<String, String>,
    is: &BTreeMap<String, String>,
    direction: Direction,
) -> Vec<Change> {
    let mut changes = Vec::new();
    let under = |path: &str, set: &dyn Fn(&str) -> bool| ancestors(path).any(set);
    let kind = |t: &String| t.trim_start_matches('!').to_string();
    let removed = |p: &str| was.contains_key(p) && !is.contains_key(p);
    let added = |p: &str| is.contains_key(p) && !was.contains_key(p);
    let retyped = |p: &str| was.get(p).zip(is.get(p)).is_some_and(|(a, b)| kind(a) != kind(b));
    for (path, old_type) in was {
        let Some(new_type) = is.get(path) else {
            if !under(path, &removed) && !under(path, &retyped) {
                changes.push(Change::breaking(format!("{what} field `{}` removed", shown(path))));
            }
            continue;
        };
        if retyped(path) && !under(path, &retyped) {
            changes.push(Change::breaking(format!(
                "{what} field `{}` is {} (was {})",
                shown(path),
                kind(new_type),
                kind(old_type)
            )));
        } else if direction == Direction::Sent && new_type.starts_with('!') && !old_type.starts_with('!') {
            changes.push(Change::breaking(format!("{what} field `{}` is now required", shown(path))));
        }
    }
    for (path, new_type) in is {
        if added(path) && !under(path, &added) && !under(path, &retyped) {
            let required = new_type.starts_with('!');
            let change = format!("{what} field `{}` added{}", shown(path), if required { ", required" } else { "" });
            changes.push(if direction == Direction::Sent && required {
                Change::breaking(change)
            } else {
                Change::compatible(change)
            });
        }
    }
    changes
}

fn shown(path: &str) -> &str {
    if path.is_empty() { "(the whole value)" } else { path }
}

/// `a.b[].c` → `a.b[]`, `a.b`, `a`, `` (the root).
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let cuts: Vec<usize> = path.char_indices().filter(|(_, c)| *c == '.' || *c == '[').map(|(i, _)| i).collect();
    let root = (!path.is_empty()).then_some("");
    cuts.into_iter().rev().map(move |i| &path[..i]).filter(|p| !p.is_empty()).chain(root)
}

/// Every field of a schema as `path → type`; `!` before the type marks a required property.
fn flatten(doc: &Value, schema: &Value) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    walk(doc, schema, String::new(), false, 0, &mut fields);
    fields
}

const MAX_DEPTH: usize = 6;

fn walk(doc: &Value, schema: &Value, path: String, required: bool, depth: usize, out: &mut BTreeMap<String, String>) {
    let schema = deref(doc, schema);
    let kind = kind_of(doc, schema);
    out.insert(path.clone(), format!("{}{kind}", if required { "!" } else { "" }));
    if depth >= MAX_DEPTH {
        return;
    }
    if let Some(items) = schema.get("items") {
        walk(doc, items, format!("{path}[]"), false, depth + 1, out);
    }
    let required_keys: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    for (key, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
        walk(doc, property, child, required_keys.contains(&key.as_str()), depth + 1, out);
    }
}

fn kind_of(doc: &Value, schema: &Value) -> String {
    if let Some(alternatives) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
        let kinds: BTreeSet<String> = alternatives.iter().map(|a| kind_of(doc, deref(doc, a))).collect();
        return kinds.into_iter().collect::<Vec<_>>().join(" or ");
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => "integer".into(),
        Some("number") => "number".into(),
        Some(other) => other.into(),
        None if schema.get("properties").is_some() => "object".into(),
        None => "any".into(),
    }
}

fn operation_pointer(op: &Operation) -> String {
    format!("/paths/{}/{}", op.path.replace('~', "~0").replace('/', "~1"), op.method.to_lowercase())
}

fn request_body<'a>(spec: &'a LoadedSpec, op: &Operation) -> Option<&'a Value> {
    let operation = spec.document.pointer(&operation_pointer(op))?;
    if let Some(form) = operation.get(toriihq_spec::MULTIPART_EXTENSION) {
        return form.get("schema");
    }
    json_schema(spec.document.pointer(&format!("{}/requestBody", operation_pointer(op)))?)
}

fn response<'a>(spec: &'a LoadedSpec, op: &Operation) -> Option<&'a Value> {
    json_schema(spec.document.pointer(&format!("{}/responses/{}", operation_pointer(op), op.success_status))?)
}

fn json_schema(holder: &Value) -> Option<&Value> {
    holder.get("content")?.as_object()?.iter().find(|(media, _)| media.contains("json"))?.1.get("schema")
}

/// The Markdown report, with each operation's name in the three packages.
pub fn render(report: &SpecDiff, old: &str, new: &str, new_spec: &LoadedSpec) -> String {
    let mut out = String::new();
    let breaking: usize = report.changed.values().flatten().filter(|c| c.breaking).count() + report.removed.len();
    let _ = writeln!(out, "## Spec {old} → {new}\n");
    let _ = writeln!(
        out,
        "{} operations added, {} removed, {} changed ({breaking} breaking changes).\n",
        report.added.len(),
        report.removed.len(),
        report.changed.len()
    );
    let by_id = |id: &str| new_spec.operations.iter().find(|o| o.id == id);
    if !report.added.is_empty() {
        let _ = writeln!(out, "### Added\n\n| operation | Rust / Python | Node |\n|---|---|---|");
        for id in &report.added {
            let op = by_id(id).expect("an added operation is in the new spec");
            let _ = writeln!(out, "| `{} {}` | `{}` | `{}` |", op.method, op.path, op.snake_name, op.camel_name);
        }
        out.push('\n');
    }
    if !report.removed.is_empty() {
        let _ = writeln!(out, "### Removed (breaking)\n");
        for id in &report.removed {
            let _ = writeln!(out, "- `{id}`");
        }
        out.push('\n');
    }
    if !report.changed.is_empty() {
        let _ = writeln!(out, "### Changed\n");
        for (id, changes) in &report.changed {
            let (snake, camel) = by_id(id).map(|o| (o.snake_name.as_str(), o.camel_name.as_str())).unwrap_or((id, id));
            let _ = writeln!(out, "#### `{id}` (Rust/Python `{snake}`, Node `{camel}`)\n");
            for change in changes.iter().filter(|c| c.breaking).chain(changes.iter().filter(|c| !c.breaking)) {
                let mark = if change.breaking { "**breaking**" } else { "compatible" };
                let _ = writeln!(out, "- {mark}: {}", change.text);
            }
            out.push('\n');
        }
    }
    out
}
