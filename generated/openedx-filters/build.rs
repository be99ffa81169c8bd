//! Tells dependent build scripts where the catalog's YAML is, so a plugin's
//! `build.rs` can use these types instead of generating them again.

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("filters");
    println!("cargo::metadata=catalog_dir={}", dir.display());
    println!("cargo::rerun-if-changed=build.rs");
}
