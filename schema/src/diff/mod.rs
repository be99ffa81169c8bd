//! Diffing two catalogs: what changed between a baseline and a new catalog,
//! and whether consumers keep working (the core of the compatibility gate).
//!
//! Events are matched by event type; a new type (`…v2` next to `…v1`) is an
//! addition, never a break. A change inside a data class is reported once per
//! event that reaches it, with the full field path
//! (`STUDENT_REGISTRATION_COMPLETED: user.pii.email`).
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

mod rules;

pub use rules::{Mode, Rule, Verdict, verdict};

use serde::Serialize;

use crate::ir::{Catalog, DefKind, EventDef, Field, Primitive, Type, TypeRef};
use crate::source::Span;

/// One change, judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule that matched.
    pub rule: Rule,
    /// Its weight under the mode.
    pub verdict: Verdict,
    /// Whether it also warns (fails the gate only with `--deny-warnings`).
    pub warning: bool,
    /// The event's constant name (the new one, unless the event is gone).
    pub event: String,
    /// The event type.
    pub event_type: String,
    /// The field path inside the payload; empty for the event itself.
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

/// Every finding of one comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
                .map(|f| f.event.as_str())
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
    for (_, oe) in old.events() {
        match new.event_by_type(&oe.event_type) {
            None => findings.push(finding(
                mode,
                Rule::EventRemoved,
                oe,
                String::new(),
                format!("event `{}` (`{}`) was removed", oe.name, oe.event_type),
                "keep the event; deprecate it in its description and stop sending it instead"
                    .into(),
                None,
                Some(oe.span),
            )),
            Some((_, ne)) => {
                let mut d = EventDiff {
                    old,
                    new,
                    mode,
                    oe,
                    ne,
                    findings: Vec::new(),
                    visiting: Vec::new(),
                };
                d.event();
                findings.extend(d.findings);
            }
        }
    }
    Report { mode, findings }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    mode: Mode,
    rule: Rule,
    e: &EventDef,
    path: String,
    message: String,
    hint: String,
    new: Option<Span>,
    old: Option<Span>,
) -> Finding {
    let (verdict, warning) = verdict(rule, mode, false);
    Finding {
        rule,
        verdict,
        warning,
        event: e.name.clone(),
        event_type: e.event_type.clone(),
        path,
        message,
        hint,
        new,
        old,
    }
}

struct EventDiff<'a> {
    old: &'a Catalog,
    new: &'a Catalog,
    mode: Mode,
    oe: &'a EventDef,
    ne: &'a EventDef,
    findings: Vec<Finding>,
    /// Record pairs being compared on the current path (recursive types).
    visiting: Vec<(usize, usize, usize, usize)>,
}

const NEW_MAJOR: &str = "publish the change as a new event type `.v<N+1>` next to the old one";

impl EventDiff<'_> {
    fn push(
        &mut self,
        rule: Rule,
        path: &str,
        message: String,
        hint: &str,
        new: Option<Span>,
        old: Option<Span>,
    ) {
        self.push_widening(rule, path, message, hint, new, old, false);
    }

    #[allow(clippy::too_many_arguments)]
    fn push_widening(
        &mut self,
        rule: Rule,
        path: &str,
        message: String,
        hint: &str,
        new: Option<Span>,
        old: Option<Span>,
        widening: bool,
    ) {
        let (verdict, warning) = verdict(rule, self.mode, widening);
        self.findings.push(Finding {
            rule,
            verdict,
            warning,
            event: self.ne.name.clone(),
            event_type: self.ne.event_type.clone(),
            path: path.to_owned(),
            message,
            hint: hint.to_owned(),
            new,
            old,
        });
    }

    fn event(&mut self) {
        let (oe, ne) = (self.oe, self.ne);
        if oe.name != ne.name {
            self.push(
                Rule::EventNameChanged,
                "",
                format!("event `{}` was renamed `{}`", oe.name, ne.name),
                "keep the constant name: plugins refer to it",
                Some(ne.span),
                Some(oe.span),
            );
        }
        if oe.key_field.as_ref().map(|k| &k.path) != ne.key_field.as_ref().map(|k| &k.path) {
            let show = |k: Option<String>| k.map_or("none".to_owned(), |k| format!("`{k}`"));
            self.push(
                Rule::KeyFieldChanged,
                "",
                format!(
                    "key_field changed from {} to {}",
                    show(oe.key_field.as_ref().map(|k| k.dotted())),
                    show(ne.key_field.as_ref().map(|k| k.dotted()))
                ),
                "the event-bus key decides partitioning and ordering; keep it, or publish a new event type",
                ne.key_field.as_ref().map(|k| k.span).or(Some(ne.span)),
                oe.key_field.as_ref().map(|k| k.span).or(Some(oe.span)),
            );
        }
        if (&oe.description, &oe.added, &oe.trigger) != (&ne.description, &ne.added, &ne.trigger) {
            self.push(
                Rule::DocsChanged,
                "",
                "description, date or trigger changed".into(),
                "no action needed",
                Some(ne.span),
                Some(oe.span),
            );
        }
        self.fields(&oe.payload, &ne.payload, "");
        if ne.minor_version < oe.minor_version {
            self.push(
                Rule::MinorVersionDecreased,
                "",
                format!(
                    "minor_version went down from {} to {}",
                    oe.minor_version, ne.minor_version
                ),
                "minor versions only grow",
                Some(ne.span),
                Some(oe.span),
            );
        } else if ne.minor_version == oe.minor_version
            && self.findings.iter().any(|f| f.verdict == Verdict::Minor)
        {
            self.push(
                Rule::MinorVersionNotBumped,
                "",
                format!(
                    "the payload changed compatibly but minor_version is still {}",
                    ne.minor_version
                ),
                &format!("set `minor_version: {}`", oe.minor_version + 1),
                Some(ne.span),
                Some(oe.span),
            );
        }
    }

    fn fields(&mut self, old: &[Field], new: &[Field], prefix: &str) {
        let join = |name: &str| {
            if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}.{name}")
            }
        };
        for of in old {
            let path = join(&of.name);
            match new.iter().find(|nf| nf.name == of.name) {
                Some(nf) => self.field(of, nf, &path),
                None if of.is_optional() => self.push(
                    Rule::OptionalFieldRemoved,
                    &path,
                    format!("optional field `{path}` was removed"),
                    "old consumers read a default or null instead; make sure they can live with it",
                    None,
                    Some(of.span),
                ),
                None => self.push(
                    Rule::FieldRemoved,
                    &path,
                    format!("required field `{path}` was removed"),
                    &format!("keep the field, or {NEW_MAJOR}"),
                    None,
                    Some(of.span),
                ),
            }
        }
        for nf in new
            .iter()
            .filter(|nf| !old.iter().any(|of| of.name == nf.name))
        {
            let path = join(&nf.name);
            if nf.is_optional() {
                self.push(
                    Rule::FieldAddedOptional,
                    &path,
                    format!("optional field `{path}` was added"),
                    "bump `minor_version`",
                    Some(nf.span),
                    None,
                );
            } else {
                self.push(
                    Rule::FieldAddedRequired,
                    &path,
                    format!("required field `{path}` was added"),
                    &format!("give it a default or make it optional (`T?`), or {NEW_MAJOR}"),
                    Some(nf.span),
                    None,
                );
            }
        }
    }

    fn field(&mut self, of: &Field, nf: &Field, path: &str) {
        if of.default != nf.default {
            self.push(
                Rule::FieldDefaultChanged,
                path,
                format!("the default of `{path}` changed"),
                "consumers that relied on the old default now see another value",
                nf.default_span.or(Some(nf.span)),
                of.default_span.or(Some(of.span)),
            );
        }
        if (&of.description, &of.example) != (&nf.description, &nf.example) {
            self.push(
                Rule::DocsChanged,
                path,
                format!("the description or example of `{path}` changed"),
                "no action needed",
                Some(nf.span),
                Some(of.span),
            );
        }
        self.types(&of.ty, &nf.ty, path, (of.type_span, nf.type_span));
    }

    fn types(&mut self, ot: &Type, nt: &Type, path: &str, spans: (Span, Span)) {
        let (os, ns) = spans;
        match (ot.is_optional(), nt.is_optional()) {
            (true, false) => self.push(
                Rule::FieldMadeRequired,
                path,
                format!("`{path}` is no longer optional"),
                &format!("keep it optional, or {NEW_MAJOR}"),
                Some(ns),
                Some(os),
            ),
            (false, true) => self.push(
                Rule::FieldMadeOptional,
                path,
                format!("`{path}` became optional: old consumers cannot read null"),
                &format!("keep it required, or {NEW_MAJOR}"),
                Some(ns),
                Some(os),
            ),
            _ => {}
        }
        let (ot, nt) = (ot.strip_optional(), nt.strip_optional());
        match (ot, nt) {
            (Type::Primitive(a), Type::Primitive(b)) if a == b => {}
            (Type::List(a), Type::List(b)) => self.types(a, b, &format!("{path}[]"), spans),
            (Type::Map(a), Type::Map(b)) => self.types(a, b, &format!("{path}{{}}"), spans),
            (Type::Named(a), Type::Named(b)) if a.kind == b.kind => self.named(a, b, path, spans),
            _ => {
                let widening = matches!(
                    (ot, nt),
                    (
                        Type::Primitive(Primitive::Int),
                        Type::Primitive(Primitive::Float)
                    )
                );
                let (o, n) = (self.show(ot, true), self.show(nt, false));
                self.push_widening(
                    Rule::FieldTypeChanged,
                    path,
                    format!("`{path}` changed type from `{o}` to `{n}`"),
                    &format!("keep the type, add a new field, or {NEW_MAJOR}"),
                    Some(ns),
                    Some(os),
                    widening,
                );
            }
        }
    }

    fn show(&self, t: &Type, old: bool) -> String {
        let (catalog, e) = if old {
            (self.old, self.oe)
        } else {
            (self.new, self.ne)
        };
        let module = catalog
            .events()
            .find(|(_, x)| std::ptr::eq(*x, e))
            .map_or("", |(m, _)| m.name.as_str());
        t.display_in(module)
    }

    fn named(&mut self, a: &TypeRef, b: &TypeRef, path: &str, (os, ns): (Span, Span)) {
        let renamed = a.name != b.name;
        match a.kind {
            DefKind::Record => {
                let key = (a.module_index, a.index, b.module_index, b.index);
                if self.visiting.contains(&key) {
                    return;
                }
                let (ro, rn) = (self.old.record(a), self.new.record(b));
                if renamed {
                    if shape_eq(self.old, self.new, &ro.fields, &rn.fields, &mut Vec::new()) {
                        self.push(
                            Rule::TypeRenamed,
                            path,
                            format!(
                                "data class `{}` at `{path}` was renamed `{}`",
                                a.name, b.name
                            ),
                            "keep the class name: Avro record names and the Rust API use it",
                            Some(ns),
                            Some(os),
                        );
                    } else {
                        self.push(
                            Rule::FieldTypeChanged,
                            path,
                            format!("`{path}` changed type from `{}` to `{}`", a.name, b.name),
                            &format!("keep the type, or {NEW_MAJOR}"),
                            Some(ns),
                            Some(os),
                        );
                    }
                    return;
                }
                self.visiting.push(key);
                self.fields(&ro.fields, &rn.fields, path);
                self.visiting.pop();
            }
            DefKind::Scalar => {
                if renamed {
                    self.push(
                        Rule::TypeRenamed,
                        path,
                        format!("scalar `{}` at `{path}` was renamed `{}`", a.name, b.name),
                        "keep the name: the Rust API uses it",
                        Some(ns),
                        Some(os),
                    );
                }
                let (so, sn) = (self.old.scalar(a), self.new.scalar(b));
                if so.base != sn.base {
                    self.push(
                        Rule::ScalarBaseChanged,
                        path,
                        format!(
                            "scalar `{}` changed base from `{}` to `{}`",
                            b.name,
                            so.base.name(),
                            sn.base.name()
                        ),
                        NEW_MAJOR,
                        Some(sn.span),
                        Some(so.span),
                    );
                }
            }
            DefKind::Enum => {
                if renamed {
                    self.push(
                        Rule::TypeRenamed,
                        path,
                        format!("enum `{}` at `{path}` was renamed `{}`", a.name, b.name),
                        "keep the name: Avro and the Rust API use it",
                        Some(ns),
                        Some(os),
                    );
                }
                let (eo, en) = (self.old.enumeration(a), self.new.enumeration(b));
                for v in en
                    .values
                    .iter()
                    .filter(|v| !eo.values.iter().any(|o| o.name == v.name))
                {
                    self.push(
                        Rule::EnumValueAdded,
                        path,
                        format!("enum `{}` at `{path}` gained the value `{}`", b.name, v.name),
                        "old consumers fail on the new value; bump the minor version only if they are all updated first",
                        Some(v.span),
                        Some(eo.span),
                    );
                }
                for v in eo
                    .values
                    .iter()
                    .filter(|v| !en.values.iter().any(|n| n.name == v.name))
                {
                    self.push(
                        Rule::EnumValueRemoved,
                        path,
                        format!("enum `{}` at `{path}` lost the value `{}`", b.name, v.name),
                        &format!("keep the value, or {NEW_MAJOR}"),
                        Some(en.span),
                        Some(v.span),
                    );
                }
            }
        }
    }
}

/// Structural equality of two field lists (names, order, types, optionality
/// and defaults), looking through record names.
fn shape_eq(
    old: &Catalog,
    new: &Catalog,
    a: &[Field],
    b: &[Field],
    seen: &mut Vec<(usize, usize, usize, usize)>,
) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.name == y.name
                && x.default == y.default
                && type_shape_eq(old, new, &x.ty, &y.ty, seen)
        })
}

fn type_shape_eq(
    old: &Catalog,
    new: &Catalog,
    a: &Type,
    b: &Type,
    seen: &mut Vec<(usize, usize, usize, usize)>,
) -> bool {
    match (a, b) {
        (Type::Primitive(x), Type::Primitive(y)) => x == y,
        (Type::List(x), Type::List(y))
        | (Type::Map(x), Type::Map(y))
        | (Type::Optional(x), Type::Optional(y)) => type_shape_eq(old, new, x, y, seen),
        (Type::Named(x), Type::Named(y)) if x.kind == y.kind => match x.kind {
            DefKind::Record => {
                let key = (x.module_index, x.index, y.module_index, y.index);
                if seen.contains(&key) {
                    return true;
                }
                seen.push(key);
                let eq = shape_eq(old, new, &old.record(x).fields, &new.record(y).fields, seen);
                seen.pop();
                eq
            }
            DefKind::Scalar => old.scalar(x).base == new.scalar(y).base,
            DefKind::Enum => {
                let (ex, ey) = (old.enumeration(x), new.enumeration(y));
                ex.values.len() == ey.values.len()
                    && ex
                        .values
                        .iter()
                        .zip(&ey.values)
                        .all(|(p, q)| p.name == q.name)
            }
        },
        _ => false,
    }
}
