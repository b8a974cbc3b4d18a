//! What the bench runs: toriihq as users get it — the packages built with the `dist` profile they ship with, the
//! Rust driver with `release`, as a program using the crate is built (debug for `--quick`) — and the peers
//! installed into the bench's own venv and node_modules under target/bench/.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::paths;
use crate::tasks::{cargo, python, run, target_dir};

pub struct Subjects {
    pub profile: &'static str,
    pub mock: PathBuf,
    pub rust_driver: PathBuf,
    pub python: PathBuf,
    /// Holds the client `openapi-python-client` generated from the spec.
    pub python_path: PathBuf,
    pub node_package: PathBuf,
}

pub fn bench_dir() -> PathBuf {
    target_dir().join("bench")
}

fn spec() -> Result<PathBuf> {
    Ok(toriihq_spec::document_path(&paths::built_spec_dir()?)?)
}

pub fn prepare(shipped: bool) -> Result<Subjects> {
    // The mock is the server every client shares the machine with: built for speed (the packages carry it built
    // for size, off their call path), as the Rust driver is.
    let (profile, program_profile) = if shipped { ("dist", "release") } else { ("debug", "debug") };
    let root = paths::root();
    std::fs::create_dir_all(bench_dir())?;
    let build = |package: &str, profile: &str| {
        let mut args = vec!["build", "--quiet", "-p", package];
        if profile != "debug" {
            args.extend(["--profile", profile]);
        }
        run(&root, &cargo(), &args)
    };
    // The peers download while cargo compiles: one waits on the network, the other on the CPU.
    let (compiled, peers) = std::thread::scope(|scope| {
        let peers = scope.spawn(install_peers);
        // The Rust driver alone, as a program using the crate is built: with the mock beside it, cargo would unify
        // serde_json's features and give its `Value`s the spec loader's `preserve_order`.
        let compiled = build("toriihq-bench", program_profile)
            .and_then(|()| build("toriihq-node", profile))
            .and_then(|()| build("toriihq-mock", program_profile));
        (compiled, peers.join())
    });
    compiled?;
    let python_path = peers.map_err(|_| anyhow::anyhow!("installing the peers panicked"))??;
    let built = target_dir().join(profile);
    Ok(Subjects {
        profile,
        mock: target_dir().join(program_profile).join("toriihq-mock"),
        rust_driver: target_dir().join(program_profile).join("toriihq-bench"),
        python: install_toriihq_wheel(shipped)?,
        python_path,
        node_package: node_package(&built.join("libtoriihq_node.so"))?,
    })
}

fn bench_python() -> PathBuf {
    bench_dir().join("python-venv/bin/python")
}

/// Every peer, and maturin for the wheel; returns where the generated Python client is.
fn install_peers() -> Result<PathBuf> {
    let python = bench_python();
    if !python.exists() {
        let system = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let venv = bench_dir().join("python-venv");
        run(&paths::root(), &system, &["-m", "venv", &venv.to_string_lossy()])?;
    }
    let py = python.to_string_lossy().into_owned();
    let requirements = paths::root().join("bench/python/requirements.txt");
    run(&paths::root(), &py, &["-m", "pip", "install", "--quiet", "-r", &requirements.to_string_lossy()])?;
    python::ensure_venv()?;
    node_peers()?;
    python_generated_client()
}

/// The package as users install it: a wheel, not the editable build the tests use; the one for this Python, which
/// pip prefers to the abi3 one.
fn install_toriihq_wheel(shipped: bool) -> Result<PathBuf> {
    let python = bench_python();
    let py = python.to_string_lossy().into_owned();
    let wheels = bench_dir().join("wheels");
    let _ = std::fs::remove_dir_all(&wheels);
    let maturin = python::venv().join("bin/maturin").to_string_lossy().into_owned();
    let mut args = vec!["build", "--quiet", "--no-default-features", "--out", wheels.to_str().context("target path")?];
    if shipped {
        args.extend(["--profile", "dist"]);
    }
    run(&paths::root().join("bindings/python"), &maturin, &args)?;
    let wheel = std::fs::read_dir(&wheels)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| path.extension().is_some_and(|e| e == "whl"))
        .context("maturin wrote no wheel")?;
    let wheel = wheel.to_string_lossy().into_owned();
    run(&paths::root(), &py, &["-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", &wheel])?;
    Ok(python)
}

/// The client `openapi-python-client` generates from the same spec, as its users would use it.
fn python_generated_client() -> Result<PathBuf> {
    let out = bench_dir().join("openapi-python-client");
    let generator = bench_dir().join("python-venv/bin/openapi-python-client").to_string_lossy().into_owned();
    let spec = spec()?;
    let config = paths::root().join("bench/python/openapi-python-client.yaml");
    let target = out.join("torii_api_client");
    run(
        &paths::root(),
        &generator,
        &[
            "generate",
            "--path",
            spec.to_str().context("spec path")?,
            "--config",
            config.to_str().context("config path")?,
            "--meta",
            "none",
            "--overwrite",
            "--output-path",
        ]
        .into_iter()
        .chain([target.to_str().context("target path")?])
        .collect::<Vec<_>>(),
    )?;
    Ok(out)
}

/// The Node peers, and the `openapi-typescript` types of the same spec, as openapi-fetch users have them.
fn node_peers() -> Result<()> {
    let bench_node = paths::root().join("bench/node");
    crate::tasks::node::install_locked(&bench_node)?;
    let spec = spec()?;
    let types = bench_dir().join("torii-api.d.ts");
    run(
        &bench_node,
        &bench_node.join("node_modules/.bin/openapi-typescript").to_string_lossy(),
        &[spec.to_str().context("spec path")?, "--output", types.to_str().context("target path")?, "--silent"],
    )
}

/// A copy of the Node package with the addon of this build.
fn node_package(addon: &Path) -> Result<PathBuf> {
    let package = bench_dir().join("node-toriihq");
    let _ = std::fs::remove_dir_all(&package);
    std::fs::create_dir_all(package.join("lib"))?;
    let source = paths::root().join("bindings/node");
    for file in ["package.json", "index.js", "index.mjs", "index.d.ts", "native.js", "native.d.ts"] {
        std::fs::copy(source.join(file), package.join(file)).with_context(|| format!("copying {file}"))?;
    }
    for entry in std::fs::read_dir(source.join("lib"))? {
        let path = entry?.path();
        std::fs::copy(&path, package.join("lib").join(path.file_name().context("file name")?))?;
    }
    std::fs::copy(addon, package.join("toriihq.linux-x64-gnu.node")).context("copying the addon")?;
    Ok(package)
}
