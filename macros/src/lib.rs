//! Procedural macros of openedx-hooks.
//!
//! Thin shells over `openedx-hooks-codegen`: they read their input, call the
//! shared generator, and turn diagnostics into spanned `compile_error!`s. They
//! own no generation logic of their own. The macros (`include_catalog!`,
//! `#[receiver]`) arrive with the build-time generation issue.
