//! Test helpers that isolate one test from the others.
//!
//! cargo runs the tests of a binary in parallel threads of one process, so
//! process-wide receivers would see every test's events. Everything here is
//! scoped to the current thread and to a guard's lifetime: a test captures
//! the events *it* sends, connects receivers only *it* sees, and can turn
//! receiver errors and panics into test failures instead of having them
//! swallowed by robust sending.
//!
//! ```
//! use openedx_hooks::{Signal, testing};
//!
//! #[derive(Debug, Clone, PartialEq)]
//! struct Ping(u32);
//! static PINGED: Signal<Ping> = Signal::new("org.example.demo.ping.sent.v1", "PINGED", 1, 0);
//!
//! let _strict = testing::strict();
//! let cap = testing::capture(&PINGED);
//! let _ = PINGED.send_event(Ping(7));
//! assert_eq!(cap.payloads(), vec![Ping(7)]);
//! ```

use std::any::{Any, type_name};
use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;

use crate::report::SendReport;
use crate::signal::{call, next_id};
use crate::{BoxError, EventMetadata, Signal};

type LocalFn<P> = dyn Fn(&P, &EventMetadata) -> Result<(), BoxError>;

struct LocalEntry {
    id: u64,
    signal: *const (),
    name: &'static str,
    /// An `Rc<Box<LocalFn<P>>>` for the signal's `P`.
    f: Rc<dyn Any>,
}

#[derive(Clone, Copy, Default)]
pub(crate) struct Flags {
    /// Some thread-local receiver, isolation or strictness is in force.
    pub active: bool,
    /// Global receivers are skipped.
    pub isolated: bool,
    /// Failures panic.
    pub strict: bool,
}

#[derive(Default)]
struct State {
    locals: Vec<LocalEntry>,
    isolated: usize,
    strict: usize,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
    static FLAGS: Cell<Flags> = const { Cell::new(Flags { active: false, isolated: false, strict: false }) };
}

fn update(f: impl FnOnce(&mut State)) {
    STATE.with_borrow_mut(|s| {
        f(s);
        FLAGS.set(Flags {
            active: !s.locals.is_empty() || s.isolated > 0 || s.strict > 0,
            isolated: s.isolated > 0,
            strict: s.strict > 0,
        });
    });
}

pub(crate) fn flags() -> Flags {
    FLAGS.get()
}

/// Runs this thread's receivers for `signal`.
pub(crate) fn dispatch_local<P: 'static>(
    signal: &Signal<P>,
    payload: &P,
    metadata: &EventMetadata,
    report: &mut SendReport,
) {
    let addr = signal as *const Signal<P> as *const ();
    // Collect first: a receiver may connect or disconnect local receivers.
    let matching: Vec<(&'static str, Rc<dyn Any>)> = STATE.with_borrow(|s| {
        s.locals
            .iter()
            .filter(|e| e.signal == addr)
            .map(|e| (e.name, Rc::clone(&e.f)))
            .collect()
    });
    for (name, f) in matching {
        if let Some(f) = f.downcast_ref::<Box<LocalFn<P>>>() {
            report.push(name, call(&**f, payload, metadata));
        }
    }
}

/// A receiver connected for the current thread only; disconnects on drop.
#[must_use = "the receiver is disconnected when this guard is dropped"]
pub struct LocalConnection {
    id: u64,
    // Thread-bound: dropping on another thread would miss the thread-local list.
    _not_send: PhantomData<*const ()>,
}

impl Drop for LocalConnection {
    fn drop(&mut self) {
        let id = self.id;
        // The thread may be exiting, with its locals already gone.
        let _ = STATE.try_with(|_| update(|s| s.locals.retain(|e| e.id != id)));
    }
}

/// Connects a receiver that only sends from this thread reach, until the
/// returned guard is dropped. Other tests running in parallel never see it.
pub fn connect_local<P, F>(signal: &'static Signal<P>, receiver: F) -> LocalConnection
where
    P: 'static,
    F: Fn(&P, &EventMetadata) -> Result<(), BoxError> + 'static,
{
    let id = next_id();
    let f: Box<LocalFn<P>> = Box::new(receiver);
    update(|s| {
        s.locals.push(LocalEntry {
            id,
            signal: signal as *const Signal<P> as *const (),
            name: type_name::<F>(),
            f: Rc::new(f),
        })
    });
    LocalConnection {
        id,
        _not_send: PhantomData,
    }
}

/// One captured event.
#[derive(Debug, Clone, PartialEq)]
pub struct CapturedEvent<P> {
    /// The payload as sent.
    pub payload: P,
    /// Its metadata.
    pub metadata: EventMetadata,
}

/// Records the events of one signal sent from this thread while it lives.
#[must_use = "capturing stops when this guard is dropped"]
pub struct Capture<P> {
    events: Rc<RefCell<Vec<CapturedEvent<P>>>>,
    _connection: LocalConnection,
}

/// Starts capturing `signal`'s events sent from this thread.
pub fn capture<P: Clone + 'static>(signal: &'static Signal<P>) -> Capture<P> {
    let events: Rc<RefCell<Vec<CapturedEvent<P>>>> = Rc::default();
    let sink = Rc::clone(&events);
    let connection = connect_local(signal, move |p: &P, m: &EventMetadata| {
        sink.borrow_mut().push(CapturedEvent {
            payload: p.clone(),
            metadata: m.clone(),
        });
        Ok(())
    });
    Capture {
        events,
        _connection: connection,
    }
}

impl<P: Clone> Capture<P> {
    /// The captured events, in send order.
    pub fn events(&self) -> Vec<CapturedEvent<P>> {
        self.events.borrow().clone()
    }

    /// The captured payloads, in send order.
    pub fn payloads(&self) -> Vec<P> {
        self.events
            .borrow()
            .iter()
            .map(|e| e.payload.clone())
            .collect()
    }

    /// How many events were captured.
    pub fn len(&self) -> usize {
        self.events.borrow().len()
    }

    /// Whether nothing was captured.
    pub fn is_empty(&self) -> bool {
        self.events.borrow().is_empty()
    }
}

/// While alive, sends from this thread skip process-wide receivers and reach
/// only this thread's local receivers and captures.
#[must_use = "isolation ends when this guard is dropped"]
pub struct Isolation(PhantomData<*const ()>);

/// Isolates this thread's sends from process-wide receivers.
pub fn isolate() -> Isolation {
    update(|s| s.isolated += 1);
    Isolation(PhantomData)
}

impl Drop for Isolation {
    fn drop(&mut self) {
        let _ = STATE.try_with(|_| update(|s| s.isolated -= 1));
    }
}

/// While alive, a send from this thread whose receivers return an error or
/// panic panics itself, failing the test, instead of only reporting it.
#[must_use = "strict mode ends when this guard is dropped"]
pub struct Strict(PhantomData<*const ()>);

/// Turns receiver failures in this thread's sends into panics.
pub fn strict() -> Strict {
    update(|s| s.strict += 1);
    Strict(PhantomData)
}

impl Drop for Strict {
    fn drop(&mut self) {
        let _ = STATE.try_with(|_| update(|s| s.strict -= 1));
    }
}
