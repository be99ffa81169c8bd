//! serde → Avro: reading a value as serde's derive would, by its
//! descriptor, and writing its Avro encoding.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Record, Ty, resolve};
use crate::wire::avro::{write_bytes, write_long};

/// Reads one value of `ty` from `d`, appending its Avro to `out`.
pub(super) fn read<'de>(
    ty: &'static Ty,
    d: &mut dyn erased_serde::Deserializer<'de>,
    out: &mut Vec<u8>,
) -> Result<(), erased_serde::Error> {
    Seed { ty, out }.deserialize(d)
}

/// A value of `ty`, appended to `out` as Avro.
struct Seed<'a> {
    ty: &'static Ty,
    out: &'a mut Vec<u8>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let out = self.out;
        match resolve(self.ty) {
            Ty::Leaf(leaf) => {
                let mut erased = <dyn erased_serde::Deserializer>::erase(d);
                (leaf.de)(&mut erased, out).map_err(de::Error::custom)
            }
            Ty::Record(rec) => {
                d.deserialize_struct(rec.name, rec.names, RecordVisitor { rec, out })
            }
            Ty::Option(inner) => d.deserialize_option(OptionVisitor { inner, out }),
            Ty::List(inner) => d.deserialize_seq(ListVisitor { inner, out }),
            Ty::Map(inner) => d.deserialize_map(MapVisitor { inner, out }),
            Ty::Named(_) => Err(de::Error::custom("unresolved type descriptor")),
        }
    }
}

struct OptionVisitor<'a> {
    inner: &'static Ty,
    out: &'a mut Vec<u8>,
}

impl<'de> Visitor<'de> for OptionVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.out.push(0);
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        // Branch 1 of `["null", T]`, zig-zag encoded.
        self.out.push(2);
        Seed {
            ty: self.inner,
            out: self.out,
        }
        .deserialize(d)
    }
}

struct ListVisitor<'a> {
    inner: &'static Ty,
    out: &'a mut Vec<u8>,
}

impl<'de> Visitor<'de> for ListVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // One block, as `Avro for Vec` writes it: the count comes first, so
        // items go to a scratch buffer.
        let mut items = Vec::new();
        let mut count = 0i64;
        while seq
            .next_element_seed(Seed {
                ty: self.inner,
                out: &mut items,
            })?
            .is_some()
        {
            count += 1;
        }
        if count > 0 {
            write_long(self.out, count);
            self.out.extend_from_slice(&items);
        }
        write_long(self.out, 0);
        Ok(())
    }
}

struct MapVisitor<'a> {
    inner: &'static Ty,
    out: &'a mut Vec<u8>,
}

impl<'de> Visitor<'de> for MapVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // As a `BTreeMap` would hold it: sorted by key, the last of equal
        // keys kept.
        let mut values = Vec::new();
        let mut entries: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let start = values.len();
            map.next_value_seed(Seed {
                ty: self.inner,
                out: &mut values,
            })?;
            entries.insert(key, (start, values.len()));
        }
        if !entries.is_empty() {
            write_long(self.out, entries.len() as i64);
            for (key, (start, end)) in &entries {
                write_bytes(self.out, key.as_bytes());
                self.out.extend_from_slice(&values[*start..*end]);
            }
        }
        write_long(self.out, 0);
        Ok(())
    }
}

struct RecordVisitor<'a> {
    rec: &'static Record,
    out: &'a mut Vec<u8>,
}

impl<'de> Visitor<'de> for RecordVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.rec.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Keys come in any order, Avro wants the fields in theirs: each
        // value goes to a scratch buffer, its range noted.
        let fields = self.rec.fields;
        let mut values = Vec::new();
        let mut ranges: Vec<Option<(usize, usize)>> = vec![None; fields.len()];
        while let Some(key) = map.next_key_seed(FieldKey(self.rec))? {
            let Some(i) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if ranges[i].is_some() {
                return Err(de::Error::duplicate_field(fields[i].name));
            }
            let start = values.len();
            map.next_value_seed(Seed {
                ty: fields[i].ty,
                out: &mut values,
            })?;
            ranges[i] = Some((start, values.len()));
        }
        for (field, range) in fields.iter().zip(ranges) {
            match (range, field.default) {
                (Some((start, end)), _) => self.out.extend_from_slice(&values[start..end]),
                (None, Some(default)) => default(self.out),
                (None, None) => return Err(de::Error::missing_field(field.name)),
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let fields = self.rec.fields;
        for (i, field) in fields.iter().enumerate() {
            let read = seq.next_element_seed(Seed {
                ty: field.ty,
                out: &mut *self.out,
            })?;
            if read.is_none() {
                match field.default {
                    Some(default) => default(self.out),
                    None => {
                        return Err(de::Error::invalid_length(
                            i,
                            &format!("struct {} with {} elements", self.rec.name, fields.len())
                                .as_str(),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// A struct key: the field's index, `None` for a key the struct does not
/// have (ignored, as serde's derive does).
struct FieldKey(&'static Record);

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldKey {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<usize>, E> {
        Ok(usize::try_from(v).ok().filter(|&i| i < self.0.fields.len()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.fields.iter().position(|f| f.name == v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Option<usize>, E> {
        Ok(self.0.fields.iter().position(|f| f.name.as_bytes() == v))
    }
}
