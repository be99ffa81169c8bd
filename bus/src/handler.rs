//! What a consumer does with each event it reads.

use openedx_hooks::wire::WireError;

use crate::event::{BusEvent, Malformed};

/// Why handling an event failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HandleError {
    /// The event cannot be read (unknown type, undecodable payload): it is
    /// dead-lettered at once.
    #[error(transparent)]
    Malformed(#[from] Malformed),
    /// A receiver failed: the entry stays unacknowledged and is retried,
    /// then dead-lettered.
    #[error("receiver `{receiver}` failed: {message}")]
    Failed {
        /// The receiver that failed (the first, if several did).
        receiver: String,
        /// Its error or panic message.
        message: String,
    },
}

/// Runs a handler on one event; a panic is a failed delivery (of the
/// receiver `handler`), never the consumer's end.
pub(crate) fn call(handler: &dyn Handler, event: &BusEvent) -> Result<(), HandleError> {
    openedx_hooks::catch_panic(|| handler.handle(event)).unwrap_or_else(|panic| {
        Err(HandleError::Failed {
            receiver: "handler".to_owned(),
            message: format!("panic: {panic}"),
        })
    })
}

/// Handles the events a consumer reads. `Ok` acknowledges the entry.
pub trait Handler: Send + Sync {
    /// Handles one event.
    fn handle(&self, event: &BusEvent) -> Result<(), HandleError>;
}

impl<F> Handler for F
where
    F: Fn(&BusEvent) -> Result<(), HandleError> + Send + Sync,
{
    fn handle(&self, event: &BusEvent) -> Result<(), HandleError> {
        self(event)
    }
}

/// The usual handler: finds the event among those linked into the program,
/// decodes its payload and sends it to the local receivers, marked as
/// coming from the bus (an installed producer never sends it back). It
/// succeeds when every receiver did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dispatch;

impl Handler for Dispatch {
    fn handle(&self, event: &BusEvent) -> Result<(), HandleError> {
        let event_type = &*event.metadata.event_type;
        let signal = openedx_hooks::signal_by_type(event_type).ok_or_else(|| {
            Malformed::new(format!(
                "no event of type `{event_type}` is linked into this program"
            ))
        })?;
        let report = signal
            .receive_from_bus_ref(&event.payload, &event.metadata)
            .map_err(|e| match e {
                WireError::Payload { .. } | WireError::EventType { .. } => {
                    Malformed::new(e.to_string())
                }
                other => Malformed::new(other.to_string()),
            })?;
        match report.failures().next() {
            None => Ok(()),
            Some(failure) => Err(HandleError::Failed {
                receiver: failure.receiver.to_owned(),
                message: failure.outcome.to_string(),
            }),
        }
    }
}
