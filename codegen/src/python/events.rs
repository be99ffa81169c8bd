//! A module's `data.py` (attrs classes) and `signals.py`
//! (`OpenEdxPublicSignal`s), as openedx-events writes them by hand.

use openedx_hooks_schema::{Catalog, Field, Module, Type};
use serde_json::Value;

use super::annotate::{Imports, annotation, class, declared};
use super::literal::{python_value, typed_value};
use super::{PythonError, doc_text, docstring, docstring_block, indent, wrap};

/// `data.py`: one frozen attrs class per data class, fields in order.
pub(super) fn data_py(
    catalog: &Catalog,
    package: &str,
    m: &Module,
    sources: &[String],
) -> Result<String, PythonError> {
    let mut imports = Imports::default();
    imports.plain("attr");
    let mut body = String::new();
    let mut defined = vec![false; m.types.len()];
    for &ri in &definition_order(m) {
        let record = &m.types[ri];
        body.push_str("\n\n@attr.s(frozen=True)\n");
        body.push_str(&format!("class {}:\n", record.name));
        let mut doc = doc_text(record.description.as_deref().unwrap_or(&record.name));
        let described: Vec<_> = record
            .fields
            .iter()
            .filter_map(|f| Some((&f.name, f.description.as_deref()?)))
            .collect();
        if !described.is_empty() {
            doc.push_str("\n\nAttributes:");
            for (name, desc) in described {
                doc.push_str(&format!("\n    {name}: {}", indent(&doc_text(desc), 8)));
            }
        }
        body.push_str(&docstring_block(&doc, 4));
        body.push('\n');
        let lines: Vec<(String, Vec<String>, bool)> = record
            .fields
            .iter()
            .map(|f| {
                // A class of a cycle (or itself) is not defined yet: attrs
                // takes its annotation as a string.
                let mut used = Vec::new();
                uses(&f.ty, m, &mut used);
                let forward: Vec<&str> = used
                    .iter()
                    .filter(|&&u| !defined[u])
                    .map(|&u| m.types[u].name.as_str())
                    .collect();
                field(catalog, package, m, &record.name, f, &forward, &mut imports)
            })
            .collect::<Result<_, _>>()?;
        defined[ri] = true;
        for (i, (name, args, has_default)) in lines.iter().enumerate() {
            // attrs wants positional fields with defaults after those
            // without: a default before a field without one is keyword-only
            // (as openedx-events declares `XBlockData.version`).
            let before_required = lines[i + 1..].iter().any(|(_, _, d)| !d);
            let mut args = args.clone();
            if *has_default && before_required {
                args.push("kw_only=True".to_owned());
            }
            body.push_str(&wrap(4, &format!("{name} = attr.ib("), &args, ")"));
        }
    }
    Ok(file(
        sources,
        &format!("Data classes of the ``{}`` module's events.", m.name),
        &imports,
        &body,
    ))
}

/// The annotation with these class names quoted (`List["Node"]`): a
/// forward reference that typing resolves later, while `List` stays a name
/// the module uses.
fn quote_names(annotation: &str, names: &[&str]) -> String {
    let mut out = String::new();
    let mut word = String::new();
    for c in annotation.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if names.contains(&word.as_str()) {
            out.push_str(&format!("\"{word}\""));
        } else {
            out.push_str(&word);
        }
        word.clear();
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

/// The classes of module `m` a type uses (indices into `m.types`).
fn uses(ty: &Type, m: &Module, out: &mut Vec<usize>) {
    match ty {
        Type::List(t) | Type::Map(t) | Type::Optional(t) => uses(t, m, out),
        Type::Named(r) if r.kind == openedx_hooks_schema::DefKind::Record && r.module == m.name => {
            if let Some(i) = m.types.iter().position(|t| t.name == r.name) {
                out.push(i);
            }
        }
        _ => {}
    }
}

/// The module's data classes in catalog order, except that a class comes
/// after the classes of this module its fields use: attrs evaluates
/// `type=` when the class is defined. (A cycle keeps catalog order.)
fn definition_order(m: &Module) -> Vec<usize> {
    fn visit(i: usize, m: &Module, state: &mut [u8], order: &mut Vec<usize>) {
        // 0 unseen, 1 in progress (a cycle), 2 done.
        if state[i] != 0 {
            return;
        }
        state[i] = 1;
        let mut deps = Vec::new();
        for f in &m.types[i].fields {
            uses(&f.ty, m, &mut deps);
        }
        for d in deps {
            visit(d, m, state, order);
        }
        state[i] = 2;
        order.push(i);
    }
    let mut state = vec![0u8; m.types.len()];
    let mut order = Vec::with_capacity(m.types.len());
    for i in 0..m.types.len() {
        visit(i, m, &mut state, &mut order);
    }
    order
}

/// A field's name, its `attr.ib` arguments (`type=T[, default=…|factory=…]`)
/// and whether it has a default.
fn field(
    catalog: &Catalog,
    package: &str,
    m: &Module,
    class_name: &str,
    f: &Field,
    forward: &[&str],
    imports: &mut Imports,
) -> Result<(String, Vec<String>, bool), PythonError> {
    let ty = match &f.python {
        Some(text) => declared(
            text,
            &format!("{}.{}.{}", m.name, class_name, f.name),
            imports,
        )?,
        None => annotation(catalog, package, &m.name, &f.ty, imports)?,
    };
    let ty = quote_names(&ty, forward);
    let default = match (&f.default, &f.ty) {
        (Some(v), _) => Some(typed_default(
            catalog,
            m,
            class_name,
            f,
            &v.to_json(),
            imports,
        )?),
        (None, Type::Optional(_)) => Some("default=None".to_owned()),
        (None, _) => None,
    };
    let mut args = vec![format!("type={ty}")];
    let has_default = default.is_some();
    args.extend(default);
    Ok((f.name.clone(), args, has_default))
}

/// A default as openedx-events writes it: empty containers and strings
/// through factories, other containers through a factory too (never one
/// mutable value shared by every instance), values of `datetime`, `date`,
/// `uuid` and `bytes` fields as those types, others literally.
fn typed_default(
    catalog: &Catalog,
    m: &Module,
    class_name: &str,
    f: &Field,
    v: &Value,
    imports: &mut Imports,
) -> Result<String, PythonError> {
    let typed = match typed_value(catalog, &f.ty, v, imports) {
        Ok(Some(t)) => Some(format!("default={t}")),
        Ok(None) => None,
        Err(scalar) => {
            return Err(PythonError::Annotation {
                what: format!(
                    "{}.{}.{} (a default of scalar {scalar})",
                    m.name, class_name, f.name
                ),
                text: v.to_string(),
            });
        }
    };
    Ok(match (typed, v) {
        (Some(t), _) => t,
        (None, Value::String(s)) if s.is_empty() => "factory=str".to_owned(),
        (None, Value::Array(a)) if a.is_empty() => "factory=list".to_owned(),
        (None, Value::Object(o)) if o.is_empty() => "factory=dict".to_owned(),
        (None, Value::Array(_) | Value::Object(_)) => {
            format!("factory=lambda: {}", python_value(v))
        }
        (None, other) => format!("default={}", python_value(other)),
    })
}

/// `signals.py`: one `OpenEdxPublicSignal` per event, named as the catalog
/// names it, with openedx-events' annotation comments.
pub(super) fn signals_py(
    catalog: &Catalog,
    package: &str,
    m: &Module,
    sources: &[String],
) -> Result<String, PythonError> {
    let mut imports = Imports::default();
    imports.from("openedx_events.tooling", "OpenEdxPublicSignal");
    let mut body = String::new();
    for e in &m.events {
        body.push_str("\n\n");
        body.push_str(&format!("# .. event_type: {}\n", e.event_type));
        body.push_str(&format!("# .. event_name: {}\n", e.name));
        if let Some(k) = &e.key_field {
            body.push_str(&format!("# .. event_key_field: {}\n", k.dotted()));
        }
        let description = e.description.as_deref().unwrap_or("");
        for (i, line) in doc_text(description).lines().enumerate() {
            let lead = if i == 0 {
                "# .. event_description: "
            } else {
                "#    "
            };
            body.push_str(&format!("{lead}{line}\n"));
        }
        let classes: Vec<String> = e
            .payload
            .iter()
            .map(|f| class(catalog, package, &m.name, &f.ty, &mut imports))
            .collect::<Result<_, _>>()?;
        body.push_str(&format!("# .. event_data: {}\n", classes.join(", ")));
        if let Some(t) = &e.trigger {
            body.push_str(&format!("# .. event_trigger_repository: {t}\n"));
        }
        if let Some(a) = &e.added {
            body.push_str(&format!("# .. event_added: {a}\n"));
        }
        body.push_str(&format!("{} = OpenEdxPublicSignal(\n", e.name));
        body.push_str(&format!(
            "    event_type={},\n",
            Value::String(e.event_type.clone())
        ));
        body.push_str("    data={\n");
        for (f, c) in e.payload.iter().zip(&classes) {
            body.push_str(&format!(
                "        {}: {c},\n",
                Value::String(f.name.clone())
            ));
        }
        body.push_str("    },\n");
        if e.minor_version != 0 {
            body.push_str(&format!("    minor_version={},\n", e.minor_version));
        }
        body.push_str(")\n");
    }
    Ok(file(
        sources,
        &format!("Signals of the ``{}`` module's events.", m.name),
        &imports,
        &body,
    ))
}

/// A module: its docstring, its imports, its body.
fn file(sources: &[String], summary: &str, imports: &Imports, body: &str) -> String {
    let mut out = docstring(sources, summary);
    out.push('\n');
    out.push_str(&imports.render());
    out.push('\n');
    out.push_str(body);
    out
}
