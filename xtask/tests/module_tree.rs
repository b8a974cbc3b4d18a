//! The modules of each crate form a tree: no module reaches, through `crate::` paths, back to itself. (A cycle
//! is how "split by concept" quietly decays; the mock once had handler ⇄ lists ⇄ files.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use xtask::paths;

/// Top-level modules of a crate's `src/` and the other top-level modules each one names with `crate::`.
/// `root` collects modules that name an item of the crate root itself (lib.rs).
fn references(src: &Path) -> (BTreeMap<String, BTreeSet<String>>, BTreeSet<String>) {
    let mut files = Vec::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let module_of = |path: &Path| {
        let relative = path.strip_prefix(src).unwrap();
        let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        first.trim_end_matches(".rs").to_string()
    };
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(f)).filter(|m| m != "lib" && m != "main").collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut root = BTreeSet::new();
    for file in &files {
        let module = module_of(file);
        if !modules.contains(&module) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let code: String = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                group.split(',').map(|n| n.trim().split("::").next().unwrap_or("").to_string()).collect()
            } else {
                vec![rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()]
            };
            for name in names.into_iter().filter(|n| !n.is_empty()) {
                if modules.contains(&name) {
                    if name != module {
                        graph.entry(module.clone()).or_default().insert(name);
                    }
                } else {
                    root.insert(module.clone());
                }
            }
        }
    }
    (graph, root)
}

fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| p == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_mock_modules_form_a_tree_and_none_reaches_back_to_the_root() {
    let (graph, root) = references(&paths::root().join("crates/toriihq-mock/src"));
    assert_eq!(cycle(&graph), None, "an import cycle in the mock");
    assert!(root.is_empty(), "modules that name an item of lib.rs (move it to a module of its own): {root:?}");
}

#[test]
fn the_modules_of_the_client_spec_loader_and_generator_form_a_tree() {
    for krate in ["crates/toriihq/src", "crates/toriihq-spec/src", "xtask/src"] {
        let (graph, _) = references(&paths::root().join(krate));
        assert_eq!(cycle(&graph), None, "an import cycle in {krate}");
    }
}

#[test]
fn a_cycle_is_found() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]
    .into();
    assert_eq!(cycle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
}
