//! Every rejection of the language has a fixture under `fixtures/invalid/`
//! whose `# expect: severity[code] line:column` lines list exactly the
//! diagnostics it must produce; the rendered text is snapshotted with insta.

use std::collections::BTreeMap;
use std::path::Path;

use openedx_hooks_tests::{load_fixture, render_all, tests_dir};

/// `(file name, "severity[code] line:col")` pairs, sorted.
fn expected(path: &Path) -> Vec<(String, String)> {
    let files: Vec<_> = if path.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(path)
            .expect("fixture dir")
            .map(|e| e.expect("entry").path())
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("fixture text");
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        for line in text.lines() {
            if let Some(e) = line.strip_prefix("# expect: ") {
                out.push((name.clone(), e.trim().to_owned()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn invalid_fixtures_report_exactly_their_expected_diagnostics() {
    let mut count = 0;
    insta::glob!("fixtures/invalid/*", |path| {
        count += 1;
        let rel = path.strip_prefix(tests_dir()).expect("under tests/");
        let outcome = load_fixture(rel);
        let mut actual: Vec<(String, String)> = outcome
            .diagnostics
            .iter()
            .map(|d| {
                let file = d
                    .file
                    .map(|f| {
                        outcome
                            .sources
                            .file(f)
                            .path()
                            .file_name()
                            .unwrap_or_default()
                            .to_string_lossy()
                            .into_owned()
                    })
                    .unwrap_or_default();
                let severity = match d.severity {
                    openedx_hooks_schema::Severity::Error => "error",
                    openedx_hooks_schema::Severity::Warning => "warning",
                };
                let loc = d
                    .span
                    .map_or("file".to_owned(), |s| format!("{}:{}", s.line, s.column));
                (file, format!("{severity}[{}] {loc}", d.code))
            })
            .collect();
        actual.sort();
        let expected = expected(path);
        assert!(
            !expected.is_empty(),
            "{} declares no expectation",
            rel.display()
        );
        assert_eq!(actual, expected, "diagnostics of {}", rel.display());
        assert_eq!(
            outcome.catalog.is_none(),
            outcome.diagnostics.has_errors(),
            "a catalog exists exactly when there is no error"
        );
        insta::assert_snapshot!(render_all(&outcome));
    });
    assert!(count >= 30, "fixtures went missing: {count}");
}

#[test]
fn every_error_code_has_a_fixture() {
    let mut seen = BTreeMap::new();
    for entry in std::fs::read_dir(tests_dir().join("fixtures/invalid")).expect("dir") {
        for (_, e) in expected(&entry.expect("entry").path()) {
            let code = e.split(['[', ']']).nth(1).unwrap_or_default().to_owned();
            seen.insert(code, ());
        }
    }
    let missing: Vec<&str> = openedx_hooks_schema::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !seen.contains_key(*c))
        // Covered by the hostile-input tests, which build their files at run time,
        // and (rust-name, a code generation diagnostic) by tests/codegen.rs.
        .filter(|c| {
            !matches!(
                *c,
                "invalid-utf8" | "file-too-large" | "yaml-limit" | "rust-name"
            )
        })
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

#[test]
fn valid_fixtures_load_without_diagnostics() {
    insta::glob!("fixtures/valid/*.yaml", |path| {
        let rel = path.strip_prefix(tests_dir()).expect("under tests/");
        let outcome = load_fixture(rel);
        assert!(outcome.diagnostics.is_empty(), "{}", render_all(&outcome));
        assert!(outcome.catalog.is_some());
    });
}
