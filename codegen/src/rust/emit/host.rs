//! A host type: an alias for the Rust type the platform object is bound to
//! (`RustOptions::host_type`), by default the runtime's `JsonValue`.

use proc_macro2::TokenStream;
use quote::quote;

use openedx_hooks_schema::HostDef;

use super::super::{Ctx, doc, ident};

pub(super) fn host(cx: &Ctx<'_>, mi: usize, h: &HostDef) -> TokenStream {
    let rt = &cx.rt;
    let name = ident::camel(&h.name);
    let mut lines: Vec<String> = h.description.iter().cloned().collect();
    if lines.is_empty() {
        lines.push(format!("The host type `{}`.", h.name));
    }
    if let Some(p) = &h.python {
        lines.push(String::new());
        lines.push(format!("The platform's `{p}`."));
    }
    let docs = doc::attrs(lines);
    let target: TokenStream = match cx.options.host_binding(mi, &h.name) {
        // Checked to parse as a type when the options were checked.
        Some(path) => syn::parse_str::<syn::Type>(path)
            .map(|t| quote!(#t))
            .unwrap_or_else(|_| quote!(#rt::types::JsonValue)),
        None => quote!(#rt::types::JsonValue),
    };
    quote! {
        #docs
        pub type #name = #target;
    }
}
