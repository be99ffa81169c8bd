//! A payload's Avro schema, from its descriptor: what
//! `openedx_events.event_bus.avro.schema.schema_from_signal` builds, key
//! order included, in compact JSON (what a schema registry is given).
//!
//! The rules are the generator's (`openedx-hooks-codegen`'s `wire::avro`,
//! which writes the `.avsc` files); a test holds the two equal for every
//! bundled event. Deriving the text here, instead of generated code
//! carrying it per event, keeps generated files small: an event's schema
//! inlines every record it reaches.

use std::collections::HashMap;
use std::fmt::Write;

use super::{Record, Ty};

/// The Avro schema of the event `event_type` whose payload `ty` describes;
/// `None` when the payload is not a record (a hand-written payload type,
/// which has no descriptor of its fields).
///
/// ```
/// use openedx_hooks::wire::reflect::{avro_schema, Field, Record, Reflect, Ty, leaf};
///
/// struct Ping;
/// impl Reflect for Ping {
///     const TY: Ty = Ty::Record(&Record {
///         name: "Ping",
///         module: "demo",
///         names: &["count"],
///         fields: &[Field::leaf::<i64>("count")],
///     });
/// }
/// let schema = avro_schema(Ping::ty(), "org.openedx.demo.ping.v1").unwrap();
/// assert_eq!(
///     schema,
///     r#"{"name":"CloudEvent","type":"record","doc":"Avro Event Format for CloudEvents created with openedx_events/schema","fields":[{"name":"count","type":"long"}],"namespace":"org.openedx.demo.ping.v1"}"#
/// );
/// ```
pub fn avro_schema(ty: &'static Ty, event_type: &str) -> Option<String> {
    let Ty::Record(payload) = resolve(ty) else {
        return None;
    };
    let mut cx = Cx {
        seen: HashMap::new(),
        out: String::with_capacity(256),
    };
    cx.out.push_str(
        r#"{"name":"CloudEvent","type":"record","doc":"Avro Event Format for CloudEvents created with openedx_events/schema","fields":"#,
    );
    cx.fields(payload);
    cx.out.push_str(r#","namespace":"#);
    cx.text(event_type);
    cx.out.push('}');
    Some(cx.out)
}

fn resolve(mut ty: &'static Ty) -> &'static Ty {
    while let Ty::Named(f) = ty {
        ty = f();
    }
    ty
}

struct Cx {
    /// Records defined so far: the name they are referred to by → (module, name).
    seen: HashMap<String, (&'static str, &'static str)>,
    out: String,
}

impl Cx {
    fn text(&mut self, s: &str) {
        // Writing JSON text into a String cannot fail.
        let _ = write!(self.out, "{}", serde_json::Value::String(s.to_owned()));
    }

    fn fields(&mut self, r: &'static Record) {
        self.out.push('[');
        for (i, f) in r.fields.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.out.push_str(r#"{"name":"#);
            self.text(f.name);
            self.out.push_str(r#","type":"#);
            self.ty(f.ty);
            // An optional field is absent-able: `null` by default.
            if matches!(resolve(f.ty), Ty::Option(_)) {
                self.out.push_str(r#","default":null"#);
            }
            self.out.push('}');
        }
        self.out.push(']');
    }

    fn ty(&mut self, ty: &'static Ty) {
        match resolve(ty) {
            Ty::Leaf(leaf) => self.text(leaf.avro),
            Ty::Option(t) => {
                self.out.push_str(r#"["null","#);
                self.ty(t);
                self.out.push(']');
            }
            Ty::List(t) => {
                self.out.push_str(r#"{"type":"array","items":"#);
                self.ty(t);
                self.out.push('}');
            }
            Ty::Map(t) => {
                self.out.push_str(r#"{"type":"map","values":"#);
                self.ty(t);
                self.out.push('}');
            }
            Ty::Record(r) => self.record(r),
            // `resolve` looked through names.
            Ty::Named(_) => {}
        }
    }

    /// A record defined at its first use and referred to by name after; a
    /// record of another module with a name already used is qualified
    /// with its module.
    fn record(&mut self, r: &'static Record) {
        let id = (r.module, r.name);
        let namespace = match self.seen.get(r.name) {
            Some(&other) if other == id => return self.text(r.name),
            Some(_) => {
                let full = format!("{}.{}", r.module, r.name);
                if self.seen.contains_key(&full) {
                    return self.text(&full);
                }
                self.seen.insert(full, id);
                Some(r.module)
            }
            None => {
                self.seen.insert(r.name.to_owned(), id);
                None
            }
        };
        self.out.push_str(r#"{"name":"#);
        self.text(r.name);
        if let Some(ns) = namespace {
            self.out.push_str(r#","namespace":"#);
            self.text(ns);
        }
        self.out.push_str(r#","type":"record","fields":"#);
        self.fields(r);
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Leaf, Ty, leaf};
    use crate::types::{Date, JsonValue, Timestamp, Uuid};

    fn avro(ty: &'static Ty) -> &'static str {
        match ty {
            Ty::Leaf(Leaf { avro, .. }) => avro,
            _ => panic!("not a leaf"),
        }
    }

    /// Each runtime leaf type is the Avro primitive the generator writes
    /// for its catalog type.
    #[test]
    fn leaves_are_the_generator_s_primitives() {
        assert_eq!(avro(leaf::<String>()), "string");
        assert_eq!(avro(leaf::<i64>()), "long");
        assert_eq!(avro(leaf::<f64>()), "double");
        assert_eq!(avro(leaf::<bool>()), "boolean");
        assert_eq!(avro(leaf::<Vec<u8>>()), "bytes");
        assert_eq!(avro(leaf::<Timestamp>()), "string");
        assert_eq!(avro(leaf::<Date>()), "string");
        assert_eq!(avro(leaf::<Uuid>()), "string");
        assert_eq!(avro(leaf::<JsonValue>()), "string");
    }
}
