//! The Kafka backend, as edx-event-bus-kafka 6.1.0 speaks it.
//!
//! - `framing`: Confluent framing, key schemas and keys, schema texts;
//! - `registry`: the schema-registry client;
//! - `producer`, `consumer`, `admin`.

pub(crate) mod admin;
pub(crate) mod consumer;
pub(crate) mod framing;
pub(crate) mod producer;
pub(crate) mod registry;

use rdkafka::ClientConfig;

use crate::error::BusError;
use crate::url::BusUrl;

/// The client configuration of a URL, with `extra` settings after it.
pub(crate) fn client_config(url: &BusUrl, extra: &[(&str, &str)]) -> ClientConfig {
    let mut config = ClientConfig::new();
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
