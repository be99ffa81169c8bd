//! Receivers for one thread: what tests connect and capture, on the hook
//! core's thread-scoped state.

use std::any::{Any, type_name};
use std::cell::RefCell;
use std::rc::Rc;

use super::Payload;
use super::report::SendReport;
use crate::hook::call::call_dyn;
use crate::hook::id::addr_of;
use crate::hook::local::{LocalGuard, attach, attached};
use crate::{BoxError, EventMetadata, Signal};

/// A thread-local receiver, its payload type erased (the closure made by
/// [`connect_local`] downcasts): dispatch is then compiled once.
type LocalFn = dyn Fn(&dyn Any, &EventMetadata) -> Result<(), BoxError>;

/// Runs this thread's receivers for the signal at `signal`.
pub(crate) fn dispatch(
    signal: *const (),
    payload: &dyn Any,
    metadata: &EventMetadata,
    report: &mut SendReport,
) {
    for (name, f) in attached(signal) {
        if let Some(f) = f.downcast_ref::<Box<LocalFn>>() {
            report.push(name, call_dyn(&mut || f(payload, metadata)));
        }
    }
}

/// A receiver connected for the current thread only; disconnects on drop.
#[must_use = "the receiver is disconnected when this guard is dropped"]
pub struct LocalConnection(LocalGuard);

impl LocalConnection {
    /// A process-unique id of this connection.
    pub fn id(&self) -> u64 {
        self.0.id()
    }
}

impl std::fmt::Debug for LocalConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalConnection")
            .field("id", &self.id())
            .finish()
    }
}

/// Connects a receiver that only sends from this thread reach, until the
/// returned guard is dropped. Other tests running in parallel never see it.
pub fn connect_local<P, F>(signal: &'static Signal<P>, receiver: F) -> LocalConnection
where
    P: Payload,
    F: Fn(&P, &EventMetadata) -> Result<(), BoxError> + 'static,
{
    signal.learn_codec();
    let f: Box<LocalFn> = Box::new(move |payload: &dyn Any, metadata: &EventMetadata| {
        // The signal at this address only sends `P`s.
        match payload.downcast_ref::<P>() {
            Some(payload) => receiver(payload, metadata),
            None => Ok(()),
        }
    });
    LocalConnection(attach(addr_of(signal), type_name::<F>(), Rc::new(f)))
}

/// One captured event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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
pub fn capture<P: Clone + Payload>(signal: &'static Signal<P>) -> Capture<P> {
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
