//! Payloads compared: fields, types and records, with record pairs
//! memoized so a data class reached by many events is compared once.

use std::collections::HashMap;
use std::rc::Rc;

use super::{Promotion, Rule};
use crate::ir::{Catalog, DefKind, Field, Primitive, Type, TypeRef, join_path as join};
use crate::source::Span;

/// What a finding inside a payload is about; the message and hint are
/// written from it once the full path is known.
#[derive(Debug, Clone)]
pub(super) enum Detail {
    FieldRemoved,
    OptionalFieldRemoved,
    FieldAddedRequired,
    FieldAddedOptional,
    FieldMadeRequired,
    FieldMadeOptional,
    DefaultChanged,
    DocsChanged,
    TypeChanged {
        from: String,
        to: String,
    },
    Renamed {
        what: &'static str,
        from: String,
        to: String,
    },
    EnumValueAdded {
        name: String,
        value: String,
    },
    EnumValueRemoved {
        name: String,
        value: String,
    },
    ScalarBase {
        name: String,
        from: String,
        to: String,
    },
}

const NEW_MAJOR: &str = "publish the change as a new event type `.v<N+1>` next to the old one";

impl Detail {
    pub(super) fn rule(&self) -> Rule {
        match self {
            Detail::FieldRemoved => Rule::FieldRemoved,
            Detail::OptionalFieldRemoved => Rule::OptionalFieldRemoved,
            Detail::FieldAddedRequired => Rule::FieldAddedRequired,
            Detail::FieldAddedOptional => Rule::FieldAddedOptional,
            Detail::FieldMadeRequired => Rule::FieldMadeRequired,
            Detail::FieldMadeOptional => Rule::FieldMadeOptional,
            Detail::DefaultChanged => Rule::FieldDefaultChanged,
            Detail::DocsChanged => Rule::DocsChanged,
            Detail::TypeChanged { .. } => Rule::FieldTypeChanged,
            Detail::Renamed { .. } => Rule::TypeRenamed,
            Detail::EnumValueAdded { .. } => Rule::EnumValueAdded,
            Detail::EnumValueRemoved { .. } => Rule::EnumValueRemoved,
            Detail::ScalarBase { .. } => Rule::ScalarBaseChanged,
        }
    }

    pub(super) fn describe(&self, path: &str) -> (String, String) {
        let keep = |what: &str| format!("keep {what}, or {NEW_MAJOR}");
        match self {
            Detail::FieldRemoved => (format!("required field `{path}` was removed"), keep("the field")),
            Detail::OptionalFieldRemoved => (
                format!("optional field `{path}` was removed"),
                "old consumers read a default or null instead; make sure they can live with it".into(),
            ),
            Detail::FieldAddedRequired => (
                format!("required field `{path}` was added"),
                format!("give it a default or make it optional (`T?`), or {NEW_MAJOR}"),
            ),
            Detail::FieldAddedOptional => (format!("optional field `{path}` was added"), "bump `minor_version`".into()),
            Detail::FieldMadeRequired => (format!("`{path}` is no longer optional"), keep("it optional")),
            Detail::FieldMadeOptional => (format!("`{path}` became optional: old consumers cannot read null"), keep("it required")),
            Detail::DefaultChanged => (
                format!("the default of `{path}` changed"),
                "consumers that relied on the old default now see another value".into(),
            ),
            Detail::DocsChanged => (format!("the description or example of `{path}` changed"), "no action needed".into()),
            Detail::TypeChanged { from, to } => (
                format!("`{path}` changed type from `{from}` to `{to}`"),
                format!("keep the type, add a new field, or {NEW_MAJOR}"),
            ),
            Detail::Renamed { what, from, to } => (
                format!("{what} `{from}` at `{path}` was renamed `{to}`"),
                "keep the name: Avro record names and the Rust API use it".into(),
            ),
            Detail::EnumValueAdded { name, value } => (
                format!("enum `{name}` at `{path}` gained the value `{value}`"),
                "old consumers fail on the new value; bump the minor version only if they are all updated first".into(),
            ),
            Detail::EnumValueRemoved { name, value } => {
                (format!("enum `{name}` at `{path}` lost the value `{value}`"), keep("the value"))
            }
            Detail::ScalarBase { name, from, to } => (format!("scalar `{name}` changed base from `{from}` to `{to}`"), NEW_MAJOR.into()),
        }
    }
}

/// A finding inside a payload, relative to the record it was found in.
#[derive(Debug, Clone)]
pub(super) struct RelFinding {
    pub(super) detail: Detail,
    /// Path from the record compared (empty: the field holding it).
    pub(super) path: String,
    pub(super) new: Option<Span>,
    pub(super) old: Option<Span>,
    pub(super) promotion: Promotion,
}

type RecordPair = (usize, usize, usize, usize);

/// Compares payloads. Each (old record, new record) pair is compared once
/// and its findings reused for every event that reaches it, so a class
/// shared by many events costs one comparison, not one per event.
pub(super) struct Differ<'a> {
    old: &'a Catalog,
    new: &'a Catalog,
    memo: HashMap<RecordPair, Rc<Vec<RelFinding>>>,
    /// Record pairs on the current path (recursive types).
    visiting: Vec<RecordPair>,
    /// The shallowest stack depth a recursion was cut back to below the
    /// current record. A result whose cycles all close at or below its own
    /// depth is the same from every path and is memoized; one whose cycle
    /// closes on an ancestor depends on the path and is not.
    cut_depth: usize,
}

impl<'a> Differ<'a> {
    pub(super) fn new(old: &'a Catalog, new: &'a Catalog) -> Self {
        Differ {
            old,
            new,
            memo: HashMap::new(),
            visiting: Vec::new(),
            cut_depth: usize::MAX,
        }
    }

    pub(super) fn fields(&mut self, old: &[Field], new: &[Field], out: &mut Vec<RelFinding>) {
        for of in old {
            match new.iter().find(|nf| nf.name == of.name) {
                Some(nf) => {
                    let start = out.len();
                    self.field(of, nf, out);
                    for f in &mut out[start..] {
                        f.path = join(&of.name, &f.path);
                    }
                }
                None => out.push(RelFinding {
                    detail: if of.is_optional() {
                        Detail::OptionalFieldRemoved
                    } else {
                        Detail::FieldRemoved
                    },
                    path: of.name.clone(),
                    new: None,
                    old: Some(of.span),
                    promotion: Promotion::None,
                }),
            }
        }
        for nf in new
            .iter()
            .filter(|nf| !old.iter().any(|of| of.name == nf.name))
        {
            out.push(RelFinding {
                detail: if nf.is_optional() {
                    Detail::FieldAddedOptional
                } else {
                    Detail::FieldAddedRequired
                },
                path: nf.name.clone(),
                new: Some(nf.span),
                old: None,
                promotion: Promotion::None,
            });
        }
    }

    /// Findings of one field pair, with paths relative to the field.
    fn field(&mut self, of: &Field, nf: &Field, out: &mut Vec<RelFinding>) {
        let at = |detail, new, old| RelFinding {
            detail,
            path: String::new(),
            new,
            old,
            promotion: Promotion::None,
        };
        if of.default != nf.default {
            out.push(at(
                Detail::DefaultChanged,
                nf.default_span.or(Some(nf.span)),
                of.default_span.or(Some(of.span)),
            ));
        }
        if (&of.description, &of.example) != (&nf.description, &nf.example) {
            out.push(at(Detail::DocsChanged, Some(nf.span), Some(of.span)));
        }
        self.types(&of.ty, &nf.ty, (of.type_span, nf.type_span), out);
    }

    fn types(&mut self, ot: &Type, nt: &Type, (os, ns): (Span, Span), out: &mut Vec<RelFinding>) {
        let at = |detail, path: &str| RelFinding {
            detail,
            path: path.to_owned(),
            new: Some(ns),
            old: Some(os),
            promotion: Promotion::None,
        };
        match (ot.is_optional(), nt.is_optional()) {
            (true, false) => out.push(at(Detail::FieldMadeRequired, "")),
            (false, true) => out.push(at(Detail::FieldMadeOptional, "")),
            _ => {}
        }
        let (ot, nt) = (ot.strip_optional(), nt.strip_optional());
        let nested = |d: &mut Self, a: &Type, b: &Type, suffix: &str, out: &mut Vec<RelFinding>| {
            let start = out.len();
            d.types(a, b, (os, ns), out);
            for f in &mut out[start..] {
                f.path = format!(
                    "{suffix}{}",
                    if f.path.is_empty() {
                        String::new()
                    } else if f.path.starts_with(['[', '{']) {
                        f.path.clone()
                    } else {
                        format!(".{}", f.path)
                    }
                );
            }
        };
        match (ot, nt) {
            (Type::Primitive(a), Type::Primitive(b)) if a == b => {}
            (Type::List(a), Type::List(b)) => nested(self, a, b, "[]", out),
            (Type::Map(a), Type::Map(b)) => nested(self, a, b, "{}", out),
            (Type::Named(a), Type::Named(b)) if a.kind == b.kind => self.named(a, b, (os, ns), out),
            _ => {
                let promotion = match (ot, nt) {
                    (Type::Primitive(Primitive::Int), Type::Primitive(Primitive::Float)) => {
                        Promotion::Widening
                    }
                    (Type::Primitive(Primitive::Float), Type::Primitive(Primitive::Int)) => {
                        Promotion::Narrowing
                    }
                    _ => Promotion::None,
                };
                out.push(RelFinding {
                    promotion,
                    ..at(
                        Detail::TypeChanged {
                            from: show(ot),
                            to: show(nt),
                        },
                        "",
                    )
                });
            }
        }
    }

    fn named(
        &mut self,
        a: &TypeRef,
        b: &TypeRef,
        (os, ns): (Span, Span),
        out: &mut Vec<RelFinding>,
    ) {
        let at = |detail, new, old| RelFinding {
            detail,
            path: String::new(),
            new,
            old,
            promotion: Promotion::None,
        };
        let renamed = a.name != b.name;
        let rename = |what| {
            at(
                Detail::Renamed {
                    what,
                    from: a.name.clone(),
                    to: b.name.clone(),
                },
                Some(ns),
                Some(os),
            )
        };
        match a.kind {
            DefKind::Record => {
                if renamed {
                    let (ro, rn) = (self.old.record(a), self.new.record(b));
                    let detail =
                        if shape_eq(self.old, self.new, &ro.fields, &rn.fields, &mut Vec::new()) {
                            rename("data class")
                        } else {
                            let detail = Detail::TypeChanged {
                                from: a.name.clone(),
                                to: b.name.clone(),
                            };
                            at(detail, Some(ns), Some(os))
                        };
                    out.push(detail);
                    return;
                }
                out.extend(self.record(a, b).iter().cloned());
            }
            DefKind::Scalar => {
                if renamed {
                    out.push(rename("scalar"));
                }
                let (so, sn) = (self.old.scalar(a), self.new.scalar(b));
                if so.base != sn.base {
                    let detail = Detail::ScalarBase {
                        name: b.name.clone(),
                        from: so.base.name().into(),
                        to: sn.base.name().into(),
                    };
                    out.push(at(detail, Some(sn.span), Some(so.span)));
                }
            }
            // Hosts are filter arguments only, never in a payload; a
            // renamed one is still a rename.
            DefKind::Host => {
                if renamed {
                    out.push(rename("host type"));
                }
            }
            DefKind::Enum => {
                if renamed {
                    out.push(rename("enum"));
                }
                let (eo, en) = (self.old.enumeration(a), self.new.enumeration(b));
                for v in en
                    .values
                    .iter()
                    .filter(|v| !eo.values.iter().any(|o| o.name == v.name))
                {
                    let detail = Detail::EnumValueAdded {
                        name: b.name.clone(),
                        value: v.name.clone(),
                    };
                    out.push(at(detail, Some(v.span), Some(eo.span)));
                }
                for v in eo
                    .values
                    .iter()
                    .filter(|v| !en.values.iter().any(|n| n.name == v.name))
                {
                    let detail = Detail::EnumValueRemoved {
                        name: b.name.clone(),
                        value: v.name.clone(),
                    };
                    out.push(at(detail, Some(en.span), Some(v.span)));
                }
            }
        }
    }

    /// The findings inside a record pair, relative to the record.
    fn record(&mut self, a: &TypeRef, b: &TypeRef) -> Rc<Vec<RelFinding>> {
        let key = (a.module_index, a.index, b.module_index, b.index);
        if let Some(done) = self.memo.get(&key) {
            return Rc::clone(done);
        }
        if let Some(depth) = self.visiting.iter().position(|k| *k == key) {
            // A recursive type: its changes are reported where the cycle starts.
            self.cut_depth = self.cut_depth.min(depth);
            return Rc::new(Vec::new());
        }
        let depth = self.visiting.len();
        let outer = std::mem::replace(&mut self.cut_depth, usize::MAX);
        self.visiting.push(key);
        let mut out = Vec::new();
        let (ro, rn) = (self.old.record(a), self.new.record(b));
        self.fields(&ro.fields, &rn.fields, &mut out);
        self.visiting.pop();
        let result = Rc::new(out);
        if self.cut_depth >= depth {
            self.memo.insert(key, Rc::clone(&result));
            self.cut_depth = outer;
        } else {
            self.cut_depth = outer.min(self.cut_depth);
        }
        result
    }
}

pub(super) fn show(t: &Type) -> String {
    match t {
        Type::Primitive(p) => p.name().to_owned(),
        Type::List(t) => format!("list<{}>", show(t)),
        Type::Map(t) => format!("map<{}>", show(t)),
        Type::Optional(t) => format!("{}?", show(t)),
        Type::Named(r) => r.name.clone(),
    }
}

/// Structural equality of two field lists (names, order, types, optionality
/// and defaults), looking through record names.
fn shape_eq(
    old: &Catalog,
    new: &Catalog,
    a: &[Field],
    b: &[Field],
    seen: &mut Vec<(usize, usize, usize, usize)>,
) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.name == y.name
                && x.default == y.default
                && type_shape_eq(old, new, &x.ty, &y.ty, seen)
        })
}

fn type_shape_eq(
    old: &Catalog,
    new: &Catalog,
    a: &Type,
    b: &Type,
    seen: &mut Vec<(usize, usize, usize, usize)>,
) -> bool {
    match (a, b) {
        (Type::Primitive(x), Type::Primitive(y)) => x == y,
        (Type::List(x), Type::List(y))
        | (Type::Map(x), Type::Map(y))
        | (Type::Optional(x), Type::Optional(y)) => type_shape_eq(old, new, x, y, seen),
        (Type::Named(x), Type::Named(y)) if x.kind == y.kind => match x.kind {
            DefKind::Record => {
                let key = (x.module_index, x.index, y.module_index, y.index);
                if seen.contains(&key) {
                    return true;
                }
                seen.push(key);
                let eq = shape_eq(old, new, &old.record(x).fields, &new.record(y).fields, seen);
                seen.pop();
                eq
            }
            DefKind::Scalar => old.scalar(x).base == new.scalar(y).base,
            DefKind::Host => x.name == y.name,
            DefKind::Enum => {
                let (ex, ey) = (old.enumeration(x), new.enumeration(y));
                ex.values.len() == ey.values.len()
                    && ex
                        .values
                        .iter()
                        .zip(&ey.values)
                        .all(|(p, q)| p.name == q.name)
            }
        },
        _ => false,
    }
}
