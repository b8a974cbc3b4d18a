fn main() {
    let spec = toriihq_spec::load_dir(std::path::Path::new("spec/torii/1.1.0")).unwrap();
    let out = xtask::rust_client::generate(&spec, &Default::default()).unwrap();
    std::fs::write("crates/toriihq/src/generated.rs", out).unwrap();
}
