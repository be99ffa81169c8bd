//! Reading a file's YAML tree into unresolved definitions.
//!
//! This layer checks shape only (known keys, required keys, value kinds,
//! type-expression syntax); names and references are checked by `resolve`.

pub mod type_expr;

use std::fmt::Display;

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
    pub python: Option<Text>,
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
    pub python: Option<Text>,
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
pub(crate) struct HostSyntax {
    pub name: Text,
    pub description: Option<String>,
    pub python: Option<Text>,
}

#[derive(Debug)]
pub(crate) struct ExceptionSyntax {
    pub name: Text,
    pub description: Option<String>,
    pub fields: Vec<FieldSyntax>,
}

#[derive(Debug)]
pub(crate) struct FilterSyntax {
    pub name: Text,
    pub filter_type: Option<Text>,
    pub description: Option<String>,
    pub added: Option<Text>,
    pub trigger: Option<Text>,
    pub arguments: Vec<FieldSyntax>,
    pub arguments_span: Option<Span>,
    /// The names listed, and where the list is; `None`: every argument.
    pub returns: Option<(Vec<Text>, Span)>,
    pub exceptions: Vec<ExceptionSyntax>,
    pub python: Option<PythonFilterSyntax>,
}

/// A filter's `python:` map: how its Python class is written.
#[derive(Debug)]
pub(crate) struct PythonFilterSyntax {
    pub class: Option<Text>,
    pub return_access: Option<Text>,
    /// The keys listed, and where the list is.
    pub sensitive_form_data: Option<(Vec<Text>, Span)>,
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
    pub hosts: Vec<HostSyntax>,
    pub filters: Vec<FilterSyntax>,
}

/// Names what a diagnostic is about (`field `id``) without allocating
/// unless a diagnostic is actually written.
pub(crate) struct Named<'a>(pub &'static str, pub &'a str);

impl Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} `{}`", self.0, self.1)
    }
}

const TOP_KEYS: &[&str] = &[
    "module", "catalog", "scalars", "enums", "types", "events", "hosts", "filters",
];
const HOST_KEYS: &[&str] = &["description", "python"];
const EXCEPTION_KEYS: &[&str] = &["description", "fields"];
const FILTER_KEYS: &[&str] = &[
    "type",
    "description",
    "added",
    "trigger",
    "arguments",
    "returns",
    "exceptions",
    "python",
];
const PYTHON_FILTER_KEYS: &[&str] = &["class", "return_access", "sensitive_form_data"];
const SETTINGS_KEYS: &[&str] = &["type_prefix", "definition_base_url", "trigger_base_url"];
const SCALAR_KEYS: &[&str] = &["base", "description", "example", "python"];
const ENUM_KEYS: &[&str] = &["values", "description"];
const TYPE_KEYS: &[&str] = &["description", "fields"];
const FIELD_KEYS: &[&str] = &["type", "description", "default", "example", "python"];
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

/// Takes the entry with `key` out of a mapping (keys are unique).
fn take(entries: &mut Vec<Entry>, key: &str) -> Option<Entry> {
    let i = entries.iter().position(|e| e.key == key)?;
    Some(entries.remove(i))
}

// The reader consumes the tree and moves its strings into the syntax (and
// later the IR), so each name and description is allocated once.
impl Reader<'_> {
    /// Reads one file's tree. `root` is `None` for an empty document.
    pub fn module(&mut self, file: FileId, root: Option<Node>) -> Option<ModuleSyntax> {
        let Some(root) = root else {
            self.diags.push(
                Diagnostic::file_error(Code::InvalidValue, file, "the file is empty")
                    .with_help("a catalog file is a mapping with `types:` and `events:`"),
            );
            return None;
        };
        let mut entries = self.map(root, &"a catalog file")?;
        self.check_keys(&entries, TOP_KEYS, &"a catalog file");
        let (name, name_from_key) = match take(&mut entries, "module") {
            Some(e) => {
                let span = e.value.span;
                let name = self
                    .text(e.value, &"the module name")
                    .unwrap_or_else(|| Text {
                        value: self.sources.file(file).stem().to_owned(),
                        span,
                    });
                (name, true)
            }
            None => (
                Text {
                    value: self.sources.file(file).stem().to_owned(),
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
            hosts: Vec::new(),
            filters: Vec::new(),
        };
        if let Some(e) = take(&mut entries, "catalog") {
            m.settings = self.settings(e);
        }
        if let Some(e) = take(&mut entries, "scalars") {
            m.scalars = self.section(e.value, "scalars", Self::scalar);
        }
        if let Some(e) = take(&mut entries, "enums") {
            m.enums = self.section(e.value, "enums", Self::enumeration);
        }
        if let Some(e) = take(&mut entries, "types") {
            m.types = self.section(e.value, "types", Self::record);
        }
        if let Some(e) = take(&mut entries, "events") {
            m.events = self.section(e.value, "events", Self::event);
        }
        if let Some(e) = take(&mut entries, "hosts") {
            m.hosts = self.section(e.value, "hosts", Self::host);
        }
        if let Some(e) = take(&mut entries, "filters") {
            m.filters = self.section(e.value, "filters", Self::filter);
        }
        Some(m)
    }

    fn settings(&mut self, e: Entry) -> Option<SettingsSyntax> {
        let span = e.key_span;
        let mut entries = self.map(e.value, &"`catalog` settings")?;
        self.check_keys(&entries, SETTINGS_KEYS, &"`catalog` settings");
        let mut get =
            |r: &mut Self, k: &str| take(&mut entries, k).and_then(|e| r.text(e.value, &k));
        Some(SettingsSyntax {
            type_prefix: get(self, "type_prefix"),
            definition_base_url: get(self, "definition_base_url"),
            trigger_base_url: get(self, "trigger_base_url"),
            span: Some(span),
        })
    }

    /// Reads the `Name: {...}` pairs of a section with `read`; `null` (an
    /// empty section) is fine.
    fn section<T>(
        &mut self,
        node: Node,
        section: &str,
        read: fn(&mut Self, Text, Node) -> Option<T>,
    ) -> Vec<T> {
        if node.is_null() {
            return Vec::new();
        }
        let Some(entries) = self.map(node, &Named("section", section)) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            let name = Text {
                value: e.key,
                span: e.key_span,
            };
            if let Some(item) = read(self, name, e.value) {
                out.push(item);
            }
        }
        out
    }

    fn scalar(&mut self, name: Text, node: Node) -> Option<ScalarSyntax> {
        let what = Named("scalar", &name.value);
        let mut entries = self.map(node, &what)?;
        self.check_keys(&entries, SCALAR_KEYS, &what);
        Some(ScalarSyntax {
            base: take(&mut entries, "base").and_then(|e| self.text(e.value, &"`base`")),
            description: self.opt_string(&mut entries, "description"),
            example: self.opt_string(&mut entries, "example"),
            python: take(&mut entries, "python").and_then(|e| self.text(e.value, &"`python`")),
            name,
        })
    }

    fn enumeration(&mut self, name: Text, node: Node) -> Option<EnumSyntax> {
        let what = Named("enum", &name.value);
        let mut entries = self.map(node, &what)?;
        self.check_keys(&entries, ENUM_KEYS, &what);
        let values = self.required(&mut entries, "values", &name, &what)?;
        let values_span = values.key_span;
        let items = match values.value.kind {
            NodeKind::Seq(items) => items,
            _ => {
                self.wrong_kind(&values.value, "a sequence of values", &"`values`");
                return None;
            }
        };
        let values = items
            .into_iter()
            .filter_map(|n| self.text(n, &"an enum value"))
            .collect();
        Some(EnumSyntax {
            values,
            description: self.opt_string(&mut entries, "description"),
            values_span,
            name,
        })
    }

    fn record(&mut self, name: Text, node: Node) -> Option<RecordSyntax> {
        let what = Named("type", &name.value);
        let mut entries = self.map(node, &what)?;
        self.check_keys(&entries, TYPE_KEYS, &what);
        let fields_entry = self.required(&mut entries, "fields", &name, &what)?;
        let fields = self.fields(fields_entry.value, &"`fields`");
        Some(RecordSyntax {
            description: self.opt_string(&mut entries, "description"),
            fields,
            name,
        })
    }

    fn event(&mut self, name: Text, node: Node) -> Option<EventSyntax> {
        let what = Named("event", &name.value);
        let mut entries = self.map(node, &what)?;
        self.check_keys(&entries, EVENT_KEYS, &what);
        let event_type = self
            .required(&mut entries, "type", &name, &what)
            .and_then(|e| self.text(e.value, &"the event type"));
        let minor_version =
            take(&mut entries, "minor_version").and_then(|e| self.minor_version(&e.value));
        let payload_entry = self.required(&mut entries, "payload", &name, &what);
        let payload_span = payload_entry.as_ref().map(|e| e.key_span);
        let payload = payload_entry
            .map(|e| self.fields(e.value, &"`payload`"))
            .unwrap_or_default();
        let mut get = |r: &mut Self, k: &str| {
            take(&mut entries, k).and_then(|e| r.text(e.value, &Named("key", k)))
        };
        Some(EventSyntax {
            event_type,
            minor_version,
            added: get(self, "added"),
            trigger: get(self, "trigger"),
            key_field: get(self, "key_field"),
            description: self.opt_string(&mut entries, "description"),
            payload,
            payload_span,
            name,
        })
    }

    fn host(&mut self, name: Text, node: Node) -> Option<HostSyntax> {
        let what = Named("host type", &name.value);
        // `User: {}` or `User:` (no description) is fine.
        if node.is_null() {
            return Some(HostSyntax {
                name,
                description: None,
                python: None,
            });
        }
        let mut entries = self.map(node, &what)?;
        self.check_keys(&entries, HOST_KEYS, &what);
        Some(HostSyntax {
            description: self.opt_string(&mut entries, "description"),
            python: take(&mut entries, "python").and_then(|e| self.text(e.value, &"`python`")),
            name,
        })
    }

    fn exception(&mut self, name: Text, node: Node) -> Option<ExceptionSyntax> {
        let what = Named("exception", &name.value);
        if node.is_null() {
            return Some(ExceptionSyntax {
                name,
                description: None,
                fields: Vec::new(),
            });
        }
        let mut entries = self.map(node, &what)?;
        self.check_keys(&entries, EXCEPTION_KEYS, &what);
        let fields = take(&mut entries, "fields")
            .map(|e| self.fields(e.value, &"`fields`"))
            .unwrap_or_default();
        Some(ExceptionSyntax {
            description: self.opt_string(&mut entries, "description"),
            fields,
            name,
        })
    }

    fn filter(&mut self, name: Text, node: Node) -> Option<FilterSyntax> {
        let what = Named("filter", &name.value);
        let mut entries = self.map(node, &what)?;
        self.check_keys(&entries, FILTER_KEYS, &what);
        let filter_type = self
            .required(&mut entries, "type", &name, &what)
            .and_then(|e| self.text(e.value, &"the filter type"));
        let arguments_entry = self.required(&mut entries, "arguments", &name, &what);
        let arguments_span = arguments_entry.as_ref().map(|e| e.key_span);
        let arguments = arguments_entry
            .map(|e| self.fields(e.value, &"`arguments`"))
            .unwrap_or_default();
        let returns = take(&mut entries, "returns").and_then(|e| {
            self.text_list(e, &"a returned argument", "a sequence of argument names")
        });
        let exceptions = take(&mut entries, "exceptions")
            .map(|e| self.section(e.value, "exceptions", Self::exception))
            .unwrap_or_default();
        let python = take(&mut entries, "python").and_then(|e| self.python_filter(e.value));
        let mut get = |r: &mut Self, k: &str| {
            take(&mut entries, k).and_then(|e| r.text(e.value, &Named("key", k)))
        };
        Some(FilterSyntax {
            python,
            filter_type,
            added: get(self, "added"),
            trigger: get(self, "trigger"),
            description: self.opt_string(&mut entries, "description"),
            arguments,
            arguments_span,
            returns,
            exceptions,
            name,
        })
    }

    fn python_filter(&mut self, node: Node) -> Option<PythonFilterSyntax> {
        let what = "the filter's `python`";
        let mut entries = self.map(node, &what)?;
        self.check_keys(&entries, PYTHON_FILTER_KEYS, &what);
        let mut get = |r: &mut Self, k: &str| {
            take(&mut entries, k).and_then(|e| r.text(e.value, &Named("key", k)))
        };
        let class = get(self, "class");
        let return_access = get(self, "return_access");
        let sensitive_form_data = take(&mut entries, "sensitive_form_data")
            .and_then(|e| self.text_list(e, &"a form key", "a sequence of form keys"));
        Some(PythonFilterSyntax {
            class,
            return_access,
            sensitive_form_data,
        })
    }

    /// A sequence of strings, and where its key is.
    fn text_list(
        &mut self,
        e: Entry,
        item: &dyn Display,
        expected: &str,
    ) -> Option<(Vec<Text>, Span)> {
        let span = e.key_span;
        match e.value.kind {
            NodeKind::Seq(items) => Some((
                items
                    .into_iter()
                    .filter_map(|n| self.text(n, item))
                    .collect(),
                span,
            )),
            kind => {
                let key = e.key;
                self.wrong_kind(
                    &Node {
                        kind,
                        span: e.value.span,
                    },
                    expected,
                    &format_args!("`{key}`"),
                );
                None
            }
        }
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
                    format!(
                        "minor_version must be a non-negative integer, found {}",
                        other.kind_name()
                    ),
                ));
                None
            }
        }
    }

    fn fields(&mut self, node: Node, what: &dyn Display) -> Vec<FieldSyntax> {
        if node.is_null() {
            return Vec::new();
        }
        let Some(entries) = self.map(node, what) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            if let Some(f) = self.field(e) {
                out.push(f);
            }
        }
        out
    }

    fn field(&mut self, e: Entry) -> Option<FieldSyntax> {
        let name = Text {
            value: e.key,
            span: e.key_span,
        };
        let what = Named("field", &name.value);
        let (type_node, mut entries) = match e.value.kind {
            NodeKind::Map(mut entries) => {
                self.check_keys(&entries, FIELD_KEYS, &what);
                let t = self.required(&mut entries, "type", &name, &what)?;
                (t.value, entries)
            }
            kind => (
                Node {
                    kind,
                    span: e.value.span,
                },
                Vec::new(),
            ),
        };
        let Some(src) = type_node.as_str() else {
            self.wrong_kind(
                &type_node,
                "a type expression such as `string` or `list<UserData>`",
                &what,
            );
            return None;
        };
        let type_origin = text_origin(self.sources, type_node.span, src);
        let ty = match type_expr::parse(src) {
            Ok(t) => Some(t),
            Err(err) => {
                let span = sub_span(self.sources, type_node.span, type_origin, err.range.clone());
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
        Some(FieldSyntax {
            ty,
            type_span: type_node.span,
            type_origin,
            default: take(&mut entries, "default").map(|e| e.value),
            example: take(&mut entries, "example").map(|e| e.value),
            description: self.opt_string(&mut entries, "description"),
            python: take(&mut entries, "python").and_then(|e| self.text(e.value, &"`python`")),
            name,
        })
    }

    // ----- helpers -----

    fn map(&mut self, node: Node, what: &dyn Display) -> Option<Vec<Entry>> {
        match node.kind {
            NodeKind::Map(e) => Some(e),
            kind => {
                self.wrong_kind(
                    &Node {
                        kind,
                        span: node.span,
                    },
                    "a mapping",
                    what,
                );
                None
            }
        }
    }

    fn wrong_kind(&mut self, node: &Node, expected: &str, what: &dyn Display) {
        self.diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                node.span,
                format!("expected {expected} for {what}, found {}", node.kind_name()),
            )
            .with_label(format!("this is {}", node.kind_name())),
        );
    }

    fn text(&mut self, node: Node, what: &dyn Display) -> Option<Text> {
        if node.as_str().is_none() {
            self.wrong_kind(&node, "a string", what);
            return None;
        }
        match node.kind {
            NodeKind::Scalar(value, _) => Some(Text {
                value,
                span: node.span,
            }),
            _ => None,
        }
    }

    fn opt_string(&mut self, entries: &mut Vec<Entry>, key: &str) -> Option<String> {
        let e = take(entries, key)?;
        // Numbers and booleans are fine as text here ("example: 42").
        match e.value.kind {
            NodeKind::Scalar(s, _) => Some(s),
            kind => {
                self.wrong_kind(
                    &Node {
                        kind,
                        span: e.value.span,
                    },
                    "a string",
                    &Named("key", key),
                );
                None
            }
        }
    }

    fn required(
        &mut self,
        entries: &mut Vec<Entry>,
        key: &str,
        owner: &Text,
        what: &dyn Display,
    ) -> Option<Entry> {
        let found = take(entries, key);
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

    fn check_keys(&mut self, entries: &[Entry], allowed: &[&str], what: &dyn Display) {
        for e in entries {
            if !allowed.contains(&e.key.as_str()) {
                let help = did_you_mean(&e.key, allowed.iter().copied())
                    .unwrap_or_else(|| format!("the keys of {what} are: {}", allowed.join(", ")));
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
pub(crate) fn sub_span(
    sources: &SourceMap,
    whole: Span,
    origin: Option<u32>,
    r: std::ops::Range<usize>,
) -> Span {
    match origin {
        Some(o) => {
            let o = o as usize;
            sources.span(whole.file, o + r.start..o + r.end)
        }
        None => whole,
    }
}
