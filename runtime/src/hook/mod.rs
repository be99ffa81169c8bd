//! The hook core: what every kind of hook needs, whatever it carries.
//!
//! A *hook* is a named place in platform code that plugins attach code to:
//! a signal (an event sent to receivers) today, a filter (a pipeline of
//! steps) beside it. Both need the same machinery, and it lives here, below
//! them, so neither special-cases the other:
//!
//! - `id`: process-unique ids for attached functions;
//! - `call`: running a plugin's function with its panic caught and turned
//!   into an [`Outcome`](crate::Outcome);
//! - `local`: the thread-scoped state of tests (functions attached for one
//!   thread, isolation from process-wide ones, strict mode);
//! - `registry`: link-time registration (`#[receiver]` and its kin) and an
//!   index of linked hooks by type string;
//! - `config`: process-wide configuration;
//! - `suggest`: the nearest known name for a mistyped one.
//!
//! Nothing here knows what a payload, a receiver or a step is.

pub(crate) mod call;
pub(crate) mod config;
pub(crate) mod id;
pub(crate) mod local;
pub(crate) mod registry;
pub(crate) mod suggest;
