//! `#[receiver(SIGNAL)]`: link-time registration of a receiver function.
//!
//! The function is parsed with syn's `derive` features only (a signature
//! scan, not a full `ItemFn`), so an application that depends on the
//! runtime without `include-catalog` never compiles syn's "full" parser.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Attribute, Ident, Path, ReturnType, Token, Visibility};

/// What the checks need of the function; the item itself is re-emitted as
/// written.
struct Signature {
    asyncness: Option<Token![async]>,
    ident: Ident,
    generics: Option<Span>,
    /// Each argument's first token; whether it is a `self` receiver.
    inputs: Vec<(Span, bool)>,
    /// The parentheses, for an error about zero arguments.
    parens: Span,
    output: ReturnType,
}

fn signature(input: ParseStream) -> syn::Result<Signature> {
    input.call(Attribute::parse_outer)?;
    input.parse::<Visibility>()?;
    input.parse::<Option<Token![const]>>()?;
    let asyncness: Option<Token![async]> = input.parse()?;
    input.parse::<Option<Token![unsafe]>>()?;
    if input.peek(Token![extern]) {
        input.parse::<Token![extern]>()?;
        input.parse::<Option<syn::LitStr>>()?;
    }
    input.parse::<Token![fn]>()?;
    let ident: Ident = input.parse()?;
    let generics = if input.peek(Token![<]) {
        let g: syn::Generics = input.parse()?;
        Some(g.span())
    } else {
        None
    };
    let content;
    let parens = syn::parenthesized!(content in input).span.join();
    let mut inputs = Vec::new();
    while !content.is_empty() {
        let first = content.span();
        let mut is_self = false;
        // The pattern: every token up to the `:` before the type (a `self`
        // receiver has none).
        while !content.is_empty() && !content.peek(Token![,]) {
            if content.peek(Token![:]) && !content.peek(Token![::]) {
                content.parse::<Token![:]>()?;
                content.parse::<syn::Type>()?;
                break;
            }
            let tt: TokenTree = content.parse()?;
            if matches!(&tt, TokenTree::Ident(i) if i == "self") {
                is_self = true;
            }
        }
        inputs.push((first, is_self));
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    let output: ReturnType = input.parse()?;
    if input.peek(Token![where]) {
        input.parse::<syn::WhereClause>()?;
    }
    let _body: proc_macro2::Group = input.parse()?;
    Ok(Signature {
        asyncness,
        ident,
        generics,
        inputs,
        parens,
        output,
    })
}

pub fn expand_receiver(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    if attr.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            "expected the signal to receive: `#[receiver(STUDENT_REGISTRATION_COMPLETED)]`",
        ));
    }
    let signal: Path = syn::parse2(attr).map_err(|e| {
        syn::Error::new(e.span(), "expected the path of a signal, e.g. `openedx_events::learning::SESSION_LOGIN_COMPLETED`")
    })?;
    let func = item.clone();
    let sig = signature
        .parse2(item)
        .map_err(|e| syn::Error::new(e.span(), "`#[receiver]` goes on a function"))?;
    if let Some(a) = &sig.asyncness {
        return Err(syn::Error::new(
            a.span(),
            "a receiver cannot be async: sending is synchronous; hand slow work to a thread or task",
        ));
    }
    if let Some(span) = sig.generics {
        return Err(syn::Error::new(span, "a receiver cannot be generic"));
    }
    if let Some((span, true)) = sig.inputs.first() {
        return Err(syn::Error::new(
            *span,
            "a receiver is a free function, not a method",
        ));
    }
    if sig.inputs.len() != 2 {
        return Err(syn::Error::new(
            sig.inputs.first().map_or(sig.parens, |(span, _)| *span),
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

        #[::openedx_hooks::__private_v1::linkme::distributed_slice(::openedx_hooks::__private_v1::RECEIVERS)]
        #[linkme(crate = ::openedx_hooks::__private_v1::linkme)]
        #[allow(non_upper_case_globals)]
        #[doc(hidden)]
        static #registration: ::openedx_hooks::__private_v1::ReceiverRegistration = {
            const PATH: &str = ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident));
            ::openedx_hooks::__private_v1::ReceiverRegistration {
                path: PATH,
                hook: |install| ::openedx_hooks::__private_v1::registered(#signal_ref, PATH, #receiver_ref, install),
            }
        };
    })
}
