//! Wire schemas and payload encoding through the CLI: Avro schemas equal to
//! the Python reference's, bytes equal to its bytes (tests/vectors), the
//! IR-driven codec equal to the generated types' for every event (the nine
//! the reference refuses included), and invalid payloads named by path.

// Linked for its events' registrations (`signal_by_type`).
extern crate openedx_events;

mod common;

use common::{root, run};
use openedx_hooks_schema::Loader;
use openedx_hooks_tests::samples::sample;
use openedx_hooks_tests::vectors::{avro_files as vector_files, canonical, unhex};
use serde_json::{Value, json};

#[test]
fn avro_schemas_are_the_reference_schemas_key_for_key() {
    let out = tempfile::tempdir().expect("tempdir");
    let dir = out.path().to_str().expect("utf-8");
    let o = run(&["schema", "avro", "generated/events", "--out", dir], b"");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Every event has a schema, named after its type.
    openedx_hooks_tests::upstream::assert_same_events(
        std::fs::read_dir(out.path()).expect("dir").map(|e| {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            name.trim_end_matches(".avsc").to_owned()
        }),
        "schemas written by `schema avro`",
    );
    let vectors = vector_files();
    assert_eq!(vectors.len(), 64);
    for v in vectors {
        let event_type = v["event_type"].as_str().expect("type");
        let ours: Value = serde_json::from_str(
            &std::fs::read_to_string(out.path().join(format!("{event_type}.avsc")))
                .expect("written"),
        )
        .expect("json");
        // Compared as text: the order of keys matters to a byte-level reader.
        assert_eq!(ours.to_string(), v["schema"].to_string(), "{event_type}");
    }
    // The hyphenated namespace is kept as the reference writes it (strict
    // Avro names would reject it; our decoder does not read names at all).
    let hyphen = out
        .path()
        .join("org.openedx.enterprise.subsidy.redemption-reversed.v1.avsc");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(hyphen).expect("written")).expect("json");
    assert_eq!(
        schema["namespace"],
        "org.openedx.enterprise.subsidy.redemption-reversed.v1"
    );
}

#[test]
fn encode_and_decode_match_the_reference_bytes() {
    for v in vector_files() {
        let event_type = v["event_type"].as_str().expect("type");
        for case in v["cases"].as_array().expect("cases") {
            let bytes = unhex(case["avro"].as_str().expect("hex"));
            let payload = case["payload"].to_string();
            let o = run(
                &["encode", "generated/events", "--event", event_type],
                payload.as_bytes(),
            );
            assert!(
                o.status.success(),
                "{event_type}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(
                o.stdout == bytes,
                "{event_type} {}: bytes differ",
                case["name"]
            );
            let o = run(
                &["decode", "generated/events", "--event", event_type],
                &bytes,
            );
            assert!(
                o.status.success(),
                "{event_type}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let decoded: Value = serde_json::from_slice(&o.stdout).expect("json");
            assert_eq!(
                canonical(&decoded),
                canonical(&case["payload"]),
                "{event_type}"
            );
        }
    }
}

#[test]
fn the_cli_codec_and_the_generated_types_agree_on_every_event() {
    let outcome = Loader::new()
        .load(&[root().join("generated/events")])
        .expect("reads");
    let catalog = outcome.catalog.expect("valid");
    let mut checked = 0;
    for (_, event) in catalog.events() {
        let signal = openedx_hooks::signal_by_type(&event.event_type).expect("linked");
        for falsy in [false, true] {
            let payload = Value::Object(
                event
                    .payload
                    .iter()
                    .map(|f| (f.name.clone(), sample(&catalog, &f.ty, falsy, 0)))
                    .collect(),
            )
            .to_string();
            let typed = signal
                .json_to_avro(&payload)
                .unwrap_or_else(|e| panic!("{}: {e}", event.event_type));
            let o = run(
                &["encode", "generated/events", "--event", &event.name],
                payload.as_bytes(),
            );
            assert!(
                o.status.success(),
                "{}: {}",
                event.event_type,
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(
                o.stdout == typed,
                "{} (falsy: {falsy}): the CLI and the generated types disagree",
                event.event_type
            );
            let back = signal.avro_to_json(&typed).expect("decodes");
            assert_eq!(
                canonical(&back),
                canonical(&serde_json::from_str(&payload).expect("json")),
                "{}: round trip",
                event.event_type
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 146);
}

#[test]
fn an_invalid_payload_names_its_field() {
    let bad = r#"{"user": {"id": 7, "is_active": true, "pii": {"username": "ada", "email": 42, "name": ""}}}"#;
    let o = run(
        &[
            "encode",
            "generated/events",
            "--event",
            "STUDENT_REGISTRATION_COMPLETED",
        ],
        bad.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("at `user.pii.email`: expected a string, found a number"),
        "{stderr}"
    );
    let missing = r#"{"user": {"id": 7, "is_active": true}}"#;
    let o = run(
        &[
            "encode",
            "generated/events",
            "--event",
            "STUDENT_REGISTRATION_COMPLETED",
        ],
        missing.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("at `user.pii`: missing field"));
    let o = run(
        &[
            "decode",
            "generated/events",
            "--event",
            "STUDENT_REGISTRATION_COMPLETED",
        ],
        [0x02, 0x01],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("user.pii.username"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(
        &["encode", "generated/events", "--event", "NO_SUCH_EVENT"],
        b"{}",
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn json_format_fills_defaults_and_normalizes() {
    let o = run(
        &["encode", "generated/events", "--event", "STUDENT_REGISTRATION_COMPLETED", "--format", "json", "--allow-unknown-fields"],
        br#"{"user": {"id": 1, "is_active": false, "pii": {"username": "u", "email": "e"}}, "ignored": true}"#,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        v,
        json!({"user": {"id": 1, "is_active": false, "pii": {"username": "u", "email": "e", "name": ""}}})
    );
}

#[test]
fn an_unknown_key_is_an_error_naming_its_path_and_the_nearest_field() {
    // Without the check, `nmae` would silently encode as the default "".
    let payload = br#"{"user": {"id": 1, "is_active": true, "pii": {"username": "u", "email": "e", "nmae": "N"}}}"#;
    for format in ["avro", "json"] {
        let o = run(
            &[
                "encode",
                "generated/events",
                "--event",
                "STUDENT_REGISTRATION_COMPLETED",
                "--format",
                format,
            ],
            payload,
        );
        assert_eq!(o.status.code(), Some(1), "{format}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("at `user.pii.nmae`: unknown field `nmae`: did you mean `name`?"),
            "{format}: {err}"
        );
    }
    let o = run(
        &[
            "encode",
            "generated/events",
            "--event",
            "STUDENT_REGISTRATION_COMPLETED",
            "--allow-unknown-fields",
        ],
        payload,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn an_event_catalog_that_uses_an_extern_catalog_is_encoded_and_described_with_it() {
    // A plugin's event whose payload uses the Open edX events' `CourseKey`.
    let dir = tempfile::tempdir().expect("tempdir");
    let plugin = dir.path().join("badges.yaml");
    std::fs::write(
        &plugin,
        "\
catalog:
  type_prefix: org.example
module: badges
events:
  STREAK_EXTENDED:
    type: org.example.badges.streak.extended.v1
    payload:
      course_key: learning.CourseKey
      badge: string
",
    )
    .expect("write");
    let plugin = plugin.to_str().expect("utf-8");
    let with = ["--extern-catalog", "generated/events"];
    // Alone, the `learning` module is unknown.
    let o = run(&["schema", "avro", plugin, "--out", "unused"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("unknown module `learning`"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // With it: schemas of the plugin's own event only, not of the extern 73.
    let out = dir.path().join("avro");
    let out = out.to_str().expect("utf-8");
    let o = run(
        &[&["schema", "avro", plugin, "--out", out][..], &with].concat(),
        b"",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written: Vec<String> = std::fs::read_dir(out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written, ["org.example.badges.streak.extended.v1.avsc"]);
    // A payload round-trips through encode and decode.
    let payload = br#"{"course_key": "course-v1:edX+DemoX+Demo_Course", "badge": "gold"}"#;
    let event = ["--event", "STREAK_EXTENDED"];
    let o = run(&[&["encode", plugin][..], &event, &with].concat(), payload);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(
        &[&["decode", plugin][..], &event, &with].concat(),
        &o.stdout,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let decoded: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        decoded,
        json!({"course_key": "course-v1:edX+DemoX+Demo_Course", "badge": "gold"})
    );
    // `triggers` reports the plugin's own events, not the extern catalog's.
    let o = run(
        &[&["triggers", plugin, "--catalog", plugin][..], &with].concat(),
        b"",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("warning: 1 of 1 events are not sent by any scanned file: STREAK_EXTENDED"),
        "{stderr}"
    );
}
