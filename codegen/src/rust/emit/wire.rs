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

use openedx_hooks_schema::{DefKind, Primitive, Type};

use std::fmt::Write;

use super::super::{Ctx, text, ty};

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
    let mut out = avro_impl(cx, name, fields);
    if serde_derived {
        out.extend(quote! {
            impl #rt::reflect::Reflect for #name {
                const TY: __Ty = __Ty::Named(__leaf::<Self>);
            }
        });
        return out;
    }
    out.extend(quote!(#rt::reflect_serde!(#name);));
    out.extend(reflect_impl(cx, mi, name, fields));
    out
}

// `__Avro`, `__Reader` and `__AvroError` are the module's imports.
fn avro_impl(cx: &Ctx<'_>, name: &Ident, fields: &[WireField]) -> TokenStream {
    // The fewest bytes, summed here where the catalog knows them; types
    // from elsewhere (extern modules, bound host types) add their own.
    let mut known = 0usize;
    let mut terms = Vec::new();
    for f in fields {
        match min_size(cx, &f.ty, &mut Vec::new()) {
            Some(n) => known += n,
            None => {
                let ty = &f.rust_ty;
                terms.push(quote!(+ <#ty as __Avro>::MIN_SIZE));
            }
        }
    }
    let known = proc_macro2::Literal::usize_unsuffixed(known);
    let min_size = text::tokens(&quote!(#known #(#terms)*));
    let mut t = format!(
        "impl __Avro for {name} {{\n    const MIN_SIZE: usize = {min_size};\n    #[inline]\n"
    );
    if fields.is_empty() {
        t.push_str("    fn encode(&self, out: &mut ::std::vec::Vec<u8>) {}\n");
    } else {
        t.push_str("    fn encode(&self, out: &mut ::std::vec::Vec<u8>) {\n");
        for f in fields {
            let _ = writeln!(t, "        __Avro::encode(&self.{}, out);", f.ident);
        }
        t.push_str("    }\n");
    }
    // Inline, so compiled only where something decodes the type: the
    // registration names no decoder (see the runtime's `Payload`).
    t.push_str(
        "    #[inline]\n    fn decode(r: &mut __Reader<'_>) -> ::core::result::Result<Self, __AvroError> {\n",
    );
    t.push_str("        r.enter()?;\n");
    let decoded: Vec<String> = fields
        .iter()
        .map(|f| {
            format!(
                "{}: r.field({})?",
                f.ident,
                proc_macro2::Literal::string(&f.name)
            )
        })
        .collect();
    // On one line when it fits (the module's four spaces included).
    let one = format!("let value = Self {{ {} }};", decoded.join(", "));
    if decoded.is_empty() {
        t.push_str("        let value = Self {};\n");
    } else if 4 + 8 + one.len() <= WIDTH {
        let _ = writeln!(t, "        {one}");
    } else {
        t.push_str("        let value = Self {\n");
        for d in &decoded {
            let _ = writeln!(t, "            {d},");
        }
        t.push_str("        };\n");
    }
    t.push_str("        r.leave();\n        ::core::result::Result::Ok(value)\n    }\n}\n");
    cx.texts.marker(t)
}

fn reflect_impl(cx: &Ctx<'_>, mi: usize, name: &Ident, fields: &[WireField]) -> TokenStream {
    let rt = &cx.rt;
    let type_name = name.to_string();
    let module = &cx.catalog.modules()[mi].name;
    // Defaults other than zero are encoded by a function of their own.
    let mut default_fns = TokenStream::new();
    let descriptors: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let (wire, rust_ty) = (&f.name, &f.rust_ty);
            let field = field(cx, mi, wire, &f.ty);
            match &f.missing {
                Missing::Required => field,
                Missing::Zero if encodes_zero_as_one_byte(cx, &f.ty) => {
                    quote!(#field.or(#rt::reflect::empty))
                }
                Missing::Zero => quote!(#field.or(__zero::<#rust_ty>)),
                Missing::Function(value) => {
                    let plain = value.to_string();
                    let encode =
                        quote::format_ident!("__encode_{}", plain.trim_start_matches("__"));
                    default_fns.extend(quote! {
                        fn #encode(out: &mut ::std::vec::Vec<u8>) {
                            __Avro::encode(&#value(), out);
                        }
                    });
                    quote!(#field.or(#encode))
                }
            }
        })
        .collect();
    let rt = text::tokens(rt);
    let mut t = format!(
        "impl {rt}::reflect::Reflect for {name} {{\n    const TY: __Ty = __Ty::Record(&{rt}::reflect::Record {{\n        name: {},\n        module: {},\n",
        proc_macro2::Literal::string(&type_name),
        proc_macro2::Literal::string(module),
    );
    list(
        &mut t,
        "names",
        fields
            .iter()
            .map(|f| proc_macro2::Literal::string(&f.name).to_string()),
    );
    list(&mut t, "fields", descriptors.iter().map(text::tokens));
    t.push_str("    });\n}\n");
    let mut out = default_fns;
    out.extend(cx.texts.marker(t));
    out
}

/// The widest line written as text, as prettyplease's margin.
const WIDTH: usize = 100;

/// `        key: &[item, …],`: on one line when it fits, else one item per line.
fn list(t: &mut String, key: &str, items: impl Iterator<Item = String>) {
    let items: Vec<String> = items.collect();
    let one = format!("{key}: &[{}],", items.join(", "));
    if 4 + 8 + one.len() <= WIDTH {
        let _ = writeln!(t, "        {one}");
        return;
    }
    let _ = writeln!(t, "        {key}: &[");
    for i in items {
        let _ = writeln!(t, "            {i},");
    }
    t.push_str("        ],\n");
}

/// Whether the zero value of `t` (`Default::default()`) is the one byte
/// `0` in Avro (runtime tests check the types): `None`, empty containers,
/// strings and bytes, `false`, `0`, an empty scalar. Not floats (eight
/// bytes), `json` (the text `null`) or types from elsewhere.
fn encodes_zero_as_one_byte(cx: &Ctx<'_>, t: &Type) -> bool {
    match t {
        Type::Primitive(p) => matches!(
            p,
            Primitive::String | Primitive::Bytes | Primitive::Bool | Primitive::Int
        ),
        Type::List(_) | Type::Map(_) | Type::Optional(_) => true,
        Type::Named(r) => r.kind == DefKind::Scalar && cx.options.externs[r.module_index].is_none(),
    }
}

/// The fewest bytes the Avro of a value of `t` takes, as the runtime's
/// `Avro::MIN_SIZE` says (`tests/json.rs` checks they agree); `None` for a
/// type whose impl is not generated here.
fn min_size(cx: &Ctx<'_>, t: &Type, within: &mut Vec<(usize, usize)>) -> Option<usize> {
    match t {
        Type::Primitive(Primitive::Float) => Some(8),
        Type::Primitive(_) | Type::List(_) | Type::Map(_) | Type::Optional(_) => Some(1),
        Type::Named(r) if cx.options.externs[r.module_index].is_some() => None,
        Type::Named(r) => match r.kind {
            DefKind::Scalar | DefKind::Enum => Some(1),
            // Unbound, the runtime's JSON value (a string); bound, the
            // application type's own.
            DefKind::Host => cx
                .options
                .host_binding(r.module_index, &r.name)
                .is_none()
                .then_some(1),
            // A record's fields held inline. Recursion goes through `?`,
            // lists or maps; a record that holds itself (which Rust cannot
            // size either) is left to the compiler's error.
            DefKind::Record => {
                let id = (r.module_index, r.index);
                if within.contains(&id) {
                    return None;
                }
                within.push(id);
                let sum = cx.catalog.modules()[r.module_index].types[r.index]
                    .fields
                    .iter()
                    .map(|f| min_size(cx, &f.ty, within))
                    .sum();
                within.pop();
                sum
            }
        },
    }
}

/// A field's descriptor: `__Field::leaf::<T>` and `__Field::record::<T>`
/// for the common cases (shorter text to format and to read), else the
/// whole descriptor.
fn field(cx: &Ctx<'_>, mi: usize, wire: &str, t: &Type) -> TokenStream {
    match t {
        Type::Named(r) if r.kind == DefKind::Record => {
            let path = ty::rust_type(t, mi, cx);
            quote!(__Field::record::<#path>(#wire))
        }
        Type::Primitive(_) | Type::Named(_) => {
            let path = ty::rust_type(t, mi, cx);
            quote!(__Field::leaf::<#path>(#wire))
        }
        Type::List(_) | Type::Map(_) | Type::Optional(_) => {
            let desc = descriptor(cx, mi, t);
            quote!(__Field::new(#wire, &#desc))
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
