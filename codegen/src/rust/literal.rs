//! Default values as Rust expressions.

use proc_macro2::TokenStream;
use quote::quote;

use openedx_hooks_schema::{DefKind, Primitive, Type, Value};

use super::{Ctx, ident, ty};

/// Whether `v` is what `Default::default()` gives for `ty`, so that a plain
/// `#[serde(default)]` suffices.
pub fn is_zero(v: &Value, t: &Type) -> bool {
    match (t, v) {
        (Type::Optional(_), Value::Null) => true,
        (Type::List(_), Value::Seq(s)) => s.is_empty(),
        (Type::Map(_), Value::Map(m)) => m.is_empty(),
        (Type::Primitive(Primitive::String | Primitive::Bytes), Value::Str(s)) => s.is_empty(),
        (Type::Primitive(Primitive::Bool), Value::Bool(b)) => !b,
        (Type::Primitive(Primitive::Int), Value::Int(i)) => *i == 0,
        (Type::Primitive(Primitive::Float), Value::Int(i)) => *i == 0,
        (Type::Primitive(Primitive::Float), Value::Float(f)) => *f == 0.0 && f.is_sign_positive(),
        (Type::Primitive(Primitive::Json), Value::Null) => true,
        (Type::Named(r), Value::Str(s)) if r.kind == DefKind::Scalar => s.is_empty(),
        _ => false,
    }
}

/// An expression building `v` as a value of `t` (already checked by the schema).
pub fn expr(v: &Value, t: &Type, from: usize, cx: &Ctx<'_>) -> TokenStream {
    let (rt, catalog) = (&cx.rt, cx.catalog);
    match (t, v) {
        (Type::Optional(_), Value::Null) => quote!(::std::option::Option::None),
        (Type::Optional(inner), v) => {
            let e = expr(v, inner, from, cx);
            quote!(::std::option::Option::Some(#e))
        }
        (Type::List(inner), Value::Seq(items)) => {
            let items = items.iter().map(|i| expr(i, inner, from, cx));
            quote!(::std::vec![#(#items),*])
        }
        (Type::Map(inner), Value::Map(entries)) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = expr(v, inner, from, cx);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(::std::collections::BTreeMap::from([#(#entries),*]))
        }
        (Type::Primitive(p), v) => primitive(*p, v, rt),
        (Type::Named(r), v) => {
            let path = ty::rust_type(t, from, cx);
            match (r.kind, v) {
                (DefKind::Scalar, Value::Str(s)) => quote!(#path(::std::string::String::from(#s))),
                (DefKind::Enum, Value::Str(s)) => {
                    let variant =
                        proc_macro2::Ident::new(&ident::variant(s), proc_macro2::Span::call_site());
                    quote!(#path::#variant)
                }
                (DefKind::Record, Value::Map(entries)) => {
                    let record = catalog.record(r);
                    let fields = record.fields.iter().map(|f| {
                        let (name, _) = ident::snake(&f.name);
                        let value = match entries.iter().find(|(k, _)| k == &f.name) {
                            Some((_, v)) => expr(v, &f.ty, from, cx),
                            None => match &f.default {
                                Some(d) => expr(d, &f.ty, from, cx),
                                None => quote!(::std::option::Option::None),
                            },
                        };
                        let boxed = cx.analysis.needs_box((r.module_index, r.index), &f.ty);
                        let value = if boxed {
                            box_value(value, &f.ty)
                        } else {
                            value
                        };
                        quote!(#name: #value)
                    });
                    quote!(#path { #(#fields),* })
                }
                // The schema guarantees the shapes above; anything else cannot reach here.
                _ => quote!(::std::default::Default::default()),
            }
        }
        _ => quote!(::std::default::Default::default()),
    }
}

fn box_value(value: TokenStream, t: &Type) -> TokenStream {
    if t.is_optional() {
        quote!((#value).map(::std::boxed::Box::new))
    } else {
        quote!(::std::boxed::Box::new(#value))
    }
}

fn primitive(p: Primitive, v: &Value, rt: &TokenStream) -> TokenStream {
    match (p, v) {
        (Primitive::String, Value::Str(s)) => quote!(::std::string::String::from(#s)),
        (Primitive::Bytes, Value::Str(s)) => {
            let bytes = proc_macro2::Literal::byte_string(s.as_bytes());
            quote!(#bytes.to_vec())
        }
        (Primitive::Int, Value::Int(i)) => quote!(#i),
        (Primitive::Float, Value::Int(i)) => {
            let f = *i as f64;
            quote!(#f)
        }
        (Primitive::Float, Value::Float(f)) if f.is_finite() => quote!(#f),
        (Primitive::Float, Value::Float(f)) if f.is_nan() => quote!(f64::NAN),
        (Primitive::Float, Value::Float(f)) if *f > 0.0 => quote!(f64::INFINITY),
        (Primitive::Float, Value::Float(_)) => quote!(f64::NEG_INFINITY),
        (Primitive::Bool, Value::Bool(b)) => quote!(#b),
        (Primitive::Datetime | Primitive::Date | Primitive::Uuid, Value::Str(s)) => {
            quote!(#s.parse().expect("checked by openedx-hooks when the catalog was compiled"))
        }
        (Primitive::Json, Value::Map(m)) if m.is_empty() => {
            quote!(#rt::types::JsonValue::Object(::std::default::Default::default()))
        }
        (Primitive::Json, Value::Seq(s)) if s.is_empty() => {
            quote!(#rt::types::JsonValue::Array(::std::vec::Vec::new()))
        }
        (Primitive::Json, v) => {
            let json = serde_json::to_string(&v.to_json()).unwrap_or_else(|_| "null".into());
            quote!(#rt::serde_json::from_str(#json).expect("JSON written by openedx-hooks"))
        }
        _ => quote!(::std::default::Default::default()),
    }
}
