//! The JSON Schemas `schema json-schema` writes: valid 2020-12 documents
//! that accept the payloads the runtime reads (every reference vector, and
//! every event's payload as the generated types serialize it) and reject
//! payloads of the wrong shape.

use openedx_hooks_codegen::json_schema;
use openedx_hooks_schema::Loader;
use openedx_hooks_tests::workspace_root;
use serde_json::{Value, json};

fn catalog() -> openedx_hooks_schema::Catalog {
    Loader::new()
        .load(&[workspace_root().join("generated/events")])
        .expect("reads")
        .catalog
        .expect("valid")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    assert!(
        jsonschema::meta::is_valid(schema),
        "not a valid JSON Schema: {schema}"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("compiles")
}

#[test]
fn reference_payloads_validate_against_their_event_schema() {
    let catalog = catalog();
    let mut checked = 0;
    for doc in openedx_hooks_tests::vectors::avro_files() {
        let event_type = doc["event_type"].as_str().expect("type");
        let (_, event) = catalog.event_by_type(event_type).expect("in the catalog");
        let v = validator(&json_schema(&catalog, event));
        for case in doc["cases"].as_array().expect("cases") {
            let errors: Vec<String> = v
                .iter_errors(&case["payload"])
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{event_type} {}: {errors:?}",
                case["name"]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 128);
}

#[test]
fn the_generated_types_output_validates_for_the_seed_example() {
    let catalog = catalog();
    let (_, event) = catalog
        .event_by_type("org.openedx.learning.course.enrollment.created.v1")
        .expect("event");
    let v = validator(&json_schema(&catalog, event));
    let payload = openedx_events::learning::CourseEnrollmentCreated {
        enrollment: openedx_events::learning::CourseEnrollmentData {
            user: openedx_events::learning::UserData {
                id: 1,
                is_active: true,
                pii: openedx_events::learning::UserPersonalData {
                    username: "ada".into(),
                    email: "ada@example.com".into(),
                    name: String::new(),
                },
            },
            course: openedx_events::learning::CourseData {
                course_key: "course-v1:edX+DemoX+Demo_Course".into(),
                display_name: "Demo".into(),
                start: None,
                end: Some("2026-12-01T00:00:00Z".parse().expect("ts")),
            },
            mode: "audit".into(),
            is_active: true,
            creation_date: "2026-11-24T10:00:00Z".parse().expect("ts"),
            created_by: None,
        },
    };
    let instance = serde_json::to_value(&payload).expect("serializes");
    assert!(
        v.is_valid(&instance),
        "{:?}",
        v.iter_errors(&instance)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );
}

#[test]
fn wrong_shapes_are_rejected() {
    let catalog = catalog();
    let (_, event) = catalog
        .event_by_type("org.openedx.learning.student.registration.completed.v1")
        .expect("event");
    let v = validator(&json_schema(&catalog, event));
    let good =
        json!({"user": {"id": 1, "is_active": true, "pii": {"username": "u", "email": "e"}}});
    assert!(
        v.is_valid(&good),
        "`name` has a default: it may be left out"
    );
    for bad in [
        json!({}),
        json!({"user": {"id": "1", "is_active": true, "pii": {"username": "u", "email": "e"}}}),
        json!({"user": {"id": 1, "is_active": true, "pii": {"username": "u"}}}),
        json!({"user": {"id": 1.5, "is_active": true, "pii": {"username": "u", "email": "e"}}}),
    ] {
        assert!(!v.is_valid(&bad), "accepted {bad}");
    }
    let (_, enrollment) = catalog
        .event_by_type("org.openedx.learning.course.enrollment.created.v1")
        .expect("event");
    let schema = json_schema(&catalog, enrollment);
    let v = validator(&schema);
    let enrolled = |when: &str| {
        json!({"enrollment": {
            "user": {"id": 1, "is_active": true, "pii": {"username": "u", "email": "e"}},
            "course": {"course_key": "course-v1:a+b+c"},
            "mode": "audit", "is_active": true, "creation_date": when
        }})
    };
    assert!(v.is_valid(&enrolled("2026-11-24T10:00:00+00:00")));
    assert!(!v.is_valid(&enrolled("yesterday")), "formats are checked");
    assert_eq!(
        schema["$defs"]["learning.CourseData"]["properties"]["start"]["anyOf"][1],
        json!({"type": "null"})
    );
    assert_eq!(
        schema["$defs"]["learning.CourseData"]["properties"]["end"]["anyOf"][0]["format"],
        "date-time"
    );
}
