//! Test isolation: captures, local receivers and strict mode are scoped to
//! the current thread, so tests running in parallel never see each other.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use openedx_hooks::{BoxError, EventMetadata, Signal, testing};

#[derive(Debug, Clone, PartialEq)]
struct Enrolled {
    user: u32,
}
impl openedx_hooks::Payload for Enrolled {}

static ENROLLED: Signal<Enrolled> =
    Signal::new("org.example.test.course.enrolled.v1", "ENROLLED", 1, 0);

#[test]
fn a_capture_sees_only_this_threads_events_even_with_many_tests_in_parallel() {
    const TESTS: usize = 32;
    const EVENTS: u32 = 50;
    let start = Arc::new(Barrier::new(TESTS));
    let handles: Vec<_> = (0..TESTS as u32)
        .map(|t| {
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                // Each thread plays one test: capture, send its own events, check.
                let _strict = testing::strict();
                let cap = testing::capture(&ENROLLED);
                let local_hits = std::rc::Rc::new(std::cell::Cell::new(0));
                let hits = std::rc::Rc::clone(&local_hits);
                let _local = testing::connect_local(
                    &ENROLLED,
                    move |e: &Enrolled, _: &EventMetadata| -> Result<(), BoxError> {
                        assert_eq!(
                            e.user / 1000,
                            t,
                            "a local receiver saw another test's event"
                        );
                        hits.set(hits.get() + 1);
                        Ok(())
                    },
                );
                start.wait();
                for i in 0..EVENTS {
                    ENROLLED
                        .send_event(Enrolled { user: t * 1000 + i })
                        .assert_ok();
                }
                let users: Vec<u32> = cap.payloads().iter().map(|e| e.user).collect();
                assert_eq!(users, (0..EVENTS).map(|i| t * 1000 + i).collect::<Vec<_>>());
                assert_eq!(local_hits.get(), EVENTS as usize);
                cap.events()
                    .iter()
                    .for_each(|e| assert_eq!(e.metadata.event_type, ENROLLED.event_type()));
            })
        })
        .collect();
    for h in handles {
        h.join().expect("a parallel test failed");
    }
}

#[test]
fn captures_and_local_receivers_end_with_their_guards() {
    static S: Signal<Enrolled> =
        Signal::new("org.example.test.guard.enrolled.v1", "GUARD_ENROLLED", 1, 0);
    let cap = testing::capture(&S);
    let _ = S.send_event(Enrolled { user: 1 });
    let count = cap.len();
    drop(cap);
    let after = testing::capture(&S);
    assert_eq!(count, 1);
    assert!(after.is_empty());
    let report = S.send_event(Enrolled { user: 2 });
    assert_eq!(
        report.outcomes().len(),
        1,
        "only the new capture received it"
    );
    assert_eq!(after.len(), 1);
}

#[test]
fn strict_mode_turns_receiver_errors_and_panics_into_test_failures() {
    static S: Signal<Enrolled> = Signal::new(
        "org.example.test.strict.enrolled.v1",
        "STRICT_ENROLLED",
        1,
        0,
    );
    let _local = testing::connect_local(
        &S,
        |e: &Enrolled, _: &EventMetadata| -> Result<(), BoxError> {
            if e.user == 0 {
                Err("user 0 is invalid".into())
            } else {
                panic!("user {} exploded", e.user)
            }
        },
    );
    // Without strict mode the failure is only reported.
    assert!(!S.send_event(Enrolled { user: 0 }).is_ok());
    let strict = testing::strict();
    let err = catch_unwind(AssertUnwindSafe(|| S.send_event(Enrolled { user: 0 })))
        .expect_err("strict send panics");
    let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("user 0 is invalid"), "{msg}");
    let err = catch_unwind(AssertUnwindSafe(|| S.send_event(Enrolled { user: 5 })))
        .expect_err("strict send panics");
    assert!(
        err.downcast_ref::<String>()
            .is_some_and(|m| m.contains("user 5 exploded"))
    );
    drop(strict);
    assert!(!S.send_event(Enrolled { user: 0 }).is_ok());
}

#[test]
fn isolation_hides_process_wide_receivers_from_this_thread_only() {
    static S: Signal<Enrolled> = Signal::new(
        "org.example.test.isolated.enrolled.v1",
        "ISOLATED_ENROLLED",
        1,
        0,
    );
    let global_hits = Arc::new(AtomicUsize::new(0));
    let h = Arc::clone(&global_hits);
    let c = S.connect(
        move |_: &Enrolled, _: &EventMetadata| -> Result<(), BoxError> {
            h.fetch_add(1, Ordering::SeqCst);
            Ok(())
        },
    );
    {
        let _iso = testing::isolate();
        let cap = testing::capture(&S);
        let _ = S.send_event(Enrolled { user: 1 });
        assert_eq!(cap.len(), 1);
        assert_eq!(
            global_hits.load(Ordering::SeqCst),
            0,
            "isolated from the global receiver"
        );
        // Another thread is not isolated.
        std::thread::spawn(|| S.send_event(Enrolled { user: 2 }).assert_ok())
            .join()
            .unwrap();
        assert_eq!(global_hits.load(Ordering::SeqCst), 1);
    }
    S.send_event(Enrolled { user: 3 }).assert_ok();
    assert_eq!(global_hits.load(Ordering::SeqCst), 2);
    c.disconnect();
}
