//! `tests/downstream/` is a crate outside the workspace that depends on it by
//! path and uses both documented set-ups (`build.rs` with the Builder, and
//! `include_catalog!`). This test builds and tests it with its own committed
//! lock file, so the set-ups are proven from outside, not just inside.

use std::process::Command;

use openedx_hooks_tests::{tests_dir, workspace_root};

#[test]
fn the_downstream_crate_builds_and_passes_its_tests() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["test", "--locked", "--manifest-path"])
        .arg(tests_dir().join("downstream/Cargo.toml"))
        // Its own target directory: this `cargo test` holds the workspace's.
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/downstream"),
        )
        .env_remove("OPENEDX_HOOKS_MANIFEST_DIR")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "downstream failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("test result: ok. 2 passed"),
        "the downstream tests did not run:\n{stdout}"
    );
}
