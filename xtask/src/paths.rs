//! Where things are in the repository.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the repository").to_path_buf()
}

/// The spec version the packages are built from, named by `spec/torii/VERSION`.
pub fn built_spec_dir() -> Result<PathBuf> {
    let version_file = root().join("spec/torii/VERSION");
    let version =
        std::fs::read_to_string(&version_file).with_context(|| format!("reading {}", version_file.display()))?;
    Ok(root().join("spec/torii").join(version.trim()))
}

pub const RUST_CLIENT: &str = "crates/toriihq/src/generated.rs";
pub const OPERATIONS: &str = "crates/toriihq/generated/operations.json";
pub const MOCK_DOCUMENT: &str = "crates/toriihq-mock/spec/openapi.yaml";
pub const MOCK_OVERLAY: &str = "crates/toriihq-mock/spec/overlay.yaml";
pub const PYTHON_OPERATIONS: &str = "bindings/python/python/toriihq/_operations.py";
pub const PYTHON_TYPES: &str = "bindings/python/python/toriihq/types.py";
pub const PYTHON_STUBTEST_ALLOWLIST: &str = "bindings/python/stubtest-allowlist.txt";
pub const NODE_OPERATIONS: &str = "bindings/node/lib/operations.js";
pub const NODE_DECLARATIONS: &str = "bindings/node/index.d.ts";
