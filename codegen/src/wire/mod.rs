//! Wire schemas: Avro (`avro.rs`) and JSON Schema (`json_schema.rs`), one
//! document per event, as strings.

pub(crate) mod avro;
mod json_schema;

pub use avro::{avro_schema, generate_avro};
pub use json_schema::{generate_json_schema, json_schema};

/// One generated schema file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaFile {
    /// The event type it describes.
    pub event_type: String,
    /// `<event_type>.avsc` or `<event_type>.schema.json`.
    pub file_name: String,
    /// The document, pretty-printed JSON ending in a newline.
    pub text: String,
}

fn pretty(value: &serde_json::Value) -> String {
    // A Value always serializes.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
