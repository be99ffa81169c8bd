//! Signals, the first kind of hook: typed events that platform code sends
//! and plugins' receivers receive. Built on the hook core (`hook`):
//!
//! - this module: [`Signal`] and its connections;
//! - `codec`: how a payload crosses the bus ([`Payload`], [`Codec`]),
//!   learned where the payload type is used;
//! - `report`: what one send did ([`SendReport`]);
//! - `any`: the type-erased, sealed [`AnySignal`] and receiving bus messages;
//! - `registry`: every linked event and `#[receiver]` registrations;
//! - `local`: the thread-scoped receivers and captures of tests.

pub(crate) mod any;
pub(crate) mod codec;
pub(crate) mod local;
pub mod outbound;
pub(crate) mod registered;
pub(crate) mod registry;
pub(crate) mod report;

use std::any::{Any, type_name};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once, OnceLock};

use arc_swap::ArcSwapOption;

use crate::hook::call::call;
use crate::hook::id::{addr_of, next_id};
use crate::hook::{config, local as hook_local};
use crate::{BoxError, EventMetadata};

pub use any::{AnySignal, PayloadError};
pub use codec::{Codec, Payload};
pub use report::{ReceiverOutcome, SendReport};

pub(crate) type ReceiverFn<P> = dyn Fn(&P, &EventMetadata) -> Result<(), BoxError> + Send + Sync;

struct Entry<P: 'static> {
    id: u64,
    name: &'static str,
    /// Registered with `#[receiver]`: configuration may disable it.
    registered: bool,
    f: Arc<ReceiverFn<P>>,
}

impl<P> Clone for Entry<P> {
    fn clone(&self) -> Self {
        Entry {
            id: self.id,
            name: self.name,
            registered: self.registered,
            f: Arc::clone(&self.f),
        }
    }
}

/// An event: a typed signal that platform code sends and plugins receive.
///
/// Signals are statics (generated from the catalog); sending takes a
/// snapshot of the connected receivers without locking, so receivers may
/// connect, disconnect or send other events from inside their callback, and
/// a receiver connected before a send began always sees that send.
///
/// Connecting and sending need the payload to be a [`Payload`]: its codec,
/// when it has one, is what lets the event leave the process and arrive
/// from the bus typed, and the signal learns it where it is used.
#[repr(C)]
pub struct Signal<P: 'static> {
    /// Everything but the payload type. First, so that the signal and its
    /// core share an address (what `#[receiver]` registrations match).
    core: Core,
    /// The list holds `Entry<P>`s; `fn` keeps the signal `Send + Sync`
    /// whatever `P` is, as the typed list did.
    payload: PhantomData<fn(&P) -> P>,
}

/// A signal without its payload type: all the state, and the code that
/// does not need the type, compiled once for every event (a registered
/// event's type-erased face, `Registered`, holds a reference to it).
pub(crate) struct Core {
    pub(crate) event_type: &'static str,
    pub(crate) name: &'static str,
    pub(crate) major_version: u32,
    pub(crate) minor_version: u32,
    enabled: AtomicBool,
    receivers: ArcSwapOption<List>,
    /// Serializes writers (connect/disconnect); readers never take it.
    writer: Mutex<()>,
    /// Installs the `#[receiver]` functions registered for this signal.
    registered: Once,
    /// The payload's codec, learned from the first typed connection.
    codec: OnceLock<&'static Codec>,
}

/// How an outbound gets a sent payload's Avro.
pub(crate) enum Wire<'a> {
    /// It arrived as these bytes (decoded from them, or never typed).
    Bytes(&'a [u8]),
    /// Encoded by the payload type's codec, if it has one.
    Typed(Option<&'static Codec>),
}

impl Core {
    pub(crate) fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Acquire)
    }

    /// The codec of the payload, once something connected to the signal
    /// typed (a receiver, `#[receiver]`, a test's local receiver): before
    /// that, no receiver in the process takes the payload typed.
    pub(crate) fn codec(&self) -> Option<&'static Codec> {
        self.codec.get().copied()
    }

    /// Installs the `#[receiver]` registrations of this signal (once), so
    /// that they are connected, and their codec known, before a send. Not
    /// generic: the `Once` machinery is compiled once, not per event.
    pub(crate) fn install_registered(&self) {
        // The core is the signal's first field: its address is the signal's.
        let addr = addr_of(self);
        self.registered
            .call_once(|| crate::hook::registry::install(&registry::RECEIVERS, addr));
    }

    fn learn(&self, codec: Option<&'static Codec>) {
        if let Some(c) = codec {
            let _ = self.codec.set(c);
        }
    }

    /// Sends `payload` (the signal's payload type) to every receiver,
    /// unless the signal is disabled. `from_bus`: the event came from the
    /// event bus, so it is not handed back to it.
    pub(crate) fn send(
        &self,
        payload: &dyn Any,
        wire: Wire<'_>,
        metadata: Option<&EventMetadata>,
        from_bus: bool,
    ) -> SendReport {
        if !self.is_enabled() {
            return SendReport::disabled(self.event_type);
        }
        dispatch(self, payload, wire, metadata, from_bus)
    }
}

impl<P: 'static> Signal<P> {
    /// A signal; generated code declares one static per event.
    pub const fn new(
        event_type: &'static str,
        name: &'static str,
        major_version: u32,
        minor_version: u32,
    ) -> Self {
        Signal {
            core: Core {
                event_type,
                name,
                major_version,
                minor_version,
                enabled: AtomicBool::new(true),
                receivers: ArcSwapOption::const_empty(),
                writer: Mutex::new(()),
                registered: Once::new(),
                codec: OnceLock::new(),
            },
            payload: PhantomData,
        }
    }

    /// The event type string (`org.openedx.learning.student.registration.completed.v1`).
    pub fn event_type(&self) -> &'static str {
        self.core.event_type
    }

    /// The constant name (`STUDENT_REGISTRATION_COMPLETED`).
    pub fn name(&self) -> &'static str {
        self.core.name
    }

    /// The `N` of `.v<N>`.
    pub fn major_version(&self) -> u32 {
        self.core.major_version
    }

    /// The payload's minor version, sent in the metadata.
    pub fn minor_version(&self) -> u32 {
        self.core.minor_version
    }

    /// Lets sends through again.
    pub fn enable(&self) {
        self.core.enabled.store(true, Ordering::Release);
    }

    /// Makes every send a no-op until [`Signal::enable`].
    pub fn disable(&self) {
        self.core.enabled.store(false, Ordering::Release);
    }

    /// Whether sends go through.
    pub fn is_enabled(&self) -> bool {
        self.core.is_enabled()
    }

    /// The number of receivers connected process-wide.
    pub fn receiver_count(&self) -> usize {
        self.core.receivers.load().as_ref().map_or(0, |l| l.len)
    }

    fn remove(&self, id: u64) -> bool {
        let _w = self.core.writer.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.core.receivers.load_full();
        let Some(list) = current.as_deref().map(List::entries::<P>) else {
            return false;
        };
        if !list.iter().any(|e| e.id == id) {
            return false;
        }
        let rest: Vec<Entry<P>> = list.iter().filter(|e| e.id != id).cloned().collect();
        self.core
            .receivers
            .store((!rest.is_empty()).then(|| Arc::new(List::new(rest))));
        true
    }
}

impl<P: Payload> Signal<P> {
    /// Connects a receiver. Dropping the returned [`Connection`] leaves it
    /// connected (as in Django); call [`Connection::disconnect`], or use
    /// [`Connection::scoped`] to disconnect on drop.
    pub fn connect<F>(&'static self, receiver: F) -> Connection
    where
        F: Fn(&P, &EventMetadata) -> Result<(), BoxError> + Send + Sync + 'static,
    {
        self.add(type_name::<F>(), false, Arc::new(receiver))
    }

    /// Connects a `#[receiver]` function under its path; used by the macro.
    #[doc(hidden)]
    pub fn __connect_registered(
        &'static self,
        path: &'static str,
        receiver: fn(&P, &EventMetadata) -> Result<(), BoxError>,
    ) -> Connection {
        self.add(path, true, Arc::new(receiver))
    }

    fn add(
        &'static self,
        name: &'static str,
        registered: bool,
        f: Arc<ReceiverFn<P>>,
    ) -> Connection {
        // Before the receiver is visible: a consumer that sees it must
        // find the codec to hand it the payload typed.
        self.learn_codec();
        let id = next_id();
        let _w = self.core.writer.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.core.receivers.load();
        let mut list: Vec<Entry<P>> = current
            .as_deref()
            .map(|l| l.entries::<P>().to_vec())
            .unwrap_or_default();
        drop(current);
        list.push(Entry {
            id,
            name,
            registered,
            f,
        });
        self.core.receivers.store(Some(Arc::new(List::new(list))));
        Connection { id, signal: self }
    }

    /// Records that `P` is received in this process: a bus consumer then
    /// decodes its events typed. What a thread-local connection calls.
    pub(crate) fn learn_codec(&self) {
        self.core.learn(P::CODEC);
    }

    /// Sends an event with fresh metadata to every receiver.
    pub fn send_event(&self, payload: P) -> SendReport {
        self.core.send(&payload, Wire::Typed(P::CODEC), None, false)
    }

    /// Sends an event with the given metadata (a bus consumer re-sending an
    /// event received from another service keeps its id and time).
    pub fn send_event_with_metadata(&self, payload: P, metadata: EventMetadata) -> SendReport {
        self.core
            .send(&payload, Wire::Typed(P::CODEC), Some(&metadata), false)
    }
}

/// Runs every receiver. Metadata is built (when not given) only once
/// someone listens: with no receiver nothing could observe it.
///
/// Not generic: the payload is a `&dyn Any` that the list's own typed
/// `run` (instantiated where a receiver connects) downcasts once. A crate
/// that generates events then compiles no dispatch code per event; a send
/// pays one indirect call and one downcast.
fn dispatch(
    core: &Core,
    payload: &dyn Any,
    wire: Wire<'_>,
    metadata: Option<&EventMetadata>,
    from_bus: bool,
) -> SendReport {
    core.install_registered();
    let addr = addr_of(core);
    let local = hook_local::flags();
    let guard = core.receivers.load();
    let global = if local.isolated {
        None
    } else {
        guard.as_deref()
    };
    // The bus is process-wide, like global receivers: isolated tests
    // see neither.
    let outbound = if from_bus || local.isolated {
        None
    } else {
        outbound::wanted(core.event_type)
    };
    if global.is_none() && !local.active && outbound.is_none() {
        return SendReport::new(core.event_type, 0);
    }
    let fresh;
    let metadata = match metadata {
        Some(m) => m,
        None => {
            fresh = EventMetadata::new(core.event_type, core.minor_version);
            &fresh
        }
    };
    let mut report = SendReport::new(core.event_type, global.map_or(0, |l| l.len));
    if let Some(list) = global {
        (list.run)(list, payload, metadata, core.event_type, &mut report);
    }
    drop(guard);
    if local.active {
        local::dispatch(addr, payload, metadata, &mut report);
    }
    if let Some(out) = outbound {
        let outcome = outbound::forward(&**out, core.event_type, payload, wire, metadata);
        report.push(outbound::RECEIVER, outcome);
    }
    report.finish(local.strict)
}

/// Calls the receivers of `list` (a `Vec<Entry<P>>`) with `payload` (a `P`).
fn run_entries<P: 'static>(
    list: &List,
    payload: &dyn Any,
    metadata: &EventMetadata,
    event_type: &'static str,
    report: &mut SendReport,
) {
    // Only `Signal<P>` sends into its own list, always with a `P`.
    let Some(payload) = payload.downcast_ref::<P>() else {
        return;
    };
    let check_config = config::any_disabled();
    for e in list.entries::<P>() {
        if e.registered && check_config && config::is_disabled(e.name, event_type) {
            continue;
        }
        report.push(e.name, call(|| (e.f)(payload, metadata)));
    }
}

/// A signal's connected receivers (a `Vec<Entry<P>>`), with the payload
/// type erased: the lock-free list (`ArcSwapOption<List>`) and the send path
/// are then one type and one function for every event, compiled once in this
/// crate instead of once per payload in every crate that generates events.
struct List {
    len: usize,
    entries: Box<dyn Any + Send + Sync>,
    /// `run_entries::<P>`.
    run: RunEntries,
}

type RunEntries = fn(&List, &dyn Any, &EventMetadata, &'static str, &mut SendReport);

impl List {
    fn new<P: 'static>(entries: Vec<Entry<P>>) -> Self {
        List {
            len: entries.len(),
            entries: Box::new(entries),
            run: run_entries::<P>,
        }
    }

    fn entries<P: 'static>(&self) -> &[Entry<P>] {
        // Only `Signal<P>` stores into its list, always a `Vec<Entry<P>>`.
        self.entries
            .downcast_ref::<Vec<Entry<P>>>()
            .map_or(&[], Vec::as_slice)
    }
}

trait Disconnect: Sync {
    fn remove_receiver(&self, id: u64) -> bool;
}

impl<P: 'static> Disconnect for Signal<P> {
    fn remove_receiver(&self, id: u64) -> bool {
        self.remove(id)
    }
}

/// A connected receiver. Dropping it leaves the receiver connected.
pub struct Connection {
    id: u64,
    signal: &'static dyn Disconnect,
}

impl Connection {
    /// Disconnects the receiver; `false` when it already was.
    pub fn disconnect(self) -> bool {
        self.signal.remove_receiver(self.id)
    }

    /// A handle that disconnects the receiver when dropped.
    pub fn scoped(self) -> ScopedConnection {
        ScopedConnection(Some(self))
    }

    /// A process-unique id of this connection.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection").field("id", &self.id).finish()
    }
}

/// A connection that disconnects on drop.
#[derive(Debug)]
pub struct ScopedConnection(Option<Connection>);

impl Drop for ScopedConnection {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.disconnect();
        }
    }
}

impl<P: 'static> std::fmt::Debug for Signal<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signal")
            .field("event_type", &self.core.event_type)
            .field("name", &self.core.name)
            .field("major_version", &self.core.major_version)
            .field("minor_version", &self.core.minor_version)
            .field("enabled", &self.is_enabled())
            .field("receivers", &self.receiver_count())
            .finish()
    }
}
