//! Naming conventions of the language and the case conversions later stages apply.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// `STUDENT_REGISTRATION_COMPLETED`.
pub fn is_screaming_snake(s: &str) -> bool {
    words(
        s.as_bytes(),
        |c| c.is_ascii_uppercase(),
        |c| c.is_ascii_uppercase() || c.is_ascii_digit(),
    )
}

/// `course_key`.
pub fn is_snake(s: &str) -> bool {
    words(
        s.as_bytes(),
        |c| c.is_ascii_lowercase(),
        |c| c.is_ascii_lowercase() || c.is_ascii_digit(),
    )
}

/// `UserData`; acronyms such as `ORASubmissionData` are allowed, underscores are not.
pub fn is_upper_camel(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// An enum value: letters, digits, `_`, `-`, `.`, starting with a letter or digit.
pub fn is_enum_value(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Underscore-separated non-empty words; the first word starts with `first`.
fn words(s: &[u8], first: impl Fn(&u8) -> bool, rest: impl Fn(&u8) -> bool) -> bool {
    s.first().is_some_and(first)
        && s.last() != Some(&b'_')
        && s.windows(2).all(|w| w != b"__")
        && s.iter().all(|c| *c == b'_' || rest(c))
}

/// The payload struct name of an event (`STUDENT_REGISTRATION_COMPLETED` → `StudentRegistrationCompleted`).
pub fn payload_struct_name(event: &str) -> String {
    event.to_upper_camel_case()
}

/// A name folded to lowercase without underscores. Two type names, or a type
/// and an event's payload struct (`USER_CREATED` → `UserCreated`), with the
/// same fold would clash in generated code or on case-insensitive file systems.
pub fn fold(s: &str) -> String {
    s.bytes()
        .filter(|&b| b != b'_')
        .map(|b| char::from(b.to_ascii_lowercase()))
        .collect()
}

/// The Rust variant name of an enum value.
pub fn variant_form(s: &str) -> String {
    s.to_upper_camel_case()
}

/// Suggested spellings for the help line.
pub fn suggest_screaming(s: &str) -> String {
    s.to_shouty_snake_case()
}

/// Suggested snake_case spelling.
pub fn suggest_snake(s: &str) -> String {
    s.to_snake_case()
}

/// Suggested UpperCamelCase spelling.
pub fn suggest_camel(s: &str) -> String {
    s.to_upper_camel_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions() {
        assert!(is_screaming_snake("STUDENT_REGISTRATION_COMPLETED"));
        assert!(is_screaming_snake("EVENT_V2"));
        assert!(!is_screaming_snake("Student_Registration"));
        assert!(!is_screaming_snake("A__B"));
        assert!(!is_screaming_snake("_A"));
        assert!(is_snake("course_key"));
        assert!(is_snake("type"));
        assert!(!is_snake("courseKey"));
        assert!(!is_snake("course__key"));
        assert!(is_upper_camel("ORASubmissionData"));
        assert!(is_upper_camel("String"));
        assert!(!is_upper_camel("user_data"));
        assert!(!is_upper_camel("User_Data"));
        assert!(is_enum_value("no-id-professional"));
        assert!(!is_enum_value("-x"));
        assert_eq!(
            payload_struct_name("FOO_BAR_1"),
            payload_struct_name("FOO_BAR1")
        );
        assert_eq!(fold("URLData"), fold("UrlData"));
        assert_eq!(
            fold("USER_CREATED"),
            fold(&payload_struct_name("USER_CREATED"))
        );
        assert_ne!(fold("UserData"), fold("UsersData"));
    }
}
