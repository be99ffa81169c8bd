//! The Kafka backend, as edx-event-bus-kafka 6.1.0 speaks it.
//!
//! - `framing`: Confluent framing, key schemas and keys, schema texts;
//! - `registry`: the schema-registry client;
//! - `headers`: a message's headers as bytes;
//! - `producer`, `consumer`, `admin`.

pub(crate) mod admin;
pub(crate) mod consumer;
pub(crate) mod framing;
pub(crate) mod headers;
pub(crate) mod producer;
pub(crate) mod registry;

use std::sync::Mutex;

use rdkafka::ClientConfig;
use rdkafka::client::ClientContext;
use rdkafka::config::{FromClientConfigAndContext, RDKafkaLogLevel};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext};
use rdkafka::error::KafkaError;
use rdkafka::producer::{BaseProducer, DeliveryResult, ProducerContext};

use crate::error::BusError;
use crate::url::BusUrl;

/// The context of every Kafka client. librdkafka's logs and client-level
/// errors go to tracing, scrubbed of the URL's credentials; the last error
/// (or error-level log line) is kept because the call that fails next often
/// says only "broker transport failure" when the cause was, say, a refused
/// SASL login.
pub(crate) struct Context {
    url: BusUrl,
    last_error: Mutex<Option<String>>,
}

impl Context {
    pub(crate) fn new(url: &BusUrl) -> Self {
        Context {
            url: url.clone(),
            last_error: Mutex::new(None),
        }
    }

    /// A failure of this client as ours: its text and the last error
    /// librdkafka reported, scrubbed of credentials.
    pub(crate) fn error(&self, e: impl std::fmt::Display) -> BusError {
        let last = self
            .last_error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        match last {
            Some(reason) => error(
                &self.url,
                format!("{e} (the client's last error: {reason})"),
            ),
            None => error(&self.url, e),
        }
    }
}

impl ClientContext for Context {
    fn log(&self, level: RDKafkaLogLevel, facility: &str, message: &str) {
        let message = self.url.scrub(message);
        match level {
            RDKafkaLogLevel::Emerg
            | RDKafkaLogLevel::Alert
            | RDKafkaLogLevel::Critical
            | RDKafkaLogLevel::Error => {
                tracing::error!(facility, "librdkafka: {message}");
                // A refused SASL login arrives as such a line ("SASL
                // authentication error: …"), not always as an error event.
                *self.last_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(message);
            }
            RDKafkaLogLevel::Warning => tracing::warn!(facility, "librdkafka: {message}"),
            RDKafkaLogLevel::Notice | RDKafkaLogLevel::Info => {
                tracing::info!(facility, "librdkafka: {message}")
            }
            RDKafkaLogLevel::Debug => tracing::debug!(facility, "librdkafka: {message}"),
        }
    }

    fn error(&self, error: KafkaError, reason: &str) {
        let reason = self.url.scrub(reason);
        tracing::warn!(error = %self.url.scrub(&error.to_string()), "kafka client error: {reason}");
        *self.last_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(reason);
    }
}

impl ConsumerContext for Context {}

// Delivery reports are not asked for from these producers (they flush).
impl ProducerContext for Context {
    type DeliveryOpaque = ();

    fn delivery(&self, _: &DeliveryResult<'_>, _: ()) {}
}

/// A consumer of a URL (its context: [`Context`]).
pub(crate) type ConsumerClient = BaseConsumer<Context>;
/// A producer of a URL without delivery reports (they flush).
pub(crate) type ProducerClient = BaseProducer<Context>;

/// A client of a URL (a [`ConsumerClient`], a [`ProducerClient`], an admin client)
/// with `extra` settings, its logs and errors going through [`Context`].
pub(crate) fn client<T: FromClientConfigAndContext<Context>>(
    url: &BusUrl,
    extra: &[(&str, &str)],
) -> Result<T, BusError> {
    create(url, layered(url, &[], extra))
}

/// A consumer that reads events (a group's, or `bus tail`'s): a
/// [`client`] with [`CONSUMER_DEFAULTS`] beneath the URL's settings.
pub(crate) fn consumer_client(
    url: &BusUrl,
    extra: &[(&str, &str)],
) -> Result<ConsumerClient, BusError> {
    create(url, layered(url, CONSUMER_DEFAULTS, extra))
}

/// The client of a configuration, its logs and errors going through
/// [`Context`].
fn create<T: FromClientConfigAndContext<Context>>(
    url: &BusUrl,
    config: ClientConfig,
) -> Result<T, BusError> {
    config
        .create_with_context(Context::new(url))
        .map_err(|e| error(url, e))
}

/// Where an event-reading consumer departs from librdkafka's defaults, as
/// defaults of its own: a URL's query sets them otherwise.
const CONSUMER_DEFAULTS: &[(&str, &str)] = &[
    // How long a broker may hold a fetch while nothing is new. librdkafka's
    // 500 ms is also what a broker that does not answer early when data
    // arrives (tansu) adds to every event's latency (measured p50/p99 on
    // tansu: 131/253 ms at 500, 29/56 ms at 100); on Kafka, which answers
    // at once, 100 ms costs ten empty fetches a second while idle.
    ("fetch.wait.max.ms", "100"),
];

/// The failure of a consumer that is not reading yet, after a poll hands
/// librdkafka's pending logs to its context (a consumer delivers them only
/// when polled; one not reading has no message a poll could take).
pub(crate) fn idle_consumer_error(
    consumer: &ConsumerClient,
    e: impl std::fmt::Display,
) -> BusError {
    let _ = consumer.poll(std::time::Duration::ZERO);
    consumer.context().error(e)
}

/// Where the event producer departs from librdkafka's defaults, as defaults
/// of its own: a URL's query sets them otherwise (`compression.type=none`).
const PRODUCER_DEFAULTS: &[(&str, &str)] = &[
    // Batches compressed with LZ4. Every event carries the same ten `ce_*`
    // header names and mostly the same values, so a batch shrinks several
    // times over, and the broker has that much less to receive and store:
    // on tansu sharing this 2-core machine, librdkafka alone stored our
    // messages at 0.43-0.51M/s uncompressed and 0.60-0.79M/s with LZ4, the
    // broker's CPU time falling from 0.09 to 0.02 s per 100,000. Every Kafka
    // consumer reads LZ4 (the Python reference's librdkafka included).
    ("compression.type", "lz4"),
];

/// The event producer's configuration: [`PRODUCER_DEFAULTS`], the URL's
/// settings, then `extra`.
pub(crate) fn producer_config(url: &BusUrl, extra: &[(&str, &str)]) -> ClientConfig {
    layered(url, PRODUCER_DEFAULTS, extra)
}

/// `defaults`, then the URL's settings, then `extra`: each layer wins over
/// the one before.
fn layered(url: &BusUrl, defaults: &[(&str, &str)], extra: &[(&str, &str)]) -> ClientConfig {
    let mut config = ClientConfig::new();
    for (k, v) in defaults {
        config.set(*k, *v);
    }
    // rdkafka takes the level from the `log` crate, which is off without a
    // logger: ask for what tracing wants, and errors always (the context
    // keeps the last one for the error a failing call returns).
    let level = match tracing::level_filters::LevelFilter::current() {
        f if f >= tracing::level_filters::LevelFilter::DEBUG => RDKafkaLogLevel::Debug,
        f if f >= tracing::level_filters::LevelFilter::INFO => RDKafkaLogLevel::Info,
        f if f >= tracing::level_filters::LevelFilter::WARN => RDKafkaLogLevel::Warning,
        _ => RDKafkaLogLevel::Error,
    };
    config.set_log_level(level);
    for (k, v) in url.kafka_settings() {
        config.set(k, v);
    }
    for (k, v) in extra {
        config.set(*k, *v);
    }
    config
}

/// The registry a URL names, or why there is none.
pub(crate) fn registry(url: &BusUrl) -> Result<registry::Registry, BusError> {
    let base = url.schema_registry().ok_or_else(|| {
        BusError::Registry("Kafka needs a schema registry (--schema-registry URL)".into())
    })?;
    Ok(registry::Registry::new(
        base,
        std::time::Duration::from_secs(10),
    ))
}

/// A Kafka error as ours, its text scrubbed of the URL's credentials.
pub(crate) fn error(url: &BusUrl, e: impl std::fmt::Display) -> BusError {
    BusError::Kafka(url.scrub(&e.to_string()))
}

/// `topic:partition@offset`, a message's id on the bus; written without
/// `format!`, whose machinery was 6% of the consumer's time per message.
pub(crate) fn position(m: &impl rdkafka::Message) -> String {
    let (mut partition, mut offset) = (itoa::Buffer::new(), itoa::Buffer::new());
    let (partition, offset) = (partition.format(m.partition()), offset.format(m.offset()));
    let mut id = String::with_capacity(m.topic().len() + partition.len() + offset.len() + 2);
    id.push_str(m.topic());
    id.push(':');
    id.push_str(partition);
    id.push('@');
    id.push_str(offset);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A consumer's fetch wait is 100 ms unless the URL says otherwise (its
    /// last value, as librdkafka takes it).
    #[test]
    fn fetch_wait_defaults_to_100_ms_and_the_url_wins() {
        let fetch_wait = |url: &str| {
            let url: BusUrl = url.parse().unwrap();
            layered(&url, CONSUMER_DEFAULTS, &[("group.id", "g")])
                .get("fetch.wait.max.ms")
                .map(str::to_owned)
        };
        assert_eq!(fetch_wait("kafka://broker:9092").as_deref(), Some("100"));
        let set = "kafka://broker:9092?fetch.wait.max.ms=7&fetch.wait.max.ms=9";
        assert_eq!(fetch_wait(set).as_deref(), Some("9"));
    }

    /// The producer compresses with LZ4 unless the URL says otherwise; what
    /// the producer sets itself (idempotence) the URL cannot undo.
    #[test]
    fn the_producer_compresses_with_lz4_unless_the_url_says_otherwise() {
        let setting = |url: &str, key: &str| {
            let url: BusUrl = url.parse().unwrap();
            producer_config(&url, &[("enable.idempotence", "true")])
                .get(key)
                .map(str::to_owned)
        };
        let plain = "kafka://broker:9092";
        assert_eq!(setting(plain, "compression.type").as_deref(), Some("lz4"));
        let none = "kafka://broker:9092?compression.type=none&enable.idempotence=false";
        assert_eq!(setting(none, "compression.type").as_deref(), Some("none"));
        assert_eq!(setting(none, "enable.idempotence").as_deref(), Some("true"));
    }
}
