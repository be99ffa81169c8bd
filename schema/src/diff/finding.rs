//! What the diff reports: one finding type for a hook of any kind.

use serde::Serialize;

use super::rules::{Mode, Promotion, Rule, Verdict, verdict};
use crate::ir::{EventDef, FilterDef};
use crate::source::Span;

/// The kind of hook a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum HookKind {
    /// An event (a signal).
    Event,
    /// A filter.
    Filter,
}

impl HookKind {
    /// `event`.
    pub fn as_str(self) -> &'static str {
        match self {
            HookKind::Event => "event",
            HookKind::Filter => "filter",
        }
    }
}

/// The hook a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct HookRef {
    /// Its kind.
    pub kind: HookKind,
    /// Its constant name (the new one, unless the hook is gone).
    pub name: String,
    /// Its type string (`org.openedx.….v1`).
    pub hook_type: String,
}

impl HookRef {
    /// An event.
    pub fn event(e: &EventDef) -> Self {
        HookRef {
            kind: HookKind::Event,
            name: e.name.clone(),
            hook_type: e.event_type.clone(),
        }
    }

    /// A filter.
    pub fn filter(f: &FilterDef) -> Self {
        HookRef {
            kind: HookKind::Filter,
            name: f.name.clone(),
            hook_type: f.filter_type.clone(),
        }
    }
}

/// One change, judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The rule that matched.
    pub rule: Rule,
    /// Its weight under the mode.
    pub verdict: Verdict,
    /// Whether it also warns (fails the gate only with `--deny-warnings`).
    pub warning: bool,
    /// The hook it is about.
    pub hook: HookRef,
    /// The field path inside the payload or arguments; empty for the hook itself.
    pub path: String,
    /// What changed.
    pub message: String,
    /// How to make the change safely.
    pub hint: String,
    /// Where, in the new catalog.
    pub new: Option<Span>,
    /// Where, in the baseline.
    pub old: Option<Span>,
}

impl Finding {
    /// A finding of `rule` about `hook`, judged under `mode`; the rest is
    /// filled in with [`at`](Self::at), [`says`](Self::says),
    /// [`spans`](Self::spans) and [`promotion`](Self::promotion).
    pub fn new(mode: Mode, rule: Rule, hook: HookRef) -> Self {
        let (verdict, warning) = verdict(rule, mode, Promotion::None);
        Finding {
            rule,
            verdict,
            warning,
            hook,
            path: String::new(),
            message: String::new(),
            hint: String::new(),
            new: None,
            old: None,
        }
    }

    /// Judges it again for a type change that widens or narrows.
    pub fn promotion(mut self, mode: Mode, promotion: Promotion) -> Self {
        (self.verdict, self.warning) = verdict(self.rule, mode, promotion);
        self
    }

    /// The field path it is at.
    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// What changed and how to make the change safely.
    pub fn says(mut self, message: impl Into<String>, hint: impl Into<String>) -> Self {
        self.message = message.into();
        self.hint = hint.into();
        self
    }

    /// Where, in the new catalog and in the baseline.
    pub fn spans(mut self, new: Option<Span>, old: Option<Span>) -> Self {
        self.new = new;
        self.old = old;
        self
    }

    /// An addition (a new hook, a new optional field): information that is
    /// shown by default, whatever its verdict.
    pub fn is_addition(&self) -> bool {
        matches!(
            self.rule,
            Rule::EventAdded
                | Rule::FieldAddedOptional
                | Rule::FilterAdded
                | Rule::FilterExceptionAdded
        )
    }

    /// Whether the gate shows it without `--verbose`: everything but
    /// documentation-only changes.
    pub fn is_shown_by_default(&self) -> bool {
        self.verdict != Verdict::Safe || self.is_addition()
    }

    /// What the finding is for people: `error` (breaking or a version
    /// violation), `warning`, `minor`, `info` (an addition that needs
    /// nothing) or `safe`.
    pub fn severity(&self) -> &'static str {
        match self.verdict {
            Verdict::Breaking | Verdict::Violation => "error",
            _ if self.warning => "warning",
            Verdict::Minor => "minor",
            Verdict::Safe if self.is_addition() => "info",
            Verdict::Safe => "safe",
        }
    }
}
