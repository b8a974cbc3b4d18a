//! Where things are in the repository.
//!
//! The repository is found when xtask runs, never from the path it was compiled in: with one
//! `CARGO_TARGET_DIR` shared by two clones, cargo may run an xtask binary built in the other clone, and a
//! compiled-in path would make it build and write that clone's files.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result, bail};

/// The repository root: the workspace whose `xtask/` cargo is running (cargo sets `CARGO_MANIFEST_DIR` for the
/// process it runs), else the nearest folder above the working directory that holds `xtask/Cargo.toml`.
pub fn root() -> PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| match find_root() {
        Ok(root) => root,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::exit(2);
        }
    })
    .clone()
}

fn find_root() -> Result<PathBuf> {
    let is_root = |dir: &Path| dir.join("Cargo.toml").is_file() && dir.join("xtask/Cargo.toml").is_file();
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    if let Some(parent) = manifest_dir.as_deref().and_then(Path::parent).filter(|dir| is_root(dir)) {
        return Ok(parent.to_path_buf());
    }
    let cwd = std::env::current_dir().context("reading the working directory")?;
    match cwd.ancestors().find(|dir| is_root(dir)) {
        Some(dir) => Ok(dir.to_path_buf()),
        None => bail!("run cargo xtask inside the toriihq repository (no xtask/Cargo.toml above {})", cwd.display()),
    }
}

/// The version every package carries, from `[workspace.package]` in the root `Cargo.toml` of this checkout.
pub fn workspace_version() -> Result<String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).context("reading Cargo.toml")?;
    let section = manifest.split("[workspace.package]").nth(1).context("Cargo.toml has no [workspace.package]")?;
    section
        .lines()
        .take_while(|line| !line.trim_start().starts_with('['))
        .find_map(|line| {
            line.trim().strip_prefix("version")?.trim().strip_prefix('=')?.trim().strip_prefix('"')?.split('"').next()
        })
        .map(str::to_string)
        .context("[workspace.package] in Cargo.toml has no version")
}

/// The spec version the packages are built from, named by `spec/torii/VERSION`.
pub fn built_spec_dir() -> Result<PathBuf> {
    let version_file = root().join("spec/torii/VERSION");
    let version =
        std::fs::read_to_string(&version_file).with_context(|| format!("reading {}", version_file.display()))?;
    Ok(root().join("spec/torii").join(version.trim()))
}

pub const DOCS_API_RUST: &str = "docs/api/rust.md";
pub const DOCS_API_PYTHON: &str = "docs/api/python.md";
pub const DOCS_API_NODE: &str = "docs/api/node.md";
/// Hand-written but for its error table, which `cargo xtask generate` keeps.
pub const DOCS_ERRORS: &str = "docs/errors.md";
pub const DOCTEST_PAGES: &str = "tests/src/docs.rs";
/// The agent skill file, in the crate and in both packages.
pub const SKILL_FILES: [&str; 3] =
    ["crates/toriihq-cli/SKILL.md", "bindings/python/python/toriihq/SKILL.md", "bindings/node/SKILL.md"];
pub const RUST_CLIENT: &str = "crates/toriihq/src/generated.rs";
pub const OPERATIONS: &str = "crates/toriihq/generated/operations.json";
/// What strict mode checks answers against.
pub const RESPONSE_SCHEMAS: &str = "crates/toriihq/generated/responses.json";
pub const MOCK_DOCUMENT: &str = "crates/toriihq-mock/spec/openapi.yaml";
pub const MOCK_OVERLAY: &str = "crates/toriihq-mock/spec/overlay.yaml";
/// The custom-integration file's JSON Schema, shipped in every package.
pub const RUST_FILE_SCHEMA: &str = "crates/toriihq/generated/custom-integration.schema.json";
pub const MOCK_FILE_SCHEMA: &str = "crates/toriihq-mock/spec/custom-integration.schema.json";
pub const PYTHON_FILE_SCHEMA: &str = "bindings/python/python/toriihq/custom-integration.schema.json";
pub const NODE_FILE_SCHEMA: &str = "bindings/node/custom-integration.schema.json";
pub const PYTHON_OPERATIONS: &str = "bindings/python/python/toriihq/_operations.py";
pub const PYTHON_TYPES: &str = "bindings/python/python/toriihq/types.py";
pub const PYTHON_STUBTEST_ALLOWLIST: &str = "bindings/python/stubtest-allowlist.txt";
pub const NODE_OPERATIONS: &str = "bindings/node/lib/operations.js";
pub const NODE_DECLARATIONS: &str = "bindings/node/index.d.ts";
pub const PYTHON_INIT: &str = "bindings/python/python/toriihq/__init__.py";
pub const PYTHON_OPTIONS: &str = "bindings/python/python/toriihq/_options.py";
pub const PYTHON_ERRORS: &str = "bindings/python/python/toriihq/_errors.py";
pub const NODE_ERRORS: &str = "bindings/node/lib/errors.js";
pub const NODE_ESM: &str = "bindings/node/index.mjs";
