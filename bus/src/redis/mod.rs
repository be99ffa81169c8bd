//! The Redis Streams backend, as edx-event-bus-redis speaks it.
//!
//! - `fields`: an event as an entry's fields;
//! - `conn`: connecting, retryable errors, and reading replies;
//! - `producer`: the worker that pipelines `XADD`s;
//! - `consumer`: the consumer-group loop;
//! - `admin`: status and replay.

pub(crate) mod admin;
pub(crate) mod conn;
pub(crate) mod consumer;
pub(crate) mod fields;
pub(crate) mod producer;
pub(crate) mod reader;
