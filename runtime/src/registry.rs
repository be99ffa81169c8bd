//! Every event linked into the program, and receivers registered at link time.

use std::collections::HashMap;
use std::sync::OnceLock;

use linkme::distributed_slice;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::avro::{self, Avro};
use crate::bus::WireError;

use crate::{EventMetadata, SendReport, Signal};

/// A signal with its payload type erased: what an event-bus consumer holds
/// when all it has is an event type string and serialized data.
pub trait AnySignal: Send + Sync {
    /// The event type string.
    fn event_type(&self) -> &'static str;
    /// The constant name.
    fn name(&self) -> &'static str;
    /// The `N` of `.v<N>`.
    fn major_version(&self) -> u32;
    /// The payload's minor version.
    fn minor_version(&self) -> u32;
    /// Whether sends go through.
    fn is_enabled(&self) -> bool;
    /// Decodes a JSON payload and sends it to local receivers, with the
    /// given metadata (whose event type must match) or fresh metadata.
    fn send_json(
        &self,
        payload: &str,
        metadata: Option<EventMetadata>,
    ) -> Result<SendReport, PayloadError>;
    /// Decodes an Avro payload and sends it to local receivers with the
    /// given metadata (whose event type must match).
    fn send_avro(&self, payload: &[u8], metadata: EventMetadata) -> Result<SendReport, WireError>;
    /// What a bus consumer does with a message for this event: reads the
    /// metadata from its headers (their `ce_type` must be this event's),
    /// decodes the Avro payload, and sends it to local receivers.
    fn send_message(
        &self,
        headers: &[(&str, &[u8])],
        payload: &[u8],
    ) -> Result<SendReport, WireError> {
        crate::bus::check_content_type(headers)?;
        let metadata = EventMetadata::from_headers(headers.iter().copied())?;
        self.send_avro(payload, metadata)
    }
    /// Decodes an Avro payload into its JSON form.
    fn avro_to_json(&self, payload: &[u8]) -> Result<serde_json::Value, WireError>;
    /// Encodes a JSON payload as Avro.
    fn json_to_avro(&self, payload: &str) -> Result<Vec<u8>, PayloadError>;
}

/// A payload that does not decode as the event's payload type.
#[derive(Debug, thiserror::Error)]
#[error("invalid payload for {event_type}{}: {message}", if path.is_empty() || path == "." { String::new() } else { format!(" at `{path}`") })]
pub struct PayloadError {
    /// The event type.
    pub event_type: &'static str,
    /// The offending field path (`user.pii.email`), `.` for the whole payload.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl<P> AnySignal for Signal<P>
where
    P: DeserializeOwned + Serialize + Avro + Send + Sync + 'static,
{
    fn event_type(&self) -> &'static str {
        Signal::event_type(self)
    }

    fn name(&self) -> &'static str {
        Signal::name(self)
    }

    fn major_version(&self) -> u32 {
        Signal::major_version(self)
    }

    fn minor_version(&self) -> u32 {
        Signal::minor_version(self)
    }

    fn is_enabled(&self) -> bool {
        Signal::is_enabled(self)
    }

    fn send_json(
        &self,
        payload: &str,
        metadata: Option<EventMetadata>,
    ) -> Result<SendReport, PayloadError> {
        let event_type = Signal::event_type(self);
        let decoded: P = from_json(event_type, payload)?;
        Ok(match metadata {
            Some(m) if m.event_type != event_type => {
                return Err(PayloadError {
                    event_type,
                    path: String::new(),
                    message: format!("metadata is for `{}`", m.event_type),
                });
            }
            Some(m) => self.send_event_with_metadata(decoded, m),
            None => self.send_event(decoded),
        })
    }

    fn send_avro(&self, payload: &[u8], metadata: EventMetadata) -> Result<SendReport, WireError> {
        let event_type = Signal::event_type(self);
        if metadata.event_type != event_type {
            return Err(WireError::EventType {
                expected: event_type,
                found: metadata.event_type.to_string(),
            });
        }
        let decoded: P = avro::from_slice(payload)
            .map_err(|source| WireError::Payload { event_type, source })?;
        Ok(self.send_event_with_metadata(decoded, metadata))
    }

    fn avro_to_json(&self, payload: &[u8]) -> Result<serde_json::Value, WireError> {
        let event_type = Signal::event_type(self);
        let decoded: P = avro::from_slice(payload)
            .map_err(|source| WireError::Payload { event_type, source })?;
        serde_json::to_value(&decoded).map_err(|e| WireError::Payload {
            event_type,
            source: avro::AvroError::new(avro::ErrorKind::InvalidValue(e.to_string())),
        })
    }

    fn json_to_avro(&self, payload: &str) -> Result<Vec<u8>, PayloadError> {
        let decoded: P = from_json(Signal::event_type(self), payload)?;
        Ok(avro::to_vec(&decoded))
    }
}

fn from_json<P: DeserializeOwned>(
    event_type: &'static str,
    payload: &str,
) -> Result<P, PayloadError> {
    let de = &mut serde_json::Deserializer::from_str(payload);
    serde_path_to_error::deserialize(de).map_err(|e| PayloadError {
        event_type,
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

/// Every signal generated code registered (one entry per event).
#[doc(hidden)]
#[distributed_slice]
pub static EVENTS: [&'static dyn AnySignal];

/// A `#[receiver]` function, registered at link time.
#[doc(hidden)]
pub struct ReceiverRegistration {
    /// `crate::module::function`.
    pub path: &'static str,
    /// Returns the signal it receives and, when asked, connects it first
    /// (once, on the signal's first send). One function, so the macro names
    /// the signal once and a wrong path gives one error.
    pub signal: fn(install: bool) -> &'static dyn AnySignal,
}

#[doc(hidden)]
#[distributed_slice]
pub static RECEIVERS: [ReceiverRegistration];

/// Connects the registered receivers of the signal at `addr`.
pub(crate) fn install_registered(addr: *const ()) {
    for reg in RECEIVERS.iter() {
        if std::ptr::addr_eq((reg.signal)(false) as *const dyn AnySignal, addr) {
            (reg.signal)(true);
        }
    }
}

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
    type Payload: DeserializeOwned + Serialize + Avro + Send + Sync + 'static;
    /// The signal itself.
    fn signal(&'static self) -> &'static Signal<Self::Payload>;
}

impl<P: DeserializeOwned + Serialize + Avro + Send + Sync + 'static> IsSignal for Signal<P> {
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
    P: DeserializeOwned + Serialize + Avro + Send + Sync + 'static,
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
        .get_or_init(|| {
            let mut map = HashMap::new();
            for s in EVENTS.iter() {
                // The first definition wins; a duplicate is a build mistake worth a log line.
                match map.entry(s.event_type()) {
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(*s);
                    }
                    std::collections::hash_map::Entry::Occupied(_) => {
                        tracing::warn!(event_type = s.event_type(), "event type linked twice");
                    }
                }
            }
            map
        })
        .get(event_type)
        .copied()
}
