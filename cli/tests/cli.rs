//! The `openedx-hooks` command-line contract: subcommands, flags, output
//! shapes and exit codes (0 valid, 1 invalid, 2 usage or I/O error).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openedx-hooks"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_accepts_the_bundled_catalog() {
    let o = run(&["check", "generated/events", "--deny-warnings"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "ok: 4 modules, 73 events, 49 data classes, 7 scalars, 0 enums in 4 files (0 warnings)"
    );
}

#[test]
fn check_rejects_an_invalid_catalog_with_rendered_diagnostics() {
    let o = run(&["check", "tests/fixtures/invalid/unknown_type.yaml"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("error[unknown-type]: unknown type `UserDta` in module `learning`"),
        "{err}"
    );
    assert!(
        err.contains("--> tests/fixtures/invalid/unknown_type.yaml:16:13"),
        "{err}"
    );
    assert!(err.contains("= help: did you mean `UserData`?"), "{err}");
    assert!(
        err.trim_end()
            .ends_with("error: the catalog is invalid: 5 errors and 1 warning"),
        "{err}"
    );
}

#[test]
fn check_json_has_one_object_per_diagnostic() {
    let o = run(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/invalid/unknown_type.yaml",
    ]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON on stdout");
    let items = v.as_array().expect("array");
    assert_eq!(items.len(), 6);
    let first_error = items
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error");
    let keys: Vec<&str> = first_error
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "severity", "code", "message", "file", "line", "column", "help"
        ]
    );
    assert_eq!(first_error["code"], "unknown-type");
    assert_eq!(
        first_error["file"],
        "tests/fixtures/invalid/unknown_type.yaml"
    );
    assert_eq!(first_error["line"], 6);
    assert_eq!(first_error["column"], 14);
    assert_eq!(first_error["help"], "did you mean `string`?");
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let path = "tests/fixtures/invalid/unused.yaml";
    let o = run(&["check", path]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("warning[unused]"));
    let o = run(&["check", path, "--deny-warnings"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("denied by --deny-warnings"));
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(code(&run(&["check"])), 2);
    assert_eq!(
        code(&run(&["check", "--format", "xml", "generated/events"])),
        2
    );
    let o = run(&["check", "no/such/dir"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("cannot read `no/such/dir`"));
    let o = run(&["check", "cli/src"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("holds no `*.yaml` or `*.yml` file"));
}

#[test]
fn inspect_prints_the_documented_ir_shape() {
    let o = run(&["inspect", "generated/events"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["files"][3], "generated/events/learning.yaml");
    assert_eq!(v["settings"]["type_prefix"], "org.openedx");
    let learning = &v["modules"][3];
    assert_eq!(learning["name"], "learning");
    assert_eq!(learning["events"].as_array().map(Vec::len), Some(37));
    let user_data = &learning["types"][0];
    assert_eq!(user_data["name"], "UserData");
    assert_eq!(
        user_data["fields"][2]["type"],
        serde_json::json!({"kind": "record", "module": "learning", "name": "UserPersonalData"})
    );
}

#[test]
fn inspect_shape_snapshot() {
    let o = run(&["inspect", "tests/fixtures/valid/inspect.yaml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    insta::assert_json_snapshot!(v);
}

#[test]
fn inspect_of_an_invalid_catalog_exits_1() {
    let o = run(&["inspect", "tests/fixtures/invalid/unknown_type.yaml"]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("error[unknown-type]"));
}

#[test]
fn generate_writes_only_on_change_and_check_reports_staleness() {
    let dir = std::env::temp_dir().join(format!("openedx-hooks-cli-gen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("events.rs");
    let out_arg = out.to_str().expect("utf-8 temp path");
    let catalog = "tests/fixtures/valid/inspect.yaml";

    // Missing output: --check fails, a plain run writes it.
    assert_eq!(
        code(&run(&["generate", catalog, "--out", out_arg, "--check"])),
        1
    );
    let o = run(&["generate", catalog, "--out", out_arg]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote"));
    let written = std::fs::read_to_string(&out).expect("written");
    assert!(written.starts_with(
        "// @generated by openedx-hooks from:\n//   tests/fixtures/valid/inspect.yaml\n"
    ));
    let modified = std::fs::metadata(&out)
        .and_then(|m| m.modified())
        .expect("mtime");

    // Fresh: --check passes; a plain run leaves the file untouched.
    let o = run(&["generate", catalog, "--out", out_arg, "--check"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(code(&run(&["generate", catalog, "--out", out_arg])), 0);
    assert_eq!(
        std::fs::metadata(&out)
            .and_then(|m| m.modified())
            .expect("mtime"),
        modified
    );

    // Stale: exit 1 with a unified diff on stdout.
    std::fs::write(
        &out,
        written.replace("pub struct UserData", "pub struct UserDatum"),
    )
    .expect("edit");
    let o = run(&["generate", catalog, "--out", out_arg, "--check"]);
    assert_eq!(code(&o), 1);
    let diff = stdout(&o);
    assert!(
        diff.contains("-    pub struct UserDatum {") && diff.contains("+    pub struct UserData {"),
        "{diff}"
    );
    assert!(stderr(&o).contains("is stale"));

    // An invalid catalog: exit 1 with diagnostics, nothing written.
    let o = run(&[
        "generate",
        "tests/fixtures/invalid/unknown_type.yaml",
        "--out",
        out_arg,
    ]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("error[unknown-type]"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn generators_still_show_warnings() {
    let dir = std::env::temp_dir().join(format!("openedx-hooks-cli-warn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("events.rs");
    let o = run(&[
        "generate",
        "tests/fixtures/invalid/unused.yaml",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("warning[unused]: type `Orphan` is not used by any event"));
    let o = run(&["inspect", "tests/fixtures/invalid/unused.yaml"]);
    assert_eq!(code(&o), 0);
    assert!(stderr(&o).contains("warning[unused]"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn triggers_finds_sends_in_rust_and_python_through_aliases() {
    let o = run(&[
        "triggers",
        "tests/fixtures/triggers/rust",
        "tests/fixtures/triggers/python",
        "--catalog",
        "generated/events",
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let locations = |name: &str| -> Vec<String> {
        report["events"]
            .as_array()
            .expect("events")
            .iter()
            .find(|e| e["name"] == name)
            .map(|e| {
                e["locations"]
                    .as_array()
                    .expect("locations")
                    .iter()
                    .map(|l| format!("{}:{}", l["path"].as_str().unwrap_or_default(), l["line"]))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        locations("SESSION_LOGIN_COMPLETED"),
        ["src/lib.rs:7", "src/lib.rs:17"]
    );
    assert_eq!(locations("COURSE_ENROLLMENT_CREATED"), ["src/lib.rs:14"]);
    assert_eq!(
        locations("STUDENT_REGISTRATION_COMPLETED"),
        ["lms/djangoapps/views.py:10"]
    );
    assert_eq!(
        locations("CERTIFICATE_CREATED"),
        ["lms/djangoapps/views.py:15"]
    );
    assert_eq!(
        locations("CERTIFICATE_CHANGED"),
        ["lms/djangoapps/views.py:18"]
    );
    let unsent = report["unsent"].as_array().expect("unsent");
    assert_eq!(unsent.len(), 73 - 5);
    // Text: a warning names the events no file sends.
    let o = run(&[
        "triggers",
        "tests/fixtures/triggers",
        "--catalog",
        "generated/events",
    ]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("SESSION_LOGIN_COMPLETED (org.openedx.learning.auth.session.login.completed.v1)\n  rust/src/lib.rs:7\n"), "{}", stdout(&o));
    assert!(stderr(&o).contains("warning: 68 of 73 events are not sent by any scanned file"));
}

#[test]
fn docs_links_dates_to_found_triggers_and_check_detects_staleness() {
    let o = run(&[
        "docs",
        "generated/events",
        "--format",
        "markdown",
        "--triggers",
        "tests/fixtures/triggers/python",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("[2021-09-02](<https://github.com/openedx/edx-platform/blob/master/lms/djangoapps/views.py#L10>)"),
        "{}",
        stdout(&o)
    );
    let dir = std::env::temp_dir().join(format!("openedx-hooks-docs-{}", std::process::id()));
    let out = dir.to_str().expect("utf-8");
    assert_eq!(code(&run(&["docs", "generated/events", "--out", out])), 0);
    assert_eq!(
        code(&run(&["docs", "generated/events", "--out", out, "--check"])),
        0
    );
    std::fs::write(dir.join("reference/learning.rst"), "stale").expect("write");
    let o = run(&["docs", "generated/events", "--out", out, "--check"]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("-stale"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn build_writes_every_output_once_and_then_nothing() {
    let dir = std::env::temp_dir().join(format!("openedx-hooks-build-{}", std::process::id()));
    let out = dir.to_str().expect("utf-8");
    let o = run(&["build", "generated/events", "--out", out]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    for step in [
        "catalog ", "rust ", "avro ", "json ", "python ", "docs ", "docs-md ", "built ",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(step)),
            "no `{step}` line in:\n{text}"
        );
    }
    // 157 before the Python package's 13 files.
    assert!(text.contains("170 file(s) written, 0 unchanged"), "{text}");
    let rust = std::fs::read_to_string(dir.join("rust/events.rs")).expect("rust");
    let checked_in =
        std::fs::read_to_string(root().join("generated/src/events.rs")).expect("checked in");
    assert!(rust == checked_in, "build's Rust differs from generate's");
    assert!(
        dir.join("avro/org.openedx.learning.student.registration.completed.v1.avsc")
            .is_file()
    );
    assert!(
        dir.join("json-schema/org.openedx.learning.student.registration.completed.v1.schema.json")
            .is_file()
    );
    assert!(dir.join("docs/reference/learning.rst").is_file());
    let python = std::fs::read_to_string(dir.join("python/openedx_events/learning/signals.py"))
        .expect("python");
    let checked_in =
        std::fs::read_to_string(root().join("generated/python/openedx_events/learning/signals.py"))
            .expect("checked in");
    assert!(
        python == checked_in,
        "build's Python differs from refresh's"
    );
    let again = run(&["build", "generated/events", "--out", out]);
    assert!(
        stdout(&again).contains("0 file(s) written, 170 unchanged"),
        "{}",
        stdout(&again)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_closed_pipe_ends_the_command_quietly_not_with_a_panic() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_openedx-hooks"))
        .args(["inspect", "generated/events"])
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    // Read a little, then close the pipe, as `| head -1` does.
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("some output");
    let out = child.wait_with_output().expect("waits");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
}

#[test]
fn a_catalog_that_uses_an_extern_catalog_is_checked_gated_and_built_with_it() {
    let filters = "generated/openedx-filters/filters";
    // Alone, its `CourseKey` (the events catalog's) is unknown.
    let o = run(&["check", filters]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("unknown type `CourseKey`"),
        "{}",
        stderr(&o)
    );
    let o = run(&["check", filters, "--extern-catalog", "generated/events"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("ok: 4 modules, 0 events, 0 data classes, 0 scalars, 0 enums, 43 filters, 15 host types in 4 files"),
        "{}",
        stdout(&o)
    );
    let o = run(&[
        "compat",
        filters,
        "--extern-catalog",
        "generated/events",
        "--against",
        filters,
    ]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    // `build` writes Rust, which needs the crate that generates the extern
    // catalog; with it, the same code as the checked-in crate.
    let out = tempfile::tempdir().expect("tempdir");
    let dir = out.path().to_str().expect("utf-8");
    let o = run(&[
        "build",
        filters,
        "--extern-catalog",
        "generated/events",
        "--out",
        dir,
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("needs the crate that generates it"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "build",
        filters,
        "--extern-catalog",
        "generated/events=::openedx_events",
        "--out",
        dir,
        "--python-package",
        "openedx_filters",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.path().join("rust/events.rs")).expect("written"),
        std::fs::read_to_string(root().join("generated/openedx-filters/src/filters.rs"))
            .expect("checked in")
    );
    // And the same Python package as the checked-in one.
    for module in [
        "authentication",
        "content_authoring",
        "learning",
        "management",
    ] {
        let path = format!("openedx_filters/{module}/filters.py");
        assert_eq!(
            std::fs::read_to_string(out.path().join("python").join(&path)).expect("written"),
            std::fs::read_to_string(root().join("generated/python").join(&path))
                .expect("checked in"),
            "{path}"
        );
    }
    // Filters are not on the wire: no schemas of the extern events either.
    assert_eq!(
        std::fs::read_dir(out.path().join("avro"))
            .map(|d| d.count())
            .unwrap_or(0),
        0
    );
}
