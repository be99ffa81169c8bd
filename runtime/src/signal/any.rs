//! The type-erased signal: what an event-bus consumer or a tool holds when
//! all it has is an event type string and serialized data.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::registered::{Erased, Ops};
use crate::wire::avro::{self, Avro};
use crate::wire::reflect;
use crate::wire::{HeaderError, WireError};
use crate::{EventMetadata, SendReport, Signal};

pub(crate) mod sealed {
    use crate::signal::registered::Erased;

    /// Only the runtime's [`Signal`](crate::Signal) (and the registration
    /// generated code makes of one) is an `AnySignal`: the trait can gain
    /// methods without breaking anyone. Both are a signal's core with the
    /// few functions of its payload type ([`Erased`]), where every
    /// `AnySignal` method is written once.
    pub trait Sealed {
        fn erased(&self) -> Erased<'_>;
    }
}

impl<P> sealed::Sealed for Signal<P>
where
    P: DeserializeOwned + Serialize + Avro + Send + Sync + 'static,
{
    fn erased(&self) -> Erased<'_> {
        // Hand-written payloads have no descriptor: JSON goes through their
        // own serde (`leaf`).
        Erased::new(&self.core, const { &Ops::of::<P>(reflect::leaf::<P>) })
    }
}

/// A signal with its payload type erased: what an event-bus consumer holds
/// when all it has is an event type string and serialized data.
///
/// Sealed: implemented by [`Signal`], and by the registration generated
/// code links in for each event (the same signal, its JSON read through the
/// payload's descriptor).
pub trait AnySignal: sealed::Sealed + Send + Sync {
    /// The event type string.
    fn event_type(&self) -> &'static str {
        self.erased().event_type()
    }
    /// The constant name.
    fn name(&self) -> &'static str {
        self.erased().name()
    }
    /// The `N` of `.v<N>`.
    fn major_version(&self) -> u32 {
        self.erased().major_version()
    }
    /// The payload's minor version.
    fn minor_version(&self) -> u32 {
        self.erased().minor_version()
    }
    /// Whether sends go through.
    fn is_enabled(&self) -> bool {
        self.erased().is_enabled()
    }
    /// Decodes a JSON payload and sends it to local receivers, with the
    /// given metadata (whose event type must match) or fresh metadata.
    fn send_json(
        &self,
        payload: &str,
        metadata: Option<EventMetadata>,
    ) -> Result<SendReport, PayloadError> {
        self.erased().send_json(payload, metadata)
    }
    /// Decodes an Avro payload and sends it to local receivers with the
    /// given metadata (whose event type must match).
    fn send_avro(&self, payload: &[u8], metadata: EventMetadata) -> Result<SendReport, WireError> {
        self.erased().send_avro(payload, &metadata, false)
    }
    /// What a bus consumer does with an event it read: like
    /// [`send_avro`](AnySignal::send_avro), but the event is marked as
    /// coming from the bus, so an installed [outbound](crate::outbound)
    /// never sends it back.
    fn receive_from_bus(
        &self,
        payload: &[u8],
        metadata: EventMetadata,
    ) -> Result<SendReport, WireError> {
        self.receive_from_bus_ref(payload, &metadata)
    }
    /// [`receive_from_bus`](AnySignal::receive_from_bus) with borrowed
    /// metadata: for a consumer that keeps its event (to retry it, or to
    /// dead-letter it) and so would otherwise copy the metadata per call.
    fn receive_from_bus_ref(
        &self,
        payload: &[u8],
        metadata: &EventMetadata,
    ) -> Result<SendReport, WireError> {
        self.erased().send_avro(payload, metadata, true)
    }
    /// What a bus consumer does with a message for this event: reads the
    /// metadata from its headers (their `ce_type` must be this event's),
    /// decodes the Avro payload, and sends it to local receivers.
    fn send_message(
        &self,
        headers: &[(&str, &[u8])],
        payload: &[u8],
    ) -> Result<SendReport, WireError> {
        let metadata = crate::wire::message_metadata(headers)?;
        self.receive_from_bus_ref(payload, &metadata)
    }
    /// Decodes an Avro payload into its JSON form.
    fn avro_to_json(&self, payload: &[u8]) -> Result<serde_json::Value, WireError> {
        self.erased().avro_to_json(payload)
    }
    /// Encodes a JSON payload as Avro.
    fn json_to_avro(&self, payload: &str) -> Result<Vec<u8>, PayloadError> {
        self.erased().json_to_avro(payload)
    }
    /// Whether the payload has a field at this dotted path (`user.id`),
    /// through records and optional records: what an event key field
    /// (`event_key_field`) must name.
    fn has_field(&self, path: &str) -> bool {
        self.erased().has_field(path)
    }
    /// The JSON of the payload field at a dotted path (`user.pii.username`),
    /// read from the payload's Avro without decoding the rest: an event-bus
    /// key. `Ok(None)` when the payload has no such field.
    fn field_json(
        &self,
        payload: &[u8],
        path: &str,
    ) -> Result<Option<serde_json::Value>, WireError> {
        self.erased().field_json(payload, path)
    }
    /// The Avro of the payload field at a dotted path, as it lies in the
    /// payload: that value encoded on its own, which is an event-bus key's
    /// Avro (the key's schema is the field's). `Ok(None)` when the payload
    /// has no such field, or an optional record on the way is null.
    fn field_avro<'b>(&self, payload: &'b [u8], path: &str) -> Result<Option<&'b [u8]>, WireError> {
        self.erased().field_avro(payload, path)
    }

    /// The payload's Avro schema as compact JSON (the schema openedx-events'
    /// `schema_from_signal` builds, key order included), derived from the
    /// payload's descriptor; `None` for a hand-written [`Signal`], whose
    /// payload has no descriptor of its fields. What a schema registry is
    /// given.
    fn avro_schema(&self) -> Option<String> {
        self.erased().avro_schema()
    }
}

/// A payload that does not decode as the event's payload type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
#[error("invalid payload for {event_type}{}: {message}", if path.is_empty() || path == "." { String::new() } else { format!(" at `{path}`") })]
pub struct PayloadError {
    /// The event type.
    pub event_type: &'static str,
    /// The offending field path (`user.pii.email`), `.` for the whole payload.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl<P> AnySignal for Signal<P> where P: DeserializeOwned + Serialize + Avro + Send + Sync + 'static {}

// What follows is not generic: the JSON of any signal, by its descriptor.

pub(super) fn check_metadata(
    event_type: &'static str,
    metadata: &EventMetadata,
) -> Result<(), PayloadError> {
    if metadata.event_type == event_type {
        return Ok(());
    }
    Err(PayloadError {
        event_type,
        path: String::new(),
        message: format!("metadata is for `{}`", metadata.event_type),
    })
}

pub(super) fn avro_json(
    event_type: &'static str,
    ty: &'static reflect::Ty,
    payload: &[u8],
) -> Result<serde_json::Value, WireError> {
    reflect::to_json(ty, payload).map_err(|e| WireError::Payload {
        event_type,
        source: avro::AvroError::new(avro::ErrorKind::InvalidValue(e.to_string())),
    })
}

/// Reads a JSON payload as the payload type's `Deserialize` does, into its
/// Avro. A key the payload type does not have is an error naming its path
/// and the nearest known field, unless configuration accepts unknown fields
/// ([`Config::allow_unknown_fields`](crate::Config::allow_unknown_fields)):
/// a misspelled optional field must never turn silently into its default.
pub(super) fn json_to_avro(
    event_type: &'static str,
    ty: &'static reflect::Ty,
    payload: &str,
) -> Result<Vec<u8>, PayloadError> {
    let input: serde_json::Value = serde_json::from_str(payload).map_err(|e| PayloadError {
        event_type,
        path: String::new(),
        message: e.to_string(),
    })?;
    let mut track = serde_path_to_error::Track::new();
    let mut out = Vec::new();
    {
        let d = serde_path_to_error::Deserializer::new(&input, &mut track);
        let mut erased = <dyn erased_serde::Deserializer>::erase(d);
        if let Err(e) = reflect::read_erased(ty, &mut erased, &mut out) {
            drop(erased);
            return Err(PayloadError {
                event_type,
                path: track.path().to_string(),
                message: e.to_string(),
            });
        }
    }
    if !crate::hook::config::allows_unknown_fields() {
        // What the type keeps, written back: an input key missing there is
        // one the type does not know.
        let kept = reflect::to_json(ty, &out).map_err(|e| PayloadError {
            event_type,
            path: String::new(),
            message: e.to_string(),
        })?;
        if let Some((path, message)) = unknown_key(&input, &kept, "") {
            return Err(PayloadError {
                event_type,
                path,
                message,
            });
        }
    }
    Ok(out)
}

/// The first key of `input` that `known` (the same payload as its type
/// writes it back) does not have: its path and a message with the nearest
/// known key. Objects are compared key by key and arrays item by item;
/// anything else (a `json` field's free-form value included) is the type's.
fn unknown_key(
    input: &serde_json::Value,
    known: &serde_json::Value,
    path: &str,
) -> Option<(String, String)> {
    use serde_json::Value;
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match (input, known) {
        (Value::Object(given), Value::Object(kept)) => {
            given.iter().find_map(|(k, v)| match kept.get(k) {
                Some(kv) => unknown_key(v, kv, &join(k)),
                None => {
                    let hint =
                        crate::hook::suggest::did_you_mean(k, kept.keys().map(String::as_str));
                    Some((join(k), format!("unknown field `{k}`{hint}")))
                }
            })
        }
        (Value::Array(given), Value::Array(kept)) => given
            .iter()
            .zip(kept)
            .enumerate()
            .find_map(|(i, (g, k))| unknown_key(g, k, &format!("{path}[{i}]"))),
        _ => None,
    }
}

/// What a bus consumer does with a message: reads the metadata from the
/// headers, finds the event by `ce_type` among those linked into the
/// program, decodes the payload and sends it to local receivers.
pub fn receive_message<'a, I, V>(headers: I, payload: &[u8]) -> Result<SendReport, WireError>
where
    I: IntoIterator<Item = (&'a str, V)>,
    V: AsRef<[u8]>,
{
    let owned: Vec<(&str, V)> = headers.into_iter().collect();
    let headers: Vec<(&str, &[u8])> = owned.iter().map(|(k, v)| (*k, v.as_ref())).collect();
    let event_type = match headers.iter().find(|(k, _)| *k == "ce_type") {
        Some((_, v)) => String::from_utf8_lossy(v).into_owned(),
        None => return Err(HeaderError::Missing("ce_type").into()),
    };
    let signal =
        super::registry::signal_by_type(&event_type).ok_or(WireError::UnknownEvent(event_type))?;
    signal.send_message(&headers, payload)
}
