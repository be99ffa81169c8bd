//! The catalog's `catalog:` settings block.

use super::Resolver;
use crate::diag::{Code, Diagnostic};
use crate::ir::Settings;
use crate::syntax::ModuleSyntax;

impl Resolver<'_> {
    /// The settings of one catalog, from the files of that catalog only.
    pub(super) fn settings<'m>(
        &mut self,
        syntax: impl Iterator<Item = &'m ModuleSyntax>,
    ) -> Settings {
        let mut found: Option<&crate::syntax::SettingsSyntax> = None;
        for s in syntax.filter_map(|m| m.settings.as_ref()) {
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
}
