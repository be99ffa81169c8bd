//! Types: enums, fields and type expressions resolved to the IR's types,
//! with suggestions for unknown names.

use std::collections::HashMap;

use super::{Resolver, names};
use crate::diag::{Code, Diagnostic};
use crate::ir::{EnumDef, EnumValue, Field, Primitive, Type, TypeRef};
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::{FieldSyntax, TypeExpr, sub_span};

impl Resolver<'_> {
    pub(super) fn enumeration(&mut self, e: crate::syntax::EnumSyntax) -> EnumDef {
        if e.values.is_empty() {
            self.push(
                Diagnostic::error(
                    Code::InvalidEnum,
                    e.values_span,
                    format!("enum `{}` has no values", e.name.value),
                )
                .with_help("list at least one value"),
            );
        }
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut variants: HashMap<String, (&str, Span)> = HashMap::new();
        let mut values = Vec::new();
        for v in &e.values {
            if !names::is_enum_value(&v.value) {
                self.push(
                    Diagnostic::error(
                        Code::NameCase,
                        v.span,
                        format!("enum value `{}` must be letters, digits, `_`, `-` or `.`, starting with a letter or digit", v.value),
                    ),
                );
            }
            if let Some(first) = seen.get(v.value.as_str()) {
                self.push(
                    Diagnostic::error(
                        Code::InvalidEnum,
                        v.span,
                        format!("enum value `{}` appears twice", v.value),
                    )
                    .with_related(*first, "first listed here"),
                );
                continue;
            }
            seen.insert(&v.value, v.span);
            let variant = names::variant_form(&v.value);
            if let Some((other, span)) = variants.get(&variant) {
                self.push(
                    Diagnostic::error(
                        Code::NameCollision,
                        v.span,
                        format!(
                            "enum values `{}` and `{other}` both become the variant `{variant}`",
                            v.value
                        ),
                    )
                    .with_related(*span, "the other value"),
                );
            }
            variants.insert(variant, (&v.value, v.span));
            values.push(EnumValue {
                name: v.value.clone(),
                span: v.span,
            });
        }
        EnumDef {
            name: e.name.value.clone(),
            values,
            description: e.description.clone(),
            span: e.name.span,
        }
    }

    pub(super) fn fields(
        &mut self,
        mi: usize,
        fields: Vec<FieldSyntax>,
        owner: &dyn std::fmt::Display,
    ) -> Vec<Field> {
        let mut out = Vec::with_capacity(fields.len());
        for f in fields {
            if !names::is_snake(&f.name.value) {
                self.push(
                    Diagnostic::error(
                        Code::NameCase,
                        f.name.span,
                        format!("field name `{}` of {owner} is not snake_case", f.name.value),
                    )
                    .with_help(format!(
                        "rename it `{}`",
                        names::suggest_snake(&f.name.value)
                    )),
                );
            }
            let ty = f.ty.as_ref().and_then(|t| self.ty(mi, t, &f));
            out.push(Field {
                unresolved: ty.is_none(),
                // A placeholder keeps the shape; the catalog is rejected anyway.
                ty: ty.unwrap_or(Type::Primitive(Primitive::Json)),
                default: f.default.as_ref().map(|n| n.to_value()),
                example: f.example.as_ref().map(|n| n.to_value()),
                python: f.python.map(|p| p.value),
                name: f.name.value,
                description: f.description,
                span: f.name.span,
                type_span: f.type_span,
                default_span: f.default.as_ref().map(|n| n.span),
                example_span: f.example.as_ref().map(|n| n.span),
            });
        }
        out
    }

    pub(super) fn ty(&mut self, mi: usize, expr: &TypeExpr, f: &FieldSyntax) -> Option<Type> {
        Some(match expr {
            TypeExpr::Primitive(p) => Type::Primitive(*p),
            TypeExpr::List(t) => Type::List(Box::new(self.ty(mi, t, f)?)),
            TypeExpr::Map(t) => Type::Map(Box::new(self.ty(mi, t, f)?)),
            TypeExpr::Optional(t) => Type::Optional(Box::new(self.ty(mi, t, f)?)),
            TypeExpr::Named {
                module,
                name,
                range,
            } => {
                // The module itself, or the module named; each followed by
                // its twins in other catalogs, its own catalog's first.
                let wanted = match module {
                    None => self.scopes[mi].name.as_str(),
                    Some((m, _)) => m.as_str(),
                };
                let own_group = self.groups.get(mi).copied().unwrap_or(0);
                let mut candidates: Vec<usize> = (0..self.scopes.len())
                    .filter(|&i| self.scopes[i].name == wanted)
                    .collect();
                candidates.sort_by_key(|&i| {
                    (
                        i != mi,
                        self.groups.get(i).copied().unwrap_or(0) != own_group,
                        i,
                    )
                });
                let target = match module {
                    None => mi,
                    Some((m, mrange)) => match candidates.first() {
                        Some(&i) => i,
                        None => {
                            let span =
                                sub_span(self.sources, f.type_span, f.type_origin, mrange.clone());
                            let help = did_you_mean(m, self.scopes.iter().map(|s| s.name.as_str()))
                                .unwrap_or_else(|| {
                                    let all: Vec<&str> =
                                        self.scopes.iter().map(|s| s.name.as_str()).collect();
                                    format!("the catalog's modules are: {}", all.join(", "))
                                });
                            self.push(
                                Diagnostic::error(
                                    Code::UnknownModule,
                                    span,
                                    format!("unknown module `{m}`"),
                                )
                                .with_label("no catalog file defines this module")
                                .with_help(help),
                            );
                            return None;
                        }
                    },
                };
                let found = candidates
                    .iter()
                    .find_map(|&i| self.scopes[i].symbols.get(name).map(|sym| (i, *sym)));
                let scope = &self.scopes[target];
                match found {
                    Some((i, sym)) => Type::Named(TypeRef {
                        module: self.scopes[i].name.clone(),
                        name: name.clone(),
                        kind: sym.kind,
                        module_index: i,
                        index: sym.index,
                    }),
                    None => {
                        let span =
                            sub_span(self.sources, f.type_span, f.type_origin, range.clone());
                        let help = self.unknown_type_help(target, module.is_some(), name);
                        self.push(
                            Diagnostic::error(
                                Code::UnknownType,
                                span,
                                format!("unknown type `{name}` in module `{}`", scope.name),
                            )
                            .with_label("not defined")
                            .with_help_opt(help),
                        );
                        return None;
                    }
                }
            }
        })
    }

    pub(super) fn unknown_type_help(
        &self,
        target: usize,
        qualified: bool,
        name: &str,
    ) -> Option<String> {
        let scope = &self.scopes[target];
        let local = scope.symbols.keys().map(String::as_str).chain(
            if qualified {
                None
            } else {
                Some(Primitive::ALL.iter().map(|p| p.name()))
            }
            .into_iter()
            .flatten(),
        );
        // The exact name in another module is likelier meant than a
        // different name here (`UserData` used from `bookmarks`, defined in
        // `learning`).
        if !qualified && let Some(other) = self.scopes.iter().find(|s| s.symbols.contains_key(name))
        {
            return Some(format!(
                "`{name}` is defined in module `{0}`: write `{0}.{name}`",
                other.name
            ));
        }
        if let Some(s) = did_you_mean(name, local) {
            return Some(s);
        }
        if !qualified {
            let lower = name.to_ascii_lowercase();
            if let Some(p) = Primitive::from_name(&lower) {
                return Some(format!(
                    "built-in types are lowercase: write `{}`",
                    p.name()
                ));
            }
            if matches!(lower.as_str(), "str" | "text") {
                return Some("write `string`".into());
            }
            if matches!(lower.as_str(), "dict" | "object" | "any") {
                return Some("write `map<T>`, or `json` for free-form data".into());
            }
        }
        None
    }
}
