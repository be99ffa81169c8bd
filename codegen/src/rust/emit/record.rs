//! A data class: a struct whose fields carry docs, renames and defaults.

use proc_macro2::TokenStream;
use quote::quote;

use openedx_hooks_schema::{Field, RecordDef};

use super::super::ty::{self, RecordId};
use super::super::{Ctx, doc, ident, literal};
use super::common::{derives, serde_attr, serde_derived};
use super::wire::{self, Missing, WireField};

/// A struct's fields: their declarations, the default functions some of
/// them need, and what the Avro and serde impls need to know of them.
struct Fields {
    pub decls: TokenStream,
    pub default_fns: TokenStream,
    pub wire: Vec<WireField>,
}

/// Struct fields; `serde_attrs`: with the `#[serde(...)]` attributes
/// serde's derive reads.
fn fields(
    cx: &Ctx<'_>,
    mi: usize,
    owner: Option<RecordId>,
    owner_name: &str,
    fields: &[Field],
    serde_attrs: bool,
) -> Fields {
    // Built by moving streams in (`extend`): interpolation would copy every
    // token once more per nesting level.
    let mut out = TokenStream::new();
    let mut default_fns = TokenStream::new();
    let mut wire_fields = Vec::with_capacity(fields.len());
    for f in fields {
        let (name, renamed) = ident::snake(&f.name);
        let boxed = owner.is_some_and(|o| cx.analysis.needs_box(o, &f.ty));
        let rust_ty = if boxed {
            ty::boxed_type(&f.ty, mi, cx)
        } else {
            ty::rust_type(&f.ty, mi, cx)
        };
        let mut lines: Vec<String> = f.description.iter().cloned().collect();
        if lines.is_empty() {
            lines.push(format!("The `{}` field.", f.name));
        }
        if let Some(d) = &f.default {
            lines.push(String::new());
            lines.push(format!(
                "Default: `{}`",
                serde_json::to_string(&d.to_json()).unwrap_or_default()
            ));
        }
        let docs = doc::attrs(lines);
        let rename = renamed.then(|| {
            let wire = &f.name;
            quote!(#[serde(rename = #wire)])
        });
        let (default, missing) = match &f.default {
            Some(v) if literal::is_zero(v, &f.ty) => (quote!(#[serde(default)]), Missing::Zero),
            Some(v) => {
                let fn_name = ty::default_fn(owner_name, &f.name);
                let fn_path = fn_name.to_string();
                let value = literal::expr(v, &f.ty, mi, cx);
                let value = if boxed {
                    if f.ty.is_optional() {
                        quote!((#value).map(::std::boxed::Box::new))
                    } else {
                        quote!(::std::boxed::Box::new(#value))
                    }
                } else {
                    value
                };
                default_fns.extend(quote! {
                    pub(super) fn #fn_name() -> #rust_ty {
                        #value
                    }
                });
                (
                    quote!(#[serde(default = #fn_path)]),
                    Missing::Function(fn_name),
                )
            }
            None if f.ty.is_optional() => (quote!(#[serde(default)]), Missing::Zero),
            None => (quote!(), Missing::Required),
        };
        out.extend(docs);
        if serde_attrs {
            out.extend(rename);
            out.extend(default);
        }
        out.extend(quote!(pub #name: #rust_ty,));
        wire_fields.push(WireField {
            ident: name,
            name: f.name.clone(),
            rust_ty,
            ty: f.ty.clone(),
            missing,
        });
    }
    Fields {
        decls: out,
        default_fns,
        wire: wire_fields,
    }
}

pub(super) fn record(cx: &Ctx<'_>, mi: usize, id: RecordId, t: &RecordDef) -> TokenStream {
    let name = ident::camel(&t.name);
    let docs = doc::attrs([t
        .description
        .clone()
        .unwrap_or_else(|| format!("The data class `{}`.", t.name))]);
    data_struct(cx, mi, Some(id), (&t.name, &t.name), &name, docs, &t.fields)
}

/// A struct with its fields, default functions and impls: a data class or an
/// event's payload. `names`: the name its default functions are named after
/// and the one `--type-attribute` selects it by (for a payload, the struct's
/// and the event's).
pub(super) fn data_struct(
    cx: &Ctx<'_>,
    mi: usize,
    owner: Option<RecordId>,
    names: (&str, &str),
    name: &proc_macro2::Ident,
    docs: TokenStream,
    catalog_fields: &[Field],
) -> TokenStream {
    let eq_hash = cx
        .analysis
        .fields_eq_hash(catalog_fields.iter().map(|f| &f.ty));
    let attrs = cx
        .options
        .attributes(&cx.catalog.modules()[mi].name, names.1);
    let derived = serde_derived(&attrs);
    let derive = derives(cx, eq_hash, derived);
    let serde = derived.then(|| serde_attr(cx));
    let Fields {
        decls,
        default_fns,
        wire,
    } = fields(cx, mi, owner, names.0, catalog_fields, derived);
    let impls = wire::impls(cx, mi, name, &wire, derived);
    quote! {
        #docs
        #derive
        #serde
        #attrs
        pub struct #name {
            #decls
        }
        #default_fns
        #impls
    }
}
