//! The consumer-group loop on Redis Streams.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use redis::{Connection, Value};

use super::conn::{self, connect, retryable};
use crate::config::{ConsumerSettings, StartFrom};
use crate::consumer::StopHandle;
use crate::dead_letter;
use crate::error::BusError;
use crate::event::RawEntry;
use crate::handler::{HandleError, Handler};
use crate::retry::backoff;
use crate::stats::{ConsumerCounters, add};

pub(crate) fn run(
    settings: &ConsumerSettings,
    handler: &dyn Handler,
    stop: &StopHandle,
    counters: &ConsumerCounters,
) -> Result<(), BusError> {
    let mut member = Member {
        settings,
        handler,
        counters,
        stream: settings.stream(),
        dead_letter: settings.dead_letter_stream(),
        retries: BTreeMap::new(),
        last_claim: None,
    };
    let mut failures = 0u32;
    let mut set_up = false;
    while !stop.is_stopped() {
        let session = openedx_hooks::catch_panic(|| member.session(stop, &mut set_up))
            .unwrap_or_else(|panic| {
                Err(Fatal(BusError::Event(format!(
                    "the consumer panicked: {panic}"
                ))))
            });
        match session {
            Ok(()) => return Ok(()),
            Err(Lost(message)) => {
                failures += 1;
                let delay = backoff(Duration::from_millis(100), Duration::from_secs(5), failures);
                tracing::warn!(url = %settings.url, error = %message, retry_in_ms = delay.as_millis() as u64, "event bus consumer lost its connection; reconnecting");
                sleep_unless_stopped(delay, stop);
            }
            Err(Fatal(e)) => return Err(e),
        }
    }
    Ok(())
}

fn sleep_unless_stopped(delay: Duration, stop: &StopHandle) {
    let until = Instant::now() + delay;
    while !stop.is_stopped() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20).min(until - Instant::now()));
    }
}

/// How a session ended badly.
enum SessionError {
    /// The connection broke: reconnect.
    Lost(String),
    /// A refused command or bad setting: give up.
    Fatal(BusError),
}
use SessionError::{Fatal, Lost};

struct Member<'a> {
    settings: &'a ConsumerSettings,
    handler: &'a dyn Handler,
    counters: &'a ConsumerCounters,
    stream: String,
    dead_letter: String,
    /// Failed entries of this consumer, by id: when to try again.
    retries: BTreeMap<String, Instant>,
    last_claim: Option<Instant>,
}

/// What to do with an entry after handling it.
enum Verdict {
    Ack,
    DeadLetter {
        reason: String,
        receiver: String,
        malformed: bool,
    },
    Retry,
}

impl Member<'_> {
    fn session(&mut self, stop: &StopHandle, set_up: &mut bool) -> Result<(), SessionError> {
        let mut c = connect(&self.settings.url, self.settings.io_timeout)
            .map_err(|e| Lost(e.to_string()))?;
        // A blocking read waits `poll`; the socket must wait longer.
        c.set_read_timeout(Some(self.settings.poll + self.settings.io_timeout))
            .map_err(|e| Lost(e.to_string()))?;
        if !*set_up {
            self.create_group(&mut c)?;
            *set_up = true;
        }
        self.report_trimmed(&mut c);
        // Own pending entries first: what this consumer read and did not
        // acknowledge before it stopped or crashed.
        let mut cursor = "0-0".to_owned();
        loop {
            let reply = self.read(&mut c, &cursor, None)?;
            let Some(last) = reply.last().map(|(id, _)| id.clone()) else {
                break;
            };
            self.handle_batch(&mut c, reply, None)?;
            cursor = last;
            if stop.is_stopped() {
                return Ok(());
            }
        }
        while !stop.is_stopped() {
            self.retry_due(&mut c)?;
            self.claim_stale(&mut c)?;
            let block = self.block_time();
            let reply = self.read(&mut c, ">", Some(block))?;
            self.handle_batch(&mut c, reply, Some(1))?;
        }
        Ok(())
    }

    fn create_group(&self, c: &mut Connection) -> Result<(), SessionError> {
        let since;
        let (start, moves) = match &self.settings.start {
            StartFrom::Resume => ("0", false),
            StartFrom::Latest => ("$", true),
            StartFrom::Id(id) => (id.as_str(), true),
            StartFrom::Timestamp(ms) => {
                // After the last id of the millisecond before.
                since = format!("{}-{}", ms.saturating_sub(1).max(0), u64::MAX);
                (since.as_str(), true)
            }
        };
        let created: redis::RedisResult<Value> = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(&self.stream)
            .arg(&self.settings.group)
            .arg(start)
            .arg("MKSTREAM")
            .query(c);
        match created {
            Ok(_) => {
                tracing::info!(stream = %self.stream, group = %self.settings.group, start, "consumer group created");
                Ok(())
            }
            Err(e) if e.code() == Some("BUSYGROUP") => {
                if moves {
                    redis::cmd("XGROUP")
                        .arg("SETID")
                        .arg(&self.stream)
                        .arg(&self.settings.group)
                        .arg(start)
                        .query::<Value>(c)
                        .map_err(|e| self.error("XGROUP SETID", &e))?;
                    tracing::warn!(stream = %self.stream, group = %self.settings.group, start, "consumer group moved as configured");
                }
                Ok(())
            }
            Err(e) => Err(self.error("XGROUP CREATE", &e)),
        }
    }

    /// Logs entries trimmed (`MAXLEN ~`) before this group read them.
    fn report_trimmed(&self, c: &mut Connection) {
        match crate::redis::admin::trimmed_unread(c, &self.stream, &self.settings.group) {
            Ok(Some(0)) | Ok(None) | Err(_) => {}
            Ok(Some(n)) => {
                add(&self.counters.trimmed, n);
                tracing::warn!(stream = %self.stream, group = %self.settings.group, count = n, "entries were trimmed from the stream before this group read them: they are lost");
            }
        }
    }

    fn error(&self, command: &'static str, e: &redis::RedisError) -> SessionError {
        if retryable(e) {
            Lost(self.settings.url.scrub(&e.to_string()))
        } else {
            Fatal(BusError::Server {
                command,
                message: self.settings.url.scrub(&e.to_string()),
            })
        }
    }

    fn read(
        &self,
        c: &mut Connection,
        from: &str,
        block: Option<Duration>,
    ) -> Result<Vec<(String, Option<RawEntry>)>, SessionError> {
        let mut cmd = redis::cmd("XREADGROUP");
        cmd.arg("GROUP")
            .arg(&self.settings.group)
            .arg(&self.settings.consumer)
            .arg("COUNT")
            .arg(self.settings.batch_size);
        if let Some(b) = block {
            cmd.arg("BLOCK").arg(b.as_millis().max(1) as u64);
        }
        cmd.arg("STREAMS").arg(&self.stream).arg(from);
        let reply: Value = cmd.query(c).map_err(|e| self.error("XREADGROUP", &e))?;
        Ok(conn::read_reply(reply))
    }

    /// How long the next read may block: the poll, or less when a retry is
    /// due sooner.
    fn block_time(&self) -> Duration {
        let next = self.retries.values().min().copied();
        match next {
            Some(due) => due
                .saturating_duration_since(Instant::now())
                .clamp(Duration::from_millis(1), self.settings.poll),
            None => self.settings.poll,
        }
    }

    /// Claims this consumer's failed entries whose backoff ran out (which
    /// counts a delivery) and handles them again.
    fn retry_due(&mut self, c: &mut Connection) -> Result<(), SessionError> {
        let now = Instant::now();
        let due: Vec<String> = self
            .retries
            .iter()
            .filter(|(_, t)| **t <= now)
            .map(|(id, _)| id.clone())
            .take(self.settings.batch_size)
            .collect();
        if due.is_empty() {
            return Ok(());
        }
        for id in &due {
            self.retries.remove(id);
        }
        let reply: Value = redis::cmd("XCLAIM")
            .arg(&self.stream)
            .arg(&self.settings.group)
            .arg(&self.settings.consumer)
            .arg(0)
            .arg(&due)
            .query(c)
            .map_err(|e| self.error("XCLAIM", &e))?;
        self.handle_batch(c, conn::entries(reply), None)
    }

    /// Claims entries other consumers left pending longer than
    /// `claim_idle` (their owner is presumed dead), now and then.
    fn claim_stale(&mut self, c: &mut Connection) -> Result<(), SessionError> {
        let every = (self.settings.claim_idle / 2).max(Duration::from_millis(100));
        if self.last_claim.is_some_and(|t| t.elapsed() < every) {
            return Ok(());
        }
        self.last_claim = Some(Instant::now());
        let mut cursor = "0-0".to_owned();
        loop {
            let reply: Value = redis::cmd("XAUTOCLAIM")
                .arg(&self.stream)
                .arg(&self.settings.group)
                .arg(&self.settings.consumer)
                .arg(self.settings.claim_idle.as_millis() as u64)
                .arg(&cursor)
                .arg("COUNT")
                .arg(self.settings.batch_size)
                .query(c)
                .map_err(|e| self.error("XAUTOCLAIM", &e))?;
            let Value::Array(parts) = &reply else {
                return Ok(());
            };
            let next = parts.first().and_then(conn::text).unwrap_or_default();
            let claimed: Vec<_> = parts
                .get(1)
                .cloned()
                .map(conn::entries)
                .unwrap_or_default()
                .into_iter()
                // Our own failed entries wait for their backoff.
                .filter(|(id, _)| !self.retries.contains_key(id))
                .collect();
            if let Some(Value::Array(deleted)) = parts.get(2)
                && !deleted.is_empty()
            {
                tracing::warn!(stream = %self.stream, count = deleted.len(), "pending entries were deleted from the stream before they were handled");
            }
            if !claimed.is_empty() {
                tracing::info!(stream = %self.stream, count = claimed.len(), "claimed entries left pending by another consumer");
                self.handle_batch(c, claimed, None)?;
            }
            if next.is_empty() || next == "0-0" {
                return Ok(());
            }
            cursor = next;
        }
    }

    /// The delivery count of a pending entry.
    fn deliveries(&self, c: &mut Connection, id: &str) -> Result<u32, SessionError> {
        let reply: Value = redis::cmd("XPENDING")
            .arg(&self.stream)
            .arg(&self.settings.group)
            .arg(id)
            .arg(id)
            .arg(1)
            .query(c)
            .map_err(|e| self.error("XPENDING", &e))?;
        let count = match &reply {
            Value::Array(rows) => rows.first().and_then(|row| match row {
                Value::Array(cols) => cols.get(3).and_then(conn::int),
                _ => None,
            }),
            _ => None,
        };
        Ok(count.map_or(1, |n| u32::try_from(n).unwrap_or(u32::MAX).max(1)))
    }

    /// Handles entries in order; `attempt`: the delivery count when known
    /// (1 for new entries), else asked of Redis. Acknowledgements and
    /// dead letters are written once the batch is handled.
    fn handle_batch(
        &mut self,
        c: &mut Connection,
        entries: Vec<(String, Option<RawEntry>)>,
        attempt: Option<u32>,
    ) -> Result<(), SessionError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut acks: Vec<String> = Vec::new();
        let mut pipe = redis::pipe();
        pipe.atomic();
        for (id, raw) in entries {
            let Some(raw) = raw else {
                tracing::warn!(stream = %self.stream, stream_id = %id, "pending entry no longer in the stream (trimmed or deleted); acknowledged");
                acks.push(id);
                continue;
            };
            let attempt = match attempt {
                Some(a) => a,
                None => self.deliveries(c, &id)?,
            };
            add(&self.counters.received, 1);
            match self.handle(&raw, attempt) {
                Verdict::Ack => {
                    add(&self.counters.acknowledged, 1);
                    acks.push(id);
                }
                Verdict::Retry => {
                    let delay = backoff(
                        self.settings.retry_backoff,
                        self.settings.retry_backoff_max,
                        attempt,
                    );
                    add(&self.counters.retried, 1);
                    self.retries.insert(id, Instant::now() + delay);
                }
                Verdict::DeadLetter {
                    reason,
                    receiver,
                    malformed,
                } => {
                    let counter = if malformed {
                        &self.counters.malformed
                    } else {
                        &self.counters.dead_lettered
                    };
                    add(counter, 1);
                    let cmd = pipe.cmd("XADD").arg(&self.dead_letter).arg("*");
                    for (name, value) in &raw.fields {
                        cmd.arg(name).arg(value.as_slice());
                    }
                    let why = dead_letter::Why {
                        reason: &reason,
                        receiver: &receiver,
                        attempts: attempt,
                        stream: &self.stream,
                        stream_id: &id,
                        group: &self.settings.group,
                    };
                    for (name, value) in why.fields() {
                        cmd.arg(name).arg(value);
                    }
                    acks.push(id);
                }
            }
        }
        if !acks.is_empty() {
            pipe.cmd("XACK")
                .arg(&self.stream)
                .arg(&self.settings.group)
                .arg(&acks)
                .ignore();
        }
        pipe.query::<Value>(c).map_err(|e| self.error("XACK", &e))?;
        Ok(())
    }

    fn handle(&self, raw: &RawEntry, attempt: u32) -> Verdict {
        let span = tracing::info_span!(
            "bus_entry",
            stream = %self.stream,
            stream_id = %raw.stream_id,
            event_type = tracing::field::Empty,
            id = tracing::field::Empty,
            attempt,
        );
        let _enter = span.enter();
        let event = match raw.decode() {
            Ok(e) => e,
            Err(m) => {
                tracing::error!(reason = %m, "malformed entry: dead-lettered");
                return Verdict::DeadLetter {
                    reason: m.reason,
                    receiver: String::new(),
                    malformed: true,
                };
            }
        };
        span.record("event_type", &*event.metadata.event_type);
        span.record("id", tracing::field::display(event.metadata.id));
        let handled = crate::handler::call(self.handler, &event);
        match handled {
            Ok(()) => Verdict::Ack,
            Err(HandleError::Malformed(m)) => {
                tracing::error!(reason = %m, "malformed entry: dead-lettered");
                Verdict::DeadLetter {
                    reason: m.reason,
                    receiver: String::new(),
                    malformed: true,
                }
            }
            Err(HandleError::Failed { receiver, message }) => {
                if attempt >= self.settings.max_deliveries {
                    tracing::error!(receiver = %receiver, error = %message, "entry failed its last delivery: dead-lettered");
                    Verdict::DeadLetter {
                        reason: message,
                        receiver,
                        malformed: false,
                    }
                } else {
                    tracing::warn!(receiver = %receiver, error = %message, "entry failed; will retry");
                    Verdict::Retry
                }
            }
        }
    }
}
