//! The three entry points give byte-identical code: the CLI's `generate`,
//! the `build.rs` `Builder`, and `include_catalog!` (which runs the Builder
//! with `base_dir` = the crate's manifest directory and lexes its output
//! unchanged; `tests/macros/pass` compiles that expansion).

use std::path::{Path, PathBuf};
use std::process::Command;

use openedx_hooks_codegen::Builder;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn cli_generate(args: &[&str]) -> String {
    let out = tempfile::tempdir().expect("tempdir");
    let file = out.path().join("events.rs");
    let o = Command::new(env!("CARGO_BIN_EXE_openedx-hooks"))
        .arg("generate")
        .args(args)
        .arg("--out")
        .arg(&file)
        .current_dir(root())
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(file).expect("written")
}

/// What `build.rs` gets (run from the manifest directory) and what the macro
/// gets (relative to it): the same Builder.
fn builder_generate(builder: Builder) -> String {
    let out = tempfile::tempdir().expect("tempdir");
    let path = builder
        .base_dir(root())
        .out_dir(out.path())
        .emit_rerun_if_changed(false)
        .compile()
        .expect("compiles");
    std::fs::read_to_string(path).expect("written")
}

#[test]
fn the_open_edx_catalog_is_identical_through_every_entry_point() {
    let cli = cli_generate(&["generated/events"]);
    let built = builder_generate(Builder::new().catalog("generated/events"));
    let checked_in =
        std::fs::read_to_string(root().join("generated/src/events.rs")).expect("checked in");
    assert!(cli == built, "the CLI and the Builder differ");
    assert!(
        cli == checked_in,
        "generated/src/events.rs is not what the CLI generates"
    );
}

#[test]
fn settings_give_identical_code_through_the_cli_flags_and_the_builder() {
    let cli = cli_generate(&[
        "tests/macros/catalogs/plugin.yaml",
        "--extern-catalog",
        "generated/events=::openedx_events",
        "--derive",
        "::core::default::Default",
        "--type-attribute",
        "webhooks.DeliveryData=#[serde(deny_unknown_fields)]",
        "--runtime-crate",
        "::openedx_hooks",
    ]);
    let built = builder_generate(
        Builder::new()
            .catalog("tests/macros/catalogs/plugin.yaml")
            .extern_catalog("generated/events", "::openedx_events")
            .derive("::core::default::Default")
            .type_attribute("webhooks.DeliveryData", "#[serde(deny_unknown_fields)]")
            .runtime_crate("::openedx_hooks"),
    );
    assert!(
        cli == built,
        "the CLI and the Builder differ:\n{cli}\n---\n{built}"
    );
    // The settings took effect (so the comparison is not of two empty files).
    assert!(cli.contains("#[serde(deny_unknown_fields)]"));
    assert!(cli.contains("#[derive(::core::default::Default)]"));
    assert!(cli.contains("::openedx_events::learning::UserData"));
    assert!(!cli.contains("pub struct UserData"));
}

#[test]
fn bad_flag_values_are_usage_errors() {
    for (flag, value, expected) in [
        ("--type-attribute", "no-equals-sign", "expected KEY=VALUE"),
        ("--extern-module", "nope=::x", "no module of that name"),
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_openedx-hooks"))
            .args([
                "generate",
                "generated/events",
                "--out",
                "/dev/null",
                flag,
                value,
            ])
            .current_dir(root())
            .output()
            .expect("runs");
        assert_eq!(o.status.code(), Some(2), "{flag} {value}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(expected),
            "{flag} {value}"
        );
    }
}
