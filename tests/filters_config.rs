//! A filters configuration read from files: the same pipelines from JSON,
//! TOML and YAML, in the reference's three shapes, and errors that name the
//! file and the filter type.

use openedx_hooks::filter::FiltersConfig;

const JSON: &str = r#"{
  "org.openedx.learning.course.enrollment.started.v1": {
    "pipeline": ["my_plugin::steps::refuse_closed", "my_plugin::steps::audit"],
    "fail_silently": false,
    "closed": ["course-v1:edX+Old+2019"]
  },
  "org.openedx.learning.certificate.creation.requested.v1": ["my_plugin::steps::honor"],
  "org.openedx.learning.student.login.requested.v1": "my_plugin::steps::log"
}"#;

const TOML: &str = r#"
["org.openedx.learning.course.enrollment.started.v1"]
pipeline = ["my_plugin::steps::refuse_closed", "my_plugin::steps::audit"]
fail_silently = false
closed = ["course-v1:edX+Old+2019"]

["org.openedx.learning.certificate.creation.requested.v1"]
pipeline = ["my_plugin::steps::honor"]

["org.openedx.learning.student.login.requested.v1"]
pipeline = "my_plugin::steps::log"
"#;

const YAML: &str = r#"
org.openedx.learning.course.enrollment.started.v1:
  pipeline: [my_plugin::steps::refuse_closed, my_plugin::steps::audit]
  fail_silently: false
  closed: [course-v1:edX+Old+2019]
org.openedx.learning.certificate.creation.requested.v1:
  - my_plugin::steps::honor
org.openedx.learning.student.login.requested.v1: my_plugin::steps::log
"#;

#[test]
fn the_three_formats_give_the_same_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut configs = Vec::new();
    for (name, text) in [("f.json", JSON), ("f.toml", TOML), ("f.yaml", YAML)] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        configs.push(FiltersConfig::from_path(&path).unwrap_or_else(|e| panic!("{name}: {e}")));
    }
    assert_eq!(configs[0], configs[1], "TOML");
    assert_eq!(configs[0], configs[2], "YAML");
    let c = &configs[0];
    assert_eq!(
        c.steps("org.openedx.learning.course.enrollment.started.v1"),
        Some(
            &[
                "my_plugin::steps::refuse_closed".to_owned(),
                "my_plugin::steps::audit".to_owned()
            ][..]
        )
    );
    // One path is one step, never a list of its characters.
    assert_eq!(
        c.steps("org.openedx.learning.student.login.requested.v1"),
        Some(&["my_plugin::steps::log".to_owned()][..])
    );
}

#[test]
fn bad_files_are_errors_naming_the_file_and_the_filter_type() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("filters.yaml");
    std::fs::write(
        &path,
        "org.openedx.learning.course.enrollment.started.v1:\n  pipeline: [a::b]\n  fail_silently: 'false'\norg.openedx.learning.certificate.creation.requested.v1: 7\n",
    )
    .expect("write");
    let err = FiltersConfig::from_path(&path).expect_err("two problems");
    assert_eq!(err.problems.len(), 2, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("filters.yaml: `fail_silently` must be true or false, found a string"),
        "{text}"
    );
    assert!(
        text.contains("`org.openedx.learning.certificate.creation.requested.v1`: "),
        "{text}"
    );
    let ini = dir.path().join("filters.ini");
    std::fs::write(&ini, "").expect("write");
    assert!(
        FiltersConfig::from_path(&ini)
            .expect_err("unsupported")
            .to_string()
            .contains("unsupported configuration format `ini`")
    );
}
