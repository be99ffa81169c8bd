//! Diagnostics: what is wrong with a catalog, where, and how to fix it.
//!
//! Every check reports into a [`Diagnostics`] sink instead of returning early,
//! so one run shows all problems at once.

mod code;
mod render;

pub use code::Code;
pub use render::{
    ColorChoice, JsonDiagnostic, render_json, render_text, render_text_as, render_text_leveled,
};

use serde::Serialize;

use crate::source::{FileId, Span};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Suspicious but valid; fails `check --deny-warnings`.
    Warning,
    /// The catalog is invalid.
    Error,
}

/// A secondary location that explains the primary one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One problem found in a catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable machine-readable code.
    pub code: Code,
    /// One-line description.
    pub message: String,
    /// The offending token; `None` only for file-level problems.
    pub span: Option<Span>,
    /// The file, when there is no span.
    pub file: Option<FileId>,
    /// Text under the caret.
    pub label: Option<String>,
    /// Other relevant places (e.g. the first definition of a duplicate).
    pub related: Vec<Label>,
    /// How to fix it, when known.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error at `span`.
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, Some(span), message)
    }

    /// A new warning at `span`.
    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, Some(span), message)
    }

    /// A new error about a whole file.
    pub fn file_error(code: Code, file: FileId, message: impl Into<String>) -> Self {
        let mut d = Self::new(Severity::Error, code, None, message);
        d.file = Some(file);
        d
    }

    fn new(severity: Severity, code: Code, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: span.map(|s| s.file),
            span,
            label: None,
            related: Vec::new(),
            help: None,
        }
    }

    /// Sets the text under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a related location.
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// At most this many diagnostics are kept; the rest are only counted, so a
/// hostile file with millions of problems cannot exhaust memory.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// An ordered collection of diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    errors: usize,
    warnings: usize,
}

impl Diagnostics {
    /// Records a diagnostic (counted always, kept up to [`MAX_DIAGNOSTICS`]).
    pub fn push(&mut self, d: Diagnostic) {
        match d.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
        if self.items.len() < MAX_DIAGNOSTICS {
            self.items.push(d);
        }
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Number of errors, including any not kept.
    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// Number of warnings, including any not kept.
    pub fn warning_count(&self) -> usize {
        self.warnings
    }

    /// Appends another collection, keeping the cap and every count.
    pub fn merge(&mut self, other: Diagnostics) {
        let (errors, warnings) = (other.errors, other.warnings);
        let room = MAX_DIAGNOSTICS.saturating_sub(self.items.len());
        self.items.extend(other.items.into_iter().take(room));
        self.errors += errors;
        self.warnings += warnings;
    }

    /// How many diagnostics were counted but not kept.
    pub fn dropped(&self) -> usize {
        self.errors + self.warnings - self.items.len()
    }

    /// All diagnostics, in file then position order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Sorts by file and position (stable, so equal places keep report order).
    pub(crate) fn sort(&mut self) {
        self.items.sort_by_key(|d| {
            (
                d.file.map_or(u32::MAX, |f| f.0),
                d.span.map_or(0, |s| s.start),
            )
        });
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}
