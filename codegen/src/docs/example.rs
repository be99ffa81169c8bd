//! Copy-paste Rust for each event: a link-time receiver and a send, with a
//! payload literal built from the catalog's `example` values (or plausible
//! ones), formatted with prettyplease. `tests/codegen.rs` compiles the
//! examples of the whole Open edX catalog, so they cannot rot.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use openedx_hooks_schema::{Catalog, DefKind, Field, Primitive, Type, Value};

use crate::rust::ident;

/// `(event name, example code)` for every event of the catalog's own
/// modules, in definition order;
/// `rust_crate` is where the generated events live (`openedx_events`).
pub fn rust_examples(
    catalog: &Catalog,
    rust_crate: &str,
) -> Result<Vec<(String, String)>, crate::RustError> {
    let options = super::DocsOptions::default().rust_crate(rust_crate);
    let krate = options.crate_path()?;
    Ok(catalog
        .own_modules()
        .flat_map(|(mi, m)| {
            let names = m.events.iter().map(|e| e.name.clone());
            names
                .zip(rust_examples_for_module(catalog, mi, &krate))
                .collect::<Vec<_>>()
        })
        .collect())
}

/// `(filter name, example code)` for every filter of the catalog's own
/// modules: the copy-paste `#[pipeline_step]` its reference entry shows;
/// `rust_crate` is where the generated filters live (`openedx_filters`).
pub fn filter_step_examples(
    catalog: &Catalog,
    rust_crate: &str,
) -> Result<Vec<(String, String)>, crate::RustError> {
    let options = super::DocsOptions::default().rust_crate(rust_crate);
    options.crate_path()?;
    Ok(catalog
        .own_modules()
        .flat_map(|(_, m)| {
            m.filters.iter().map(|f| {
                (
                    f.name.clone(),
                    filter_step_example(rust_crate, &m.name, &f.name),
                )
            })
        })
        .collect())
}

/// A `#[pipeline_step]` for filter `filter` of module `module`.
pub(super) fn filter_step_example(rust_crate: &str, module: &str, filter: &str) -> String {
    let module_ident = crate::rust::module_ident(module);
    let args = ident::payload_struct(filter);
    format!(
        "use {rust_crate}::{module_ident}::{{{args}, {args}Exception, {filter}}};\n\
         use openedx_hooks::filter::{{Flow, StepContext, StepResult}};\n\n\
         #[openedx_hooks::pipeline_step({filter})]\n\
         fn my_step(args: &{args}, cx: &StepContext<'_>) -> StepResult<{args}, {args}Exception> {{\n    \
         // Change the arguments (Flow::Continue), stop the pipeline (Flow::Stop)\n    \
         // or halt the action (Err(StepError::Halt(...))).\n    \
         let _ = (args, cx);\n    \
         Ok(Flow::Keep)\n\
         }}\n"
    )
}

pub(super) fn rust_examples_for_module(
    catalog: &Catalog,
    mi: usize,
    krate: &syn::Path,
) -> Vec<String> {
    let m = &catalog.modules()[mi];
    let analysis = crate::rust::Analysis::new(catalog);
    let module = format_ident!("{}", crate::rust::module_ident(&m.name));
    m.events
        .iter()
        .map(|e| {
            let signal = format_ident!("{}", e.name);
            let payload = format_ident!("{}", ident::payload_struct(&e.name));
            let receiver = format_ident!("on_{}", e.name.to_lowercase());
            let sender = format_ident!("send_{}", e.name.to_lowercase());
            let cx = Cx {
                catalog,
                krate,
                analysis: &analysis,
            };
            let fields = cx.fields(&e.payload, 0);
            let file = quote! {
                use #krate::#module::{#signal, #payload};
                use openedx_hooks::{BoxError, EventMetadata};

                #[openedx_hooks::receiver(#signal)]
                fn #receiver(event: &#payload, metadata: &EventMetadata) -> Result<(), BoxError> {
                    println!("{} {}: {:?}", metadata.event_type, metadata.id, event);
                    Ok(())
                }

                fn #sender() {
                    let report = #signal.send_event(#payload { #fields });
                    report.assert_ok();
                }
            };
            match syn::parse2::<syn::File>(file) {
                Ok(f) => spaced(&prettyplease::unparse(&f)),
                Err(e) => format!("// internal error: example does not parse ({e})\n"),
            }
        })
        .collect()
}

/// A blank line before each top-level item after the `use`s (prettyplease
/// writes them back to back).
fn spaced(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + 8);
    let mut prev = "";
    for line in code.lines() {
        let item = line.starts_with("#[") || line.starts_with("fn ");
        if item && !prev.is_empty() && !prev.starts_with("#[") {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = line;
    }
    out
}

struct Cx<'a> {
    catalog: &'a Catalog,
    krate: &'a syn::Path,
    analysis: &'a crate::rust::Analysis,
}

impl Cx<'_> {
    fn fields(&self, fields: &[Field], depth: usize) -> TokenStream {
        let mut out = TokenStream::new();
        for f in fields {
            let (name, _) = ident::snake(&f.name);
            let value = f.example.as_ref().or(f.default.as_ref());
            let v = self.value(&f.ty, value, depth, &f.name);
            out.extend(quote!(#name: #v,));
        }
        out
    }

    fn path(&self, module_index: usize, name: &str) -> TokenStream {
        let krate = self.krate;
        let module = format_ident!(
            "{}",
            crate::rust::module_ident(&self.catalog.modules()[module_index].name)
        );
        let name = ident::camel(name);
        quote!(#krate::#module::#name)
    }

    /// A literal of `ty`: from `given` when the catalog has one, else made up.
    fn value(&self, ty: &Type, given: Option<&Value>, depth: usize, field: &str) -> TokenStream {
        match ty {
            Type::Optional(inner) => match given {
                Some(Value::Null) => quote!(None),
                // Show the shape, but stop recursive types from going on forever.
                _ if depth >= 2 => quote!(None),
                g => {
                    let v = self.value(inner, g, depth + 1, field);
                    quote!(Some(#v))
                }
            },
            Type::Primitive(p) => primitive(*p, given, field),
            Type::List(inner) => {
                let items: Vec<TokenStream> = match given {
                    Some(Value::Seq(v)) => v
                        .iter()
                        .map(|x| self.value(inner, Some(x), depth + 1, field))
                        .collect(),
                    _ if depth >= 3 => Vec::new(),
                    _ => vec![self.value(inner, None, depth + 1, field)],
                };
                quote!(vec![#(#items),*])
            }
            Type::Map(inner) => {
                let entries: Vec<TokenStream> = match given {
                    Some(Value::Map(m)) => m
                        .iter()
                        .map(|(k, x)| {
                            let v = self.value(inner, Some(x), depth + 1, field);
                            quote!((#k.to_owned(), #v))
                        })
                        .collect(),
                    _ if depth >= 3 => Vec::new(),
                    _ => {
                        let v = self.value(inner, None, depth + 1, field);
                        vec![quote!(("key".to_owned(), #v))]
                    }
                };
                if entries.is_empty() {
                    quote!(std::collections::BTreeMap::new())
                } else {
                    quote!(std::collections::BTreeMap::from([#(#entries),*]))
                }
            }
            Type::Named(r) => {
                let path = self.path(r.module_index, &r.name);
                match r.kind {
                    // Examples are of event payloads, where a valid catalog
                    // has no host type (`host-on-wire`).
                    DefKind::Host => quote!(::std::default::Default::default()),
                    DefKind::Scalar => {
                        let s = match given {
                            Some(Value::Str(s)) => s.clone(),
                            _ => self
                                .catalog
                                .scalar(r)
                                .example
                                .clone()
                                .unwrap_or_else(|| format!("example-{field}")),
                        };
                        quote!(#path::from(#s))
                    }
                    DefKind::Enum => {
                        let e = self.catalog.enumeration(r);
                        let value = match given {
                            Some(Value::Str(s)) => s.clone(),
                            _ => e.values.first().map(|v| v.name.clone()).unwrap_or_default(),
                        };
                        let variant = format_ident!("{}", ident::variant(&value));
                        quote!(#path::#variant)
                    }
                    DefKind::Record => {
                        let record = self.catalog.record(r);
                        let given_fields = match given {
                            Some(Value::Map(m)) => Some(m),
                            _ => None,
                        };
                        let mut fields = TokenStream::new();
                        for f in &record.fields {
                            let (name, _) = ident::snake(&f.name);
                            let value = given_fields
                                .and_then(|m| m.iter().find(|(k, _)| *k == f.name).map(|(_, v)| v))
                                .or(f.example.as_ref())
                                .or(f.default.as_ref());
                            let mut v = self.value(&f.ty, value, depth + 1, &f.name);
                            if self.analysis.needs_box((r.module_index, r.index), &f.ty) {
                                v = if f.ty.is_optional() {
                                    quote!((#v).map(Box::new))
                                } else {
                                    quote!(Box::new(#v))
                                };
                            }
                            fields.extend(quote!(#name: #v,));
                        }
                        quote!(#path { #fields })
                    }
                }
            }
        }
    }
}

fn primitive(p: Primitive, given: Option<&Value>, field: &str) -> TokenStream {
    match (p, given) {
        (Primitive::String, Some(Value::Str(s))) => quote!(#s.into()),
        (Primitive::String, _) => {
            let s = format!("example {}", field.replace('_', " "));
            quote!(#s.into())
        }
        (Primitive::Int, Some(Value::Int(i))) => {
            let lit = proc_macro2::Literal::i64_unsuffixed(*i);
            quote!(#lit)
        }
        (Primitive::Int, _) => quote!(1),
        (Primitive::Float, Some(Value::Float(f))) if f.is_finite() => {
            let lit = proc_macro2::Literal::f64_unsuffixed(*f);
            quote!(#lit)
        }
        (Primitive::Float, Some(Value::Int(i))) => {
            let lit = proc_macro2::Literal::f64_unsuffixed(*i as f64);
            quote!(#lit)
        }
        (Primitive::Float, _) => quote!(0.5),
        (Primitive::Bool, Some(Value::Bool(b))) => quote!(#b),
        (Primitive::Bool, _) => quote!(true),
        (Primitive::Datetime, g) => {
            let s = match g {
                Some(Value::Str(s)) => s.as_str(),
                _ => "2026-01-01T00:00:00Z",
            };
            quote!(#s.parse().expect("an RFC 3339 timestamp"))
        }
        (Primitive::Date, g) => {
            let s = match g {
                Some(Value::Str(s)) => s.as_str(),
                _ => "2026-01-01",
            };
            quote!(#s.parse().expect("a YYYY-MM-DD date"))
        }
        (Primitive::Uuid, g) => {
            let s = match g {
                Some(Value::Str(s)) => s.as_str(),
                _ => "6f1c2f6e-2d4a-4f39-9a55-0d8b7a1e2c3d",
            };
            quote!(#s.parse().expect("a UUID"))
        }
        (Primitive::Bytes, _) => quote!(vec![0u8, 1, 2]),
        (Primitive::Json, g) => {
            let text = g
                .map(|v| v.to_json().to_string())
                .unwrap_or_else(|| "{}".to_owned());
            quote!(#text.parse().expect("JSON"))
        }
    }
}
