//! `XREAD` from a cursor.

use std::time::Duration;

use redis::{Connection, Value};

use super::conn::{self, connect};
use crate::error::BusError;
use crate::event::RawEntry;
use crate::url::BusUrl;

pub(crate) struct RedisReader {
    url: BusUrl,
    conn: Connection,
    stream: String,
    cursor: String,
}

impl RedisReader {
    pub(crate) fn new(url: &BusUrl, stream: String, from: &str) -> Result<Self, BusError> {
        let mut conn = connect(url, Duration::from_secs(5))?;
        // `$` read again on every call would miss what arrives between
        // calls: pin it to the last entry now.
        let cursor = if from == "$" {
            let last: Value = redis::cmd("XREVRANGE")
                .arg(&stream)
                .arg("+")
                .arg("-")
                .arg("COUNT")
                .arg(1)
                .query(&mut conn)
                .map_err(|e| BusError::Server {
                    command: "XREVRANGE",
                    message: url.scrub(&e.to_string()),
                })?;
            conn::entries(last)
                .into_iter()
                .next()
                .map_or_else(|| "0-0".to_owned(), |(id, _)| id)
        } else {
            from.to_owned()
        };
        Ok(RedisReader {
            url: url.clone(),
            conn,
            stream,
            cursor,
        })
    }

    pub(crate) fn next_batch(
        &mut self,
        max: usize,
        block: Duration,
    ) -> Result<Vec<RawEntry>, BusError> {
        self.conn
            .set_read_timeout(Some(block + Duration::from_secs(5)))
            .map_err(|e| conn::connection_error(&self.url, &e))?;
        let reply: Value = redis::cmd("XREAD")
            .arg("COUNT")
            .arg(max.max(1))
            .arg("BLOCK")
            .arg(block.as_millis().max(1) as u64)
            .arg("STREAMS")
            .arg(&self.stream)
            .arg(&self.cursor)
            .query(&mut self.conn)
            .map_err(|e| BusError::Server {
                command: "XREAD",
                message: self.url.scrub(&e.to_string()),
            })?;
        let entries = conn::read_reply(reply);
        if let Some((last, _)) = entries.last() {
            self.cursor = last.clone();
        }
        Ok(entries.into_iter().filter_map(|(_, e)| e).collect())
    }
}
