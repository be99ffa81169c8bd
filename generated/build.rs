//! Tells dependent build scripts where the catalog's YAML is, so a plugin's
//! `build.rs` can use these types instead of generating them again:
//! `Builder::extern_catalog(env::var("DEP_OPENEDX_EVENTS_CATALOG_DIR")?, "::openedx_events")`.

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
    println!("cargo::metadata=catalog_dir={}", dir.display());
    println!("cargo::rerun-if-changed=build.rs");
}
