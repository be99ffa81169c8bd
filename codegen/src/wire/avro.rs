//! Avro schemas in the `openedx` profile: what
//! `openedx_events.event_bus.avro.schema.schema_from_signal` (openedx-events
//! 10.5.0) produces, key order included, extended where it refuses.
//!
//! | catalog | Avro |
//! |---|---|
//! | `string`, scalars, enums, `datetime`, `date`, `uuid` | `"string"` |
//! | `int` / `float` / `bool` / `bytes` | `"long"` / `"double"` / `"boolean"` / `"bytes"` |
//! | `list<T>` / `map<T>` | `{"type": "array", "items": T}` / `{"type": "map", "values": T}` |
//! | `T?` | `["null", T]` with `"default": null` |
//! | a data class | a record named by its bare name, defined at first use, referenced by name after |
//!
//! Extensions (the reference raises for these): `json` is a `"string"`
//! holding compact JSON text; lists and maps of records, nested lists and
//! optional items are allowed; two data classes of one name from different
//! modules get the module as Avro namespace.

use std::collections::HashMap;

use openedx_hooks_schema::{Catalog, DefKind, EventDef, Field, Primitive, Type};
use serde_json::{Map, Value, json};

use super::SchemaFile;

/// The Avro schema of every event of the catalog (not of extern
/// catalogs), in definition order.
pub fn generate_avro(catalog: &Catalog) -> Vec<SchemaFile> {
    catalog
        .own_events()
        .map(|(_, e)| SchemaFile {
            event_type: e.event_type.clone(),
            file_name: format!("{}.avsc", e.event_type),
            text: super::pretty(&avro_schema(catalog, e)),
        })
        .collect()
}

/// The Avro schema of one event.
pub fn avro_schema(catalog: &Catalog, event: &EventDef) -> Value {
    let mut cx = Cx {
        catalog,
        seen: HashMap::new(),
    };
    let fields: Vec<Value> = event.payload.iter().map(|f| cx.field(f)).collect();
    // Key order as the reference's dict: name, type, doc, fields, namespace.
    let mut top = Map::new();
    top.insert("name".into(), json!("CloudEvent"));
    top.insert("type".into(), json!("record"));
    top.insert(
        "doc".into(),
        json!("Avro Event Format for CloudEvents created with openedx_events/schema"),
    );
    top.insert("fields".into(), Value::Array(fields));
    top.insert("namespace".into(), json!(event.event_type));
    Value::Object(top)
}

struct Cx<'a> {
    catalog: &'a Catalog,
    /// Records defined so far: bare name → (module index, record index).
    seen: HashMap<String, (usize, usize)>,
}

impl Cx<'_> {
    fn field(&mut self, f: &Field) -> Value {
        let mut out = Map::new();
        out.insert("name".into(), json!(f.name));
        match &f.ty {
            Type::Optional(inner) => {
                let inner = self.ty(inner);
                out.insert("type".into(), json!(["null", inner]));
                out.insert("default".into(), Value::Null);
            }
            ty => {
                let ty = self.ty(ty);
                out.insert("type".into(), ty);
            }
        }
        Value::Object(out)
    }

    fn ty(&mut self, ty: &Type) -> Value {
        match ty {
            Type::Primitive(p) => json!(match p {
                Primitive::String
                | Primitive::Datetime
                | Primitive::Date
                | Primitive::Uuid
                | Primitive::Json => "string",
                Primitive::Int => "long",
                Primitive::Float => "double",
                Primitive::Bool => "boolean",
                Primitive::Bytes => "bytes",
            }),
            Type::List(t) => json!({"type": "array", "items": self.ty(t)}),
            Type::Map(t) => json!({"type": "map", "values": self.ty(t)}),
            Type::Optional(t) => json!(["null", self.ty(t)]),
            Type::Named(r) => match r.kind {
                // A host never reaches a payload in a valid catalog
                // (`host-on-wire`); were it to, it would be opaque text.
                DefKind::Scalar | DefKind::Enum | DefKind::Host => json!("string"),
                DefKind::Record => {
                    let id = (r.module_index, r.index);
                    let module = &self.catalog.modules()[r.module_index].name;
                    match self.seen.get(&r.name) {
                        Some(&other) if other == id => return json!(r.name),
                        // Another module's class of the same name: qualify it.
                        Some(_) => {
                            let full = format!("{module}.{}", r.name);
                            if self.seen.contains_key(&full) {
                                return json!(full);
                            }
                            self.seen.insert(full, id);
                            return self.record(r, Some(module.clone()));
                        }
                        None => {}
                    }
                    self.seen.insert(r.name.clone(), id);
                    self.record(r, None)
                }
            },
        }
    }

    fn record(&mut self, r: &openedx_hooks_schema::TypeRef, namespace: Option<String>) -> Value {
        let record = self.catalog.record(r);
        let fields: Vec<Value> = record.fields.iter().map(|f| self.field(f)).collect();
        let mut out = Map::new();
        out.insert("name".into(), json!(r.name));
        if let Some(ns) = namespace {
            out.insert("namespace".into(), json!(ns));
        }
        out.insert("type".into(), json!("record"));
        out.insert("fields".into(), Value::Array(fields));
        Value::Object(out)
    }
}
