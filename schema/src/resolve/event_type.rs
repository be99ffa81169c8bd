//! Event type strings: `{reverse-DNS prefix}.{subdomain}.{subject}.{action}.v{N}`.

use std::ops::Range;

/// What is wrong with an event type, and where inside the string.
#[derive(Debug, PartialEq, Eq)]
pub struct EventTypeError {
    pub message: String,
    pub range: Range<usize>,
    pub help: Option<String>,
}

/// Segments before the version: prefix (≥ 2), subdomain, subject, action.
pub const MIN_SEGMENTS: usize = 5;

/// Validates a hook's type string (an event's or a filter's: one grammar)
/// and returns its major version; `noun` names the hook in messages.
pub fn parse(s: &str, noun: &str) -> Result<u32, Vec<EventTypeError>> {
    let mut errors = Vec::new();
    let mut segments = Vec::new();
    let mut start = 0;
    for part in s.split('.') {
        segments.push((part, start..start + part.len()));
        start += part.len() + 1;
    }
    let (version, version_range) = segments.pop().unwrap_or(("", 0..0));
    let major = version
        .strip_prefix('v')
        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0'))
        .and_then(|d| d.parse::<u32>().ok());
    if major.is_none() {
        let help = if version.starts_with("v0") {
            "major versions start at 1: `.v1`"
        } else {
            "end the type with the major version, e.g. `.v1`"
        };
        errors.push(EventTypeError {
            message: format!("{noun} type must end in `.v<N>` with N ≥ 1, found `{version}`"),
            range: version_range,
            help: Some(help.to_owned()),
        });
    }
    for (seg, range) in &segments {
        let ok = seg.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && seg
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !ok {
            let message = if seg.is_empty() {
                format!("{noun} type has an empty segment")
            } else {
                format!(
                    "{noun} type segment `{seg}` must be lowercase letters, digits, `_` or `-`, starting with a letter"
                )
            };
            errors.push(EventTypeError {
                message,
                range: range.clone(),
                help: (!seg.is_empty()).then(|| format!("write `{}`", seg.to_ascii_lowercase())),
            });
        }
    }
    if segments.len() < MIN_SEGMENTS {
        errors.push(EventTypeError {
            message: format!(
                "{noun} type has {} segment{} before the version; at least {MIN_SEGMENTS} are needed",
                segments.len(),
                if segments.len() == 1 { "" } else { "s" },
            ),
            range: 0..s.len(),
            help: Some("the form is `{reverse-DNS prefix}.{subdomain}.{subject}.{action}.v{N}`, e.g. `org.openedx.learning.course.enrollment.created.v1`".to_owned()),
        });
    }
    match (major, errors.is_empty()) {
        (Some(v), true) => Ok(v),
        _ => Err(errors),
    }
}

/// The `_V<N>` suffix of an event name, if any.
pub fn name_version(name: &str) -> Option<u32> {
    let (_, digits) = name.rsplit_once("_V")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_catalog_types() {
        assert_eq!(
            parse(
                "org.openedx.learning.student.registration.completed.v1",
                "event"
            ),
            Ok(1)
        );
        assert_eq!(
            parse(
                "org.openedx.enterprise.subsidy.redemption-reversed.v1",
                "event"
            ),
            Ok(1)
        );
        assert_eq!(
            parse(
                "org.openedx.learning.cohort_membership.changed.v12",
                "event"
            ),
            Ok(12)
        );
    }

    #[test]
    fn rejects_malformed_types() {
        let e = parse("org.openedx.learning.registered.v1", "event").unwrap_err();
        assert!(e[0].message.contains("4 segments"));
        let e = parse("org.openedx.Learning.course.created.v1", "event").unwrap_err();
        assert_eq!(e[0].range, 12..20);
        assert!(parse("org.openedx.learning.course.created.v0", "event").is_err());
        assert!(parse("org.openedx.learning.course.created.v01", "event").is_err());
        assert!(parse("org.openedx.learning.course.created", "event").is_err());
        assert!(parse("org.openedx..course.created.v1", "event").is_err());
        assert!(parse("org.openedx.learning.course.1created.v1", "event").is_err());
    }

    #[test]
    fn name_versions() {
        assert_eq!(name_version("COURSE_CREATED_V2"), Some(2));
        assert_eq!(name_version("COURSE_CREATED"), None);
        assert_eq!(name_version("COURSE_V2_CREATED"), None);
    }
}
