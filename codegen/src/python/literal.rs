//! Python literals of catalog values (defaults).

use openedx_hooks_schema::{Catalog, DefKind, Primitive, Type};
use serde_json::Value;

use super::annotate::Imports;

/// A value of a type whose Python class is not the JSON one, built with
/// that class (`datetime.fromisoformat("…")`, `UUID("…")`, `b"…"`);
/// `Ok(None)` when the JSON literal is the Python value. A value of a scalar
/// with its own Python class is `Err(scalar name)`: its constructor is not
/// known here, and a `str` where the class is expected would be wrong.
pub(crate) fn typed_value(
    catalog: &Catalog,
    ty: &Type,
    v: &Value,
    imports: &mut Imports,
) -> Result<Option<String>, String> {
    let mut ty = ty;
    while let Type::Optional(inner) = ty {
        ty = inner;
    }
    let text = |v: &Value| v.as_str().map(|s| Value::String(s.to_owned()).to_string());
    Ok(match (ty, v) {
        (_, Value::Null) => Some("None".to_owned()),
        (Type::Primitive(Primitive::Datetime), Value::String(_)) => {
            imports.from("datetime", "datetime");
            text(v).map(|t| format!("datetime.fromisoformat({t})"))
        }
        (Type::Primitive(Primitive::Date), Value::String(_)) => {
            imports.from("datetime", "date");
            text(v).map(|t| format!("date.fromisoformat({t})"))
        }
        (Type::Primitive(Primitive::Uuid), Value::String(_)) => {
            imports.from("uuid", "UUID");
            text(v).map(|t| format!("UUID({t})"))
        }
        (Type::Primitive(Primitive::Bytes), Value::String(s)) => Some(bytes_literal(s.as_bytes())),
        (Type::Named(r), Value::String(_))
            if r.kind == DefKind::Scalar && catalog.scalar(r).python.is_some() =>
        {
            return Err(r.name.clone());
        }
        _ => None,
    })
}

/// A Python bytes literal.
fn bytes_literal(b: &[u8]) -> String {
    let mut out = String::from("b\"");
    for &c in b {
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(c as char),
            _ => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push('"');
    out
}

/// A JSON value as a Python literal.
pub(crate) fn python_value(v: &Value) -> String {
    match v {
        Value::Null => "None".to_owned(),
        Value::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
        Value::Number(n) => n.to_string(),
        // JSON string escapes are Python's too.
        Value::String(s) => Value::String(s.clone()).to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(python_value)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), python_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
