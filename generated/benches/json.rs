//! JSON of a generated payload through serde: what a service pays to log an
//! event or send it to an HTTP hook. Generated structs implement serde
//! through their descriptors (for compile time), not serde's derive.
//! `cargo bench -p openedx-events --bench json`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use openedx_events::learning::{
    CourseData, CourseEnrollmentCreated, CourseEnrollmentData, UserData, UserPersonalData,
};

fn enrollment() -> CourseEnrollmentCreated {
    let user = UserData {
        id: 42,
        is_active: true,
        pii: UserPersonalData {
            username: "test_username".into(),
            email: "test_email@example.com".into(),
            name: "Test Name".into(),
        },
    };
    CourseEnrollmentCreated {
        enrollment: CourseEnrollmentData {
            user,
            course: CourseData {
                course_key: "course-v1:edX+DemoX+Demo_Course".into(),
                display_name: "Demonstration Course".into(),
                start: Some("2026-01-05T00:00:00Z".parse().expect("ts")),
                end: None,
            },
            mode: "verified".into(),
            is_active: true,
            creation_date: "2026-11-24T10:30:05.000250Z".parse().expect("ts"),
            created_by: None,
        },
    }
}

fn json(c: &mut Criterion) {
    let payload = enrollment();
    let text = serde_json::to_string(&payload).expect("serializes");
    assert_eq!(
        serde_json::from_str::<CourseEnrollmentCreated>(&text).expect("reads"),
        payload
    );
    c.bench_function("course_enrollment_created/to_json_string", |b| {
        b.iter(|| serde_json::to_string(black_box(&payload)).expect("serializes"))
    });
    c.bench_function("course_enrollment_created/from_json_str", |b| {
        b.iter(|| serde_json::from_str::<CourseEnrollmentCreated>(black_box(&text)).expect("reads"))
    });
}

criterion_group!(benches, json);
criterion_main!(benches);
