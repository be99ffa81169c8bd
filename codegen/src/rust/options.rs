//! The generator's settings, and checking them against a catalog before any
//! code is produced (a typo in a selector is an error, not a silent no-op).

use proc_macro2::TokenStream;
use quote::quote;

use openedx_hooks_schema::{Catalog, Type};

use super::{RustError, ident};

/// Settings of the Rust generator; the CLI flags, the `build.rs`
/// [`Builder`](crate::Builder) and `include_catalog!` all fill this one
/// struct, through the same methods.
///
/// ```
/// let options = openedx_hooks_codegen::RustOptions::new()
///     .derive("::schemars::JsonSchema")
///     .extern_module("learning", "::openedx_events::learning");
/// assert_eq!(options.runtime_crate_path(), "::openedx_hooks");
/// assert_eq!(options.derives(), ["::schemars::JsonSchema"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustOptions {
    /// Path of the runtime crate in generated code (`::openedx_hooks`, or a
    /// re-export such as `::my_platform::hooks`).
    pub(crate) runtime_crate: String,
    /// Extra derive macros (paths) for every generated struct and enum.
    pub(crate) derives: Vec<String>,
    /// `(selector, attribute)` pairs: the attribute (`#[...]`) is added to the
    /// selected types. A selector is `.` (every type), a module name (every
    /// type of the module) or `module.Name` (a scalar, enum, data class, or an
    /// event's constant name for its payload struct). Each must select
    /// something.
    pub(crate) type_attributes: Vec<(String, String)>,
    /// `(module, rust path)` pairs: the module's types already exist at that
    /// path (another crate generated them), so they are referred to there
    /// and not generated, like prost-build's `extern_path`.
    pub(crate) extern_modules: Vec<(String, String)>,
    /// `(module.Name, rust path)` pairs: the Rust type a host type stands
    /// for (default: the runtime's `types::JsonValue`).
    pub(crate) host_types: Vec<(String, String)>,
}

impl RustOptions {
    /// The defaults: runtime `::openedx_hooks`, no extra derive, attribute
    /// or extern module.
    pub fn new() -> Self {
        Self::default()
    }

    /// The runtime crate's path in generated code (`::openedx_hooks`, or a
    /// re-export such as `::my_platform::hooks`).
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Self {
        self.runtime_crate = path.into();
        self
    }

    /// Adds a derive macro (a path) to every generated struct and enum.
    pub fn derive(mut self, path: impl Into<String>) -> Self {
        self.derives.push(path.into());
        self
    }

    /// Adds an attribute (`#[...]`) to the types `selector` names: `.`
    /// (every type), a module name (its types) or `module.Name` (a scalar,
    /// enum, data class, or an event's constant name for its payload
    /// struct). Each selector must select something.
    pub fn type_attribute(
        mut self,
        selector: impl Into<String>,
        attribute: impl Into<String>,
    ) -> Self {
        self.type_attributes
            .push((selector.into(), attribute.into()));
        self
    }

    /// Declares that a catalog module's types already exist at `rust_path`
    /// (another crate generated them): they are referred to there and not
    /// generated, like prost-build's `extern_path`.
    pub fn extern_module(
        mut self,
        module: impl Into<String>,
        rust_path: impl Into<String>,
    ) -> Self {
        self.extern_modules.push((module.into(), rust_path.into()));
        self
    }

    /// Binds a host type (`learning.User`) to the Rust type it stands for
    /// in generated code (`::my_service::auth::User`). Unbound host types
    /// are the runtime's `types::JsonValue`: a JSON picture of the platform
    /// object, which needs nothing of the application.
    pub fn host_type(mut self, host: impl Into<String>, rust_path: impl Into<String>) -> Self {
        self.host_types.push((host.into(), rust_path.into()));
        self
    }

    /// The `(module.Name, rust path)` host bindings, in order.
    pub fn host_types(&self) -> &[(String, String)] {
        &self.host_types
    }

    /// The runtime crate's path.
    pub fn runtime_crate_path(&self) -> &str {
        &self.runtime_crate
    }

    /// The extra derives, in order.
    pub fn derives(&self) -> &[String] {
        &self.derives
    }

    /// The `(selector, attribute)` pairs, in order.
    pub fn type_attributes(&self) -> &[(String, String)] {
        &self.type_attributes
    }

    /// The `(module, rust path)` pairs, in order.
    pub fn extern_modules(&self) -> &[(String, String)] {
        &self.extern_modules
    }
}

impl Default for RustOptions {
    fn default() -> Self {
        RustOptions {
            runtime_crate: "::openedx_hooks".to_owned(),
            derives: Vec::new(),
            type_attributes: Vec::new(),
            extern_modules: Vec::new(),
            host_types: Vec::new(),
        }
    }
}

/// The options checked against one catalog; cheap to turn into tokens on
/// each generator thread (token streams are not `Send`).
pub(crate) struct Checked<'a> {
    options: &'a RustOptions,
    /// Per module: its extern path, if any.
    pub externs: Vec<Option<&'a str>>,
    /// `(module, Some(type) | None for all, attribute)`; `None` module = every module.
    selected: Vec<(Option<String>, Option<String>, &'a str)>,
    /// Bound host types: `(module index, host name, rust path)`.
    hosts: Vec<(usize, &'a str, &'a str)>,
}

fn invalid(option: &'static str, value: &str, reason: impl Into<String>) -> RustError {
    RustError::InvalidOption {
        option,
        value: value.to_owned(),
        reason: reason.into(),
    }
}

impl<'a> Checked<'a> {
    pub fn new(catalog: &Catalog, options: &'a RustOptions) -> Result<Self, RustError> {
        syn::parse_str::<syn::Path>(&options.runtime_crate)
            .map_err(|_| RustError::RuntimePath(options.runtime_crate.clone()))?;
        for d in &options.derives {
            syn::parse_str::<syn::Path>(d).map_err(|_| {
                invalid(
                    "derive",
                    d,
                    "not a Rust path (e.g. `::schemars::JsonSchema`)",
                )
            })?;
        }
        let modules = catalog.modules();
        let mut externs: Vec<Option<&str>> = vec![None; modules.len()];
        for (module, path) in &options.extern_modules {
            // A module and its twin in an extern catalog share a name: the
            // extern one is meant.
            let named = |mi: &usize| modules[*mi].name == *module;
            let found = (0..modules.len())
                .filter(named)
                .find(|&mi| catalog.is_extern_module(mi))
                .or_else(|| (0..modules.len()).find(named));
            let Some(mi) = found else {
                return Err(invalid(
                    "extern module",
                    module,
                    "the catalog has no module of that name",
                ));
            };
            syn::parse_str::<syn::Path>(path)
                .map_err(|_| invalid("extern module", path, "not a Rust path"))?;
            externs[mi] = Some(path);
        }
        // Generated code cannot reach back into a crate that depends on it.
        for (mi, m) in modules.iter().enumerate() {
            if externs[mi].is_none() {
                continue;
            }
            let fields = m
                .types
                .iter()
                .flat_map(|t| t.fields.iter())
                .chain(m.events.iter().flat_map(|e| e.payload.iter()));
            for f in fields {
                if let Some(target) = named_modules(&f.ty).find(|&t| externs[t].is_none()) {
                    return Err(invalid(
                        "extern module",
                        &m.name,
                        format!(
                            "its field `{}` uses module `{}`, which is generated here; an extern module can only use extern modules",
                            f.name, modules[target].name
                        ),
                    ));
                }
            }
        }
        let mut selected = Vec::new();
        for (selector, attr) in &options.type_attributes {
            parse_attr(attr).map_err(|reason| invalid("type attribute", attr, reason))?;
            let (module, name) = match selector.trim() {
                "." | "" => (None, None),
                s => match s.split_once('.') {
                    Some((m, n)) => (Some(m.to_owned()), Some(n.to_owned())),
                    None => (Some(s.to_owned()), None),
                },
            };
            let matches = modules.iter().enumerate().any(|(mi, m)| {
                externs[mi].is_none()
                    && module.as_ref().is_none_or(|x| *x == m.name)
                    && name.as_ref().is_none_or(|n| defines(m, n))
            });
            if !matches {
                return Err(invalid(
                    "type attribute",
                    selector,
                    "the selector matches no generated type; use `.`, `module` or `module.Name`",
                ));
            }
            selected.push((module, name, attr.as_str()));
        }
        let mut hosts = Vec::new();
        for (selector, path) in &options.host_types {
            let found = selector.split_once('.').and_then(|(m, n)| {
                let mi = modules.iter().position(|x| x.name == m)?;
                modules[mi]
                    .hosts
                    .iter()
                    .any(|h| h.name == n)
                    .then_some((mi, n))
            });
            let Some((mi, name)) = found else {
                return Err(invalid(
                    "host type",
                    selector,
                    "the catalog has no host type of that name; write `module.Name`",
                ));
            };
            syn::parse_str::<syn::Type>(path)
                .map_err(|_| invalid("host type", path, "not a Rust type"))?;
            hosts.push((mi, name, path.as_str()));
        }
        Ok(Checked {
            options,
            externs,
            selected,
            hosts,
        })
    }

    /// The Rust type host `name` of module `mi` is bound to, if one was set.
    pub fn host_binding(&self, mi: usize, name: &str) -> Option<&'a str> {
        self.hosts
            .iter()
            .find(|(m, n, _)| *m == mi && *n == name)
            .map(|(_, _, p)| *p)
    }

    /// Whether any host type is bound to an application type (which may
    /// not implement `PartialEq`).
    pub fn has_host_bindings(&self) -> bool {
        !self.hosts.is_empty()
    }

    /// `#[derive(...)]` for the extra derives, or nothing.
    pub fn extra_derives(&self) -> TokenStream {
        if self.options.derives.is_empty() {
            return TokenStream::new();
        }
        let paths = self
            .options
            .derives
            .iter()
            .filter_map(|d| syn::parse_str::<syn::Path>(d).ok());
        quote!(#[derive(#(#paths),*)])
    }

    /// The attributes selected for `name` in `module`, in option order.
    pub fn attributes(&self, module: &str, name: &str) -> TokenStream {
        let mut out = TokenStream::new();
        for (m, n, attr) in &self.selected {
            if m.as_deref().is_none_or(|m| m == module)
                && n.as_deref().is_none_or(|n| n == name)
                && let Ok(a) = parse_attr(attr)
            {
                out.extend(a);
            }
        }
        out
    }
}

fn parse_attr(attr: &str) -> Result<TokenStream, String> {
    let attrs = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, attr).map_err(|e| {
        format!("not an outer attribute such as `#[serde(deny_unknown_fields)]` ({e})")
    })?;
    if attrs.is_empty() {
        return Err("no attribute given; write it as `#[...]`".to_owned());
    }
    Ok(quote!(#(#attrs)*))
}

fn defines(m: &openedx_hooks_schema::Module, name: &str) -> bool {
    m.scalars.iter().any(|s| s.name == name)
        || m.enums.iter().any(|e| e.name == name)
        || m.types.iter().any(|t| t.name == name)
        || m.events.iter().any(|e| e.name == name)
        || m.filters.iter().any(|f| f.name == name)
}

/// The modules a type refers to.
fn named_modules(ty: &Type) -> impl Iterator<Item = usize> + '_ {
    let mut stack = vec![ty];
    std::iter::from_fn(move || {
        while let Some(t) = stack.pop() {
            match t {
                Type::Primitive(_) => {}
                Type::List(inner) | Type::Map(inner) | Type::Optional(inner) => stack.push(inner),
                Type::Named(r) => return Some(r.module_index),
            }
        }
        None
    })
}

/// The Rust path of an extern module's type.
pub(crate) fn extern_type(path: &str, name: &str) -> TokenStream {
    // Checked::new has parsed every extern path.
    let base: syn::Path = syn::parse_str(path).unwrap_or_else(|_| syn::parse_quote!(crate));
    let name = ident::camel(name);
    quote!(#base::#name)
}
