//! Descriptors of generated data classes and payloads, and their serde
//! implementations through them.
//!
//! A derived `Deserialize` is a few hundred lines of generic code per
//! struct, and registering an event instantiated it (and `Serialize`) for
//! every payload with the JSON deserializer of `AnySignal`: that was most of
//! the time spent compiling generated code. Generated types instead describe
//! themselves in a constant ([`Reflect::TY`]) and implement serde with
//! [`serialize`] and [`deserialize`], which translate between serde and the
//! type's own Avro encoding by walking the descriptor. The walk is compiled
//! once, in this crate, behind `erased_serde`: what is generic per type is a
//! few lines that encode or decode Avro.
//!
//! The JSON a generated type reads and writes is what serde's derive gives
//! for the same struct: fields in order, `null` for `None`, unknown keys
//! ignored, `missing field`, `duplicate field` and `invalid type` errors with
//! the same messages, sequences accepted for structs. Not a stable API:
//! generated code reaches it through `__private_v3`.

mod de;
mod schema;
mod ser;

pub use schema::avro_schema;

use serde::de::DeserializeOwned;
use serde::{Deserializer, Serialize, Serializer};

use super::avro::{self, Avro, AvroError, ErrorKind, Reader};

/// A generated type that describes its Avro encoding.
pub trait Reflect {
    /// The type's descriptor.
    const TY: Ty;

    /// [`Self::TY`](Reflect::TY) as a `'static` reference: what a field's
    /// descriptor holds ([`Ty::Named`]), looked up when used so that
    /// recursive types are no cycle of constants.
    fn ty() -> &'static Ty {
        const { &Self::TY }
    }
}

/// Implements `Serialize` and `Deserialize` for a [`Reflect`] type through
/// [`serialize`] and [`deserialize`]: what generated code writes for each
/// struct, as `__private_v3::reflect_serde!(Name);`.
#[doc(hidden)]
#[macro_export]
macro_rules! __reflect_serde {
    ($ty:ident) => {
        impl $crate::__private_v3::serde::Serialize for $ty {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private_v3::serde::Serializer,
            {
                $crate::__private_v3::reflect::serialize(self, serializer)
            }
        }
        impl<'de> $crate::__private_v3::serde::Deserialize<'de> for $ty {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__private_v3::serde::Deserializer<'de>,
            {
                $crate::__private_v3::reflect::deserialize(deserializer)
            }
        }
    };
}

/// The shape of a value's Avro encoding, as serde sees it.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum Ty {
    /// A type with its own serde and Avro implementations (strings,
    /// numbers, timestamps, scalars, enumerations, host types).
    Leaf(&'static Leaf),
    /// A struct: an Avro record.
    Record(&'static Record),
    /// Another type's descriptor, looked up when used (recursive types).
    Named(fn() -> &'static Ty),
    /// `Option<T>`: the union `["null", T]`.
    Option(&'static Ty),
    /// `Vec<T>`: an Avro array.
    List(&'static Ty),
    /// `BTreeMap<String, T>`: an Avro map.
    Map(&'static Ty),
}

/// A struct: its name and fields in order. Built with a struct literal in
/// a constant (a `const fn` could not lend its arguments `'static` life).
pub struct Record {
    /// The Rust name (serde's `struct X` in messages), which is the
    /// catalog's and the Avro record's name.
    pub name: &'static str,
    /// The catalog module defining it: two records of one name from two
    /// modules are told apart (the Avro namespace) by it.
    pub module: &'static str,
    /// The fields' serialized names (serde's `deserialize_struct` wants
    /// them as their own slice).
    pub names: &'static [&'static str],
    /// The fields.
    pub fields: &'static [Field],
}

/// One field of a [`Record`].
pub struct Field {
    /// The serialized name.
    pub name: &'static str,
    /// Its type.
    pub ty: &'static Ty,
    /// Writes the Avro of the value a missing key takes (serde's
    /// `#[serde(default)]`); `None`: a missing key is an error.
    pub default: Option<fn(&mut Vec<u8>)>,
}

impl Field {
    /// A field that must be present. Its type's descriptor must be a
    /// constant (no calls) so that it is promoted to `'static`.
    pub const fn new(name: &'static str, ty: &'static Ty) -> Self {
        Field {
            name,
            ty,
            default: None,
        }
    }

    /// A field of a type with its own serde and Avro implementations
    /// (see [`leaf`]): the common case, written shorter.
    pub const fn leaf<T>(name: &'static str) -> Self
    where
        T: Avro + Serialize + DeserializeOwned + 'static,
    {
        Field::new(name, const { &Ty::Named(leaf::<T>) })
    }

    /// A field holding a generated struct.
    pub const fn record<T: Reflect>(name: &'static str) -> Self {
        Field::new(name, const { &Ty::Named(T::ty) })
    }

    /// The field, taking what `default` writes when absent.
    pub const fn or(mut self, default: fn(&mut Vec<u8>)) -> Self {
        self.default = Some(default);
        self
    }
}

/// Reads one leaf value with serde and appends its Avro.
type LeafDe = for<'de> fn(
    &mut dyn erased_serde::Deserializer<'de>,
    &mut Vec<u8>,
) -> Result<(), erased_serde::Error>;

/// Reads one leaf value's Avro and hands the value to a serializing callback.
type LeafSer =
    fn(&mut Reader<'_>, &mut dyn FnMut(&dyn erased_serde::Serialize)) -> Result<(), AvroError>;

/// How a leaf type crosses between serde and Avro; built by [`leaf`].
pub struct Leaf {
    de: LeafDe,
    ser: LeafSer,
    /// Reads past a value (`Avro::skip`: strings and numbers without
    /// building them).
    skip: fn(&mut Reader<'_>) -> Result<(), AvroError>,
    /// Reads a value and drops it: what decoding accepts, content included.
    check: fn(&mut Reader<'_>) -> Result<(), AvroError>,
    /// The fewest bytes the Avro takes.
    min_size: usize,
    /// Its Avro schema (`Avro::SCHEMA`).
    avro: &'static str,
}

/// The descriptor of a type with its own serde and Avro implementations.
pub fn leaf<T>() -> &'static Ty
where
    T: Avro + Serialize + DeserializeOwned + 'static,
{
    const {
        &Ty::Leaf(&Leaf {
            de: leaf_de::<T>,
            ser: leaf_ser::<T>,
            skip: T::skip,
            check: check_leaf::<T>,
            min_size: T::MIN_SIZE,
            avro: T::SCHEMA,
        })
    }
}

fn leaf_de<T: Avro + DeserializeOwned>(
    d: &mut dyn erased_serde::Deserializer<'_>,
    out: &mut Vec<u8>,
) -> Result<(), erased_serde::Error> {
    erased_serde::deserialize::<T>(d)?.encode(out);
    Ok(())
}

fn leaf_ser<T: Avro + Serialize>(
    r: &mut Reader<'_>,
    f: &mut dyn FnMut(&dyn erased_serde::Serialize),
) -> Result<(), AvroError> {
    let value = T::decode(r)?;
    f(&value);
    Ok(())
}

fn check_leaf<T: Avro>(r: &mut Reader<'_>) -> Result<(), AvroError> {
    T::decode(r).map(drop)
}

/// Writes the Avro of `T::default()`: the default of a field whose default
/// is its type's zero value.
pub fn zero<T: Avro + Default>(out: &mut Vec<u8>) {
    T::default().encode(out);
}

/// Writes one zero byte: the Avro of `None`, of an empty list, map, string
/// or bytes, of `false` and of `0`, the zero values of most field types.
/// Not generic, so a default of `None` compiles no encoder of the type.
pub fn empty(out: &mut Vec<u8>) {
    out.push(0);
}

/// What a generated `Serialize` calls: the value as serde's derive would
/// serialize it, read back from its Avro encoding.
pub fn serialize<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Reflect + Avro,
    S: Serializer,
{
    let bytes = avro::to_vec(value);
    let node = ser::Node::new(T::ty(), &bytes);
    erased_serde::serialize(&node as &dyn erased_serde::Serialize, serializer)
}

/// What a generated `Deserialize` calls: reads the value as serde's derive
/// would, writing its Avro encoding, then decodes that.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: Reflect + Avro,
    D: Deserializer<'de>,
{
    use serde::de::Error;
    let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
    let mut out = Vec::new();
    de::read(T::ty(), &mut erased, &mut out).map_err(D::Error::custom)?;
    avro::from_slice(&out).map_err(D::Error::custom)
}

/// Reads a value of `ty` from any deserializer (erased), appending its
/// Avro to `out`: what [`deserialize`] does, for callers that hold a
/// descriptor instead of a type (the type-erased signal).
pub fn read_erased<'de>(
    ty: &'static Ty,
    deserializer: &mut dyn erased_serde::Deserializer<'de>,
    out: &mut Vec<u8>,
) -> Result<(), erased_serde::Error> {
    de::read(ty, deserializer, out)
}

/// The JSON of the Avro `bytes` of a value of `ty` (which the caller has
/// checked decode), as the value's `Serialize` would write it.
pub fn to_json(ty: &'static Ty, bytes: &[u8]) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::to_value(ser::Node::new(ty, bytes))
}

/// The JSON of the value at a dotted `path` (`user.pii.username`) of a
/// record's Avro, reading past the other fields without building them:
/// what an event-bus key needs from a payload. `None` as for
/// [`field_avro`].
pub fn field_json(
    ty: &'static Ty,
    bytes: &[u8],
    path: &str,
) -> Result<Option<serde_json::Value>, AvroError> {
    match field_avro(ty, bytes, path)? {
        Some((ty, value)) => to_json(ty, value)
            .map(Some)
            .map_err(|e| AvroError::new(ErrorKind::InvalidValue(e.to_string()))),
        None => Ok(None),
    }
}

/// The type and the Avro bytes of the value at a dotted `path` of a
/// record's Avro, read past the other fields without building them. The
/// bytes are that value's Avro on its own: an event-bus key, whose schema
/// is the field's, as they are. The path goes through records, and through
/// optional records that are present; `None` when the type has no such
/// field or an optional record on the way is null.
pub fn field_avro<'b>(
    ty: &'static Ty,
    bytes: &'b [u8],
    path: &str,
) -> Result<Option<(&'static Ty, &'b [u8])>, AvroError> {
    let mut r = Reader::new(bytes);
    let mut ty = ty;
    let mut names = path.split('.').peekable();
    while let Some(name) = names.next() {
        let record = loop {
            match ty {
                Ty::Named(f) => ty = f(),
                Ty::Option(inner) => match r.read_long()? {
                    0 => return Ok(None),
                    1 => ty = inner,
                    n => return Err(AvroError::new(ErrorKind::UnionIndex(n))),
                },
                Ty::Record(record) => break *record,
                _ => return Ok(None),
            }
        };
        let mut found = None;
        for f in record.fields {
            if f.name == name {
                found = Some(f);
                break;
            }
            skip(f.ty, &mut r)?;
        }
        let Some(field) = found else {
            return Ok(None);
        };
        if names.peek().is_none() {
            let start = bytes.len() - r.remaining();
            skip(field.ty, &mut r)?;
            let end = bytes.len() - r.remaining();
            return Ok(Some((field.ty, &bytes[start..end])));
        }
        ty = field.ty;
    }
    Ok(None)
}

/// Checks that `bytes` are one value of `ty` and nothing more: what
/// decoding the type accepts, refused with the same error (kind and field
/// path), as `avro::from_slice` would, without building anything but the
/// leaves. What a registered event does with bytes that no receiver in the
/// process takes typed, so the type's decoder need not be compiled for it.
pub fn check(ty: &'static Ty, bytes: &[u8]) -> Result<(), AvroError> {
    let mut r = Reader::new(bytes);
    check_value(ty, &mut r)?;
    if r.remaining() > 0 {
        return Err(AvroError::new(ErrorKind::TrailingBytes(r.remaining())));
    }
    Ok(())
}

/// How far a walk reads a leaf.
#[derive(Clone, Copy, PartialEq)]
enum Depth {
    /// Past it: only the framing is checked (`Avro::skip`).
    Framing,
    /// Decoding it: what the type's `Avro::decode` accepts.
    Content,
}

/// One value of `ty`, step for step as its `Avro::decode` reads it; errors
/// name the field path as the decoders do.
fn check_value(ty: &'static Ty, r: &mut Reader<'_>) -> Result<(), AvroError> {
    walk(ty, r, Depth::Content)
}

/// Reads past one value of `ty`.
fn skip(ty: &'static Ty, r: &mut Reader<'_>) -> Result<(), AvroError> {
    walk(ty, r, Depth::Framing)
}

fn walk(ty: &'static Ty, r: &mut Reader<'_>, depth: Depth) -> Result<(), AvroError> {
    match resolve(ty) {
        Ty::Leaf(l) => match depth {
            Depth::Framing => (l.skip)(r),
            Depth::Content => (l.check)(r),
        },
        Ty::Record(record) => {
            // Bounded nesting, as when decoding.
            r.enter()?;
            for f in record.fields {
                walk(f.ty, r, depth).map_err(|e| e.at_field(f.name))?;
            }
            r.leave();
            Ok(())
        }
        Ty::Option(inner) => match r.read_long()? {
            0 => Ok(()),
            1 => walk(inner, r, depth),
            n => Err(AvroError::new(ErrorKind::UnionIndex(n))),
        },
        Ty::List(item) => {
            let mut index = 0usize;
            loop {
                let n = r.block_count(min_size(item))?;
                if n == 0 {
                    return Ok(());
                }
                for _ in 0..n {
                    walk(item, r, depth).map_err(|e| e.at_index(index))?;
                    index += 1;
                }
            }
        }
        Ty::Map(value) => loop {
            let n = r.block_count(1 + min_size(value))?;
            if n == 0 {
                return Ok(());
            }
            for _ in 0..n {
                let key = r.read_bytes()?;
                if depth == Depth::Content && std::str::from_utf8(key).is_err() {
                    return Err(AvroError::new(ErrorKind::InvalidUtf8));
                }
                walk(value, r, depth)
                    .map_err(|e| e.at_field(&format!("[{:?}]", String::from_utf8_lossy(key))))?;
            }
        },
        Ty::Named(_) => Err(AvroError::new(ErrorKind::InvalidValue(
            "unresolved type descriptor".into(),
        ))),
    }
}

/// Follows [`Ty::Named`] links.
fn resolve(mut ty: &'static Ty) -> &'static Ty {
    while let Ty::Named(f) = ty {
        ty = f();
    }
    ty
}

/// The fewest bytes a value's Avro takes (bounds item counts when reading).
pub fn min_size(ty: &'static Ty) -> usize {
    match resolve(ty) {
        Ty::Leaf(l) => l.min_size,
        // Only fields held inline are followed: a finite type has no cycle
        // of them.
        Ty::Record(r) => r.fields.iter().map(|f| min_size(f.ty)).sum(),
        Ty::Option(_) | Ty::List(_) | Ty::Map(_) | Ty::Named(_) => 1,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn empty_is_the_zero_value_of_the_types_it_stands_for() {
        fn zero_of<T: Avro + Default>() -> Vec<u8> {
            let mut out = Vec::new();
            zero::<T>(&mut out);
            out
        }
        let mut one = Vec::new();
        empty(&mut one);
        for (name, bytes) in [
            ("Option", zero_of::<Option<String>>()),
            ("Vec", zero_of::<Vec<i64>>()),
            ("bytes", zero_of::<Vec<u8>>()),
            ("BTreeMap", zero_of::<BTreeMap<String, i64>>()),
            ("String", zero_of::<String>()),
            ("bool", zero_of::<bool>()),
            ("i64", zero_of::<i64>()),
        ] {
            assert_eq!(bytes, one, "{name}");
        }
    }
}
