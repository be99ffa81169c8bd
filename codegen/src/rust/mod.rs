//! IR → Rust: payload structs, scalar newtypes, enums and typed signals.

mod doc;
pub(crate) mod ident;
mod literal;
mod options;
mod ty;

pub use options::RustOptions;
pub(crate) use ty::Analysis;

/// The Rust module name of a catalog module (`r#type` for a keyword).
pub(crate) fn module_ident(name: &str) -> String {
    ident::snake(name).0.to_string()
}

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use openedx_hooks_schema::{
    Catalog, Code, Diagnostic, Diagnostics, EnumDef, EventDef, Field, Module, RecordDef, ScalarDef,
};

use ty::RecordId;

/// Why Rust could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum RustError {
    /// Names that cannot be Rust identifiers (rendered like other diagnostics).
    #[error("{} name(s) cannot be used in Rust", .0.len())]
    Names(Diagnostics),
    /// `runtime_crate` is not a Rust path.
    #[error("runtime crate path `{0}` is not a Rust path")]
    RuntimePath(String),
    /// A setting does not fit the catalog or is not valid Rust.
    #[error("invalid {option} `{value}`: {reason}")]
    InvalidOption {
        /// Which setting (`derive`, `type attribute`, `extern module`).
        option: &'static str,
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The generator produced invalid Rust: a bug in openedx-hooks.
    #[error("internal error: generated code does not parse ({0}); please report this")]
    Internal(String),
}

pub(crate) struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub rt: TokenStream,
    pub serde_crate: String,
    /// `Some` when the runtime is not `::openedx_hooks`.
    pub avro_crate: Option<String>,
    pub analysis: &'a Analysis,
    pub options: &'a options::Checked<'a>,
}

/// Generates one Rust module per catalog module, formatted, with an
/// `@generated` header naming the source files. Deterministic: the same
/// catalog always gives the same text.
pub fn generate_rust(catalog: &Catalog, options: &RustOptions) -> Result<String, RustError> {
    generate_rust_on(catalog, options, true)
}

/// [`generate_rust`], on the calling thread only unless `parallel`.
pub(crate) fn generate_rust_on(
    catalog: &Catalog,
    options: &RustOptions,
    parallel: bool,
) -> Result<String, RustError> {
    let path_error = || RustError::RuntimePath(options.runtime_crate.clone());
    let checked = options::Checked::new(catalog, options)?;
    check_names(catalog, &checked)?;
    let analysis = Analysis::new(catalog);
    // Extern modules exist in another crate: only the rest is generated.
    let local: Vec<usize> = (0..catalog.modules().len())
        .filter(|&mi| checked.externs[mi].is_none())
        .collect();
    let count = local.len();
    // Modules are independent: format them on all cores, then join in order.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(if parallel { usize::MAX } else { 1 })
        .min(count)
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || -> Result<Vec<(usize, String)>, RustError> {
        // Token streams are not Send: each thread builds its own.
        let rt: syn::Path = syn::parse_str(&options.runtime_crate).map_err(|_| path_error())?;
        let cx = Ctx {
            catalog,
            rt: quote!(#rt),
            serde_crate: format!("{}::__private::serde", options.runtime_crate),
            avro_crate: (options.runtime_crate != RustOptions::default().runtime_crate)
                .then(|| options.runtime_crate.clone()),
            analysis: &analysis,
            options: &checked,
        };
        let mut done = Vec::new();
        loop {
            let next_local = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&mi) = local.get(next_local) else {
                break;
            };
            let m = &catalog.modules()[mi];
            let file = module(&cx, mi, m).map_err(|e| RustError::Internal(e.to_string()))?;
            done.push((mi, prettyplease::unparse(&file)));
        }
        Ok(done)
    };
    let mut parts: Vec<(usize, String)> = if threads == 1 {
        work()?
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            // Join every thread before looking at results: `scope` panics
            // over a panicked thread left unjoined.
            let joined: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
            let mut all = Vec::new();
            for part in joined {
                match part {
                    Ok(part) => all.extend(part?),
                    Err(_) => {
                        return Err(RustError::Internal("a generator thread panicked".into()));
                    }
                }
            }
            Ok(all)
        })?
    };
    parts.sort_by_key(|(mi, _)| *mi);
    let mut out = header(catalog, &checked);
    for (_, text) in parts {
        out.push_str(&text);
    }
    Ok(out)
}

fn header(catalog: &Catalog, options: &options::Checked<'_>) -> String {
    let mut h = String::from("// @generated by openedx-hooks from:\n");
    let mut externs = String::new();
    for (mi, m) in catalog.modules().iter().enumerate() {
        let file = catalog.sources().file(m.file).name();
        match options.externs[mi] {
            None => h.push_str(&format!("//   {file}\n")),
            Some(path) => {
                externs.push_str(&format!("//   {file} (module `{}` at `{path}`)\n", m.name))
            }
        }
    }
    if !externs.is_empty() {
        h.push_str("// using, not generating:\n");
        h.push_str(&externs);
    }
    h.push_str("// Do not edit by hand: change the catalog and run `openedx-hooks generate`.\n\n");
    h
}

/// Names rustc would reject even with `r#`.
fn check_names(catalog: &Catalog, options: &options::Checked<'_>) -> Result<(), RustError> {
    let mut d = Diagnostics::default();
    let local = catalog
        .modules()
        .iter()
        .enumerate()
        .filter(|(mi, _)| options.externs[*mi].is_none());
    for (_, m) in local {
        if ident::is_unusable(&m.name) {
            let file = Diagnostic::file_error(
                Code::RustName,
                m.file,
                format!("module name `{}` cannot be a Rust module", m.name),
            );
            d.push(file.with_help("rename the module with a `module:` key"));
        }
        let types = m
            .scalars
            .iter()
            .map(|s| (&s.name, s.span))
            .chain(m.enums.iter().map(|e| (&e.name, e.span)))
            .chain(m.types.iter().map(|t| (&t.name, t.span)));
        for (name, span) in types {
            if ident::is_unusable(name) {
                d.push(
                    Diagnostic::error(
                        Code::RustName,
                        span,
                        format!("`{name}` is a Rust keyword and cannot name a type"),
                    )
                    .with_help("rename it"),
                );
            }
        }
        for e in &m.enums {
            // The schema checks case collisions; the `V`/`SelfValue` renaming here can add some.
            let mut seen: Vec<(String, &str)> = Vec::new();
            for v in &e.values {
                let variant = ident::variant(&v.name);
                if let Some((_, other)) = seen.iter().find(|(x, _)| *x == variant) {
                    d.push(
                        Diagnostic::error(Code::RustName, v.span, format!("enum values `{}` and `{other}` both become the variant `{variant}`", v.name))
                            .with_help("rename one of the values"),
                    );
                }
                seen.push((variant, &v.name));
            }
        }
        for e in &m.events {
            let payload = ident::payload_struct(&e.name);
            if ident::is_unusable(&payload) {
                d.push(
                    Diagnostic::error(
                        Code::RustName,
                        e.span,
                        format!(
                            "event `{}` would name its payload `{payload}`, a Rust keyword",
                            e.name
                        ),
                    )
                    .with_help("rename the event"),
                );
            }
        }
    }
    if d.is_empty() {
        Ok(())
    } else {
        Err(RustError::Names(d))
    }
}

/// The module as a syn file. Items are parsed one by one and put into the
/// module's syntax tree directly: wrapping their tokens in one `mod { ... }`
/// stream would copy every token once more and parse one huge buffer.
fn module(cx: &Ctx<'_>, mi: usize, m: &Module) -> syn::Result<syn::File> {
    let rt = &cx.rt;
    let (name, _) = ident::snake(&m.name);
    let file = cx.catalog.sources().file(m.file).name();
    let docs = doc::attrs([format!(
        "Module `{}` of the catalog, from `{file}`.",
        m.name
    )]);
    // `__serde` and `__Avro` cannot clash with a catalog name (those are UpperCamelCase).
    let mut items: Vec<syn::Item> = syn::parse2::<syn::File>(quote! {
        #[allow(unused_imports)]
        use #rt::__private::serde as __serde;
        #[allow(unused_imports)]
        use #rt::Avro as __Avro;
    })?
    .items;
    let parts = m
        .scalars
        .iter()
        .map(|s| scalar(cx, m, s))
        .chain(m.enums.iter().map(|e| enumeration(cx, m, e)))
        .chain(
            m.types
                .iter()
                .enumerate()
                .map(|(ti, t)| record(cx, mi, (mi, ti), t)),
        )
        .chain(m.events.iter().map(|e| event(cx, mi, e)));
    for tokens in parts {
        items.extend(syn::parse2::<syn::File>(tokens)?.items);
    }
    let mut module: syn::ItemMod = syn::parse2(quote! {
        #docs
        #[allow(clippy::upper_case_acronyms, clippy::enum_variant_names, clippy::large_enum_variant)]
        pub mod #name {}
    })?;
    module.content = Some((syn::token::Brace::default(), items));
    let mut file: syn::File = syn::parse2(TokenStream::new())?;
    file.items.push(syn::Item::Mod(module));
    Ok(file)
}

/// `#[serde(crate = ...)]`, and `#[avro(crate = ...)]` for a re-exported runtime.
fn serde_attr(cx: &Ctx<'_>) -> TokenStream {
    let path = &cx.serde_crate;
    let avro = cx.avro_crate.as_ref().map(|c| quote!(#[avro(crate = #c)]));
    quote!(#[serde(crate = #path)] #avro)
}

// Derive macros live in the macro namespace: a catalog type named `Clone` or
// `Debug` cannot shadow them, so the short names are safe there (types in
// field positions, by contrast, always use absolute paths).
fn derives(cx: &Ctx<'_>, eq_hash: bool) -> TokenStream {
    let eq = eq_hash.then(|| quote!(Eq, Hash,));
    let extra = cx.options.extra_derives();
    quote! {
        #[derive(Debug, Clone, PartialEq, #eq __serde::Serialize, __serde::Deserialize, __Avro)]
        #extra
    }
}

fn scalar(cx: &Ctx<'_>, m: &Module, s: &ScalarDef) -> TokenStream {
    let name = ident::camel(&s.name);
    let mut lines: Vec<String> = s.description.iter().cloned().collect();
    if lines.is_empty() {
        lines.push(format!("The string type `{}`.", s.name));
    }
    if let Some(ex) = &s.example {
        lines.push(String::new());
        lines.push(format!("Example: `{ex}`"));
    }
    let docs = doc::attrs(lines);
    let serde = serde_attr(cx);
    let extra = cx.options.extra_derives();
    let attrs = cx.options.attributes(&m.name, &s.name);
    quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, __serde::Serialize, __serde::Deserialize, __Avro)]
        #extra
        #serde
        #[serde(transparent)]
        #attrs
        pub struct #name(pub ::std::string::String);

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self(::std::string::String::from(s)))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(s: ::std::string::String) -> Self {
                Self(s)
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self {
                Self(::std::string::String::from(s))
            }
        }
    }
}

fn enumeration(cx: &Ctx<'_>, m: &Module, e: &EnumDef) -> TokenStream {
    let rt = &cx.rt;
    let name = ident::camel(&e.name);
    let type_name = &e.name;
    let docs = doc::attrs([e
        .description
        .clone()
        .unwrap_or_else(|| format!("The enumeration `{}`.", e.name))]);
    let serde = serde_attr(cx);
    let variants: Vec<proc_macro2::Ident> = e
        .values
        .iter()
        .map(|v| format_ident!("{}", ident::variant(&v.name)))
        .collect();
    let values: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
    let value_docs = values.iter().map(|v| format!(" `{v}`"));
    let count = values.len();
    let extra = cx.options.extra_derives();
    let attrs = cx.options.attributes(&m.name, &e.name);
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, __serde::Serialize, __serde::Deserialize, __Avro)]
        #extra
        #serde
        #attrs
        pub enum #name {
            #(
                #[doc = #value_docs]
                #[serde(rename = #values)]
                #variants,
            )*
        }

        impl #name {
            /// Every value, in definition order.
            pub const ALL: [Self; #count] = [#(Self::#variants),*];

            /// The value as sent on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(Self::#variants => #values,)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = #rt::types::UnknownValue;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    #(#values => ::std::result::Result::Ok(Self::#variants),)*
                    _ => ::std::result::Result::Err(#rt::types::UnknownValue { type_name: #type_name, value: ::std::string::String::from(s) }),
                }
            }
        }
    }
}

/// Struct fields, with the default functions some of them need.
fn fields(
    cx: &Ctx<'_>,
    mi: usize,
    owner: Option<RecordId>,
    owner_name: &str,
    fields: &[Field],
) -> (TokenStream, TokenStream) {
    // Built by moving streams in (`extend`): interpolation would copy every
    // token once more per nesting level.
    let mut out = TokenStream::new();
    let mut default_fns = TokenStream::new();
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
        let default = match &f.default {
            Some(v) if literal::is_zero(v, &f.ty) => quote!(#[serde(default)]),
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
                quote!(#[serde(default = #fn_path)])
            }
            None if f.ty.is_optional() => quote!(#[serde(default)]),
            None => quote!(),
        };
        out.extend(docs);
        out.extend(rename);
        out.extend(default);
        out.extend(quote!(pub #name: #rust_ty,));
    }
    (out, default_fns)
}

fn record(cx: &Ctx<'_>, mi: usize, id: RecordId, t: &RecordDef) -> TokenStream {
    let name = ident::camel(&t.name);
    let docs = doc::attrs([t
        .description
        .clone()
        .unwrap_or_else(|| format!("The data class `{}`.", t.name))]);
    let eq_hash = cx.analysis.fields_eq_hash(t.fields.iter().map(|f| &f.ty));
    let derive = derives(cx, eq_hash);
    let serde = serde_attr(cx);
    let attrs = cx
        .options
        .attributes(&cx.catalog.modules()[mi].name, &t.name);
    let (fields, default_fns) = fields(cx, mi, Some(id), &t.name, &t.fields);
    quote! {
        #docs
        #derive
        #serde
        #attrs
        pub struct #name {
            #fields
        }
        #default_fns
    }
}

fn event(cx: &Ctx<'_>, mi: usize, e: &EventDef) -> TokenStream {
    let rt = &cx.rt;
    let payload_name = ident::payload_struct(&e.name);
    let payload = format_ident!("{}", payload_name);
    let signal = format_ident!("{}", e.name);
    let eq_hash = cx.analysis.fields_eq_hash(e.payload.iter().map(|f| &f.ty));
    let derive = derives(cx, eq_hash);
    let serde = serde_attr(cx);
    let attrs = cx
        .options
        .attributes(&cx.catalog.modules()[mi].name, &e.name);
    let (fields, default_fns) = fields(cx, mi, None, &payload_name, &e.payload);
    let payload_docs = doc::attrs([format!(
        "The payload of [`{}`] (`{}`).",
        e.name, e.event_type
    )]);
    let mut lines: Vec<String> = e.description.iter().cloned().collect();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("- Event type: `{}`", e.event_type));
    lines.push(format!(
        "- Version: major {}, minor {}",
        e.major_version, e.minor_version
    ));
    if let Some(t) = &e.trigger {
        lines.push(format!("- Trigger: `{t}`"));
    }
    if let Some(a) = &e.added {
        lines.push(format!("- Added: {a}"));
    }
    if let Some(k) = &e.key_field {
        lines.push(format!("- Event-bus key: `{}`", k.dotted()));
    }
    let signal_docs = doc::attrs(lines);
    let (event_type, name, major, minor) =
        (&e.event_type, &e.name, e.major_version, e.minor_version);
    quote! {
        #payload_docs
        #derive
        #serde
        #attrs
        pub struct #payload {
            #fields
        }
        #default_fns

        #signal_docs
        pub static #signal: #rt::Signal<#payload> = #rt::Signal::new(#event_type, #name, #major, #minor);

        #rt::__register_event!(#signal);
    }
}
