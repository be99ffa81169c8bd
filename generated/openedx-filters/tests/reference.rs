//! The bundled filters catalog equals openedx-filters 3.16.0
//! (`tests/fixtures/openedx-filters-catalog.json`, the facts of the PyPI
//! package), filter by filter: type, module, name, arguments in order and
//! their types, returns, and exceptions with their parameters.

use openedx_hooks_schema::{Catalog, DefKind, Field, Loader, Type};
use std::collections::BTreeSet;

use serde_json::Value;

fn load() -> Catalog {
    let root = openedx_hooks_tests::workspace_root();
    let outcome = Loader::new()
        .load_with_externs(
            &[root.join("generated/openedx-filters/filters")],
            &[root.join("generated/events")],
        )
        .expect("readable");
    assert!(
        outcome.diagnostics.is_empty(),
        "{}",
        openedx_hooks_tests::render_all(&outcome)
    );
    outcome.catalog.expect("valid")
}

/// `CertificateCreationRequested` → `CERTIFICATE_CREATION_REQUESTED`,
/// `LMSPageURLRequested` → `LMS_PAGE_URL_REQUESTED`.
fn screaming(class: &str) -> String {
    let chars: Vec<char> = class.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1);
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// Our type, as the reference's annotation maps to it.
fn ours(f: &Field) -> String {
    fn show(t: &Type) -> String {
        match t {
            Type::Primitive(p) => p.name().to_owned(),
            Type::List(t) => format!("list<{}>", show(t)),
            Type::Map(t) => format!("map<{}>", show(t)),
            Type::Optional(t) => format!("{}?", show(t)),
            Type::Named(r) if r.kind == DefKind::Host => format!("host {}", r.name),
            Type::Named(r) => r.name.clone(),
        }
    }
    show(&f.ty)
}

/// The reference's annotation in our terms; `Any` is a host type chosen by
/// what the argument is.
fn expected(name: &str, annotation: &str) -> String {
    let host = |h: &str| format!("host {h}");
    match annotation {
        "str" => "string".into(),
        "int" | "float" | "bool" | "datetime" => annotation.into(),
        "dict" | "dict[str, Any]" => "json".into(),
        "list" | "list[dict]" => "list<json>".into(),
        "set" => "list<string>".into(),
        "CourseKey" => "CourseKey".into(),
        "QueryDict" | "QuerySet" | "HttpResponse" => host(annotation),
        "FormDescriptionProtocol" => host("FormDescription"),
        "RunningPipeline | None" => format!("{}?", host("RunningPipeline")),
        "ProviderConfigProtocol | None" => format!("{}?", host("ProviderConfig")),
        "AbstractContextManager[None]" => host("ContextManager"),
        "Optional[int]" => "int?".into(),
        "Optional[dict]" => "json?".into(),
        "Optional[list]" => "list<json>?".into(),
        "Optional[HttpResponse]" => format!("{}?", host("HttpResponse")),
        "Any" => host(match name {
            "user" => "User",
            "response" => "HttpResponse",
            "enrollment" => "CourseEnrollment",
            "custom_template" => "CertificateTemplate",
            "current_membership" => "CohortMembership",
            "target_cohort" => "CourseUserGroup",
            "block" => "XBlock",
            "fragment" => "Fragment",
            "course_mode_data" => "CourseModeData",
            other => panic!("no host type chosen for the `Any` argument `{other}`"),
        }),
        other => panic!("unmapped annotation `{other}`"),
    }
}

/// The facts of openedx-filters 3.16.0 the bundled catalog twins.
fn reference() -> Value {
    let path =
        openedx_hooks_tests::workspace_root().join("tests/fixtures/openedx-filters-catalog.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

#[test]
fn the_filters_catalog_matches_openedx_filters_filter_by_filter() {
    let catalog = load();
    let reference = reference();
    let filters = reference["filters"].as_array().expect("filters");
    assert_eq!(
        reference["filter_count"].as_u64(),
        Some(filters.len() as u64)
    );
    let mut seen = Vec::new();
    for r in filters {
        let filter_type = r["filter_type"].as_str().expect("type");
        let (module, ours_f) = catalog.filter_by_type(filter_type).unwrap_or_else(|| {
            panic!("{filter_type} is missing from generated/openedx-filters/filters")
        });
        let class = r["class"].as_str().expect("class");
        seen.push(filter_type.to_owned());
        assert_eq!(ours_f.name, screaming(class), "{class}: constant name");
        assert_eq!(
            Some(module.name.as_str()),
            filter_type.split('.').nth(2),
            "{class}: module"
        );
        let args: Vec<(&str, &str)> = r["arguments"]
            .as_array()
            .expect("arguments")
            .iter()
            .map(|a| {
                (
                    a["name"].as_str().expect("name"),
                    a["type"].as_str().expect("type"),
                )
            })
            .collect();
        let our_args: Vec<(&str, String)> = ours_f
            .arguments
            .iter()
            .map(|a| (a.name.as_str(), ours(a)))
            .collect();
        let their_args: Vec<(&str, String)> =
            args.iter().map(|(n, t)| (*n, expected(n, t))).collect();
        assert_eq!(
            our_args, their_args,
            "{class}: arguments in order, with their types"
        );
        let returns: Vec<&str> = ours_f
            .returns
            .iter()
            .map(|&i| ours_f.arguments[i].name.as_str())
            .collect();
        let their_returns: Vec<&str> = r["returns"]
            .as_array()
            .expect("returns")
            .iter()
            .map(|v| v.as_str().expect("name"))
            .collect();
        assert_eq!(returns, their_returns, "{class}: returns");
        let exceptions = r["exceptions"].as_array().expect("exceptions");
        let names: Vec<&str> = ours_f.exceptions.iter().map(|x| x.name.as_str()).collect();
        let their_names: Vec<&str> = exceptions
            .iter()
            .map(|x| x["name"].as_str().expect("name"))
            .collect();
        assert_eq!(names, their_names, "{class}: exceptions");
        for (x, rx) in ours_f.exceptions.iter().zip(exceptions) {
            let params: Vec<(&str, String, Option<String>)> = x
                .fields
                .iter()
                .map(|p| {
                    let default = p.default.as_ref().map(|d| d.to_json().to_string());
                    (p.name.as_str(), ours(p), default)
                })
                .collect();
            let theirs: Vec<(&str, String, Option<String>)> = rx["params"]
                .as_array()
                .map(|a| a.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|p| {
                    let name = p["name"].as_str().expect("name");
                    let ty = expected(name, p["type"].as_str().expect("type"));
                    match p["default"].as_str() {
                        // `''` is our default `""`; `None` makes the parameter optional.
                        Some("''") => (name, ty, Some("\"\"".to_owned())),
                        Some("None") if !ty.ends_with('?') => (name, format!("{ty}?"), None),
                        _ => (name, ty, None),
                    }
                })
                .collect();
            assert_eq!(params, theirs, "{class}.{}: parameters", x.name);
        }
    }
    let extra: Vec<&str> = catalog
        .filters()
        .map(|(_, f)| f.filter_type.as_str())
        .filter(|t| !seen.iter().any(|s| s == t))
        .collect();
    assert!(
        extra.is_empty(),
        "filters not in openedx-filters 3.16.0: {extra:?}; add them to tests/fixtures/openedx-filters-catalog.json if upstream has them"
    );
    assert_eq!(seen.len(), 43);
}

#[test]
fn every_filter_is_linked_and_runs_unchanged_without_a_pipeline() {
    let linked: Vec<&str> = openedx_hooks::filter::all_filters()
        .iter()
        .map(|f| f.filter_type())
        .collect();
    // Every upstream filter exactly once: a missing `linkme` registration or
    // a filter linked twice is named, not just miscounted.
    let reference = reference();
    let upstream: BTreeSet<&str> = reference["filters"]
        .as_array()
        .expect("filters")
        .iter()
        .map(|f| f["filter_type"].as_str().expect("filter_type"))
        .collect();
    let unique: BTreeSet<&str> = linked.iter().copied().collect();
    assert_eq!(unique.len(), linked.len(), "linked twice: {linked:?}");
    let differ: Vec<&&str> = unique.symmetric_difference(&upstream).collect();
    assert!(
        differ.is_empty(),
        "linked filters and openedx-filters 3.16.0 differ in {differ:?}"
    );
    assert_eq!(linked.len(), 43, "{linked:?}");
    let args = openedx_filters::learning::CertificateCreationRequested {
        user: serde_json::json!({"username": "ada"}),
        course_key: "course-v1:edX+DemoX+Demo_Course".into(),
        mode: "verified".into(),
        status: "downloadable".into(),
        grade: 0.9,
        generation_mode: "batch".into(),
    };
    let out = openedx_filters::learning::CERTIFICATE_CREATION_REQUESTED
        .run_filter(args.clone())
        .expect("no pipeline");
    assert_eq!(out, args);
}
