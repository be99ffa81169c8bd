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

/// The module as a syn file. Items are parsed one by one and put into the
/// module's syntax tree directly: wrapping their tokens in one `mod { ... }`
/// stream would copy every token once more and parse one huge buffer.
pub(super) fn module(cx: &Ctx<'_>, mi: usize, m: &Module) -> syn::Result<syn::File> {
    let (rt, rt_path) = (&cx.rt, &cx.rt_path);
    let (name, _) = ident::snake(&m.name);
    let file = cx.catalog.sources().file(m.file).name();
    let docs = doc::attrs([format!(
        "Module `{}` of the catalog, from `{file}`.",
        m.name
    )]);
    // `__rt`, `__serde` and `__Avro` cannot clash with a catalog name
    // (types are UpperCamelCase, fields and modules never start with `__`).
    let mut items: Vec<syn::Item> = syn::parse2::<syn::File>(quote! {
        #[allow(unused_imports)]
        use #rt_path as #rt;
        #[allow(unused_imports)]
        use #rt::serde as __serde;
        #[allow(unused_imports)]
        use #rt::reflect::{Field as __Field, Ty as __Ty, leaf as __leaf, zero as __zero};
        #[allow(unused_imports)]
        use #rt::Avro as __Avro;
    })?
    .items;
    let parts = m
        .scalars
        .iter()
        .map(|s| scalar::scalar(cx, m, s))
        .chain(m.enums.iter().map(|e| enumeration::enumeration(cx, m, e)))
        .chain(
            m.types
                .iter()
                .enumerate()
                .map(|(ti, t)| record::record(cx, mi, (mi, ti), t)),
        )
        .chain(m.events.iter().map(|e| event::event(cx, mi, e)))
        .chain(m.hosts.iter().map(|h| host::host(cx, mi, h)))
        .chain(m.filters.iter().map(|f| filter::filter(cx, mi, f)));
    for tokens in parts {
        items.extend(syn::parse2::<syn::File>(tokens)?.items);
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
