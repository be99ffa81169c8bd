//! Event-bus transports for openedx-hooks: Rust services exchange Open edX
//! events with the platform's Python services over its event bus.
//!
//! The runtime (`openedx-hooks`) owns the wire format; this crate carries
//! it. Backends are cargo features behind one API, chosen by the URL's
//! scheme, so an application switches backend by configuration:
//!
//! | feature | URL | wire-compatible with |
//! |---|---|---|
//! | `redis` (default) | `redis://`, `rediss://` (TLS) | edx-event-bus-redis 0.6.1 |
//! | `kafka` | `kafka://host:port` with a schema registry | edx-event-bus-kafka 6.1.0 |
//!
//! - [`Producer`]: sends events to topics from a bounded queue and a
//!   background worker; [`Producer::install`] makes `send_event` reach the
//!   bus for the event types a [`ProducerConfig`] (the platform's
//!   `EVENT_BUS_PRODUCER_CONFIG`) names.
//! - [`Consumer`]: a consumer-group member that hands each event to a
//!   [`Handler`] (by default [`Dispatch`]: the linked signals' local
//!   receivers), acknowledges only after it succeeded, retries with backoff
//!   and dead-letters what keeps failing or cannot be read.
//! - [`StreamReader`]: a topic's entries from a position, outside any group.
//! - [`admin`]: a topic's status, and replaying dead-lettered entries.
//!
//! Module map: `url` (redacted URLs), `config` (settings and the producer
//! configuration file), `event` (a bus event and how entries decode),
//! `handler`, `stats`, `producer`, `consumer`, `admin`, and one module per
//! backend (`redis`).

mod config;
mod consumer;
mod dead_letter;
mod error;
mod event;
mod handler;
mod producer;
mod reader;
mod retry;
mod stats;
mod url;

pub mod admin;
#[cfg(feature = "kafka")]
mod kafka;
#[cfg(feature = "redis")]
mod redis;

pub use config::{
    ConsumerSettings, ProducerConfig, ProducerSettings, StartFrom, TopicSettings, stream_name,
};
pub use consumer::{Consumer, StopHandle};
pub use error::{BusError, ConfigError};
pub use event::{BusEvent, Malformed, RawEntry, ReadEvent};
pub use handler::{Dispatch, HandleError, Handler};
pub use producer::{Delivery, Producer};
pub use reader::StreamReader;
pub use stats::{ConsumerStats, ProducerStats};
pub use url::{Backend, BusUrl};
