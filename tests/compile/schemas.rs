//! The runtime's Avro schemas, derived from descriptors, are the
//! generator's: primitives, containers, recursion, a record used twice and
//! two records of one name from two modules. And the runtime's descriptor
//! check (what a registered event does with bytes no receiver takes typed)
//! accepts and refuses exactly what the generated decoders do.
#![deny(missing_docs, warnings)]
include!("generated/schemas.rs");

use openedx_hooks::__private_v3::avro::{self, Avro};
use openedx_hooks::__private_v3::reflect::{self, Reflect};

/// Every truncation and many one-byte changes of `bytes`: the typed decoder
/// and the descriptor check give the same verdict and the same error.
fn agree<T: Avro + Reflect>(bytes: &[u8]) -> (usize, usize) {
    let (mut cases, mut refused) = (0, 0);
    let mut one = |m: &[u8]| {
        let typed = avro::from_slice::<T>(m).map(drop);
        let walked = reflect::check(T::ty(), m);
        assert_eq!(typed, walked, "{m:02x?}");
        cases += 1;
        refused += usize::from(typed.is_err());
    };
    for n in 0..=bytes.len() {
        one(&bytes[..n]);
    }
    for i in 0..bytes.len() {
        let b = bytes[i];
        for v in [0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, b ^ 1, b.wrapping_add(2)] {
            let mut m = bytes.to_vec();
            m[i] = v;
            one(&m);
        }
    }
    let mut longer = bytes.to_vec();
    longer.push(0);
    one(&longer);
    (cases, refused)
}

fn main() {
    for (event_type, expected) in EXPECTED {
        let signal = openedx_hooks::signal_by_type(event_type).expect("linked");
        assert_eq!(signal.avro_schema().as_deref(), Some(*expected), "{event_type}");
    }
    assert_eq!(EXPECTED.len(), 2);
    // Touch the events so that the linker keeps their registrations.
    let _ = (&alpha::EVERYTHING_HAPPENED, &beta::ITEM_SEEN);

    let everything: alpha::EverythingHappened = serde_json::from_value(serde_json::json!({
        "everything": {
            "text": "héllo", "count": -300, "ratio": 0.5, "flag": true, "blob": [0, 255, 7],
            "when": "2026-11-30T10:00:00+00:00", "day": "2026-11-30",
            "ident": "0f8fad5b-d9cb-469f-a165-70867728950e", "doc": {"a": [1, null]},
            "level": "high", "key": "k", "tags": ["a", "bc"], "scores": {"x": 1.5, "y": -2.0},
            "maybe_tags": ["z"], "nested": [[1, null, 3], []], "item": {"id": 9},
            "theirs": {"name": "n", "code": 4}, "items": [{"id": 1}, {"id": 2}],
            "theirs_again": {"name": "m", "code": null}
        },
        "node": {"label": "root", "children": [{"label": "leaf", "children": [], "parent": null}], "parent": null},
        "item": {"id": 1}
    }))
    .expect("a payload of every shape");
    let bytes = avro::to_vec(&everything);
    let (cases, refused) = agree::<alpha::EverythingHappened>(&bytes);
    assert!(refused > cases / 4 && refused < cases, "{refused} of {cases}");

    // A field read through an optional record (an event-bus key): none
    // while the record is null; its own Avro once the record is there.
    let signal = openedx_hooks::signal_by_type(alpha::EVERYTHING_HAPPENED.event_type())
        .expect("linked");
    assert_eq!(signal.field_avro(&bytes, "node.parent.label").expect("reads"), None);
    assert_eq!(signal.field_json(&bytes, "node.parent.label").expect("reads"), None);
    let mut with_parent = serde_json::to_value(&everything).expect("serializes");
    with_parent["node"]["parent"] =
        serde_json::json!({"label": "up", "children": [], "parent": null});
    let with_parent: alpha::EverythingHappened =
        serde_json::from_value(with_parent).expect("decodes");
    let bytes = avro::to_vec(&with_parent);
    assert_eq!(
        signal.field_avro(&bytes, "node.parent.label").expect("reads"),
        Some(&avro::to_vec(&"up".to_owned())[..])
    );
    assert_eq!(
        signal.field_json(&bytes, "node.parent.label").expect("reads"),
        Some(serde_json::json!("up"))
    );
    let seen: beta::ItemSeen = serde_json::from_value(serde_json::json!({
        "theirs": {"name": "x", "code": 300}, "ours": {"id": 5}, "again": {"id": -1}
    }))
    .expect("decodes");
    agree::<beta::ItemSeen>(&avro::to_vec(&seen));
}
