//! The registry of linked events, JSON dispatch, `#[receiver]` registration,
//! and configuration. Configuration is process-wide, so these checks run in
//! one test, in order.

use std::sync::atomic::{AtomicUsize, Ordering};

use openedx_hooks::__private_v3::{EVENTS, linkme};
use openedx_hooks::{
    AnySignal, BoxError, Config, EventMetadata, Signal, all_events, configure, signal_by_type,
};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, openedx_hooks::Avro)]
struct Pii {
    pub username: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, openedx_hooks::Avro)]
struct Registered {
    pub id: i64,
    pub pii: Pii,
}

static REGISTERED: Signal<Registered> =
    Signal::new("org.example.test.user.registered.v1", "REGISTERED", 1, 2);

// What generated code emits for each event.
#[linkme::distributed_slice(EVENTS)]
#[linkme(crate = openedx_hooks::__private_v3::linkme)]
static REGISTERED_ENTRY: &'static dyn AnySignal = &REGISTERED;

static PLUGIN_HITS: AtomicUsize = AtomicUsize::new(0);
static OTHER_HITS: AtomicUsize = AtomicUsize::new(0);

mod plugin {
    use super::*;

    #[openedx_hooks::receiver(REGISTERED)]
    fn on_registered(event: &Registered, meta: &EventMetadata) -> Result<(), BoxError> {
        assert_eq!(meta.minor_version, 2);
        assert!(!event.pii.username.is_empty());
        PLUGIN_HITS.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    #[openedx_hooks::receiver(super::REGISTERED)]
    fn also_registered(_: &Registered, _: &EventMetadata) -> Result<(), BoxError> {
        OTHER_HITS.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[test]
fn registry_json_dispatch_receivers_and_configuration() {
    // The registry knows the event.
    assert!(
        all_events()
            .iter()
            .any(|s| s.event_type() == "org.example.test.user.registered.v1")
    );
    let s = signal_by_type("org.example.test.user.registered.v1").expect("linked");
    assert_eq!(
        (s.name(), s.major_version(), s.minor_version()),
        ("REGISTERED", 1, 2)
    );
    assert!(signal_by_type("org.example.test.user.registered.v2").is_none());

    // A JSON payload reaches the link-time receivers, connected on first send.
    let report = s
        .send_json(
            r#"{"id": 7, "pii": {"username": "ada", "email": "ada@example.com"}}"#,
            None,
        )
        .expect("valid payload");
    report.assert_ok();
    assert_eq!(PLUGIN_HITS.load(Ordering::SeqCst), 1);
    assert_eq!(OTHER_HITS.load(Ordering::SeqCst), 1);
    let names: Vec<&str> = report.outcomes().iter().map(|o| o.receiver).collect();
    assert_eq!(
        names,
        [
            "registry::plugin::on_registered",
            "registry::plugin::also_registered"
        ]
    );

    // A bad payload names the field.
    let err = s
        .send_json(r#"{"id": 7, "pii": {"username": 5}}"#, None)
        .expect_err("invalid");
    assert_eq!(err.path, "pii.username");
    assert!(err.to_string().contains("at `pii.username`"), "{err}");
    // Metadata for another event is refused.
    let wrong = EventMetadata::new("org.example.other.thing.done.v1", 0);
    assert!(
        s.send_json(
            r#"{"id": 1, "pii": {"username": "a", "email": "b"}}"#,
            Some(wrong)
        )
        .is_err()
    );

    // Configuration switches one registered receiver off, by path and event type.
    configure(
        Config::new()
            .service("lms")
            .source_host("lms-1.example.com")
            .disable_receiver(
                "registry::plugin::also_registered",
                Some("org.example.test.user.registered.v1"),
            ),
    );
    let payload = Registered {
        id: 1,
        pii: Pii {
            username: "grace".into(),
            email: "g@example.com".into(),
        },
    };
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None));
    let sink = std::sync::Arc::clone(&seen);
    let c = REGISTERED.connect(
        move |_: &Registered, m: &EventMetadata| -> Result<(), BoxError> {
            *sink.lock().unwrap() = Some(m.clone());
            Ok(())
        },
    );
    REGISTERED.send_event(payload.clone()).assert_ok();
    assert_eq!(PLUGIN_HITS.load(Ordering::SeqCst), 2);
    assert_eq!(
        OTHER_HITS.load(Ordering::SeqCst),
        1,
        "disabled by configuration"
    );
    let meta = seen.lock().unwrap().clone().expect("metadata");
    assert_eq!(meta.source, "openedx/lms/web");
    assert_eq!(meta.source_host, "lms-1.example.com");

    // Disabling for another event type leaves it on.
    configure(Config::new().disable_receiver(
        "registry::plugin::also_registered",
        Some("org.example.other.v1"),
    ));
    REGISTERED.send_event(payload).assert_ok();
    assert_eq!(OTHER_HITS.load(Ordering::SeqCst), 2);
    assert_eq!(
        seen.lock().unwrap().as_ref().map(|m| m.source.to_string()),
        Some("openedx/unknown/web".into())
    );
    c.disconnect();
}
