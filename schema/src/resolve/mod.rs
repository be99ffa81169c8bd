//! Names and references: turns unresolved module syntax into the IR and
//! runs the checks that need the whole catalog.
//!
//! One file per concern, each adding methods to the one [`Resolver`]:
//! `scope` (module names and symbol tables), `settings` (the `catalog:`
//! block), `types` (enums, fields, type expressions), `events` (an event's
//! type string, version and payload), `filters` (the same for a filter, with
//! its returns and exceptions), `passes` (checks across the whole catalog). Helpers without state sit beside them: `names`, `event_type`,
//! `literal`, `key_field`, `graph`.

mod event_type;
mod events;
mod filters;
mod graph;
mod key_field;
mod literal;
pub(crate) mod names;
mod passes;
mod scope;
mod settings;
mod types;

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::ir::{Catalog, DefKind, HostDef, Module, Primitive, RecordDef, ScalarDef, Settings};
use crate::source::{SourceMap, Span};
use crate::syntax::{ModuleSyntax, Named};

pub use literal::parse_date;

#[derive(Clone, Copy)]
struct Symbol {
    kind: DefKind,
    index: usize,
    span: Span,
}

struct Scope {
    name: String,
    symbols: HashMap<String, Symbol>,
}

struct Resolver<'a> {
    sources: &'a SourceMap,
    diags: &'a mut Diagnostics,
    scopes: Vec<Scope>,
    /// Per module: the catalog it belongs to (0: this one; others: extern).
    groups: Vec<usize>,
}

/// Resolves and validates; `None` when any error was reported.
///
/// `groups[file]` says which catalog each file belongs to (0: the catalog
/// being compiled; others: extern catalogs it uses). Each catalog's
/// `catalog:` settings govern only its own files: an extern catalog
/// contributes types, never settings.
pub(crate) fn resolve(
    sources: &SourceMap,
    syntax: Vec<ModuleSyntax>,
    groups: &[u32],
    diags: &mut Diagnostics,
) -> Option<Catalog> {
    let mut r = Resolver {
        sources,
        diags,
        scopes: Vec::new(),
        groups: Vec::new(),
    };
    let group_of = |m: &ModuleSyntax| groups.get(m.file.0 as usize).copied().unwrap_or(0) as usize;
    let syntax = r.modules(syntax, group_of);
    let count = syntax.iter().map(|m| group_of(m) + 1).max().unwrap_or(1);
    let settings: Vec<Settings> = (0..count)
        .map(|g| r.settings(syntax.iter().filter(|m| group_of(m) == g)))
        .collect();
    r.groups = syntax.iter().map(group_of).collect();
    for m in &syntax {
        let scope = r.scope(m);
        r.scopes.push(scope);
    }
    let modules: Vec<Module> = syntax
        .into_iter()
        .enumerate()
        .map(|(mi, m)| {
            let g = r.groups[mi];
            r.module(mi, m, &settings[g])
        })
        .collect();
    r.hooks_across_modules(&modules);
    r.hosts_off_the_wire(&modules);
    graph::check_required_cycles(&modules, r.diags);
    r.literals(&modules);
    r.key_fields(&modules);
    graph::check_unused(&modules, r.diags);
    if r.diags.has_errors() {
        return None;
    }
    Some(Catalog::new(
        settings,
        std::mem::take(&mut r.groups),
        modules,
        sources.clone(),
    ))
}

impl Resolver<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn module(&mut self, mi: usize, m: ModuleSyntax, settings: &Settings) -> Module {
        let mut module = Module {
            name: m.name.value,
            file: m.file,
            scalars: Vec::with_capacity(m.scalars.len()),
            enums: Vec::with_capacity(m.enums.len()),
            types: Vec::with_capacity(m.types.len()),
            events: Vec::with_capacity(m.events.len()),
            hosts: Vec::with_capacity(m.hosts.len()),
            filters: Vec::with_capacity(m.filters.len()),
        };
        for h in m.hosts {
            if !self.is_registered(mi, &h.name.value, DefKind::Host, h.name.span) {
                continue;
            }
            module.hosts.push(HostDef {
                name: h.name.value,
                description: h.description,
                python: h.python.map(|p| p.value),
                span: h.name.span,
            });
        }
        for s in m.scalars {
            if !self.is_registered(mi, &s.name.value, DefKind::Scalar, s.name.span) {
                continue;
            }
            let base = match &s.base {
                None => Primitive::String,
                Some(b) if b.value == "string" => Primitive::String,
                Some(b) => {
                    self.push(
                        Diagnostic::error(
                            Code::InvalidScalarBase,
                            b.span,
                            format!("scalar base `{}` is not supported", b.value),
                        )
                        .with_help("scalars are string-based (`base: string`); use a field of that type directly otherwise"),
                    );
                    Primitive::String
                }
            };
            module.scalars.push(ScalarDef {
                name: s.name.value,
                base,
                description: s.description,
                example: s.example,
                python: s.python.map(|p| p.value),
                span: s.name.span,
            });
        }
        for e in m.enums {
            if !self.is_registered(mi, &e.name.value, DefKind::Enum, e.name.span) {
                continue;
            }
            module.enums.push(self.enumeration(e));
        }
        for t in m.types {
            if !self.is_registered(mi, &t.name.value, DefKind::Record, t.name.span) {
                continue;
            }
            let fields = self.fields(mi, t.fields, &Named("type", &t.name.value));
            module.types.push(RecordDef {
                name: t.name.value,
                description: t.description,
                fields,
                span: t.name.span,
            });
        }
        for e in m.events {
            if let Some(ev) = self.event(mi, e, settings) {
                module.events.push(ev);
            }
        }
        for f in m.filters {
            if let Some(fd) = self.filter(mi, f, settings) {
                if let Some(first) = module
                    .filters
                    .iter()
                    .find(|o| o.python.class == fd.python.class)
                {
                    self.push(
                        Diagnostic::error(
                            Code::InvalidPython,
                            fd.span,
                            format!(
                                "filters `{}` and `{}` are both Python class `{}` of module `{}`",
                                first.name, fd.name, fd.python.class, module.name
                            ),
                        )
                        .with_related(first.span, "the other filter")
                        .with_help("give one of them another `python: { class: … }`"),
                    );
                }
                module.filters.push(fd);
            }
        }
        module
    }
}
