//! The modules of each crate form a tree: no module reaches, through `crate::` or `super::` paths, back to itself,
//! at any depth (`commands::dist` ⇄ `commands::node` counts). A cycle is how "split by concept" quietly decays;
//! the mock once had handler ⇄ lists ⇄ files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use xtask::paths;

/// A module's path in its crate (`commands::dist`), from its file under `src/` (`commands/dist.rs`,
/// `commands/mod.rs`); the crate root (lib.rs, main.rs) is the empty path.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// The `crate::` and `super::` paths a file's code names, made absolute (`super::node::pack` in
/// `commands/dist.rs` is `commands::node::pack`). Comments are left out.
fn named_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let code: String = code.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = Vec::new();
    for (prefix, base) in [("crate::", Vec::new()), ("super::", module[..module.len().saturating_sub(1)].to_vec())] {
        for (at, _) in code.match_indices(prefix) {
            if prefix == "crate::" && code[..at].ends_with(|c: char| ident(c)) {
                continue; // `toriihq_crate::` and the like
            }
            let rest = &code[at + prefix.len()..];
            let mut leading: Vec<String> = Vec::new();
            let mut rest = rest;
            loop {
                let name: String = rest.chars().take_while(|c| ident(*c)).collect();
                if name.is_empty() || !rest[name.len()..].starts_with("::") {
                    if !name.is_empty() {
                        leading.push(name);
                    }
                    break;
                }
                leading.push(name.clone());
                rest = &rest[name.len() + 2..];
            }
            let mut tails = vec![Vec::new()];
            if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                tails = group.split(',').map(|n| n.trim().split("::").map(str::to_string).collect()).collect();
            }
            for tail in tails {
                let mut path = base.clone();
                path.extend(leading.iter().cloned());
                path.extend(tail.into_iter().filter(|n| !n.is_empty()));
                found.push(path);
            }
        }
    }
    found
}

/// Each module of a crate's `src/` and the modules it names with `crate::` or `super::`, leaving out its own
/// ancestors (a child using what its parent shares is how Rust modules are meant to be used). `root` collects
/// modules that name an item of the crate root itself.
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
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut root = BTreeSet::new();
    for file in &files {
        let module = module_path(src, file);
        if module.is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests sit at the end in an inline `mod tests`, where `super::` means the file's own module.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for path in named_paths(code, &module) {
            let target = (0..=path.len()).rev().map(|n| path[..n].to_vec()).find(|m| modules.contains(m)).unwrap();
            if target.is_empty() {
                if !path.is_empty() {
                    root.insert(module.join("::"));
                }
                continue;
            }
            if module.starts_with(&target) {
                continue;
            }
            graph.entry(module.join("::")).or_default().insert(target.join("::"));
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
fn the_modules_of_every_crate_and_binding_form_a_tree() {
    let crates = [
        "crates/toriihq/src",
        "crates/toriihq-spec/src",
        "crates/toriihq-cli/src",
        "bindings/python/src",
        "bindings/node/src",
        "tests/src",
        "xtask/src",
    ];
    for krate in crates {
        let (graph, _) = references(&paths::root().join(krate));
        assert_eq!(cycle(&graph), None, "an import cycle in {krate}");
    }
}

#[test]
fn nested_modules_and_super_paths_count() {
    let module = ["commands".to_string(), "dist".to_string()];
    let named = named_paths("use super::{cargo, node::pack};\nlet x = crate::paths::root(); // crate::y", &module);
    let expected: Vec<Vec<String>> = vec![
        vec!["paths".into(), "root".into()],
        vec!["commands".into(), "cargo".into()],
        vec!["commands".into(), "node".into(), "pack".into()],
    ];
    assert_eq!(named, expected);
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

#[test]
fn a_cycle_between_nested_siblings_is_found() {
    let src = std::env::temp_dir().join(format!("module-tree-{}", std::process::id()));
    std::fs::create_dir_all(src.join("commands")).unwrap();
    let files = [
        ("lib.rs", "pub mod commands;\npub mod paths;"),
        ("paths.rs", "pub fn root() {}"),
        ("commands/mod.rs", "pub mod dist;\npub mod node;\npub fn run() {}"),
        ("commands/dist.rs", "use super::run;\npub fn size() { super::node::pack(); crate::paths::root(); }"),
        ("commands/node.rs", "pub fn pack() { super::dist::size(); }\n#[cfg(test)]\nmod tests { use super::pack; }"),
    ];
    for (name, code) in files {
        std::fs::write(src.join(name), code).unwrap();
    }
    let (graph, root) = references(&src);
    let found = cycle(&graph);
    std::fs::remove_dir_all(&src).unwrap();
    assert_eq!(found, Some(vec!["commands::dist".into(), "commands::node".into(), "commands::dist".into()]));
    assert!(root.is_empty(), "{root:?}");
}
