//! An event as the bus carries it, and entries that do not read as one.

use openedx_hooks::EventMetadata;

/// One event on the bus: its metadata and its schemaless Avro payload.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BusEvent {
    /// The event's metadata (type, id, time, source…).
    pub metadata: EventMetadata,
    /// The payload's Avro (no framing).
    pub payload: Vec<u8>,
    /// Where it was read from (the Redis entry id); `None` for an event
    /// about to be sent.
    pub stream_id: Option<String>,
}

impl BusEvent {
    /// An event.
    pub fn new(metadata: EventMetadata, payload: Vec<u8>) -> Self {
        BusEvent {
            metadata,
            payload,
            stream_id: None,
        }
    }
}

/// An entry as read from the bus, before it is decoded: its id and its
/// fields in order (Redis Streams).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RawEntry {
    /// The entry id (`1700000000000-0`).
    pub stream_id: String,
    /// Field names and values, in the order written.
    pub fields: Vec<(String, Vec<u8>)>,
}

impl RawEntry {
    /// The value of a field (the first, if repeated).
    pub fn field(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_slice())
    }

    /// Reads the event the entry holds.
    pub fn decode(&self) -> Result<BusEvent, Malformed> {
        #[cfg(feature = "redis")]
        {
            crate::redis::fields::decode(self)
        }
        #[cfg(not(feature = "redis"))]
        {
            Err(Malformed::new("no backend that reads entries is enabled"))
        }
    }
}

/// Why an entry is not an event: it is dead-lettered at once, never
/// retried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct Malformed {
    /// What is wrong (`missing field event_data`, `invalid payload for …`).
    pub reason: String,
}

impl Malformed {
    /// A reason.
    pub fn new(reason: impl Into<String>) -> Self {
        Malformed {
            reason: reason.into(),
        }
    }
}

/// What a reader gives for one entry: its event, or its id and why it is
/// not one.
pub type ReadEvent = Result<BusEvent, (String, Malformed)>;
