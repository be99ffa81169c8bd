//! The seed page's examples against the real catalog, and the registry of
//! its 73 events.

use openedx_events::learning::{
    COURSE_ENROLLMENT_CREATED, STUDENT_REGISTRATION_COMPLETED, StudentRegistrationCompleted,
    UserData, UserPersonalData,
};
use openedx_hooks::{BoxError, EventMetadata, all_events, signal_by_type, testing};

fn registration() -> StudentRegistrationCompleted {
    StudentRegistrationCompleted {
        user: UserData {
            pii: UserPersonalData {
                username: "test_username".into(),
                email: "test_email@example.com".into(),
                name: "test_name".into(),
            },
            id: 1,
            is_active: true,
        },
    }
}

/// The seed's "Testing events": connect your receiver in the test, send, assert.
#[test]
fn testing_events() {
    let _strict = testing::strict();
    let received = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = std::rc::Rc::clone(&received);
    let _your_function = testing::connect_local(
        &STUDENT_REGISTRATION_COMPLETED,
        move |event: &StudentRegistrationCompleted, meta: &EventMetadata| -> Result<(), BoxError> {
            sink.borrow_mut()
                .push((event.user.pii.username.clone(), meta.event_type.to_string()));
            Ok(())
        },
    );
    let _ = STUDENT_REGISTRATION_COMPLETED.send_event(registration());
    // run your assertions
    assert_eq!(
        *received.borrow(),
        vec![(
            "test_username".to_owned(),
            "org.openedx.learning.student.registration.completed.v1".to_owned()
        )]
    );
}

#[test]
fn every_catalog_event_is_registered_and_accepts_json() {
    let ours: Vec<&str> = all_events()
        .iter()
        .map(|s| s.event_type())
        .filter(|t| t.starts_with("org.openedx."))
        .collect();
    openedx_hooks_tests::upstream::assert_same_events(
        ours.iter().map(|t| t.to_string()),
        "events linked into openedx-events",
    );
    let s = signal_by_type("org.openedx.learning.student.registration.completed.v1")
        .expect("registered");
    assert_eq!(s.name(), "STUDENT_REGISTRATION_COMPLETED");
    let cap = testing::capture(&STUDENT_REGISTRATION_COMPLETED);
    let json = serde_json::to_string(&registration()).expect("encodes");
    s.send_json(&json, None).expect("decodes").assert_ok();
    assert_eq!(cap.payloads(), vec![registration()]);
    let err = s
        .send_json(
            r#"{"user": {"id": "one", "is_active": true, "pii": {}}}"#,
            None,
        )
        .expect_err("bad id");
    assert_eq!(err.path, "user.id");
}

#[test]
fn json_round_trips_keep_falsy_values_and_defaults_fill_absent_fields() {
    // `name` has a default (""); `is_active: false` and `id: 0` must survive as given.
    let decoded: StudentRegistrationCompleted = serde_json::from_str(
        r#"{"user": {"id": 0, "is_active": false, "pii": {"username": "", "email": "e@example.com"}}}"#,
    )
    .expect("decodes");
    assert_eq!(decoded.user.id, 0);
    assert!(!decoded.user.is_active);
    assert_eq!(decoded.user.pii.name, "");
    let again: StudentRegistrationCompleted =
        serde_json::from_str(&serde_json::to_string(&decoded).expect("encodes")).expect("decodes");
    assert_eq!(again, decoded);
    // An optional field may be absent or null.
    let enrollment = serde_json::json!({
        "user": {"id": 1, "is_active": true, "pii": {"username": "u", "email": "e"}},
        "course": {"course_key": "course-v1:edX+DemoX+Demo_Course", "display_name": "", "start": null},
        "mode": "audit", "is_active": true, "creation_date": "2021-09-02T10:00:00Z"
    });
    let decoded: openedx_events::learning::CourseEnrollmentCreated =
        serde_json::from_value(serde_json::json!({ "enrollment": enrollment })).expect("decodes");
    assert!(decoded.enrollment.created_by.is_none() && decoded.enrollment.course.end.is_none());
    assert_eq!(
        decoded.enrollment.course.course_key.as_ref(),
        "course-v1:edX+DemoX+Demo_Course"
    );
    assert_eq!(
        COURSE_ENROLLMENT_CREATED.event_type(),
        "org.openedx.learning.course.enrollment.created.v1"
    );
}
