//! The checks of one event present in both catalogs: its name, key field,
//! docs and versions, with its payload's findings placed under it.

use super::payload::Differ;
use super::{Finding, HookRef, Mode, Promotion, Rule, Verdict};
use crate::ir::EventDef;

/// The event-level checks, then the payload's findings placed under this event.
pub(super) fn compare(
    d: &mut Differ<'_>,
    mode: Mode,
    oe: &EventDef,
    ne: &EventDef,
    findings: &mut Vec<Finding>,
) {
    let start = findings.len();
    let hook = HookRef::event(ne);
    #[allow(clippy::too_many_arguments)]
    let push = |findings: &mut Vec<Finding>,
                rule: Rule,
                path: String,
                message: String,
                hint: String,
                new,
                old,
                promotion| {
        findings.push(
            Finding::new(mode, rule, hook.clone())
                .promotion(mode, promotion)
                .at(path)
                .says(message, hint)
                .spans(new, old),
        );
    };
    if oe.name != ne.name {
        let message = format!("event `{}` was renamed `{}`", oe.name, ne.name);
        push(
            findings,
            Rule::EventNameChanged,
            String::new(),
            message,
            "keep the constant name: plugins refer to it".into(),
            Some(ne.span),
            Some(oe.span),
            Promotion::None,
        );
    }
    if oe.key_field.as_ref().map(|k| &k.path) != ne.key_field.as_ref().map(|k| &k.path) {
        let show = |k: Option<String>| k.map_or("none".to_owned(), |k| format!("`{k}`"));
        let message = format!(
            "key_field changed from {} to {}",
            show(oe.key_field.as_ref().map(|k| k.dotted())),
            show(ne.key_field.as_ref().map(|k| k.dotted()))
        );
        let hint = "the event-bus key decides partitioning and ordering; keep it, or publish a new event type".into();
        let (new, old) = (
            ne.key_field.as_ref().map(|k| k.span).or(Some(ne.span)),
            oe.key_field.as_ref().map(|k| k.span).or(Some(oe.span)),
        );
        push(
            findings,
            Rule::KeyFieldChanged,
            String::new(),
            message,
            hint,
            new,
            old,
            Promotion::None,
        );
    }
    if (&oe.description, &oe.added, &oe.trigger) != (&ne.description, &ne.added, &ne.trigger) {
        push(
            findings,
            Rule::DocsChanged,
            String::new(),
            "description, date or trigger changed".into(),
            "no action needed".into(),
            Some(ne.span),
            Some(oe.span),
            Promotion::None,
        );
    }
    let mut rel = Vec::new();
    d.fields(&oe.payload, &ne.payload, &mut rel);
    for r in rel {
        let (message, hint) = r.detail.describe(&r.path);
        push(
            findings,
            r.detail.rule(),
            r.path,
            message,
            hint,
            r.new,
            r.old,
            r.promotion,
        );
    }
    let minor_change = findings[start..]
        .iter()
        .any(|f| f.verdict == Verdict::Minor);
    if ne.minor_version < oe.minor_version {
        let message = format!(
            "minor_version went down from {} to {}",
            oe.minor_version, ne.minor_version
        );
        push(
            findings,
            Rule::MinorVersionDecreased,
            String::new(),
            message,
            "minor versions only grow".into(),
            Some(ne.span),
            Some(oe.span),
            Promotion::None,
        );
    } else if ne.minor_version == oe.minor_version && minor_change {
        let message = format!(
            "the payload changed compatibly but minor_version is still {}",
            ne.minor_version
        );
        let hint = format!("set `minor_version: {}`", oe.minor_version + 1);
        push(
            findings,
            Rule::MinorVersionNotBumped,
            String::new(),
            message,
            hint,
            Some(ne.span),
            Some(oe.span),
            Promotion::None,
        );
    }
}
