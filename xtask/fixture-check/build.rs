//! Generates the Rust client for every fixture spec and every spec version in `spec/torii/` into OUT_DIR, so
//! `cargo build` / `cargo test` compile exactly what the generator produces, snapshots included.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut modules = String::new();
    let mut emit = |name: &str, code: String| {
        std::fs::write(out_dir.join(format!("{name}.rs")), code).expect("OUT_DIR is writable");
        writeln!(
            modules,
            "#[allow(clippy::all, dead_code, unused_imports, missing_docs)]\npub mod {name} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{name}.rs\"));\n}}"
        )
        .expect("writing to a String");
    };
    watch(&xtask::generators::fixtures::dir());
    for name in xtask::generators::fixtures::names().expect("fixtures are listed") {
        let code =
            xtask::generators::fixtures::generate_fixture(&name).unwrap_or_else(|e| panic!("fixture {name}: {e:#}"));
        emit(&name, code);
    }
    for (module, dir) in xtask::generators::fixtures::spec_versions().expect("spec versions are listed") {
        watch(&dir);
        let code = xtask::generators::fixtures::generate_spec_version(&module, &dir)
            .unwrap_or_else(|e| panic!("{}: {e:#}", dir.display()));
        emit(&module, code);
    }
    std::fs::write(out_dir.join("fixtures.rs"), modules).expect("OUT_DIR is writable");
}

fn watch(dir: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        println!("cargo:rerun-if-changed={}", entry.path().display());
    }
}
