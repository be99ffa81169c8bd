// The macro expands a catalog in place; its events work like generated ones.
openedx_hooks::include_catalog!("fixtures/valid/inspect.yaml");

fn main() {
    use learning::{COURSE_ENROLLMENT_CREATED, CourseEnrollmentCreated, EnrollmentData, UserData};
    let payload = CourseEnrollmentCreated {
        enrollment: EnrollmentData {
            user: UserData { id: 7, tags: Default::default() },
            course_key: learning::CourseKey::from("course-v1:edX+DemoX+Demo_Course"),
            mode: learning::EnrollmentMode::Verified,
            created: None,
        },
    };
    let captured = openedx_hooks::testing::capture(&COURSE_ENROLLMENT_CREATED);
    assert!(COURSE_ENROLLMENT_CREATED.send_event(payload.clone()).is_ok());
    assert_eq!(captured.payloads(), vec![payload]);
    assert!(openedx_hooks::signal_by_type("org.openedx.learning.course.enrollment.created.v1").is_some());
}
