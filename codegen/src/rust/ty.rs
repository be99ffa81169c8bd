//! Catalog types as Rust types: paths, boxing of recursive fields, and which
//! derives each generated type can have.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use openedx_hooks_schema::{Catalog, DefKind, Primitive, Type};

use super::{Ctx, ident};

/// Identifies a record: (module index, record index).
pub type RecordId = (usize, usize);

/// Facts about the catalog's records computed once.
pub struct Analysis {
    /// Per record: strongly connected component id, for boxing.
    scc: Vec<Vec<usize>>,
    /// Per record: whether `Eq` and `Hash` can be derived.
    eq_hash: Vec<Vec<bool>>,
    /// Per module: whether it defines a type named like a prelude type
    /// (`String`, `Vec`, `Option`, `Box`); then those need absolute paths.
    shadows: Vec<[bool; 4]>,
}

/// The prelude types generated fields use, in `Analysis::shadows` order.
const PRELUDE: [&str; 4] = ["String", "Vec", "Option", "Box"];

impl Analysis {
    pub fn new(catalog: &Catalog) -> Self {
        let modules = catalog.modules();
        // Edges a struct contains inline (no Vec/BTreeMap indirection).
        let graph = openedx_hooks_schema::scc::RecordGraph::new(modules, |f| inline_record(&f.ty));
        let comp = components(&graph.edges);
        let scc = modules
            .iter()
            .enumerate()
            .map(|(mi, m)| {
                (0..m.types.len())
                    .map(|ti| comp[graph.node((mi, ti))])
                    .collect()
            })
            .collect();
        // Eq/Hash: assume yes, then remove records reaching a float, to a fixpoint.
        let mut eq_hash: Vec<Vec<bool>> =
            modules.iter().map(|m| vec![true; m.types.len()]).collect();
        loop {
            let mut changed = false;
            for (mi, m) in modules.iter().enumerate() {
                for (ti, t) in m.types.iter().enumerate() {
                    if eq_hash[mi][ti] && !t.fields.iter().all(|f| type_eq_hash(&f.ty, &eq_hash)) {
                        eq_hash[mi][ti] = false;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let shadows = modules
            .iter()
            .map(|m| {
                let defined = |name: &str| {
                    m.scalars.iter().any(|s| s.name == name)
                        || m.enums.iter().any(|e| e.name == name)
                        || m.types.iter().any(|t| t.name == name)
                        || m.events
                            .iter()
                            .any(|e| ident::payload_struct(&e.name) == name)
                };
                PRELUDE.map(defined)
            })
            .collect();
        Analysis {
            scc,
            eq_hash,
            shadows,
        }
    }

    /// `String`, or `::std::string::String` where the module shadows it (likewise for the others).
    fn prelude(&self, from: usize, which: usize) -> TokenStream {
        let short = self.shadows.get(from).is_none_or(|s| !s[which]);
        match (which, short) {
            (0, true) => quote!(String),
            (0, false) => quote!(::std::string::String),
            (1, true) => quote!(Vec),
            (1, false) => quote!(::std::vec::Vec),
            (2, true) => quote!(Option),
            (2, false) => quote!(::std::option::Option),
            (_, true) => quote!(Box),
            (_, false) => quote!(::std::boxed::Box),
        }
    }

    /// Whether a value of `ty` inside record `owner` must be boxed.
    pub fn needs_box(&self, owner: RecordId, ty: &Type) -> bool {
        match inline_record(ty) {
            Some(target) => self.scc[target.0][target.1] == self.scc[owner.0][owner.1],
            None => false,
        }
    }

    /// Whether all of `fields`' types allow `Eq` and `Hash`.
    pub fn fields_eq_hash<'a>(&self, mut types: impl Iterator<Item = &'a Type>) -> bool {
        types.all(|t| type_eq_hash(t, &self.eq_hash))
    }
}

/// The record a field holds inline, through `?` at most.
fn inline_record(ty: &Type) -> Option<RecordId> {
    match ty.strip_optional() {
        Type::Named(r) if r.kind == DefKind::Record => Some((r.module_index, r.index)),
        _ => None,
    }
}

fn type_eq_hash(ty: &Type, records: &[Vec<bool>]) -> bool {
    match ty {
        Type::Primitive(p) => *p != Primitive::Float,
        Type::List(t) | Type::Map(t) | Type::Optional(t) => type_eq_hash(t, records),
        Type::Named(r) => r.kind != DefKind::Record || records[r.module_index][r.index],
    }
}

/// The component id of every node.
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    let mut comp = vec![0; edges.len()];
    for (id, nodes) in openedx_hooks_schema::scc::components(edges)
        .into_iter()
        .enumerate()
    {
        for n in nodes {
            comp[n] = id;
        }
    }
    comp
}

/// The Rust type of a catalog type, as seen from module `from`.
pub fn rust_type(ty: &Type, from: usize, cx: &Ctx<'_>) -> TokenStream {
    let (rt, catalog, a) = (&cx.rt, cx.catalog, cx.analysis);
    match ty {
        Type::Primitive(p) => match p {
            Primitive::String => a.prelude(from, 0),
            Primitive::Int => quote!(i64),
            Primitive::Float => quote!(f64),
            Primitive::Bool => quote!(bool),
            Primitive::Datetime => quote!(#rt::types::Timestamp),
            Primitive::Date => quote!(#rt::types::Date),
            Primitive::Uuid => quote!(#rt::types::Uuid),
            Primitive::Bytes => {
                let vec = a.prelude(from, 1);
                quote!(#vec<u8>)
            }
            Primitive::Json => quote!(#rt::types::JsonValue),
        },
        Type::List(t) => {
            let (t, vec) = (rust_type(t, from, cx), a.prelude(from, 1));
            quote!(#vec<#t>)
        }
        Type::Map(t) => {
            let (t, string) = (rust_type(t, from, cx), a.prelude(from, 0));
            quote!(::std::collections::BTreeMap<#string, #t>)
        }
        Type::Optional(t) => {
            let (t, option) = (rust_type(t, from, cx), a.prelude(from, 2));
            quote!(#option<#t>)
        }
        Type::Named(r) => {
            if let Some(path) = cx.options.externs[r.module_index] {
                return super::options::extern_type(path, &r.name);
            }
            let name = ident::camel(&r.name);
            if r.module_index == from {
                quote!(#name)
            } else {
                let (module, _) = ident::snake(&catalog.modules()[r.module_index].name);
                quote!(super::#module::#name)
            }
        }
    }
}

/// Like [`rust_type`], boxing the record inside (`Option<Box<T>>` or `Box<T>`).
pub fn boxed_type(ty: &Type, from: usize, cx: &Ctx<'_>) -> TokenStream {
    match ty {
        Type::Optional(t) => {
            let (inner, option) = (boxed_type(t, from, cx), cx.analysis.prelude(from, 2));
            quote!(#option<#inner>)
        }
        t => {
            let (inner, boxed) = (rust_type(t, from, cx), cx.analysis.prelude(from, 3));
            quote!(#boxed<#inner>)
        }
    }
}

/// A private, unique name for a field's default function.
pub fn default_fn(owner: &str, field: &str) -> proc_macro2::Ident {
    format_ident!(
        "__default_{}_{}",
        heck::ToSnakeCase::to_snake_case(owner),
        field
    )
}
