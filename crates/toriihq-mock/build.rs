//! Embeds the spec version the packages are built from (named by spec/torii/VERSION), so the binary serves it
//! without `--spec`.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let version_file = root.join("spec/torii/VERSION");
    println!("cargo:rerun-if-changed={}", version_file.display());
    let version = std::fs::read_to_string(&version_file).expect("spec/torii/VERSION");
    let dir = root.join("spec/torii").join(version.trim());
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let document = ["openapi.yaml", "openapi.json"]
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.exists())
        .expect("the built spec folder holds openapi.yaml or openapi.json");
    println!("cargo:rerun-if-changed={}", document.display());
    std::fs::copy(&document, out.join("openapi")).expect("copy the document");
    let overlay = dir.join("overlay.yaml");
    println!("cargo:rerun-if-changed={}", overlay.display());
    let overlay_text = std::fs::read_to_string(&overlay).unwrap_or_default();
    std::fs::write(out.join("overlay"), overlay_text).expect("write the overlay");
    std::fs::write(out.join("version"), version.trim()).expect("write the version");
}
