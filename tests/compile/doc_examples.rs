//! The Rust examples of the generated documentation (one module per Open
//! edX event), compiled against `openedx-events`, and every send run.
#![deny(warnings)]
#![allow(dead_code, missing_docs)]
include!("generated/doc_examples.rs");

fn main() {}
