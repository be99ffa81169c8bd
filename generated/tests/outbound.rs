//! The outbound hook an event-bus producer installs: events sent locally
//! leave the process as Avro with their metadata; events received from the
//! bus, disabled events and unwanted types do not. One test: the outbound
//! is process-wide.

use std::sync::{Arc, Mutex};

use openedx_events::learning::{
    STUDENT_REGISTRATION_COMPLETED, StudentRegistrationCompleted, UserData, UserPersonalData,
};
use openedx_hooks::outbound::{self, Outbound};
use openedx_hooks::wire::avro;
use openedx_hooks::{BoxError, EventMetadata, signal_by_type};

#[derive(Default)]
struct Captured {
    events: Mutex<Vec<(EventMetadata, Vec<u8>)>>,
    fail: std::sync::atomic::AtomicBool,
}

impl Outbound for Captured {
    fn forwards(&self, event_type: &str) -> bool {
        event_type == STUDENT_REGISTRATION_COMPLETED.event_type()
    }
    fn forward(&self, metadata: &EventMetadata, avro: &[u8]) -> Result<(), BoxError> {
        if self.fail.load(std::sync::atomic::Ordering::SeqCst) {
            return Err("queue full".into());
        }
        self.events
            .lock()
            .unwrap()
            .push((metadata.clone(), avro.to_vec()));
        Ok(())
    }
}

fn registration(id: i64) -> StudentRegistrationCompleted {
    StudentRegistrationCompleted {
        user: UserData {
            pii: UserPersonalData {
                username: format!("u{id}"),
                email: String::new(),
                name: String::new(),
            },
            id,
            is_active: false,
        },
    }
}

#[test]
fn local_sends_leave_bus_events_do_not() {
    let captured = Arc::new(Captured::default());
    assert!(outbound::install(captured.clone()).is_none());

    // A local send, with no receiver connected, still leaves.
    let report = STUDENT_REGISTRATION_COMPLETED.send_event(registration(7));
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.outcomes()[0].receiver, outbound::RECEIVER);
    {
        let events = captured.events.lock().unwrap();
        assert_eq!(events.len(), 1);
        let (meta, bytes) = &events[0];
        assert_eq!(meta.event_type, STUDENT_REGISTRATION_COMPLETED.event_type());
        let back: StudentRegistrationCompleted = avro::from_slice(bytes).unwrap();
        assert_eq!(back, registration(7));
    }

    // Received from the bus: local receivers only.
    let signal = signal_by_type(STUDENT_REGISTRATION_COMPLETED.event_type()).unwrap();
    let meta = EventMetadata::new(STUDENT_REGISTRATION_COMPLETED.event_type(), 0);
    let report = signal
        .receive_from_bus(&avro::to_vec(&registration(8)), meta.clone())
        .unwrap();
    assert!(report.outcomes().is_empty());
    // The same through `send_avro`, a local send, leaves.
    let report = signal
        .send_avro(&avro::to_vec(&registration(9)), meta)
        .unwrap();
    assert!(report.is_ok());
    assert_eq!(captured.events.lock().unwrap().len(), 2);

    // Other event types are not asked for.
    let _ = openedx_events::learning::SESSION_LOGIN_COMPLETED.send_event(
        openedx_events::learning::SessionLoginCompleted {
            user: registration(1).user,
        },
    );
    assert_eq!(captured.events.lock().unwrap().len(), 2);

    // A disabled signal sends nothing anywhere.
    STUDENT_REGISTRATION_COMPLETED.disable();
    let _ = STUDENT_REGISTRATION_COMPLETED.send_event(registration(10));
    STUDENT_REGISTRATION_COMPLETED.enable();
    assert_eq!(captured.events.lock().unwrap().len(), 2);

    // The outbound's failure is the report's, never silent.
    captured
        .fail
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let report = STUDENT_REGISTRATION_COMPLETED.send_event(registration(11));
    assert!(!report.is_ok());
    assert!(report.to_string().contains("queue full"), "{report}");

    assert!(outbound::uninstall().is_some());
    let report = STUDENT_REGISTRATION_COMPLETED.send_event(registration(12));
    assert!(report.outcomes().is_empty());
    assert!(signal.has_field("user.id"));
    assert!(signal.has_field("user.pii.username"));
    assert!(!signal.has_field("user.pii.nmae"));
    assert!(!signal.has_field(""));
}

/// A field read from a payload's Avro (skipping the others) equals the same
/// field of its JSON: every top-level field of every event, every field of
/// a record one level down (optional records included, null in the falsy
/// payloads), and every catalog key field, typical and falsy payloads. The
/// top-level fields' Avro, end to end, is the whole payload.
#[test]
fn fields_read_from_avro_equal_the_json() {
    let catalog = openedx_hooks_schema::Loader::new()
        .load(&[openedx_hooks_tests::workspace_root().join("generated/events")])
        .expect("reads")
        .catalog
        .expect("valid");
    let mut checked = 0;
    let mut nested: std::collections::HashMap<String, Vec<String>> = Default::default();
    for falsy in [false, true] {
        for (event_type, payload) in openedx_hooks_tests::samples::event_payloads(&catalog, falsy) {
            let signal = signal_by_type(&event_type).unwrap();
            let bytes = signal.json_to_avro(&payload.to_string()).unwrap();
            let json = signal.avro_to_json(&bytes).unwrap();
            let def = catalog.event_by_type(&event_type).unwrap().1;
            let top: Vec<String> = def.payload.iter().map(|f| f.name.clone()).collect();
            let mut whole = Vec::new();
            for name in &top {
                whole.extend_from_slice(signal.field_avro(&bytes, name).unwrap().unwrap());
            }
            assert_eq!(whole, bytes, "{event_type}");
            // One level down, from the typical payload, whose optional
            // records are present; the falsy one then has them null.
            let below = nested.entry(event_type.clone()).or_insert_with(|| {
                top.iter()
                    .filter_map(|n| json.get(n)?.as_object().map(|o| (n, o)))
                    .flat_map(|(n, o)| o.keys().map(move |k| format!("{n}.{k}")))
                    .collect()
            });
            let mut paths = top.clone();
            paths.extend(below.iter().cloned());
            paths.extend(def.key_field.as_ref().map(|k| k.dotted()));
            for path in paths {
                let want = path.split('.').try_fold(&json, |v, n| v.get(n)).cloned();
                assert_eq!(
                    signal.field_json(&bytes, &path).unwrap(),
                    want,
                    "{event_type} {path}"
                );
                assert_eq!(
                    signal.field_avro(&bytes, &path).unwrap().is_some(),
                    want.is_some(),
                    "{event_type} {path}"
                );
                checked += 1;
            }
            assert_eq!(signal.field_json(&bytes, "no_such_field").unwrap(), None);
        }
    }
    assert!(checked > 146, "{checked}");
    let signal = signal_by_type(STUDENT_REGISTRATION_COMPLETED.event_type()).unwrap();
    let bytes = avro::to_vec(&registration(3));
    assert!(signal.field_json(&bytes[..3], "user.pii.email").is_err());
    assert!(signal.field_avro(&bytes[..3], "user.pii.email").is_err());
}
