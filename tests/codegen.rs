//! Rust generation: reviewed snapshots of small catalogs, the checked-in
//! `openedx-events` code is fresh, and generated code for hostile-but-valid
//! catalogs compiles warning-free (trybuild).

use std::path::Path;

use openedx_hooks_codegen::{RustOptions, generate_rust};
use openedx_hooks_schema::Loader;
use openedx_hooks_tests::{load_fixture, tests_dir, workspace_root};

fn generate(rel: &str) -> String {
    let outcome = load_fixture(Path::new(rel));
    let Some(catalog) = &outcome.catalog else {
        panic!("{}", openedx_hooks_tests::render_all(&outcome));
    };
    generate_rust(catalog, &RustOptions::default()).expect("generates")
}

#[test]
fn snapshots_of_generated_code() {
    insta::glob!("fixtures/valid/*.yaml", |path| {
        let rel = path.strip_prefix(tests_dir()).expect("under tests/");
        insta::assert_snapshot!(generate(rel.to_str().expect("utf-8 path")));
    });
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(
        generate("fixtures/valid/recursive.yaml"),
        generate("fixtures/valid/recursive.yaml")
    );
}

#[test]
fn the_checked_in_openedx_events_code_is_fresh() {
    // As `.ci/run` invokes it from the root: `generate generated/events --out generated/src/events.rs`.
    let outcome =
        openedx_hooks_tests::load_relative(&workspace_root(), Path::new("generated/events"));
    let code = generate_rust(&outcome.catalog.expect("valid"), &RustOptions::default())
        .expect("generates");
    let checked_in = std::fs::read_to_string(workspace_root().join("generated/src/events.rs"))
        .expect("checked in");
    assert!(
        code == checked_in,
        "generated/src/events.rs is stale: run `cargo run -p openedx-hooks-cli -- generate generated/events --out generated/src/events.rs`"
    );
}

#[test]
fn a_custom_runtime_path_is_used_everywhere() {
    let outcome = load_fixture(Path::new("fixtures/valid/inspect.yaml"));
    let options = RustOptions::new().runtime_crate("::my_platform::hooks");
    let code = generate_rust(&outcome.catalog.expect("valid"), &options).expect("generates");
    // Each module names the runtime once, and its items through that name.
    assert!(
        code.contains("use ::my_platform::hooks::__private_v3 as __rt;"),
        "{code}"
    );
    assert!(
        code.contains("pub static COURSE_ENROLLMENT_CREATED: __rt::Signal<"),
        "{code}"
    );
    assert!(!code.contains("::openedx_hooks"));
    let bad = RustOptions::new().runtime_crate("not a path");
    let outcome = load_fixture(Path::new("fixtures/valid/inspect.yaml"));
    assert!(generate_rust(&outcome.catalog.expect("valid"), &bad).is_err());
}

#[test]
fn names_rust_cannot_take_are_diagnostics() {
    let yaml = "module: learning\ntypes:\n  Data:\n    fields:\n      id: int\nevents:\n  SELF:\n    type: org.example.learning.self.thing.done.v1\n    payload:\n      data: Data\n";
    let outcome = Loader::new().load_str("learning.yaml", yaml);
    let catalog = outcome.catalog.expect("valid for the schema");
    match generate_rust(&catalog, &RustOptions::default()) {
        Err(openedx_hooks_codegen::RustError::Names(d)) => {
            let d = d.iter().next().expect("one");
            assert_eq!(d.code.as_str(), "rust-name");
            assert_eq!(d.span.map(|s| (s.line, s.column)), Some((7, 3)));
        }
        other => panic!("expected a name diagnostic, got {other:?}"),
    }
}

#[test]
fn generated_code_for_hostile_but_valid_catalogs_compiles() {
    // Each case includes generated code into a crate under
    // `#![deny(missing_docs, warnings)]` and exercises it.
    let dir = tests_dir().join("compile/generated");
    std::fs::create_dir_all(&dir).expect("dir");
    let write = |name: &str, code: &str| {
        let path = dir.join(format!("{name}.rs"));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(code) {
            std::fs::write(&path, code).expect("write");
        }
    };
    for name in ["keywords", "recursive", "inspect"] {
        write(name, &generate(&format!("fixtures/valid/{name}.yaml")));
    }
    write("filters", &generate("fixtures/filters/valid.yaml"));
    // The runtime derives each event's Avro schema from descriptors: the
    // generator's schemas, for every shape, are what it must give.
    let outcome = load_fixture(Path::new("fixtures/schemas"));
    let catalog = outcome.catalog.expect("valid");
    let mut schemas = generate_rust(&catalog, &RustOptions::default()).expect("generates");
    schemas.push_str(
        "\n/// The generator's Avro schema of each event.\nconst EXPECTED: &[(&str, &str)] = &[\n",
    );
    for (_, e) in catalog.own_events() {
        let text = openedx_hooks_codegen::avro_schema(&catalog, e).to_string();
        schemas.push_str(&format!("    ({:?}, {text:?}),\n", e.event_type));
    }
    schemas.push_str("];\n");
    write("schemas", &schemas);
    // The documentation's Rust examples for every Open edX event, each in
    // its own module, so the docs cannot show code that does not compile.
    let outcome =
        openedx_hooks_tests::load_relative(&workspace_root(), Path::new("generated/events"));
    let catalog = outcome.catalog.expect("valid");
    let mut examples = String::new();
    for (i, (name, code)) in openedx_hooks_codegen::rust_examples(&catalog, "openedx_events")
        .expect("a valid crate path")
        .into_iter()
        .enumerate()
    {
        examples.push_str(&format!("/// {name}\nmod example_{i} {{\n{code}}}\n"));
    }
    write("doc_examples", &examples);
    // The filters' copy-paste pipeline steps, against `openedx-filters`.
    let root = workspace_root();
    let outcome = Loader::new()
        .load_with_externs(
            &[root.join("generated/openedx-filters/filters")],
            &[root.join("generated/events")],
        )
        .expect("readable");
    let catalog = outcome.catalog.expect("valid");
    let mut steps = String::new();
    for (i, (name, code)) in
        openedx_hooks_codegen::filter_step_examples(&catalog, "openedx_filters")
            .expect("a valid crate path")
            .into_iter()
            .enumerate()
    {
        steps.push_str(&format!("/// {name}\nmod step_{i} {{\n{code}}}\n"));
    }
    write("filter_doc_examples", &steps);
    let t = trybuild::TestCases::new();
    t.pass(tests_dir().join("compile/*.rs"));
}

/// Every Open edX event's schema, as the runtime derives it from the
/// payload's descriptor, is the generator's text (the `.avsc` files and the
/// registry's subjects must agree byte for byte).
#[test]
fn runtime_avro_schemas_are_the_generator_s() {
    let outcome = Loader::new().load_texts(&openedx_events::CATALOG_FILES);
    let catalog = outcome.catalog.expect("valid");
    let mut compared = 0;
    for (_, e) in catalog.own_events() {
        let signal = openedx_hooks::signal_by_type(&e.event_type).expect("linked");
        assert_eq!(
            signal.avro_schema(),
            Some(openedx_hooks_codegen::avro_schema(&catalog, e).to_string()),
            "{}",
            e.event_type
        );
        compared += 1;
    }
    assert_eq!(compared, 73);
}

/// Python generation: reviewed snapshots of the same small catalogs (every
/// file of the package, in order).
#[test]
fn snapshots_of_generated_python() {
    insta::glob!("fixtures/valid/*.yaml", |path| {
        let rel = path.strip_prefix(tests_dir()).expect("under tests/");
        let outcome = load_fixture(rel);
        let catalog = outcome.catalog.expect("valid");
        // A catalog Python cannot declare (keywords.yaml) snapshots its error.
        let text: String = match openedx_hooks_codegen::generate_python(&catalog, "hooks") {
            Ok(files) => files
                .iter()
                .map(|f| format!("# ==== {} ====\n{}", f.path, f.text))
                .collect(),
            Err(e) => format!("error: {e}\n"),
        };
        insta::assert_snapshot!(text);
    });
}
