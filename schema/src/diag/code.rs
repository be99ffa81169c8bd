//! Stable diagnostic codes. Tools match on these strings: add, never rename.

use serde::Serialize;

crate::stable_id::stable_ids! {
    /// The stable identifier of a kind of diagnostic.
    pub enum Code;
    /// The code as printed and in JSON output.
    fn as_str;

    /// The file is not valid UTF-8.
    InvalidUtf8 => "invalid-utf8",
    /// The file exceeds the size limit.
    FileTooLarge => "file-too-large",
    /// The YAML does not parse.
    YamlSyntax => "yaml-syntax",
    /// Nesting depth, node count or alias expansion budget exceeded.
    YamlLimit => "yaml-limit",
    /// YAML feature the language does not use (tags, several documents, complex keys).
    YamlUnsupported => "yaml-unsupported",
    /// A mapping key appears twice.
    DuplicateKey => "duplicate-key",
    /// A key the language does not know.
    UnknownKey => "unknown-key",
    /// A required key is absent.
    MissingKey => "missing-key",
    /// A value of the wrong YAML shape or literal type.
    InvalidValue => "invalid-value",
    /// A module name that is not a snake_case identifier, or used twice.
    InvalidModule => "invalid-module",
    /// `catalog:` settings in more than one file.
    DuplicateSettings => "duplicate-settings",
    /// A name that does not follow the naming convention of its kind.
    NameCase => "name-case",
    /// Two definitions with the same name.
    DuplicateDefinition => "duplicate-definition",
    /// Two names that become equal after case conversion.
    NameCollision => "name-collision",
    /// A malformed event type string.
    InvalidEventType => "invalid-event-type",
    /// The same event type on two events.
    DuplicateEventType => "duplicate-event-type",
    /// An event type outside the catalog prefix or its module.
    EventTypePrefix => "event-type-prefix",
    /// An event name whose `_V<N>` suffix does not match the type's major version.
    EventNameVersion => "event-name-version",
    /// A minor version that is not a non-negative integer.
    InvalidMinorVersion => "invalid-minor-version",
    /// A type expression that does not parse.
    InvalidTypeExpr => "invalid-type-expr",
    /// A reference to a type that does not exist.
    UnknownType => "unknown-type",
    /// A reference to a module that does not exist.
    UnknownModule => "unknown-module",
    /// A cycle made only of required record fields (no finite value exists).
    RequiredCycle => "required-cycle",
    /// A default that does not fit its field's type.
    InvalidDefault => "invalid-default",
    /// An example that does not fit its field's type.
    InvalidExample => "invalid-example",
    /// A `key_field` that does not resolve to a scalar field of the payload.
    InvalidKeyField => "invalid-key-field",
    /// An `added` date that is not a valid `YYYY-MM-DD` date.
    InvalidDate => "invalid-date",
    /// An event without payload fields.
    EmptyPayload => "empty-payload",
    /// An enum without values, or with a repeated value.
    InvalidEnum => "invalid-enum",
    /// A scalar whose base is not supported.
    InvalidScalarBase => "invalid-scalar-base",
    /// A definition no event payload reaches (warning).
    Unused => "unused",
    /// A name that cannot be a Rust identifier in generated code (`Self`, module `crate`).
    RustName => "rust-name",
    /// A filter without arguments.
    EmptyArguments => "empty-arguments",
    /// A `returns` entry that is not an argument of the filter, or is listed twice.
    InvalidReturns => "invalid-returns",
    /// A filter exception whose name is not UpperCamelCase or is used twice.
    InvalidException => "invalid-exception",
    /// A host type in an event payload or a data class: platform objects never travel on the bus.
    HostOnWire => "host-on-wire",
    /// A filter's `python:` facts that cannot hold: a class name that is not
    /// an identifier or is used twice, an unknown `return_access`, or
    /// `sensitive_form_data` without a returned `form_data` argument.
    InvalidPython => "invalid-python",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
