//! Catalog names as Rust identifiers.

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span};

/// Keywords that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// Every keyword of edition 2024, strict and reserved.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// A field or module name: keywords become raw (`r#type`); the four that
/// cannot be raw get a `_` suffix (`self_`), and the caller renames for serde.
pub fn snake(name: &str) -> (Ident, bool) {
    if NOT_RAW.contains(&name) {
        (Ident::new(&format!("{name}_"), Span::call_site()), true)
    } else if KEYWORDS.contains(&name) {
        (Ident::new_raw(name, Span::call_site()), false)
    } else {
        (Ident::new(name, Span::call_site()), false)
    }
}

/// Whether a type or module name cannot be used at all.
pub fn is_unusable(name: &str) -> bool {
    NOT_RAW.contains(&name)
}

/// A type name (already UpperCamelCase; `Self` is rejected before this).
pub fn camel(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The variant for an enum value (`no-id-professional` → `NoIdProfessional`,
/// `1080p` → `V1080p`, `self` → `SelfValue`).
pub fn variant(value: &str) -> String {
    let v = value.to_upper_camel_case();
    if v.starts_with(|c: char| c.is_ascii_digit()) || v.is_empty() {
        format!("V{v}")
    } else if v == "Self" {
        "SelfValue".to_owned()
    } else {
        v
    }
}

/// The payload struct of an event.
pub fn payload_struct(event: &str) -> String {
    event.to_upper_camel_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(snake("type").0.to_string(), "r#type");
        assert_eq!(
            snake("self"),
            (Ident::new("self_", Span::call_site()), true)
        );
        assert_eq!(snake("user").0.to_string(), "user");
        assert_eq!(variant("no-id-professional"), "NoIdProfessional");
        assert_eq!(variant("1080p"), "V1080p");
        assert_eq!(
            payload_struct("STUDENT_REGISTRATION_COMPLETED"),
            "StudentRegistrationCompleted"
        );
    }
}
