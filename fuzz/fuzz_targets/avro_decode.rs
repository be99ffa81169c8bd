//! Untrusted bytes through every Open edX event's Avro decoder: never a
//! panic, no allocation beyond the input's size, and whatever decodes
//! re-encodes to bytes that decode to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Linked for its events' registrations.
extern crate openedx_events;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let events = openedx_hooks::all_events();
    let signal = events[usize::from(selector) % events.len()];
    if let Ok(json) = signal.avro_to_json(bytes) {
        let again = signal
            .json_to_avro(&json.to_string())
            .expect("a decoded payload re-encodes");
        let back = signal.avro_to_json(&again).expect("re-encoded bytes decode");
        assert_eq!(back, json);
    }
});
