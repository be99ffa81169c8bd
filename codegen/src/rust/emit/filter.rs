//! A filter: its arguments struct, its exception enum (a variant per
//! exception, carrying its parameters, exposing `message`, `redirect_to`
//! and `status_code` as the reference's base exception does), and its
//! typed `Filter`, registered at link time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use openedx_hooks_schema::{ExceptionDef, Field, FilterDef, Primitive, Type};

use super::super::{Ctx, doc, ident, ty};

/// Docs and `name: Type` for each field, with `pub` for a struct.
fn plain_fields(cx: &Ctx<'_>, mi: usize, fields: &[Field], public: bool) -> TokenStream {
    let mut out = TokenStream::new();
    for f in fields {
        let (name, _) = ident::snake(&f.name);
        let ty = ty::rust_type(&f.ty, mi, cx);
        let mut lines: Vec<String> = f.description.iter().cloned().collect();
        if lines.is_empty() {
            lines.push(format!("The `{}` argument.", f.name));
        }
        if let Some(d) = &f.default {
            lines.push(String::new());
            lines.push(format!(
                "Default in the reference: `{}`",
                serde_json::to_string(&d.to_json()).unwrap_or_default()
            ));
        }
        let docs = doc::attrs(lines);
        let vis = public.then(|| quote!(pub));
        out.extend(quote!(#docs #vis #name: #ty,));
    }
    out
}

/// How one of the base exception's attributes is read from a variant:
/// the parameter of that name when the exception declares one.
fn attribute(x: &ExceptionDef, name: &str, kind: Attr) -> TokenStream {
    let variant = format_ident!("{}", ident::camel(&x.name));
    let field = x.fields.iter().find(|f| f.name == name);
    let ident = format_ident!("{}", name);
    match (field.map(|f| &f.ty), kind) {
        (Some(Type::Primitive(Primitive::String)), Attr::Text) => {
            quote!(Self::#variant { #ident, .. } => #ident.as_str(),)
        }
        (Some(Type::Optional(inner)), Attr::Text)
            if **inner == Type::Primitive(Primitive::String) =>
        {
            quote!(Self::#variant { #ident, .. } => #ident.as_deref().unwrap_or(""),)
        }
        (Some(Type::Primitive(Primitive::Int)), Attr::Code) => {
            quote!(Self::#variant { #ident, .. } => ::std::convert::TryFrom::try_from(*#ident).ok(),)
        }
        (Some(Type::Optional(inner)), Attr::Code) if **inner == Type::Primitive(Primitive::Int) => {
            quote!(Self::#variant { #ident, .. } => #ident.and_then(|c| ::std::convert::TryFrom::try_from(c).ok()),)
        }
        (_, Attr::Text) => quote!(Self::#variant { .. } => "",),
        (_, Attr::Code) => quote!(Self::#variant { .. } => ::std::option::Option::None,),
    }
}

#[derive(Clone, Copy)]
enum Attr {
    Text,
    Code,
}

pub(super) fn filter(cx: &Ctx<'_>, mi: usize, f: &FilterDef) -> TokenStream {
    let rt = &cx.rt;
    let module = &cx.catalog.modules()[mi].name;
    let args_name = ident::payload_struct(&f.name);
    let args = format_ident!("{}", args_name);
    let exception = format_ident!("{}Exception", args_name);
    let filter = format_ident!("{}", f.name);
    // Application types bound to hosts may lack `PartialEq`.
    let eq = (!cx.options.has_host_bindings()).then(|| quote!(PartialEq,));
    let attrs = cx.options.attributes(module, &f.name);
    let fields = plain_fields(cx, mi, &f.arguments, true);
    let args_docs = doc::attrs([format!(
        "The arguments of [`{}`] (`{}`), in order.",
        f.name, f.filter_type
    )]);

    // What `run_filter`'s caller gets back: the declared returns, in order.
    let returned: Vec<&Field> = f.returns.iter().map(|&i| &f.arguments[i]).collect();
    let returned_names: Vec<_> = returned.iter().map(|a| ident::snake(&a.name).0).collect();
    let returned_types: Vec<_> = returned
        .iter()
        .map(|a| ty::rust_type(&a.ty, mi, cx))
        .collect();
    let (returned_ty, returned_expr) = match returned.len() {
        1 => {
            let (t, n) = (&returned_types[0], &returned_names[0]);
            (quote!(#t), quote!(self.#n))
        }
        _ => (
            quote!((#(#returned_types,)*)),
            quote!((#(self.#returned_names,)*)),
        ),
    };
    let listed: Vec<String> = returned.iter().map(|a| format!("`{}`", a.name)).collect();
    let returned_docs = doc::attrs([format!(
        "What the reference's `run_filter` returns: {}.",
        listed.join(", ")
    )]);

    let variants = f.exceptions.iter().map(|x| {
        let variant = format_ident!("{}", ident::camel(&x.name));
        let docs = doc::attrs([x
            .description
            .clone()
            .unwrap_or_else(|| format!("The exception `{}`.", x.name))]);
        let fields = plain_fields(cx, mi, &x.fields, false);
        quote!(#docs #variant { #fields },)
    });
    let names = f.exceptions.iter().map(|x| {
        let variant = format_ident!("{}", ident::camel(&x.name));
        let name = &x.name;
        quote!(Self::#variant { .. } => #name,)
    });
    let (message, redirect_to, status_code) = if f.exceptions.is_empty() {
        let never = quote!(match *self {});
        (never.clone(), never.clone(), never)
    } else {
        let m = f
            .exceptions
            .iter()
            .map(|x| attribute(x, "message", Attr::Text));
        let r = f
            .exceptions
            .iter()
            .map(|x| attribute(x, "redirect_to", Attr::Text));
        let s = f
            .exceptions
            .iter()
            .map(|x| attribute(x, "status_code", Attr::Code));
        (
            quote!(match self { #(#m)* }),
            quote!(match self { #(#r)* }),
            quote!(match self { #(#s)* }),
        )
    };
    let name_body = if f.exceptions.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#names)* })
    };
    let exception_docs = doc::attrs([format!("How a step of [`{}`] halts the action.", f.name)]);

    let mut lines: Vec<String> = f.description.iter().cloned().collect();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("- Filter type: `{}`", f.filter_type));
    lines.push(format!("- Version: major {}", f.major_version));
    if let Some(t) = &f.trigger {
        lines.push(format!("- Trigger: `{t}`"));
    }
    if let Some(a) = &f.added {
        lines.push(format!("- Added: {a}"));
    }
    let filter_docs = doc::attrs(lines);
    let (filter_type, name) = (&f.filter_type, &f.name);
    quote! {
        #args_docs
        #[derive(Debug, Clone, #eq)]
        #attrs
        pub struct #args {
            #fields
        }

        impl #args {
            #returned_docs
            pub fn returned(self) -> #returned_ty {
                #returned_expr
            }
        }

        #exception_docs
        #[derive(Debug, Clone, #eq)]
        pub enum #exception {
            #(#variants)*
        }

        impl #exception {
            /// The exception's name, as the reference's class is named.
            pub fn name(&self) -> &'static str {
                #name_body
            }
        }

        impl ::std::fmt::Display for #exception {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let message = #rt::FilterException::message(self);
                f.write_str(if message.is_empty() { self.name() } else { message })
            }
        }

        impl ::std::error::Error for #exception {}

        impl #rt::FilterException for #exception {
            fn message(&self) -> &str {
                #message
            }
            fn redirect_to(&self) -> &str {
                #redirect_to
            }
            fn status_code(&self) -> ::std::option::Option<u16> {
                #status_code
            }
        }

        #filter_docs
        pub static #filter: #rt::Filter<#args, #exception> = #rt::Filter::new(#filter_type, #name);

        #rt::register_filter!(#filter);
    }
}
