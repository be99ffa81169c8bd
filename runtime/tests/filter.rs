//! Filters: pipeline semantics as openedx-filters 3.16.0 defines them
//! (stricter where it is careless), configuration in its three shapes,
//! `#[pipeline_step]` registration, listing, and the thread-scoped test
//! helpers. Configuration is process-wide: those checks run in one test.

use std::fmt;

use openedx_hooks::filter::{
    Filter, FilterConfigError, FilterError, FilterException, FiltersConfig, Flow, StepContext,
    StepError, StepResult, configure_filters, filter_by_type, filter_pipelines,
};
use openedx_hooks::{Outcome, testing};

#[derive(Debug, Clone, PartialEq)]
struct Enrollment {
    course: String,
    mode: String,
    notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum EnrollmentException {
    PreventEnrollment {
        message: String,
        redirect_to: String,
    },
}

impl fmt::Display for EnrollmentException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for EnrollmentException {}

impl FilterException for EnrollmentException {
    fn message(&self) -> &str {
        match self {
            EnrollmentException::PreventEnrollment { message, .. } => message,
        }
    }
    fn redirect_to(&self) -> &str {
        match self {
            EnrollmentException::PreventEnrollment { redirect_to, .. } => redirect_to,
        }
    }
    fn status_code(&self) -> Option<u16> {
        None
    }
}

type Result = StepResult<Enrollment, EnrollmentException>;

static ENROLLMENT_STARTED: Filter<Enrollment, EnrollmentException> = Filter::new(
    "org.example.learning.course.enrollment.started.v1",
    "ENROLLMENT_STARTED",
);
openedx_hooks::__private_v3::register_filter!(ENROLLMENT_STARTED);

mod steps {
    use super::*;

    #[openedx_hooks::pipeline_step(ENROLLMENT_STARTED)]
    pub fn audit_mode(e: &Enrollment, cx: &StepContext<'_>) -> Result {
        let mut next = e.clone();
        next.mode = cx
            .extra
            .get("mode")
            .and_then(|m| m.as_str())
            .unwrap_or("audit")
            .to_owned();
        next.notes
            .push(format!("{} of {}", cx.step, cx.running_pipeline.len()));
        Ok(Flow::Continue(next))
    }

    #[openedx_hooks::pipeline_step(ENROLLMENT_STARTED)]
    pub fn refuse_closed(e: &Enrollment, _: &StepContext<'_>) -> Result {
        if e.course.starts_with("closed") {
            return Err(StepError::Halt(EnrollmentException::PreventEnrollment {
                message: "this course is closed".into(),
                redirect_to: "/courses".into(),
            }));
        }
        Ok(Flow::Keep)
    }

    #[openedx_hooks::pipeline_step(ENROLLMENT_STARTED)]
    pub fn broken(_: &Enrollment, _: &StepContext<'_>) -> Result {
        Err("the grades service is down")?
    }

    #[openedx_hooks::pipeline_step(ENROLLMENT_STARTED)]
    pub fn panics(_: &Enrollment, _: &StepContext<'_>) -> Result {
        panic!("a bug in a plugin")
    }

    #[openedx_hooks::pipeline_step(ENROLLMENT_STARTED)]
    pub fn stop(_: &Enrollment, _: &StepContext<'_>) -> Result {
        Ok(Flow::Stop)
    }

    #[openedx_hooks::pipeline_step(ENROLLMENT_STARTED)]
    pub fn note(e: &Enrollment, _: &StepContext<'_>) -> Result {
        let mut next = e.clone();
        next.notes.push("noted".into());
        Ok(Flow::Continue(next))
    }
}

const T: &str = "org.example.learning.course.enrollment.started.v1";

fn enrollment(course: &str) -> Enrollment {
    Enrollment {
        course: course.into(),
        mode: "verified".into(),
        notes: Vec::new(),
    }
}

fn configure(json: &str) -> std::result::Result<(), FilterConfigError> {
    configure_filters(&FiltersConfig::from_json_str(json)?)
}

#[test]
fn pipelines_run_as_configured() {
    // No configuration: the arguments come back unchanged.
    assert_eq!(
        ENROLLMENT_STARTED
            .run_filter(enrollment("c1"))
            .expect("unchanged"),
        enrollment("c1")
    );
    assert!(filter_pipelines().is_empty());
    let linked = filter_by_type(T).expect("linked");
    assert_eq!(linked.name(), "ENROLLMENT_STARTED");
    assert!(
        linked
            .known_steps()
            .contains(&"filter::steps::refuse_closed".to_owned())
    );

    // A path naming no linked step is an error now, with the nearest step;
    // an unknown filter type too; nothing is applied.
    let err = configure(&format!(
        r#"{{"{T}": ["filter::steps::refuse_closd"], "org.example.learning.course.enrollment.startd.v1": []}}"#
    ))
    .expect_err("unknown names");
    let text = err.to_string();
    assert!(text.contains("step `filter::steps::refuse_closd` is not a linked step of ENROLLMENT_STARTED: did you mean `filter::steps::refuse_closed`?"), "{text}");
    assert!(text.contains("no filter of this type is linked into this program: did you mean `org.example.learning.course.enrollment.started.v1`?"), "{text}");
    assert!(filter_pipelines().is_empty(), "all or nothing");

    // Careless shapes of the reference are errors here.
    let err = configure(&format!(
        r#"{{"{T}": {{"pipeline": [], "fail_silently": "false"}}}}"#
    ))
    .expect_err("a string is not a boolean");
    assert!(
        err.to_string()
            .contains("`fail_silently` must be true or false"),
        "{err}"
    );
    assert!(configure(&format!(r#"{{"{T}": 3}}"#)).is_err());

    // A string pipeline is one step, not a list of characters; extra keys
    // reach every step.
    configure(&format!(
        r#"{{"{T}": {{"pipeline": "filter::steps::audit_mode", "mode": "honor"}}}}"#
    ))
    .expect("valid");
    let out = ENROLLMENT_STARTED
        .run_filter(enrollment("c1"))
        .expect("runs");
    assert_eq!(out.mode, "honor");
    assert_eq!(out.notes, ["filter::steps::audit_mode of 1"]);
    let listed = filter_pipelines();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].steps, ["filter::steps::audit_mode"]);
    assert!(listed[0].fail_silently);

    // fail_silently (the default): a failing or panicking step is skipped,
    // and leaves the arguments as they were before it.
    configure(&format!(
        r#"{{"{T}": ["filter::steps::note", "filter::steps::broken", "filter::steps::panics", "filter::steps::note"]}}"#
    ))
    .expect("valid");
    let out = ENROLLMENT_STARTED
        .run_filter(enrollment("c1"))
        .expect("skips");
    assert_eq!(out.notes, ["noted", "noted"]);

    // Not silent: the first failure is the caller's.
    configure(&format!(
        r#"{{"{T}": {{"pipeline": ["filter::steps::note", "filter::steps::panics"], "fail_silently": false}}}}"#
    ))
    .expect("valid");
    match ENROLLMENT_STARTED.run_filter(enrollment("c1")) {
        Err(FilterError::Step {
            step,
            outcome: Outcome::Panic(m),
        }) => {
            assert_eq!(step, "filter::steps::panics");
            assert_eq!(m, "a bug in a plugin");
        }
        other => panic!("expected the panic as a step error: {other:?}"),
    }

    // A halting exception always propagates, silent or not; a stop returns
    // what was accumulated.
    configure(&format!(
        r#"{{"{T}": ["filter::steps::audit_mode", "filter::steps::refuse_closed", "filter::steps::stop", "filter::steps::note"]}}"#
    ))
    .expect("valid");
    let err = ENROLLMENT_STARTED
        .run_filter(enrollment("closed-2019"))
        .expect_err("halted");
    let exception = err.exception().expect("an exception");
    assert_eq!(
        (exception.message(), exception.redirect_to(), err.step()),
        (
            "this course is closed",
            "/courses",
            "filter::steps::refuse_closed"
        )
    );
    let out = ENROLLMENT_STARTED
        .run_filter(enrollment("c1"))
        .expect("stops");
    assert_eq!(out.mode, "audit");
    assert_eq!(out.notes.len(), 1, "the step after `stop` did not run");

    // A step added at run time can be configured like a registered one.
    assert!(ENROLLMENT_STARTED.add_step(
        "runtime::double_note",
        |e: &Enrollment, _: &StepContext<'_>| {
            let mut next = e.clone();
            next.notes.extend(["a".into(), "b".into()]);
            Ok(Flow::Continue(next))
        }
    ));
    assert!(!ENROLLMENT_STARTED.add_step(
        "runtime::double_note",
        |_: &Enrollment, _: &StepContext<'_>| Ok(Flow::Keep)
    ));
    configure_filters(&FiltersConfig::new().pipeline(T, ["runtime::double_note"])).expect("valid");
    assert_eq!(
        ENROLLMENT_STARTED
            .run_filter(enrollment("c1"))
            .expect("runs")
            .notes,
        ["a", "b"]
    );

    // A thread's own pipeline replaces the configured one for it alone,
    // and parallel threads never see each other's.
    let threads: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                let _own = (i % 2 == 0).then(|| {
                    testing::override_pipeline(
                        &ENROLLMENT_STARTED,
                        vec![(
                            "local::note",
                            steps::note as fn(&Enrollment, &StepContext<'_>) -> Result,
                        )],
                    )
                });
                let recording = testing::record_filter(&ENROLLMENT_STARTED);
                let out = ENROLLMENT_STARTED
                    .run_filter(enrollment("c1"))
                    .expect("runs");
                let expected: Vec<String> = if i % 2 == 0 {
                    vec!["noted".into()]
                } else {
                    vec!["a".into(), "b".into()]
                };
                assert_eq!(out.notes, expected, "thread {i}");
                assert_eq!(recording.len(), 1);
                assert_eq!(recording.calls()[0].output, Ok(out));
            })
        })
        .collect();
    for t in threads {
        t.join().expect("no thread saw another's pipeline");
    }

    // Strict mode turns a step failure that would be skipped into a failure
    // of the test.
    configure(&format!(r#"{{"{T}": ["filter::steps::broken"]}}"#)).expect("valid");
    assert!(
        ENROLLMENT_STARTED.run_filter(enrollment("c1")).is_ok(),
        "skipped silently"
    );
    let strict = std::thread::spawn(|| {
        let _strict = testing::strict();
        let _ = ENROLLMENT_STARTED.run_filter(enrollment("c1"));
    })
    .join();
    assert!(strict.is_err(), "strict mode panics on a skipped failure");

    configure_filters(&FiltersConfig::new()).expect("empty");
    assert!(filter_pipelines().is_empty());
}
