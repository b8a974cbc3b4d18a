//! The generator's fixture specs (`xtask/tests/fixtures/*.yaml`): generated the same way for the snapshot tests
//! and for the `fixture-check` crate, which compiles them.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::generators::rust::{RustOptions, generate};
use crate::paths;

pub fn dir() -> PathBuf {
    paths::root().join("xtask/tests/fixtures")
}

/// Fixture names (file stems), sorted.
pub fn names() -> Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir())?
        .filter_map(|entry| entry.ok()?.path().file_stem()?.to_str().map(str::to_string))
        .collect();
    names.sort();
    Ok(names)
}

pub fn load_fixture(name: &str) -> Result<toriihq_spec::LoadedSpec> {
    let path = dir().join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    toriihq_spec::load_str(&text, None).with_context(|| format!("loading fixture {name}"))
}

/// The Rust client for one fixture, as a module `crate::<name>` of a crate that depends on `toriihq`.
pub fn generate_fixture(name: &str) -> Result<String> {
    let spec = load_fixture(name)?;
    let options = RustOptions { runtime_path: "::toriihq::__runtime".into(), module_path: format!("crate::{name}") };
    generate(&spec, &options).with_context(|| format!("generating fixture {name}"))
}

/// Every spec version kept under `spec/torii/`, as (module name, folder): each must generate and compile, so
/// moving the packages to another version never starts with a generator fix.
pub fn spec_versions() -> Result<Vec<(String, PathBuf)>> {
    let mut versions: Vec<(String, PathBuf)> = std::fs::read_dir(paths::root().join("spec/torii"))?
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.to_string();
            path.is_dir().then(|| (format!("spec_{}", name.replace(['.', '-'], "_")), path))
        })
        .collect();
    versions.sort();
    Ok(versions)
}

/// The Rust client for a spec folder, as a module `crate::<module>` of a crate that depends on `toriihq`.
pub fn generate_spec_version(module: &str, dir: &std::path::Path) -> Result<String> {
    let spec = toriihq_spec::load_dir(dir).with_context(|| format!("loading {}", dir.display()))?;
    let options = RustOptions { runtime_path: "::toriihq::__runtime".into(), module_path: format!("crate::{module}") };
    generate(&spec, &options).with_context(|| format!("generating {}", dir.display()))
}
