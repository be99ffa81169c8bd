//! The runtime's Avro schemas, derived from descriptors, are the
//! generator's: primitives, containers, recursion, a record used twice and
//! two records of one name from two modules.
#![deny(missing_docs, warnings)]
include!("generated/schemas.rs");

fn main() {
    for (event_type, expected) in EXPECTED {
        let signal = openedx_hooks::signal_by_type(event_type).expect("linked");
        assert_eq!(signal.avro_schema().as_deref(), Some(*expected), "{event_type}");
    }
    assert_eq!(EXPECTED.len(), 2);
    // Touch the events so that the linker keeps their registrations.
    let _ = (&alpha::EVERYTHING_HAPPENED, &beta::ITEM_SEEN);
}
