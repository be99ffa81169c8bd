//! What the bus's integration tests share: the bundled catalog and
//! session-login events.

#![allow(dead_code)] // Each test file uses its part.

pub mod raw;

use std::time::Duration;

use openedx_hooks::EventMetadata;
use openedx_hooks::wire::avro;
use openedx_hooks_bus::{BusEvent, Producer};

/// The bundled events catalog.
pub fn catalog() -> openedx_hooks_schema::Catalog {
    let root = openedx_hooks_tests::workspace_root();
    openedx_hooks_schema::Loader::new()
        .load(&[root.join("generated/events")])
        .expect("reads")
        .catalog
        .expect("valid")
}

/// A session-login event of user `id`: fresh metadata and the payload's Avro.
pub fn login(id: i64) -> (EventMetadata, Vec<u8>) {
    let payload = openedx_events::learning::SessionLoginCompleted {
        user: openedx_events::learning::UserData {
            id,
            is_active: true,
            pii: openedx_events::learning::UserPersonalData {
                username: format!("u{id}"),
                email: String::new(),
                name: String::new(),
            },
        },
    };
    let signal = &openedx_events::learning::SESSION_LOGIN_COMPLETED;
    (
        EventMetadata::new(signal.event_type(), signal.minor_version()),
        avro::to_vec(&payload),
    )
}

/// Sends `n` logins to a topic (keyed by `key`, if given) and waits until
/// every one is stored; their metadata, in order.
pub fn send_logins(p: &Producer, topic: &str, n: i64, key: Option<&str>) -> Vec<EventMetadata> {
    let deliveries: Vec<_> = (0..n)
        .map(|i| {
            let (meta, avro) = login(i);
            let d = p
                .send_keyed(topic, &BusEvent::new(meta.clone(), avro), key)
                .unwrap();
            (meta, d)
        })
        .collect();
    deliveries
        .into_iter()
        .map(|(m, d)| {
            d.wait_timeout(Duration::from_secs(30)).unwrap();
            m
        })
        .collect()
}
