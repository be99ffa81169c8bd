//! Reading a file's YAML tree into unresolved definitions.
//!
//! This layer checks shape only (known keys, required keys, value kinds,
//! type-expression syntax); names and references are checked by `resolve`.

pub mod type_expr;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, SourceMap, Span};
use crate::suggest::did_you_mean;
use crate::yaml::{Entry, Node, NodeKind, Value};
pub use type_expr::TypeExpr;

/// A string with the span it was written at.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Default)]
pub(crate) struct SettingsSyntax {
    pub type_prefix: Option<Text>,
    pub definition_base_url: Option<Text>,
    pub trigger_base_url: Option<Text>,
    pub span: Option<Span>,
}

#[derive(Debug)]
pub(crate) struct ScalarSyntax {
    pub name: Text,
    pub base: Option<Text>,
    pub description: Option<String>,
    pub example: Option<String>,
}

#[derive(Debug)]
pub(crate) struct EnumSyntax {
    pub name: Text,
    pub values: Vec<Text>,
    pub description: Option<String>,
    pub values_span: Span,
}

#[derive(Debug)]
pub(crate) struct FieldSyntax {
    pub name: Text,
    /// `None` when the expression did not parse (already reported).
    pub ty: Option<TypeExpr>,
    pub type_span: Span,
    /// Where offset 0 of the expression text sits in the file, when the
    /// text maps 1:1 onto the source (then sub-expressions get exact spans).
    pub type_origin: Option<u32>,
    pub default: Option<Node>,
    pub description: Option<String>,
    pub example: Option<Node>,
}

#[derive(Debug)]
pub(crate) struct RecordSyntax {
    pub name: Text,
    pub description: Option<String>,
    pub fields: Vec<FieldSyntax>,
}

#[derive(Debug)]
pub(crate) struct EventSyntax {
    pub name: Text,
    pub event_type: Option<Text>,
    pub minor_version: Option<(u32, Span)>,
    pub description: Option<String>,
    pub added: Option<Text>,
    pub trigger: Option<Text>,
    pub key_field: Option<Text>,
    pub payload: Vec<FieldSyntax>,
    pub payload_span: Option<Span>,
}

#[derive(Debug)]
pub(crate) struct ModuleSyntax {
    pub file: FileId,
    pub name: Text,
    pub name_from_key: bool,
    pub settings: Option<SettingsSyntax>,
    pub scalars: Vec<ScalarSyntax>,
    pub enums: Vec<EnumSyntax>,
    pub types: Vec<RecordSyntax>,
    pub events: Vec<EventSyntax>,
}

const TOP_KEYS: &[&str] = &["module", "catalog", "scalars", "enums", "types", "events"];
const SETTINGS_KEYS: &[&str] = &["type_prefix", "definition_base_url", "trigger_base_url"];
const SCALAR_KEYS: &[&str] = &["base", "description", "example"];
const ENUM_KEYS: &[&str] = &["values", "description"];
const TYPE_KEYS: &[&str] = &["description", "fields"];
const FIELD_KEYS: &[&str] = &["type", "description", "default", "example"];
const EVENT_KEYS: &[&str] = &[
    "type",
    "minor_version",
    "description",
    "added",
    "trigger",
    "key_field",
    "payload",
];

pub(crate) struct Reader<'a> {
    pub sources: &'a SourceMap,
    pub diags: &'a mut Diagnostics,
}

impl Reader<'_> {
    /// Reads one file's tree. `root` is `None` for an empty document.
    pub fn module(&mut self, file: FileId, root: Option<&Node>) -> Option<ModuleSyntax> {
        let Some(root) = root else {
            self.diags.push(
                Diagnostic::file_error(Code::InvalidValue, file, "the file is empty")
                    .with_help("a catalog file is a mapping with `types:` and `events:`"),
            );
            return None;
        };
        let entries = self.map(root, "a catalog file")?;
        self.check_keys(entries, TOP_KEYS, "a catalog file");
        let stem = self.sources.file(file).stem().to_owned();
        let (name, name_from_key) = match find(entries, "module") {
            Some(e) => (self.text(&e.value, "the module name").unwrap_or(Text {
                value: stem,
                span: e.value.span,
            }), true),
            None => (
                Text {
                    value: stem,
                    span: self.sources.span(file, 0..0),
                },
                false,
            ),
        };
        let mut m = ModuleSyntax {
            file,
            name,
            name_from_key,
            settings: None,
            scalars: Vec::new(),
            enums: Vec::new(),
            types: Vec::new(),
            events: Vec::new(),
        };
        if let Some(e) = find(entries, "catalog") {
            m.settings = self.settings(e);
        }
        if let Some(e) = find(entries, "scalars") {
            for (name, node) in self.named_section(&e.value, "scalars") {
                if let Some(s) = self.scalar(name, node) {
                    m.scalars.push(s);
                }
            }
        }
        if let Some(e) = find(entries, "enums") {
            for (name, node) in self.named_section(&e.value, "enums") {
                if let Some(s) = self.enumeration(name, node) {
                    m.enums.push(s);
                }
            }
        }
        if let Some(e) = find(entries, "types") {
            for (name, node) in self.named_section(&e.value, "types") {
                if let Some(s) = self.record(name, node) {
                    m.types.push(s);
                }
            }
        }
        if let Some(e) = find(entries, "events") {
            for (name, node) in self.named_section(&e.value, "events") {
                if let Some(s) = self.event(name, node) {
                    m.events.push(s);
                }
            }
        }
        Some(m)
    }

    fn settings(&mut self, e: &Entry) -> Option<SettingsSyntax> {
        let entries = self.map(&e.value, "`catalog` settings")?;
        self.check_keys(entries, SETTINGS_KEYS, "`catalog` settings");
        let get = |r: &mut Self, k: &str| find(entries, k).and_then(|e| r.text(&e.value, k));
        Some(SettingsSyntax {
            type_prefix: get(self, "type_prefix"),
            definition_base_url: get(self, "definition_base_url"),
            trigger_base_url: get(self, "trigger_base_url"),
            span: Some(e.key_span),
        })
    }

    /// The `Name: {...}` pairs of a section; `null` (an empty section) is fine.
    fn named_section<'n>(&mut self, node: &'n Node, section: &str) -> Vec<(Text, &'n Node)> {
        if node.is_null() {
            return Vec::new();
        }
        let Some(entries) = self.map(node, &format!("`{section}`")) else {
            return Vec::new();
        };
        entries
            .iter()
            .map(|e| {
                (
                    Text {
                        value: e.key.clone(),
                        span: e.key_span,
                    },
                    &e.value,
                )
            })
            .collect()
    }

    fn scalar(&mut self, name: Text, node: &Node) -> Option<ScalarSyntax> {
        let what = format!("scalar `{}`", name.value);
        let entries = self.map(node, &what)?;
        self.check_keys(entries, SCALAR_KEYS, &what);
        Some(ScalarSyntax {
            base: find(entries, "base").and_then(|e| self.text(&e.value, "`base`")),
            description: self.opt_string(entries, "description"),
            example: self.opt_string(entries, "example"),
            name,
        })
    }

    fn enumeration(&mut self, name: Text, node: &Node) -> Option<EnumSyntax> {
        let what = format!("enum `{}`", name.value);
        let entries = self.map(node, &what)?;
        self.check_keys(entries, ENUM_KEYS, &what);
        let Some(values) = self.required(entries, "values", &name, &what) else {
            return None;
        };
        let NodeKind::Seq(items) = &values.value.kind else {
            self.wrong_kind(&values.value, "a sequence of values", "`values`");
            return None;
        };
        let values_span = values.key_span;
        let values = items
            .iter()
            .filter_map(|n| self.text(n, "an enum value"))
            .collect();
        Some(EnumSyntax {
            name,
            values,
            description: self.opt_string(entries, "description"),
            values_span,
        })
    }

    fn record(&mut self, name: Text, node: &Node) -> Option<RecordSyntax> {
        let what = format!("type `{}`", name.value);
        let entries = self.map(node, &what)?;
        self.check_keys(entries, TYPE_KEYS, &what);
        let fields_entry = self.required(entries, "fields", &name, &what)?;
        let fields = self.fields(&fields_entry.value, "`fields`");
        Some(RecordSyntax {
            description: self.opt_string(entries, "description"),
            fields,
            name,
        })
    }

    fn event(&mut self, name: Text, node: &Node) -> Option<EventSyntax> {
        let what = format!("event `{}`", name.value);
        let entries = self.map(node, &what)?;
        self.check_keys(entries, EVENT_KEYS, &what);
        let event_type = self
            .required(entries, "type", &name, &what)
            .and_then(|e| self.text(&e.value, "the event type"));
        let minor_version = find(entries, "minor_version").and_then(|e| self.minor_version(&e.value));
        let payload_entry = self.required(entries, "payload", &name, &what);
        let payload_span = payload_entry.map(|e| e.key_span);
        let payload = payload_entry
            .map(|e| self.fields(&e.value, "`payload`"))
            .unwrap_or_default();
        let get = |r: &mut Self, k: &str| find(entries, k).and_then(|e| r.text(&e.value, &format!("`{k}`")));
        Some(EventSyntax {
            event_type,
            minor_version,
            description: self.opt_string(entries, "description"),
            added: get(self, "added"),
            trigger: get(self, "trigger"),
            key_field: get(self, "key_field"),
            payload,
            payload_span,
            name,
        })
    }

    fn minor_version(&mut self, node: &Node) -> Option<(u32, Span)> {
        match node.to_value() {
            Value::Int(i) if i >= 0 && i <= i64::from(u32::MAX) => Some((i as u32, node.span)),
            Value::Int(i) if i < 0 => {
                self.diags.push(
                    Diagnostic::error(
                        Code::InvalidMinorVersion,
                        node.span,
                        format!("minor_version must not be negative, found {i}"),
                    )
                    .with_help("minor versions start at 0 and only grow"),
                );
                None
            }
            other => {
                self.diags.push(Diagnostic::error(
                    Code::InvalidMinorVersion,
                    node.span,
                    format!("minor_version must be a non-negative integer, found {}", other.kind_name()),
                ));
                None
            }
        }
    }

    fn fields(&mut self, node: &Node, what: &str) -> Vec<FieldSyntax> {
        if node.is_null() {
            return Vec::new();
        }
        let Some(entries) = self.map(node, what) else {
            return Vec::new();
        };
        entries.iter().filter_map(|e| self.field(e)).collect()
    }

    fn field(&mut self, e: &Entry) -> Option<FieldSyntax> {
        let name = Text {
            value: e.key.clone(),
            span: e.key_span,
        };
        let what = format!("field `{}`", e.key);
        let (type_node, entries) = match &e.value.kind {
            NodeKind::Map(entries) => {
                self.check_keys(entries, FIELD_KEYS, &what);
                (self.required(entries, "type", &name, &what).map(|t| &t.value)?, Some(entries))
            }
            _ => (&e.value, None),
        };
        let Some(src) = type_node.as_str() else {
            self.wrong_kind(type_node, "a type expression such as `string` or `list<UserData>`", &what);
            return None;
        };
        let type_origin = self.origin(type_node, src);
        let ty = match type_expr::parse(src) {
            Ok(t) => Some(t),
            Err(err) => {
                let span = self.sub_span(type_node.span, type_origin, err.range.clone());
                self.diags.push(
                    Diagnostic::error(
                        Code::InvalidTypeExpr,
                        span,
                        format!("invalid type `{src}`: {}", err.message),
                    )
                    .with_help_opt(err.help),
                );
                None
            }
        };
        let (default, description, example) = match entries {
            Some(entries) => (
                find(entries, "default").map(|e| e.value.clone()),
                self.opt_string(entries, "description"),
                find(entries, "example").map(|e| e.value.clone()),
            ),
            None => (None, None, None),
        };
        Some(FieldSyntax {
            name,
            ty,
            type_span: type_node.span,
            type_origin,
            default,
            description,
            example,
        })
    }

    fn origin(&self, node: &Node, text: &str) -> Option<u32> {
        text_origin(self.sources, node.span, text)
    }

    fn sub_span(&self, whole: Span, origin: Option<u32>, r: std::ops::Range<usize>) -> Span {
        sub_span(self.sources, whole, origin, r)
    }

    // ----- helpers -----

    fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Entry]> {
        match &node.kind {
            NodeKind::Map(e) => Some(e),
            _ => {
                self.wrong_kind(node, "a mapping", what);
                None
            }
        }
    }

    fn wrong_kind(&mut self, node: &Node, expected: &str, what: &str) {
        self.diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                node.span,
                format!("expected {expected} for {what}, found {}", node.kind_name()),
            )
            .with_label(format!("this is {}", node.kind_name())),
        );
    }

    fn text(&mut self, node: &Node, what: &str) -> Option<Text> {
        match &node.kind {
            NodeKind::Scalar(s, _) if node.as_str().is_some() => Some(Text {
                value: s.clone(),
                span: node.span,
            }),
            _ => {
                self.wrong_kind(node, "a string", what);
                None
            }
        }
    }

    fn opt_string(&mut self, entries: &[Entry], key: &str) -> Option<String> {
        let e = find(entries, key)?;
        // Numbers and booleans are fine as text here ("example: 42").
        match &e.value.kind {
            NodeKind::Scalar(s, _) => Some(s.clone()),
            _ => {
                self.wrong_kind(&e.value, "a string", &format!("`{key}`"));
                None
            }
        }
    }

    fn required<'n>(&mut self, entries: &'n [Entry], key: &str, owner: &Text, what: &str) -> Option<&'n Entry> {
        let found = find(entries, key);
        if found.is_none() {
            self.diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    owner.span,
                    format!("{what} has no `{key}`"),
                )
                .with_label(format!("`{key}` is required here")),
            );
        }
        found
    }

    fn check_keys(&mut self, entries: &[Entry], allowed: &[&str], what: &str) {
        for e in entries {
            if !allowed.contains(&e.key.as_str()) {
                let help = did_you_mean(&e.key, allowed.iter().copied()).unwrap_or_else(|| {
                    format!("the keys of {what} are: {}", allowed.join(", "))
                });
                self.diags.push(
                    Diagnostic::error(
                        Code::UnknownKey,
                        e.key_span,
                        format!("unknown key `{}` in {what}", e.key),
                    )
                    .with_label("not a key of the language")
                    .with_help(help),
                );
            }
        }
    }
}

/// Where a scalar's text starts in the file, when the text maps 1:1 onto
/// the source (plain, or quoted without escapes).
pub(crate) fn text_origin(sources: &SourceMap, span: Span, text: &str) -> Option<u32> {
    let raw = sources.file(span.file).text().get(span.range())?;
    if raw == text {
        Some(span.start)
    } else if raw.len() == text.len() + 2 && raw.get(1..raw.len() - 1) == Some(text) {
        Some(span.start + 1)
    } else {
        None
    }
}

/// The span of `r` inside a scalar's text, or the whole scalar when the text
/// does not map 1:1 onto the source.
pub(crate) fn sub_span(sources: &SourceMap, whole: Span, origin: Option<u32>, r: std::ops::Range<usize>) -> Span {
    match origin {
        Some(o) => {
            let o = o as usize;
            sources.span(whole.file, o + r.start..o + r.end)
        }
        None => whole,
    }
}

fn find<'n>(entries: &'n [Entry], key: &str) -> Option<&'n Entry> {
    entries.iter().find(|e| e.key == key)
}
