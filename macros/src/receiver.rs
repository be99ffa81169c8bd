//! `#[receiver(SIGNAL)]`: link-time registration of a receiver function.

use proc_macro2::Span;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, Path, ReturnType};

pub fn expand_receiver(
    attr: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> syn::Result<proc_macro2::TokenStream> {
    if attr.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            "expected the signal to receive: `#[receiver(STUDENT_REGISTRATION_COMPLETED)]`",
        ));
    }
    let signal: Path = syn::parse2(attr).map_err(|e| {
        syn::Error::new(e.span(), "expected the path of a signal, e.g. `openedx_events::learning::SESSION_LOGIN_COMPLETED`")
    })?;
    let func: ItemFn = syn::parse2(item)
        .map_err(|e| syn::Error::new(e.span(), "`#[receiver]` goes on a function"))?;
    let sig = &func.sig;
    if let Some(a) = &sig.asyncness {
        return Err(syn::Error::new(
            a.span(),
            "a receiver cannot be async: sending is synchronous; hand slow work to a thread or task",
        ));
    }
    if !sig.generics.params.is_empty() {
        return Err(syn::Error::new(
            sig.generics.span(),
            "a receiver cannot be generic",
        ));
    }
    if let Some(FnArg::Receiver(r)) = sig.inputs.first() {
        return Err(syn::Error::new(
            r.span(),
            "a receiver is a free function, not a method",
        ));
    }
    if sig.inputs.len() != 2 {
        return Err(syn::Error::new(
            sig.inputs.span(),
            "a receiver takes two arguments: `(payload: &Payload, metadata: &EventMetadata)`",
        ));
    }
    if matches!(sig.output, ReturnType::Default) {
        return Err(syn::Error::new(
            sig.ident.span(),
            "a receiver returns `Result<(), openedx_hooks::BoxError>`",
        ));
    }
    let ident = &sig.ident;
    let registration = format_ident!(
        "__OPENEDX_HOOKS_RECEIVER_{}",
        ident.to_string().to_uppercase()
    );
    // Spanned on the signal and on the function name: a path that is not a
    // signal, or a payload type that is not the signal's, is reported there.
    let signal_ref = quote_spanned! {signal.span()=> &#signal};
    let receiver_ref = quote_spanned! {ident.span()=> #ident};
    Ok(quote! {
        #func

        #[::openedx_hooks::__private::linkme::distributed_slice(::openedx_hooks::__private::RECEIVERS)]
        #[linkme(crate = ::openedx_hooks::__private::linkme)]
        #[allow(non_upper_case_globals)]
        #[doc(hidden)]
        static #registration: ::openedx_hooks::__private::ReceiverRegistration = {
            const PATH: &str = ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident));
            ::openedx_hooks::__private::ReceiverRegistration {
                path: PATH,
                signal: |install| ::openedx_hooks::__private::registered(#signal_ref, PATH, #receiver_ref, install),
            }
        };
    })
}
