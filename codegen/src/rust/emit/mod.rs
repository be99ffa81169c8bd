//! The emitters: one per kind of catalog item, each returning the item's
//! tokens; [`module`] assembles a catalog module from them.

mod common;
mod enumeration;
mod event;
mod filter;
mod host;
mod record;
mod scalar;
mod wire;

use proc_macro2::TokenStream;
use quote::quote;

use openedx_hooks_schema::Module;

use super::{Ctx, doc, ident};

/// The tokens of the module's `i`th catalog item, in the order scalars,
/// enums, data classes, events, hosts, filters.
fn part(cx: &Ctx<'_>, mi: usize, m: &Module, mut i: usize) -> TokenStream {
    if let Some(s) = m.scalars.get(i) {
        return scalar::scalar(cx, m, s);
    }
    i -= m.scalars.len();
    if let Some(e) = m.enums.get(i) {
        return enumeration::enumeration(cx, m, e);
    }
    i -= m.enums.len();
    if let Some(t) = m.types.get(i) {
        return record::record(cx, mi, (mi, i), t);
    }
    i -= m.types.len();
    if let Some(e) = m.events.get(i) {
        return event::event(cx, mi, e);
    }
    i -= m.events.len();
    if let Some(h) = m.hosts.get(i) {
        return host::host(cx, mi, h);
    }
    i -= m.hosts.len();
    m.filters
        .get(i)
        .map_or_else(TokenStream::new, |f| filter::filter(cx, mi, f))
}

/// How many catalog items module `m` emits (each a few Rust items).
pub(super) fn part_count(m: &Module) -> usize {
    m.scalars.len()
        + m.enums.len()
        + m.types.len()
        + m.events.len()
        + m.hosts.len()
        + m.filters.len()
}

/// The module as a syn file, with the catalog items `parts` (in the order
/// scalars, enums, data classes, events, hosts, filters) and, when `head`,
/// its imports. A module is formatted in pieces on all cores: each piece
/// is the same `mod` (so the same indentation and line breaks) holding
/// some of the items, and the driver joins the pieces' bodies.
pub(super) fn module(
    cx: &Ctx<'_>,
    mi: usize,
    m: &Module,
    parts: std::ops::Range<usize>,
    head: bool,
) -> syn::Result<syn::File> {
    let (rt, rt_path) = (&cx.rt, &cx.rt_path);
    let (name, _) = ident::snake(&m.name);
    let file = cx.catalog.sources().file(m.file).name();
    let docs = doc::attrs([format!(
        "Module `{}` of the catalog, from `{file}`.",
        m.name
    )]);
    let mut items: Vec<syn::Item> = Vec::new();
    if head {
        // These `__` names cannot clash with a catalog name (types are
        // UpperCamelCase, fields and modules never start with `__`).
        items = syn::parse2::<syn::File>(quote! {
            #[allow(unused_imports)]
            use #rt_path as #rt;
            #[allow(unused_imports)]
            use #rt::serde as __serde;
            #[allow(unused_imports)]
            use #rt::reflect::{Field as __Field, Ty as __Ty, leaf as __leaf, zero as __zero};
            #[allow(unused_imports)]
            use #rt::avro::{Avro as __Avro, AvroError as __AvroError, Reader as __Reader};
        })?
        .items;
    }
    for i in parts {
        items.extend(syn::parse2::<syn::File>(part(cx, mi, m, i))?.items);
    }
    let mut module: syn::ItemMod = syn::parse2(quote! {
        #docs
        #[allow(clippy::upper_case_acronyms, clippy::enum_variant_names, clippy::large_enum_variant)]
        pub mod #name {}
    })?;
    module.content = Some((syn::token::Brace::default(), items));
    let mut file: syn::File = syn::parse2(TokenStream::new())?;
    file.items.push(syn::Item::Mod(module));
    Ok(file)
}
