//! Generated payloads read and write JSON through their descriptors (not
//! serde's derive, for compile time): the same JSON, and the same errors,
//! as serde's derive gives for the same structs. The oracle is a mirror of
//! four data classes written with `#[derive(Serialize, Deserialize)]`.

use openedx_events::learning::{CourseData, CourseEnrollmentData, UserData, UserPersonalData};
use openedx_hooks::types::Timestamp;
use serde::{Deserialize, Serialize};

mod mirror {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    pub struct UserPersonalData {
        pub username: String,
        pub email: String,
        #[serde(default)]
        pub name: String,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    pub struct UserData {
        pub id: i64,
        pub is_active: bool,
        pub pii: UserPersonalData,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    pub struct CourseData {
        pub course_key: String,
        #[serde(default)]
        pub display_name: String,
        #[serde(default)]
        pub start: Option<Timestamp>,
        #[serde(default)]
        pub end: Option<Timestamp>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    pub struct CourseEnrollmentData {
        pub user: UserData,
        pub course: CourseData,
        pub mode: String,
        pub is_active: bool,
        pub creation_date: Timestamp,
        #[serde(default)]
        pub created_by: Option<UserData>,
    }
}

fn user(id: i64) -> UserData {
    UserData {
        id,
        is_active: id % 2 == 0,
        pii: UserPersonalData {
            username: format!("user{id}"),
            email: format!("user{id}@example.com"),
            name: String::new(),
        },
    }
}

fn enrollment() -> CourseEnrollmentData {
    CourseEnrollmentData {
        user: user(7),
        course: CourseData {
            course_key: "course-v1:edX+DemoX+Demo_Course".into(),
            display_name: "Demo \"course\" ü".into(),
            start: Some("2024-09-01T00:00:00Z".parse().expect("timestamp")),
            end: None,
        },
        mode: "audit".into(),
        is_active: false,
        creation_date: "2025-01-02T03:04:05.678901Z".parse().expect("timestamp"),
        created_by: Some(user(0)),
    }
}

#[test]
fn generated_types_serialize_as_the_derive_does() {
    let value = enrollment();
    let ours = serde_json::to_string(&value).expect("serializes");
    let theirs: mirror::CourseEnrollmentData =
        serde_json::from_str(&ours).expect("mirror reads it");
    assert_eq!(serde_json::to_string(&theirs).expect("serializes"), ours);
    // Pretty and `Value` serializers take the same path.
    assert_eq!(
        serde_json::to_value(&value).expect("value"),
        serde_json::to_value(&theirs).expect("value")
    );
    let back: CourseEnrollmentData = serde_json::from_str(&ours).expect("reads its own");
    assert_eq!(back, value);
}

#[test]
fn generated_types_accept_and_refuse_what_the_derive_does() {
    let inputs = [
        // Accepted: keys in any order, unknown keys ignored, defaults filled,
        // `null` for an option, a struct as a sequence.
        r#"{"pii": {"email": "e", "username": "u", "extra": [1, {"a": 2}]}, "is_active": true, "id": 3}"#,
        r#"{"id": 3, "is_active": false, "pii": ["u", "e"]}"#,
        r#"[3, true, ["u", "e", "Name"]]"#,
        // Refused, with the derive's messages.
        r#"{"id": 3, "is_active": true}"#,
        r#"{"id": 3, "id": 4, "is_active": true, "pii": {"username": "u", "email": "e"}}"#,
        r#"{"id": "3", "is_active": true, "pii": {"username": "u", "email": "e"}}"#,
        r#"{"id": 3, "is_active": true, "pii": {"username": 5, "email": "e"}}"#,
        r#"{"id": 3, "is_active": true, "pii": null}"#,
        r#"[3]"#,
        r#""user""#,
        r#"{"id": 3, "is_active": true, "pii": {"username": "u", "email": "e"}"#,
    ];
    for input in inputs {
        let ours = serde_json::from_str::<UserData>(input);
        let theirs = serde_json::from_str::<mirror::UserData>(input);
        match (ours, theirs) {
            (Ok(o), Ok(t)) => assert_eq!(
                serde_json::to_value(&o).expect("value"),
                serde_json::to_value(&t).expect("value"),
                "{input}"
            ),
            (Err(o), Err(t)) => assert_eq!(o.to_string(), t.to_string(), "{input}"),
            (o, t) => panic!("{input}: ours {o:?}, the derive's {t:?}"),
        }
    }
    // Nested options and timestamps, absent and present.
    for input in [
        r#"{"user": {"id": 1, "is_active": true, "pii": {"username": "u", "email": "e"}}, "course": {"course_key": "k"}, "mode": "m", "is_active": true, "creation_date": "2025-01-02T03:04:05Z"}"#,
        r#"{"user": {"id": 1, "is_active": true, "pii": {"username": "u", "email": "e"}}, "course": {"course_key": "k", "start": null}, "mode": "m", "is_active": true, "creation_date": "not a date"}"#,
    ] {
        let ours = serde_json::from_str::<CourseEnrollmentData>(input);
        let theirs = serde_json::from_str::<mirror::CourseEnrollmentData>(input);
        match (ours, theirs) {
            (Ok(o), Ok(t)) => assert_eq!(
                serde_json::to_value(&o).expect("value"),
                serde_json::to_value(&t).expect("value")
            ),
            (Err(o), Err(t)) => assert_eq!(o.to_string(), t.to_string(), "{input}"),
            (o, t) => panic!("{input}: ours {o:?}, the derive's {t:?}"),
        }
    }
}

#[test]
fn a_bad_payload_names_the_field_path() {
    let signal = openedx_hooks::signal_by_type("org.openedx.learning.course.enrollment.created.v1")
        .expect("linked");
    let mut payload =
        serde_json::json!({"enrollment": serde_json::to_value(enrollment()).expect("value")});
    payload["enrollment"]["created_by"]["pii"]["email"] = serde_json::json!(5);
    let err = signal
        .json_to_avro(&payload.to_string())
        .expect_err("a number is not an email");
    assert_eq!(err.path, "enrollment.created_by.pii.email");
    assert_eq!(err.message, "invalid type: integer `5`, expected a string");
    payload["enrollment"]["created_by"]["pii"]["email"] = serde_json::json!("e");
    payload["enrollment"]["course"]["dispay_name"] = serde_json::json!("typo");
    let err = signal
        .json_to_avro(&payload.to_string())
        .expect_err("an unknown key");
    assert_eq!(err.path, "enrollment.course.dispay_name");
    assert_eq!(
        err.message,
        "unknown field `dispay_name`: did you mean `display_name`?"
    );
}

#[test]
fn generated_minimum_sizes_agree_with_the_runtime() {
    use openedx_hooks::__private_v3::avro::Avro;
    use openedx_hooks::__private_v3::reflect::{self, Reflect};
    // The generator sums minimum sizes from the catalog; the runtime's
    // descriptor walk sums its impls' `MIN_SIZE`s. A float, a nested
    // optional record, lists, scalars and timestamps among them.
    fn check<T: Avro + Reflect>() {
        assert_eq!(
            T::MIN_SIZE,
            reflect::min_size(T::ty()),
            "{}",
            std::any::type_name::<T>()
        );
    }
    check::<UserData>();
    check::<CourseEnrollmentData>();
    check::<openedx_events::learning::PersistentCourseGradeData>();
    check::<openedx_events::learning::CertificateData>();
    check::<openedx_events::learning::CourseEnrollmentCreated>();
    check::<openedx_events::content_authoring::XBlockData>();
    // A scalar's zero value (a default the generator writes as one `0`).
    assert_eq!(
        openedx_hooks::wire::avro::to_vec(&openedx_events::learning::CourseKey::default()),
        [0]
    );
}
