//! IR → Rust: payload structs, scalar newtypes, enums and typed signals.
//!
//! - `driver`: settings and names checked, modules generated in parallel,
//!   joined under the `@generated` header;
//! - `checks`: names Rust cannot take, as diagnostics;
//! - `emit`: one emitter per kind of item (scalar, enum, data class, event);
//! - `ty`, `literal`, `ident`, `doc`: types, default values, identifiers and
//!   doc comments, shared by the emitters;
//! - `options`: the generator's settings, checked against the catalog.

mod checks;
mod doc;
mod driver;
mod emit;
pub(crate) mod ident;
mod literal;
mod options;
mod text;
mod ty;

pub use driver::generate_rust;
pub(crate) use driver::generate_rust_on;
pub use options::RustOptions;
pub(crate) use ty::Analysis;

use proc_macro2::TokenStream;

use openedx_hooks_schema::{Catalog, Diagnostics};

/// The runtime's versioned private module: every path generated code
/// takes into the runtime goes through it (see the runtime's
/// `__private_v3`), so generated code and runtime versions that do not
/// match fail to compile instead of compiling to something else.
pub(crate) const PRIVATE: &str = "__private_v3";

/// The Rust module name of a catalog module (`r#type` for a keyword).
pub(crate) fn module_ident(name: &str) -> String {
    ident::snake(name).0.to_string()
}

/// Why Rust could not be generated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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

/// What the emitters share while generating one catalog on one thread.
pub(crate) struct Ctx<'a> {
    pub catalog: &'a Catalog,
    /// How items of a generated module name the runtime's private path:
    /// `__rt`, which the module imports (short paths keep the file small
    /// and quick to format and to parse).
    pub rt: TokenStream,
    /// `<runtime crate>::__private_v3`.
    pub rt_path: TokenStream,
    pub serde_crate: String,
    /// `Some` when the runtime is not `::openedx_hooks`.
    pub avro_crate: Option<String>,
    pub analysis: &'a Analysis,
    pub options: &'a options::Checked<'a>,
    /// Items of the piece being generated that are written as text.
    pub texts: text::Texts,
}
