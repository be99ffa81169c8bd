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
mod finding;
pub mod ignore;
mod payload;
mod rules;

pub use finding::{Finding, HookKind, HookRef};
pub use rules::{Mode, Promotion, Rule, Verdict, verdict};

use std::collections::HashMap;

use serde::Serialize;

use crate::ir::{Catalog, EventDef};
use payload::Differ;

/// Every finding of one comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The mode the verdicts were judged under.
    pub mode: Mode,
    /// Findings in baseline event order, then field order.
    pub findings: Vec<Finding>,
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

    /// Whether the gate fails: breaking changes and version violations
    /// always; warnings with `deny_warnings`.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.breaking() > 0 || self.violations() > 0 || (deny_warnings && self.warnings() > 0)
    }

    /// "N breaking, N minor, N warnings — requires: new major version for X
    /// events, minor bump for Y".
    pub fn summary(&self) -> String {
        let events_with = |v: Verdict| {
            let mut names: Vec<&str> = self
                .findings
                .iter()
                .filter(|f| f.verdict == v)
                .map(|f| f.hook.name.as_str())
                .collect();
            names.dedup();
            names
        };
        let major = events_with(Verdict::Breaking);
        let minor: Vec<&str> = events_with(Verdict::Minor)
            .into_iter()
            .filter(|e| !major.contains(e))
            .collect();
        let mut line = format!(
            "{} breaking, {} minor, {} warnings",
            self.breaking(),
            self.minor(),
            self.warnings()
        );
        if self.violations() > 0 {
            line.push_str(&format!(", {} version violations", self.violations()));
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
    Report { mode, findings }
}
