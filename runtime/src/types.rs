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

/// A string that is not one of an enum's values (the `FromStr` error of
/// generated enums).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a value of {type_name}")]
pub struct UnknownValue {
    /// The enum.
    pub type_name: &'static str,
    /// What was given.
    pub value: String,
}
