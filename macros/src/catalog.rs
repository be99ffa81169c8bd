//! `include_catalog!("events/", ...)`: the build-time [`Builder`] as a macro.

use std::path::PathBuf;
use std::str::FromStr;

use openedx_hooks_codegen::{BuildError, Builder};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token, parenthesized};

/// One argument: a catalog path, `key = "value"` or `key("a", "b")`.
enum Arg {
    Path(LitStr),
    Value(Ident, LitStr),
    Pair(Ident, LitStr, LitStr),
}

impl Parse for Arg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(Arg::Path(input.parse()?));
        }
        let key: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected a catalog path (\"events/\") or a setting such as `runtime_crate = \"::my::hooks\"`",
            )
        })?;
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            return Ok(Arg::Value(key, input.parse()?));
        }
        if !input.peek(syn::token::Paren) {
            return Err(syn::Error::new(
                key.span(),
                format!("expected a catalog path in quotes, e.g. `\"{key}/\"`"),
            ));
        }
        let content;
        parenthesized!(content in input);
        let a: LitStr = content.parse()?;
        content.parse::<Token![,]>()?;
        let b: LitStr = content.parse()?;
        content.parse::<Option<Token![,]>>()?;
        Ok(Arg::Pair(key, a, b))
    }
}

/// Where relative paths start: the crate's manifest directory. A build
/// system that compiles the crate from a copy (trybuild, Bazel) can point
/// `OPENEDX_HOOKS_MANIFEST_DIR` at the original.
fn base_dir() -> Option<PathBuf> {
    std::env::var_os("OPENEDX_HOOKS_MANIFEST_DIR")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
}

pub fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let args = Punctuated::<Arg, Token![,]>::parse_terminated.parse2(input)?;
    let Some(base) = base_dir() else {
        return Err(syn::Error::new(
            Span::call_site(),
            "CARGO_MANIFEST_DIR is not set: build with Cargo",
        ));
    };
    let mut builder = Builder::new().base_dir(&base).single_threaded();
    let mut first_path: Option<LitStr> = None;
    for arg in args {
        builder = match arg {
            Arg::Path(p) => {
                let b = builder.catalog(p.value());
                first_path.get_or_insert(p);
                b
            }
            Arg::Value(key, v) => match key.to_string().as_str() {
                "runtime_crate" => builder.runtime_crate(v.value()),
                "derive" => builder.derive(v.value()),
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown setting `{key}`; expected `runtime_crate = \"...\"`, `derive = \"...\"`, `type_attribute(\"selector\", \"#[...]\")`, `extern_module(\"module\", \"::path\")`, `extern_catalog(\"path\", \"::crate\")` or `host_type(\"module.Name\", \"::Type\")`"
                        ),
                    ));
                }
            },
            Arg::Pair(key, a, b) => match key.to_string().as_str() {
                "type_attribute" => builder.type_attribute(a.value(), b.value()),
                "extern_module" => builder.extern_module(a.value(), b.value()),
                "extern_catalog" => builder.extern_catalog(a.value(), b.value()),
                "host_type" => builder.host_type(a.value(), b.value()),
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown setting `{key}(..)`; expected `type_attribute`, `extern_module`, `extern_catalog` or `host_type`"
                        ),
                    ));
                }
            },
        };
    }
    let Some(anchor) = first_path else {
        return Err(syn::Error::new(
            Span::call_site(),
            "expected a catalog path: `include_catalog!(\"events/\")`",
        ));
    };
    let span = anchor.span();
    // Track every file before generating: after a catalog error, editing
    // the file must still re-expand the macro.
    let (files, _dirs) = builder
        .inputs()
        .map_err(|e| syn::Error::new(span, e.to_string()))?;
    let tracking = files.iter().filter_map(|f| f.to_str()).map(|f| {
        quote_spanned! {span=> const _: &[u8] = ::core::include_bytes!(#f);}
    });
    let tracking: TokenStream = tracking.collect();
    let errors = |messages: Vec<String>| -> TokenStream {
        let errs = messages
            .iter()
            .map(|m| quote_spanned! {span=> ::core::compile_error!(#m);});
        quote!(#tracking #(#errs)*)
    };
    match builder.read_and_generate() {
        Ok(generated) => {
            let code = TokenStream::from_str(&generated.code).map_err(|e| {
                syn::Error::new(
                    span,
                    format!(
                        "internal error: generated code does not lex ({e}); please report this"
                    ),
                )
            })?;
            Ok(quote!(#tracking #code))
        }
        Err(BuildError::Catalog(report)) => {
            let messages = report
                .diagnostics
                .iter()
                .zip(report.rendered())
                .map(|(d, text)| reword(&text, d.code.as_str()))
                .collect();
            Ok(errors(messages))
        }
        Err(e) => Ok(errors(vec![e.to_string()])),
    }
}

/// rustc prints `error: ` before a `compile_error!`: turn our rendered
/// `error[code]: message` first line into `message [code]` so it does not
/// read `error: error[...]`.
fn reword(rendered: &str, code: &str) -> String {
    let prefix = format!("error[{code}]: ");
    match rendered.strip_prefix(&prefix) {
        Some(rest) => {
            let (first, more) = rest.split_once('\n').unwrap_or((rest, ""));
            format!("{first} [{code}]\n{more}")
        }
        None => rendered.to_owned(),
    }
}
