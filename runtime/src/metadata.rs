//! Event metadata (OEP-41, as in openedx-events' `EventsMetadata`).

use std::borrow::Cow;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::hook::config::current_identity;

/// Metadata sent with every event.
///
/// A JSON round trip keeps every field, `minor_version` included:
///
/// ```
/// let meta = openedx_hooks::EventMetadata::new("org.openedx.learning.auth.session.login.completed.v1", 3);
/// let json = serde_json::to_string(&meta).unwrap();
/// let back: openedx_hooks::EventMetadata = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, meta);
/// assert_eq!(back.minor_version, 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventMetadata {
    /// A fresh UUID (v4) per event.
    pub id: Uuid,
    /// The event type string (`org.openedx.<subdomain>.<subject>.<action>.v<N>`).
    pub event_type: Cow<'static, str>,
    /// The payload's minor version.
    pub minor_version: u32,
    /// `openedx/<service>/web`, from [`crate::configure`].
    pub source: Cow<'static, str>,
    /// The sending host's name, resolved once.
    pub source_host: Cow<'static, str>,
    /// Version of the library that built the metadata (`x.y.z`).
    pub source_lib: Cow<'static, str>,
    /// When the event happened (UTC).
    pub time: Timestamp,
}

impl EventMetadata {
    /// Metadata for a new event of `event_type`: fresh id, the current time,
    /// and the configured source.
    pub fn new(event_type: impl Into<Cow<'static, str>>, minor_version: u32) -> Self {
        let identity = current_identity();
        EventMetadata {
            id: Uuid::new_v4(),
            event_type: event_type.into(),
            minor_version,
            source: Cow::Borrowed(identity.source),
            source_host: Cow::Borrowed(identity.source_host),
            source_lib: Cow::Borrowed(identity.source_lib),
            time: now(),
        }
    }
}

/// The current time, to the microsecond; `Timestamp::now()` costs half
/// again as much as reading the clock, and every event needs one.
pub(crate) fn now() -> Timestamp {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| {
            // Microseconds, as a Python datetime holds: metadata crosses
            // the bus to Python services and back unchanged.
            let micros = d.subsec_micros() * 1_000;
            Timestamp::new(i64::try_from(d.as_secs()).ok()?, micros as i32).ok()
        });
    // A clock before 1970 or past jiff's range: let jiff handle (and clamp) it.
    since_epoch.unwrap_or_else(Timestamp::now)
}

#[cfg(test)]
mod tests {
    #[test]
    fn new_metadata_has_the_precision_of_a_python_datetime() {
        for _ in 0..100 {
            let meta = super::EventMetadata::new("org.example.x.y.z.v1", 0);
            assert_eq!(meta.time.subsec_nanosecond() % 1_000, 0);
        }
    }
}
