//! Every event linked into the program, and receivers registered at link time.

use std::collections::HashMap;
use std::sync::OnceLock;

use linkme::distributed_slice;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::any::AnySignal;
use crate::hook::registry::{Registration, index_by_type};
use crate::wire::avro::Avro;
use crate::{EventMetadata, Signal};

/// Every signal generated code registered (one entry per event).
#[doc(hidden)]
#[distributed_slice]
pub static EVENTS: [&'static dyn AnySignal];

/// A `#[receiver]` function, registered at link time.
#[doc(hidden)]
pub type ReceiverRegistration = Registration<dyn AnySignal>;

/// Every `#[receiver]` function linked into the program.
#[doc(hidden)]
#[distributed_slice]
pub static RECEIVERS: [ReceiverRegistration];

/// What `#[receiver(...)]` accepts: a signal. The attribute's messages come
/// from here, so a wrong path reads as a plain sentence.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an openedx-hooks signal",
    label = "expected a `Signal<Payload>` static",
    note = "`#[receiver(...)]` takes the path of a signal, such as `openedx_events::learning::STUDENT_REGISTRATION_COMPLETED`"
)]
pub trait IsSignal: Sync + 'static {
    /// The payload type.
    type Payload: DeserializeOwned + Serialize + Avro + crate::Payload + Send + Sync;
    /// The signal itself.
    fn signal(&'static self) -> &'static Signal<Self::Payload>;
}

impl<P: DeserializeOwned + Serialize + Avro + crate::Payload + Send + Sync> IsSignal for Signal<P> {
    type Payload = P;
    fn signal(&'static self) -> &'static Signal<P> {
        self
    }
}

/// The body of a `#[receiver]` registration.
#[doc(hidden)]
pub fn registered<S, P>(
    signal: &'static S,
    path: &'static str,
    receiver: fn(&P, &EventMetadata) -> Result<(), crate::BoxError>,
    install: bool,
) -> &'static dyn AnySignal
where
    S: IsSignal<Payload = P>,
    P: DeserializeOwned + Serialize + Avro + crate::Payload + Send + Sync,
{
    let signal = signal.signal();
    if install {
        let _ = signal.__connect_registered(path, receiver);
    }
    signal
}

/// Every event linked into this program, in link order.
pub fn all_events() -> &'static [&'static dyn AnySignal] {
    &EVENTS
}

/// The event with this type string, if one is linked in.
///
/// ```
/// assert!(openedx_hooks::signal_by_type("org.example.no.such.event.v1").is_none());
/// ```
pub fn signal_by_type(event_type: &str) -> Option<&'static dyn AnySignal> {
    static INDEX: OnceLock<HashMap<&'static str, &'static dyn AnySignal>> = OnceLock::new();
    INDEX
        .get_or_init(|| index_by_type(&EVENTS, |s| s.event_type()))
        .get(event_type)
        .copied()
}
