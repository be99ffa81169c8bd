//! The crate's errors. None of them holds a URL's credentials: URLs are
//! printed redacted ([`BusUrl`](crate::BusUrl)).

use std::path::PathBuf;

/// Configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The bus URL does not parse or names no known backend.
    #[error("invalid bus URL: {0}")]
    Url(String),
    /// The producer configuration file cannot be read.
    #[error("cannot read {path}: {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The producer configuration does not parse.
    #[error("{path}: {message}")]
    Parse {
        /// The file (or `<inline>`).
        path: PathBuf,
        /// Where and why.
        message: String,
    },
    /// The configuration names things the program does not have; every
    /// problem found, one per line.
    #[error("invalid producer configuration:\n{}", .0.join("\n"))]
    Invalid(Vec<String>),
    /// A setting is out of range.
    #[error("invalid setting `{name}`: {message}")]
    Setting {
        /// The setting.
        name: &'static str,
        /// Why.
        message: String,
    },
}

/// What a producer or consumer could not do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BusError {
    /// Bad configuration.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The producer's queue stayed full for the configured bound: the event
    /// was not sent (and is counted as rejected).
    #[error("the producer queue is full ({capacity} events): `{event_type}` was not sent")]
    QueueFull {
        /// The event type.
        event_type: String,
        /// The queue's capacity.
        capacity: usize,
    },
    /// The producer was shut down.
    #[error("the producer is shut down")]
    Closed,
    /// The server could not be reached, or stopped answering, for longer
    /// than the configured bound.
    #[error("gave up after {attempts} attempts over {elapsed_ms} ms: {message}")]
    GaveUp {
        /// Attempts made.
        attempts: u32,
        /// Time spent.
        elapsed_ms: u128,
        /// The last error.
        message: String,
    },
    /// The server refused a command.
    #[error("the server refused `{command}`: {message}")]
    Server {
        /// The command.
        command: &'static str,
        /// The server's message.
        message: String,
    },
    /// A connection error.
    #[error("connection to {url} failed: {message}")]
    Connection {
        /// The redacted URL.
        url: String,
        /// The client's message.
        message: String,
    },
    /// `flush` did not finish in time.
    #[error("flush timed out with events still queued")]
    FlushTimeout,
    /// A type-erased send named an event that is not linked in, or whose
    /// payload does not encode.
    #[error("{0}")]
    Event(String),
    /// The schema registry refused or could not be reached.
    #[error("schema registry: {0}")]
    Registry(String),
    /// The Kafka client failed.
    #[error("kafka: {0}")]
    Kafka(String),
    /// The backend this URL needs was not compiled in.
    #[error("the `{0}` feature of openedx-hooks-bus is not enabled")]
    Unsupported(&'static str),
}
