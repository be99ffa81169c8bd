//! Python annotations of catalog types, and the imports they need.

use std::collections::{BTreeMap, BTreeSet};

use openedx_hooks_schema::{Catalog, DefKind, Primitive, Type, TypeRef};

use super::PythonError;

/// Imports a file needs: `from <module> import <names>` and `import <module>`.
#[derive(Default)]
pub(crate) struct Imports {
    from: BTreeMap<String, BTreeSet<String>>,
    plain: BTreeSet<String>,
}

/// Standard-library modules (the first import group).
const STDLIB: &[&str] = &["datetime", "typing", "uuid"];

impl Imports {
    pub(crate) fn from(&mut self, module: &str, name: &str) {
        self.from
            .entry(module.to_owned())
            .or_default()
            .insert(name.to_owned());
    }

    pub(crate) fn plain(&mut self, module: &str) {
        self.plain.insert(module.to_owned());
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.from.is_empty() && self.plain.is_empty()
    }

    /// Adds every import of `other`.
    pub(crate) fn absorb(&mut self, other: Imports) {
        for (m, names) in other.from {
            self.from.entry(m).or_default().extend(names);
        }
        self.plain.extend(other.plain);
    }

    /// Drops the imports `other` already has.
    pub(crate) fn remove_all(&mut self, other: &Imports) {
        for (m, names) in &other.from {
            if let Some(mine) = self.from.get_mut(m) {
                mine.retain(|n| !names.contains(n));
                if mine.is_empty() {
                    self.from.remove(m);
                }
            }
        }
        self.plain.retain(|m| !other.plain.contains(m));
    }

    /// The import block: standard library, then the rest, each sorted,
    /// `import x` before `from x import y` (isort's order).
    pub(crate) fn render(&self) -> String {
        let mut groups: [Vec<String>; 2] = Default::default();
        let group = |m: &str| usize::from(!STDLIB.contains(&m.split('.').next().unwrap_or(m)));
        for m in &self.plain {
            groups[group(m)].push(format!("import {m}"));
        }
        for (m, names) in &self.from {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let one = format!("from {m} import {}", names.join(", "));
            let line = if one.len() <= 88 {
                one
            } else {
                let mut s = format!("from {m} import (\n");
                for n in names {
                    s.push_str(&format!("    {n},\n"));
                }
                s.push(')');
                s
            };
            groups[group(m)].push(line);
        }
        groups
            .iter()
            .filter(|g| !g.is_empty())
            .map(|g| g.join("\n"))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// The annotation of a type as an attrs field holds it (`List[UserData]`);
/// `T?` is `T` (the field defaults to `None`, as openedx-events writes it).
/// Data classes of module `here` are named without an import (they are
/// defined in the file being written: `""` when none is).
pub(crate) fn annotation(
    catalog: &Catalog,
    package: &str,
    here: &str,
    ty: &Type,
    imports: &mut Imports,
) -> Result<String, PythonError> {
    Ok(match ty {
        Type::Primitive(p) => primitive(*p, imports),
        Type::List(t) => {
            imports.from("typing", "List");
            format!("List[{}]", annotation(catalog, package, here, t, imports)?)
        }
        Type::Map(t) => {
            imports.from("typing", "Dict");
            format!(
                "Dict[str, {}]",
                annotation(catalog, package, here, t, imports)?
            )
        }
        Type::Optional(t) => return annotation(catalog, package, here, t, imports),
        Type::Named(r) => match r.kind {
            DefKind::Scalar => match &catalog.scalar(r).python {
                Some(path) => dotted(path, imports),
                None => "str".to_owned(),
            },
            DefKind::Enum => "str".to_owned(),
            DefKind::Record => {
                if r.module != here {
                    imports.from(&record_module(catalog, package, r)?, &r.name);
                }
                r.name.clone()
            }
            // Only filters take host objects (never on the wire): the
            // platform class when the catalog names it.
            DefKind::Host => match &catalog.host(r).python {
                Some(path) => dotted(path, imports),
                None => "object".to_owned(),
            },
        },
    })
}

/// The Python module defining a data class: this package's `<module>.data`.
/// A data class of an extern catalog lives in another package, which this
/// generator is not told: an error rather than an import that fails.
fn record_module(catalog: &Catalog, package: &str, r: &TypeRef) -> Result<String, PythonError> {
    if catalog.is_extern_module(r.module_index) {
        return Err(PythonError::ExternClass(format!("{}.{}", r.module, r.name)));
    }
    Ok(format!("{package}.{}.data", r.module))
}

/// The class a signal's `data` maps a payload field to (a class, for the
/// reference's `isinstance` checks: `list`, not `List[T]`).
pub(crate) fn class(
    catalog: &Catalog,
    package: &str,
    here: &str,
    ty: &Type,
    imports: &mut Imports,
) -> Result<String, PythonError> {
    match ty {
        Type::List(_) => Ok("list".to_owned()),
        Type::Map(_) => Ok("dict".to_owned()),
        Type::Optional(t) => class(catalog, package, here, t, imports),
        Type::Named(r) if r.kind == DefKind::Record => {
            imports.from(&record_module(catalog, package, r)?, &r.name);
            Ok(r.name.clone())
        }
        other => annotation(catalog, package, here, other, imports),
    }
}

fn primitive(p: Primitive, imports: &mut Imports) -> String {
    let (module, name) = match p {
        Primitive::String => return "str".into(),
        Primitive::Int => return "int".into(),
        Primitive::Float => return "float".into(),
        Primitive::Bool => return "bool".into(),
        Primitive::Bytes => return "bytes".into(),
        Primitive::Json => return "dict".into(),
        Primitive::Datetime => ("datetime", "datetime"),
        Primitive::Date => ("datetime", "date"),
        Primitive::Uuid => ("uuid", "UUID"),
    };
    imports.from(module, name);
    name.to_owned()
}

/// An annotation written in the catalog (`typing.Optional[int]`,
/// `dict[str, str]`): every dotted name is imported and used by its last part.
pub(crate) fn declared(
    text: &str,
    what: &str,
    imports: &mut Imports,
) -> Result<String, PythonError> {
    let ok = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.[], ".contains(c));
    if !ok {
        return Err(PythonError::Annotation {
            what: what.to_owned(),
            text: text.to_owned(),
        });
    }
    let mut out = String::new();
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push_str(&dotted(&word, imports));
            word.clear();
        }
        out.push(c);
    }
    out.pop();
    Ok(out)
}

/// `a.b.C` → imports `from a.b import C`, gives `C`; a bare name is itself.
fn dotted(path: &str, imports: &mut Imports) -> String {
    match path.rsplit_once('.') {
        Some((module, name)) => {
            imports.from(module, name);
            name.to_owned()
        }
        None => path.to_owned(),
    }
}
