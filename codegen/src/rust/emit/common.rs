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
pub(super) fn derives(cx: &Ctx<'_>, eq_hash: bool) -> TokenStream {
    let eq = eq_hash.then(|| quote!(Eq, Hash,));
    let extra = cx.options.extra_derives();
    quote! {
        #[derive(Debug, Clone, PartialEq, #eq __serde::Serialize, __serde::Deserialize, __Avro)]
        #extra
    }
}
