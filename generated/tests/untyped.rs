//! A registered event that nothing in the process receives typed: its
//! registration holds no decoder (so none is compiled in the crate that
//! generates the events), and bytes are checked against the payload's
//! descriptor instead, refused with the decoder's own errors, and forwarded
//! to an outbound as they came. The first typed connection teaches the
//! signal its codec. One test: the outbound is process-wide, and this binary
//! must connect to `COURSE_ENROLLMENT_CREATED` only at its end.

use std::sync::{Arc, Mutex};

use openedx_events::learning::{COURSE_ENROLLMENT_CREATED, CourseEnrollmentCreated};
use openedx_hooks::outbound::{self, Outbound};
use openedx_hooks::wire::avro;
use openedx_hooks::{BoxError, EventMetadata, signal_by_type, testing};
use openedx_hooks_tests::vectors::{self, unhex};

const EVENT: &str = "org.openedx.learning.course.enrollment.created.v1";

#[derive(Default)]
struct Captured(Mutex<Vec<Vec<u8>>>);

impl Outbound for Captured {
    fn forwards(&self, event_type: &str) -> bool {
        event_type == EVENT
    }
    fn forward(&self, _: &EventMetadata, avro: &[u8]) -> Result<(), BoxError> {
        self.0.lock().unwrap().push(avro.to_vec());
        Ok(())
    }
}

#[test]
fn bytes_nobody_receives_typed_are_checked_by_descriptor_then_decoded_once_someone_does() {
    let signal = signal_by_type(EVENT).expect("linked");
    let doc = vectors::avro_file(EVENT);
    let cases: Vec<Vec<u8>> = doc["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| unhex(c["avro"].as_str().expect("avro")))
        .collect();
    assert!(cases.len() >= 2);
    let meta = || EventMetadata::new(EVENT, 0);

    // Valid bytes are accepted and reach no receiver.
    for bytes in &cases {
        let report = signal.receive_from_bus(bytes, meta()).expect("valid");
        assert!(report.is_ok() && report.outcomes().is_empty());
    }
    // Invalid bytes are refused as the decoder refuses them, path included.
    let mut refused = 0;
    for bytes in &cases {
        for n in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[n] = 0xff;
            for m in [&bytes[..n], &changed[..]] {
                let typed = avro::from_slice::<CourseEnrollmentCreated>(m).map(drop);
                let checked = signal.receive_from_bus(m, meta());
                match (typed, checked) {
                    (Ok(()), Ok(_)) => {}
                    (
                        Err(expected),
                        Err(openedx_hooks::wire::WireError::Payload { source, .. }),
                    ) => {
                        assert_eq!(source, expected, "{m:02x?}");
                        refused += 1;
                    }
                    (typed, checked) => panic!("{m:02x?}: decoder {typed:?}, check {checked:?}"),
                }
            }
        }
    }
    assert!(refused > cases.len(), "{refused}");

    // An outbound takes the bytes as they came (JSON read into Avro).
    let captured = Arc::new(Captured::default());
    outbound::install(captured.clone());
    let json = doc["cases"][0]["payload"].to_string();
    let report = signal.send_json(&json, None).expect("valid");
    outbound::uninstall();
    assert!(report.is_ok(), "{report}");
    assert_eq!(*captured.0.lock().unwrap(), vec![cases[0].clone()]);

    // The first typed connection teaches the signal its codec: the same
    // bytes now arrive decoded.
    let cap = testing::capture(&COURSE_ENROLLMENT_CREATED);
    let report = signal.receive_from_bus(&cases[0], meta()).expect("valid");
    assert_eq!(report.outcomes().len(), 1);
    assert_eq!(
        cap.payloads(),
        vec![avro::from_slice::<CourseEnrollmentCreated>(&cases[0]).expect("decodes")]
    );
}
