//! The maintainer's first hour, walked end to end in a temporary copy of
//! the bundled catalog: add an event, regenerate every checked-in output
//! with the one command, and let `compat` gate the change (the plugin
//! author's walk is `tests/downstream.rs`).

use std::path::Path;
use std::process::{Command, Output};

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

fn hooks(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openedx-hooks"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

use openedx_hooks_tests::{git, output_text as text};

const NEW_EVENT: &str = "  COURSE_BOOKMARK_CREATED:
    type: org.openedx.learning.course.bookmark.created.v1
    minor_version: 0
    description: \"Sent after a learner bookmarks a unit of a course.\"
    added: 2026-11-29
    payload:
      user: UserData
      course_key: CourseKey
";

#[test]
fn a_maintainer_adds_an_event_regenerates_everything_and_passes_the_gate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::create_dir_all(d.join("generated/events")).expect("mkdir");
    for entry in std::fs::read_dir(root().join("generated/events")).expect("catalog") {
        let path = entry.expect("entry").path();
        std::fs::copy(
            &path,
            d.join("generated/events")
                .join(path.file_name().expect("name")),
        )
        .expect("copy");
    }
    // The repository's manifest, its events catalog's entry.
    let manifest = std::fs::read_to_string(root().join("openedx-hooks.toml")).expect("manifest");
    let events_entry = manifest
        .split("[[outputs]]")
        .find(|entry| entry.contains("\"generated/events\"]"))
        .expect("the events catalog's outputs");
    std::fs::write(
        d.join("openedx-hooks.toml"),
        format!("[[outputs]]{events_entry}"),
    )
    .expect("manifest");

    // The one command writes every checked-in output, byte-identical to the
    // repository's own.
    let o = hooks(d, &["refresh"]);
    assert!(o.status.success(), "{}", text(&o));
    for file in [
        "generated/src/events.rs",
        "docs/index.rst",
        "docs/markdown/index.md",
    ] {
        assert_eq!(
            std::fs::read_to_string(d.join(file)).expect("written"),
            std::fs::read_to_string(root().join(file)).expect("checked in"),
            "{file}"
        );
    }
    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "baseline"]);

    // Edit the YAML: the outputs are now stale, and `--check` says so.
    let learning = d.join("generated/events/learning.yaml");
    let mut yaml = std::fs::read_to_string(&learning).expect("yaml");
    yaml.push_str(NEW_EVENT);
    std::fs::write(&learning, yaml).expect("write");
    let o = hooks(d, &["check", "generated/events"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = hooks(d, &["refresh", "--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("+    pub static COURSE_BOOKMARK_CREATED"),
        "a diff: {}",
        text(&o)
    );
    assert!(
        text(&o).contains("run `openedx-hooks refresh`"),
        "{}",
        text(&o)
    );

    // Regenerate: code and both docs follow, and the check is clean.
    let o = hooks(d, &["refresh"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("wrote generated/src/events.rs"),
        "{}",
        text(&o)
    );
    assert!(
        std::fs::read_to_string(d.join("docs/markdown/index.md"))
            .expect("index")
            .contains("COURSE_BOOKMARK_CREATED")
    );
    let o = hooks(d, &["refresh", "--check"]);
    assert!(o.status.success(), "{}", text(&o));

    // The gate passes, and reports the addition.
    let o = hooks(d, &["compat", "generated/events", "--against", "git:HEAD"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("EVENT_ADDED]: COURSE_BOOKMARK_CREATED"), "{t}");
    assert!(
        t.contains("0 breaking, 0 minor, 0 warnings, 1 additions"),
        "{t}"
    );
}
