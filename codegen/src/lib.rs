//! Code generation for openedx-hooks catalogs.
//!
//! This crate owns turning the resolved [`Catalog`] into outputs: Rust code
//! ([`generate_rust`]), wire schemas ([`generate_avro`],
//! [`generate_json_schema`]), documentation ([`generate_docs`]), the scan
//! for where events are sent ([`triggers`]), and the [`Builder`] that
//! `build.rs` scripts, the CLI's `generate` and `include_catalog!` share.
//! Generators return strings and do no I/O (only the [`Builder`] reads and
//! writes files); syn and proc-macro2 types stay out
//! of the public API so a downstream `build.rs` is not tied to our syn
//! version. It knows the IR, not the YAML syntax, and of the runtime only the
//! names generated code refers to.
//!
//! # Layout
//!
//! | module | owns |
//! |---|---|
//! | `rust` | IR → Rust: `driver` (settings and names checked, modules generated in parallel, the `@generated` header), `checks` (names Rust cannot take), `emit` (one emitter per kind of item: scalar, enum, data class, event), `options` ([`RustOptions`]) |
//! | `wire` | Avro schemas and JSON Schema |
//! | `docs` | the index and reference pages, written once over a `Markup` trait for RST and Markdown; compiled Rust examples |
//! | [`triggers`] | where each event is sent in Rust and Python trees |
//! | `builder` | the [`Builder`]: reads catalog files (own and extern), generates, writes when changed |
//!
//! Generated code reaches the runtime only through its versioned private
//! module `__private_v3` (see the runtime's docs).
//!
//! ```
//! use openedx_hooks_codegen::{RustOptions, generate_rust};
//! use openedx_hooks_schema::Loader;
//!
//! let yaml = "types:\n  UserData:\n    fields:\n      id: int\nevents:\n  USER_CREATED:\n    type: org.example.learning.user.account.created.v1\n    payload:\n      user: UserData\n";
//! let catalog = Loader::new().load_str("learning.yaml", yaml).catalog.unwrap();
//! let code = generate_rust(&catalog, &RustOptions::default()).unwrap();
//! assert!(code.contains("use ::openedx_hooks::__private_v3 as __rt;"));
//! assert!(code.contains("pub static USER_CREATED: __rt::Signal<UserCreated>"));
//! ```

mod builder;
mod docs;
mod python;
mod rust;
pub mod triggers;
mod wire;

pub use builder::{BuildError, Builder, CatalogReport, Generated, write_if_changed};
pub use docs::{
    DocFile, DocFormat, DocsOptions, TriggerLocation, filter_step_examples, generate_docs,
    index_table, rust_examples,
};
pub use openedx_hooks_schema as schema;
pub use openedx_hooks_schema::{Catalog, Diagnostic, Diagnostics};
pub use python::{PythonError, PythonFile, generate_python};
pub use rust::{RustError, RustOptions, generate_rust};
pub use wire::{SchemaFile, avro_schema, generate_avro, generate_json_schema, json_schema};
