//! `cargo xtask generate [--check]`: every generated file, from the spec version named in `spec/torii/VERSION`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use serde_json::json;

use crate::paths;

/// One generated file: where it goes and what it holds.
pub struct Output {
    pub path: &'static str,
    pub contents: String,
}

pub fn outputs() -> Result<Vec<Output>> {
    let spec_dir = paths::built_spec_dir()?;
    let spec = toriihq_spec::load_dir(&spec_dir).with_context(|| format!("loading {}", spec_dir.display()))?;
    crate::generators::workflows::check_names(&spec)?;
    let rust = crate::generators::rust::generate(&spec, &crate::generators::rust::RustOptions::default())
        .context("generating the Rust client")?;
    let description = json!({
        "$comment": crate::generated_header("").trim(),
        "spec": spec_dir.strip_prefix(paths::root()).unwrap_or(&spec_dir).to_string_lossy().replace('\\', "/"),
        "title": spec.document["info"]["title"],
        "version": spec.document["info"]["version"],
        "operations": spec.operations,
    });
    let mut operations = serde_json::to_string_pretty(&description)?;
    operations.push('\n');
    // The mock embeds the built spec; a copy inside its crate keeps the crate self-contained when packaged.
    // A YAML comment line in front of a YAML or JSON document leaves it readable by the same loader.
    let embedded = |file: &std::path::Path| -> Result<String> {
        let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        Ok(format!("{}\n{text}", crate::generated_header("#")))
    };
    let document = toriihq_spec::document_path(&spec_dir)?;
    let overlay = spec_dir.join(toriihq_spec::OVERLAY_FILE);
    let overlay = if overlay.exists() { embedded(&overlay)? } else { format!("{}\n", crate::generated_header("#")) };
    let python = crate::generators::python::generate(&spec)?;
    let node = crate::generators::node::generate(&spec)?;
    let file_schema = crate::generators::workflows::shipped_schema(crate::generators::workflows::TYPE_SCHEMAS[0])?;
    let errors = crate::generators::errors::generate()?;
    let reference = crate::generators::reference::generate(&spec).context("generating the API reference")?;
    let errors_page =
        std::fs::read_to_string(paths::root().join(paths::DOCS_ERRORS)).context("reading docs/errors.md")?;
    let pages = super::docs::pages()?;
    Ok(vec![
        Output { path: paths::DOCS_API_RUST, contents: reference.rust },
        Output { path: paths::DOCS_API_PYTHON, contents: reference.python },
        Output { path: paths::DOCS_API_NODE, contents: reference.node },
        Output { path: paths::DOCS_ERRORS, contents: crate::generators::reference::errors_page(&errors_page)? },
        Output { path: paths::DOCTEST_PAGES, contents: crate::generators::reference::doctest_pages(&pages) },
        Output { path: paths::PYTHON_OPERATIONS, contents: python.operations },
        Output { path: paths::PYTHON_TYPES, contents: python.types },
        Output { path: paths::PYTHON_STUBTEST_ALLOWLIST, contents: python.stubtest_allowlist },
        Output { path: paths::NODE_OPERATIONS, contents: node.operations },
        Output { path: paths::NODE_DECLARATIONS, contents: node.declarations },
        Output { path: paths::PYTHON_ERRORS, contents: errors.python },
        Output { path: paths::PYTHON_INIT, contents: crate::generators::errors::python_init()? },
        Output { path: paths::PYTHON_OPTIONS, contents: crate::generators::options::generate()?.python },
        Output { path: paths::NODE_ERRORS, contents: errors.node },
        Output { path: paths::NODE_ESM, contents: errors.node_esm },
        Output { path: paths::RUST_CLIENT, contents: rust },
        Output { path: paths::OPERATIONS, contents: operations },
        Output { path: paths::RESPONSE_SCHEMAS, contents: crate::generators::response_schemas::generate(&spec) },
        Output { path: paths::MOCK_DOCUMENT, contents: embedded(&document)? },
        Output { path: paths::MOCK_OVERLAY, contents: overlay },
        Output { path: paths::RUST_FILE_SCHEMA, contents: file_schema.clone() },
        Output { path: paths::MOCK_FILE_SCHEMA, contents: file_schema.clone() },
        Output { path: paths::PYTHON_FILE_SCHEMA, contents: file_schema.clone() },
        Output { path: paths::NODE_FILE_SCHEMA, contents: file_schema },
    ])
}

pub fn run(check: bool) -> Result<()> {
    let root = paths::root();
    let mut stale = Vec::new();
    for output in outputs()? {
        let path: PathBuf = root.join(output.path);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == output.contents {
            continue;
        }
        if check {
            print_diff(output.path, &current, &output.contents);
            stale.push(output.path);
        } else {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &output.contents).with_context(|| format!("writing {}", path.display()))?;
            println!("wrote {}", output.path);
        }
    }
    // SKILL.md comes from the command line's own tree, so from the program built on the files written above.
    let skill = skill()?;
    for path in paths::SKILL_FILES {
        let current = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        if current == skill {
            continue;
        }
        if check {
            print_diff(path, &current, &skill);
            stale.push(path);
        } else {
            std::fs::write(root.join(path), &skill).with_context(|| format!("writing {path}"))?;
            println!("wrote {path}");
        }
    }
    if !stale.is_empty() {
        bail!("generated files are stale: {} (run `cargo xtask generate`)", stale.join(", "));
    }
    if check {
        println!("generated files are up to date");
    }
    Ok(())
}

/// What `toriihq skill` prints.
fn skill() -> Result<String> {
    let output = std::process::Command::new(super::cargo())
        .args(["run", "--quiet", "--package", "toriihq-cli", "--bin", "toriihq", "--", "skill"])
        .current_dir(paths::root())
        .output()
        .context("running `toriihq skill`")?;
    if !output.status.success() {
        bail!("`toriihq skill` failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8(output.stdout)?)
}

fn print_diff(path: &str, old: &str, new: &str) {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string();
    let lines: Vec<&str> = text.lines().collect();
    for line in lines.iter().take(200) {
        println!("{line}");
    }
    if lines.len() > 200 {
        println!("… {} more diff lines", lines.len() - 200);
    }
}
