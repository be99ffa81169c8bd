//! The Redis producer: a bounded queue and one worker thread that writes
//! `XADD <stream> MAXLEN ~ <n> * <fields…>` in pipelined batches, in queue
//! order (so per stream), reconnecting with backoff while Redis is away.

use std::borrow::Cow;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, SendTimeoutError, Sender, TrySendError};
use openedx_hooks::EventMetadata;
use redis::{Connection, ConnectionLike, Value};

use super::conn::{connect, retryable};
use super::fields;
use crate::config::ProducerSettings;
use crate::error::BusError;
use crate::producer::DeliverySender;
use crate::retry::backoff;
use crate::stats::{ProducerCounters, ProducerStats, add as count};

enum Job {
    Send(Box<Add>),
    Flush(Sender<()>),
}

struct Add {
    stream: Arc<str>,
    /// The `XADD`, packed.
    command: Vec<u8>,
    /// `None` for events the outbound forwards: failures are logged and
    /// counted only.
    done: Option<DeliverySender>,
    event_type: Cow<'static, str>,
}

pub(crate) struct RedisProducer {
    tx: Option<Sender<Job>>,
    worker: Option<JoinHandle<()>>,
    counters: Arc<ProducerCounters>,
    capacity: usize,
    enqueue_timeout: Duration,
    /// `MAXLEN ~`'s argument, as text once rather than per event.
    max_len: String,
}

impl RedisProducer {
    pub(crate) fn start(settings: ProducerSettings) -> Result<Self, BusError> {
        let (tx, rx) = crossbeam_channel::bounded(settings.queue_capacity);
        let counters = Arc::new(ProducerCounters::default());
        let capacity = settings.queue_capacity;
        let enqueue_timeout = settings.enqueue_timeout;
        let max_len = settings.max_len.to_string();
        let worker = {
            let counters = Arc::clone(&counters);
            std::thread::Builder::new()
                .name("openedx-hooks-bus-producer".into())
                .spawn(move || Worker::new(settings, counters).run(rx))
                .map_err(|e| BusError::Event(format!("cannot start the producer thread: {e}")))?
        };
        Ok(RedisProducer {
            tx: Some(tx),
            worker: Some(worker),
            counters,
            capacity,
            enqueue_timeout,
            max_len,
        })
    }

    pub(crate) fn enqueue(
        &self,
        stream: Arc<str>,
        metadata: &EventMetadata,
        payload: &[u8],
        done: Option<DeliverySender>,
    ) -> Result<(), BusError> {
        let tx = self.tx.as_ref().ok_or(BusError::Closed)?;
        let job = Job::Send(Box::new(Add {
            command: fields::xadd(&stream, &self.max_len, metadata, payload),
            stream,
            done,
            event_type: metadata.event_type.clone(),
        }));
        let full = || {
            count(&self.counters.rejected, 1);
            let err = BusError::QueueFull {
                event_type: metadata.event_type.to_string(),
                capacity: self.capacity,
            };
            tracing::error!(error = %err, "event not sent");
            err
        };
        let sent = if self.enqueue_timeout.is_zero() {
            tx.try_send(job).map_err(|e| match e {
                TrySendError::Full(_) => full(),
                TrySendError::Disconnected(_) => BusError::Closed,
            })
        } else {
            tx.send_timeout(job, self.enqueue_timeout)
                .map_err(|e| match e {
                    SendTimeoutError::Timeout(_) => full(),
                    SendTimeoutError::Disconnected(_) => BusError::Closed,
                })
        };
        if sent.is_ok() {
            count(&self.counters.queued, 1);
        }
        sent
    }

    pub(crate) fn flush(&self, timeout: Duration) -> Result<(), BusError> {
        let tx = self.tx.as_ref().ok_or(BusError::Closed)?;
        let (done_tx, done_rx) = crossbeam_channel::bounded(1);
        tx.send_timeout(Job::Flush(done_tx), timeout)
            .map_err(|_| BusError::FlushTimeout)?;
        done_rx.recv_timeout(timeout).map_err(|e| match e {
            crossbeam_channel::RecvTimeoutError::Timeout => BusError::FlushTimeout,
            crossbeam_channel::RecvTimeoutError::Disconnected => BusError::Closed,
        })
    }

    pub(crate) fn stats(&self) -> ProducerStats {
        self.counters.snapshot()
    }
}

impl Drop for RedisProducer {
    /// Closes the queue and waits for the worker to write what it holds
    /// (each batch within the give-up bound).
    fn drop(&mut self) {
        self.tx.take();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

struct Worker {
    settings: ProducerSettings,
    counters: Arc<ProducerCounters>,
    conn: Option<Connection>,
    /// A batch's commands, reused.
    buffer: Vec<u8>,
    /// Set when a batch was given up on, until a write succeeds: later
    /// batches then fail after one attempt instead of each waiting the whole
    /// bound (a queue of batches would otherwise hold a shutdown for
    /// minutes).
    gave_up: bool,
}

impl Worker {
    fn new(settings: ProducerSettings, counters: Arc<ProducerCounters>) -> Self {
        Worker {
            settings,
            counters,
            conn: None,
            buffer: Vec::new(),
            gave_up: false,
        }
    }

    fn run(mut self, rx: Receiver<Job>) {
        let mut batch: Vec<Add> = Vec::with_capacity(self.settings.batch_size);
        // Ends when every sender is gone and the queue is empty.
        while let Ok(first) = rx.recv() {
            let mut next = Some(first);
            while let Some(job) = next.take() {
                match job {
                    Job::Send(add) => batch.push(*add),
                    Job::Flush(done) => {
                        self.write(&mut batch);
                        let _ = done.send(());
                    }
                }
                if batch.len() < self.settings.batch_size {
                    next = rx.try_recv().ok();
                }
            }
            self.write(&mut batch);
        }
    }

    /// Writes the batch, retrying what failed for a retryable reason until
    /// the give-up bound; every event ends stored or failed, never dropped
    /// silently.
    fn write(&mut self, batch: &mut Vec<Add>) {
        if batch.is_empty() {
            return;
        }
        let started = Instant::now();
        let mut attempt = 0u32;
        let mut pending: Vec<Add> = std::mem::take(batch);
        loop {
            attempt += 1;
            // A panic in the client library must not kill the worker (and
            // with it every later send): it fails this round trip.
            let round_trip =
                openedx_hooks::catch_panic(|| self.pipeline(&pending)).unwrap_or_else(|panic| {
                    Err(Failure {
                        retry: false,
                        message: format!("the Redis client panicked: {panic}"),
                    })
                });
            let last_error = match round_trip {
                Ok(replies) => {
                    let mut retry = Vec::new();
                    let mut last = None;
                    for (job, reply) in pending.into_iter().zip(replies) {
                        match reply {
                            Ok(id) => {
                                count(&self.counters.sent, 1);
                                if let Some(done) = &job.done {
                                    let _ = done.send(Ok(id));
                                }
                            }
                            Err(e) if retryable(&e) => {
                                last = Some(self.settings.url.scrub(&e.to_string()));
                                retry.push(job);
                            }
                            Err(e) => {
                                let message = self.settings.url.scrub(&e.to_string());
                                self.fail(
                                    &job,
                                    BusError::Server {
                                        command: "XADD",
                                        message,
                                    },
                                );
                            }
                        }
                    }
                    pending = retry;
                    self.gave_up = false;
                    match last {
                        None => return,
                        Some(e) => e,
                    }
                }
                Err(Failure { retry, message }) => {
                    self.conn = None;
                    if !retry {
                        for job in &pending {
                            self.fail(
                                job,
                                BusError::Server {
                                    command: "XADD",
                                    message: message.clone(),
                                },
                            );
                        }
                        return;
                    }
                    message
                }
            };
            let delay = backoff(
                self.settings.backoff_initial,
                self.settings.backoff_max,
                attempt,
            );
            if self.gave_up || started.elapsed() + delay > self.settings.give_up_after {
                self.gave_up = true;
                for job in &pending {
                    self.fail(
                        job,
                        BusError::GaveUp {
                            attempts: attempt,
                            elapsed_ms: started.elapsed().as_millis(),
                            message: last_error.clone(),
                        },
                    );
                }
                return;
            }
            tracing::warn!(url = %self.settings.url, error = %last_error, attempt, retry_in_ms = delay.as_millis() as u64, "event bus unreachable; retrying");
            std::thread::sleep(delay);
        }
    }

    /// One round trip: every `XADD` of the batch, each with its own reply.
    fn pipeline(&mut self, adds: &[Add]) -> Result<Vec<redis::RedisResult<String>>, Failure> {
        if self.conn.is_none() {
            // Whatever stops a connection now may pass later: retry it.
            let conn =
                connect(&self.settings.url, self.settings.io_timeout).map_err(|e| Failure {
                    retry: true,
                    message: e.to_string(),
                })?;
            if self
                .counters
                .sent
                .load(std::sync::atomic::Ordering::Relaxed)
                > 0
            {
                count(&self.counters.reconnects, 1);
            }
            self.conn = Some(conn);
        }
        let Some(conn) = self.conn.as_mut() else {
            return Ok(Vec::new());
        };
        // The commands were packed by the senders: one write of the batch,
        // one reply each (what `Pipeline::query` does after packing).
        self.buffer.clear();
        for a in adds {
            self.buffer.extend_from_slice(&a.command);
        }
        let replies = conn
            .req_packed_commands(&self.buffer, 0, adds.len())
            .map_err(|e| Failure {
                retry: retryable(&e),
                message: self.settings.url.scrub(&e.to_string()),
            })?;
        Ok(replies
            .into_iter()
            .map(|v| match v {
                Value::ServerError(e) => Err(e.into()),
                other => super::conn::text(&other).ok_or_else(|| {
                    redis::RedisError::from((
                        redis::ErrorKind::UnexpectedReturnType,
                        "XADD did not return an id",
                    ))
                }),
            })
            .collect())
    }

    fn fail(&self, job: &Add, error: BusError) {
        count(&self.counters.failed, 1);
        tracing::error!(stream = %job.stream, event_type = %job.event_type, error = %error, "event not stored on the bus");
        if let Some(done) = &job.done {
            let _ = done.send(Err(error));
        }
    }
}

/// Why a round trip failed, and whether another may succeed.
struct Failure {
    retry: bool,
    message: String,
}
