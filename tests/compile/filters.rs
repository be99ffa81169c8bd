//! Generated filters: typed arguments, the declared returns, exceptions with
//! the base exception's attributes, and a pipeline run end to end.
#![deny(missing_docs, warnings)]
include!("generated/filters.rs");

use openedx_hooks::filter::{FilterError, FilterException, Flow, StepContext, StepError, StepResult};

fn honor_only(
    args: &learning::CertificateCreationRequested,
    _: &StepContext<'_>,
) -> StepResult<learning::CertificateCreationRequested, learning::CertificateCreationRequestedException> {
    if args.grade < 0.5 {
        return Err(StepError::Halt(
            learning::CertificateCreationRequestedException::PreventCertificateCreation {
                message: "the grade is too low".into(),
                redirect_to: "/dashboard".into(),
            },
        ));
    }
    Ok(Flow::Continue(learning::CertificateCreationRequested {
        mode: "honor".into(),
        ..args.clone()
    }))
}

fn main() {
    use learning::*;
    let _pipeline = openedx_hooks::testing::override_pipeline(
        &CERTIFICATE_CREATION_REQUESTED,
        vec![("compile::honor_only", honor_only)],
    );
    let args = CertificateCreationRequested {
        user: serde_json::json!({"username": "ada"}),
        course_key: CourseKey::from("course-v1:edX+DemoX+Demo_Course"),
        mode: "verified".into(),
        grade: 0.9,
    };
    let (user, course_key, mode, grade) = CERTIFICATE_CREATION_REQUESTED
        .run_filter(args.clone())
        .expect("runs")
        .returned();
    assert_eq!((mode.as_str(), grade), ("honor", 0.9));
    assert_eq!(user["username"], "ada");
    assert_eq!(course_key.as_ref(), "course-v1:edX+DemoX+Demo_Course");
    let low = CertificateCreationRequested { grade: 0.1, ..args };
    match CERTIFICATE_CREATION_REQUESTED.run_filter(low) {
        Err(FilterError::Halted { exception, .. }) => {
            assert_eq!(exception.name(), "PreventCertificateCreation");
            assert_eq!((exception.message(), exception.redirect_to()), ("the grade is too low", "/dashboard"));
            assert_eq!(exception.status_code(), None);
            assert_eq!(exception.to_string(), "the grade is too low");
        }
        other => panic!("expected a halt: {other:?}"),
    }
    // The single return is the value itself; an exception without a
    // message is named by its class.
    let about = CourseAboutRenderStarted {
        context: serde_json::json!({}),
        template_name: "about.html".into(),
    };
    assert_eq!(about.returned(), serde_json::json!({}));
    let redirect = CourseAboutRenderStartedException::RedirectToPage {};
    assert_eq!(redirect.to_string(), "RedirectToPage");
    assert!(openedx_hooks::filter::filter_by_type("org.openedx.learning.certificate.creation.requested.v1").is_some());
}
