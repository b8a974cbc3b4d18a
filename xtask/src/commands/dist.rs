//! `cargo xtask dist`: what we ship, into `dist/`.

use anyhow::{Context, Result};

use super::{cargo, run};
use crate::paths;

pub fn run_all() -> Result<()> {
    let root = paths::root();
    let dist = root.join("dist");
    std::fs::create_dir_all(&dist)?;
    run(&root, &cargo(), &["package", "--package", "toriihq", "--allow-dirty", "--no-verify"])?;
    let version = env!("CARGO_PKG_VERSION");
    let name = format!("toriihq-{version}.crate");
    let built = super::target_dir().join("package").join(&name);
    std::fs::copy(&built, dist.join(&name)).with_context(|| format!("copying {}", built.display()))?;
    println!("dist/{name}");
    Ok(())
}
