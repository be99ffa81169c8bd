//! The filters language: `hosts:` and `filters:` beside `types:` and
//! `events:`, resolved into the IR (the rejections have fixtures under
//! `fixtures/invalid/`, checked by `diagnostics.rs`).

use std::path::Path;

use openedx_hooks_codegen::{RustError, RustOptions, generate_rust};
use openedx_hooks_schema::{DefKind, Type};
use openedx_hooks_tests::{load_fixture, render_all};

#[test]
fn filters_hosts_returns_and_exceptions_resolve() {
    let outcome = load_fixture(Path::new("fixtures/filters/valid.yaml"));
    assert!(outcome.diagnostics.is_empty(), "{}", render_all(&outcome));
    let catalog = outcome.catalog.expect("valid");
    let learning = catalog.module("learning").expect("module");
    let hosts: Vec<(&str, Option<&str>)> = learning
        .hosts
        .iter()
        .map(|h| (h.name.as_str(), h.python.as_deref()))
        .collect();
    assert_eq!(
        hosts,
        [
            ("User", Some("django.contrib.auth.models.User")),
            ("HttpResponse", Some("django.http.HttpResponse"))
        ]
    );
    let (_, cert) = catalog
        .filter_by_type("org.openedx.learning.certificate.creation.requested.v1")
        .expect("filter");
    assert_eq!(cert.name, "CERTIFICATE_CREATION_REQUESTED");
    assert_eq!(cert.major_version, 1);
    let args: Vec<&str> = cert.arguments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(args, ["user", "course_key", "mode", "grade"], "in order");
    assert!(
        matches!(&cert.arguments[0].ty, Type::Named(r) if r.kind == DefKind::Host && r.name == "User")
    );
    assert_eq!(cert.returns, [0, 1, 2, 3]);
    assert_eq!(cert.exceptions[0].name, "PreventCertificateCreation");
    assert_eq!(cert.exceptions[0].fields.len(), 2);
    let (_, about) = catalog
        .filter_by_type("org.openedx.learning.course_about.render.started.v1")
        .expect("filter");
    assert_eq!(about.returns, [0], "only `context`");
    let names: Vec<&str> = about.exceptions.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["RenderCustomResponse", "RedirectToPage"]);
    assert!(about.exceptions[1].fields.is_empty());
    // The JSON form (`inspect`) has them.
    let json = catalog.to_json();
    assert_eq!(
        json["modules"][0]["filters"][0]["name"],
        "CERTIFICATE_CREATION_REQUESTED"
    );
    assert_eq!(json["modules"][0]["hosts"][1]["name"], "HttpResponse");
}

#[test]
fn filters_generate_typed_arguments_exceptions_and_a_registered_filter() {
    let outcome = load_fixture(Path::new("fixtures/filters/valid.yaml"));
    let catalog = outcome.catalog.expect("valid");
    let code = generate_rust(&catalog, &RustOptions::default()).expect("generates");
    for needle in [
        "use ::openedx_hooks::__private_v3 as __rt;",
        "pub type User = __rt::types::JsonValue;",
        "pub struct CertificateCreationRequested {",
        "pub enum CertificateCreationRequestedException {",
        "PreventCertificateCreation {",
        "pub static CERTIFICATE_CREATION_REQUESTED: __rt::Filter<",
        "__rt::register_filter!(CERTIFICATE_CREATION_REQUESTED);",
    ] {
        assert!(code.contains(needle), "{needle}\n{code}");
    }
    // A host bound to an application type.
    let bound = RustOptions::new().host_type("learning.User", "::std::string::String");
    let code = generate_rust(&catalog, &bound).expect("generates");
    assert!(
        code.contains("pub type User = ::std::string::String;"),
        "{code}"
    );
    let unknown = RustOptions::new().host_type("learning.Nobody", "::std::string::String");
    assert!(matches!(
        generate_rust(&catalog, &unknown),
        Err(RustError::InvalidOption {
            option: "host type",
            ..
        })
    ));
}
