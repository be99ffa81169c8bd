//! A struct's Avro and serde implementations and its type descriptor.
//!
//! Written out here rather than derived: derive macros cost a proc-macro run
//! per type, and serde's derived `Deserialize` is hundreds of lines of
//! generic code per struct that registering an event instantiates again.
//! The Avro impl is the few lines `#[derive(Avro)]` would expand to; serde
//! goes through the runtime's descriptor walk (`reflect`), compiled once,
//! unless the type carries `#[serde(...)]` attributes, which need serde's
//! derive to mean anything: then it derives serde, and its descriptor makes
//! it a leaf that serializes itself.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use openedx_hooks_schema::{DefKind, Type};

use super::super::{Ctx, ty};

/// What the emitters know of one struct field.
pub(super) struct WireField {
    /// The Rust field name.
    pub ident: Ident,
    /// The serialized name.
    pub name: String,
    /// The field's Rust type (boxed where it is).
    pub rust_ty: TokenStream,
    /// The catalog type.
    pub ty: Type,
    /// How a missing key is filled in.
    pub missing: Missing,
}

/// How a missing key is filled in.
pub(super) enum Missing {
    /// It is an error.
    Required,
    /// The type's zero value.
    Zero,
    /// What the named function returns.
    Function(Ident),
}

/// The `impl` blocks of struct `name`.
pub(super) fn impls(
    cx: &Ctx<'_>,
    mi: usize,
    name: &Ident,
    fields: &[WireField],
    serde_derived: bool,
) -> TokenStream {
    let rt = &cx.rt;
    let mut out = avro_impl(rt, name, fields);
    if serde_derived {
        out.extend(quote! {
            impl #rt::reflect::Reflect for #name {
                fn ty() -> &'static #rt::reflect::Ty {
                    #rt::reflect::leaf::<Self>()
                }
            }
        });
        return out;
    }
    out.extend(quote! {
        impl #rt::serde::Serialize for #name {
            fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                #rt::reflect::serialize(self, serializer)
            }
        }
        impl<'de> #rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #rt::reflect::deserialize(deserializer)
            }
        }
    });
    out.extend(reflect_impl(cx, mi, name, fields));
    out
}

fn avro_impl(rt: &TokenStream, name: &Ident, fields: &[WireField]) -> TokenStream {
    let idents = fields.iter().map(|f| &f.ident);
    let types = fields.iter().map(|f| &f.rust_ty);
    let min_size = if fields.is_empty() {
        quote!(0)
    } else {
        quote!(#(<#types as #rt::avro::Avro>::MIN_SIZE)+*)
    };
    let decoded = fields.iter().map(|f| {
        let (ident, wire) = (&f.ident, &f.name);
        quote!(#ident: r.field(#wire)?,)
    });
    quote! {
        impl #rt::avro::Avro for #name {
            const MIN_SIZE: usize = #min_size;
            #[inline]
            fn encode(&self, out: &mut ::std::vec::Vec<u8>) {
                #(#rt::avro::Avro::encode(&self.#idents, out);)*
            }
            fn decode(r: &mut #rt::avro::Reader<'_>) -> ::core::result::Result<Self, #rt::avro::AvroError> {
                r.enter()?;
                let value = Self { #(#decoded)* };
                r.leave();
                ::core::result::Result::Ok(value)
            }
        }
    }
}

fn reflect_impl(cx: &Ctx<'_>, mi: usize, name: &Ident, fields: &[WireField]) -> TokenStream {
    let rt = &cx.rt;
    let type_name = name.to_string();
    let names = fields.iter().map(|f| &f.name);
    // Defaults other than zero are encoded by a function of their own.
    let mut default_fns = TokenStream::new();
    let descriptors: Vec<TokenStream> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (wire, desc, rust_ty) = (&f.name, descriptor(cx, mi, &f.ty), &f.rust_ty);
            let field = quote!(__Field::new(#wire, &#desc));
            match &f.missing {
                Missing::Required => field,
                Missing::Zero => quote!(#field.or(__zero::<#rust_ty>)),
                Missing::Function(value) => {
                    let encode = quote::format_ident!("default_{}", i);
                    default_fns.extend(quote! {
                        fn #encode(out: &mut ::std::vec::Vec<u8>) {
                            #rt::avro::Avro::encode(&#value(), out);
                        }
                    });
                    quote!(#field.or(#encode))
                }
            }
        })
        .collect();
    quote! {
        impl #rt::reflect::Reflect for #name {
            fn ty() -> &'static __Ty {
                #default_fns
                const {
                    &__Ty::Record(&#rt::reflect::Record {
                        name: #type_name,
                        names: &[#(#names),*],
                        fields: &[#(#descriptors),*],
                    })
                }
            }
        }
    }
}

/// The descriptor of a field's catalog type (boxes are transparent).
fn descriptor(cx: &Ctx<'_>, mi: usize, t: &Type) -> TokenStream {
    match t {
        Type::List(inner) => {
            let inner = descriptor(cx, mi, inner);
            quote!(__Ty::List(&#inner))
        }
        Type::Map(inner) => {
            let inner = descriptor(cx, mi, inner);
            quote!(__Ty::Map(&#inner))
        }
        Type::Optional(inner) => {
            let inner = descriptor(cx, mi, inner);
            quote!(__Ty::Option(&#inner))
        }
        Type::Named(r) if r.kind == DefKind::Record => {
            let path = ty::rust_type(t, mi, cx);
            let rt = &cx.rt;
            quote!(__Ty::Named(<#path as #rt::reflect::Reflect>::ty))
        }
        // Primitives (`bytes` included), scalars, enumerations and host
        // types serialize themselves.
        Type::Primitive(_) | Type::Named(_) => {
            let path = ty::rust_type(t, mi, cx);
            quote!(__Ty::Named(__leaf::<#path>))
        }
    }
}
