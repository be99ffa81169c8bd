//! Scalars, enums and defaults of an ordinary catalog.
#![deny(missing_docs, warnings)]
include!("generated/inspect.rs");

fn main() {
    use learning::*;
    let key: CourseKey = "course-v1:edX+DemoX+Demo_Course".parse().expect("infallible");
    assert_eq!(key.as_ref(), "course-v1:edX+DemoX+Demo_Course");
    assert_eq!(key.to_string(), key.0);
    assert_eq!("verified".parse::<EnrollmentMode>(), Ok(EnrollmentMode::Verified));
    assert!("honor".parse::<EnrollmentMode>().is_err());
    assert_eq!(EnrollmentMode::ALL.len(), 2);
    let data: EnrollmentData = serde_json::from_str(
        r#"{"user": {"id": 1}, "course_key": "course-v1:edX+DemoX+Demo_Course", "created": null}"#,
    )
    .expect("decodes");
    assert_eq!(data.mode, EnrollmentMode::Audit);
    assert!(data.user.tags.is_empty());
    let report = COURSE_ENROLLMENT_CREATED.send_event(CourseEnrollmentCreated { enrollment: data });
    assert!(report.is_ok());
    assert!(openedx_hooks::signal_by_type("org.openedx.learning.course.enrollment.created.v1").is_some());
}
