//! Names that the schema accepts but Rust cannot take, reported as
//! diagnostics before anything is generated.

use openedx_hooks_schema::{Catalog, Code, Diagnostic, Diagnostics};

use super::{RustError, ident, options};

/// Names rustc would reject even with `r#`.
pub(super) fn check_names(
    catalog: &Catalog,
    options: &options::Checked<'_>,
) -> Result<(), RustError> {
    let mut d = Diagnostics::default();
    let local = catalog
        .modules()
        .iter()
        .enumerate()
        .filter(|(mi, _)| options.externs[*mi].is_none());
    for (_, m) in local {
        if ident::is_unusable(&m.name) {
            let file = Diagnostic::file_error(
                Code::RustName,
                m.file,
                format!("module name `{}` cannot be a Rust module", m.name),
            );
            d.push(file.with_help("rename the module with a `module:` key"));
        }
        let types = m
            .scalars
            .iter()
            .map(|s| (&s.name, s.span))
            .chain(m.enums.iter().map(|e| (&e.name, e.span)))
            .chain(m.types.iter().map(|t| (&t.name, t.span)));
        for (name, span) in types {
            if ident::is_unusable(name) {
                d.push(
                    Diagnostic::error(
                        Code::RustName,
                        span,
                        format!("`{name}` is a Rust keyword and cannot name a type"),
                    )
                    .with_help("rename it"),
                );
            }
        }
        for e in &m.enums {
            // The schema checks case collisions; the `V`/`SelfValue` renaming here can add some.
            let mut seen: Vec<(String, &str)> = Vec::new();
            for v in &e.values {
                let variant = ident::variant(&v.name);
                if let Some((_, other)) = seen.iter().find(|(x, _)| *x == variant) {
                    d.push(
                        Diagnostic::error(Code::RustName, v.span, format!("enum values `{}` and `{other}` both become the variant `{variant}`", v.name))
                            .with_help("rename one of the values"),
                    );
                }
                seen.push((variant, &v.name));
            }
        }
        for e in &m.events {
            let payload = ident::payload_struct(&e.name);
            if ident::is_unusable(&payload) {
                d.push(
                    Diagnostic::error(
                        Code::RustName,
                        e.span,
                        format!(
                            "event `{}` would name its payload `{payload}`, a Rust keyword",
                            e.name
                        ),
                    )
                    .with_help("rename the event"),
                );
            }
        }
    }
    if d.is_empty() {
        Ok(())
    } else {
        Err(RustError::Names(d))
    }
}
