//! The resolved catalog: the typed, immutable IR every output is generated from.
//!
//! Definition order is preserved everywhere; every node carries the span of
//! its name in the YAML so that later stages (docs, compatibility gate) can
//! point back at the source. `openedx-hooks inspect` prints this structure as
//! JSON (see the README for the shape).

use serde::{Serialize, Serializer};

use crate::source::{SourceMap, Span};
use crate::yaml::Value;

/// A built-in type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Primitive {
    /// UTF-8 text.
    String,
    /// 64-bit signed integer.
    Int,
    /// 64-bit float.
    Float,
    /// Boolean.
    Bool,
    /// A point in time (RFC 3339 on the wire).
    Datetime,
    /// A calendar date (`YYYY-MM-DD`).
    Date,
    /// A UUID.
    Uuid,
    /// Raw bytes.
    Bytes,
    /// Free-form JSON data.
    Json,
}

impl Primitive {
    /// Every primitive, in the order the language documents them.
    pub const ALL: [Primitive; 9] = [
        Primitive::String,
        Primitive::Int,
        Primitive::Float,
        Primitive::Bool,
        Primitive::Datetime,
        Primitive::Date,
        Primitive::Uuid,
        Primitive::Bytes,
        Primitive::Json,
    ];

    /// The keyword in type expressions.
    pub fn name(self) -> &'static str {
        match self {
            Primitive::String => "string",
            Primitive::Int => "int",
            Primitive::Float => "float",
            Primitive::Bool => "bool",
            Primitive::Datetime => "datetime",
            Primitive::Date => "date",
            Primitive::Uuid => "uuid",
            Primitive::Bytes => "bytes",
            Primitive::Json => "json",
        }
    }

    /// The primitive for a keyword.
    pub fn from_name(s: &str) -> Option<Primitive> {
        Primitive::ALL.into_iter().find(|p| p.name() == s)
    }
}

/// What kind of definition a name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DefKind {
    /// A named string-based type (`scalars:`).
    Scalar,
    /// An enumeration (`enums:`).
    Enum,
    /// A data class (`types:`).
    Record,
    /// An opaque platform object (`hosts:`): a filter argument only, never
    /// on the wire.
    Host,
}

/// A resolved reference to a definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct TypeRef {
    /// Module that defines it.
    pub module: String,
    /// Its name.
    pub name: String,
    /// Scalar, enum or record.
    pub kind: DefKind,
    /// Index of the module in [`Catalog::modules`].
    #[serde(skip)]
    pub module_index: usize,
    /// Index in the module's list of that kind.
    #[serde(skip)]
    pub index: usize,
}

/// A resolved field type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// A built-in type.
    Primitive(Primitive),
    /// `list<T>`.
    List(Box<Type>),
    /// `map<T>` with string keys.
    Map(Box<Type>),
    /// `T?`: may be absent or null.
    Optional(Box<Type>),
    /// A scalar, enum or record.
    Named(TypeRef),
}

impl Type {
    /// Whether the value may be absent (`T?`).
    pub fn is_optional(&self) -> bool {
        matches!(self, Type::Optional(_))
    }

    /// The type under any `?`.
    pub fn strip_optional(&self) -> &Type {
        match self {
            Type::Optional(t) => t.strip_optional(),
            t => t,
        }
    }

    /// The expression as written in a module: names of `module` unqualified.
    pub fn display_in(&self, module: &str) -> String {
        match self {
            Type::Primitive(p) => p.name().to_owned(),
            Type::List(t) => format!("list<{}>", t.display_in(module)),
            Type::Map(t) => format!("map<{}>", t.display_in(module)),
            Type::Optional(t) => format!("{}?", t.display_in(module)),
            Type::Named(r) if r.module == module => r.name.clone(),
            Type::Named(r) => format!("{}.{}", r.module, r.name),
        }
    }
}

impl Serialize for Type {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        match self {
            Type::Primitive(p) => {
                m.serialize_entry("kind", "primitive")?;
                m.serialize_entry("name", p.name())?;
            }
            Type::List(t) => {
                m.serialize_entry("kind", "list")?;
                m.serialize_entry("items", t)?;
            }
            Type::Map(t) => {
                m.serialize_entry("kind", "map")?;
                m.serialize_entry("values", t)?;
            }
            Type::Optional(t) => {
                m.serialize_entry("kind", "optional")?;
                m.serialize_entry("inner", t)?;
            }
            Type::Named(r) => {
                m.serialize_entry("kind", &r.kind)?;
                m.serialize_entry("module", &r.module)?;
                m.serialize_entry("name", &r.name)?;
            }
        }
        m.end()
    }
}

/// `catalog:` settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Settings {
    /// Every event type starts with `<type_prefix>.<module>.` when set.
    pub type_prefix: Option<String>,
    /// Base URL of the YAML files, for documentation links.
    pub definition_base_url: Option<String>,
    /// Base URL of the code that sends events, for documentation links.
    pub trigger_base_url: Option<String>,
    /// Where the settings were written.
    pub span: Option<Span>,
}

/// A named string-based type (an opaque key).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ScalarDef {
    /// UpperCamelCase name.
    pub name: String,
    /// Wire representation (`string`).
    pub base: Primitive,
    /// What it is.
    pub description: Option<String>,
    /// A realistic value.
    pub example: Option<String>,
    /// The Python class it stands for (`opaque_keys.edx.keys.CourseKey`);
    /// `None`: Python sees a `str`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub python: Option<String>,
    /// The name in the YAML.
    pub span: Span,
}

/// One value of an enum.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EnumValue {
    /// The value as sent on the wire.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// An enumeration of string values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EnumDef {
    /// UpperCamelCase name.
    pub name: String,
    /// Values in order.
    pub values: Vec<EnumValue>,
    /// What it is.
    pub description: Option<String>,
    /// The name in the YAML.
    pub span: Span,
}

/// A field of a data class or an event payload.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Field {
    /// snake_case name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: Type,
    /// Value used when the field is absent; checked against the type.
    /// Omitted from JSON when not given, so `null` there is an explicit null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// What it holds.
    pub description: Option<String>,
    /// A realistic value; checked against the type (omitted from JSON when not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// The Python annotation, when it is not the one the type maps to
    /// (`typing.Optional[int]`, dotted names imported).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub python: Option<String>,
    /// The name in the YAML.
    pub span: Span,
    /// The type expression in the YAML.
    pub type_span: Span,
    /// The `default` literal in the YAML.
    #[serde(skip)]
    pub default_span: Option<Span>,
    /// The `example` literal in the YAML.
    #[serde(skip)]
    pub example_span: Option<Span>,
    /// The type did not resolve (already reported); later checks skip the
    /// field instead of piling follow-up errors on it. Never set in a
    /// [`Catalog`], which only exists without errors.
    #[serde(skip)]
    pub(crate) unresolved: bool,
}

impl Field {
    /// Whether a producer may leave the field out (`T?` or a default).
    pub fn is_optional(&self) -> bool {
        self.ty.is_optional() || self.default.is_some()
    }
}

/// A payload data class.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RecordDef {
    /// UpperCamelCase name.
    pub name: String,
    /// What it describes.
    pub description: Option<String>,
    /// Fields in order.
    pub fields: Vec<Field>,
    /// The name in the YAML.
    pub span: Span,
}

/// The event-bus partition key: a dotted path into the payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KeyField {
    /// Field names from the payload down to a scalar field.
    pub path: Vec<String>,
    /// Where it was written.
    pub span: Span,
}

impl KeyField {
    /// The path as written (`user.pii.username`).
    pub fn dotted(&self) -> String {
        self.path.join(".")
    }
}

/// An event: a signal with a typed payload.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EventDef {
    /// SCREAMING_SNAKE_CASE constant name.
    pub name: String,
    /// `org.openedx.<subdomain>.<subject>.<action>.v<N>`.
    pub event_type: String,
    /// The `N` of `.v<N>`.
    pub major_version: u32,
    /// Compatible revisions of the payload.
    pub minor_version: u32,
    /// When it is sent.
    pub description: Option<String>,
    /// Date the event was added (`YYYY-MM-DD`).
    pub added: Option<String>,
    /// Where the platform sends it (`path/to/file.py#L123`).
    pub trigger: Option<String>,
    /// Event-bus key.
    pub key_field: Option<KeyField>,
    /// Payload fields in order.
    pub payload: Vec<Field>,
    /// The name in the YAML.
    pub span: Span,
}

/// An opaque platform object a filter passes to its steps (a Django user,
/// a request, a query set): no fields, never on the wire.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HostDef {
    /// UpperCamelCase name.
    pub name: String,
    /// What it is.
    pub description: Option<String>,
    /// The Python class it stands for (`django.contrib.auth.models.User`).
    pub python: Option<String>,
    /// The name in the YAML.
    pub span: Span,
}

/// One of a filter's exceptions: how a step halts the action.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ExceptionDef {
    /// UpperCamelCase name (`PreventEnrollment`).
    pub name: String,
    /// When a step raises it.
    pub description: Option<String>,
    /// Its parameters, in order.
    pub fields: Vec<Field>,
    /// The name in the YAML.
    pub span: Span,
}

/// A filter: typed arguments passed through a configured pipeline of steps.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FilterDef {
    /// SCREAMING_SNAKE_CASE constant name.
    pub name: String,
    /// `org.openedx.<subdomain>.<subject>.<action>.v<N>`.
    pub filter_type: String,
    /// The `N` of `.v<N>`.
    pub major_version: u32,
    /// Where the platform runs it, and what it is for.
    pub description: Option<String>,
    /// Date the filter was added (`YYYY-MM-DD`).
    pub added: Option<String>,
    /// Where the platform runs it (`path/to/file.py#L123`).
    pub trigger: Option<String>,
    /// Arguments in order.
    pub arguments: Vec<Field>,
    /// What `run_filter` returns: indices into `arguments`, in order.
    pub returns: Vec<usize>,
    /// How a step may halt the action.
    pub exceptions: Vec<ExceptionDef>,
    /// How its Python class is written (`python:`).
    pub python: PythonFilter,
    /// The name in the YAML.
    pub span: Span,
}

/// How a filter's Python class is written: what openedx-filters' hand-written
/// classes differ in, beyond the arguments, returns and exceptions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PythonFilter {
    /// The class name: `python.class`, else the filter's name in
    /// UpperCamelCase (`AUTHN_MFE_CONTEXT_GENERATED` → `AuthnMfeContextGenerated`).
    pub class: String,
    /// How `run_filter` reads each returned argument from the pipeline's result.
    pub return_access: ReturnAccess,
    /// Form keys taken out of the `form_data` argument before the pipeline
    /// and put back after it, so that no step sees or changes them
    /// (openedx-filters' `SensitiveDataManagementMixin`).
    pub sensitive_form_data: Vec<String>,
}

crate::stable_id::stable_ids! {
    /// How `run_filter` reads a returned argument from the pipeline's result
    /// dict. The pipeline's result always holds every argument, so the three
    /// differ only when `run_pipeline` is replaced (as tests do with mocks).
    pub enum ReturnAccess;
    /// Its spelling in the YAML (`python: { return_access: … }`).
    fn as_str;

    /// `data.get("x")`: `None` when absent (the default).
    Get => "get",
    /// `data["x"]`: `KeyError` when absent.
    Index => "index",
    /// `data.get("x", x)`: the argument as given when absent.
    GetWithFallback => "get_with_fallback",
}

impl Serialize for ReturnAccess {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One catalog file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Module {
    /// snake_case module (subdomain) name.
    pub name: String,
    /// Its file in [`Catalog::sources`].
    pub file: crate::source::FileId,
    /// Named string types.
    pub scalars: Vec<ScalarDef>,
    /// Enumerations.
    pub enums: Vec<EnumDef>,
    /// Data classes.
    pub types: Vec<RecordDef>,
    /// Events.
    pub events: Vec<EventDef>,
    /// Opaque platform objects filters pass (omitted from the JSON form
    /// when there are none, so catalogs without filters read as before).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<HostDef>,
    /// Filters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<FilterDef>,
}

/// A validated, resolved catalog.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    /// Format version of the JSON form.
    format_version: u32,
    /// File names, indexed by [`crate::FileId`].
    files: Vec<String>,
    settings: Settings,
    modules: Vec<Module>,
    /// Per catalog (0: this one, then extern catalogs): its settings.
    #[serde(skip)]
    group_settings: Vec<Settings>,
    /// Per module: the catalog it belongs to.
    #[serde(skip)]
    module_groups: Vec<usize>,
    #[serde(skip)]
    sources: SourceMap,
}

impl Catalog {
    pub(crate) fn new(
        group_settings: Vec<Settings>,
        module_groups: Vec<usize>,
        modules: Vec<Module>,
        sources: SourceMap,
    ) -> Self {
        Catalog {
            format_version: 1,
            files: sources.iter().map(|(_, f)| f.name().to_owned()).collect(),
            settings: group_settings.first().cloned().unwrap_or_default(),
            modules,
            group_settings,
            module_groups,
            sources,
        }
    }

    /// The `catalog:` settings of the catalog being compiled (defaults when
    /// no file sets them); extern catalogs keep their own
    /// ([`module_settings`](Self::module_settings)).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The settings that govern module `module` (by index): those of the
    /// catalog its file belongs to.
    pub fn module_settings(&self, module: usize) -> &Settings {
        self.module_groups
            .get(module)
            .and_then(|&g| self.group_settings.get(g))
            .unwrap_or(&self.settings)
    }

    /// Whether module `module` (by index) belongs to an extern catalog.
    pub fn is_extern_module(&self, module: usize) -> bool {
        self.module_groups.get(module).is_some_and(|&g| g > 0)
    }

    /// Modules in load order (files sorted by path).
    pub fn modules(&self) -> &[Module] {
        &self.modules
    }

    /// A module by name.
    pub fn module(&self, name: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.name == name)
    }

    /// The source files, for rendering and line lookups.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// Every event with its module, in definition order.
    pub fn events(&self) -> impl Iterator<Item = (&Module, &EventDef)> {
        self.modules
            .iter()
            .flat_map(|m| m.events.iter().map(move |e| (m, e)))
    }

    /// The modules of the catalog itself, with their indices: not those of
    /// extern catalogs, whose own crates generate and document them.
    pub fn own_modules(&self) -> impl Iterator<Item = (usize, &Module)> {
        self.modules
            .iter()
            .enumerate()
            .filter(|(mi, _)| !self.is_extern_module(*mi))
    }

    /// The events of the catalog itself (not of extern catalogs).
    pub fn own_events(&self) -> impl Iterator<Item = (&Module, &EventDef)> {
        self.own_modules()
            .flat_map(|(_, m)| m.events.iter().map(move |e| (m, e)))
    }

    /// The filters of the catalog itself (not of extern catalogs).
    pub fn own_filters(&self) -> impl Iterator<Item = (&Module, &FilterDef)> {
        self.own_modules()
            .flat_map(|(_, m)| m.filters.iter().map(move |f| (m, f)))
    }

    /// Every filter with its module, in catalog order.
    pub fn filters(&self) -> impl Iterator<Item = (&Module, &FilterDef)> {
        self.modules
            .iter()
            .flat_map(|m| m.filters.iter().map(move |f| (m, f)))
    }

    /// The filter with this type string.
    pub fn filter_by_type(&self, filter_type: &str) -> Option<(&Module, &FilterDef)> {
        self.filters().find(|(_, f)| f.filter_type == filter_type)
    }

    /// The event with this type string.
    pub fn event_by_type(&self, event_type: &str) -> Option<(&Module, &EventDef)> {
        self.events().find(|(_, e)| e.event_type == event_type)
    }

    /// The data class a reference points at.
    ///
    /// # Panics
    /// When `r` is not a record reference of this catalog.
    pub fn record(&self, r: &TypeRef) -> &RecordDef {
        assert_eq!(r.kind, DefKind::Record, "not a record reference");
        &self.modules[r.module_index].types[r.index]
    }

    /// The scalar a reference points at.
    ///
    /// # Panics
    /// When `r` is not a scalar reference of this catalog.
    pub fn scalar(&self, r: &TypeRef) -> &ScalarDef {
        assert_eq!(r.kind, DefKind::Scalar, "not a scalar reference");
        &self.modules[r.module_index].scalars[r.index]
    }

    /// The host type a reference points at.
    ///
    /// # Panics
    /// When `r` is not a host reference of this catalog.
    pub fn host(&self, r: &TypeRef) -> &HostDef {
        assert_eq!(r.kind, DefKind::Host, "not a host reference");
        &self.modules[r.module_index].hosts[r.index]
    }

    /// The enum a reference points at.
    ///
    /// # Panics
    /// When `r` is not an enum reference of this catalog.
    pub fn enumeration(&self, r: &TypeRef) -> &EnumDef {
        assert_eq!(r.kind, DefKind::Enum, "not an enum reference");
        &self.modules[r.module_index].enums[r.index]
    }

    /// The catalog as the documented `inspect` JSON.
    pub fn to_json(&self) -> serde_json::Value {
        // Serializing plain data into a Value cannot fail.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// Joins a field path and what follows it, as every error and finding
/// writes paths: `user` + `pii` is `user.pii`, `items` + `[2]` is
/// `items[2]`, and an empty side leaves the other.
///
/// ```
/// use openedx_hooks_schema::ir::join_path;
/// assert_eq!(join_path("user", "pii.name"), "user.pii.name");
/// assert_eq!(join_path("items", "[2]"), "items[2]");
/// assert_eq!(join_path("", "user"), "user");
/// ```
pub fn join_path(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_owned(),
        (_, true) => prefix.to_owned(),
        _ if rest.starts_with('[') || rest.starts_with('{') => format!("{prefix}{rest}"),
        _ => format!("{prefix}.{rest}"),
    }
}
