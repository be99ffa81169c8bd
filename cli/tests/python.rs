//! `openedx-hooks python`: the catalog's Python package, checked against the
//! real openedx-events 10.5.0 (every signal, class, field, default, schema
//! and the committed vectors' bytes) and openedx-filters 3.16.0 (every
//! filter, exception and pipeline result), ruff and mypy; `--check`.

mod common;

use common::run;
use openedx_hooks_tests::python::reference_python;

fn venv_tool(name: &str) -> std::path::PathBuf {
    reference_python()
        .parent()
        .expect("the virtualenv's bin")
        .join(name)
}

/// Writes the package `package` of a catalog into a temporary directory
/// and runs a check script of `tests/python/` on it (after the directory
/// and the package, `extra` arguments); the directory and the report.
fn generate_and_check(
    catalog: &[&str],
    package: &str,
    script: &str,
    extra: &[&std::path::Path],
) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let args = [&["python"], catalog, &["--out", out, "--package", package]].concat();
    let o = run(&args, "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let check = std::process::Command::new(reference_python())
        .arg(common::root().join("tests/python").join(script))
        .arg(out)
        .arg(package)
        .args(extra)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(
        check.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    (dir, report)
}

#[test]
fn the_generated_package_matches_openedx_events() {
    let vectors = common::root().join("tests/vectors/avro");
    let (dir, report) = generate_and_check(
        &["generated/events"],
        "generated_events",
        "check_generated.py",
        &[&vectors],
    );
    assert!(
        report.starts_with("73 signals, 49 classes, 128 vectors compared; 0 differences"),
        "{report}"
    );
    lint(dir.path(), "generated_events");
}

/// ruff (check and format) and mypy pass on the package under `dir`.
fn lint(dir: &std::path::Path, package: &str) {
    for (tool, args) in [
        ("ruff", vec!["check", "--no-cache", package]),
        ("ruff", vec!["format", "--check", "--no-cache", package]),
        (
            "mypy",
            vec!["--ignore-missing-imports", "--no-incremental", package],
        ),
    ] {
        let o = std::process::Command::new(venv_tool(tool))
            .args(&args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{tool} {args:?}:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// The 43 filters against openedx-filters 3.16.0: classes, filter types,
/// `run_filter` signatures, exceptions, and the same results through
/// configured and mocked pipelines.
#[test]
fn the_generated_filters_match_openedx_filters() {
    let (dir, report) = generate_and_check(
        &[
            "generated/openedx-filters/filters",
            "--extern-catalog",
            "generated/events",
        ],
        "generated_filters",
        "check_filters.py",
        &[],
    );
    assert!(
        report.starts_with("43 filters compared, ") && report.contains(" 0 differences"),
        "{report}"
    );
    lint(dir.path(), "generated_filters");
}

#[test]
fn check_mode_reports_stale_files_with_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    assert!(
        run(&["python", "generated/events", "--out", out], "")
            .status
            .success()
    );
    let o = run(&["python", "generated/events", "--out", out, "--check"], "");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let data = dir.path().join("openedx_events/learning/data.py");
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(&data, text.replace("frozen=True", "frozen=False")).unwrap();
    let o = run(&["python", "generated/events", "--out", out, "--check"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("+@attr.s(frozen=True)"));
    // Nothing was written in check mode.
    assert!(
        std::fs::read_to_string(&data)
            .unwrap()
            .contains("frozen=False")
    );
    let bad = run(
        &[
            "python",
            "generated/events",
            "--out",
            out,
            "--package",
            "not-a-name",
        ],
        "",
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a Python package name"));
}

/// The language's corner cases (recursive and mutually recursive classes,
/// defaults of every type) give a package that imports and passes ruff;
/// fields Python cannot declare (keywords) are errors naming each.
#[test]
fn every_valid_fixture_gives_importable_python() {
    for fixture in ["recursive", "inspect"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().to_str().unwrap();
        let path = format!("tests/fixtures/valid/{fixture}.yaml");
        let o = run(&["python", &path, "--out", out, "--package", "hooks"], "");
        assert!(
            o.status.success(),
            "{fixture}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let modules: Vec<String> = std::fs::read_dir(dir.path().join("hooks"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let imports: String = modules
            .iter()
            .map(|m| format!("import hooks.{m}.data, hooks.{m}.signals\n"))
            .collect();
        let script = format!(
            "import django\nfrom django.conf import settings\nsettings.configure(INSTALLED_APPS=[], USE_TZ=True)\ndjango.setup()\n{imports}print('ok')\n"
        );
        let o = std::process::Command::new(reference_python())
            .args(["-c", &script])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{fixture}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        for args in [
            vec!["check", "--no-cache", "hooks"],
            vec!["format", "--check", "--no-cache", "hooks"],
        ] {
            let o = std::process::Command::new(venv_tool("ruff"))
                .args(&args)
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{fixture} ruff {args:?}: {}",
                String::from_utf8_lossy(&o.stdout)
            );
        }
    }
}

#[test]
fn python_keywords_as_field_names_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = run(
        &["python", "tests/fixtures/valid/keywords.yaml", "--out", out],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("field `async` is a Python keyword"), "{err}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

/// A filter taking a data class imports it from its module's `data.py`
/// (ruff and mypy see the name); one taking a data class of an extern
/// catalog, whose Python package is not known, is an error naming it.
#[test]
fn filters_import_the_data_classes_they_take() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let own = write(
        "learning.yaml",
        "module: learning\ntypes:\n  UserData:\n    fields:\n      id: int\nfilters:\n  USER_CHECKED:\n    type: org.openedx.learning.user.checked.v1\n    arguments:\n      user: UserData\n      others: list<UserData>?\n",
    );
    let out = dir.path().join("out");
    let o = run(
        &[
            "python",
            &own,
            "--out",
            out.to_str().unwrap(),
            "--package",
            "hooks",
        ],
        "",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let filters = std::fs::read_to_string(out.join("hooks/learning/filters.py")).unwrap();
    assert!(
        filters.contains("from hooks.learning.data import UserData"),
        "{filters}"
    );
    lint(&out, "hooks");

    std::fs::create_dir(dir.path().join("plugin")).unwrap();
    let plugin = write(
        "plugin/plugin.yaml",
        "module: plugin\nfilters:\n  PLUGIN_CHECKED:\n    type: org.openedx.plugin.user.checked.v1\n    arguments:\n      user: learning.UserData\n",
    );
    let o = run(
        &[
            "python",
            &plugin,
            "--extern-catalog",
            &own,
            "--out",
            out.to_str().unwrap(),
            "--package",
            "plugin_hooks",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`learning.UserData` is a data class of an extern catalog"),
        "{err}"
    );
    assert!(!out.join("plugin_hooks").exists(), "nothing written");
}
