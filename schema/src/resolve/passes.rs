//! Whole-catalog passes, run once every module is resolved: event types
//! and names across modules, default and example literals, key fields.

use std::collections::HashMap;

use super::{Resolver, key_field, literal};
use crate::diag::{Code, Diagnostic};
use crate::ir::Module;
use crate::source::Span;
use crate::syntax::{sub_span, text_origin};

impl Resolver<'_> {
    /// Event names and types are unique across the whole catalog.
    pub(super) fn events_across_modules(&mut self, modules: &[Module]) {
        let mut names: HashMap<&str, Span> = HashMap::new();
        let mut types: HashMap<&str, (&str, Span)> = HashMap::new();
        for e in modules.iter().flat_map(|m| &m.events) {
            if let Some(first) = names.get(e.name.as_str()) {
                self.push(
                    Diagnostic::error(
                        Code::DuplicateDefinition,
                        e.span,
                        format!("event name `{}` is used twice", e.name),
                    )
                    .with_related(*first, "first used here")
                    .with_help("event names are unique across the catalog"),
                );
            } else {
                names.insert(&e.name, e.span);
            }
            if let Some((other, first)) = types.get(e.event_type.as_str()) {
                self.push(
                    Diagnostic::error(
                        Code::DuplicateEventType,
                        e.span,
                        format!("event `{}` has the same type as `{other}`: `{}`", e.name, e.event_type),
                    )
                    .with_related(*first, "the type is first used here")
                    .with_help("each event type names exactly one event; a new payload version gets `.v<N+1>`"),
                );
            } else {
                types.insert(&e.event_type, (&e.name, e.span));
            }
        }
    }

    /// Defaults and examples must be values of their field's type.
    pub(super) fn literals(&mut self, modules: &[Module]) {
        let all = modules.iter().enumerate().flat_map(|(mi, m)| {
            m.types
                .iter()
                .flat_map(|t| &t.fields)
                .chain(m.events.iter().flat_map(|e| &e.payload))
                .map(move |f| (mi, f))
        });
        let mut found = Vec::new();
        for (mi, f) in all {
            if f.unresolved {
                continue;
            }
            for (what, code, value, span) in [
                ("default", Code::InvalidDefault, &f.default, f.default_span),
                ("example", Code::InvalidExample, &f.example, f.example_span),
            ] {
                let Some(v) = value else { continue };
                if let Err(why) = literal::check(v, &f.ty, modules) {
                    found.push((
                        code,
                        span.unwrap_or(f.span),
                        format!(
                            "{what} of field `{}` does not fit its type `{}`: {why}",
                            f.name,
                            f.ty.display_in(&modules[mi].name)
                        ),
                    ));
                }
            }
        }
        for (code, span, msg) in found {
            self.push(Diagnostic::error(code, span, msg).with_label("this value"));
        }
    }

    pub(super) fn key_fields(&mut self, modules: &[Module]) {
        for e in modules.iter().flat_map(|m| &m.events) {
            let Some(k) = &e.key_field else { continue };
            let path: Vec<&str> = k.path.iter().map(String::as_str).collect();
            if let Err(err) = key_field::resolve(&path, &e.payload, modules) {
                let origin = text_origin(self.sources, k.span, &k.dotted());
                let start: usize = path[..err.segment.min(path.len())]
                    .iter()
                    .map(|s| s.len() + 1)
                    .sum();
                let len = path.get(err.segment).map_or(0, |s| s.len());
                let span = sub_span(self.sources, k.span, origin, start..start + len);
                self.push(
                    Diagnostic::error(
                        Code::InvalidKeyField,
                        span,
                        format!(
                            "key_field `{}` of `{}`: {}",
                            k.dotted(),
                            e.name,
                            err.message
                        ),
                    )
                    .with_help_opt(err.help),
                );
            }
        }
    }
}
