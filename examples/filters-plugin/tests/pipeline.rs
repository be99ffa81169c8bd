//! The plugin's full pipelines, configured from its file: a refused
//! enrollment, an honor certificate, a misconfigured step path, and a
//! failing step under both `fail_silently` values. The configuration is
//! process-wide, so the checks run in one test, in order.

use openedx_filters::learning::{
    CERTIFICATE_CREATION_REQUESTED, COURSE_ENROLLMENT_STARTED, CertificateCreationRequested,
    CourseEnrollmentStarted, CourseEnrollmentStartedException,
};
use openedx_hooks::Outcome;
use openedx_hooks::filter::{
    FilterError, FilterException, FiltersConfig, StepContext, configure_filters, filter_pipelines,
};

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config/filters.yaml");
const ENROLLMENT: &str = "org.openedx.learning.course.enrollment.started.v1";

fn enrollment(course: &str) -> CourseEnrollmentStarted {
    CourseEnrollmentStarted {
        user: serde_json::json!({"username": "ada", "id": 7}),
        course_key: course.into(),
        mode: "audit".into(),
    }
}

fn certificate(mode: &str, grade: f64) -> CertificateCreationRequested {
    CertificateCreationRequested {
        user: serde_json::json!({"username": "ada"}),
        course_key: "course-v1:edX+DemoX+Demo_Course".into(),
        mode: mode.into(),
        status: "downloadable".into(),
        grade,
        generation_mode: "self".into(),
    }
}

#[test]
fn the_configured_pipelines_refuse_grant_and_fail_as_configured() {
    openedx_filters_plugin::configure(CONFIG).expect("the shipped configuration is valid");
    let listed: Vec<(&str, Vec<String>)> = filter_pipelines()
        .into_iter()
        .map(|p| (p.filter_type, p.steps))
        .collect();
    assert_eq!(
        listed,
        [
            (
                "org.openedx.learning.certificate.creation.requested.v1",
                vec!["openedx_filters_plugin::honor_certificates_for_auditors".to_owned()]
            ),
            (
                ENROLLMENT,
                vec!["openedx_filters_plugin::refuse_closed_courses".to_owned()]
            ),
        ]
    );

    // A closed course: the action is halted with the exception the platform
    // turns into a redirect.
    let err = COURSE_ENROLLMENT_STARTED
        .run_filter(enrollment("course-v1:edX+Old+2019"))
        .expect_err("refused");
    let exception = err.exception().expect("a halting exception");
    assert!(matches!(
        exception,
        CourseEnrollmentStartedException::PreventEnrollment { .. }
    ));
    assert_eq!(
        (
            exception.message(),
            exception.redirect_to(),
            exception.status_code()
        ),
        (
            "course-v1:edX+Old+2019 is closed for enrollment",
            "/courses",
            Some(403)
        )
    );
    // An open one goes through unchanged.
    let open = enrollment("course-v1:edX+DemoX+Demo_Course");
    assert_eq!(
        COURSE_ENROLLMENT_STARTED
            .run_filter(open.clone())
            .expect("open"),
        open
    );

    // An auditor with 0.7 or more gets an honor certificate; the returns
    // come back in the reference's order.
    let (_, _, mode, _, grade, _) = CERTIFICATE_CREATION_REQUESTED
        .run_filter(certificate("audit", 0.75))
        .expect("runs")
        .returned();
    assert_eq!((mode.as_str(), grade), ("honor", 0.75));
    let low = CERTIFICATE_CREATION_REQUESTED
        .run_filter(certificate("audit", 0.5))
        .expect("runs");
    assert_eq!(low.mode, "audit");

    // A misconfigured path is an error when the configuration is applied,
    // naming the path and the nearest step; the running pipelines stay.
    let typo = FiltersConfig::from_json_str(&format!(
        r#"{{"{ENROLLMENT}": ["openedx_filters_plugin::refuse_closed_course"]}}"#
    ))
    .expect("well-formed");
    let err = configure_filters(&typo).expect_err("unknown step");
    assert!(
        err.to_string().contains("step `openedx_filters_plugin::refuse_closed_course` is not a linked step of COURSE_ENROLLMENT_STARTED: did you mean `openedx_filters_plugin::refuse_closed_courses`?"),
        "{err}"
    );
    assert_eq!(filter_pipelines().len(), 2, "nothing was applied");

    // A failing step (the grades service is down), before the refusal step.
    COURSE_ENROLLMENT_STARTED.add_step(
        "tests::grades_service_down",
        |_: &CourseEnrollmentStarted, _: &StepContext<'_>| Err("the grades service is down")?,
    );
    let with_failing = |fail_silently: bool| {
        FiltersConfig::new()
            .pipeline(
                ENROLLMENT,
                [
                    "tests::grades_service_down",
                    "openedx_filters_plugin::refuse_closed_courses",
                ],
            )
            .fail_silently(ENROLLMENT, fail_silently)
            .extra(
                ENROLLMENT,
                "closed_courses",
                serde_json::json!(["course-v1:edX+Old+2019"]),
            )
    };
    // Skipped when silent: the refusal step still runs after it.
    configure_filters(&with_failing(true)).expect("valid");
    assert!(
        COURSE_ENROLLMENT_STARTED
            .run_filter(enrollment("course-v1:edX+Old+2019"))
            .expect_err("still refused")
            .exception()
            .is_some()
    );
    let open = enrollment("course-v1:edX+DemoX+Demo_Course");
    assert_eq!(
        COURSE_ENROLLMENT_STARTED
            .run_filter(open.clone())
            .expect("skipped the failure"),
        open
    );
    // The caller's when not silent.
    configure_filters(&with_failing(false)).expect("valid");
    match COURSE_ENROLLMENT_STARTED.run_filter(open) {
        Err(FilterError::Step {
            step,
            outcome: Outcome::Error(e),
        }) => {
            assert_eq!(step, "tests::grades_service_down");
            assert_eq!(e.to_string(), "the grades service is down");
        }
        other => panic!("expected the step's error: {other:?}"),
    }
    // No configuration at all: every filter returns its arguments unchanged.
    configure_filters(&FiltersConfig::new()).expect("empty");
    assert!(filter_pipelines().is_empty());
}
