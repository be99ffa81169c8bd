//! Names and references: turns unresolved module syntax into the IR and
//! runs the checks that need the whole catalog.

mod event_type;
mod graph;
mod key_field;
mod literal;
pub(crate) mod names;

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::ir::{
    Catalog, DefKind, EnumDef, EnumValue, EventDef, Field, KeyField, Module, Primitive, RecordDef,
    ScalarDef, Settings, Type, TypeRef,
};
use crate::source::{SourceMap, Span};
use crate::suggest::did_you_mean;
use crate::syntax::{
    EventSyntax, FieldSyntax, ModuleSyntax, Named, TypeExpr, sub_span, text_origin,
};

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
}

/// Resolves and validates; `None` when any error was reported.
pub(crate) fn resolve(
    sources: &SourceMap,
    syntax: Vec<ModuleSyntax>,
    diags: &mut Diagnostics,
) -> Option<Catalog> {
    let mut r = Resolver {
        sources,
        diags,
        scopes: Vec::new(),
    };
    let syntax = r.modules(syntax);
    let settings = r.settings(&syntax);
    for m in &syntax {
        let scope = r.scope(m);
        r.scopes.push(scope);
    }
    let modules: Vec<Module> = syntax
        .into_iter()
        .enumerate()
        .map(|(mi, m)| r.module(mi, m, &settings))
        .collect();
    r.events_across_modules(&modules);
    graph::check_required_cycles(&modules, r.diags);
    r.literals(&modules);
    r.key_fields(&modules);
    graph::check_unused(&modules, r.diags);
    if r.diags.has_errors() {
        return None;
    }
    Some(Catalog::new(settings, modules, sources.clone()))
}

impl Resolver<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Checks module names; a module whose name is taken is dropped.
    fn modules(&mut self, syntax: Vec<ModuleSyntax>) -> Vec<ModuleSyntax> {
        let mut seen: HashMap<String, Span> = HashMap::new();
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
            if let Some(first) = seen.get(&name.value) {
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
            seen.insert(name.value.clone(), name.span);
            kept.push(m);
        }
        kept
    }

    fn settings(&mut self, syntax: &[ModuleSyntax]) -> Settings {
        let mut found: Option<&crate::syntax::SettingsSyntax> = None;
        for s in syntax.iter().filter_map(|m| m.settings.as_ref()) {
            match found {
                None => found = Some(s),
                Some(first) => {
                    if let (Some(here), Some(there)) = (s.span, first.span) {
                        self.push(
                            Diagnostic::error(
                                Code::DuplicateSettings,
                                here,
                                "`catalog` settings may appear in one file only",
                            )
                            .with_related(there, "first set here")
                            .with_help("keep one `catalog:` block for the whole catalog"),
                        );
                    }
                }
            }
        }
        let Some(s) = found else {
            return Settings::default();
        };
        if let Some(p) = &s.type_prefix {
            let ok = p.value.split('.').all(|seg| {
                seg.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && seg.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
                    })
            });
            if !ok {
                self.push(
                    Diagnostic::error(
                        Code::InvalidEventType,
                        p.span,
                        format!("type_prefix `{}` is not a dotted lowercase prefix", p.value),
                    )
                    .with_help("write a reverse-DNS prefix such as `org.openedx`"),
                );
            }
        }
        Settings {
            type_prefix: s.type_prefix.as_ref().map(|t| t.value.clone()),
            definition_base_url: s.definition_base_url.as_ref().map(|t| t.value.clone()),
            trigger_base_url: s.trigger_base_url.as_ref().map(|t| t.value.clone()),
            span: s.span,
        }
    }

    /// Registers the module's definitions, reporting bad and clashing names.
    fn scope(&mut self, m: &ModuleSyntax) -> Scope {
        let mut symbols: HashMap<String, Symbol> = HashMap::new();
        // Folded names (lowercase, no `_`) → the first name with that fold.
        let mut folded: HashMap<String, (&str, Span)> = HashMap::new();
        let defs = m
            .scalars
            .iter()
            .map(|s| (&s.name, DefKind::Scalar))
            .chain(m.enums.iter().map(|e| (&e.name, DefKind::Enum)))
            .chain(m.types.iter().map(|t| (&t.name, DefKind::Record)));
        let mut counts = [0usize; 3];
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
    fn is_registered(&self, mi: usize, name: &str, kind: DefKind, span: Span) -> bool {
        self.scopes[mi]
            .symbols
            .get(name)
            .is_some_and(|s| s.kind == kind && s.span == span)
    }

    fn module(&mut self, mi: usize, m: ModuleSyntax, settings: &Settings) -> Module {
        let mut module = Module {
            name: m.name.value,
            file: m.file,
            scalars: Vec::with_capacity(m.scalars.len()),
            enums: Vec::with_capacity(m.enums.len()),
            types: Vec::with_capacity(m.types.len()),
            events: Vec::with_capacity(m.events.len()),
        };
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
        module
    }

    fn enumeration(&mut self, e: crate::syntax::EnumSyntax) -> EnumDef {
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

    fn fields(
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

    fn ty(&mut self, mi: usize, expr: &TypeExpr, f: &FieldSyntax) -> Option<Type> {
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
                let target = match module {
                    None => mi,
                    Some((m, mrange)) => match self.scopes.iter().position(|s| &s.name == m) {
                        Some(i) => i,
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
                let scope = &self.scopes[target];
                match scope.symbols.get(name) {
                    Some(sym) => Type::Named(TypeRef {
                        module: scope.name.clone(),
                        name: name.clone(),
                        kind: sym.kind,
                        module_index: target,
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

    fn unknown_type_help(&self, target: usize, qualified: bool, name: &str) -> Option<String> {
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
        if let Some(s) = did_you_mean(name, local) {
            return Some(s);
        }
        if !qualified {
            // Defined elsewhere: say how to reach it.
            if let Some(other) = self.scopes.iter().find(|s| s.symbols.contains_key(name)) {
                return Some(format!(
                    "`{name}` is defined in module `{0}`: write `{0}.{name}`",
                    other.name
                ));
            }
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

    fn event(&mut self, mi: usize, e: EventSyntax, settings: &Settings) -> Option<EventDef> {
        let name = &e.name;
        if !names::is_screaming_snake(&name.value) {
            self.push(
                Diagnostic::error(
                    Code::NameCase,
                    name.span,
                    format!("event name `{}` is not SCREAMING_SNAKE_CASE", name.value),
                )
                .with_help(format!(
                    "rename it `{}`",
                    names::suggest_screaming(&name.value)
                )),
            );
        }
        let event_type = e.event_type.as_ref()?;
        let major = self.event_type(mi, &e, event_type, settings);
        if let Some(major) = major {
            self.name_version(&e, major);
        }
        if let Some(added) = &e.added
            && parse_date(&added.value).is_none()
        {
            self.push(
                Diagnostic::error(
                    Code::InvalidDate,
                    added.span,
                    format!("`{}` is not a valid date", added.value),
                )
                .with_label("expected YYYY-MM-DD")
                .with_help("write the calendar date the event was added, e.g. `2021-09-02`"),
            );
        }
        let payload = self.fields(mi, e.payload, &Named("the payload of", &name.value));
        if payload.is_empty()
            && let Some(span) = e.payload_span
        {
            self.push(
                Diagnostic::error(
                    Code::EmptyPayload,
                    span,
                    format!("event `{}` has an empty payload", name.value),
                )
                .with_help("an event carries at least one field, e.g. `user: UserData`"),
            );
        }
        Some(EventDef {
            span: e.name.span,
            name: e.name.value,
            event_type: e.event_type.map(|t| t.value).unwrap_or_default(),
            major_version: major.unwrap_or(1),
            minor_version: e.minor_version.map_or(0, |(v, _)| v),
            description: e.description,
            added: e.added.map(|t| t.value),
            trigger: e.trigger.map(|t| t.value),
            key_field: e.key_field.map(|k| KeyField {
                path: k.value.split('.').map(str::to_owned).collect(),
                span: k.span,
            }),
            payload,
        })
    }

    fn event_type(
        &mut self,
        mi: usize,
        e: &EventSyntax,
        t: &crate::syntax::Text,
        settings: &Settings,
    ) -> Option<u32> {
        let origin = text_origin(self.sources, t.span, &t.value);
        let major = match event_type::parse(&t.value) {
            Ok(v) => Some(v),
            Err(errors) => {
                for err in errors {
                    let span = sub_span(self.sources, t.span, origin, err.range);
                    self.push(
                        Diagnostic::error(
                            Code::InvalidEventType,
                            span,
                            format!("{} (in `{}`)", err.message, t.value),
                        )
                        .with_help_opt(err.help),
                    );
                }
                None
            }
        };
        if let Some(prefix) = &settings.type_prefix {
            let module = &self.scopes[mi].name;
            let expected = format!("{prefix}.{module}.");
            if !t.value.starts_with(&expected) {
                self.push(
                    Diagnostic::error(
                        Code::EventTypePrefix,
                        t.span,
                        format!("event type of `{}` must start with `{expected}`", e.name.value),
                    )
                    .with_label(format!("outside `{prefix}` or module `{module}`"))
                    .with_help(format!(
                        "the catalog's `type_prefix` is `{prefix}` and this file is module `{module}`"
                    )),
                );
            }
        }
        major
    }

    fn name_version(&mut self, e: &EventSyntax, major: u32) {
        let name = &e.name.value;
        let suffix = event_type::name_version(name);
        let stem = match suffix {
            Some(v) => name.trim_end_matches(&format!("_V{v}")).to_owned(),
            None => name.clone(),
        };
        let problem = match (major, suffix) {
            (1, Some(v)) => Some((
                format!("event `{name}` is version 1 but its name ends in `_V{v}`"),
                format!("version-1 events carry no suffix: rename it `{stem}`"),
            )),
            (n, None) if n >= 2 => Some((
                format!(
                    "event `{name}` has major version {n} but its name does not end in `_V{n}`"
                ),
                format!(
                    "rename it `{stem}_V{n}`, next to the `v{}` event it replaces",
                    n - 1
                ),
            )),
            (n, Some(v)) if n >= 2 && v != n => Some((
                format!("event `{name}` has major version {n} but its name ends in `_V{v}`"),
                format!("rename it `{stem}_V{n}`"),
            )),
            _ => None,
        };
        if let Some((msg, help)) = problem {
            self.push(Diagnostic::error(Code::EventNameVersion, e.name.span, msg).with_help(help));
        }
    }

    /// Event names and types are unique across the whole catalog.
    fn events_across_modules(&mut self, modules: &[Module]) {
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
    fn literals(&mut self, modules: &[Module]) {
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

    fn key_fields(&mut self, modules: &[Module]) {
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
