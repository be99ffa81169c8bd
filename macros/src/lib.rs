//! Procedural macros of openedx-hooks.
//!
//! Thin shells: they read their input, generate the registration or
//! include the shared generator's output, and turn problems into spanned
//! `compile_error!`s. They own no catalog logic of their own; the catalog
//! macro (`include_catalog!`) arrives with the build-time generation issue.

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, Path, ReturnType};

/// Registers a function as a receiver of a signal at link time, so a plugin
/// crate connects without any change to the code that sends the event.
///
/// ```ignore
/// #[openedx_hooks::receiver(STUDENT_REGISTRATION_COMPLETED)]
/// fn on_registration(event: &StudentRegistrationCompleted, meta: &EventMetadata) -> Result<(), BoxError> {
///     Ok(())
/// }
/// ```
///
/// The receiver is connected on the signal's first send, under the path
/// `crate::module::on_registration`, which [`Config::disabled_receivers`]
/// can name to switch it off.
///
/// [`Config::disabled_receivers`]: https://docs.rs/openedx-hooks/latest/openedx_hooks/struct.Config.html
#[proc_macro_attribute]
pub fn receiver(attr: TokenStream, item: TokenStream) -> TokenStream {
    match expand_receiver(attr.into(), item.into()) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

fn expand_receiver(
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
    // Spanned on the function name: a payload type that does not match the
    // signal's is reported there.
    let connect = quote_spanned! {ident.span()=>
        let _ = (#signal).__connect_registered(PATH, #ident);
    };
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
                signal: || &#signal,
                install: || { #connect },
            }
        };
    })
}
