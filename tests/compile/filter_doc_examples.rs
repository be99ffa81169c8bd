//! The copy-paste pipeline steps of the filters' documentation (one module
//! per Open edX filter), compiled against `openedx-filters`.
#![deny(warnings)]
#![allow(dead_code, missing_docs)]
include!("generated/filter_doc_examples.rs");

fn main() {}
