//! Whole-catalog passes, run once every module is resolved: hook types and
//! names across modules, host types kept off the wire, default and example
//! literals, key fields.

use std::collections::HashMap;

use super::{Resolver, key_field, literal};
use crate::diag::{Code, Diagnostic};
use crate::ir::{DefKind, Module, Type};
use crate::source::Span;
use crate::syntax::{Named, sub_span, text_origin};

impl Resolver<'_> {
    /// Hook names and type strings are unique across the whole catalog,
    /// events and filters together (they share the constant and type
    /// namespaces of the generated code and of the platform).
    pub(super) fn hooks_across_modules(&mut self, modules: &[Module]) {
        let mut names: HashMap<&str, Span> = HashMap::new();
        let mut types: HashMap<&str, (&str, Span)> = HashMap::new();
        let events = modules
            .iter()
            .flat_map(|m| &m.events)
            .map(|e| ("event", &e.name, &e.event_type, e.span));
        let filters = modules
            .iter()
            .flat_map(|m| &m.filters)
            .map(|f| ("filter", &f.name, &f.filter_type, f.span));
        for (noun, name, hook_type, span) in events.chain(filters) {
            if let Some(first) = names.get(name.as_str()) {
                self.push(
                    Diagnostic::error(
                        Code::DuplicateDefinition,
                        span,
                        format!("{noun} name `{name}` is used twice"),
                    )
                    .with_related(*first, "first used here")
                    .with_help(match noun {
                        "event" => "event names are unique across the catalog",
                        _ => "event and filter names are unique across the catalog",
                    }),
                );
            } else {
                names.insert(name, span);
            }
            if let Some((other, first)) = types.get(hook_type.as_str()) {
                self.push(
                    Diagnostic::error(
                        Code::DuplicateEventType,
                        span,
                        format!("{noun} `{name}` has the same type as `{other}`: `{hook_type}`"),
                    )
                    .with_related(*first, "the type is first used here")
                    .with_help(match noun {
                        "event" => "each event type names exactly one event; a new payload version gets `.v<N+1>`",
                        _ => "each type string names exactly one event or filter; a new filter version gets `.v<N+1>`",
                    }),
                );
            } else {
                types.insert(hook_type, (name, span));
            }
        }
    }

    /// Host types (platform objects) are filter arguments and exception
    /// parameters only: never in an event payload or a data class, which
    /// travel on the bus.
    pub(super) fn hosts_off_the_wire(&mut self, modules: &[Module]) {
        let on_wire = modules.iter().flat_map(|m| {
            m.types
                .iter()
                .flat_map(|t| {
                    t.fields
                        .iter()
                        .map(move |f| (f, Named("data class", &t.name)))
                })
                .chain(m.events.iter().flat_map(|e| {
                    e.payload
                        .iter()
                        .map(move |f| (f, Named("the payload of", &e.name)))
                }))
        });
        let mut found = Vec::new();
        for (f, owner) in on_wire {
            if let Some(host) = host_in(&f.ty) {
                found.push(
                    Diagnostic::error(
                        Code::HostOnWire,
                        f.type_span,
                        format!(
                            "field `{}` of {owner} has the host type `{host}`: a platform object cannot travel on the event bus",
                            f.name
                        ),
                    )
                    .with_label("a host type")
                    .with_help("carry the data the receivers need (a data class of its fields), or make this a filter argument"),
                );
            }
        }
        for d in found {
            self.push(d);
        }
    }

    /// Defaults and examples must be values of their field's type.
    pub(super) fn literals(&mut self, modules: &[Module]) {
        let all = modules.iter().enumerate().flat_map(|(mi, m)| {
            m.types
                .iter()
                .flat_map(|t| &t.fields)
                .chain(m.events.iter().flat_map(|e| &e.payload))
                .chain(m.filters.iter().flat_map(|f| {
                    f.arguments
                        .iter()
                        .chain(f.exceptions.iter().flat_map(|x| &x.fields))
                }))
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

/// The first host type a field type names (through lists, maps and `?`).
fn host_in(ty: &Type) -> Option<&str> {
    match ty {
        Type::Primitive(_) => None,
        Type::List(t) | Type::Map(t) | Type::Optional(t) => host_in(t),
        Type::Named(r) => (r.kind == DefKind::Host).then_some(r.name.as_str()),
    }
}
