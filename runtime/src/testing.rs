//! Test helpers that isolate one test from the others (a façade over the
//! hook core's thread-scoped state).
//!
//! cargo runs the tests of a binary in parallel threads of one process, so
//! process-wide receivers would see every test's events. Everything here is
//! scoped to the current thread and to a guard's lifetime: a test captures
//! the events *it* sends, connects receivers only *it* sees, and can turn
//! receiver errors and panics into test failures instead of having them
//! swallowed by robust sending.
//!
//! ```
//! use openedx_hooks::{Signal, testing};
//!
//! #[derive(Debug, Clone, PartialEq)]
//! struct Ping(u32);
//! impl openedx_hooks::Payload for Ping {}
//! static PINGED: Signal<Ping> = Signal::new("org.example.demo.ping.sent.v1", "PINGED", 1, 0);
//!
//! let _strict = testing::strict();
//! let cap = testing::capture(&PINGED);
//! let _ = PINGED.send_event(Ping(7));
//! assert_eq!(cap.payloads(), vec![Ping(7)]);
//! ```

// A façade: the state lives in the hook core, the signal parts beside
// `Signal`; this module only gathers what a test needs.
pub use crate::filter::local::{
    FilterCall, FilterRecording, LocalStep, PipelineOverride, override_pipeline,
    override_pipeline_with, record_filter,
};
pub use crate::hook::local::{Isolation, Strict, isolate, strict};
pub use crate::signal::local::{Capture, CapturedEvent, LocalConnection, capture, connect_local};
