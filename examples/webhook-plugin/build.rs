//! Compiles the plugin's own event (`events/`) with the `build.rs` Builder.
//! Its payload reuses `openedx_events::learning::UserData`: the Open edX
//! catalog, found through `openedx-events`' `links` metadata, is extern.

fn main() {
    let open_edx = std::env::var("DEP_OPENEDX_EVENTS_CATALOG_DIR")
        .expect("openedx-events sets DEP_OPENEDX_EVENTS_CATALOG_DIR for its dependents");
    openedx_hooks_codegen::Builder::new()
        .catalog("events/")
        .extern_catalog(open_edx, "::openedx_events")
        .out_file("events.rs")
        .compile()
        .unwrap_or_else(|e| e.exit());
}
