//! A module's `filters.py`: one `OpenEdxPublicFilter` subclass per filter,
//! as openedx-filters writes them by hand.
//!
//! The classes run on openedx-filters' own runtime (`run_pipeline`,
//! `OpenEdxFilterException`, `SensitiveDataManagementMixin`); what differs
//! from filter to filter (the class name, how results are read, the
//! sensitive form keys) comes from the filter's `python:` facts.

use openedx_hooks_schema::{
    Catalog, ExceptionDef, Field, FilterDef, Module, Primitive, ReturnAccess, Type,
};
use serde_json::Value;

use super::annotate::{Imports, annotation, declared};
use super::literal::{python_value, typed_value};
use super::{PythonError, doc_text, docstring, docstring_block, indent, wrap};

/// `filters.py`.
pub(super) fn filters_py(
    catalog: &Catalog,
    package: &str,
    m: &Module,
    sources: &[String],
) -> Result<String, PythonError> {
    // Imports the classes need when the module runs, and those only
    // annotations use: the latter stay under `TYPE_CHECKING` (annotations
    // are not evaluated), so that importing the module never imports the
    // platform's Django models.
    let mut cx = Cx {
        catalog,
        package,
        m,
        runtime: Imports::default(),
        typing: Imports::default(),
    };
    cx.runtime
        .from("openedx_filters.tooling", "OpenEdxPublicFilter");
    let mut body = String::new();
    for f in &m.filters {
        body.push_str("\n\n");
        cx.filter(f, &mut body)?;
    }
    let Cx {
        mut runtime,
        mut typing,
        ..
    } = cx;
    typing.remove_all(&runtime);
    let mut out = docstring(sources, &format!("Filters of the ``{}`` module.", m.name));
    out.push_str("\nfrom __future__ import annotations\n\n");
    if !typing.is_empty() {
        runtime.from("typing", "TYPE_CHECKING");
    }
    out.push_str(&runtime.render());
    out.push('\n');
    if !typing.is_empty() {
        out.push_str("\nif TYPE_CHECKING:\n");
        for line in typing.render().lines() {
            if !line.is_empty() {
                out.push_str("    ");
                out.push_str(line);
            }
            out.push('\n');
        }
    }
    out.push_str(&body);
    Ok(out)
}

/// What the classes of one module share while they are written: the
/// module, and the imports it needs when it runs and for type checking only.
struct Cx<'a> {
    catalog: &'a Catalog,
    package: &'a str,
    m: &'a Module,
    runtime: Imports,
    typing: Imports,
}

impl Cx<'_> {
    /// One filter class.
    fn filter(&mut self, f: &FilterDef, out: &mut String) -> Result<(), PythonError> {
        let catalog = self.catalog;
        let p = &f.python;
        let sensitive = !p.sensitive_form_data.is_empty();
        if sensitive {
            self.runtime
                .from("openedx_filters.utils", "SensitiveDataManagementMixin");
            out.push_str(&format!(
                "class {}(OpenEdxPublicFilter, SensitiveDataManagementMixin):\n",
                p.class
            ));
        } else {
            out.push_str(&format!("class {}(OpenEdxPublicFilter):\n", p.class));
        }
        let mut doc = doc_text(f.description.as_deref().unwrap_or(&p.class));
        doc.push_str(&format!("\n\nFilter Type:\n    {}", f.filter_type));
        if let Some(t) = &f.trigger {
            let url = match &catalog.settings().trigger_base_url {
                Some(base) if !t.contains("://") => format!("{base}{t}"),
                _ => t.clone(),
            };
            doc.push_str(&format!("\n\nTrigger:\n    {}", doc_text(&url)));
        }
        if let Some(a) = &f.added {
            doc.push_str(&format!("\n\nAdded:\n    {a}"));
        }
        out.push_str(&docstring_block(&doc, 4));
        // A literal too long for its line goes in parentheses when that makes
        // it fit (ruff's layout).
        let literal = Value::String(f.filter_type.clone()).to_string();
        if 4 + "filter_type = ".len() + literal.len() > 88 && 8 + literal.len() <= 88 {
            out.push_str(&format!(
                "\n    filter_type = (\n        {literal}\n    )\n"
            ));
        } else {
            out.push_str(&format!("\n    filter_type = {literal}\n"));
        }
        if sensitive {
            let keys: Vec<String> = p
                .sensitive_form_data
                .iter()
                .map(|k| Value::String(k.clone()).to_string())
                .collect();
            out.push_str(&wrap(4, "sensitive_form_data = [", &keys, "]"));
        }
        for x in &f.exceptions {
            out.push('\n');
            self.exception(f, x, out)?;
        }
        out.push('\n');
        self.run_filter(f, out)
    }

    /// A nested exception class. Without parameters of its own (none, or
    /// exactly the base's `message`, `redirect_to`, `status_code`) it keeps
    /// the base constructor, which also takes any extra keyword; otherwise its
    /// `__init__` takes exactly its parameters and hands them to the base.
    fn exception(
        &mut self,
        f: &FilterDef,
        x: &ExceptionDef,
        out: &mut String,
    ) -> Result<(), PythonError> {
        let (catalog, package, m) = (self.catalog, self.package, self.m);
        let (runtime, typing) = (&mut self.runtime, &mut self.typing);
        runtime.from("openedx_filters.exceptions", "OpenEdxFilterException");
        out.push_str(&format!("    class {}(OpenEdxFilterException):\n", x.name));
        let mut doc = doc_text(
            x.description
                .as_deref()
                .unwrap_or("Raised by a pipeline step to halt the action."),
        );
        let described: Vec<&Field> = x
            .fields
            .iter()
            .filter(|p| p.description.is_some())
            .collect();
        if !described.is_empty() {
            doc.push_str("\n\nArguments:");
            for p in described {
                doc.push_str(&format!(
                    "\n    {}: {}",
                    p.name,
                    indent(&doc_text(p.description.as_deref().unwrap_or_default()), 8)
                ));
            }
        }
        out.push_str(&docstring_block(&doc, 8));
        if base_constructor(&x.fields) {
            return Ok(());
        }
        let what = |p: &Field| format!("{}.{}.{}.{}", m.name, f.python.class, x.name, p.name);
        let mut params = vec!["self".to_owned()];
        let mut defaults = Vec::with_capacity(x.fields.len());
        for p in &x.fields {
            let (ty, optional) = arg_annotation(catalog, package, p, &what(p), typing)?;
            let default = match &p.default {
                Some(v) => {
                    let v = v.to_json();
                    // Defaults are evaluated when the class is defined: their
                    // constructors are imported to run.
                    match typed_value(catalog, &p.ty, &v, runtime) {
                        Ok(Some(t)) => Some(t),
                        Ok(None) => Some(python_value(&v)),
                        Err(scalar) => {
                            return Err(PythonError::Annotation {
                                what: format!("{} (a default of scalar {scalar})", what(p)),
                                text: v.to_string(),
                            });
                        }
                    }
                }
                None if optional => Some("None".to_owned()),
                None => None,
            };
            defaults.push(default.is_some());
            params.push(match default {
                Some(d) => format!("{}: {ty} = {d}", p.name),
                None => format!("{}: {ty}", p.name),
            });
        }
        // Python wants parameters with defaults after those without: from the
        // first default that precedes a required parameter on, they are
        // keyword-only (as attrs' `kw_only` does for data classes).
        if let Some(i) =
            (0..defaults.len()).find(|&i| defaults[i] && defaults[i..].contains(&false))
        {
            params.insert(i + 1, "*".to_owned());
        }
        out.push('\n');
        out.push_str(&wrap(8, "def __init__(", &params, ") -> None:"));
        let forwarded: Vec<String> = x
            .fields
            .iter()
            .map(|p| format!("{0}={0}", p.name))
            .collect();
        out.push_str(&wrap(12, "super().__init__(", &forwarded, ")"));
        Ok(())
    }

    /// The `run_filter` classmethod.
    fn run_filter(&mut self, f: &FilterDef, out: &mut String) -> Result<(), PythonError> {
        let (catalog, package, m) = (self.catalog, self.package, self.m);
        let (runtime, typing) = (&mut self.runtime, &mut self.typing);
        let p = &f.python;
        let mut params = vec!["cls".to_owned()];
        let mut annotations = Vec::with_capacity(f.arguments.len());
        for a in &f.arguments {
            let what = format!("{}.{}.{}", m.name, p.class, a.name);
            let (ty, optional) = arg_annotation(catalog, package, a, &what, typing)?;
            params.push(format!("{}: {ty}", a.name));
            annotations.push((ty, optional));
        }
        let returned: Vec<String> = f
            .returns
            .iter()
            .map(|&i| {
                let (ty, optional) = &annotations[i];
                match p.return_access {
                    ReturnAccess::Get if !optional && p.sensitive_form_data.is_empty() => {
                        format!("{ty} | None")
                    }
                    _ => ty.clone(),
                }
            })
            .collect();
        let result = match returned.as_slice() {
            [one] => one.clone(),
            many => format!("tuple[{}]", many.join(", ")),
        };
        out.push_str("    @classmethod\n");
        let mut def = wrap(4, "def run_filter(", &params, &format!(") -> {result}:"));
        // Parameters on lines of their own and still a closing line too long:
        // the return tuple's items break too.
        let last = def.trim_end().rsplit('\n').next().unwrap_or_default().len();
        if def.trim_end().contains('\n') && last > 88 && returned.len() > 1 {
            let cut = def.trim_end().rfind('\n').unwrap_or_default();
            def.truncate(cut + 1);
            def.push_str(&wrap(4, ") -> tuple[", &returned, "]:"));
        }
        out.push_str(&def);
        let mut doc = "Run the configured pipeline steps on the arguments.".to_owned();
        if !p.sensitive_form_data.is_empty() {
            doc.push_str(
                "\n\nThe sensitive form keys are taken out of ``form_data`` before the\n\
             pipeline and put back after it: no step sees or changes them.",
            );
        }
        doc.push_str("\n\nArguments:");
        for (a, (ty, _)) in f.arguments.iter().zip(&annotations) {
            doc.push_str(&format!("\n    {} ({ty})", a.name));
            if let Some(d) = &a.description {
                doc.push_str(&format!(": {}", indent(&doc_text(d), 8)));
            }
        }
        doc.push_str(&format!("\n\nReturns:\n    {result}: "));
        let names: Vec<&str> = f
            .returns
            .iter()
            .map(|&i| f.arguments[i].name.as_str())
            .collect();
        doc.push_str(&format!(
            "{}, as the pipeline leaves them.",
            names.join(", ")
        ));
        out.push_str(&docstring_block(&doc, 8));
        let passed: Vec<String> = f
            .arguments
            .iter()
            .map(|a| format!("{0}={0}", a.name))
            .collect();
        if !p.sensitive_form_data.is_empty() {
            // Validation guarantees `form_data` is the one argument returned.
            let form_data = &f.arguments[f.returns[0]];
            let class = fallback_class(catalog, package, &m.name, form_data, runtime)?;
            out.push_str("        sensitive_data = cls.extract_sensitive_data(form_data)\n");
            out.push_str(&wrap(8, "data = super().run_pipeline(", &passed, ")"));
            out.push_str(&format!(
                "        form_data = data.get(\"form_data\", {class}())\n"
            ));
            out.push_str("        form_data.update(sensitive_data)\n");
            out.push_str("        return form_data\n");
            return Ok(());
        }
        out.push_str(&wrap(8, "data = super().run_pipeline(", &passed, ")"));
        let reads: Vec<String> = names
            .iter()
            .map(|n| {
                let key = Value::String((*n).to_owned());
                match p.return_access {
                    ReturnAccess::Index => format!("data[{key}]"),
                    ReturnAccess::GetWithFallback => format!("data.get({key}, {n})"),
                    _ => format!("data.get({key})"),
                }
            })
            .collect();
        let one = format!("        return {}\n", reads.join(", "));
        if one.len() <= 89 || reads.len() == 1 {
            out.push_str(&one);
        } else {
            out.push_str(&wrap(8, "return (", &reads, ")"));
        }
        Ok(())
    }
}

/// Whether an exception's parameters are the base constructor's.
fn base_constructor(fields: &[Field]) -> bool {
    let text = |f: &Field| {
        f.ty == Type::Primitive(Primitive::String)
            && f.default.as_ref().map(|v| v.to_json()) == Some(Value::String(String::new()))
    };
    let status = |f: &Field| {
        f.ty == Type::Optional(Box::new(Type::Primitive(Primitive::Int)))
            && f.default.as_ref().is_none_or(|v| v.to_json().is_null())
    };
    match fields {
        [] => true,
        [message, redirect_to, status_code] => {
            message.name == "message"
                && text(message)
                && redirect_to.name == "redirect_to"
                && text(redirect_to)
                && status_code.name == "status_code"
                && status(status_code)
        }
        _ => false,
    }
}

/// An argument's (or exception parameter's) annotation, and whether it
/// may be `None` (`T?`: `T | None`). No data class is defined in
/// `filters.py`: each is imported from its module's `data.py`.
fn arg_annotation(
    catalog: &Catalog,
    package: &str,
    f: &Field,
    what: &str,
    imports: &mut Imports,
) -> Result<(String, bool), PythonError> {
    let optional = matches!(f.ty, Type::Optional(_));
    let ty = match &f.python {
        Some(text) => declared(text, what, imports)?,
        None => annotation(catalog, package, "", &f.ty, imports)?,
    };
    if optional && f.python.is_none() {
        Ok((format!("{ty} | None"), true))
    } else {
        Ok((ty, optional))
    }
}

/// The class `StudentRegistrationRequested`-style filters build when the
/// pipeline's result lacks `form_data` (`QueryDict()`), imported to run.
fn fallback_class(
    catalog: &Catalog,
    package: &str,
    here: &str,
    f: &Field,
    runtime: &mut Imports,
) -> Result<String, PythonError> {
    let mut needed = Imports::default();
    let ty = annotation(catalog, package, "", &f.ty, &mut needed)?;
    if !ty.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(PythonError::Annotation {
            what: format!(
                "{here}.{} (the class an empty `form_data` is built with)",
                f.name
            ),
            text: ty,
        });
    }
    runtime.absorb(needed);
    Ok(ty)
}
