//! Operating a topic: its status (length, groups, lag, dead letters) and
//! replaying dead-lettered entries after a fix.

use serde::Serialize;

use crate::error::BusError;
use crate::url::{Backend, BusUrl};

/// A topic's state on the bus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TopicStatus {
    /// The stream name.
    pub stream: String,
    /// Entries in the stream.
    pub length: u64,
    /// The first entry's id.
    pub first_id: Option<String>,
    /// The last entry's id.
    pub last_id: Option<String>,
    /// Entries ever added (Redis 7).
    pub entries_added: Option<u64>,
    /// Its consumer groups.
    pub groups: Vec<GroupStatus>,
    /// The dead-letter stream.
    pub dead_letter_stream: String,
    /// Entries in the dead-letter stream.
    pub dead_letters: u64,
}

/// A consumer group's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct GroupStatus {
    /// The group.
    pub name: String,
    /// Entries delivered and not acknowledged.
    pub pending: u64,
    /// The last entry delivered to the group.
    pub last_delivered_id: String,
    /// Entries the group read (Redis 7; unknown after some trims).
    pub entries_read: Option<u64>,
    /// Entries not read yet (`None`: Redis cannot tell).
    pub lag: Option<u64>,
    /// Its consumers.
    pub consumers: Vec<ConsumerStatus>,
}

/// One consumer of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ConsumerStatus {
    /// Its name.
    pub name: String,
    /// Entries it holds unacknowledged.
    pub pending: u64,
    /// Milliseconds since it last read.
    pub idle_ms: u64,
}

/// The status of a topic (`prefix-topic`).
pub fn status(url: &BusUrl, prefix: Option<&str>, topic: &str) -> Result<TopicStatus, BusError> {
    let stream = crate::config::stream_name(prefix, topic);
    match url.backend() {
        #[cfg(feature = "redis")]
        Backend::Redis => crate::redis::admin::status(url, &stream),
        #[cfg(not(feature = "redis"))]
        Backend::Redis => {
            let _ = stream;
            Err(BusError::Unsupported("redis"))
        }
        #[cfg(feature = "kafka")]
        Backend::Kafka => crate::kafka::admin::status(url, &stream),
        #[cfg(not(feature = "kafka"))]
        Backend::Kafka => Err(BusError::Unsupported("kafka")),
    }
}

/// Moves every dead-lettered entry of a topic back into its stream (as a
/// new entry, with its original fields), oldest first; returns how many.
/// Every group of the stream sees a replayed entry again.
pub fn replay(url: &BusUrl, prefix: Option<&str>, topic: &str) -> Result<u64, BusError> {
    let stream = crate::config::stream_name(prefix, topic);
    match url.backend() {
        #[cfg(feature = "redis")]
        Backend::Redis => {
            crate::redis::admin::replay(url, &stream, &crate::dead_letter::stream(&stream))
        }
        #[cfg(not(feature = "redis"))]
        Backend::Redis => {
            let _ = stream;
            Err(BusError::Unsupported("redis"))
        }
        #[cfg(feature = "kafka")]
        Backend::Kafka => crate::kafka::admin::replay(url, &stream),
        #[cfg(not(feature = "kafka"))]
        Backend::Kafka => Err(BusError::Unsupported("kafka")),
    }
}

/// Creates topics that do not exist yet, with this many partitions each
/// (Kafka; Redis streams need no creating). Brokers such as tansu do not
/// create a topic on first use.
pub fn create_topics(url: &BusUrl, topics: &[&str], partitions: i32) -> Result<(), BusError> {
    match url.backend() {
        #[cfg(feature = "kafka")]
        Backend::Kafka => crate::kafka::admin::ensure_topics_with(url, topics, partitions),
        _ => {
            let _ = (topics, partitions);
            Ok(())
        }
    }
}
