//! The Kafka producer: librdkafka's own queue and background thread
//! (bounded, ordered per partition, idempotent, with delivery reports),
//! messages framed and keyed as edx-event-bus-kafka writes them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use openedx_hooks::{AnySignal, EventMetadata};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::{ClientContext, Message};
use serde_json::Value;

use super::framing::{self, python_json};
use super::registry::Registry;
use crate::config::ProducerSettings;
use crate::error::BusError;
use crate::producer::{DeliverySender, Keying};
use crate::stats::{ProducerCounters, ProducerStats, add};

struct Reports {
    counters: Arc<ProducerCounters>,
    client: super::Context,
}

impl ClientContext for Reports {
    fn log(&self, level: rdkafka::config::RDKafkaLogLevel, facility: &str, message: &str) {
        self.client.log(level, facility, message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        ClientContext::error(&self.client, error, reason);
    }
}

/// What a delivery report answers.
pub(crate) struct Pending {
    done: Option<DeliverySender>,
    /// Borrowed for the events a program links (no allocation per send).
    event_type: Cow<'static, str>,
}

impl ProducerContext for Reports {
    type DeliveryOpaque = Box<Pending>;

    fn delivery(&self, result: &DeliveryResult<'_>, pending: Box<Pending>) {
        match result {
            Ok(_) => add(&self.counters.sent, 1),
            Err((e, m)) => {
                add(&self.counters.failed, 1);
                tracing::error!(topic = m.topic(), event_type = %pending.event_type, error = %e, "event not stored on the bus");
            }
        }
        // The outcome is spelled out only for a sender waiting on it.
        if let Some(done) = pending.done {
            let outcome = match result {
                Ok(m) => Ok(super::position(m)),
                Err((e, _)) => Err(self.client.error(e)),
            };
            let _ = done.send(outcome);
        }
    }
}

/// The schema ids of one event type on one topic.
#[derive(Clone, Copy)]
struct Ids {
    value: u32,
    key: Option<u32>,
}

/// What sending one event type on one topic needs, registered once.
struct Registered {
    /// What it was registered for: (topic, event type, key field or `""`).
    of: (String, String, String),
    ids: Ids,
    /// The key's schema, when the topic is keyed.
    key_schema: Option<Value>,
    /// The linked event, whose payload gives the key when none is given.
    signal: Option<&'static dyn AnySignal>,
}

/// topic → event type → key field (`""`: none) → what was registered;
/// looked up by `&str` at each level, so a send allocates nothing here.
#[derive(Default)]
struct IdsCache {
    all: HashMap<String, HashMap<String, HashMap<String, Arc<Registered>>>>,
    /// The last one found, checked first: a producer mostly sends one type
    /// after another of the same, and three string comparisons cost less
    /// than three hashes.
    last: Option<Arc<Registered>>,
}

pub(crate) struct KafkaProducer {
    producer: ThreadedProducer<Reports>,
    registry: Registry,
    counters: Arc<ProducerCounters>,
    settings: ProducerSettings,
    /// (topic, event type, key field) → schema ids and the key schema.
    ids: Mutex<IdsCache>,
}

impl KafkaProducer {
    pub(crate) fn start(settings: ProducerSettings) -> Result<Self, BusError> {
        let counters = Arc::new(ProducerCounters::default());
        let capacity = settings.queue_capacity.to_string();
        let timeout = settings.give_up_after.as_millis().to_string();
        let backoff = settings.backoff_initial.as_millis().to_string();
        let backoff_max = settings.backoff_max.as_millis().to_string();
        let config = super::producer_config(
            &settings.url,
            &[
                ("enable.idempotence", "true"),
                ("acks", "all"),
                ("queue.buffering.max.messages", &capacity),
                ("message.timeout.ms", &timeout),
                ("retry.backoff.ms", &backoff),
                ("retry.backoff.max.ms", &backoff_max),
                ("linger.ms", "5"),
            ],
        );
        let producer = config
            .create_with_context(Reports {
                counters: Arc::clone(&counters),
                client: super::Context::new(&settings.url),
            })
            .map_err(|e| super::error(&settings.url, e))?;
        Ok(KafkaProducer {
            producer,
            registry: super::registry(&settings.url)?,
            counters,
            settings,
            ids: Mutex::default(),
        })
    }

    /// The schema ids for an event type on a topic, registered once.
    fn ids(
        &self,
        topic: &str,
        event_type: &str,
        key_field: Option<&str>,
        schema: Option<&str>,
    ) -> Result<Arc<Registered>, BusError> {
        let key_name = key_field.unwrap_or("");
        {
            let mut cache = self.ids.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(found) = &cache.last {
                let (t, e, k) = &found.of;
                if (t.as_str(), e.as_str(), k.as_str()) == (topic, event_type, key_name) {
                    return Ok(Arc::clone(found));
                }
            }
            if let Some(found) = cache
                .all
                .get(topic)
                .and_then(|m| m.get(event_type))
                .and_then(|m| m.get(key_name))
                .cloned()
            {
                cache.last = Some(Arc::clone(&found));
                return Ok(found);
            }
        }
        let signal = openedx_hooks::signal_by_type(event_type);
        let schema_text = match schema {
            Some(s) => s.to_owned(),
            None => {
                let signal = signal.ok_or_else(|| {
                    BusError::Event(format!(
                        "no event of type `{event_type}` is linked into the program"
                    ))
                })?;
                signal.avro_schema().ok_or_else(|| {
                    BusError::Event(format!(
                        "`{event_type}` has no registered Avro schema (a hand-written signal?)"
                    ))
                })?
            }
        };
        let schema: Value = serde_json::from_str(&schema_text)
            .map_err(|e| BusError::Event(format!("the schema of `{event_type}`: {e}")))?;
        // TopicRecordNameStrategy, as the reference configures it.
        let value = self.registry.register(
            &format!("{topic}-{event_type}.CloudEvent"),
            &python_json(&schema),
        )?;
        let (key, key_schema) = match key_field {
            Some(path) => {
                let ks = framing::key_schema(&schema, path)
                    .map_err(|e| BusError::Event(format!("{event_type}: {e}")))?;
                let subject = format!("{topic}-{}", framing::key_schema_name(&ks));
                (
                    Some(self.registry.register(&subject, &python_json(&ks))?),
                    Some(ks),
                )
            }
            None => (None, None),
        };
        let found = Arc::new(Registered {
            of: (topic.to_owned(), event_type.to_owned(), key_name.to_owned()),
            ids: Ids { value, key },
            key_schema,
            signal,
        });
        self.ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .all
            .entry(topic.to_owned())
            .or_default()
            .entry(event_type.to_owned())
            .or_default()
            .insert(key_name.to_owned(), Arc::clone(&found));
        Ok(found)
    }

    /// Registers an event type's schemas ahead of sends.
    pub(crate) fn prepare(
        &self,
        topic: &str,
        event_type: &str,
        key_field: &str,
    ) -> Result<(), BusError> {
        self.ids(topic, event_type, Some(key_field), None).map(drop)
    }

    pub(crate) fn enqueue(
        &self,
        topic: &str,
        metadata: &EventMetadata,
        payload: &[u8],
        keying: Keying<'_>,
        done: Option<DeliverySender>,
    ) -> Result<(), BusError> {
        let event_type = &*metadata.event_type;
        let key_field = keying.key_field;
        let registered = self.ids(topic, event_type, key_field, keying.schema)?;
        let (ids, key_schema) = (&registered.ids, &registered.key_schema);
        let value = framing::frame(ids.value, payload);
        let key = match (ids.key, key_schema, key_field) {
            (Some(id), Some(ks), Some(path)) => Some(match keying.key {
                Some(v) => framing::frame(
                    id,
                    &framing::encode_key(ks, v)
                        .map_err(|e| BusError::Event(format!("{event_type}: {e}")))?,
                ),
                // The key's schema is the field's own, so the field's Avro
                // in the payload is the key's Avro: taken as it lies.
                None => {
                    let signal = registered.signal.ok_or_else(|| {
                        BusError::Event(format!("`{event_type}` is not linked in"))
                    })?;
                    let avro = signal
                        .field_avro(payload, path)
                        .map_err(|e| BusError::Event(e.to_string()))?
                        .ok_or_else(|| {
                            BusError::Event(format!("{event_type}: the payload has no `{path}`"))
                        })?;
                    framing::frame(id, avro)
                }
            }),
            _ => None,
        };
        // librdkafka copies each header: formatted on the stack, sized once.
        let mut headers = Some(OwnedHeaders::new_with_capacity(10));
        metadata.each_header(|key, value| {
            headers = headers.take().map(|h| {
                h.insert(Header {
                    key,
                    value: Some(value.as_bytes()),
                })
            });
        });
        let headers = headers.unwrap_or_default();
        let pending = Box::new(Pending {
            done,
            event_type: metadata.event_type.clone(),
        });
        let mut record = BaseRecord::with_opaque_to(topic, pending)
            .payload(&value)
            .headers(headers);
        if let Some(k) = &key {
            record = record.key(k);
        }
        // Read only once the queue is full: a clock read per send showed.
        let mut started = None;
        loop {
            match self.producer.send(record) {
                Ok(()) => {
                    add(&self.counters.queued, 1);
                    // The delivery reports ready now are served here, not
                    // left to the producer's thread: librdkafka frees each
                    // message, its headers and its `Pending` where its
                    // report is served, and memory freed on another thread
                    // never comes back to this thread's malloc cache (glibc's
                    // shared arena and its lock were more than half of this
                    // thread's time). Every send, not every 8th or 64th: both
                    // measured slower (README, the Kafka bus's speed).
                    // Bounded: one zero-timeout poll serves at most one
                    // produce request's reports.
                    self.producer.poll(Duration::ZERO);
                    return Ok(());
                }
                // The record comes back whole (headers too): sent again as is.
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    record = back;
                    let started = *started.get_or_insert_with(Instant::now);
                    if started.elapsed() >= self.settings.enqueue_timeout {
                        add(&self.counters.rejected, 1);
                        let err = BusError::QueueFull {
                            event_type: event_type.to_owned(),
                            capacity: self.settings.queue_capacity,
                        };
                        tracing::error!(error = %err, "event not sent");
                        return Err(err);
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err((e, _)) => return Err(self.producer.context().client.error(e)),
            }
        }
    }

    pub(crate) fn flush(&self, timeout: Duration) -> Result<(), BusError> {
        // rdkafka's `flush` waits in polls of up to 100 ms, and a threaded
        // producer's polls find nothing (its thread takes the delivery
        // reports): each flush took up to 100 ms too long. Here a zero
        // `flush` only wakes the brokers to send at once (no lingering),
        // then the queue is watched every millisecond.
        let deadline = Instant::now() + timeout;
        let _ = self.producer.flush(Duration::ZERO);
        while self.producer.in_flight_count() > 0 {
            if Instant::now() >= deadline {
                return Err(BusError::FlushTimeout);
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        Ok(())
    }

    pub(crate) fn stats(&self) -> ProducerStats {
        self.counters.snapshot()
    }
}

impl Drop for KafkaProducer {
    fn drop(&mut self) {
        let _ = self.flush(self.settings.give_up_after);
    }
}
