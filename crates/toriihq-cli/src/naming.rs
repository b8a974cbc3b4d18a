//! Command names from the operation description: a group per tag (`apps`, `app-fields`, `scim`) and an action per
//! operation, its name less the verb's noise and the group's own words (`getApps` in Apps → `list`,
//! `getUsersMetadata` in User Fields → `get-metadata`, `listScimUsers` in SCIM → `list-users`). Two operations of a
//! group that would share an action (or one that would take a workflow command's name) keep their whole names.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;
use toriihq_spec::{Operation, Pagination};

/// One operation's place on the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<'a> {
    pub group: String,
    pub action: String,
    pub op: &'a Operation,
}

/// The group of operations without a tag.
const UNTAGGED: &str = "other";

/// Every operation's group and action, in the description's order. `taken` are `(group, action)` pairs already
/// used (the workflow commands).
pub fn name_all<'a>(operations: &'a [Operation], taken: &[(&str, &str)]) -> Vec<Named<'a>> {
    let mut named: Vec<Named> = operations
        .iter()
        .map(|op| {
            let group = group_of(op);
            let action = action_of(op, &group);
            Named { group, action, op }
        })
        .collect();
    let mut count: BTreeMap<(String, String), usize> = BTreeMap::new();
    for n in &named {
        *count.entry((n.group.clone(), n.action.clone())).or_default() += 1;
    }
    let reserved: BTreeSet<(String, String)> = taken.iter().map(|(g, a)| (g.to_string(), a.to_string())).collect();
    for n in &mut named {
        let key = (n.group.clone(), n.action.clone());
        if count[&key] > 1 || reserved.contains(&key) {
            n.action = n.op.id.to_kebab_case();
        }
    }
    named
}

pub fn group_of(op: &Operation) -> String {
    op.tags.first().map_or_else(|| UNTAGGED.to_string(), |tag| tag.to_kebab_case())
}

fn action_of(op: &Operation, group: &str) -> String {
    let kebab = op.id.to_kebab_case();
    let mut words = kebab.split('-');
    let verb = words.next().unwrap_or_default();
    let group_words: BTreeSet<String> = group.split('-').map(stem).collect();
    let rest: Vec<&str> = words.filter(|word| !group_words.contains(&stem(word))).collect();
    let paged = op.pagination != Pagination::None;
    let verb = match verb {
        "get" | "list" if paged => "list",
        "add" => "create",
        other => other,
    };
    match rest.as_slice() {
        [] => verb.to_string(),
        rest => format!("{verb}-{}", rest.join("-")),
    }
}

/// A word as the group and the operation both might spell it: singular, `application` as `app`.
fn stem(word: &str) -> String {
    let singular = word.strip_suffix('s').filter(|w| w.len() > 2).unwrap_or(word);
    match singular {
        "application" => "app".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: &str, tag: &str, paged: bool) -> Operation {
        let mut op: Operation = serde_json::from_value(serde_json::json!({
            "id": id, "snake_name": "", "camel_name": "", "pascal_name": "", "method": "GET", "path": "/",
            "tags": [tag], "parameters": [], "success_status": 200, "pagination": {"kind": "none"}
        }))
        .unwrap();
        if paged {
            op.pagination =
                Pagination::Offset { offset_param: "o".into(), limit_param: "l".into(), items_field: "i".into() };
        }
        op
    }

    #[test]
    fn actions_drop_the_groups_words_and_collisions_keep_whole_names() {
        let ops = vec![
            op("getApps", "Apps", true),
            op("getApp", "Apps", false),
            op("addApp", "Apps", false),
            op("listAppUsers", "Applications Users", true),
            op("getUsersMetadata", "User Fields", false),
            op("listScimUsers", "SCIM", true),
            op("uploadFile", "Files", false),
            op("getFoo", "Things", false),
            op("listFoo", "Things", false),
        ];
        let named: Vec<(String, String)> =
            name_all(&ops, &[("files", "upload")]).into_iter().map(|n| (n.group, n.action)).collect();
        let expected = [
            ("apps", "list"),
            ("apps", "get"),
            ("apps", "create"),
            ("applications-users", "list"),
            ("user-fields", "get-metadata"),
            ("scim", "list-users"),
            ("files", "upload-file"),
            ("things", "get-foo"),
            ("things", "list-foo"),
        ];
        assert_eq!(named, expected.map(|(g, a)| (g.to_string(), a.to_string())));
    }
}
