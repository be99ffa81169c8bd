//! The types generated payloads use for the catalog's built-in types, so a
//! crate of generated events needs no dependency besides this one.
//!
//! | catalog | Rust |
//! |---|---|
//! | `datetime` | [`Timestamp`] (RFC 3339 in JSON) |
//! | `date` | [`Date`] (`YYYY-MM-DD`) |
//! | `uuid` | [`Uuid`] |
//! | `json` | [`JsonValue`] |

pub use jiff::Timestamp;
pub use jiff::civil::Date;
pub use serde_json::Value as JsonValue;
pub use uuid::Uuid;
