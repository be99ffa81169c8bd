//! Events: each event's type string, version, payload and key field.

use super::{Resolver, event_type, names, parse_date};
use crate::diag::{Code, Diagnostic};
use crate::ir::{EventDef, KeyField, Settings};
use crate::syntax::{EventSyntax, Named, Text, sub_span, text_origin};

impl Resolver<'_> {
    pub(super) fn event(
        &mut self,
        mi: usize,
        e: EventSyntax,
        settings: &Settings,
    ) -> Option<EventDef> {
        let name = &e.name;
        let major = self.hook_header(
            mi,
            "event",
            name,
            e.event_type.as_ref(),
            e.added.as_ref(),
            settings,
        )?;
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
            major_version: major,
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

    /// What every hook checks the same way: its name's case, its type
    /// string and prefix, the version in its name, its date. `None` when
    /// it has no type string (already reported); else its major version
    /// (1 when the type string did not parse, also reported).
    pub(super) fn hook_header(
        &mut self,
        mi: usize,
        noun: &str,
        name: &Text,
        hook_type: Option<&Text>,
        added: Option<&Text>,
        settings: &Settings,
    ) -> Option<u32> {
        if !names::is_screaming_snake(&name.value) {
            self.push(
                Diagnostic::error(
                    Code::NameCase,
                    name.span,
                    format!("{noun} name `{}` is not SCREAMING_SNAKE_CASE", name.value),
                )
                .with_help(format!(
                    "rename it `{}`",
                    names::suggest_screaming(&name.value)
                )),
            );
        }
        let hook_type = hook_type?;
        let major = self.event_type(mi, noun, name, hook_type, settings);
        if let Some(major) = major {
            self.name_version(noun, name, major);
        }
        if let Some(added) = added
            && parse_date(&added.value).is_none()
        {
            self.push(
                Diagnostic::error(
                    Code::InvalidDate,
                    added.span,
                    format!("`{}` is not a valid date", added.value),
                )
                .with_label("expected YYYY-MM-DD")
                .with_help(format!(
                    "write the calendar date the {noun} was added, e.g. `2021-09-02`"
                )),
            );
        }
        Some(major.unwrap_or(1))
    }

    /// Checks a hook's type string (an event's or a filter's: the same
    /// grammar) and its prefix; the major version it ends in.
    pub(super) fn event_type(
        &mut self,
        mi: usize,
        noun: &str,
        name: &Text,
        t: &Text,
        settings: &Settings,
    ) -> Option<u32> {
        let origin = text_origin(self.sources, t.span, &t.value);
        let major = match event_type::parse(&t.value, noun) {
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
                        format!("{noun} type of `{}` must start with `{expected}`", name.value),
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

    /// A hook's name carries its major version: `_V<N>` from 2 on.
    pub(super) fn name_version(&mut self, noun: &str, text: &Text, major: u32) {
        let name = &text.value;
        let suffix = event_type::name_version(name);
        let stem = match suffix {
            Some(v) => name.trim_end_matches(&format!("_V{v}")).to_owned(),
            None => name.clone(),
        };
        let problem = match (major, suffix) {
            (1, Some(v)) => Some((
                format!("{noun} `{name}` is version 1 but its name ends in `_V{v}`"),
                format!("version-1 {noun}s carry no suffix: rename it `{stem}`"),
            )),
            (n, None) if n >= 2 => Some((
                format!(
                    "{noun} `{name}` has major version {n} but its name does not end in `_V{n}`"
                ),
                format!(
                    "rename it `{stem}_V{n}`, next to the `v{}` {noun} it replaces",
                    n - 1
                ),
            )),
            (n, Some(v)) if n >= 2 && v != n => Some((
                format!("{noun} `{name}` has major version {n} but its name ends in `_V{v}`"),
                format!("rename it `{stem}_V{n}`"),
            )),
            _ => None,
        };
        if let Some((msg, help)) = problem {
            self.push(Diagnostic::error(Code::EventNameVersion, text.span, msg).with_help(help));
        }
    }
}
