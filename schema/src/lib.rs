//! The openedx-hooks event schema language.
//!
//! This crate owns the YAML language in which events are described: loading
//! files with source spans, validating them with compiler-grade diagnostics,
//! and resolving them into the typed, immutable [`Catalog`] (the IR) that every
//! output of openedx-hooks is generated from. It knows nothing of Rust code
//! generation (no syn/quote), documentation formats, or wire encodings.
//!
//! ```
//! use openedx_hooks_schema::Loader;
//!
//! let yaml = r#"
//! module: learning
//! types:
//!   UserData:
//!     fields:
//!       id: int
//! events:
//!   STUDENT_REGISTRATION_COMPLETED:
//!     type: org.openedx.learning.student.registration.completed.v1
//!     payload:
//!       user: UserData
//! "#;
//! let outcome = Loader::new().load_str("learning.yaml", yaml);
//! let catalog = outcome.catalog.expect("valid catalog");
//! let (_, event) = catalog.events().next().unwrap();
//! assert_eq!(event.major_version, 1);
//! ```

pub mod diag;
pub mod diff;
pub mod ir;
mod load;
pub mod parallel;
mod resolve;
pub mod scc;
pub mod source;
mod stable_id;
pub mod suggest;
pub mod syntax;
pub mod yaml;

pub use diag::{Code, Diagnostic, Diagnostics, Severity};
pub use ir::{
    Catalog, DefKind, EnumDef, EventDef, ExceptionDef, Field, FilterDef, HostDef, KeyField, Module,
    Primitive, PythonFilter, RecordDef, ReturnAccess, ScalarDef, Settings, Type, TypeRef,
};
pub use load::{LoadError, Loader, Outcome};
pub use resolve::parse_date;
pub use source::{FileId, SourceFile, SourceMap, Span};
pub use yaml::{Limits, Value};
