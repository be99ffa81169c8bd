//! Payloads built from a catalog for any of its types: typical values, or
//! the falsy ones (0, "", [], {}, absent optionals) decoders get wrong.

use openedx_hooks_schema::{Catalog, DefKind, Primitive, Type};
use serde_json::{Value, json};

/// A payload for any type: `typical` values, or `falsy` ones (0, "", [], absent optionals).
pub fn sample(catalog: &Catalog, ty: &Type, falsy: bool, depth: usize) -> Value {
    match ty {
        Type::Optional(_) if falsy || depth > 3 => Value::Null,
        Type::Optional(t) => sample(catalog, t, falsy, depth),
        Type::Primitive(p) => match (p, falsy) {
            (Primitive::String, true) => json!(""),
            (Primitive::String, false) => json!("ünïcode ✓"),
            (Primitive::Int, f) => json!(if f { 0 } else { -1234567 }),
            (Primitive::Float, f) => json!(if f { 0.0 } else { 2.5 }),
            (Primitive::Bool, f) => json!(!f),
            (Primitive::Datetime, _) => json!("2026-11-24T10:30:05.25Z"),
            (Primitive::Date, _) => json!("2026-11-24"),
            (Primitive::Uuid, _) => json!("6f1c2f6e-2d4a-4f39-9a55-0d8b7a1e2c3d"),
            (Primitive::Bytes, f) => json!(if f { vec![] } else { vec![0u8, 255, 7] }),
            (Primitive::Json, f) => {
                if f {
                    json!({})
                } else {
                    json!({"nested": [1, "two", null]})
                }
            }
        },
        Type::List(t) if falsy => json!([]),
        Type::List(t) => json!([sample(catalog, t, falsy, depth + 1)]),
        Type::Map(_) if falsy => json!({}),
        Type::Map(t) => {
            json!({"z": sample(catalog, t, falsy, depth + 1), "a": sample(catalog, t, falsy, depth + 1)})
        }
        Type::Named(r) => match r.kind {
            DefKind::Scalar => json!("course-v1:edX+DemoX+Demo_Course"),
            DefKind::Enum => json!(catalog.enumeration(r).values[0].name),
            DefKind::Host => unreachable!("payloads have no host type"),
            DefKind::Record => {
                let fields = &catalog.record(r).fields;
                Value::Object(
                    fields
                        .iter()
                        .map(|f| (f.name.clone(), sample(catalog, &f.ty, falsy, depth + 1)))
                        .collect(),
                )
            }
        },
    }
}

/// A typical (or falsy) JSON payload of every event of `catalog`, by type.
pub fn event_payloads(catalog: &Catalog, falsy: bool) -> Vec<(String, Value)> {
    catalog
        .events()
        .map(|(_, e)| {
            let fields = e
                .payload
                .iter()
                .map(|f| (f.name.clone(), sample(catalog, &f.ty, falsy, 0)))
                .collect();
            (e.event_type.clone(), Value::Object(fields))
        })
        .collect()
}
