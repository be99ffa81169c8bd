//! Avro binary encoding of payloads, byte-compatible with the Open edX event
//! bus (`fastavro.schemaless_writer`/`schemaless_reader` with the schema
//! `openedx-hooks schema avro` writes; no container header).
//!
//! Generated types implement [`Avro`] through `#[derive(openedx_hooks::Avro)]`.
//! The Rust type decides the wire form, matching the schema mapping:
//!
//! | Rust | Avro |
//! |---|---|
//! | `String`, scalar newtypes, enums | `string` |
//! | `i64` | `long` |
//! | `f64` | `double` |
//! | `bool` | `boolean` |
//! | `Vec<u8>` | `bytes` |
//! | `Timestamp` | `string`, Python `isoformat()` (`2026-11-24T10:00:00+00:00`) |
//! | `Date` | `string`, `YYYY-MM-DD` |
//! | `Uuid` | `string`, hyphenated lower case |
//! | `JsonValue` | `string` holding compact JSON |
//! | `Option<T>` | `["null", T]` |
//! | `Vec<T>` | `array` |
//! | `BTreeMap<String, T>` | `map` |
//! | a struct | `record`, fields in order |
//!
//! Decoding trusts nothing: every length is checked against the bytes left
//! before anything is allocated, nesting is bounded, and every failure is an
//! [`AvroError`] naming the field path.
//!
//! ```
//! use openedx_hooks::wire::avro;
//!
//! #[derive(Debug, PartialEq, openedx_hooks::Avro)]
//! struct Course { key: String, seats: Option<i64>, open: bool }
//!
//! let course = Course { key: String::new(), seats: Some(0), open: false };
//! let bytes = avro::to_vec(&course);
//! assert_eq!(bytes, [0x00, 0x02, 0x00, 0x00]);
//! assert_eq!(avro::from_slice::<Course>(&bytes).unwrap(), course);
//! assert!(avro::from_slice::<Course>(&bytes[..2]).is_err());
//! ```

use std::collections::BTreeMap;
use std::fmt;

use super::isoformat;
use crate::types::{Date, JsonValue, Timestamp, Uuid};

/// How deep records may nest in decoded data (recursive types otherwise let
/// a few bytes per level exhaust the stack).
pub const MAX_DEPTH: u32 = 128;

/// Items of zero-byte encoding (`null`, empty records) one decode may read,
/// over all its arrays and maps: their count cannot be checked against the
/// bytes left.
pub const MAX_EMPTY_ITEMS: usize = 1 << 16;

/// A value with an Avro binary encoding.
pub trait Avro: Sized {
    /// The fewest bytes an encoding takes; bounds item counts read from
    /// untrusted input.
    const MIN_SIZE: usize;

    /// The Avro schema of a value written as one Avro primitive: what a
    /// leaf of a payload's descriptor is in the event's schema. Scalars,
    /// enumerations, times, UUIDs and JSON are strings in the openedx
    /// profile, hence the default; records and containers are described by
    /// their descriptors instead (see [`crate::wire::reflect::avro_schema`]).
    #[doc(hidden)]
    const SCHEMA: &'static str = "string";

    /// [`Avro::SCHEMA`] of `Vec<Self>` (overridden by `u8`: `bytes`). A
    /// list of anything else is described as a list by its descriptor.
    #[doc(hidden)]
    const VEC_SCHEMA: &'static str = "array";

    /// Appends the encoding to `out`.
    fn encode(&self, out: &mut Vec<u8>);

    /// Reads one value.
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError>;

    /// Reads past one value, without building it where the encoding allows
    /// (strings, numbers, containers of them). Only the framing is checked,
    /// not the content (a string's UTF-8, a timestamp's format): for bytes
    /// already known to decode, such as a value's own encoding being walked.
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        Self::decode(r).map(drop)
    }

    /// Encodes a slice as an Avro `array` (overridden by `u8`: `bytes`).
    #[doc(hidden)]
    fn encode_vec(items: &[Self], out: &mut Vec<u8>) {
        if !items.is_empty() {
            write_long(out, items.len() as i64);
            for item in items {
                item.encode(out);
            }
        }
        write_long(out, 0);
    }

    /// Reads past an Avro `array` (overridden by `u8`: `bytes`).
    #[doc(hidden)]
    fn skip_vec(r: &mut Reader<'_>) -> Result<(), AvroError> {
        loop {
            let count = r.block_count(Self::MIN_SIZE)?;
            if count == 0 {
                return Ok(());
            }
            for _ in 0..count {
                Self::skip(r)?;
            }
        }
    }

    /// Decodes an Avro `array` (overridden by `u8`: `bytes`).
    #[doc(hidden)]
    fn decode_vec(r: &mut Reader<'_>) -> Result<Vec<Self>, AvroError> {
        let mut items = Vec::new();
        let mut index = 0usize;
        loop {
            let count = r.block_count(Self::MIN_SIZE)?;
            if count == 0 {
                return Ok(items);
            }
            items.reserve(count);
            for _ in 0..count {
                let item = Self::decode(r).map_err(|e| e.at_index(index))?;
                items.push(item);
                index += 1;
            }
        }
    }
}

/// Encodes a value.
pub fn to_vec<T: Avro>(value: &T) -> Vec<u8> {
    // Most Open edX payloads fit: one allocation, no regrowth.
    let mut out = Vec::with_capacity(256);
    value.encode(&mut out);
    out
}

/// Decodes a value that must take up all of `bytes`.
pub fn from_slice<T: Avro>(bytes: &[u8]) -> Result<T, AvroError> {
    let mut r = Reader::new(bytes);
    let value = T::decode(&mut r)?;
    if r.remaining() > 0 {
        return Err(AvroError::new(ErrorKind::TrailingBytes(r.remaining())));
    }
    Ok(value)
}

/// What went wrong while decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ended inside a value.
    UnexpectedEnd,
    /// A variable-length integer is longer than 64 bits.
    VarintOverflow,
    /// A length or count is negative where it cannot be.
    NegativeLength(i64),
    /// A length or count claims more than the input holds.
    TooLong {
        /// What was claimed.
        claimed: u64,
        /// Bytes left.
        remaining: usize,
    },
    /// A string is not UTF-8.
    InvalidUtf8,
    /// A union branch that the type does not have.
    UnionIndex(i64),
    /// A boolean byte other than 0 or 1.
    InvalidBool(u8),
    /// Records nest deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A string that is not a valid value of the type (a timestamp, UUID,
    /// enum value, JSON text).
    InvalidValue(String),
    /// Bytes left after the value.
    TrailingBytes(usize),
}

/// A decoding failure, with the path of the field where it happened.
///
/// Boxed: decoders pass `Result<T, AvroError>` up through every field, and a
/// one-pointer error keeps those results small on the success path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvroError(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    path: String,
    kind: ErrorKind,
}

impl AvroError {
    /// An error at the current position.
    #[cold]
    pub fn new(kind: ErrorKind) -> Self {
        AvroError(Box::new(Inner {
            path: String::new(),
            kind,
        }))
    }

    /// `user.pii.email`, `items[3]`; empty at the top level.
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// What is wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// Prefixes the path with a field name (decoders unwind outwards).
    #[cold]
    pub fn at_field(mut self, name: &str) -> Self {
        let path = &mut self.0.path;
        *path = match (path.is_empty(), path.starts_with('[')) {
            (true, _) => name.to_owned(),
            (false, true) => format!("{name}{path}"),
            (false, false) => format!("{name}.{path}"),
        };
        self
    }

    #[cold]
    pub(crate) fn at_index(mut self, index: usize) -> Self {
        let path = &mut self.0.path;
        *path = if path.is_empty() || path.starts_with('[') {
            format!("[{index}]{path}")
        } else {
            format!("[{index}].{path}")
        };
        self
    }
}

impl fmt::Display for AvroError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.path.is_empty() {
            write!(f, "at `{}`: ", self.0.path)?;
        }
        match &self.0.kind {
            ErrorKind::UnexpectedEnd => f.write_str("unexpected end of input"),
            ErrorKind::VarintOverflow => f.write_str("variable-length integer over 64 bits"),
            ErrorKind::NegativeLength(n) => write!(f, "negative length {n}"),
            ErrorKind::TooLong { claimed, remaining } => {
                write!(f, "length {claimed} exceeds the {remaining} bytes left")
            }
            ErrorKind::InvalidUtf8 => f.write_str("string is not UTF-8"),
            ErrorKind::UnionIndex(i) => write!(f, "union branch {i} does not exist"),
            ErrorKind::InvalidBool(b) => write!(f, "boolean byte {b:#04x} is not 0 or 1"),
            ErrorKind::TooDeep => write!(f, "records nest deeper than {MAX_DEPTH}"),
            ErrorKind::InvalidValue(m) => f.write_str(m),
            ErrorKind::TrailingBytes(n) => write!(f, "{n} bytes left after the value"),
        }
    }
}

impl std::error::Error for AvroError {}

/// Reads Avro primitives from untrusted bytes.
#[derive(Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    depth: u32,
    empty_budget: u64,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader {
            buf,
            pos: 0,
            depth: 0,
            empty_budget: MAX_EMPTY_ITEMS as u64,
        }
    }

    /// Bytes not read yet.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    #[inline]
    fn take(&mut self, n: usize) -> Result<&'a [u8], AvroError> {
        if n > self.remaining() {
            return Err(AvroError::new(ErrorKind::UnexpectedEnd));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// A zig-zag variable-length `long`.
    #[inline]
    pub fn read_long(&mut self) -> Result<i64, AvroError> {
        // Most longs on the wire (lengths, union branches, small ids) are one byte.
        if let Some(&byte) = self.buf.get(self.pos)
            && byte < 0x80
        {
            self.pos += 1;
            return Ok(i64::from(byte >> 1) ^ -i64::from(byte & 1));
        }
        let mut value: u64 = 0;
        for i in 0..10 {
            let Some(&byte) = self.buf.get(self.pos) else {
                return Err(AvroError::new(ErrorKind::UnexpectedEnd));
            };
            self.pos += 1;
            // The tenth byte may only carry the top bit.
            if i == 9 && byte > 1 {
                return Err(AvroError::new(ErrorKind::VarintOverflow));
            }
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok((value >> 1) as i64 ^ -((value & 1) as i64));
            }
        }
        Err(AvroError::new(ErrorKind::VarintOverflow))
    }

    /// A count of items of at least `min_item` bytes each, checked against
    /// what is left. Zero-byte items (`null`, empty records) cannot be, so
    /// they draw on a budget of [`MAX_EMPTY_ITEMS`] per decode (per reader):
    /// many blocks of them cannot add up to an endless loop.
    #[inline]
    fn bounded(&mut self, count: u64, min_item: usize) -> Result<usize, AvroError> {
        let fits = if min_item == 0 {
            match self.empty_budget.checked_sub(count) {
                Some(left) => {
                    self.empty_budget = left;
                    true
                }
                None => false,
            }
        } else {
            count.saturating_mul(min_item as u64) <= self.remaining() as u64
        };
        if !fits {
            return Err(AvroError::new(ErrorKind::TooLong {
                claimed: count,
                remaining: self.remaining(),
            }));
        }
        // It fits in the input (or the budget), so in a usize.
        Ok(count as usize)
    }

    /// A byte length that must fit in what is left.
    #[inline]
    fn length(&mut self) -> Result<usize, AvroError> {
        let n = self.read_long()?;
        if n < 0 {
            return Err(AvroError::new(ErrorKind::NegativeLength(n)));
        }
        self.bounded(n as u64, 1)
    }

    /// The item count of the next array or map block (0 at the end). A
    /// negative count (allowed by the spec) is followed by the block's size.
    pub fn block_count(&mut self, min_item: usize) -> Result<usize, AvroError> {
        let n = self.read_long()?;
        let count = if n < 0 {
            let _block_bytes = self.length()?;
            n.checked_neg()
                .ok_or(AvroError::new(ErrorKind::NegativeLength(n)))?
        } else {
            n
        };
        self.bounded(count as u64, min_item)
    }

    /// Avro `bytes`.
    #[inline]
    pub fn read_bytes(&mut self) -> Result<&'a [u8], AvroError> {
        let n = self.length()?;
        self.take(n)
    }

    /// Avro `string`.
    #[inline]
    pub fn read_str(&mut self) -> Result<&'a str, AvroError> {
        let bytes = self.read_bytes()?;
        std::str::from_utf8(bytes).map_err(|_| AvroError::new(ErrorKind::InvalidUtf8))
    }

    /// Avro `string`, owned: one allocation of exactly its length.
    #[inline]
    pub fn read_string(&mut self) -> Result<String, AvroError> {
        let bytes = self.read_bytes()?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(String::from(s)),
            Err(_) => Err(AvroError::new(ErrorKind::InvalidUtf8)),
        }
    }

    /// Avro `double`.
    #[inline]
    pub fn read_double(&mut self) -> Result<f64, AvroError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    /// Avro `boolean`.
    #[inline]
    pub fn read_bool(&mut self) -> Result<bool, AvroError> {
        match self.take(1)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(AvroError::new(ErrorKind::InvalidBool(b))),
        }
    }

    /// Enters a record; fails past [`MAX_DEPTH`].
    #[inline]
    pub fn enter(&mut self) -> Result<(), AvroError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(AvroError::new(ErrorKind::TooDeep));
        }
        Ok(())
    }

    /// Leaves a record.
    #[inline]
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Decodes a record field, naming it in any error.
    #[inline]
    pub fn field<T: Avro>(&mut self, name: &str) -> Result<T, AvroError> {
        T::decode(self).map_err(|e| e.at_field(name))
    }
}

/// Appends a zig-zag variable-length `long`.
#[inline]
pub fn write_long(out: &mut Vec<u8>, n: i64) {
    let mut z = ((n << 1) ^ (n >> 63)) as u64;
    while z >= 0x80 {
        out.push((z as u8) | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
}

/// Appends Avro `bytes` (also `string`).
#[inline]
pub fn write_bytes(out: &mut Vec<u8>, b: &[u8]) {
    write_long(out, b.len() as i64);
    out.extend_from_slice(b);
}

fn invalid(what: &str, value: &str) -> AvroError {
    AvroError::new(ErrorKind::InvalidValue(format!(
        "`{value}` is not a valid {what}"
    )))
}

impl Avro for String {
    const MIN_SIZE: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        write_bytes(out, self.as_bytes());
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        r.read_bytes().map(drop)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        r.read_string()
    }
}

impl Avro for i64 {
    const MIN_SIZE: usize = 1;
    const SCHEMA: &'static str = "long";
    fn encode(&self, out: &mut Vec<u8>) {
        write_long(out, *self);
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        r.read_long().map(drop)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        r.read_long()
    }
}

impl Avro for f64 {
    const MIN_SIZE: usize = 8;
    const SCHEMA: &'static str = "double";
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        r.read_double().map(drop)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        r.read_double()
    }
}

impl Avro for bool {
    const MIN_SIZE: usize = 1;
    const SCHEMA: &'static str = "boolean";
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        r.read_bool().map(drop)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        r.read_bool()
    }
}

/// A lone `u8` is an Avro `int`; `Vec<u8>` is `bytes`.
impl Avro for u8 {
    const MIN_SIZE: usize = 1;
    const VEC_SCHEMA: &'static str = "bytes";
    fn encode(&self, out: &mut Vec<u8>) {
        write_long(out, i64::from(*self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        let n = r.read_long()?;
        u8::try_from(n).map_err(|_| invalid("byte", &n.to_string()))
    }
    fn encode_vec(items: &[Self], out: &mut Vec<u8>) {
        write_bytes(out, items);
    }
    fn skip_vec(r: &mut Reader<'_>) -> Result<(), AvroError> {
        r.read_bytes().map(drop)
    }
    fn decode_vec(r: &mut Reader<'_>) -> Result<Vec<Self>, AvroError> {
        r.read_bytes().map(<[u8]>::to_vec)
    }
}

impl<T: Avro> Avro for Vec<T> {
    const MIN_SIZE: usize = 1;
    const SCHEMA: &'static str = T::VEC_SCHEMA;
    fn encode(&self, out: &mut Vec<u8>) {
        T::encode_vec(self, out);
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        T::skip_vec(r)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        T::decode_vec(r)
    }
}

impl<T: Avro> Avro for BTreeMap<String, T> {
    const MIN_SIZE: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        if !self.is_empty() {
            write_long(out, self.len() as i64);
            for (k, v) in self {
                write_bytes(out, k.as_bytes());
                v.encode(out);
            }
        }
        write_long(out, 0);
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        loop {
            let count = r.block_count(1 + T::MIN_SIZE)?;
            if count == 0 {
                return Ok(());
            }
            for _ in 0..count {
                r.read_bytes()?;
                T::skip(r)?;
            }
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        let mut map = BTreeMap::new();
        loop {
            // Each entry holds at least a key length byte.
            let count = r.block_count(1 + T::MIN_SIZE)?;
            if count == 0 {
                return Ok(map);
            }
            for _ in 0..count {
                let key = r.read_str()?.to_owned();
                let value = T::decode(r).map_err(|e| e.at_field(&format!("[{key:?}]")))?;
                map.insert(key, value);
            }
        }
    }
}

/// `["null", T]`: branch 0 is `None`.
impl<T: Avro> Avro for Option<T> {
    const MIN_SIZE: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(2); // zig-zag 1
                v.encode(out);
            }
        }
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        match r.read_long()? {
            0 => Ok(()),
            1 => T::skip(r),
            i => Err(AvroError::new(ErrorKind::UnionIndex(i))),
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        match r.read_long()? {
            0 => Ok(None),
            1 => T::decode(r).map(Some),
            i => Err(AvroError::new(ErrorKind::UnionIndex(i))),
        }
    }
}

impl<T: Avro> Avro for Box<T> {
    const MIN_SIZE: usize = T::MIN_SIZE;
    const SCHEMA: &'static str = T::SCHEMA;
    fn encode(&self, out: &mut Vec<u8>) {
        (**self).encode(out);
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        T::skip(r)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        T::decode(r).map(Box::new)
    }
}

impl Avro for Uuid {
    const MIN_SIZE: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
        write_bytes(out, self.hyphenated().encode_lower(&mut buf).as_bytes());
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        r.read_bytes().map(drop)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        let s = r.read_str()?;
        Uuid::parse_str(s).map_err(|_| invalid("UUID", s))
    }
}

impl Avro for Timestamp {
    const MIN_SIZE: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        isoformat::with_formatted(*self, |text| write_bytes(out, text));
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        r.read_bytes().map(drop)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        let bytes = r.read_bytes()?;
        // The fast path reads ASCII only: no UTF-8 check needed when it succeeds.
        if let Some(ts) = isoformat::parse_fast_bytes(bytes) {
            return Ok(ts);
        }
        let s = std::str::from_utf8(bytes).map_err(|_| AvroError::new(ErrorKind::InvalidUtf8))?;
        parse_isoformat(s).ok_or_else(|| invalid("ISO 8601 datetime", s))
    }
}

impl Avro for Date {
    const MIN_SIZE: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        write_bytes(out, self.to_string().as_bytes());
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        r.read_bytes().map(drop)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        let s = r.read_str()?;
        s.parse::<Date>()
            .map_err(|_| invalid("date (YYYY-MM-DD)", s))
    }
}

/// JSON values travel as compact JSON text in an Avro `string`.
impl Avro for JsonValue {
    const MIN_SIZE: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        write_bytes(out, self.to_string().as_bytes());
    }
    fn skip(r: &mut Reader<'_>) -> Result<(), AvroError> {
        r.read_bytes().map(drop)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, AvroError> {
        let s = r.read_str()?;
        serde_json::from_str(s).map_err(|_| invalid("JSON text", s))
    }
}

/// A UTC timestamp as Python's `datetime.isoformat()` writes an aware UTC
/// datetime: `2026-11-24T10:00:00+00:00`, with `.ffffff` when there are
/// microseconds (nine digits if there are nanoseconds Python cannot hold).
pub fn write_isoformat(out: &mut String, ts: Timestamp) {
    isoformat::with_formatted(ts, |text| {
        out.push_str(std::str::from_utf8(text).unwrap_or_default());
    });
}

/// Parses what Python's `datetime.fromisoformat` reads from an event bus:
/// RFC 3339 with an offset or `Z`. A datetime without an offset is taken as
/// UTC (Open edX sends aware UTC datetimes; a naive one has no other meaning).
pub fn parse_isoformat(s: &str) -> Option<Timestamp> {
    if let Some(ts) = isoformat::parse_fast(s) {
        return Some(ts);
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts);
    }
    let dt = s.parse::<jiff::civil::DateTime>().ok()?;
    jiff::tz::Offset::UTC.to_timestamp(dt).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `skip` reads exactly the bytes `decode` reads, value after value.
    fn skips_like_decode<T: Avro + PartialEq + std::fmt::Debug>(values: &[T]) {
        let mut bytes = Vec::new();
        for v in values {
            v.encode(&mut bytes);
        }
        let (mut skipped, mut decoded) = (Reader::new(&bytes), Reader::new(&bytes));
        for v in values {
            T::skip(&mut skipped).expect("skips");
            assert_eq!(&T::decode(&mut decoded).expect("decodes"), v);
            assert_eq!(skipped.remaining(), decoded.remaining());
        }
        assert_eq!(skipped.remaining(), 0);
    }

    #[test]
    fn skip_reads_what_decode_reads() {
        skips_like_decode(&["".to_owned(), "ü and more".to_owned()]);
        skips_like_decode(&[0i64, -1, i64::MAX, i64::MIN]);
        skips_like_decode(&[0.0f64, -2.5, f64::MAX]);
        skips_like_decode(&[true, false]);
        skips_like_decode(&[vec![], vec![1u8, 2, 255]]);
        skips_like_decode(&[vec![], vec!["a".to_owned(), "bc".to_owned()]]);
        skips_like_decode(&[None, Some("x".to_owned())]);
        skips_like_decode(&[Box::new(7i64)]);
        let map: BTreeMap<String, Vec<i64>> =
            [("a".to_owned(), vec![1, 2]), ("b".to_owned(), vec![])].into();
        skips_like_decode(&[BTreeMap::new(), map]);
        skips_like_decode(&[Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0)]);
        skips_like_decode(&["2026-11-24T10:30:05.000250Z"
            .parse::<Timestamp>()
            .expect("ts")]);
        skips_like_decode(&["2026-11-24".parse::<Date>().expect("date")]);
        skips_like_decode(&[serde_json::json!({"a": [1, null]})]);
    }

    #[test]
    fn longs_are_zigzag_varints() {
        for (n, bytes) in [
            (0i64, vec![0x00]),
            (-1, vec![0x01]),
            (1, vec![0x02]),
            (-64, vec![0x7f]),
            (64, vec![0x80, 0x01]),
            (
                i64::MAX,
                vec![0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            ),
            (
                i64::MIN,
                vec![0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            ),
        ] {
            let mut out = Vec::new();
            write_long(&mut out, n);
            assert_eq!(out, bytes, "{n}");
            assert_eq!(Reader::new(&bytes).read_long(), Ok(n));
        }
    }

    #[test]
    fn hostile_lengths_fail_before_allocating() {
        let huge = [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert!(matches!(
            from_slice::<String>(&huge).map_err(|e| e.kind().clone()),
            Err(ErrorKind::TooLong { .. })
        ));
        assert!(matches!(
            from_slice::<Vec<i64>>(&huge).map_err(|e| e.kind().clone()),
            Err(ErrorKind::TooLong { .. })
        ));
        let eleven = [0xff; 11];
        assert_eq!(
            from_slice::<i64>(&eleven).map_err(|e| e.kind().clone()),
            Err(ErrorKind::VarintOverflow)
        );
        assert_eq!(
            from_slice::<String>(&[0x03]).map_err(|e| e.kind().clone()),
            Err(ErrorKind::NegativeLength(-2))
        );
        assert_eq!(
            from_slice::<String>(&[0x02, 0xff]).map_err(|e| e.kind().clone()),
            Err(ErrorKind::InvalidUtf8)
        );
        assert_eq!(
            from_slice::<Option<i64>>(&[0x04, 0x00]).map_err(|e| e.kind().clone()),
            Err(ErrorKind::UnionIndex(2))
        );
        assert_eq!(
            from_slice::<bool>(&[0x02]).map_err(|e| e.kind().clone()),
            Err(ErrorKind::InvalidBool(2))
        );
        assert_eq!(
            from_slice::<i64>(&[0x02, 0x00]).map_err(|e| e.kind().clone()),
            Err(ErrorKind::TrailingBytes(1))
        );
    }

    #[test]
    fn timestamps_are_written_as_python_isoformat() {
        let mut s = String::new();
        write_isoformat(&mut s, "2026-11-24T10:00:00Z".parse().expect("ts"));
        assert_eq!(s, "2026-11-24T10:00:00+00:00");
        s.clear();
        write_isoformat(&mut s, "2026-11-24T10:00:00.000250Z".parse().expect("ts"));
        assert_eq!(s, "2026-11-24T10:00:00.000250+00:00");
        assert_eq!(
            parse_isoformat("2026-11-24T11:00:00+01:00"),
            "2026-11-24T10:00:00Z".parse().ok()
        );
        assert_eq!(
            parse_isoformat("2026-11-24T10:00:00"),
            "2026-11-24T10:00:00Z".parse().ok()
        );
        assert_eq!(parse_isoformat("yesterday"), None);
    }

    #[test]
    fn json_text_round_trips_exactly() {
        // Found by fuzzing: without correctly rounded float parsing, this
        // number came back as 444.44444441444443.
        let text = "444.4444444144444";
        let mut bytes = Vec::new();
        write_bytes(&mut bytes, text.as_bytes());
        let value: JsonValue = from_slice(&bytes).expect("decodes");
        assert_eq!(to_vec(&value), bytes);
    }

    #[test]
    fn zero_byte_items_draw_on_one_budget() {
        #[derive(Debug, PartialEq, crate::Avro)]
        #[avro(crate = "crate")]
        struct Empty {}
        // Blocks of 60,000 empty records, again and again: the second block
        // passes a per-block cap but not the budget.
        let mut bytes = Vec::new();
        for _ in 0..1000 {
            write_long(&mut bytes, 60_000);
        }
        write_long(&mut bytes, 0);
        let err = from_slice::<Vec<Empty>>(&bytes).expect_err("over budget");
        assert!(matches!(err.kind(), ErrorKind::TooLong { .. }), "{err}");
        let mut ok = Vec::new();
        write_long(&mut ok, 3);
        write_long(&mut ok, 0);
        assert_eq!(from_slice::<Vec<Empty>>(&ok).expect("decodes").len(), 3);
    }

    #[test]
    fn negative_block_counts_are_read() {
        // count -2, block size 2 bytes, items 1 and 2, end.
        let bytes = [0x03, 0x04, 0x02, 0x04, 0x00];
        assert_eq!(from_slice::<Vec<i64>>(&bytes), Ok(vec![1, 2]));
    }
}
