//! What edx-event-bus-kafka puts in a message: Confluent framing around
//! schemaless Avro (`0x00`, the 4-byte big-endian schema id, the Avro), a
//! key that is the Avro of one payload field with its own schema, and the
//! schema texts as Python's `json.dumps(…, sort_keys=True)` writes them.

use serde_json::Value;

use crate::event::Malformed;

/// The framed value or key.
pub(crate) fn frame(schema_id: u32, avro: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + avro.len());
    out.push(0);
    out.extend_from_slice(&schema_id.to_be_bytes());
    out.extend_from_slice(avro);
    out
}

/// The schema id and Avro of a framed value.
pub(crate) fn unframe(bytes: &[u8]) -> Result<(u32, &[u8]), Malformed> {
    match bytes {
        [0, a, b, c, d, rest @ ..] => Ok((u32::from_be_bytes([*a, *b, *c, *d]), rest)),
        [] => Err(Malformed::new("empty message value")),
        [m, ..] if *m != 0 => Err(Malformed::new(format!(
            "message value does not start with the Confluent magic byte 0 (found {m})"
        ))),
        _ => Err(Malformed::new(
            "message value shorter than its 5-byte framing",
        )),
    }
}

/// JSON as Python's `json.dumps(value, sort_keys=True)` writes it: keys
/// sorted, `", "` and `": "` separators, non-ASCII escaped. Schema
/// registries compare schema texts: ours must be the reference's.
pub(crate) fn python_json(value: &Value) -> String {
    let mut out = String::new();
    write_python(&mut out, value);
    out
}

fn write_python(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) => {
            out.push('{');
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, k);
                out.push_str(": ");
                write_python(out, &map[k.as_str()]);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_python(out, v);
            }
            out.push(']');
        }
        Value::String(s) => write_string(out, s),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The schema of the key field at `path` (`user.pii.username`), as the
/// reference extracts it: the field's own schema object, descending through
/// record types.
pub(crate) fn key_schema(value_schema: &Value, path: &str) -> Result<Value, String> {
    let mut current = value_schema;
    for name in path.split('.') {
        if current.get("fields").is_none() {
            current = current
                .get("type")
                .ok_or_else(|| format!("cannot descend into `{name}` of {path}"))?;
        }
        let fields = current
            .get("fields")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("`{name}` of {path} is not inside a record"))?;
        current = fields
            .iter()
            .find(|f| f.get("name").and_then(Value::as_str) == Some(name))
            .ok_or_else(|| format!("no field `{name}` on the way to {path}"))?;
    }
    Ok(current.clone())
}

/// The subject name part of a key schema: its type's name (`string` for a
/// string field, as the reference registers `<topic>-string`).
pub(crate) fn key_schema_name(key_schema: &Value) -> String {
    match key_schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Object(o)) => o
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("record")
            .to_owned(),
        _ => "key".to_owned(),
    }
}

/// The Avro of a key value (a primitive, as key fields are).
pub(crate) fn encode_key(key_schema: &Value, value: &Value) -> Result<Vec<u8>, String> {
    let ty = key_schema.get("type").and_then(Value::as_str).unwrap_or("");
    let mut out = Vec::new();
    match (ty, value) {
        ("string", Value::String(s)) => {
            zigzag(&mut out, s.len() as i64);
            out.extend_from_slice(s.as_bytes());
        }
        ("long" | "int", Value::Number(n)) => {
            let n = n.as_i64().ok_or("key is not an integer")?;
            zigzag(&mut out, n);
        }
        ("boolean", Value::Bool(b)) => out.push(u8::from(*b)),
        ("double", Value::Number(n)) => {
            let f = n.as_f64().ok_or("key is not a number")?;
            out.extend_from_slice(&f.to_le_bytes());
        }
        _ => {
            return Err(format!(
                "a key of type `{ty}` with value {value} is not supported"
            ));
        }
    }
    Ok(out)
}

fn zigzag(out: &mut Vec<u8>, n: i64) {
    let mut z = ((n << 1) ^ (n >> 63)) as u64;
    while z >= 0x80 {
        out.push((z as u8) | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_json_is_sorted_and_spaced() {
        let v = json!({"type": "record", "name": "CloudEvent", "fields": [{"name": "é", "type": "string"}]});
        assert_eq!(
            python_json(&v),
            r#"{"fields": [{"name": "\u00e9", "type": "string"}], "name": "CloudEvent", "type": "record"}"#
        );
    }

    #[test]
    fn framing_round_trips_and_rejects() {
        let framed = frame(258, b"avro");
        assert_eq!(&framed[..5], &[0, 0, 0, 1, 2]);
        assert_eq!(unframe(&framed).unwrap(), (258, b"avro".as_slice()));
        assert!(unframe(&[1, 0, 0, 0, 1]).is_err());
        assert!(unframe(&[0, 0]).is_err());
    }

    #[test]
    fn key_schema_descends_records() {
        let schema = json!({"name": "CloudEvent", "type": "record", "fields": [
            {"name": "user", "type": {"name": "UserData", "type": "record", "fields": [
                {"name": "id", "type": "long"},
                {"name": "pii", "type": {"name": "P", "type": "record", "fields": [{"name": "username", "type": "string"}]}}]}}]});
        let k = key_schema(&schema, "user.pii.username").unwrap();
        assert_eq!(python_json(&k), r#"{"name": "username", "type": "string"}"#);
        assert_eq!(key_schema_name(&k), "string");
        assert_eq!(encode_key(&k, &json!("ada")).unwrap(), b"\x06ada");
        let id = key_schema(&schema, "user.id").unwrap();
        assert_eq!(encode_key(&id, &json!(-1)).unwrap(), [1]);
        assert!(key_schema(&schema, "user.nope").is_err());
    }
}
