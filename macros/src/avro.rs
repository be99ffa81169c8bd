//! `#[derive(Avro)]`: the Avro binary encoding of a struct (a record, fields
//! in order), a one-field tuple struct (its field, as for scalar newtypes) or
//! an enum of unit variants (a string: the serde name).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

/// `#[serde(rename = "...")]`, if any.
fn serde_rename(attrs: &[syn::Attribute]) -> syn::Result<Option<String>> {
    let mut name = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // Other serde settings are not ours to judge: skip what we do not read.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: LitStr = meta.value()?.parse()?;
                name = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _ = meta.input.step(|c| match c.token_tree() {
                    Some((_, rest)) => Ok(((), rest)),
                    None => Err(c.error("expected tokens")),
                });
            }
            Ok(())
        });
    }
    Ok(name)
}

/// `#[avro(crate = "::path")]`, else `::openedx_hooks`.
fn runtime_path(attrs: &[syn::Attribute]) -> syn::Result<syn::Path> {
    let mut path: syn::Path = syn::parse_quote!(::openedx_hooks);
    for attr in attrs.iter().filter(|a| a.path().is_ident("avro")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let lit: LitStr = meta.value()?.parse()?;
                path = lit.parse()?;
                Ok(())
            } else {
                Err(meta.error("expected `crate = \"::path::to::openedx_hooks\"`"))
            }
        })?;
    }
    Ok(path)
}

pub fn expand(input: DeriveInput) -> syn::Result<TokenStream> {
    let rt = runtime_path(&input.attrs)?;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "`#[derive(Avro)]` does not support generic types",
        ));
    }
    let name = &input.ident;
    let private = quote!(#rt::__private_v3);
    let avro = quote!(#private::avro);
    // `skip` where it can avoid building the value; records keep the
    // trait's default (decode and drop).
    let mut skip = None;
    let (min_size, encode, decode) = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(fields) => {
                let idents: Vec<_> = fields
                    .named
                    .iter()
                    .filter_map(|f| f.ident.as_ref())
                    .collect();
                let types: Vec<_> = fields.named.iter().map(|f| &f.ty).collect();
                let mut wire = Vec::new();
                for f in &fields.named {
                    let plain = f
                        .ident
                        .as_ref()
                        .map(|i| i.to_string().trim_start_matches("r#").to_owned());
                    wire.push(serde_rename(&f.attrs)?.or(plain).unwrap_or_default());
                }
                (
                    quote!(0 #(+ <#types as #avro::Avro>::MIN_SIZE)*),
                    quote!(#(#avro::Avro::encode(&self.#idents, out);)*),
                    quote! {
                        r.enter()?;
                        let value = Self { #(#idents: r.field::<#types>(#wire)?,)* };
                        r.leave();
                        ::core::result::Result::Ok(value)
                    },
                )
            }
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                let ty = &fields.unnamed[0].ty;
                skip = Some(quote!(<#ty as #avro::Avro>::skip(r)));
                (
                    quote!(<#ty as #avro::Avro>::MIN_SIZE),
                    quote!(#avro::Avro::encode(&self.0, out);),
                    quote!(<#ty as #avro::Avro>::decode(r).map(Self)),
                )
            }
            _ => {
                return Err(syn::Error::new(
                    input.span(),
                    "`#[derive(Avro)]` needs named fields, or exactly one unnamed field",
                ));
            }
        },
        Data::Enum(e) => {
            let mut variants = Vec::new();
            let mut values = Vec::new();
            for v in &e.variants {
                if !matches!(v.fields, Fields::Unit) {
                    return Err(syn::Error::new(
                        v.span(),
                        "`#[derive(Avro)]` enums are strings: only unit variants",
                    ));
                }
                values.push(serde_rename(&v.attrs)?.unwrap_or_else(|| v.ident.to_string()));
                variants.push(&v.ident);
            }
            let type_name = name.to_string();
            let unknown = format_ident!("__unknown");
            skip = Some(quote!(r.read_bytes().map(drop)));
            (
                quote!(1),
                quote! {
                    let s: &str = match self { #(Self::#variants => #values,)* };
                    #avro::write_bytes(out, s.as_bytes());
                },
                quote! {
                    match r.read_str()? {
                        #(#values => ::core::result::Result::Ok(Self::#variants),)*
                        #unknown => ::core::result::Result::Err(#avro::AvroError::new(
                            #avro::ErrorKind::InvalidValue(::std::format!("`{}` is not a value of {}", #unknown, #type_name)),
                        )),
                    }
                },
            )
        }
        Data::Union(_) => {
            return Err(syn::Error::new(
                input.span(),
                "`#[derive(Avro)]` does not support unions",
            ));
        }
    };
    let skip_fn = skip.map(|body| {
        quote! {
            fn skip(r: &mut #avro::Reader<'_>) -> ::core::result::Result<(), #avro::AvroError> {
                #body
            }
        }
    });
    Ok(quote! {
        impl #avro::Avro for #name {
            const MIN_SIZE: usize = #min_size;
            #[inline]
            fn encode(&self, out: &mut ::std::vec::Vec<u8>) {
                #encode
            }
            // Compiled where something decodes the type (see `Payload`).
            #[inline]
            fn decode(r: &mut #avro::Reader<'_>) -> ::core::result::Result<Self, #avro::AvroError> {
                #decode
            }
            #skip_fn
        }
        impl #private::Payload for #name {
            const CODEC: ::core::option::Option<&'static #private::Codec> =
                ::core::option::Option::Some(#private::Codec::of::<Self>());
        }
    })
}
