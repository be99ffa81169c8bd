//! `tests/downstream/` is a crate outside the workspace that depends on it by
//! path and uses both documented set-ups (`build.rs` with the Builder, and
//! `include_catalog!`). This test builds and tests it with its own committed
//! lock file, so the set-ups are proven from outside, not just inside.

use std::path::Path;
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

/// Copies the downstream crate to a temporary directory, with its path
/// dependencies made absolute, so a test can change its catalog.
fn copy_downstream(to: &Path) {
    let from = tests_dir().join("downstream");
    for dir in ["src", "tests", "events-build", "events-macro"] {
        std::fs::create_dir_all(to.join(dir)).expect("mkdir");
        for entry in std::fs::read_dir(from.join(dir)).expect("read") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, to.join(dir).join(path.file_name().expect("name"))).expect("copy");
        }
    }
    for file in ["build.rs", "Cargo.lock"] {
        std::fs::copy(from.join(file), to.join(file)).expect("copy");
    }
    let root = workspace_root();
    let manifest = std::fs::read_to_string(from.join("Cargo.toml"))
        .expect("manifest")
        .replace("../../", &format!("{}/", root.display()));
    std::fs::write(to.join("Cargo.toml"), manifest).expect("write");
    // The macro's extern catalog is relative to the manifest too.
    let lib = std::fs::read_to_string(to.join("src/lib.rs"))
        .expect("lib")
        .replace(
            "\"../../generated/events\"",
            &format!("{:?}", root.join("generated/events")),
        );
    std::fs::write(to.join("src/lib.rs"), lib).expect("write");
}

fn cargo_build(dir: &Path) -> std::process::Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(["build", "--locked", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/downstream"),
        )
        .env_remove("OPENEDX_HOOKS_MANIFEST_DIR")
        .output()
        .expect("cargo runs")
}

#[test]
fn a_yaml_file_added_to_the_catalog_reruns_build_rs_and_its_error_fails_the_build_readably() {
    let dir = tempfile_dir();
    copy_downstream(&dir);
    let ok = cargo_build(&dir);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    // A new file in `events-build/`: Cargo must rerun the build script (the
    // directory is tracked), which must fail with the rendered diagnostic.
    std::fs::write(
        dir.join("events-build/extra.yaml"),
        "module: extra\nevents:\n  EXTRA_HAPPENED:\n    type: org.openedx.extra.thing.happened.v1\n    payload:\n      user: learning.UserDta\n",
    )
    .expect("write");
    let failed = cargo_build(&dir);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success(), "the build should fail:\n{stderr}");
    assert!(stderr.contains("error[unknown-type]"), "{stderr}");
    assert!(
        stderr.contains("--> events-build/extra.yaml:6:22"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `UserData`?"), "{stderr}");
    // The diagnostic is the first thing shown, above Cargo's dump of the
    // script's `rerun-if-changed` lines.
    let first_error = stderr.find("events-build/extra.yaml:6:22").expect("shown");
    let first_rerun = stderr.find("rerun-if-changed").unwrap_or(usize::MAX);
    assert!(first_error < first_rerun, "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("openedx-hooks-downstream-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}
