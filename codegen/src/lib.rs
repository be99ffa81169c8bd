//! Code generation for openedx-hooks catalogs.
//!
//! This crate owns turning the resolved [`openedx_hooks_schema::Catalog`] into
//! outputs: Rust code, documentation, and wire schemas, plus the `build.rs`
//! builder. Generators return strings and do no I/O; syn and proc-macro2 types
//! stay out of the public API so a downstream `build.rs` is not tied to our syn
//! version. It must not know about the YAML syntax (only the IR) nor about the
//! runtime's internals (only the names generated code refers to).
//!
//! The generators arrive with the code-generation, documentation and wire
//! schema issues; for now the crate re-exports the schema it compiles from.

pub use openedx_hooks_schema as schema;
