//! The openedx-hooks runtime.
//!
//! What generated event code and plugins depend on at run time: typed
//! [`Signal`]s that platform code sends through and plugins connect receivers
//! to, [`EventMetadata`], robust dispatch with a [`SendReport`], a registry of
//! every event linked into the program ([`all_events`], [`signal_by_type`]),
//! link-time receiver registration ([`receiver`]), test helpers
//! ([`testing`]), and the event bus's wire format: Avro binary ([`avro`],
//! `#[derive(Avro)]`) and CloudEvents headers ([`bus`]). It never depends on the compiler crates
//! (`openedx-hooks-schema`, `openedx-hooks-codegen`): applications link only this.
//!
//! ```
//! use openedx_hooks::{EventMetadata, Signal, BoxError};
//!
//! #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
//! pub struct Greeting { pub name: String }
//!
//! static GREETED: Signal<Greeting> = Signal::new("org.example.demo.person.greeted.v1", "GREETED", 1, 0);
//!
//! let conn = GREETED.connect(|g: &Greeting, meta: &EventMetadata| -> Result<(), BoxError> {
//!     assert_eq!(meta.event_type, "org.example.demo.person.greeted.v1");
//!     println!("hello {}", g.name);
//!     Ok(())
//! });
//! let report = GREETED.send_event(Greeting { name: "Ada".into() });
//! assert!(report.is_ok());
//! conn.disconnect();
//! ```

pub mod avro;
pub mod bus;
mod config;
mod isoformat;
mod metadata;
mod registry;
mod report;
mod signal;
pub mod testing;
pub mod types;

pub use config::{Config, configure};
pub use metadata::EventMetadata;
#[cfg(feature = "include-catalog")]
pub use openedx_hooks_macros::include_catalog;
pub use openedx_hooks_macros::{Avro, receiver};
pub use registry::{AnySignal, PayloadError, all_events, signal_by_type};
pub use report::{Outcome, ReceiverOutcome, SendReport};
pub use signal::{Connection, ScopedConnection, Signal};

/// The error a receiver returns.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Registers a generated signal for [`all_events`] and [`signal_by_type`];
/// what generated code emits after each signal. Not a stable API.
#[doc(hidden)]
#[macro_export]
macro_rules! __register_event {
    ($signal:ident) => {
        const _: () = {
            #[$crate::__private::linkme::distributed_slice($crate::__private::EVENTS)]
            #[linkme(crate = $crate::__private::linkme)]
            static REGISTRATION: &dyn $crate::AnySignal = &$signal;
        };
    };
}

/// Items generated code and macros refer to; not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use linkme;
    pub use serde;
    pub use serde_json;

    pub use crate::registry::{EVENTS, IsSignal, RECEIVERS, ReceiverRegistration, registered};
}
