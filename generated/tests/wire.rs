//! Interop with the Python reference, byte for byte: `tests/vectors/` holds
//! payloads of every event openedx-events 10.5.0 can encode, with the bytes
//! its `serialize_event_data_to_bytes` produced, and the headers
//! edx-event-bus-kafka sends (regenerate with `tests/vectors/generate.py`).
//! The generated types must decode those bytes to the same values and
//! encode the same values to the same bytes.

use openedx_hooks::{EventMetadata, receive_message, signal_by_type, testing, wire};
use openedx_hooks_tests::vectors::{self, canonical, unhex};
use serde_json::Value;

#[test]
fn every_reference_vector_decodes_and_re_encodes_byte_for_byte() {
    let files = vectors::avro_files();
    assert_eq!(
        files.len(),
        64,
        "one vector file per event the reference encodes"
    );
    let mut cases = 0;
    for doc in files {
        let event_type = doc["event_type"].as_str().expect("event_type");
        let signal = signal_by_type(event_type)
            .unwrap_or_else(|| panic!("{event_type} is not in openedx-events"));
        for case in doc["cases"].as_array().expect("cases") {
            let name = case["name"].as_str().expect("name");
            let bytes = unhex(case["avro"].as_str().expect("avro"));
            let payload = &case["payload"];
            let decoded = signal
                .avro_to_json(&bytes)
                .unwrap_or_else(|e| panic!("{event_type} {name}: {e}"));
            assert_eq!(
                canonical(&decoded),
                canonical(payload),
                "{event_type} {name}: decoded value"
            );
            let encoded = signal
                .json_to_avro(&payload.to_string())
                .unwrap_or_else(|e| panic!("{event_type} {name}: {e}"));
            assert!(
                encoded == bytes,
                "{event_type} {name}: encoding differs from the reference\n ours: {encoded:02x?}\n ref:  {bytes:02x?}"
            );
            cases += 1;
        }
    }
    assert_eq!(cases, 128);
}

#[test]
fn falsy_values_and_absent_optionals_survive_the_round_trip() {
    // The reference's decoder turns False, 0, "" and {} into defaults; ours keeps them.
    let doc = vectors::avro_file("org.openedx.learning.course.enrollment.created.v1");
    let falsy = &doc["cases"][1];
    assert_eq!(falsy["name"], "falsy");
    let signal =
        signal_by_type("org.openedx.learning.course.enrollment.created.v1").expect("registered");
    let decoded = signal
        .avro_to_json(&unhex(falsy["avro"].as_str().expect("hex")))
        .expect("decodes");
    let enrollment = &decoded["enrollment"];
    assert_eq!(enrollment["is_active"], false);
    assert_eq!(enrollment["mode"], "");
    assert_eq!(enrollment["user"]["id"], 0);
    assert_eq!(enrollment["created_by"], Value::Null);
    assert_eq!(
        enrollment["course"]["display_name"], "",
        "an empty string, not the default"
    );
}

#[test]
fn headers_match_the_reference_both_ways() {
    let doc = vectors::headers();
    let metadata: EventMetadata =
        serde_json::from_value(doc["metadata"].clone()).expect("metadata");
    let ours: Vec<(&str, String)> = metadata.to_headers();
    let reference = doc["headers"].as_object().expect("headers");
    assert_eq!(ours.len(), reference.len());
    for (key, value) in &ours {
        assert_eq!(
            reference.get(*key).and_then(Value::as_str),
            Some(value.as_str()),
            "header {key}"
        );
    }
    let back = EventMetadata::from_headers(
        reference
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default())),
    )
    .expect("parses");
    assert_eq!(back, metadata, "every field kept, minor version included");
    assert_eq!(back.minor_version, 2);
}

#[test]
fn a_bus_message_reaches_local_receivers() {
    let doc = vectors::avro_file("org.openedx.learning.student.registration.completed.v1");
    let bytes = unhex(doc["cases"][0]["avro"].as_str().expect("hex"));
    let meta = EventMetadata::new("org.openedx.learning.student.registration.completed.v1", 0);
    let headers = meta.to_headers();
    let captured = testing::capture(&openedx_events::learning::STUDENT_REGISTRATION_COMPLETED);
    let report =
        receive_message(headers.iter().map(|(k, v)| (*k, v.as_bytes())), &bytes).expect("received");
    assert!(report.is_ok());
    let events = captured.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].metadata, meta);
    assert_eq!(events[0].payload.user.id, -9007199254740999);

    // The same through the type-erased handle, as a consumer that already
    // routed the message would.
    let pairs: Vec<(&str, &[u8])> = headers.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
    let handle =
        signal_by_type("org.openedx.learning.student.registration.completed.v1").expect("linked");
    assert!(
        handle
            .send_message(&pairs, &bytes)
            .expect("received")
            .is_ok()
    );
    assert_eq!(captured.events().len(), 2);
    let other =
        signal_by_type("org.openedx.learning.auth.session.login.completed.v1").expect("linked");
    assert!(matches!(
        other.send_message(&pairs, &bytes),
        Err(wire::WireError::EventType { .. })
    ));

    // What cannot be received says why.
    let mut wrong_type = headers.clone();
    wrong_type[3].1 = "org.openedx.nowhere.thing.happened.v1".into();
    assert!(matches!(
        receive_message(wrong_type.iter().map(|(k, v)| (*k, v.as_bytes())), &bytes),
        Err(wire::WireError::UnknownEvent(_))
    ));
    let truncated = receive_message(
        headers.iter().map(|(k, v)| (*k, v.as_bytes())),
        &bytes[..bytes.len() - 1],
    );
    let message = truncated.expect_err("truncated").to_string();
    assert!(message.contains("user.pii.name"), "{message}");
    let mut duplicated = headers.clone();
    duplicated.push(("ce_id", meta.id.to_string()));
    assert!(matches!(
        receive_message(duplicated.iter().map(|(k, v)| (*k, v.as_bytes())), &bytes),
        Err(wire::WireError::Headers(wire::HeaderError::Duplicate(
            "ce_id"
        )))
    ));
    // Not Avro: refused by both the router and the handle.
    let mut json = headers.clone();
    json[1].1 = "application/json".into();
    assert!(matches!(
        receive_message(json.iter().map(|(k, v)| (*k, v.as_bytes())), &bytes),
        Err(wire::WireError::ContentType(_))
    ));
    let json_pairs: Vec<(&str, &[u8])> = json.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
    assert!(matches!(
        handle.send_message(&json_pairs, &bytes),
        Err(wire::WireError::ContentType(_))
    ));
    let no_id: Vec<_> = headers.iter().filter(|(k, _)| *k != "ce_id").collect();
    assert!(matches!(
        receive_message(no_id.iter().map(|(k, v)| (*k, v.as_bytes())), &bytes),
        Err(wire::WireError::Headers(wire::HeaderError::Missing(
            "ce_id"
        )))
    ));
}

/// Every event registers its Avro schema (what a schema registry is given):
/// the reference's own schema for the 64 it can build, and one for all 73.
#[test]
fn registered_schemas_are_the_reference_s() {
    let mut compared = 0;
    for v in vectors::avro_files() {
        let event_type = v["event_type"].as_str().unwrap();
        let schema = signal_by_type(event_type).unwrap().avro_schema().unwrap();
        let ours: Value = serde_json::from_str(&schema).unwrap();
        assert_eq!(ours, v["schema"], "{event_type}");
        compared += 1;
    }
    assert_eq!(compared, 64);
    for s in openedx_hooks::all_events() {
        let schema = s.avro_schema().expect("registered with its schema");
        let parsed: Value = serde_json::from_str(&schema).unwrap();
        assert_eq!(parsed["namespace"], s.event_type());
    }
}
