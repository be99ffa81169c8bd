//! The wire format: events as the Open edX event bus carries them.
//!
//! - [`avro`]: the payload's Avro binary encoding (`#[derive(Avro)]`),
//!   byte-compatible with the Python reference;
//! - `headers`: [`EventMetadata`] as CloudEvents headers (the `ce_*` set
//!   edx-event-bus-kafka writes as message headers);
//! - here: the content type, [`to_message`] and the errors of a message.
//!
//! Only the format: transports (Redis Streams, Kafka) live in the
//! `openedx-hooks-bus` crate, and a consumer hands what it read to
//! [`receive_message`](crate::receive_message), which decodes the event and
//! sends it to local receivers.
//!
//! ```
//! use openedx_hooks::{EventMetadata, wire};
//!
//! let meta = EventMetadata::new("org.openedx.learning.auth.session.login.completed.v1", 0);
//! let headers = meta.to_headers();
//! assert!(headers.contains(&("ce_specversion", "1.0".to_owned())));
//! let back = EventMetadata::from_headers(headers.iter().map(|(k, v)| (*k, v.as_bytes())))?;
//! assert_eq!(back, meta);
//! # Ok::<(), openedx_hooks::wire::HeaderError>(())
//! ```

pub mod avro;
mod headers;
mod isoformat;
#[doc(hidden)]
pub mod reflect;

pub use headers::HeaderError;

use crate::EventMetadata;
use avro::{Avro, AvroError};

/// The content type of Avro payloads.
pub const CONTENT_TYPE: &str = "application/avro";

/// The metadata of a bus message: its `content-type`, when present, must be
/// [`CONTENT_TYPE`], and its `ce_*` headers are read by
/// [`EventMetadata::from_headers`]. What a consumer reads before decoding.
///
/// ```
/// use openedx_hooks::{EventMetadata, wire};
/// let meta = EventMetadata::new("org.openedx.learning.auth.session.login.completed.v1", 0);
/// let headers = meta.to_headers();
/// let pairs: Vec<(&str, &[u8])> = headers.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
/// assert_eq!(wire::message_metadata(&pairs)?, meta);
/// # Ok::<(), wire::WireError>(())
/// ```
pub fn message_metadata(headers: &[(&str, &[u8])]) -> Result<EventMetadata, WireError> {
    check_content_type(headers)?;
    Ok(EventMetadata::from_headers(headers.iter().copied())?)
}

/// Fails unless a `content-type` header, if present, is [`CONTENT_TYPE`].
fn check_content_type(headers: &[(&str, &[u8])]) -> Result<(), WireError> {
    match headers.iter().find(|(k, _)| *k == "content-type") {
        Some((_, v)) if *v != CONTENT_TYPE.as_bytes() => Err(WireError::ContentType(
            String::from_utf8_lossy(v).into_owned(),
        )),
        _ => Ok(()),
    }
}

/// A message that cannot be received.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// Its headers are wrong.
    #[error(transparent)]
    Headers(#[from] HeaderError),
    /// No event of that type is linked into this program.
    #[error("no event of type `{0}` is linked into this program")]
    UnknownEvent(String),
    /// The payload is not Avro.
    #[error("content type `{0}` is not {CONTENT_TYPE}")]
    ContentType(String),
    /// The metadata names another event than the one decoding.
    #[error("metadata is for `{found}`, not `{expected}`")]
    EventType {
        /// The event decoding.
        expected: &'static str,
        /// What the metadata says.
        found: String,
    },
    /// The payload does not decode.
    #[error("invalid payload for {event_type}: {source}")]
    Payload {
        /// The event type.
        event_type: &'static str,
        /// Where and why.
        source: AvroError,
    },
}

/// The headers and Avro payload of a message for the event bus.
pub fn to_message<P: Avro>(
    payload: &P,
    metadata: &EventMetadata,
) -> (Vec<(&'static str, String)>, Vec<u8>) {
    (metadata.to_headers(), avro::to_vec(payload))
}
