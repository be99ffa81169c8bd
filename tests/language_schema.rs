//! `schema/openedx-hooks.schema.json` (for editors) accepts every catalog
//! file we ship and rejects shape errors the compiler also rejects.

use std::path::{Path, PathBuf};

use openedx_hooks_schema::yaml::load_document;
use openedx_hooks_schema::{Diagnostics, Limits, SourceMap};
use openedx_hooks_tests::{tests_dir, workspace_root};

fn validator() -> jsonschema::Validator {
    let path = workspace_root().join("schema/openedx-hooks.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema file"))
            .expect("schema is JSON");
    jsonschema::draft202012::new(&schema).expect("schema compiles")
}

/// The file's YAML as JSON, as an editor's YAML language server sees it.
fn yaml_as_json(path: &Path) -> serde_json::Value {
    let mut b = SourceMap::builder();
    let id = b.add(path, std::fs::read_to_string(path).expect("read"));
    let sources = b.build();
    let mut diags = Diagnostics::default();
    let root = load_document(&sources, id, Limits::default(), &mut diags)
        .expect("valid YAML")
        .expect("a document");
    root.to_value().to_json()
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_shipped_catalog_file_validates() {
    let v = validator();
    let mut files = yaml_files(&workspace_root().join("generated/events"));
    files.extend(yaml_files(&tests_dir().join("fixtures/valid")));
    files.extend(yaml_files(&tests_dir().join("fixtures/filters")));
    assert!(files.len() >= 5);
    for f in files {
        let doc = yaml_as_json(&f);
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", f.display());
    }
}

#[test]
fn shape_errors_are_rejected() {
    let v = validator();
    for name in [
        "unknown_key.yaml",
        "event_name_case.yaml",
        "type_name_case.yaml",
        "field_name_case.yaml",
        "event_type_malformed.yaml",
        "minor_version.yaml",
        "invalid_date.yaml",
        "empty_payload.yaml",
        "missing_key.yaml",
        "wrong_kind.yaml",
        "invalid_enum.yaml",
        "scalar_base.yaml",
    ] {
        let doc = yaml_as_json(&tests_dir().join("fixtures/invalid").join(name));
        assert!(!v.is_valid(&doc), "{name} should not validate");
    }
}
