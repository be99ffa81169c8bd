//! Connecting, sending, robustness, enabling, and the concurrency guarantees.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use openedx_hooks::{BoxError, EventMetadata, Outcome, Signal};

#[derive(Debug, Clone, PartialEq)]
struct Ping(u32);
impl openedx_hooks::Payload for Ping {}

fn ok(_: &Ping, _: &EventMetadata) -> Result<(), BoxError> {
    Ok(())
}

#[test]
fn every_receiver_runs_even_when_others_fail_or_panic() {
    static S: Signal<Ping> = Signal::new("org.example.test.robust.sent.v1", "ROBUST_SENT", 1, 0);
    let after = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&after);
    let a = S.connect(|_: &Ping, _: &EventMetadata| -> Result<(), BoxError> {
        Err("database is down".into())
    });
    let b = S.connect(|p: &Ping, _: &EventMetadata| -> Result<(), BoxError> {
        panic!("bad ping {}", p.0)
    });
    let c = S.connect(move |_: &Ping, _: &EventMetadata| -> Result<(), BoxError> {
        seen.fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    let report = S.send_event(Ping(7));
    assert_eq!(
        after.load(Ordering::SeqCst),
        1,
        "the receiver after the failures still ran"
    );
    assert_eq!(report.outcomes().len(), 3);
    assert!(!report.is_ok());
    assert_eq!(report.failures().count(), 2);
    assert!(
        matches!(&report.outcomes()[0].outcome, Outcome::Error(e) if e.to_string() == "database is down")
    );
    assert!(matches!(&report.outcomes()[1].outcome, Outcome::Panic(m) if m == "bad ping 7"));
    assert!(report.outcomes()[2].outcome.is_ok());
    let debug = format!("{report:?}");
    assert!(
        debug.contains("database is down") && debug.contains("bad ping 7"),
        "{debug}"
    );
    for c in [a, b, c] {
        assert!(c.disconnect());
    }
    assert_eq!(S.receiver_count(), 0);
}

#[test]
fn metadata_comes_from_the_signal() {
    static S: Signal<Ping> = Signal::new("org.example.test.meta.sent.v1", "META_SENT", 1, 4);
    let got = Arc::new(std::sync::Mutex::new(None));
    let sink = Arc::clone(&got);
    let c = S.connect(move |_: &Ping, m: &EventMetadata| -> Result<(), BoxError> {
        *sink.lock().unwrap() = Some(m.clone());
        Ok(())
    });
    S.send_event(Ping(1)).assert_ok();
    let m = got.lock().unwrap().clone().expect("received");
    assert_eq!(m.event_type, "org.example.test.meta.sent.v1");
    assert_eq!(m.minor_version, 4);
    assert_eq!(m.source_lib, env!("CARGO_PKG_VERSION"));
    assert!(m.source.starts_with("openedx/") && m.source.ends_with("/web"));
    assert_eq!(m.id.get_version_num(), 4);
    // Explicit metadata is passed through untouched.
    let mine = EventMetadata::new("org.example.test.meta.sent.v1", 4);
    S.send_event_with_metadata(Ping(2), mine.clone())
        .assert_ok();
    assert_eq!(got.lock().unwrap().as_ref(), Some(&mine));
    c.disconnect();
}

#[test]
fn a_disabled_signal_sends_nothing() {
    static S: Signal<Ping> =
        Signal::new("org.example.test.disabled.sent.v1", "DISABLED_SENT", 1, 0);
    let hits = Arc::new(AtomicUsize::new(0));
    let h = Arc::clone(&hits);
    let c = S.connect(move |_: &Ping, _: &EventMetadata| -> Result<(), BoxError> {
        h.fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    S.disable();
    assert!(!S.is_enabled());
    let report = S.send_event(Ping(1));
    assert!(!report.was_sent());
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    S.enable();
    S.send_event(Ping(1)).assert_ok();
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    c.disconnect();
}

#[test]
fn dropping_a_connection_keeps_the_receiver_but_a_scoped_one_disconnects() {
    static S: Signal<Ping> = Signal::new("org.example.test.scoped.sent.v1", "SCOPED_SENT", 1, 0);
    let _dropped_handle = S.connect(ok);
    assert_eq!(S.receiver_count(), 1);
    {
        let _scoped = S.connect(ok).scoped();
        assert_eq!(S.receiver_count(), 2);
    }
    assert_eq!(S.receiver_count(), 1);
    let c = S.connect(ok);
    let id = c.id();
    assert!(c.disconnect());
    assert!(id > 0);
}

#[test]
fn receivers_may_send_and_connect_from_inside_a_callback() {
    static OUTER: Signal<Ping> = Signal::new("org.example.test.outer.sent.v1", "OUTER_SENT", 1, 0);
    static INNER: Signal<Ping> = Signal::new("org.example.test.inner.sent.v1", "INNER_SENT", 1, 0);
    let inner_hits = Arc::new(AtomicUsize::new(0));
    let h = Arc::clone(&inner_hits);
    let c1 = INNER.connect(move |_: &Ping, _: &EventMetadata| -> Result<(), BoxError> {
        h.fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    let c2 = OUTER.connect(|p: &Ping, _: &EventMetadata| -> Result<(), BoxError> {
        // Re-entrant: send another event, and connect to (and disconnect from) this very signal.
        INNER.send_event(p.clone()).assert_ok();
        OUTER.connect(ok).disconnect();
        Ok(())
    });
    OUTER.send_event(Ping(3)).assert_ok();
    assert_eq!(inner_hits.load(Ordering::SeqCst), 1);
    c1.disconnect();
    c2.disconnect();
}

#[test]
fn concurrent_sends_never_skip_a_receiver_connected_before_they_began() {
    static S: Signal<Ping> = Signal::new("org.example.test.busy.sent.v1", "BUSY_SENT", 1, 0);
    const SENDERS: usize = 4;
    const SENDS: usize = 2_000;
    let sentinel_hits = Arc::new(AtomicUsize::new(0));
    let h = Arc::clone(&sentinel_hits);
    let sentinel = S.connect(move |_: &Ping, _: &EventMetadata| -> Result<(), BoxError> {
        h.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    let start = Arc::new(Barrier::new(SENDERS + 2));
    let mut threads = Vec::new();
    for t in 0..SENDERS {
        let start = Arc::clone(&start);
        threads.push(std::thread::spawn(move || {
            start.wait();
            for i in 0..SENDS {
                let report = S.send_event(Ping((t * SENDS + i) as u32));
                assert!(report.is_ok());
            }
        }));
    }
    // Churn: connect and disconnect while the senders run.
    let churn = {
        let start = Arc::clone(&start);
        std::thread::spawn(move || {
            start.wait();
            for _ in 0..SENDS {
                S.connect(ok).disconnect();
            }
        })
    };
    start.wait();
    for t in threads {
        t.join().expect("sender");
    }
    churn.join().expect("churn");
    assert_eq!(sentinel_hits.load(Ordering::Relaxed), SENDERS * SENDS);
    sentinel.disconnect();
    assert_eq!(S.receiver_count(), 0);
}
