//! `tests/downstream/` is a crate outside the workspace that depends on it by
//! path and uses both documented set-ups (`build.rs` with the Builder, and
//! `include_catalog!`). This test builds and tests it with its own committed
//! lock file, so the set-ups are proven from outside, not just inside.

use std::path::Path;

use openedx_hooks_tests::{cargo_outside, tests_dir, workspace_root};

#[test]
fn the_downstream_crate_builds_and_passes_its_tests() {
    let output = cargo_outside("test", &tests_dir().join("downstream"), true);
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
    cargo_outside("build", dir, true)
}

#[test]
fn a_yaml_file_added_to_the_catalog_reruns_build_rs_and_its_error_fails_the_build_readably() {
    let dir = tempfile_dir("rerun");
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

/// A fresh directory for one test (`name` keeps parallel tests apart).
fn tempfile_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "openedx-hooks-downstream-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// The plugin author's first hour, as the README walks it: a crate of their
/// own, outside this workspace, with a catalog in its own namespace
/// (`type_prefix: org.example`) whose payload reuses Open edX types through
/// `extern_catalog`, a `#[receiver]`, and a test. It must build and pass.
#[test]
fn a_plugin_with_its_own_namespace_and_open_edx_types_builds_and_passes_its_tests() {
    let dir = tempfile_dir("plugin");
    for sub in ["events", "src", "tests"] {
        std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
    }
    let root = workspace_root();
    let write = |path: &str, text: String| std::fs::write(dir.join(path), text).expect("write");
    write(
        "Cargo.toml",
        format!(
            r#"[package]
name = "bookmarks-plugin"
version = "0.1.0"
edition = "2024"

[workspace]

[dependencies]
openedx-hooks = {{ path = "{root}/runtime", default-features = false }}
openedx-events = {{ path = "{root}/generated" }}

[build-dependencies]
openedx-hooks-codegen = {{ path = "{root}/codegen" }}
"#,
            root = root.display()
        ),
    );
    write(
        "build.rs",
        r#"fn main() {
    openedx_hooks_codegen::Builder::new()
        .catalog("events/")
        .extern_catalog(std::env::var("DEP_OPENEDX_EVENTS_CATALOG_DIR").unwrap(), "::openedx_events")
        .out_file("events.rs")
        .compile()
        .unwrap_or_else(|e| e.exit());
}
"#
        .into(),
    );
    write(
        "events/bookmarks.yaml",
        r#"catalog:
  type_prefix: org.example
module: bookmarks
types:
  Bookmark:
    fields:
      url: string
      owner: learning.UserData
      note: { type: string, default: "" }
events:
  BOOKMARK_CREATED:
    type: org.example.bookmarks.bookmark.created.v1
    description: "Sent after a learner bookmarks a page."
    payload:
      bookmark: Bookmark
"#
        .into(),
    );
    write(
        "src/lib.rs",
        r#"pub mod events {
    include!(concat!(env!("OUT_DIR"), "/events.rs"));
}

use events::bookmarks::{BOOKMARK_CREATED, BookmarkCreated};
use openedx_hooks::{BoxError, EventMetadata};

#[openedx_hooks::receiver(BOOKMARK_CREATED)]
fn on_bookmark(event: &BookmarkCreated, _meta: &EventMetadata) -> Result<(), BoxError> {
    if event.bookmark.url.is_empty() {
        return Err("a bookmark needs a URL".into());
    }
    Ok(())
}
"#
        .into(),
    );
    write(
        "tests/bookmarks.rs",
        r#"use bookmarks_plugin::events::bookmarks::{BOOKMARK_CREATED, Bookmark, BookmarkCreated};
use openedx_events::learning::{UserData, UserPersonalData};

#[test]
fn sending_reaches_the_receiver_and_a_capture() {
    let _strict = openedx_hooks::testing::strict();
    let captured = openedx_hooks::testing::capture(&BOOKMARK_CREATED);
    let event = BookmarkCreated {
        bookmark: Bookmark {
            url: "https://example.com/course".into(),
            owner: UserData {
                id: 7,
                is_active: true,
                pii: UserPersonalData { username: "ada".into(), email: "ada@example.com".into(), name: "Ada".into() },
            },
            note: String::new(),
        },
    };
    let report = BOOKMARK_CREATED.send_event(event.clone());
    assert_eq!(report.outcomes().len(), 2, "{report}");
    assert_eq!(captured.payloads(), vec![event]);
    assert_eq!(BOOKMARK_CREATED.event_type(), "org.example.bookmarks.bookmark.created.v1");
}
"#
        .into(),
    );
    // The downstream crate's lock file pins the same versions as this workspace.
    std::fs::copy(
        tests_dir().join("downstream/Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .expect("lock");
    let output = cargo_outside("test", &dir, false);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the plugin failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("test result: ok. 1 passed"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}
