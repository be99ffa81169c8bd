//! Encoding and decoding payloads of any catalog, driven by the IR: what a
//! tool holds when it has a catalog but no generated types for it (the
//! CLI's `encode`/`decode`, bus tools reading any event). It writes exactly
//! what the generated types' `#[derive(Avro)]` writes, using the runtime's
//! primitives; `cli/tests/wire.rs` holds both to the Python reference's bytes.
//!
//! ```
//! use openedx_hooks_schema::Loader;
//!
//! let yaml = "events:\n  PINGED:\n    type: org.example.demo.ping.sent.v1\n    payload:\n      count: int\n";
//! let catalog = Loader::new().load_str("demo.yaml", yaml).catalog.unwrap();
//! let (_, event) = catalog.event_by_type("org.example.demo.ping.sent.v1").unwrap();
//! let bytes = openedx_hooks_codec::encode(&catalog, event, &serde_json::json!({"count": 2})).unwrap();
//! assert_eq!(bytes, [4]);
//! let err = openedx_hooks_codec::encode(&catalog, event, &serde_json::json!({"count": "x"})).unwrap_err();
//! assert_eq!(err.path, "count");
//! ```

use openedx_hooks::types::{Date, Timestamp, Uuid};
use openedx_hooks::wire::avro::{self, Reader, write_bytes, write_long};
use openedx_hooks_schema::ir::join_path as join;
use openedx_hooks_schema::suggest::did_you_mean;
use openedx_hooks_schema::{Catalog, DefKind, EventDef, Field, Primitive, Type, TypeRef};
use serde_json::{Map, Value};

/// A payload that does not fit the event's type, at a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CodecError {
    /// `user.pii.email`, `items[2]`; empty for the payload itself.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl std::error::Error for CodecError {}

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

fn err(path: &str, message: impl Into<String>) -> CodecError {
    CodecError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// How JSON payloads are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    allow_unknown_fields: bool,
}

impl Options {
    /// The default: a key the event's type does not have is an error.
    pub fn new() -> Self {
        Self::default()
    }

    /// Accepts (and drops) keys the event's type does not have, for
    /// payloads from newer senders. Off by default, so that a misspelled
    /// optional field is an error, never silently its default.
    pub fn allow_unknown_fields(mut self, allow: bool) -> Self {
        self.allow_unknown_fields = allow;
        self
    }
}

/// Encodes a JSON payload (the runtime's JSON form) as Avro, rejecting
/// unknown keys (see [`encode_with`]).
pub fn encode(catalog: &Catalog, event: &EventDef, payload: &Value) -> Result<Vec<u8>, CodecError> {
    encode_with(catalog, event, payload, Options::new())
}

/// Encodes a JSON payload as Avro, reading it as `options` say.
pub fn encode_with(
    catalog: &Catalog,
    event: &EventDef,
    payload: &Value,
    options: Options,
) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    Codec { catalog, options }.encode_fields(&event.payload, payload, &mut out, "")?;
    Ok(out)
}

/// Checks a JSON payload against the event and returns it in canonical form:
/// defaults filled in, datetimes and UUIDs normalized (unknown keys are
/// errors, or dropped when `options` allow them).
pub fn normalize(
    catalog: &Catalog,
    event: &EventDef,
    payload: &Value,
    options: Options,
) -> Result<Value, CodecError> {
    let bytes = encode_with(catalog, event, payload, options)?;
    decode(catalog, event, &bytes)
}

/// Decodes an Avro payload into the runtime's JSON form.
pub fn decode(catalog: &Catalog, event: &EventDef, bytes: &[u8]) -> Result<Value, CodecError> {
    let mut r = Reader::new(bytes);
    let value = Codec {
        catalog,
        options: Options::new(),
    }
    .decode_fields(&event.payload, &mut r, "")?;
    if r.remaining() > 0 {
        return Err(err(
            "",
            format!("{} bytes left after the payload", r.remaining()),
        ));
    }
    Ok(value)
}

struct Codec<'a> {
    catalog: &'a Catalog,
    options: Options,
}

impl Codec<'_> {
    fn encode_fields(
        &self,
        fields: &[Field],
        value: &Value,
        out: &mut Vec<u8>,
        path: &str,
    ) -> Result<(), CodecError> {
        let Value::Object(obj) = value else {
            return Err(err(
                path,
                format!("expected an object, found {}", kind(value)),
            ));
        };
        if !self.options.allow_unknown_fields
            && let Some(k) = obj.keys().find(|k| !fields.iter().any(|f| &f.name == *k))
        {
            let hint = did_you_mean(k, fields.iter().map(|f| f.name.as_str()))
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            return Err(err(&join(path, k), format!("unknown field `{k}`{hint}")));
        }
        for f in fields {
            let here = join(path, &f.name);
            match obj.get(&f.name) {
                Some(v) => self.encode(&f.ty, v, out, &here)?,
                None => match (&f.default, f.ty.is_optional()) {
                    (Some(d), _) => self.encode(&f.ty, &d.to_json(), out, &here)?,
                    (None, true) => out.push(0),
                    (None, false) => return Err(err(&here, "missing field")),
                },
            }
        }
        Ok(())
    }

    fn encode(
        &self,
        ty: &Type,
        v: &Value,
        out: &mut Vec<u8>,
        path: &str,
    ) -> Result<(), CodecError> {
        let expected = |what: &str| err(path, format!("expected {what}, found {}", kind(v)));
        match ty {
            Type::Optional(inner) => {
                if v.is_null() {
                    out.push(0);
                } else {
                    write_long(out, 1);
                    self.encode(inner, v, out, path)?;
                }
            }
            Type::Primitive(p) => match p {
                Primitive::String => write_bytes(
                    out,
                    v.as_str().ok_or_else(|| expected("a string"))?.as_bytes(),
                ),
                Primitive::Int => {
                    write_long(out, v.as_i64().ok_or_else(|| expected("an integer"))?)
                }
                Primitive::Float => out.extend_from_slice(
                    &v.as_f64()
                        .ok_or_else(|| expected("a number"))?
                        .to_le_bytes(),
                ),
                Primitive::Bool => out.push(u8::from(
                    v.as_bool().ok_or_else(|| expected("true or false"))?,
                )),
                Primitive::Datetime => {
                    let s = v.as_str().ok_or_else(|| expected("a datetime string"))?;
                    let ts = avro::parse_isoformat(s)
                        .ok_or_else(|| err(path, format!("`{s}` is not an ISO 8601 datetime")))?;
                    avro::Avro::encode(&ts, out);
                }
                Primitive::Date => {
                    let s = v.as_str().ok_or_else(|| expected("a date string"))?;
                    let d: Date = s
                        .parse()
                        .map_err(|_| err(path, format!("`{s}` is not a date (YYYY-MM-DD)")))?;
                    avro::Avro::encode(&d, out);
                }
                Primitive::Uuid => {
                    let s = v.as_str().ok_or_else(|| expected("a UUID string"))?;
                    let u: Uuid = s
                        .parse()
                        .map_err(|_| err(path, format!("`{s}` is not a UUID")))?;
                    avro::Avro::encode(&u, out);
                }
                Primitive::Bytes => {
                    let items = v.as_array().ok_or_else(|| expected("an array of bytes"))?;
                    let mut bytes = Vec::with_capacity(items.len());
                    for (i, b) in items.iter().enumerate() {
                        let b = b.as_u64().and_then(|b| u8::try_from(b).ok());
                        bytes.push(b.ok_or_else(|| {
                            err(&format!("{path}[{i}]"), "expected a byte (0 to 255)")
                        })?);
                    }
                    write_bytes(out, &bytes);
                }
                Primitive::Json => write_bytes(out, v.to_string().as_bytes()),
            },
            Type::List(inner) => {
                let items = v.as_array().ok_or_else(|| expected("an array"))?;
                if !items.is_empty() {
                    write_long(out, items.len() as i64);
                    for (i, item) in items.iter().enumerate() {
                        self.encode(inner, item, out, &format!("{path}[{i}]"))?;
                    }
                }
                write_long(out, 0);
            }
            Type::Map(inner) => {
                let entries = v.as_object().ok_or_else(|| expected("an object"))?;
                // The runtime's maps are BTreeMaps: keys go out sorted.
                let mut keys: Vec<&String> = entries.keys().collect();
                keys.sort();
                if !keys.is_empty() {
                    write_long(out, keys.len() as i64);
                    for k in keys {
                        write_bytes(out, k.as_bytes());
                        self.encode(inner, &entries[k], out, &format!("{path}[{k:?}]"))?;
                    }
                }
                write_long(out, 0);
            }
            Type::Named(r) => match r.kind {
                DefKind::Scalar => write_bytes(
                    out,
                    v.as_str().ok_or_else(|| expected("a string"))?.as_bytes(),
                ),
                DefKind::Enum => {
                    let s = v.as_str().ok_or_else(|| expected("a string"))?;
                    let e = self.catalog.enumeration(r);
                    if !e.values.iter().any(|x| x.name == s) {
                        return Err(err(path, format!("`{s}` is not a value of {}", e.name)));
                    }
                    write_bytes(out, s.as_bytes());
                }
                DefKind::Record => {
                    self.encode_fields(&self.catalog.record(r).fields, v, out, path)?
                }
                // A valid catalog has none in a payload (`host-on-wire`).
                DefKind::Host => {
                    return Err(err(
                        path,
                        format!("`{}` is a host type: never on the wire", r.name),
                    ));
                }
            },
        }
        Ok(())
    }

    fn decode_fields(
        &self,
        fields: &[Field],
        r: &mut Reader<'_>,
        path: &str,
    ) -> Result<Value, CodecError> {
        r.enter().map_err(|e| err(path, e.to_string()))?;
        let mut obj = Map::new();
        for f in fields {
            let v = self.decode(&f.ty, r, &join(path, &f.name))?;
            obj.insert(f.name.clone(), v);
        }
        r.leave();
        Ok(Value::Object(obj))
    }

    fn decode(&self, ty: &Type, r: &mut Reader<'_>, path: &str) -> Result<Value, CodecError> {
        let wire = |e: avro::AvroError| err(path, e.to_string());
        Ok(match ty {
            Type::Optional(inner) => match r.read_long().map_err(wire)? {
                0 => Value::Null,
                1 => self.decode(inner, r, path)?,
                i => return Err(err(path, format!("union branch {i} does not exist"))),
            },
            Type::Primitive(p) => match p {
                Primitive::String => Value::from(r.read_str().map_err(wire)?),
                Primitive::Int => Value::from(r.read_long().map_err(wire)?),
                Primitive::Float => {
                    let f = r.read_double().map_err(wire)?;
                    serde_json::Number::from_f64(f)
                        .map(Value::Number)
                        .ok_or_else(|| err(path, format!("{f} has no JSON form")))?
                }
                Primitive::Bool => Value::from(r.read_bool().map_err(wire)?),
                Primitive::Datetime => {
                    let ts: Timestamp = avro::Avro::decode(r).map_err(wire)?;
                    Value::from(ts.to_string())
                }
                Primitive::Date => {
                    let d: Date = avro::Avro::decode(r).map_err(wire)?;
                    Value::from(d.to_string())
                }
                Primitive::Uuid => {
                    let u: Uuid = avro::Avro::decode(r).map_err(wire)?;
                    Value::from(u.hyphenated().to_string())
                }
                Primitive::Bytes => Value::from(r.read_bytes().map_err(wire)?.to_vec()),
                Primitive::Json => avro::Avro::decode(r).map_err(wire)?,
            },
            Type::List(inner) => {
                let mut items = Vec::new();
                loop {
                    let count = r.block_count(self.min_size(inner, 0)).map_err(wire)?;
                    if count == 0 {
                        break Value::Array(items);
                    }
                    for _ in 0..count {
                        let here = format!("{path}[{}]", items.len());
                        items.push(self.decode(inner, r, &here)?);
                    }
                }
            }
            Type::Map(inner) => {
                let mut entries = Map::new();
                loop {
                    let count = r.block_count(1 + self.min_size(inner, 0)).map_err(wire)?;
                    if count == 0 {
                        break Value::Object(entries);
                    }
                    for _ in 0..count {
                        let key = r.read_str().map_err(wire)?.to_owned();
                        let v = self.decode(inner, r, &format!("{path}[{key:?}]"))?;
                        entries.insert(key, v);
                    }
                }
            }
            Type::Named(t) => self.decode_named(t, r, path)?,
        })
    }

    /// The fewest bytes a value of `ty` takes (as `Avro::MIN_SIZE` for the
    /// generated types), to bound item counts read from untrusted input.
    fn min_size(&self, ty: &Type, depth: usize) -> usize {
        match ty {
            Type::Primitive(Primitive::Float) => 8,
            Type::Named(r) if r.kind == DefKind::Record => {
                // Only optional or list fields can recurse; this cap is never reached.
                if depth > 64 {
                    return 0;
                }
                self.catalog
                    .record(r)
                    .fields
                    .iter()
                    .map(|f| self.min_size(&f.ty, depth + 1))
                    .sum()
            }
            _ => 1,
        }
    }

    fn decode_named(
        &self,
        t: &TypeRef,
        r: &mut Reader<'_>,
        path: &str,
    ) -> Result<Value, CodecError> {
        let wire = |e: avro::AvroError| err(path, e.to_string());
        Ok(match t.kind {
            DefKind::Scalar => Value::from(r.read_str().map_err(wire)?),
            DefKind::Enum => {
                let s = r.read_str().map_err(wire)?;
                let e = self.catalog.enumeration(t);
                if !e.values.iter().any(|x| x.name == s) {
                    return Err(err(path, format!("`{s}` is not a value of {}", e.name)));
                }
                Value::from(s)
            }
            DefKind::Record => self.decode_fields(&self.catalog.record(t).fields, r, path)?,
            DefKind::Host => {
                return Err(err(
                    path,
                    format!("`{}` is a host type: never on the wire", t.name),
                ));
            }
        })
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
