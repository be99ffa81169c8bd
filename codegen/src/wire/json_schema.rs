//! JSON Schema (2020-12) of each event payload as the runtime's JSON
//! encoding writes and reads it: data classes, scalars and enums shared
//! through `$defs` (keyed `module.Name`), optional fields (`T?` or with a
//! default) left out of `required`, defaults and examples carried over.

use openedx_hooks_schema::{Catalog, DefKind, EventDef, Field, Primitive, Type, TypeRef};
use serde_json::{Map, Value, json};

use super::SchemaFile;

/// The JSON Schema of every event payload of the catalog (not of extern
/// catalogs), in definition order.
pub fn generate_json_schema(catalog: &Catalog) -> Vec<SchemaFile> {
    catalog
        .own_events()
        .map(|(_, e)| SchemaFile {
            event_type: e.event_type.clone(),
            file_name: format!("{}.schema.json", e.event_type),
            text: super::pretty(&json_schema(catalog, e)),
        })
        .collect()
}

/// The JSON Schema of one event's payload.
pub fn json_schema(catalog: &Catalog, event: &EventDef) -> Value {
    let mut cx = Cx {
        catalog,
        defs: Map::new(),
    };
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    root.insert(
        "$id".into(),
        json!(format!("urn:openedx-event:{}", event.event_type)),
    );
    root.insert("title".into(), json!(event.name));
    if let Some(d) = &event.description {
        root.insert("description".into(), json!(d));
    }
    let body = cx.object(&event.payload);
    if let Value::Object(body) = body {
        root.extend(body);
    }
    if !cx.defs.is_empty() {
        root.insert("$defs".into(), Value::Object(cx.defs));
    }
    Value::Object(root)
}

struct Cx<'a> {
    catalog: &'a Catalog,
    defs: Map<String, Value>,
}

impl Cx<'_> {
    fn object(&mut self, fields: &[Field]) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for f in fields {
            let mut schema = self.ty(&f.ty);
            if let Value::Object(o) = &mut schema {
                if let Some(d) = &f.description {
                    o.insert("description".into(), json!(d));
                }
                if let Some(d) = &f.default {
                    o.insert("default".into(), d.to_json());
                }
                if let Some(e) = &f.example {
                    o.insert("examples".into(), json!([e.to_json()]));
                }
            }
            if !f.is_optional() {
                required.push(json!(f.name));
            }
            properties.insert(f.name.clone(), schema);
        }
        json!({"type": "object", "properties": properties, "required": required})
    }

    fn ty(&mut self, ty: &Type) -> Value {
        match ty {
            Type::Primitive(p) => match p {
                Primitive::String => json!({"type": "string"}),
                Primitive::Int => json!({"type": "integer"}),
                Primitive::Float => json!({"type": "number"}),
                Primitive::Bool => json!({"type": "boolean"}),
                Primitive::Datetime => json!({"type": "string", "format": "date-time"}),
                Primitive::Date => json!({"type": "string", "format": "date"}),
                Primitive::Uuid => json!({"type": "string", "format": "uuid"}),
                // serde writes `Vec<u8>` as an array of byte values.
                Primitive::Bytes => {
                    json!({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 255}})
                }
                Primitive::Json => json!({}),
            },
            Type::List(t) => json!({"type": "array", "items": self.ty(t)}),
            Type::Map(t) => json!({"type": "object", "additionalProperties": self.ty(t)}),
            Type::Optional(t) => json!({"anyOf": [self.ty(t), {"type": "null"}]}),
            Type::Named(r) => {
                let key = format!("{}.{}", r.module, r.name);
                if !self.defs.contains_key(&key) {
                    // Placeholder first: a recursive class refers to itself.
                    self.defs.insert(key.clone(), Value::Null);
                    let def = self.definition(r);
                    self.defs.insert(key.clone(), def);
                }
                json!({"$ref": format!("#/$defs/{key}")})
            }
        }
    }

    fn definition(&mut self, r: &TypeRef) -> Value {
        match r.kind {
            DefKind::Record => {
                let record = self.catalog.record(r);
                let mut schema = self.object(&record.fields);
                if let (Value::Object(o), Some(d)) = (&mut schema, &record.description) {
                    o.insert("description".into(), json!(d));
                }
                schema
            }
            DefKind::Scalar => {
                let s = self.catalog.scalar(r);
                let mut o = Map::new();
                o.insert("type".into(), json!("string"));
                if let Some(d) = &s.description {
                    o.insert("description".into(), json!(d));
                }
                if let Some(e) = &s.example {
                    o.insert("examples".into(), json!([e]));
                }
                Value::Object(o)
            }
            // Never in a payload of a valid catalog (`host-on-wire`).
            DefKind::Host => {
                json!({"description": format!("host type `{}`: never on the wire", r.name)})
            }
            DefKind::Enum => {
                let e = self.catalog.enumeration(r);
                let values: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
                let mut o = Map::new();
                o.insert("type".into(), json!("string"));
                o.insert("enum".into(), json!(values));
                if let Some(d) = &e.description {
                    o.insert("description".into(), json!(d));
                }
                Value::Object(o)
            }
        }
    }
}
