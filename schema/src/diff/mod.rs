//! Diffing two catalogs: what changed between a baseline and a new catalog,
//! and whether consumers keep working (the core of the compatibility gate).
//!
//! Events are matched by event type; a new type (`…v2` next to `…v1`) is an
//! addition, never a break. A change inside a data class is reported once per
//! event that reaches it, with the full field path
//! (`STUDENT_REGISTRATION_COMPLETED: user.pii.email`).
//!
//! The module is split by concern: `finding` (what a change is reported
//! as, for a hook of any kind), `rules` (the rule table and verdicts),
//! `payload` (fields, types and records compared, memoized), `event` (the
//! checks of one event), [`ignore`] (approved changes, with expiry).
//!
//! ```
//! use openedx_hooks_schema::Loader;
//! use openedx_hooks_schema::diff::{Mode, Rule, diff};
//!
//! let old = "types:\n  UserData:\n    fields:\n      id: int\n      email: string\nevents:\n  USER_CREATED:\n    type: org.example.learning.user.account.created.v1\n    payload:\n      user: UserData\n";
//! let new = old.replace("      email: string\n", "");
//! let old = Loader::new().load_str("learning.yaml", old).catalog.unwrap();
//! let new = Loader::new().load_str("learning.yaml", &new).catalog.unwrap();
//! let report = diff(&old, &new, Mode::Full);
//! assert_eq!(report.findings[0].rule, Rule::FieldRemoved);
//! assert_eq!(report.findings[0].path, "user.email");
//! assert!(report.fails(false));
//! ```

mod event;
mod filter;
mod finding;
pub mod ignore;
mod payload;
mod rules;

pub use finding::{Finding, HookKind, HookRef};
pub use ignore::{IgnoreError, IgnoreFile, IgnoreProblem};
pub use rules::{Mode, Promotion, Rule, Verdict, verdict};

use std::collections::HashMap;

use serde::Serialize;

use crate::ir::{Catalog, EventDef, FilterDef};
use crate::source::Span;
use payload::Differ;

/// Every finding of one comparison.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The mode the verdicts were judged under.
    pub mode: Mode,
    /// Findings in baseline event order, then field order; additions last.
    pub findings: Vec<Finding>,
    /// Findings an ignore file approved (moved here from `findings`), so
    /// that what it hides is still counted and can be listed.
    pub ignored: Vec<Finding>,
    /// Problems with the ignore file itself: expired entries (they fail the
    /// gate) and entries that match nothing (warnings).
    #[serde(skip)]
    pub ignore_problems: Vec<ignore::IgnoreProblem>,
}

/// Findings with one cause: a change inside a data class reached by
/// several events is one cause, reported once with every event it affects.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Cause<'a> {
    /// The first finding: the rule, verdict, message, hint and places.
    pub finding: &'a Finding,
    /// One finding per affected hook, the first included, in report order.
    pub affected: Vec<&'a Finding>,
}

/// Groups findings by cause (see [`Cause`]): findings inside payloads with
/// the same rule, verdict and places are one change seen from several hooks.
pub fn causes<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<Cause<'a>> {
    let mut out: Vec<Cause<'a>> = Vec::new();
    type Key = (Rule, Verdict, bool, Option<Span>, Option<Span>);
    let mut index: HashMap<Key, usize> = HashMap::new();
    for f in findings {
        // Hook-level findings (empty path) are about that hook alone.
        let key = (!f.path.is_empty() && (f.new.is_some() || f.old.is_some()))
            .then_some((f.rule, f.verdict, f.warning, f.new, f.old));
        match key.as_ref().and_then(|k| index.get(k)) {
            Some(&i) => out[i].affected.push(f),
            None => {
                if let Some(k) = key {
                    index.insert(k, out.len());
                }
                out.push(Cause {
                    finding: f,
                    affected: vec![f],
                });
            }
        }
    }
    out
}

impl Report {
    /// Findings that need a new major version.
    pub fn breaking(&self) -> usize {
        self.count(|f| f.verdict == Verdict::Breaking)
    }

    /// Findings that need a minor bump.
    pub fn minor(&self) -> usize {
        self.count(|f| f.verdict == Verdict::Minor)
    }

    /// Findings that warn.
    pub fn warnings(&self) -> usize {
        self.count(|f| f.warning)
    }

    /// Version rule violations.
    pub fn violations(&self) -> usize {
        self.count(|f| f.verdict == Verdict::Violation)
    }

    fn count(&self, p: impl Fn(&Finding) -> bool) -> usize {
        self.findings.iter().filter(|f| p(f)).count()
    }

    /// The findings grouped by cause, as the gate prints them.
    pub fn causes(&self) -> Vec<Cause<'_>> {
        causes(&self.findings)
    }

    /// Whether the gate fails: breaking changes, version violations and
    /// expired ignore entries always; warnings (the ignore file's own
    /// included) with `deny_warnings`.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        let expired = self.ignore_problems.iter().any(|p| p.fails);
        let ignore_warnings = self.ignore_problems.iter().any(|p| !p.fails);
        self.breaking() > 0
            || self.violations() > 0
            || expired
            || (deny_warnings && (self.warnings() > 0 || ignore_warnings))
    }

    /// One line, counting what the gate prints (causes, not the events
    /// they reach): "N breaking, N minor, N warnings, N additions[, N
    /// ignored][, N version violations][, N expired ignore entries] —
    /// requires: new major version for X events, minor bump for Y".
    pub fn summary(&self) -> String {
        let events_with = |v: Verdict| {
            let mut names: Vec<&str> = self
                .findings
                .iter()
                .filter(|f| f.verdict == v)
                .map(|f| f.hook.name.as_str())
                .collect();
            names.sort_unstable();
            names.dedup();
            names
        };
        let major = events_with(Verdict::Breaking);
        let minor: Vec<&str> = events_with(Verdict::Minor)
            .into_iter()
            .filter(|e| !major.contains(e))
            .collect();
        let causes = self.causes();
        let count = |p: &dyn Fn(&Finding) -> bool| causes.iter().filter(|c| p(c.finding)).count();
        let ignore_warnings = self.ignore_problems.iter().filter(|p| !p.fails).count();
        let expired = self.ignore_problems.len() - ignore_warnings;
        let mut line = format!(
            "{} breaking, {} minor, {} warnings, {} additions",
            count(&|f| f.verdict == Verdict::Breaking),
            count(&|f| f.verdict == Verdict::Minor),
            count(&|f| f.warning) + ignore_warnings,
            count(&|f| f.is_addition()),
        );
        let ignored = self::causes(&self.ignored).len();
        if ignored > 0 {
            line.push_str(&format!(", {ignored} ignored"));
        }
        let violations = count(&|f| f.verdict == Verdict::Violation);
        if violations > 0 {
            line.push_str(&format!(", {violations} version violations"));
        }
        if expired > 0 {
            line.push_str(&format!(", {expired} expired ignore entries"));
        }
        line.push_str(&format!(
            " — requires: new major version for {} events, minor bump for {}",
            major.len(),
            minor.len()
        ));
        line
    }
}

/// Compares `new` against the baseline `old`.
pub fn diff(old: &Catalog, new: &Catalog, mode: Mode) -> Report {
    let mut findings = Vec::new();
    let mut differ = Differ::new(old, new);
    let by_type: HashMap<&str, &EventDef> = new
        .events()
        .map(|(_, e)| (e.event_type.as_str(), e))
        .collect();
    for (_, oe) in old.events() {
        match by_type.get(oe.event_type.as_str()) {
            None => findings.push(
                Finding::new(mode, Rule::EventRemoved, HookRef::event(oe))
                    .says(
                        format!("event `{}` (`{}`) was removed", oe.name, oe.event_type),
                        "keep the event; deprecate it in its description and stop sending it instead",
                    )
                    .spans(None, Some(oe.span)),
            ),
            Some(ne) => event::compare(&mut differ, mode, oe, ne, &mut findings),
        }
    }
    let old_types: HashMap<&str, ()> = old
        .events()
        .map(|(_, e)| (e.event_type.as_str(), ()))
        .collect();
    for (_, ne) in new.events() {
        if !old_types.contains_key(ne.event_type.as_str()) {
            findings.push(
                Finding::new(mode, Rule::EventAdded, HookRef::event(ne))
                    .says(
                        format!("event `{}` (`{}`) was added", ne.name, ne.event_type),
                        "no action needed: consumers that do not know it never receive it",
                    )
                    .spans(Some(ne.span), None),
            );
        }
    }
    let new_filters: HashMap<&str, &FilterDef> = new
        .filters()
        .map(|(_, f)| (f.filter_type.as_str(), f))
        .collect();
    for (_, of) in old.filters() {
        match new_filters.get(of.filter_type.as_str()) {
            None => findings.push(
                Finding::new(mode, Rule::FilterRemoved, HookRef::filter(of))
                    .says(
                        format!("filter `{}` (`{}`) was removed", of.name, of.filter_type),
                        "keep the filter: platform code runs it and plugins configure it",
                    )
                    .spans(None, Some(of.span)),
            ),
            Some(nf) => filter::compare(mode, of, nf, &mut findings),
        }
    }
    for (_, nf) in new.filters() {
        if old.filter_by_type(&nf.filter_type).is_none() {
            findings.push(
                Finding::new(mode, Rule::FilterAdded, HookRef::filter(nf))
                    .says(
                        format!("filter `{}` (`{}`) was added", nf.name, nf.filter_type),
                        "no action needed: nothing runs it until platform code does",
                    )
                    .spans(Some(nf.span), None),
            );
        }
    }
    Report {
        mode,
        findings,
        ignored: Vec::new(),
        ignore_problems: Vec::new(),
    }
}
