//! Rendering diagnostics as rustc-style text or as JSON objects.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet, normalize_untrusted_str};
use serde::Serialize;

use super::{Diagnostic, Severity};
use crate::source::{SourceMap, Span};

/// Whether rendered text carries ANSI colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Plain text (files, tests, CI logs).
    #[default]
    Never,
    /// ANSI colors (a terminal).
    Always,
}

/// Renders one diagnostic like rustc: `error[code]: message`, ` --> file:line:column`,
/// the source line with a caret under the token, and `= help:` when known.
pub fn render_text(d: &Diagnostic, sources: &SourceMap, color: ColorChoice) -> String {
    render_text_as(d, d.code.as_str(), sources, color)
}

/// Like [`render_text`], showing `id` in place of the diagnostic's code (the
/// compatibility gate shows its rule ids, `error[FIELD_REMOVED]`).
pub fn render_text_as(d: &Diagnostic, id: &str, sources: &SourceMap, color: ColorChoice) -> String {
    render_text_leveled(d, None, id, sources, color)
}

/// [`render_text_as`] under another level name than the severity's
/// (`minor[FIELD_ADDED_OPTIONAL]`, `info[EVENT_ADDED]`): for reports whose
/// entries are neither errors nor warnings, so that what is printed as a
/// warning is only ever a warning.
pub fn render_text_leveled(
    d: &Diagnostic,
    level: Option<&str>,
    id: &str,
    sources: &SourceMap,
    color: ColorChoice,
) -> String {
    let level = match (level, d.severity) {
        (Some(name), _) => Level::NOTE.with_name(name.to_owned()),
        (None, Severity::Error) => Level::ERROR,
        (None, Severity::Warning) => Level::WARNING,
    };
    let mut group = Group::with_title(level.primary_title(d.message.as_str()).id(id));

    match d.span {
        Some(span) => {
            let mut spans: Vec<(Span, Option<&str>, bool)> = vec![(span, d.label.as_deref(), true)];
            spans.extend(
                d.related
                    .iter()
                    .filter(|l| l.span.file == span.file)
                    .map(|l| (l.span, Some(l.message.as_str()), false)),
            );
            group = group.element(snippet(sources, &spans));
            for l in d.related.iter().filter(|l| l.span.file != span.file) {
                group = group.element(snippet(sources, &[(l.span, Some(&l.message), false)]));
            }
        }
        None => {
            if let Some(file) = d.file {
                group = group.element(annotate_snippets::Origin::path(sources.file(file).name()));
            }
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(normalize_untrusted_str(help)));
    }
    let renderer = match color {
        ColorChoice::Never => Renderer::plain(),
        ColorChoice::Always => Renderer::styled(),
    };
    renderer.render(&[group])
}

/// A snippet holding only the lines the annotations touch, so that
/// rendering cost does not grow with the file size.
fn snippet<'a>(
    sources: &'a SourceMap,
    spans: &[(Span, Option<&'a str>, bool)],
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let file = sources.file(spans[0].0.file);
    let text = file.text();
    let lo = spans
        .iter()
        .map(|s| s.0.start as usize)
        .min()
        .unwrap_or(0)
        .min(text.len());
    let hi = spans
        .iter()
        .map(|s| s.0.end as usize)
        .max()
        .unwrap_or(0)
        .min(text.len());
    let first_line_start = text[..lo].rfind('\n').map_or(0, |i| i + 1);
    let last_line_end = text[hi..].find('\n').map_or(text.len(), |i| hi + i);
    let (first_line, _) = file.line_col(first_line_start);
    let mut s = Snippet::source(&text[first_line_start..last_line_end])
        .line_start(first_line as usize)
        .path(file.name());
    for &(span, label, primary) in spans {
        let start = (span.start as usize).clamp(first_line_start, last_line_end) - first_line_start;
        let mut end = (span.end as usize).clamp(first_line_start, last_line_end) - first_line_start;
        if end == start {
            // Point at one character so an empty span still shows a caret.
            end = text[first_line_start + start..last_line_end]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8());
        }
        let kind = if primary {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        let mut a = kind.span(start..end);
        if let Some(label) = label {
            a = a.label(label);
        }
        s = s.annotation(a);
    }
    s
}

/// The JSON form of a diagnostic (`check --format json`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct JsonDiagnostic {
    /// `error` or `warning`.
    pub severity: Severity,
    /// Stable code such as `unknown-key`.
    pub code: String,
    /// One-line description.
    pub message: String,
    /// File name as given on the command line, if any.
    pub file: Option<String>,
    /// 1-based line, if known.
    pub line: Option<u32>,
    /// 1-based column in characters, if known.
    pub column: Option<u32>,
    /// How to fix it, if known.
    pub help: Option<String>,
}

/// Converts diagnostics to their JSON objects.
pub fn render_json<'a>(
    diags: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &SourceMap,
) -> Vec<JsonDiagnostic> {
    diags
        .into_iter()
        .map(|d| JsonDiagnostic {
            severity: d.severity,
            code: d.code.as_str().to_owned(),
            message: d.message.clone(),
            file: d.file.map(|f| sources.file(f).name().to_owned()),
            line: d.span.map(|s| s.line),
            column: d.span.map(|s| s.column),
            help: d.help.clone(),
        })
        .collect()
}
