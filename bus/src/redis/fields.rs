//! An event as the fields of a Redis Streams entry, exactly as
//! edx-event-bus-redis writes them: `type`, `id`, `source`, `time`,
//! `minorversion`, `sourcehost`, `sourcelib`, `event_data`, in that order;
//! no `ce_` prefix, spec version or content type.

use std::borrow::Cow;

use openedx_hooks::EventMetadata;
use openedx_hooks::wire::avro;

use crate::event::{BusEvent, Malformed, RawEntry};

/// The field names, in the order the reference writes them.
pub(crate) const FIELDS: [&str; 8] = [
    "type",
    "id",
    "source",
    "time",
    "minorversion",
    "sourcehost",
    "sourcelib",
    "event_data",
];

/// The entry's fields for an event.
pub(crate) fn encode(metadata: &EventMetadata, payload: &[u8]) -> [(&'static str, Vec<u8>); 8] {
    let mut time = String::with_capacity(32);
    avro::write_isoformat(&mut time, metadata.time);
    [
        ("type", metadata.event_type.as_bytes().to_vec()),
        ("id", metadata.id.hyphenated().to_string().into_bytes()),
        ("source", metadata.source.as_bytes().to_vec()),
        ("time", time.into_bytes()),
        (
            "minorversion",
            metadata.minor_version.to_string().into_bytes(),
        ),
        ("sourcehost", metadata.source_host.as_bytes().to_vec()),
        ("sourcelib", metadata.source_lib.as_bytes().to_vec()),
        ("event_data", payload.to_vec()),
    ]
}

/// Reads an entry's event. Required: `type`, `id` (a UUID), `time` (ISO
/// 8601), `minorversion` (an integer) and `event_data`; a missing `source`,
/// `sourcehost` or `sourcelib` takes this process's, as the reference
/// does. A repeated or `ce_`-prefixed field is malformed. The payload is
/// not decoded here (the handler knows its type).
pub(crate) fn decode(entry: &RawEntry) -> Result<BusEvent, Malformed> {
    let mut found: [Option<&[u8]>; 8] = [None; 8];
    for (name, value) in &entry.fields {
        if name.starts_with("ce_") {
            return Err(Malformed::new(format!(
                "field `{name}`: a `ce_` header name, which Redis entries do not use"
            )));
        }
        if let Some(i) = FIELDS.iter().position(|f| f == name) {
            if found[i].is_some() {
                return Err(Malformed::new(format!("field `{name}` appears twice")));
            }
            found[i] = Some(value);
        }
    }
    let [ty, id, source, time, minor, host, lib, data] = found;
    let text = |name: &str, v: Option<&[u8]>| -> Result<Option<String>, Malformed> {
        v.map(|b| {
            String::from_utf8(b.to_vec())
                .map_err(|_| Malformed::new(format!("field `{name}` is not UTF-8")))
        })
        .transpose()
    };
    let required = |name: &str, v: Option<String>| {
        v.ok_or_else(|| Malformed::new(format!("missing field `{name}`")))
    };
    let event_type = required("type", text("type", ty)?)?;
    let id = required("id", text("id", id)?)?;
    let time = required("time", text("time", time)?)?;
    let minor = required("minorversion", text("minorversion", minor)?)?;
    let payload = data.ok_or_else(|| Malformed::new("missing field `event_data`"))?;
    let mut metadata = EventMetadata::new(event_type, 0);
    metadata.id = id
        .parse()
        .map_err(|_| Malformed::new(format!("field `id`: `{id}` is not a UUID")))?;
    metadata.time = avro::parse_isoformat(&time).ok_or_else(|| {
        Malformed::new(format!(
            "field `time`: `{time}` is not an ISO 8601 datetime"
        ))
    })?;
    metadata.minor_version = minor.parse().map_err(|_| {
        Malformed::new(format!(
            "field `minorversion`: `{minor}` is not a non-negative integer"
        ))
    })?;
    for (name, value, slot) in [
        ("source", text("source", source)?, &mut metadata.source),
        (
            "sourcehost",
            text("sourcehost", host)?,
            &mut metadata.source_host,
        ),
        (
            "sourcelib",
            text("sourcelib", lib)?,
            &mut metadata.source_lib,
        ),
    ] {
        match value {
            Some(v) => *slot = Cow::Owned(v),
            None => tracing::warn!(field = name, "missing entry field; using this process's"),
        }
    }
    let mut event = BusEvent::new(metadata, payload.to_vec());
    event.stream_id = Some(entry.stream_id.clone());
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(fields: &[(&str, &[u8])]) -> RawEntry {
        RawEntry {
            stream_id: "1-0".into(),
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.to_vec()))
                .collect(),
        }
    }

    #[test]
    fn round_trip_keeps_every_field_in_order() {
        let mut meta = EventMetadata::new("org.openedx.learning.course.enrollment.created.v1", 3);
        meta.source = "openedx/lms/web".into();
        let fields = encode(&meta, b"\x02ab");
        let names: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, FIELDS);
        let raw = RawEntry {
            stream_id: "1-0".into(),
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        };
        let back = decode(&raw).unwrap();
        assert_eq!(back.metadata, meta);
        assert_eq!(back.payload, b"\x02ab");
    }

    #[test]
    fn malformed_entries_say_why() {
        let id = b"6b0a4c1e-7d7a-11ee-b962-0242ac120002";
        let good: Vec<(&str, &[u8])> = vec![
            ("type", b"t.v1"),
            ("id", id),
            ("time", b"2025-03-14T15:09:26+00:00"),
            ("minorversion", b"0"),
            ("event_data", b""),
        ];
        assert!(decode(&entry(&good)).is_ok());
        let cases: [(&str, Option<&[u8]>, &str); 6] = [
            ("type", None, "missing field `type`"),
            ("event_data", None, "missing field `event_data`"),
            ("id", Some(b"42"), "is not a UUID"),
            ("minorversion", Some(b"x"), "not a non-negative integer"),
            ("time", Some(b"yesterday"), "not an ISO 8601"),
            ("type", Some(b"\xff"), "not UTF-8"),
        ];
        for (field, value, expected) in cases {
            let fields: Vec<(&str, &[u8])> = good
                .iter()
                .filter_map(|(k, v)| match (*k == field, value) {
                    (false, _) => Some((*k, *v)),
                    (true, Some(v)) => Some((*k, v)),
                    (true, None) => None,
                })
                .collect();
            let err = decode(&entry(&fields)).unwrap_err();
            assert!(err.reason.contains(expected), "{field}: {err}");
        }
        let mut prefixed = good.clone();
        prefixed.push(("ce_type", b"t.v1"));
        assert!(
            decode(&entry(&prefixed))
                .unwrap_err()
                .reason
                .contains("ce_")
        );
        let mut twice = good.clone();
        twice.push(("type", b"u.v1"));
        assert!(decode(&entry(&twice)).unwrap_err().reason.contains("twice"));
    }
}
