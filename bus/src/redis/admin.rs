//! Status and replay on Redis.

use std::time::Duration;

use redis::{Connection, Value};

use super::conn::{self, connect};
use crate::admin::{ConsumerStatus, GroupStatus, TopicStatus};
use crate::error::BusError;
use crate::url::BusUrl;

const TIMEOUT: Duration = Duration::from_secs(5);

fn server(url: &BusUrl, command: &'static str, e: &redis::RedisError) -> BusError {
    BusError::Server {
        command,
        message: url.scrub(&e.to_string()),
    }
}

struct StreamInfo {
    length: u64,
    first_id: Option<String>,
    last_id: Option<String>,
    entries_added: Option<u64>,
}

fn stream_info(c: &mut Connection, stream: &str) -> redis::RedisResult<Option<StreamInfo>> {
    let reply: redis::RedisResult<Value> = redis::cmd("XINFO").arg("STREAM").arg(stream).query(c);
    let reply = match reply {
        Ok(r) => r,
        // No such key: no stream yet.
        Err(e) if e.code() == Some("ERR") && e.to_string().contains("no such key") => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let info = conn::pairs(&reply);
    let get = |k: &str| info.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
    let entry_id = |k: &str| {
        get(k).and_then(|v| match v {
            Value::Array(parts) => parts.first().and_then(conn::text),
            _ => None,
        })
    };
    Ok(Some(StreamInfo {
        length: get("length").and_then(conn::int).unwrap_or(0).max(0) as u64,
        first_id: entry_id("first-entry"),
        last_id: entry_id("last-entry"),
        entries_added: get("entries-added")
            .and_then(conn::int)
            .map(|n| n.max(0) as u64),
    }))
}

fn groups(c: &mut Connection, stream: &str) -> redis::RedisResult<Vec<GroupStatus>> {
    let reply: Value = redis::cmd("XINFO").arg("GROUPS").arg(stream).query(c)?;
    let Value::Array(rows) = reply else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for row in &rows {
        let info = conn::pairs(row);
        let get = |k: &str| info.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
        let uint = |k: &str| get(k).and_then(conn::int).map(|n| n.max(0) as u64);
        let name = get("name").and_then(conn::text).unwrap_or_default();
        let consumers_reply: Value = redis::cmd("XINFO")
            .arg("CONSUMERS")
            .arg(stream)
            .arg(&name)
            .query(c)?;
        let consumers = match &consumers_reply {
            Value::Array(cs) => cs
                .iter()
                .map(|c| {
                    let info = conn::pairs(c);
                    let get = |k: &str| info.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
                    ConsumerStatus {
                        name: get("name").and_then(conn::text).unwrap_or_default(),
                        pending: get("pending").and_then(conn::int).unwrap_or(0).max(0) as u64,
                        idle_ms: get("idle").and_then(conn::int).unwrap_or(0).max(0) as u64,
                    }
                })
                .collect(),
            _ => Vec::new(),
        };
        out.push(GroupStatus {
            pending: uint("pending").unwrap_or(0),
            last_delivered_id: get("last-delivered-id")
                .and_then(conn::text)
                .unwrap_or_default(),
            entries_read: uint("entries-read"),
            lag: uint("lag"),
            consumers,
            name,
        });
    }
    Ok(out)
}

pub(crate) fn status(url: &BusUrl, stream: &str) -> Result<TopicStatus, BusError> {
    let mut c = connect(url, TIMEOUT)?;
    let info = stream_info(&mut c, stream).map_err(|e| server(url, "XINFO STREAM", &e))?;
    let groups = match info {
        Some(_) => groups(&mut c, stream).map_err(|e| server(url, "XINFO GROUPS", &e))?,
        None => Vec::new(),
    };
    let dead_letter_stream = crate::dead_letter::stream(stream);
    let dead_letters: u64 = redis::cmd("XLEN")
        .arg(&dead_letter_stream)
        .query(&mut c)
        .map_err(|e| server(url, "XLEN", &e))?;
    let info = info.unwrap_or(StreamInfo {
        length: 0,
        first_id: None,
        last_id: None,
        entries_added: None,
    });
    Ok(TopicStatus {
        stream: stream.to_owned(),
        length: info.length,
        first_id: info.first_id,
        last_id: info.last_id,
        entries_added: info.entries_added,
        groups,
        dead_letter_stream,
        dead_letters,
    })
}

/// Entries trimmed from the stream before `group` read them: of the
/// entries added after the group's last delivered one, those no longer in
/// the stream. `None` when Redis cannot tell.
pub(crate) fn trimmed_unread(
    c: &mut Connection,
    stream: &str,
    group: &str,
) -> redis::RedisResult<Option<u64>> {
    let Some(info) = stream_info(c, stream)? else {
        return Ok(None);
    };
    let Some(g) = groups(c, stream)?.into_iter().find(|g| g.name == group) else {
        return Ok(None);
    };
    // A group that never read has read nothing (Redis reports no count).
    let read = g
        .entries_read
        .or_else(|| (g.last_delivered_id == "0-0").then_some(0));
    let (Some(added), Some(read)) = (info.entries_added, read) else {
        return Ok(None);
    };
    let unread = added.saturating_sub(read);
    // Entries still in the stream after the last delivered one.
    let first_after = info
        .first_id
        .as_deref()
        .is_some_and(|first| id_after(first, &g.last_delivered_id));
    let present = if first_after {
        info.length
    } else {
        // Some unread entries may remain; count them exactly.
        let reply: Value = redis::cmd("XRANGE")
            .arg(stream)
            .arg(format!("({}", g.last_delivered_id))
            .arg("+")
            .query(c)?;
        conn::entries(reply).len() as u64
    };
    Ok(Some(unread.saturating_sub(present)))
}

/// Whether entry id `a` comes after `b` (`ms-seq`).
fn id_after(a: &str, b: &str) -> bool {
    let parse = |s: &str| {
        let (ms, seq) = s.split_once('-').unwrap_or((s, "0"));
        (
            ms.parse::<u64>().unwrap_or(0),
            seq.parse::<u64>().unwrap_or(0),
        )
    };
    parse(a) > parse(b)
}

pub(crate) fn replay(url: &BusUrl, stream: &str, dead_letter: &str) -> Result<u64, BusError> {
    let mut c = connect(url, TIMEOUT)?;
    let mut moved = 0u64;
    loop {
        let reply: Value = redis::cmd("XRANGE")
            .arg(dead_letter)
            .arg("-")
            .arg("+")
            .arg("COUNT")
            .arg(100)
            .query(&mut c)
            .map_err(|e| server(url, "XRANGE", &e))?;
        let batch = conn::entries(reply);
        if batch.is_empty() {
            return Ok(moved);
        }
        for (id, raw) in batch {
            let mut pipe = redis::pipe();
            pipe.atomic();
            if let Some(raw) = raw {
                let original: Vec<_> = raw
                    .fields
                    .iter()
                    .filter(|(k, _)| !k.starts_with(crate::dead_letter::PREFIX))
                    .collect();
                if !original.is_empty() {
                    let cmd = pipe.cmd("XADD").arg(stream).arg("*");
                    for (k, v) in original {
                        cmd.arg(k).arg(v.as_slice());
                    }
                }
            }
            pipe.cmd("XDEL").arg(dead_letter).arg(&id).ignore();
            pipe.query::<Value>(&mut c)
                .map_err(|e| server(url, "XADD", &e))?;
            moved += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn entry_ids_compare_numerically() {
        assert!(super::id_after("10-0", "9-5"));
        assert!(super::id_after("9-10", "9-9"));
        assert!(!super::id_after("9-9", "9-9"));
    }
}
