//! Release builds of the native libraries for the oldest Linux we support (glibc 2.17, with zig), shared by the
//! Python wheel and the Node addon, and how big they came out.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Result, bail};

use super::{cargo, run};
use crate::paths;

/// Runs with `bin` first on PATH (the venv's, where `python -m ziglang` finds zig).
pub fn run_with_path(dir: &Path, program: &str, args: &[&str], bin: &Path) -> Result<()> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let joined = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&path)))?;
    println!("$ {} {}", Path::new(program).file_name().unwrap_or_default().to_string_lossy(), args.join(" "));
    let status = Command::new(program).args(args).current_dir(dir).env("PATH", joined).status()?;
    if !status.success() {
        bail!("{program} failed ({status})");
    }
    Ok(())
}

pub fn size(file: &Path) -> Result<String> {
    Ok(in_units(file.metadata()?.len()))
}

fn in_units(bytes: u64) -> String {
    let bytes = bytes as f64;
    if bytes < 1_000_000.0 { format!("{:.0} kB", bytes / 1000.0) } else { format!("{:.2} MB", bytes / 1_000_000.0) }
}

/// The most a native module may weigh unpacked, and a wheel or an npm platform tarball packed.
pub const MODULE_BUDGET: u64 = 10_000_000;
pub const PACKAGE_BUDGET: u64 = 4_000_000;

/// Fails when `what` (`bytes` long) is over `budget`: a dependency or a profile change that grows every install
/// shows here rather than after publication.
pub fn within_budget(what: &str, bytes: u64, budget: u64) -> Result<()> {
    if bytes > budget {
        bail!("{what} is {}, over its budget of {}", in_units(bytes), in_units(budget));
    }
    println!("{what}: {} (budget {})", in_units(bytes), in_units(budget));
    Ok(())
}

/// The pinned cargo-zigbuild, installed into target/ when missing.
const CARGO_ZIGBUILD: &str = "0.24.1";

/// Builds `package` as shipped (the `dist` profile: link-time optimised, stripped) for x86_64 Linux against
/// glibc 2.17 with zig (the Node addon) and returns the library `file` it made. zig comes from the Python venv's `ziglang`, behind a `zig` shim on PATH.
pub fn zig_build(package: &str, file: &str) -> Result<PathBuf> {
    let tools = super::target_dir().join("dist-tools");
    let zigbuild = tools.join("bin/cargo-zigbuild");
    if !zigbuild.exists() {
        let root = tools.to_string_lossy().into_owned();
        let install =
            ["install", "--quiet", "--locked", "cargo-zigbuild", "--version", CARGO_ZIGBUILD, "--root", &root];
        run(&paths::root(), &cargo(), &install)?;
    }
    let shim = tools.join("zig");
    let python = super::python::venv().join("bin/python");
    std::fs::write(&shim, format!("#!/bin/sh\nexec \"{}\" -m ziglang \"$@\"\n", python.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755))?;
    }
    let target = "x86_64-unknown-linux-gnu.2.17";
    let args = ["zigbuild", "--profile", "dist", "--quiet", "--target", target, "--package", package];
    run_with_path(&paths::root(), &zigbuild.to_string_lossy(), &args, &tools)?;
    Ok(super::target_dir().join("x86_64-unknown-linux-gnu/dist").join(file))
}
