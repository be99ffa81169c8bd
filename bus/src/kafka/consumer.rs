//! The Kafka consumer-group loop: offsets committed only for messages every
//! receiver handled, retries with backoff in place (a partition keeps its
//! order), then a dead-letter topic; poison messages dead-lettered at once.

use std::time::{Duration, Instant};

use rdkafka::consumer::{CommitMode, Consumer};
use rdkafka::message::{BorrowedMessage, Header};
use rdkafka::producer::{BaseRecord, Producer};
use rdkafka::{Message, Offset, TopicPartitionList};

use super::framing;
use super::registry::Lookup;
use crate::config::{ConsumerSettings, StartFrom};
use crate::consumer::StopHandle;
use crate::error::BusError;
use crate::event::{BusEvent, Malformed, ReadEvent};
use crate::handler::{HandleError, Handler};
use crate::stats::{ConsumerCounters, add};

/// Why a message gave no event.
pub(crate) enum Unread {
    /// It is not an event: dead-lettered at once.
    Malformed(Malformed),
    /// Its schema id could not be confirmed for now: the registry gave no
    /// answer about it. The message may be good; it waits.
    Unconfirmed(String),
}

impl From<Malformed> for Unread {
    fn from(m: Malformed) -> Self {
        Unread::Malformed(m)
    }
}

/// Reads a message's event: metadata from its `ce_*` headers, the payload
/// from its framed value (the schema id must be one the registry knows).
pub(crate) fn decode(
    m: &BorrowedMessage<'_>,
    registry: &super::registry::Registry,
) -> Result<BusEvent, Unread> {
    // A name that is not UTF-8 cannot be a `ce_*` header: passed over.
    let headers = super::headers::read_text(m);
    let metadata = openedx_hooks::wire::message_metadata(&headers)
        .map_err(|e| Malformed::new(e.to_string()))?;
    let value = m
        .payload()
        .ok_or_else(|| Malformed::new("message without a value"))?;
    let (schema_id, avro) = framing::unframe(value)?;
    registry.ensure(schema_id).map_err(|e| {
        let why = |why| format!("schema id {schema_id}: {why}");
        match e {
            Lookup::Unknown(w) => Unread::Malformed(Malformed::new(why(w))),
            Lookup::Unavailable(w) => Unread::Unconfirmed(why(w)),
        }
    })?;
    let mut event = BusEvent::new(metadata, avro.to_vec());
    event.stream_id = Some(super::position(m));
    Ok(event)
}

/// Offsets handled since the last commit: stored and committed 500 at a
/// time, or once a second has passed since the last commit, whether
/// messages come or not. Stored only then, the last of each partition,
/// rather than once per message (a lock in librdkafka each time).
struct Commits {
    /// Messages handled since the last commit.
    since: u64,
    last: Instant,
    /// The last handled offset of each partition since the last commit.
    last_handled: Vec<(i32, i64)>,
}

impl Commits {
    fn handled(&mut self, partition: i32, offset: i64) {
        match self.last_handled.iter_mut().find(|(p, _)| *p == partition) {
            Some(slot) => slot.1 = offset,
            None => self.last_handled.push((partition, offset)),
        }
        self.since += 1;
    }

    /// Stores what was handled. A partition taken away meanwhile (a
    /// rebalance) refuses: its new owner reads those messages again, as it
    /// would any that were stored and not yet committed.
    fn store(&mut self, consumer: &super::ConsumerClient, topic: &str) {
        for (partition, offset) in self.last_handled.drain(..) {
            // librdkafka stores the offset + 1: the next to read.
            if let Err(e) = consumer.store_offset(topic, partition, offset) {
                tracing::debug!(partition, offset, error = %e, "offset not stored");
            }
        }
    }

    fn commit_if_due(&mut self, consumer: &super::ConsumerClient, topic: &str) {
        let due =
            self.since >= 500 || (self.since > 0 && self.last.elapsed() >= Duration::from_secs(1));
        if due {
            self.store(consumer, topic);
            let _ = consumer.commit_consumer_state(CommitMode::Async);
            self.since = 0;
            self.last = Instant::now();
        }
    }
}

pub(crate) fn run(
    settings: &ConsumerSettings,
    handler: &dyn Handler,
    stop: &StopHandle,
    counters: &ConsumerCounters,
) -> Result<(), BusError> {
    let url = &settings.url;
    let topic = settings.stream();
    let dead_letter = settings.dead_letter_stream();
    let registry = super::registry(url)?;
    let reset = match settings.start {
        StartFrom::Latest => "latest",
        _ => "earliest",
    };
    let session = settings.io_timeout.as_millis().max(6000).to_string();
    // Also how long a rejoining group waits for members that left without
    // saying so (brokers such as tansu); retries of one message must fit.
    let poll_interval = (settings.retry_backoff_max.as_millis() * 2)
        .clamp(10_000, 300_000)
        .to_string();
    let consumer = super::consumer_client(
        url,
        &[
            ("group.id", &settings.group),
            ("client.id", &settings.consumer),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("auto.offset.reset", reset),
            ("session.timeout.ms", &session),
            ("max.poll.interval.ms", &poll_interval),
            // librdkafka pauses fetching for this long once its local queue
            // is past `queued.min.messages`; at the default (1 s) a consumer
            // working through a backlog stalled for most of a second every
            // 100,000 messages (measured: 150,000/s against 397,000/s on a
            // 200,000-message topic).
            ("fetch.queue.backoff.ms", "10"),
        ],
    )?;
    let dlq: super::ProducerClient = super::client(url, &[("enable.idempotence", "true")])?;
    super::admin::ensure_topics(url, &[&dead_letter])?;
    consumer
        .subscribe(&[&topic])
        .map_err(|e| consumer.context().error(e))?;
    let mut seek_pending = matches!(settings.start, StartFrom::Id(_) | StartFrom::Timestamp(_));
    // Messages in a row whose schema the registry gave no answer about.
    let mut unconfirmed = 0;
    let mut commits = Commits {
        since: 0,
        last: Instant::now(),
        last_handled: Vec::new(),
    };
    while !stop.is_stopped() {
        let Some(polled) = consumer.poll(settings.poll) else {
            // Idle: what was handled is committed within the second too,
            // not left for the next message (a crash meanwhile would
            // deliver it again).
            commits.commit_if_due(&consumer, &topic);
            continue;
        };
        let m = match polled {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %consumer.context().error(e), "kafka consumer error");
                // An error can come back at once (a broker down, refused
                // credentials): never spin on it.
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        if seek_pending {
            seek_pending = false;
            if seek_start(&consumer, settings, &topic)? {
                continue;
            }
        }
        add(&counters.received, 1);
        let verdict = handle(&m, &registry, handler, settings, stop, counters);
        match verdict {
            Done::Handled => add(&counters.acknowledged, 1),
            Done::DeadLetter {
                reason,
                receiver,
                attempts,
                malformed,
            } => {
                add(
                    if malformed {
                        &counters.malformed
                    } else {
                        &counters.dead_lettered
                    },
                    1,
                );
                dead_letter_message(
                    &dlq,
                    &dead_letter,
                    &m,
                    &reason,
                    &receiver,
                    attempts,
                    settings,
                )?;
            }
            // Stopped in the middle of retries: not committed, read again.
            Done::Stopped => break,
            // Its partition goes back to it and waits (in order), polled
            // meanwhile so that the group keeps the consumer; the others
            // go on.
            Done::Unconfirmed(why) => {
                unconfirmed += 1;
                tracing::warn!(error = %why, "the schema registry gave no answer; the message waits");
                let mut back = TopicPartitionList::new();
                back.add_partition_offset(&topic, m.partition(), Offset::Offset(m.offset()))
                    .map_err(|e| super::error(url, e))?;
                drop(m);
                consumer
                    .seek_partitions(back, Duration::from_secs(10))
                    .map_err(|e| consumer.context().error(e))?;
                let delay = crate::retry::backoff(
                    settings.retry_backoff,
                    settings.retry_backoff_max,
                    unconfirmed,
                );
                wait(stop, delay);
                commits.commit_if_due(&consumer, &topic);
                continue;
            }
        }
        unconfirmed = 0;
        commits.handled(m.partition(), m.offset());
        commits.commit_if_due(&consumer, &topic);
    }
    if commits.since > 0 {
        commits.store(&consumer, &topic);
        match consumer.commit_consumer_state(CommitMode::Sync) {
            // Nothing stored since the last commit (or the partitions moved).
            Ok(())
            | Err(rdkafka::error::KafkaError::ConsumerCommit(
                rdkafka::types::RDKafkaErrorCode::NoOffset,
            )) => {}
            Err(e) => return Err(consumer.context().error(e)),
        }
    }
    consumer.unsubscribe();
    Ok(())
}

/// Moves the assigned partitions to the configured start; `true` when it
/// did (the message in hand is then not handled: it is read again).
fn seek_start(
    consumer: &super::ConsumerClient,
    settings: &ConsumerSettings,
    topic: &str,
) -> Result<bool, BusError> {
    let assignment = consumer
        .assignment()
        .map_err(|e| consumer.context().error(e))?;
    let mut list = TopicPartitionList::new();
    for e in assignment.elements_for_topic(topic) {
        let offset = match &settings.start {
            StartFrom::Id(id) => Offset::Offset(
                id.parse()
                    .map_err(|_| BusError::Kafka(format!("start offset `{id}` is not a number")))?,
            ),
            StartFrom::Timestamp(ms) => Offset::Offset(*ms),
            _ => return Ok(false),
        };
        list.add_partition_offset(topic, e.partition(), offset)
            .map_err(|e| super::error(&settings.url, e))?;
    }
    if let StartFrom::Timestamp(_) = settings.start {
        list = consumer
            .offsets_for_times(list, Duration::from_secs(10))
            .map_err(|e| consumer.context().error(e))?;
    }
    consumer
        .seek_partitions(list, Duration::from_secs(10))
        .map_err(|e| consumer.context().error(e))?;
    Ok(true)
}

enum Done {
    Handled,
    /// Its schema id could not be confirmed (the registry gave no answer):
    /// read again later, not dead-lettered for an outage.
    Unconfirmed(String),
    DeadLetter {
        reason: String,
        receiver: String,
        attempts: u32,
        malformed: bool,
    },
    Stopped,
}

fn handle(
    m: &BorrowedMessage<'_>,
    registry: &super::registry::Registry,
    handler: &dyn Handler,
    settings: &ConsumerSettings,
    stop: &StopHandle,
    counters: &ConsumerCounters,
) -> Done {
    let span = tracing::info_span!(
        "bus_entry",
        stream = m.topic(),
        stream_id = %format!("{}@{}", m.partition(), m.offset()),
        event_type = tracing::field::Empty,
        id = tracing::field::Empty,
        attempt = tracing::field::Empty,
    );
    let _enter = span.enter();
    let event = match decode(m, registry) {
        Ok(e) => e,
        Err(Unread::Malformed(reason)) => {
            tracing::error!(%reason, "malformed message: dead-lettered");
            return Done::DeadLetter {
                reason: reason.reason,
                receiver: String::new(),
                attempts: 1,
                malformed: true,
            };
        }
        Err(Unread::Unconfirmed(why)) => return Done::Unconfirmed(why),
    };
    span.record("event_type", &*event.metadata.event_type);
    span.record("id", tracing::field::display(event.metadata.id));
    let mut attempt = 1;
    loop {
        span.record("attempt", attempt);
        let handled = crate::handler::call(handler, &event);
        match handled {
            Ok(()) => return Done::Handled,
            Err(HandleError::Malformed(m)) => {
                return Done::DeadLetter {
                    reason: m.reason,
                    receiver: String::new(),
                    attempts: attempt,
                    malformed: true,
                };
            }
            Err(HandleError::Failed { receiver, message }) => {
                if attempt >= settings.max_deliveries {
                    tracing::error!(%receiver, error = %message, "message failed its last delivery: dead-lettered");
                    return Done::DeadLetter {
                        reason: message,
                        receiver,
                        attempts: attempt,
                        malformed: false,
                    };
                }
                tracing::warn!(%receiver, error = %message, "message failed; will retry");
                add(&counters.retried, 1);
                let delay = crate::retry::backoff(
                    settings.retry_backoff,
                    settings.retry_backoff_max,
                    attempt,
                );
                if !wait(stop, delay) {
                    return Done::Stopped;
                }
                attempt += 1;
            }
        }
    }
}

/// Sleeps for `delay` unless stopped first; `false` when stopped.
fn wait(stop: &StopHandle, delay: Duration) -> bool {
    let until = Instant::now() + delay;
    while Instant::now() < until {
        if stop.is_stopped() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10).min(until - Instant::now()));
    }
    !stop.is_stopped()
}

fn dead_letter_message(
    dlq: &super::ProducerClient,
    topic: &str,
    m: &BorrowedMessage<'_>,
    reason: &str,
    receiver: &str,
    attempts: u32,
    settings: &ConsumerSettings,
) -> Result<(), BusError> {
    let mut headers = super::headers::copy(m, |_| true);
    let origin = super::position(m);
    let why = crate::dead_letter::Why {
        reason,
        receiver,
        attempts,
        stream: m.topic(),
        stream_id: &origin,
        group: &settings.group,
    };
    for (name, value) in why.fields() {
        headers = headers.insert(Header {
            key: &name,
            value: Some(value.as_bytes()),
        });
    }
    let mut record: BaseRecord<'_, [u8], [u8]> = BaseRecord::to(topic).headers(headers);
    if let Some(v) = m.payload() {
        record = record.payload(v);
    }
    if let Some(k) = m.key() {
        record = record.key(k);
    }
    dlq.send(record).map_err(|(e, _)| dlq.context().error(e))?;
    // The offset is stored only once the dead letter is on the broker.
    dlq.flush(Duration::from_secs(30))
        .map_err(|e| dlq.context().error(e))
}

/// A reader of a topic outside any group (`bus tail` without `--group`).
pub(crate) struct KafkaReader {
    consumer: super::ConsumerClient,
    registry: super::registry::Registry,
}

impl KafkaReader {
    pub(crate) fn new(url: &crate::url::BusUrl, topic: &str, from: &str) -> Result<Self, BusError> {
        let consumer = super::consumer_client(
            url,
            &[
                ("group.id", "openedx-hooks-tail"),
                ("enable.auto.commit", "false"),
            ],
        )?;
        let metadata = consumer
            .fetch_metadata(Some(topic), Duration::from_secs(10))
            .map_err(|e| super::idle_consumer_error(&consumer, e))?;
        let offset = match from {
            "0" | "0-0" => Offset::Beginning,
            "$" => Offset::End,
            n => Offset::Offset(n.parse().map_err(|_| {
                BusError::Kafka(format!("`{n}` is not an offset (0, $ or a number)"))
            })?),
        };
        let mut list = TopicPartitionList::new();
        for t in metadata.topics().iter().filter(|t| t.name() == topic) {
            for p in t.partitions() {
                list.add_partition_offset(topic, p.id(), offset)
                    .map_err(|e| super::error(url, e))?;
            }
        }
        consumer
            .assign(&list)
            .map_err(|e| consumer.context().error(e))?;
        Ok(KafkaReader {
            consumer,
            registry: super::registry(url)?,
        })
    }

    pub(crate) fn next_events(
        &mut self,
        max: usize,
        block: Duration,
    ) -> Result<Vec<ReadEvent>, BusError> {
        let mut out = Vec::new();
        let deadline = Instant::now() + block;
        while out.len() < max.max(1) {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(polled) = self.consumer.poll(left) else {
                break;
            };
            let m = polled.map_err(|e| BusError::Kafka(e.to_string()))?;
            let id = super::position(&m);
            // A viewer: what cannot be confirmed now is shown as unread.
            out.push(decode(&m, &self.registry).map_err(|e| {
                let reason = match e {
                    Unread::Malformed(m) => m,
                    Unread::Unconfirmed(why) => {
                        Malformed::new(format!("the schema registry gave no answer: {why}"))
                    }
                };
                (id, reason)
            }));
            if Instant::now() >= deadline {
                break;
            }
        }
        Ok(out)
    }
}
