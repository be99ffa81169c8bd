fn main() {
    openedx_hooks_codegen::Builder::new()
        .catalog("events-build/")
        .extern_catalog(
            std::env::var("DEP_OPENEDX_EVENTS_CATALOG_DIR").expect("set by openedx-events"),
            "::openedx_events",
        )
        .out_file("events.rs")
        .compile()
        .unwrap_or_else(|e| e.exit());
}
