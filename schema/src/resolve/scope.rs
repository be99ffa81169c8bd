//! Scope and names: module names, and each module's symbol table (what a
//! type reference can name), with duplicates reported once.

use std::collections::HashMap;

use super::{Resolver, Scope, Symbol, names};
use crate::diag::{Code, Diagnostic};
use crate::ir::DefKind;
use crate::source::Span;
use crate::syntax::ModuleSyntax;

impl Resolver<'_> {
    /// Checks module names; a module whose name is taken in its catalog is
    /// dropped. A module may share its name with one of an extern catalog
    /// (the filters' `learning` beside the events' `learning`): the two are
    /// twins, and names resolve in the module itself first, then in its twin.
    pub(super) fn modules(
        &mut self,
        syntax: Vec<ModuleSyntax>,
        group_of: impl Fn(&ModuleSyntax) -> usize,
    ) -> Vec<ModuleSyntax> {
        let mut seen: HashMap<(usize, String), Span> = HashMap::new();
        let mut kept = Vec::new();
        for m in syntax {
            let name = &m.name;
            if !names::is_snake(&name.value) {
                let d = if m.name_from_key {
                    Diagnostic::error(
                        Code::InvalidModule,
                        name.span,
                        format!(
                            "module name `{}` is not a snake_case identifier",
                            name.value
                        ),
                    )
                } else {
                    Diagnostic::file_error(
                        Code::InvalidModule,
                        m.file,
                        format!(
                            "module name `{}` (the file name) is not a snake_case identifier",
                            name.value
                        ),
                    )
                };
                self.push(d.with_help(format!(
                    "name it `{}` with a `module:` key",
                    names::suggest_snake(&name.value)
                )));
            }
            let key = (group_of(&m), name.value.clone());
            if let Some(first) = seen.get(&key) {
                self.push(
                    Diagnostic::error(
                        Code::InvalidModule,
                        name.span,
                        format!("module `{}` is defined by two files", name.value),
                    )
                    .with_related(*first, "first defined here")
                    .with_help("give each file its own `module:` name"),
                );
                continue;
            }
            seen.insert(key, name.span);
            kept.push(m);
        }
        kept
    }

    /// Registers the module's definitions, reporting bad and clashing names.
    pub(super) fn scope(&mut self, m: &ModuleSyntax) -> Scope {
        let mut symbols: HashMap<String, Symbol> = HashMap::new();
        // Folded names (lowercase, no `_`) → the first name with that fold.
        let mut folded: HashMap<String, (&str, Span)> = HashMap::new();
        let defs = m
            .scalars
            .iter()
            .map(|s| (&s.name, DefKind::Scalar))
            .chain(m.enums.iter().map(|e| (&e.name, DefKind::Enum)))
            .chain(m.types.iter().map(|t| (&t.name, DefKind::Record)))
            .chain(m.hosts.iter().map(|h| (&h.name, DefKind::Host)));
        let mut counts = [0usize; 4];
        for (name, kind) in defs {
            let slot = kind as usize;
            let index = counts[slot];
            counts[slot] += 1;
            if !names::is_upper_camel(&name.value) {
                self.push(
                    Diagnostic::error(
                        Code::NameCase,
                        name.span,
                        format!("type name `{}` is not UpperCamelCase", name.value),
                    )
                    .with_help(format!("rename it `{}`", names::suggest_camel(&name.value))),
                );
            }
            if let Some(first) = symbols.get(&name.value) {
                self.push(
                    Diagnostic::error(
                        Code::DuplicateDefinition,
                        name.span,
                        format!(
                            "`{}` is defined twice in module `{}`",
                            name.value, m.name.value
                        ),
                    )
                    .with_related(first.span, "first defined here"),
                );
                continue;
            }
            let fold = names::fold(&name.value);
            if let Some((other, span)) = folded.get(&fold) {
                self.push(
                    Diagnostic::error(
                        Code::NameCollision,
                        name.span,
                        format!(
                            "`{}` and `{other}` differ only in case: generated names, file names and anchors would collide",
                            name.value
                        ),
                    )
                    .with_related(*span, "the other name")
                    .with_help("rename one of them"),
                );
            }
            folded.insert(fold, (&name.value, name.span));
            symbols.insert(
                name.value.clone(),
                Symbol {
                    kind,
                    index,
                    span: name.span,
                },
            );
        }
        // Payload structs share the Rust namespace with the module's types.
        for e in &m.events {
            let fold = names::fold(&e.name.value);
            if let Some((other, span)) = folded.get(&fold) {
                let rust = names::payload_struct_name(&e.name.value);
                self.push(
                    Diagnostic::error(
                        Code::NameCollision,
                        e.name.span,
                        format!(
                            "event `{}` collides with `{other}`: its payload type would be named `{rust}`",
                            e.name.value
                        ),
                    )
                    .with_related(*span, "the other name")
                    .with_help("rename the event or the type"),
                );
            } else {
                folded.insert(fold, (&e.name.value, e.name.span));
            }
        }
        Scope {
            name: m.name.value.clone(),
            symbols,
        }
    }

    /// True when `name` is the first definition under that name (duplicates are dropped).
    pub(super) fn is_registered(&self, mi: usize, name: &str, kind: DefKind, span: Span) -> bool {
        self.scopes[mi]
            .symbols
            .get(name)
            .is_some_and(|s| s.kind == kind && s.span == span)
    }
}
