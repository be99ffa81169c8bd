//! The producer: events to topics, from a bounded queue and a background
//! worker, so that the sending thread never waits on the network.

use std::sync::Arc;
use std::time::Duration;

use openedx_hooks::outbound::{self, Outbound};
use openedx_hooks::wire::avro::{self, Avro};
use openedx_hooks::{BoxError, EventMetadata, Signal};

use crate::config::{ProducerConfig, ProducerSettings, stream_name};
use crate::error::BusError;
use crate::event::BusEvent;
use crate::stats::ProducerStats;
use crate::url::Backend;

/// Sends events to the bus. Cheap to share (`Arc`); dropping the last
/// handle drains the queue (within the give-up bound) and stops the
/// worker.
///
/// ```no_run
/// use openedx_hooks_bus::{Producer, ProducerSettings};
/// use openedx_events::learning::{SESSION_LOGIN_COMPLETED, SessionLoginCompleted};
/// # fn user() -> openedx_events::learning::UserData { unimplemented!() }
///
/// let producer = Producer::new(ProducerSettings::new("redis://127.0.0.1:6379".parse()?).prefix("dev"))?;
/// let delivery = producer.send(&SESSION_LOGIN_COMPLETED, "user-login", &SessionLoginCompleted { user: user() })?;
/// println!("stored as {}", delivery.wait()?);
/// producer.flush(std::time::Duration::from_secs(5))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Producer {
    prefix: Option<String>,
    /// Stream names by topic, made once.
    streams: std::sync::RwLock<std::collections::HashMap<String, Arc<str>>>,
    backend: BackendProducer,
}

enum BackendProducer {
    #[cfg(feature = "redis")]
    Redis(crate::redis::producer::RedisProducer),
    #[cfg(feature = "kafka")]
    Kafka(Box<crate::kafka::producer::KafkaProducer>),
}

impl Producer {
    /// Starts a producer (its worker connects on first use, and reconnects
    /// whenever the server goes away).
    ///
    /// On Kafka the producer is idempotent, and librdkafka stores nothing
    /// until the broker has given it a producer id, which it asks for every
    /// 500 ms until a broker is up: events sent in the first half second
    /// to a second after start are queued, not lost, and stored once it
    /// has one. Start the producer with the service, not on its first event.
    pub fn new(settings: ProducerSettings) -> Result<Self, BusError> {
        settings.check()?;
        let prefix = settings.prefix.clone();
        let backend = match settings.url.backend() {
            #[cfg(feature = "redis")]
            Backend::Redis => {
                BackendProducer::Redis(crate::redis::producer::RedisProducer::start(settings)?)
            }
            #[cfg(not(feature = "redis"))]
            Backend::Redis => return Err(BusError::Unsupported("redis")),
            #[cfg(feature = "kafka")]
            Backend::Kafka => BackendProducer::Kafka(Box::new(
                crate::kafka::producer::KafkaProducer::start(settings)?,
            )),
            #[cfg(not(feature = "kafka"))]
            Backend::Kafka => return Err(BusError::Unsupported("kafka")),
        };
        Ok(Producer {
            prefix,
            streams: Default::default(),
            backend,
        })
    }

    /// Sends a typed event with fresh metadata to a topic.
    pub fn send<P: Avro + 'static>(
        &self,
        signal: &Signal<P>,
        topic: &str,
        payload: &P,
    ) -> Result<Delivery, BusError> {
        let metadata = EventMetadata::new(signal.event_type(), signal.minor_version());
        self.send_event(topic, &BusEvent::new(metadata, avro::to_vec(payload)))
    }

    /// Sends a JSON payload of a linked event, by its type string, with
    /// fresh metadata. A payload that does not match the event's is an
    /// error naming the field path.
    pub fn send_json(
        &self,
        topic: &str,
        event_type: &str,
        payload: &str,
    ) -> Result<Delivery, BusError> {
        let signal = openedx_hooks::signal_by_type(event_type).ok_or_else(|| {
            BusError::Event(format!(
                "no event of type `{event_type}` is linked into the program"
            ))
        })?;
        let avro = signal
            .json_to_avro(payload)
            .map_err(|e| BusError::Event(e.to_string()))?;
        let metadata = EventMetadata::new(signal.event_type(), signal.minor_version());
        self.send_event(topic, &BusEvent::new(metadata, avro))
    }

    /// Sends an event as it is (metadata and Avro payload): the type-erased
    /// send every other one ends in.
    pub fn send_event(&self, topic: &str, event: &BusEvent) -> Result<Delivery, BusError> {
        self.send_keyed(topic, event, None)
    }

    /// Sends an event keyed by a payload field (`user.id`): on Kafka the
    /// message key, framed with its own schema as the reference writes it;
    /// Redis entries have no key.
    pub fn send_keyed(
        &self,
        topic: &str,
        event: &BusEvent,
        key_field: Option<&str>,
    ) -> Result<Delivery, BusError> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        self.enqueue(
            topic,
            &event.metadata,
            &event.payload,
            Keying::by(key_field),
            Some(tx),
        )?;
        Ok(Delivery { rx })
    }

    /// Sends an event that no linked signal describes (a tool reading a
    /// catalog): `schema` is its payload's Avro schema (JSON), which a
    /// schema registry is given on Kafka, and `key` the key field's path
    /// and value. Redis needs neither.
    pub fn send_described(
        &self,
        topic: &str,
        event: &BusEvent,
        schema: &str,
        key: Option<(&str, &serde_json::Value)>,
    ) -> Result<Delivery, BusError> {
        let keying = Keying {
            key_field: key.map(|(path, _)| path),
            key: key.map(|(_, v)| v),
            schema: Some(schema),
        };
        let (tx, rx) = crossbeam_channel::bounded(1);
        self.enqueue(topic, &event.metadata, &event.payload, keying, Some(tx))?;
        Ok(Delivery { rx })
    }

    /// Sends an event without a [`Delivery`]: a failure after it was
    /// queued is logged and counted ([`ProducerStats::failed`]) only. For
    /// senders of many events that do not wait for each.
    pub fn publish(&self, topic: &str, event: &BusEvent) -> Result<(), BusError> {
        self.enqueue(
            topic,
            &event.metadata,
            &event.payload,
            Keying::default(),
            None,
        )
    }

    fn enqueue(
        &self,
        topic: &str,
        metadata: &EventMetadata,
        payload: &[u8],
        keying: Keying<'_>,
        done: Option<DeliverySender>,
    ) -> Result<(), BusError> {
        let stream = self.stream(topic);
        match &self.backend {
            // Redis entries have no key and no registered schema.
            #[cfg(feature = "redis")]
            BackendProducer::Redis(p) => {
                let _ = keying;
                p.enqueue(stream, metadata, payload, done)
            }
            #[cfg(feature = "kafka")]
            BackendProducer::Kafka(p) => p.enqueue(&stream, metadata, payload, keying, done),
        }
    }

    fn stream(&self, topic: &str) -> Arc<str> {
        let known = self.streams.read().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = known.get(topic) {
            return Arc::clone(s);
        }
        drop(known);
        let mut known = self.streams.write().unwrap_or_else(|e| e.into_inner());
        Arc::clone(
            known
                .entry(topic.to_owned())
                .or_insert_with(|| stream_name(self.prefix.as_deref(), topic).into()),
        )
    }

    /// Waits until every event queued before the call was stored or given
    /// up on.
    pub fn flush(&self, timeout: Duration) -> Result<(), BusError> {
        match &self.backend {
            #[cfg(feature = "redis")]
            BackendProducer::Redis(p) => p.flush(timeout),
            #[cfg(feature = "kafka")]
            BackendProducer::Kafka(p) => p.flush(timeout),
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> ProducerStats {
        match &self.backend {
            #[cfg(feature = "redis")]
            BackendProducer::Redis(p) => p.stats(),
            #[cfg(feature = "kafka")]
            BackendProducer::Kafka(p) => p.stats(),
        }
    }

    /// Makes `send_event` reach the bus: every event type the
    /// configuration names goes, when sent in this process, to its enabled
    /// topics (after the local receivers ran). Events received from the bus
    /// are never sent back. The configuration is validated against the
    /// linked events first. Replaces any outbound installed before;
    /// [`openedx_hooks::outbound::uninstall`] undoes it.
    pub fn install(self: &Arc<Self>, config: ProducerConfig) -> Result<(), BusError> {
        config.validate()?;
        // Kafka: schemas are registered now, not on the first send.
        #[cfg(feature = "kafka")]
        if let BackendProducer::Kafka(p) = &self.backend {
            for event_type in config.event_types() {
                for (topic, settings) in config.topics_of(event_type) {
                    p.prepare(&self.stream(topic), event_type, &settings.event_key_field)?;
                }
            }
        }
        outbound::install(Arc::new(Forwarder {
            producer: Arc::clone(self),
            config,
        }));
        Ok(())
    }
}

impl std::fmt::Debug for Producer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Producer")
            .field("prefix", &self.prefix)
            .field("stats", &self.stats())
            .finish()
    }
}

/// How a message is keyed, and its schema when no linked signal gives it
/// (Kafka; Redis entries need neither).
#[derive(Debug, Default, Clone, Copy)]
#[cfg_attr(not(feature = "kafka"), allow(dead_code))]
pub(crate) struct Keying<'a> {
    /// The payload field the key is read from (`user.id`).
    pub(crate) key_field: Option<&'a str>,
    /// The key's value, when the caller has it (else read from the payload).
    pub(crate) key: Option<&'a serde_json::Value>,
    /// The payload's Avro schema (JSON), when no linked signal has it.
    pub(crate) schema: Option<&'a str>,
}

impl<'a> Keying<'a> {
    fn by(key_field: Option<&'a str>) -> Self {
        Keying {
            key_field,
            ..Keying::default()
        }
    }
}

pub(crate) type DeliverySender = crossbeam_channel::Sender<Result<String, BusError>>;

/// The outcome of one send: the id the server gave the entry, or why it
/// was not stored.
#[derive(Debug)]
#[must_use = "a delivery says whether the event was stored"]
pub struct Delivery {
    rx: crossbeam_channel::Receiver<Result<String, BusError>>,
}

impl Delivery {
    /// Waits for the outcome: the entry id (`1700000000000-0`).
    pub fn wait(self) -> Result<String, BusError> {
        self.rx.recv().unwrap_or(Err(BusError::Closed))
    }

    /// Waits at most `timeout`.
    pub fn wait_timeout(self, timeout: Duration) -> Result<String, BusError> {
        match self.rx.recv_timeout(timeout) {
            Ok(r) => r,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => Err(BusError::FlushTimeout),
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => Err(BusError::Closed),
        }
    }
}

/// The outbound `Producer::install` puts in the runtime.
struct Forwarder {
    producer: Arc<Producer>,
    config: ProducerConfig,
}

impl Outbound for Forwarder {
    fn forwards(&self, event_type: &str) -> bool {
        self.config.forwards(event_type)
    }

    fn forward(&self, metadata: &EventMetadata, avro: &[u8]) -> Result<(), BoxError> {
        for (topic, settings) in self.config.topics_of(&metadata.event_type) {
            self.producer.enqueue(
                topic,
                metadata,
                avro,
                Keying::by(Some(&settings.event_key_field)),
                None,
            )?;
        }
        Ok(())
    }
}
