//! What every emitted type carries: derives and the serde/Avro crate paths.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::Ctx;

/// `#[serde(crate = ...)]`, and `#[avro(crate = ...)]` for a re-exported runtime.
pub(super) fn serde_attr(cx: &Ctx<'_>) -> TokenStream {
    let path = &cx.serde_crate;
    let avro = cx.avro_crate.as_ref().map(|c| quote!(#[avro(crate = #c)]));
    quote!(#[serde(crate = #path)] #avro)
}

// Derive macros live in the macro namespace: a catalog type named `Clone` or
// `Debug` cannot shadow them, so the short names are safe there (types in
// field positions, by contrast, always use absolute paths).
// Serde and Avro are implemented by `wire`, serde through serde's derive
// only for a type that asks for it (`serde_derived`).
pub(super) fn derives(cx: &Ctx<'_>, eq_hash: bool, serde_derived: bool) -> TokenStream {
    let eq = eq_hash.then(|| quote!(, Eq, Hash));
    let serde = serde_derived.then(|| quote!(, __serde::Serialize, __serde::Deserialize));
    let extra = cx.options.extra_derives();
    quote! {
        #[derive(Debug, Clone, PartialEq #eq #serde)]
        #extra
    }
}

/// Whether a struct's selected attributes include `#[serde(...)]`: those
/// mean something only to serde's derive, so the struct derives serde.
pub(super) fn serde_derived(attrs: &TokenStream) -> bool {
    for t in attrs.clone() {
        if let proc_macro2::TokenTree::Group(g) = t
            && let Some(proc_macro2::TokenTree::Ident(i)) = g.stream().into_iter().next()
            && i == "serde"
        {
            return true;
        }
    }
    false
}
