//! Avro encode and decode of two Open edX payloads (targets: encode under
//! 150 ns, decode under 300 ns; the Python reference serializer takes about
//! 24 µs per registration event), and the enrollment payload's JSON through
//! serde (generated structs implement serde through their descriptors, not
//! serde's derive), and an event's metadata as the bus's headers both ways.
//! `cargo bench -p openedx-events --bench wire`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use openedx_events::learning::{
    CourseData, CourseEnrollmentCreated, CourseEnrollmentData, StudentRegistrationCompleted,
    UserData, UserPersonalData,
};
use openedx_hooks::wire::avro;

fn user(id: i64) -> UserData {
    UserData {
        id,
        is_active: true,
        pii: UserPersonalData {
            username: "test_username".into(),
            email: "test_email@example.com".into(),
            name: "Test Name".into(),
        },
    }
}

fn registration() -> StudentRegistrationCompleted {
    StudentRegistrationCompleted { user: user(42) }
}

fn enrollment() -> CourseEnrollmentCreated {
    CourseEnrollmentCreated {
        enrollment: CourseEnrollmentData {
            user: user(42),
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

fn bench<P: avro::Avro + PartialEq + std::fmt::Debug>(c: &mut Criterion, name: &str, payload: P) {
    let bytes = avro::to_vec(&payload);
    assert_eq!(avro::from_slice::<P>(&bytes).expect("decodes"), payload);
    let mut buf = Vec::with_capacity(256);
    c.bench_function(&format!("{name}/encode"), |b| {
        b.iter(|| {
            buf.clear();
            black_box(&payload).encode(&mut buf);
            black_box(buf.len())
        })
    });
    c.bench_function(&format!("{name}/encode_to_new_vec"), |b| {
        b.iter(|| avro::to_vec(black_box(&payload)))
    });
    c.bench_function(&format!("{name}/decode"), |b| {
        b.iter(|| avro::from_slice::<P>(black_box(&bytes)).expect("decodes"))
    });
    // The same, with the decoded payload dropped outside the timing: what
    // decoding costs apart from freeing the payload's strings afterwards.
    c.bench_function(&format!("{name}/decode_excluding_drop"), |b| {
        b.iter_with_large_drop(|| avro::from_slice::<P>(black_box(&bytes)).expect("decodes"))
    });
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

/// An event's metadata as the bus's headers, both ways: what every message
/// sent or read on Kafka or Redis pays besides its payload.
fn headers(c: &mut Criterion) {
    let meta = openedx_hooks::EventMetadata::new(
        openedx_events::learning::STUDENT_REGISTRATION_COMPLETED.event_type(),
        0,
    );
    c.bench_function("metadata/each_header", |b| {
        b.iter(|| {
            let mut n = 0;
            black_box(&meta).each_header(|k, v| n += k.len() + v.len());
            n
        })
    });
    let headers = meta.to_headers();
    let borrowed: Vec<(&str, &[u8])> = headers.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
    assert_eq!(
        openedx_hooks::wire::message_metadata(&borrowed).expect("reads"),
        meta
    );
    c.bench_function("metadata/from_headers", |b| {
        b.iter(|| openedx_hooks::wire::message_metadata(black_box(&borrowed)).expect("reads"))
    });
}

fn wire(c: &mut Criterion) {
    bench(c, "student_registration_completed", registration());
    bench(c, "course_enrollment_created", enrollment());
    json(c);
    headers(c);
}

criterion_group!(benches, wire);
criterion_main!(benches);
