//! Events leaving the process: the hook an event-bus producer installs so
//! that platform code's `send_event` reaches the bus with no change to the
//! sending code (what openedx-events' `EVENT_BUS_PRODUCER_CONFIG` does with
//! a receiver connected to each configured signal).
//!
//! One outbound at a time, process-wide. It sees an event after the local
//! receivers ran, as Avro with its metadata, and only when the event was
//! sent in this process: an event a bus consumer received
//! ([`AnySignal::receive_from_bus`](crate::AnySignal::receive_from_bus)) is
//! never handed back to the bus, so two services never bounce an event
//! between them.

use std::any::Any;
use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arc_swap::ArcSwapOption;

use crate::hook::call::{Outcome, guarded};
use crate::{BoxError, EventMetadata};

/// Where events go beyond local receivers: an event-bus producer.
///
/// ```
/// use std::sync::Arc;
/// use openedx_hooks::{BoxError, EventMetadata, outbound::{self, Outbound}};
///
/// struct Log;
/// impl Outbound for Log {
///     fn forwards(&self, event_type: &str) -> bool {
///         event_type.starts_with("org.openedx.learning.")
///     }
///     fn forward(&self, metadata: &EventMetadata, avro: &[u8]) -> Result<(), BoxError> {
///         println!("{} ({} bytes)", metadata.event_type, avro.len());
///         Ok(())
///     }
/// }
/// let previous = outbound::install(Arc::new(Log));
/// assert!(previous.is_none());
/// outbound::uninstall();
/// ```
pub trait Outbound: Send + Sync + 'static {
    /// Whether events of this type leave the process; asked on every send
    /// of an event sent locally, before anything is encoded.
    fn forwards(&self, event_type: &str) -> bool;
    /// Takes one event: its metadata and its Avro payload. Must not block
    /// for long (queue it); an error becomes the outcome of the receiver
    /// named [`RECEIVER`] in the send's report, where it is logged.
    fn forward(&self, metadata: &EventMetadata, avro: &[u8]) -> Result<(), BoxError>;
}

/// The name the outbound has among a send report's receivers.
pub const RECEIVER: &str = "openedx_hooks::outbound";

// `Arc<dyn _>` is a wide pointer, which arc-swap cannot hold: it holds an
// `Arc` of the caller's `Arc` (who keeps theirs to flush the producer).
static OUTBOUND: ArcSwapOption<Arc<dyn Outbound>> = ArcSwapOption::const_empty();
/// Set while an outbound is installed: a send pays one load when none is.
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Installs the process's outbound, replacing (and returning) the one
/// before it.
pub fn install(outbound: Arc<dyn Outbound>) -> Option<Arc<dyn Outbound>> {
    let previous = OUTBOUND.swap(Some(Arc::new(outbound)));
    INSTALLED.store(true, Ordering::Release);
    previous.map(|p| Arc::clone(&*p))
}

/// Removes the process's outbound; sends stay local from then on.
pub fn uninstall() -> Option<Arc<dyn Outbound>> {
    INSTALLED.store(false, Ordering::Release);
    OUTBOUND.swap(None).map(|p| Arc::clone(&*p))
}

/// Whether an outbound is installed.
pub fn is_installed() -> bool {
    INSTALLED.load(Ordering::Acquire)
}

/// The installed outbound, when it takes events of this type.
pub(crate) fn wanted(event_type: &str) -> Option<Arc<Arc<dyn Outbound>>> {
    if !INSTALLED.load(Ordering::Acquire) {
        return None;
    }
    OUTBOUND.load_full().filter(|o| o.forwards(event_type))
}

/// Hands the event's Avro to the outbound: the bytes it arrived as, or
/// the payload encoded by its type's codec.
pub(crate) fn forward(
    outbound: &dyn Outbound,
    event_type: &'static str,
    payload: &dyn Any,
    wire: super::Wire<'_>,
    metadata: &EventMetadata,
) -> Outcome {
    let encoded = match wire {
        super::Wire::Bytes(bytes) => Some(Cow::Borrowed(bytes)),
        super::Wire::Typed(codec) => codec.and_then(|c| (c.encode)(payload)).map(Cow::Owned),
    };
    let Some(avro) = encoded else {
        return Outcome::Error(
            format!("`{event_type}` has a payload type without an Avro codec (`Payload::CODEC`): it cannot leave the process").into(),
        );
    };
    match guarded(|| outbound.forward(metadata, &avro)) {
        Ok(()) => Outcome::Ok,
        Err(failure) => failure,
    }
}
