//! The ignore file: changes a project has approved, so the gate passes
//! them until their expiry date.
//!
//! ```yaml
//! - rule: FIELD_REMOVED
//!   event: STUDENT_REGISTRATION_COMPLETED   # a name or type, `*` and `?` globs
//!   path: user.pii.*                        # optional
//!   reason: "the field was never filled in"
//!   expires: 2027-01-31
//! ```
//!
//! `rule`, `event`, `reason` and `expires` are required. An expired entry
//! fails the gate; an entry that matches nothing is a warning.

use std::path::Path;

use super::{Report, Rule};
use crate::diag::{ColorChoice, render_text};
use crate::{Code, Diagnostic, SourceMap, Span, Value};

/// One approved change.
#[derive(Debug, Clone)]
struct Entry {
    rule: String,
    event: String,
    path: Option<String>,
    expires: String,
    span: Span,
    used: bool,
}

/// An ignore file: changes a project has approved, each with a reason and
/// an expiry date.
#[derive(Debug, Clone)]
pub struct IgnoreFile {
    sources: SourceMap,
    entries: Vec<Entry>,
}

/// A problem with the ignore file itself: an expired entry (fails the
/// gate) or one that matches nothing (a warning).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct IgnoreProblem {
    /// What is wrong.
    pub message: String,
    /// The entry.
    pub span: Span,
    /// The ignore file's text, for rendering the span.
    pub sources: SourceMap,
    /// Whether it fails the gate (an expired entry) or only warns.
    pub fails: bool,
}

/// An ignore file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IgnoreError {
    /// It cannot be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// It is not a valid ignore file; the rendered diagnostic.
    #[error("{0}")]
    Invalid(String),
}

impl IgnoreFile {
    /// Reads `- { rule, event, path?, reason, expires }` entries from a file.
    pub fn load(path: &Path) -> Result<IgnoreFile, IgnoreError> {
        let text = std::fs::read_to_string(path).map_err(|source| IgnoreError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(path, text)
    }

    /// Reads entries from text; `name` names it in diagnostics.
    pub fn parse(name: impl AsRef<Path>, text: String) -> Result<IgnoreFile, IgnoreError> {
        let mut b = SourceMap::builder();
        let id = b.add(name.as_ref(), text);
        let sources = b.build();
        let mut diags = crate::Diagnostics::default();
        let root = crate::yaml::load_document(&sources, id, Default::default(), &mut diags);
        let bad = |msg: String, span: Option<Span>| {
            let d = match span {
                Some(s) => Diagnostic::error(Code::InvalidValue, s, msg),
                None => Diagnostic::file_error(Code::InvalidValue, id, msg),
            };
            IgnoreError::Invalid(render_text(&d, &sources, ColorChoice::Never))
        };
        let root = match root {
            Ok(Some(r)) if !diags.has_errors() => r,
            Ok(None) => {
                return Ok(IgnoreFile {
                    sources,
                    entries: Vec::new(),
                });
            }
            _ => {
                let first = diags
                    .iter()
                    .next()
                    .map(|d| render_text(d, &sources, ColorChoice::Never))
                    .unwrap_or_default();
                return Err(IgnoreError::Invalid(format!(
                    "invalid ignore file:\n{first}"
                )));
            }
        };
        let crate::yaml::NodeKind::Seq(items) = &root.kind else {
            return Err(bad(
                "the ignore file is a list of `{rule, event, reason, expires}` entries".into(),
                Some(root.span),
            ));
        };
        let mut entries = Vec::new();
        for item in items {
            let Some(map) = item.as_map() else {
                return Err(bad("expected a mapping".into(), Some(item.span)));
            };
            let get = |k: &str| {
                map.iter()
                    .find(|e| e.key == k)
                    .and_then(|e| match e.value.to_value() {
                        Value::Str(s) => Some(s),
                        _ => None,
                    })
            };
            for e in map {
                if !["rule", "event", "path", "reason", "expires"].contains(&e.key.as_str()) {
                    return Err(bad(format!("unknown key `{}`", e.key), Some(e.key_span)));
                }
            }
            let (Some(rule), Some(event), Some(reason), Some(expires)) =
                (get("rule"), get("event"), get("reason"), get("expires"))
            else {
                return Err(bad(
                    "an entry needs `rule`, `event`, `reason` and `expires` (strings)".into(),
                    Some(item.span),
                ));
            };
            if !Rule::ALL.iter().any(|r| r.id() == rule) {
                let hint = crate::suggest::did_you_mean(&rule, Rule::ALL.iter().map(|r| r.id()))
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default();
                return Err(bad(format!("unknown rule `{rule}`{hint}"), Some(item.span)));
            }
            if reason.trim().is_empty() {
                return Err(bad(
                    "`reason` must say why the change is approved".into(),
                    Some(item.span),
                ));
            }
            if crate::parse_date(&expires).is_none() {
                return Err(bad(
                    format!("`expires` must be a YYYY-MM-DD date, found `{expires}`"),
                    Some(item.span),
                ));
            }
            entries.push(Entry {
                rule,
                event,
                path: get("path"),
                expires,
                span: item.span,
                used: false,
            });
        }
        Ok(IgnoreFile { sources, entries })
    }

    /// Moves the findings the entries approve, as of `today`
    /// (`YYYY-MM-DD`), to [`Report::ignored`], and records expired and
    /// unused entries in [`Report::ignore_problems`].
    pub fn apply(&mut self, report: &mut Report, today: &str) {
        let problems = &mut report.ignore_problems;
        for entry in &mut self.entries {
            if entry.expires.as_str() < today {
                problems.push(IgnoreProblem {
                    message: format!(
                        "ignore entry for {} on `{}` expired on {}",
                        entry.rule, entry.event, entry.expires
                    ),
                    span: entry.span,
                    sources: self.sources.clone(),
                    fails: true,
                });
                continue;
            }
            let matches = |f: &super::Finding| {
                f.rule.id() == entry.rule
                    && (glob(&entry.event, &f.hook.name) || glob(&entry.event, &f.hook.hook_type))
                    && entry.path.as_deref().is_none_or(|p| glob(p, &f.path))
            };
            let (approved, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut report.findings)
                .into_iter()
                .partition(|f| matches(f));
            report.findings = kept;
            entry.used = !approved.is_empty();
            report.ignored.extend(approved);
            if !entry.used {
                problems.push(IgnoreProblem {
                    message: format!(
                        "ignore entry for {} on `{}` matches no finding; remove it",
                        entry.rule, entry.event
                    ),
                    span: entry.span,
                    sources: self.sources.clone(),
                    fails: false,
                });
            }
        }
    }
}

/// `*` matches any run of characters, `?` one character.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}
