//! A small YAML document model with a source span on every node.
//!
//! Built from `saphyr-parser` events by an explicit stack (no recursion, so a
//! 10,000-deep document cannot overflow the stack) under resource budgets
//! that stop hostile input early: nesting depth, node count, and the number
//! of nodes alias expansion may produce ("billion laughs").

mod load;
mod scalar;

pub use load::{Limits, load_document};
pub use scalar::Value;

use crate::source::Span;

/// How a scalar was written; quoted scalars are always strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unquoted: resolved with the YAML 1.2 core schema (null, bool, int, float, string).
    Plain,
    /// Single- or double-quoted, or a block scalar: always a string.
    Quoted,
}

/// A YAML node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node was written.
    pub span: Span,
    /// What it holds.
    pub kind: NodeKind,
}

/// The three YAML node kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar with its text and style.
    Scalar(String, Style),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping; keys are scalars and unique (the loader enforces both).
    Map(Vec<Entry>),
}

/// One key/value pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key's text.
    pub key: String,
    /// Where the key was written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The entries, when this is a mapping.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(e) => Some(e),
            _ => None,
        }
    }

    /// Whether this is a null scalar (`~`, `null`, or nothing).
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s, Style::Plain) if scalar::plain_kind(s) == scalar::PlainKind::Null)
    }

    /// The text, when this is a scalar.
    pub fn as_scalar(&self) -> Option<(&str, Style)> {
        match &self.kind {
            NodeKind::Scalar(s, style) => Some((s, *style)),
            _ => None,
        }
    }

    /// The scalar as a string value: quoted scalars, and plain scalars the
    /// core schema does not read as null/bool/number.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s, Style::Quoted) => Some(s),
            NodeKind::Scalar(s, Style::Plain) => {
                (scalar::plain_kind(s) == scalar::PlainKind::Str).then_some(s.as_str())
            }
            _ => None,
        }
    }

    /// The node as a plain data value (mappings keep their order).
    pub fn to_value(&self) -> Value {
        match &self.kind {
            NodeKind::Scalar(s, Style::Quoted) => Value::Str(s.clone()),
            NodeKind::Scalar(s, Style::Plain) => scalar::resolve_plain(s),
            NodeKind::Seq(items) => Value::Seq(items.iter().map(Node::to_value).collect()),
            NodeKind::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_value()))
                    .collect(),
            ),
        }
    }

    /// A human word for the node's kind, for "expected X, found Y" messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar(..) => self.to_value().kind_name(),
            NodeKind::Seq(_) => "a sequence",
            NodeKind::Map(_) => "a mapping",
        }
    }
}
