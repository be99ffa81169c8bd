//! An Open edX plugin made of filter steps, as a real one would be: it
//! refuses enrollment into courses the configuration closes, with a
//! `PreventEnrollment` that carries a message, a redirect and a status code,
//! and it gives auditors with a good enough grade an `honor` certificate.
//!
//! The steps register at link time (`#[pipeline_step]`); which ones run, in
//! which order and with which settings is the deployment's filters
//! configuration (`config/filters.yaml`), applied with [`configure`]:
//!
//! ```
//! openedx_filters_plugin::configure(concat!(env!("CARGO_MANIFEST_DIR"), "/config/filters.yaml"))
//!     .expect("the shipped configuration is valid");
//! # openedx_hooks::filter::configure_filters(&openedx_hooks::filter::FiltersConfig::new()).unwrap();
//! ```

use openedx_filters::learning::{
    CERTIFICATE_CREATION_REQUESTED, COURSE_ENROLLMENT_STARTED, CertificateCreationRequested,
    CertificateCreationRequestedException, CourseEnrollmentStarted,
    CourseEnrollmentStartedException,
};
use openedx_hooks::filter::{
    FilterConfigError, FiltersConfig, Flow, StepContext, StepError, StepResult, configure_filters,
};

/// Reads a filters configuration file (YAML, TOML or JSON) and applies it:
/// every step path it names must be a linked step, or nothing is applied.
pub fn configure(path: impl AsRef<std::path::Path>) -> Result<(), FilterConfigError> {
    configure_filters(&FiltersConfig::from_path(path)?)
}

/// Refuses enrollment into the courses listed under `closed_courses`,
/// redirecting to `redirect_to` (default `/`).
#[openedx_hooks::pipeline_step(COURSE_ENROLLMENT_STARTED)]
pub fn refuse_closed_courses(
    args: &CourseEnrollmentStarted,
    cx: &StepContext<'_>,
) -> StepResult<CourseEnrollmentStarted, CourseEnrollmentStartedException> {
    let closed = cx
        .extra
        .get("closed_courses")
        .and_then(|v| v.as_array())
        .ok_or("`closed_courses` must be a list of course keys")?;
    let key = args.course_key.as_ref();
    if closed.iter().any(|c| c.as_str() == Some(key)) {
        let redirect_to = cx
            .extra
            .get("redirect_to")
            .and_then(|v| v.as_str())
            .unwrap_or("/");
        return Err(StepError::Halt(
            CourseEnrollmentStartedException::PreventEnrollment {
                message: format!("{key} is closed for enrollment"),
                redirect_to: redirect_to.to_owned(),
                status_code: Some(403),
            },
        ));
    }
    Ok(Flow::Keep)
}

/// Turns an `audit` certificate into an `honor` one when the grade reaches
/// `min_grade` (default 0.8).
#[openedx_hooks::pipeline_step(CERTIFICATE_CREATION_REQUESTED)]
pub fn honor_certificates_for_auditors(
    args: &CertificateCreationRequested,
    cx: &StepContext<'_>,
) -> StepResult<CertificateCreationRequested, CertificateCreationRequestedException> {
    let min_grade = cx
        .extra
        .get("min_grade")
        .map(|v| v.as_f64().ok_or("`min_grade` must be a number"))
        .transpose()?
        .unwrap_or(0.8);
    if args.mode == "audit" && args.grade >= min_grade {
        return Ok(Flow::Continue(CertificateCreationRequested {
            mode: "honor".into(),
            ..args.clone()
        }));
    }
    Ok(Flow::Keep)
}
