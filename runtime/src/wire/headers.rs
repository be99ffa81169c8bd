//! [`EventMetadata`] as the CloudEvents headers the event bus sends.

use std::borrow::Cow;

use super::{CONTENT_TYPE, avro, isoformat};
use crate::EventMetadata;
use crate::hook::config::current_identity;

/// Headers that cannot become metadata.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeaderError {
    /// A required header (`ce_id`, `ce_type`) is absent.
    #[error("missing header `{0}`")]
    Missing(&'static str),
    /// A header appears twice: which one is meant cannot be known.
    #[error("header `{0}` appears more than once")]
    Duplicate(&'static str),
    /// A header's value does not parse.
    #[error("header `{name}` is invalid: {message}")]
    Invalid {
        /// The header.
        name: &'static str,
        /// What is wrong.
        message: String,
    },
}

const HEADERS: [&str; 10] = [
    "ce_specversion",
    "content-type",
    "ce_datacontenttype",
    "ce_type",
    "ce_id",
    "ce_source",
    "ce_time",
    "ce_minorversion",
    "sourcehost",
    "sourcelib",
];

impl EventMetadata {
    /// The headers the Open edX event bus sends with this event, in the
    /// reference's order: `ce_specversion` (`1.0`), `content-type` and
    /// `ce_datacontenttype` (`application/avro`), `ce_type`, `ce_id`,
    /// `ce_source`, `ce_time` (ISO 8601, as Python's `isoformat()`),
    /// `ce_minorversion`, `sourcehost` and `sourcelib` (`x.y.z`).
    pub fn to_headers(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::with_capacity(HEADERS.len());
        self.each_header(|name, value| out.push((name, value.to_owned())));
        out
    }

    /// Calls `f` with each header of [`to_headers`](Self::to_headers), in
    /// the same order, formatting the values on the stack: for a client
    /// that copies headers into its own buffers (Kafka's), so that sending
    /// allocates nothing here.
    ///
    /// ```
    /// use openedx_hooks::EventMetadata;
    ///
    /// let meta = EventMetadata::new("org.openedx.learning.auth.session.login.completed.v1", 2);
    /// let mut seen = Vec::new();
    /// meta.each_header(|name, value| seen.push(format!("{name}={value}")));
    /// assert_eq!(seen[3], "ce_type=org.openedx.learning.auth.session.login.completed.v1");
    /// assert_eq!(seen[7], "ce_minorversion=2");
    /// ```
    pub fn each_header(&self, mut f: impl FnMut(&'static str, &str)) {
        f(HEADERS[0], "1.0");
        f(HEADERS[1], CONTENT_TYPE);
        f(HEADERS[2], CONTENT_TYPE);
        f(HEADERS[3], &self.event_type);
        f(
            HEADERS[4],
            self.id
                .hyphenated()
                .encode_lower(&mut uuid::Uuid::encode_buffer()),
        );
        f(HEADERS[5], &self.source);
        isoformat::with_formatted(self.time, |text| {
            f(HEADERS[6], std::str::from_utf8(text).unwrap_or_default());
        });
        f(HEADERS[7], itoa::Buffer::new().format(self.minor_version));
        f(HEADERS[8], &self.source_host);
        f(HEADERS[9], &self.source_lib);
    }

    /// Metadata from message headers. `ce_id` and `ce_type` are required;
    /// like the reference consumer, other missing headers take their
    /// defaults (minor version 0, this process's source, the current time)
    /// with a warning, and a duplicated header is an error. Unknown headers
    /// are ignored.
    pub fn from_headers<'a, I, V>(headers: I) -> Result<Self, HeaderError>
    where
        I: IntoIterator<Item = (&'a str, V)>,
        V: AsRef<[u8]>,
    {
        // The values as given (checked for UTF-8 here, in message order):
        // only the four kept as text are copied, once each.
        let mut found: [Option<V>; HEADERS.len()] = Default::default();
        for (key, value) in headers {
            let Some(i) = HEADERS.iter().position(|h| *h == key) else {
                continue;
            };
            if found[i].is_some() {
                return Err(HeaderError::Duplicate(HEADERS[i]));
            }
            if std::str::from_utf8(value.as_ref()).is_err() {
                return Err(HeaderError::Invalid {
                    name: HEADERS[i],
                    message: "not UTF-8".into(),
                });
            }
            found[i] = Some(value);
        }
        let [
            spec,
            _content,
            _data_content,
            ce_type,
            ce_id,
            source,
            time,
            minor,
            host,
            lib,
        ] = &found;
        if let Some(spec) = text(spec).filter(|s| *s != "1.0") {
            return Err(HeaderError::Invalid {
                name: "ce_specversion",
                message: format!("`{spec}` is not 1.0"),
            });
        }
        let event_type = text(ce_type).ok_or(HeaderError::Missing("ce_type"))?;
        let id = text(ce_id).ok_or(HeaderError::Missing("ce_id"))?;
        let id = id.parse().map_err(|_| HeaderError::Invalid {
            name: "ce_id",
            message: format!("`{id}` is not a UUID"),
        })?;
        let missing =
            |name: &str| tracing::warn!(header = name, "missing header; using the default");
        let minor_version = match text(minor) {
            Some(m) => m.parse().map_err(|_| HeaderError::Invalid {
                name: "ce_minorversion",
                message: format!("`{m}` is not a non-negative integer"),
            })?,
            None => {
                missing("ce_minorversion");
                0
            }
        };
        let time = match text(time) {
            Some(t) => avro::parse_isoformat(t).ok_or_else(|| HeaderError::Invalid {
                name: "ce_time",
                message: format!("`{t}` is not an ISO 8601 datetime"),
            })?,
            None => {
                missing("ce_time");
                crate::metadata::now()
            }
        };
        let identity = current_identity();
        let source = match text(source) {
            Some(s) => Cow::Owned(s.to_owned()),
            None => {
                missing("ce_source");
                Cow::Borrowed(identity.source)
            }
        };
        let source_host = match text(host) {
            Some(h) => Cow::Owned(h.to_owned()),
            None => {
                missing("sourcehost");
                Cow::Borrowed(identity.source_host)
            }
        };
        let source_lib = match text(lib) {
            // The reference parses it as a tuple of integers.
            Some(l)
                if !l
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
            {
                return Err(HeaderError::Invalid {
                    name: "sourcelib",
                    message: format!("`{l}` is not dotted integers such as 10.5.0"),
                });
            }
            Some(l) => Cow::Owned(l.to_owned()),
            None => {
                missing("sourcelib");
                Cow::Borrowed(identity.source_lib)
            }
        };
        let meta = EventMetadata {
            id,
            event_type: Cow::Owned(event_type.to_owned()),
            minor_version,
            source,
            source_host,
            source_lib,
            time,
        };
        Ok(meta)
    }
}

/// A header value checked for UTF-8 when it was found.
fn text<V: AsRef<[u8]>>(v: &Option<V>) -> Option<&str> {
    v.as_ref()
        .and_then(|v| std::str::from_utf8(v.as_ref()).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(headers: &[(&'static str, Vec<u8>)]) -> Result<EventMetadata, HeaderError> {
        EventMetadata::from_headers(headers.iter().map(|(k, v)| (*k, v.as_slice())))
    }

    fn headers() -> Vec<(&'static str, Vec<u8>)> {
        EventMetadata::new("org.openedx.learning.auth.session.login.completed.v1", 1)
            .to_headers()
            .into_iter()
            .map(|(k, v)| (k, v.into_bytes()))
            .collect()
    }

    #[test]
    fn the_first_bad_header_in_message_order_is_the_one_reported() {
        let invalid = |name: &'static str| HeaderError::Invalid {
            name,
            message: "not UTF-8".into(),
        };
        // Any value kept as text, or parsed, that is not UTF-8.
        for i in 0..HEADERS.len() {
            let mut h = headers();
            h[i].1.push(0xff);
            assert_eq!(read(&h), Err(invalid(h[i].0)), "{}", h[i].0);
        }
        // A bad value before a repeated header: the value.
        let mut h = headers();
        h[5].1 = b"\xff".to_vec();
        h.push(h[4].clone());
        assert_eq!(read(&h), Err(invalid("ce_source")));
        // A repeated header before a bad value: the repetition.
        let mut h = headers();
        h.insert(5, h[4].clone());
        h[6].1 = b"\xff".to_vec();
        assert_eq!(read(&h), Err(HeaderError::Duplicate("ce_id")));
    }
}
