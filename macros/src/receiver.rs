//! `#[receiver(SIGNAL)]` and `#[pipeline_step(FILTER)]`: link-time
//! registration of a plugin function with a hook. One expander; each kind
//! of hook supplies its wording and the runtime items it registers with.
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

/// What differs between registering a receiver and a pipeline step.
pub struct Kind {
    /// `receiver`, `pipeline step`.
    noun: &'static str,
    /// `#[receiver]`.
    attribute: &'static str,
    /// The error for an empty attribute.
    expected_hook: &'static str,
    /// The error for an attribute that is not a path.
    expected_path: &'static str,
    /// Why it cannot be async.
    not_async: &'static str,
    /// The two arguments it takes.
    arguments: &'static str,
    /// What it returns.
    returns: &'static str,
    /// The registration static's prefix.
    prefix: &'static str,
    /// The runtime's slice, registration type and registering function,
    /// under `::openedx_hooks::__private_v3::`.
    slice: &'static str,
    registration: &'static str,
    register: &'static str,
}

pub const RECEIVER: Kind = Kind {
    noun: "receiver",
    attribute: "`#[receiver]`",
    expected_hook: "expected the signal to receive: `#[receiver(STUDENT_REGISTRATION_COMPLETED)]`",
    expected_path: "expected the path of a signal, e.g. `openedx_events::learning::SESSION_LOGIN_COMPLETED`",
    not_async: "a receiver cannot be async: sending is synchronous; hand slow work to a thread or task",
    arguments: "a receiver takes two arguments: `(payload: &Payload, metadata: &EventMetadata)`",
    returns: "a receiver returns `Result<(), openedx_hooks::BoxError>`",
    prefix: "__OPENEDX_HOOKS_RECEIVER_",
    slice: "RECEIVERS",
    registration: "ReceiverRegistration",
    register: "registered",
};

pub const PIPELINE_STEP: Kind = Kind {
    noun: "pipeline step",
    attribute: "`#[pipeline_step]`",
    expected_hook: "expected the filter the step belongs to: `#[pipeline_step(COURSE_ENROLLMENT_STARTED)]`",
    expected_path: "expected the path of a filter, e.g. `openedx_filters::learning::COURSE_ENROLLMENT_STARTED`",
    not_async: "a pipeline step cannot be async: filters run synchronously in the platform's request",
    arguments: "a pipeline step takes two arguments: `(arguments: &Arguments, context: &StepContext)`",
    returns: "a pipeline step returns `StepResult<Arguments, Exception>`",
    prefix: "__OPENEDX_HOOKS_STEP_",
    slice: "STEPS",
    registration: "StepRegistration",
    register: "registered_step",
};

pub fn expand(kind: &Kind, attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    if attr.is_empty() {
        return Err(syn::Error::new(Span::call_site(), kind.expected_hook));
    }
    let hook: Path =
        syn::parse2(attr).map_err(|e| syn::Error::new(e.span(), kind.expected_path))?;
    let func = item.clone();
    let sig = signature
        .parse2(item)
        .map_err(|e| syn::Error::new(e.span(), format!("{} goes on a function", kind.attribute)))?;
    if let Some(a) = &sig.asyncness {
        return Err(syn::Error::new(a.span(), kind.not_async));
    }
    if let Some(span) = sig.generics {
        return Err(syn::Error::new(
            span,
            format!("a {} cannot be generic", kind.noun),
        ));
    }
    if let Some((span, true)) = sig.inputs.first() {
        return Err(syn::Error::new(
            *span,
            format!("a {} is a free function, not a method", kind.noun),
        ));
    }
    if sig.inputs.len() != 2 {
        return Err(syn::Error::new(
            sig.inputs.first().map_or(sig.parens, |(span, _)| *span),
            kind.arguments,
        ));
    }
    if matches!(sig.output, ReturnType::Default) {
        return Err(syn::Error::new(sig.ident.span(), kind.returns));
    }
    let ident = &sig.ident;
    let registration = format_ident!("{}{}", kind.prefix, ident.to_string().to_uppercase());
    let slice = format_ident!("{}", kind.slice);
    let ty = format_ident!("{}", kind.registration);
    let register = format_ident!("{}", kind.register);
    // Spanned on the hook and on the function name: a path that is not a
    // hook of this kind, or a function of the wrong type, is reported there.
    let hook_ref = quote_spanned! {hook.span()=> &#hook};
    let fn_ref = quote_spanned! {ident.span()=> #ident};
    Ok(quote! {
        #func

        #[::openedx_hooks::__private_v3::linkme::distributed_slice(::openedx_hooks::__private_v3::#slice)]
        #[linkme(crate = ::openedx_hooks::__private_v3::linkme)]
        #[allow(non_upper_case_globals)]
        #[doc(hidden)]
        static #registration: ::openedx_hooks::__private_v3::#ty = {
            const PATH: &str = ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident));
            ::openedx_hooks::__private_v3::#ty {
                path: PATH,
                hook: |install| ::openedx_hooks::__private_v3::#register(#hook_ref, PATH, #fn_ref, install),
            }
        };
    })
}
