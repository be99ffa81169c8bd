//! Reading a topic outside any consumer group: what a tail or an audit
//! does, acknowledging nothing.

use std::time::Duration;

use crate::error::BusError;
use crate::event::ReadEvent;
use crate::url::{Backend, BusUrl};

/// Reads a topic's entries in order from a position, outside any group.
pub struct StreamReader {
    backend: BackendReader,
}

enum BackendReader {
    #[cfg(feature = "redis")]
    Redis(crate::redis::reader::RedisReader),
    #[cfg(feature = "kafka")]
    Kafka(crate::kafka::consumer::KafkaReader),
}

impl StreamReader {
    /// A reader of `prefix-topic` after entry `from` (`0`: from the start;
    /// `$`: only entries added from now on).
    pub fn new(
        url: &BusUrl,
        prefix: Option<&str>,
        topic: &str,
        from: &str,
    ) -> Result<Self, BusError> {
        let stream = crate::config::stream_name(prefix, topic);
        let backend = match url.backend() {
            #[cfg(feature = "redis")]
            Backend::Redis => {
                BackendReader::Redis(crate::redis::reader::RedisReader::new(url, stream, from)?)
            }
            #[cfg(not(feature = "redis"))]
            Backend::Redis => {
                let _ = (stream, from);
                return Err(BusError::Unsupported("redis"));
            }
            #[cfg(feature = "kafka")]
            Backend::Kafka => BackendReader::Kafka(crate::kafka::consumer::KafkaReader::new(
                url, &stream, from,
            )?),
            #[cfg(not(feature = "kafka"))]
            Backend::Kafka => return Err(BusError::Unsupported("kafka")),
        };
        Ok(StreamReader { backend })
    }

    /// The next events (at most `max`), waiting up to `block` for one; an
    /// entry that is not an event is its id and why.
    pub fn next_events(&mut self, max: usize, block: Duration) -> Result<Vec<ReadEvent>, BusError> {
        match &mut self.backend {
            #[cfg(feature = "redis")]
            BackendReader::Redis(r) => Ok(r
                .next_batch(max, block)?
                .into_iter()
                .map(|e| e.decode().map_err(|m| (e.stream_id.clone(), m)))
                .collect()),
            #[cfg(feature = "kafka")]
            BackendReader::Kafka(r) => r.next_events(max, block),
        }
    }
}
