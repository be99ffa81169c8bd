//! IR → Python: the package the Open edX platform imports, in place of
//! its hand-written `openedx_events/<module>/{data,signals}.py`.
//!
//! - `annotate`: a type's Python annotation and the imports it needs;
//! - `events`: `data.py` (attrs classes) and `signals.py`
//!   (`OpenEdxPublicSignal`s) of a module;
//! - here: the package layout, headers and the errors.
//!
//! Returns file texts; writing them is the caller's (the CLI writes only
//! what changed).

mod annotate;
mod events;
mod filters;
mod literal;

use openedx_hooks_schema::Catalog;

/// One generated Python file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PythonFile {
    /// Its path under the output directory (`openedx_events/learning/data.py`).
    pub path: String,
    /// Its text.
    pub text: String,
}

/// Why the catalog cannot become Python.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PythonError {
    /// The package name is not a Python identifier path.
    #[error("`{0}` is not a Python package name (dotted identifiers)")]
    Package(String),
    /// A data-class field is named with a Python keyword: Python cannot
    /// declare it (every problem found, one per line).
    #[error("{}", .0.join("\n"))]
    Keywords(Vec<String>),
    /// A data class of an extern catalog (`learning.UserData`) is used: it
    /// lives in another Python package, which the generator is not told.
    #[error(
        "`{0}` is a data class of an extern catalog: its Python package is not known here, so it cannot be imported"
    )]
    ExternClass(String),
    /// A `python:` annotation or class path is not usable.
    #[error("{what}: `{text}` is not a Python annotation this generator reads")]
    Annotation {
        /// Where it is declared.
        what: String,
        /// The annotation.
        text: String,
    },
}

/// The Python package of a catalog's own modules: `<package>/__init__.py`
/// and, per module, `__init__.py`, `data.py` and `signals.py`.
pub fn generate_python(catalog: &Catalog, package: &str) -> Result<Vec<PythonFile>, PythonError> {
    let valid = !package.is_empty()
        && package.split('.').all(|p| {
            p.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    if !valid {
        return Err(PythonError::Package(package.to_owned()));
    }
    let keywords: Vec<String> = catalog
        .own_modules()
        .flat_map(|(_, m)| {
            m.types.iter().flat_map(move |t| {
                t.fields.iter().filter(|f| KEYWORDS.contains(&f.name.as_str())).map(move |f| {
                    format!(
                        "{}.{}: field `{}` is a Python keyword; Python cannot declare it (rename it in the catalog)",
                        m.name, t.name, f.name
                    )
                })
            })
        })
        .collect();
    if !keywords.is_empty() {
        return Err(PythonError::Keywords(keywords));
    }
    let dir = package.replace('.', "/");
    let sources: Vec<String> = catalog
        .own_modules()
        .map(|(_, m)| catalog.sources().file(m.file).name().to_owned())
        .collect();
    let mut files = vec![PythonFile {
        path: format!("{dir}/__init__.py"),
        text: docstring(
            &sources,
            "Open edX hooks of this catalog, as the platform imports them: one subpackage per module.",
        ),
    }];
    for (_, m) in catalog.own_modules() {
        let source = [catalog.sources().file(m.file).name().to_owned()];
        files.push(PythonFile {
            path: format!("{dir}/{}/__init__.py", m.name),
            text: docstring(&source, &format!("The ``{}`` module.", m.name)),
        });
        // A module of filters only (host types, no data classes) has no
        // `data.py`, as openedx-filters has none.
        if !m.types.is_empty() || !m.events.is_empty() {
            files.push(PythonFile {
                path: format!("{dir}/{}/data.py", m.name),
                text: events::data_py(catalog, package, m, &source)?,
            });
        }
        if !m.events.is_empty() {
            files.push(PythonFile {
                path: format!("{dir}/{}/signals.py", m.name),
                text: events::signals_py(catalog, package, m, &source)?,
            });
        }
        if !m.filters.is_empty() {
            files.push(PythonFile {
                path: format!("{dir}/{}/filters.py", m.name),
                text: filters::filters_py(catalog, package, m, &source)?,
            });
        }
    }
    Ok(files)
}

/// Python's reserved words (soft keywords such as `match` are names).
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// A module docstring carrying the `@generated` header.
pub(crate) fn docstring(sources: &[String], summary: &str) -> String {
    format!(
        "\"\"\"\n{summary}\n\n@generated by openedx-hooks from {}: do not edit; change the catalog and run\n`openedx-hooks python` (or `build`).\n\"\"\"\n",
        sources.join(", ")
    )
}

/// A class's or function's docstring at `n` spaces (`text` from
/// [`doc_text`], its continuation lines indented relative to the first).
pub(crate) fn docstring_block(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    format!("{pad}\"\"\"\n{pad}{}\n{pad}\"\"\"\n", indent(text, n))
}

/// Text for a docstring or comment: no `\"\"\"`, no trailing spaces.
pub(crate) fn doc_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace("\"\"\"", "\\\"\\\"\\\"")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `head item, item tail` as ruff formats it, at `n` spaces: on one line
/// when it fits in 88 columns, else the items on a line of their own, else
/// one per line with a trailing comma.
pub(crate) fn wrap(n: usize, head: &str, items: &[String], tail: &str) -> String {
    let pad = " ".repeat(n);
    let joined = items.join(", ");
    let one = format!("{pad}{head}{joined}{tail}\n");
    if one.len() <= 89 {
        return one;
    }
    if n + 4 + joined.len() <= 88 {
        return format!("{pad}{head}\n{pad}    {joined}\n{pad}{tail}\n");
    }
    let mut out = format!("{pad}{head}\n");
    for i in items {
        out.push_str(&format!("{pad}    {i},\n"));
    }
    out.push_str(&format!("{pad}{tail}\n"));
    out
}

/// Continuation lines indented by `n` spaces.
pub(crate) fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || l.is_empty() {
                l.to_owned()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
