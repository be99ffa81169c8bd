//! Connections, errors and replies.

use std::time::Duration;

use redis::{Connection, RedisError, Value};

use crate::error::BusError;
use crate::event::RawEntry;
use crate::url::BusUrl;

/// Opens a connection with timeouts on connect, reads and writes.
pub(crate) fn connect(url: &BusUrl, timeout: Duration) -> Result<Connection, BusError> {
    let fail = |e: RedisError| connection_error(url, &e);
    let client = match url.ca() {
        Some(ca) if url.is_tls() => redis::Client::build_with_tls(
            url.secret(),
            redis::TlsCertificates {
                client_tls: None,
                root_cert: Some(ca.to_vec()),
            },
        ),
        _ => redis::Client::open(url.secret()),
    }
    .map_err(fail)?;
    let conn = client.get_connection_with_timeout(timeout).map_err(fail)?;
    conn.set_read_timeout(Some(timeout)).map_err(fail)?;
    conn.set_write_timeout(Some(timeout)).map_err(fail)?;
    Ok(conn)
}

pub(crate) fn connection_error(url: &BusUrl, e: &RedisError) -> BusError {
    BusError::Connection {
        url: url.to_string(),
        message: url.scrub(&e.to_string()),
    }
}

/// Whether a failed command may succeed on another connection or later:
/// the connection broke, or the server is starting (`LOADING`) or busy.
pub(crate) fn retryable(e: &RedisError) -> bool {
    e.is_io_error()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_timeout()
        || e.code()
            .is_some_and(|c| matches!(c, "LOADING" | "BUSY" | "TRYAGAIN" | "MASTERDOWN"))
}

/// Text of a reply value.
pub(crate) fn text(v: &Value) -> Option<String> {
    match v {
        Value::BulkString(b) => String::from_utf8(b.clone()).ok(),
        Value::SimpleString(s) => Some(s.clone()),
        Value::VerbatimString { text, .. } => Some(text.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Okay => Some("OK".into()),
        _ => None,
    }
}

/// An integer reply value (Redis sends some as text).
pub(crate) fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        other => text(other)?.parse().ok(),
    }
}

/// The pairs of a flat `[k1, v1, k2, v2…]` array or a RESP3 map.
pub(crate) fn pairs(v: &Value) -> Vec<(String, &Value)> {
    match v {
        Value::Array(items) => items
            .chunks_exact(2)
            .filter_map(|kv| Some((text(&kv[0])?, &kv[1])))
            .collect(),
        Value::Map(items) => items
            .iter()
            .filter_map(|(k, v)| Some((text(k)?, v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Text of an owned reply value, without copying its bytes.
fn into_text(v: Value) -> Option<String> {
    match v {
        Value::BulkString(b) => String::from_utf8(b).ok(),
        other => text(&other),
    }
}

/// One entry `[id, [f1, v1, …]]`, its bytes moved out of the reply;
/// `fields: None` when the entry was deleted or trimmed while pending
/// (Redis returns nil fields).
pub(crate) fn entry(v: Value) -> Option<(String, Option<RawEntry>)> {
    let Value::Array(parts) = v else { return None };
    let mut parts = parts.into_iter();
    let id = into_text(parts.next()?)?;
    let fields = match parts.next() {
        Some(Value::Array(items)) => {
            let mut fields = Vec::with_capacity(items.len() / 2);
            let mut items = items.into_iter();
            while let (Some(k), Some(v)) = (items.next(), items.next()) {
                // A name that is not UTF-8 (any client can write one) is
                // kept, made UTF-8: it names no field we read, and
                // dropping the entry here left it pending for ever.
                let name = match k {
                    Value::BulkString(b) => String::from_utf8(b)
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                    other => text(&other)?,
                };
                let value = match v {
                    Value::BulkString(b) => b,
                    other => text(&other)?.into_bytes(),
                };
                fields.push((name, value));
            }
            Some(fields)
        }
        _ => None,
    };
    let raw = fields.map(|fields| RawEntry {
        stream_id: id.clone(),
        fields,
    });
    Some((id, raw))
}

/// The entries of an `XREAD`/`XREADGROUP` reply for one stream (nil: none).
pub(crate) fn read_reply(v: Value) -> Vec<(String, Option<RawEntry>)> {
    match v {
        Value::Array(streams) => streams
            .into_iter()
            .flat_map(|s| match s {
                Value::Array(kv) if kv.len() == 2 => {
                    kv.into_iter().nth(1).map(entries).unwrap_or_default()
                }
                _ => Vec::new(),
            })
            .collect(),
        Value::Map(items) => items.into_iter().flat_map(|(_, e)| entries(e)).collect(),
        _ => Vec::new(),
    }
}

/// A list of entries (`XRANGE`, `XCLAIM`, an `XAUTOCLAIM` page).
pub(crate) fn entries(v: Value) -> Vec<(String, Option<RawEntry>)> {
    match v {
        Value::Array(items) => items.into_iter().filter_map(entry).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_the_password() {
        let url: BusUrl = "redis://app:hunter22@h:1".parse().unwrap();
        let msg = url.scrub("auth failed for redis://app:hunter22@h:1 (hunter22)");
        assert!(!msg.contains("hunter22"), "{msg}");
    }
}
