//! `cargo xtask dist`: what we ship, into `dist/`.

use anyhow::{Context, Result};

use super::{cargo, run};
use crate::paths;

pub fn run_all() -> Result<()> {
    let root = paths::root();
    let dist = root.join("dist");
    std::fs::create_dir_all(&dist)?;
    // Packaged together so the client's dependency on the description types resolves before publication.
    let crates = ["toriihq-spec", "toriihq", "toriihq-mock"];
    let mut args = vec!["package", "--allow-dirty"];
    for name in crates {
        args.extend(["--package", name]);
    }
    run(&root, &cargo(), &args)?;
    let version = paths::workspace_version()?;
    for name in crates {
        let file = format!("{name}-{version}.crate");
        let built = super::target_dir().join("package").join(&file);
        std::fs::copy(&built, dist.join(&file)).with_context(|| format!("copying {}", built.display()))?;
        println!("dist/{file}");
    }
    python_wheel(&dist)?;
    super::node::pack(&dist)
}

/// The abi3 wheel, then a check that it installs into a fresh venv with no index and imports.
fn python_wheel(dist: &std::path::Path) -> Result<()> {
    super::python::ensure_venv()?;
    let maturin = super::python::venv().join("bin/maturin");
    let python_dir = paths::root().join("bindings/python");
    run(&python_dir, &maturin.to_string_lossy(), &["build", "--release", "--quiet", "--out", &dist.to_string_lossy()])?;
    let wheel = std::fs::read_dir(dist)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .context("maturin wrote no wheel")?;
    let check = super::target_dir().join("wheel-check-venv");
    let _ = std::fs::remove_dir_all(&check);
    run(&paths::root(), "python3", &["-m", "venv", &check.to_string_lossy()])?;
    let python = check.join("bin/python").to_string_lossy().into_owned();
    run(&paths::root(), &python, &["-m", "pip", "install", "--quiet", "--no-index", &wheel.to_string_lossy()])?;
    run(&paths::root(), &python, &["-c", "import toriihq; print('import toriihq', toriihq.__version__)"])?;
    println!("dist/{}", wheel.file_name().unwrap_or_default().to_string_lossy());
    Ok(())
}
