//! The Python reference's interop vectors (`tests/vectors/`), for the tests
//! of every crate that checks itself against them.

use std::path::PathBuf;

use serde_json::Value;

/// `tests/vectors/`.
pub fn dir() -> PathBuf {
    crate::tests_dir().join("vectors")
}

/// Every `tests/vectors/avro/<event_type>.json`, parsed, sorted by file name.
pub fn avro_files() -> Vec<Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir().join("avro"))
        .expect("vectors")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| serde_json::from_str(&std::fs::read_to_string(f).expect("read")).expect("json"))
        .collect()
}

/// One vector file by event type.
pub fn avro_file(event_type: &str) -> Value {
    let path = dir().join("avro").join(format!("{event_type}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

/// `tests/vectors/headers.json`.
pub fn headers() -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join("headers.json")).expect("read"))
        .expect("json")
}

/// The bytes of a hex string.
pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Timestamps compared as instants: Python writes `+00:00`, serde `Z`.
pub fn canonical(v: &Value) -> Value {
    match v {
        Value::String(s) => match s.parse::<jiff::Timestamp>() {
            Ok(ts) if s.contains('T') => Value::String(ts.to_string()),
            _ => v.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), canonical(v))).collect())
        }
        _ => v.clone(),
    }
}
