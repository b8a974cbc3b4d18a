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
    let version = env!("CARGO_PKG_VERSION");
    for name in crates {
        let file = format!("{name}-{version}.crate");
        let built = super::target_dir().join("package").join(&file);
        std::fs::copy(&built, dist.join(&file)).with_context(|| format!("copying {}", built.display()))?;
        println!("dist/{file}");
    }
    Ok(())
}
