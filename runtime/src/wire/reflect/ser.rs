//! Avro → serde: a value's Avro encoding serialized as serde's derive would
//! serialize the value, by its descriptor.

use serde::ser::{self, Error as _, SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::{Ty, min_size, resolve};
use crate::wire::avro::{AvroError, ErrorKind, Reader};

/// The Avro of one value of `ty`, exactly its bytes.
pub(super) struct Node<'a> {
    ty: &'static Ty,
    bytes: &'a [u8],
}

impl<'a> Node<'a> {
    pub(super) fn new(ty: &'static Ty, bytes: &'a [u8]) -> Self {
        Node { ty, bytes }
    }
}

/// Where `r` is in `bytes`.
fn position(bytes: &[u8], r: &Reader<'_>) -> usize {
    bytes.len() - r.remaining()
}

/// Reads past one value of `ty`.
fn skip(ty: &'static Ty, r: &mut Reader<'_>) -> Result<(), AvroError> {
    match resolve(ty) {
        Ty::Leaf(leaf) => (leaf.skip)(r),
        Ty::Record(rec) => rec.fields.iter().try_for_each(|f| skip(f.ty, r)),
        Ty::Option(inner) => match r.read_long()? {
            0 => Ok(()),
            1 => skip(inner, r),
            i => Err(AvroError::new(ErrorKind::UnionIndex(i))),
        },
        Ty::List(inner) => blocks(r, min_size(inner), |r| skip(inner, r)),
        Ty::Map(inner) => blocks(r, 1 + min_size(inner), |r| {
            r.read_str()?;
            skip(inner, r)
        }),
        Ty::Named(_) => Err(unresolved()),
    }
}

/// Calls `item` for every item of an Avro array or map.
fn blocks<'a>(
    r: &mut Reader<'a>,
    min_item: usize,
    mut item: impl FnMut(&mut Reader<'a>) -> Result<(), AvroError>,
) -> Result<(), AvroError> {
    loop {
        let count = r.block_count(min_item)?;
        if count == 0 {
            return Ok(());
        }
        for _ in 0..count {
            item(r)?;
        }
    }
}

fn unresolved() -> AvroError {
    AvroError::new(ErrorKind::InvalidValue(
        "unresolved type descriptor".to_owned(),
    ))
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bytes = self.bytes;
        let mut r = Reader::new(bytes);
        match resolve(self.ty) {
            Ty::Leaf(leaf) => {
                let mut s = Some(s);
                let mut done = None;
                (leaf.ser)(&mut r, &mut |value| {
                    if let Some(s) = s.take() {
                        done = Some(erased_serde::serialize(value, s));
                    }
                })
                .map_err(S::Error::custom)?;
                done.unwrap_or_else(|| Err(S::Error::custom("a leaf serialized nothing")))
            }
            Ty::Record(rec) => {
                let mut st = s.serialize_struct(rec.name, rec.fields.len())?;
                for f in rec.fields {
                    let start = position(bytes, &r);
                    skip(f.ty, &mut r).map_err(S::Error::custom)?;
                    let node = Node::new(f.ty, &bytes[start..position(bytes, &r)]);
                    st.serialize_field(f.name, &node)?;
                }
                st.end()
            }
            Ty::Option(inner) => match r.read_long().map_err(S::Error::custom)? {
                0 => s.serialize_none(),
                1 => s.serialize_some(&Node::new(inner, &bytes[position(bytes, &r)..])),
                i => Err(S::Error::custom(AvroError::new(ErrorKind::UnionIndex(i)))),
            },
            Ty::List(inner) => {
                // Serde wants the length first: find the items, then write.
                let mut items = Vec::new();
                blocks(&mut r, min_size(inner), |r| {
                    let start = position(bytes, r);
                    skip(inner, r)?;
                    items.push(&bytes[start..position(bytes, r)]);
                    Ok(())
                })
                .map_err(S::Error::custom)?;
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Node::new(inner, item))?;
                }
                seq.end()
            }
            Ty::Map(inner) => {
                let mut entries = Vec::new();
                blocks(&mut r, 1 + min_size(inner), |r| {
                    let key = r.read_str()?;
                    let start = position(bytes, r);
                    skip(inner, r)?;
                    entries.push((key, &bytes[start..position(bytes, r)]));
                    Ok(())
                })
                .map_err(S::Error::custom)?;
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, &Node::new(inner, value))?;
                }
                map.end()
            }
            Ty::Named(_) => Err(ser::Error::custom(unresolved())),
        }
    }
}
