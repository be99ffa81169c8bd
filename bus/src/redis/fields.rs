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

/// The entry's fields for an event, borrowing what the metadata holds.
pub(crate) fn encode<'a>(
    metadata: &'a EventMetadata,
    payload: &'a [u8],
) -> [(&'static str, Cow<'a, [u8]>); 8] {
    let mut time = String::with_capacity(32);
    avro::write_isoformat(&mut time, metadata.time);
    let mut id = [0u8; 36];
    let id = metadata
        .id
        .hyphenated()
        .encode_lower(&mut id)
        .as_bytes()
        .to_vec();
    [
        ("type", Cow::Borrowed(metadata.event_type.as_bytes())),
        ("id", Cow::Owned(id)),
        ("source", Cow::Borrowed(metadata.source.as_bytes())),
        ("time", Cow::Owned(time.into_bytes())),
        (
            "minorversion",
            Cow::Owned(metadata.minor_version.to_string().into_bytes()),
        ),
        ("sourcehost", Cow::Borrowed(metadata.source_host.as_bytes())),
        ("sourcelib", Cow::Borrowed(metadata.source_lib.as_bytes())),
        ("event_data", Cow::Borrowed(payload)),
    ]
}

/// The `XADD <stream> MAXLEN ~ <max_len> * <fields…>` of an event, in the
/// protocol's own encoding (RESP): built once by the sending thread, so
/// that the worker only concatenates a batch.
pub(crate) fn xadd(
    stream: &str,
    max_len: &str,
    metadata: &EventMetadata,
    payload: &[u8],
) -> Vec<u8> {
    let fields = encode(metadata, payload);
    let size: usize = fields.iter().map(|(k, v)| k.len() + v.len() + 32).sum();
    let mut out = Vec::with_capacity(size + stream.len() + 96);
    out.extend_from_slice(format!("*{}\r\n", 6 + 2 * fields.len()).as_bytes());
    for arg in [
        b"XADD".as_slice(),
        stream.as_bytes(),
        b"MAXLEN",
        b"~",
        max_len.as_bytes(),
        b"*",
    ] {
        bulk(&mut out, arg);
    }
    for (name, value) in &fields {
        bulk(&mut out, name.as_bytes());
        bulk(&mut out, value);
    }
    out
}

/// A RESP bulk string: `$<len>\r\n<bytes>\r\n`.
fn bulk(out: &mut Vec<u8>, bytes: &[u8]) {
    use std::io::Write;
    let _ = write!(out, "${}\r\n", bytes.len());
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
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
    let event_type = required(0, ty)?;
    let id = required(1, id)?;
    let time = required(3, time)?;
    let minor = required(4, minor)?;
    let payload = data.ok_or_else(|| Malformed::new("missing field `event_data`"))?;
    let id = id
        .parse()
        .map_err(|_| Malformed::new(format!("field `id`: `{id}` is not a UUID")))?;
    let time = avro::parse_isoformat(time).ok_or_else(|| {
        Malformed::new(format!(
            "field `time`: `{time}` is not an ISO 8601 datetime"
        ))
    })?;
    let minor_version = minor.parse().map_err(|_| {
        Malformed::new(format!(
            "field `minorversion`: `{minor}` is not a non-negative integer"
        ))
    })?;
    let (source, host, lib) = (text(2, source)?, text(5, host)?, text(6, lib)?);
    // This process's identity, only when the entry lacks one of its fields.
    let identity =
        (source.is_none() || host.is_none() || lib.is_none()).then(|| EventMetadata::new("", 0));
    let or_own = |i: usize, v: Option<&str>, own: fn(&EventMetadata) -> &Cow<'static, str>| match (
        v, &identity,
    ) {
        (Some(s), _) => Cow::Owned(s.to_owned()),
        (None, Some(me)) => {
            tracing::warn!(
                field = FIELDS[i],
                "missing entry field; using this process's"
            );
            own(me).clone()
        }
        (None, None) => Cow::Borrowed(""),
    };
    let metadata = EventMetadata {
        id,
        event_type: Cow::Owned(event_type.to_owned()),
        minor_version,
        source: or_own(2, source, |m| &m.source),
        source_host: or_own(5, host, |m| &m.source_host),
        source_lib: or_own(6, lib, |m| &m.source_lib),
        time,
    };
    let mut event = BusEvent::new(metadata, payload.to_vec());
    event.stream_id = Some(entry.stream_id.clone());
    Ok(event)
}

/// A field's text, if present.
fn text(i: usize, v: Option<&[u8]>) -> Result<Option<&str>, Malformed> {
    v.map(|b| {
        std::str::from_utf8(b)
            .map_err(|_| Malformed::new(format!("field `{}` is not UTF-8", FIELDS[i])))
    })
    .transpose()
}

/// A required field's text.
fn required(i: usize, v: Option<&[u8]>) -> Result<&str, Malformed> {
    text(i, v)?.ok_or_else(|| Malformed::new(format!("missing field `{}`", FIELDS[i])))
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
                .map(|(k, v)| ((*k).to_owned(), v.to_vec()))
                .collect(),
        };
        let back = decode(&raw).unwrap();
        assert_eq!(back.metadata, meta);
        assert_eq!(back.payload, b"\x02ab");
    }

    #[test]
    fn missing_source_fields_are_this_process_s() {
        let entry = entry(&[
            ("type", b"t.v1"),
            ("id", b"6b0a4c1e-7d7a-11ee-b962-0242ac120002"),
            ("time", b"2025-03-14T15:09:26.000137+00:00"),
            ("minorversion", b"2"),
            ("sourcehost", b"lms-1"),
            ("event_data", b"\x02"),
        ]);
        let event = decode(&entry).unwrap();
        let me = EventMetadata::new("t.v1", 0);
        assert_eq!(event.metadata.source, me.source);
        assert_eq!(event.metadata.source_lib, me.source_lib);
        assert_eq!(event.metadata.source_host, "lms-1");
        assert_eq!(event.metadata.minor_version, 2);
        assert_eq!(event.stream_id.as_deref(), Some("1-0"));
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

#[cfg(test)]
mod resp_tests {
    use super::*;

    /// The packed command is what redis-rs packs for the same arguments.
    #[test]
    fn xadd_packs_as_the_client_library_does() {
        let meta = EventMetadata::new("org.openedx.learning.course.enrollment.created.v1", 0);
        let payload = b"\x00\r\n$bytes";
        let ours = xadd("dev-t", "10000", &meta, payload);
        let mut cmd = redis::cmd("XADD");
        cmd.arg("dev-t")
            .arg("MAXLEN")
            .arg("~")
            .arg(10_000u64)
            .arg("*");
        for (k, v) in encode(&meta, payload) {
            cmd.arg(k).arg(&*v);
        }
        assert_eq!(ours, cmd.get_packed_command());
    }
}
