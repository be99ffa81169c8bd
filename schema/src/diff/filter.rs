//! The checks of one filter present in both catalogs. Arguments flow both
//! ways (platform code builds them, steps read and return them), so every
//! change to the filter's shape is breaking in every mode; a new exception
//! is an addition.

use super::payload::show;
use super::{Finding, HookRef, Mode, Rule};
use crate::ir::{Field, FilterDef};

fn names(fields: &[Field]) -> Vec<&str> {
    fields.iter().map(|f| f.name.as_str()).collect()
}

const NEW_VERSION: &str = "publish the change as a new filter type `.v<N+1>` next to the old one";

pub(super) fn compare(mode: Mode, of: &FilterDef, nf: &FilterDef, findings: &mut Vec<Finding>) {
    let hook = HookRef::filter(nf);
    let mut push = |rule, path: String, message: String, hint: &str, new, old| {
        findings.push(
            Finding::new(mode, rule, hook.clone())
                .at(path)
                .says(message, hint)
                .spans(new, old),
        );
    };
    if of.name != nf.name {
        push(
            Rule::FilterNameChanged,
            String::new(),
            format!("filter `{}` was renamed `{}`", of.name, nf.name),
            "keep the constant name: platform code and plugins refer to it",
            Some(nf.span),
            Some(of.span),
        );
    }
    for a in &of.arguments {
        match nf.arguments.iter().find(|b| b.name == a.name) {
            None => push(
                Rule::FilterArgumentRemoved,
                a.name.clone(),
                format!("argument `{}` was removed", a.name),
                NEW_VERSION,
                Some(nf.span),
                Some(a.span),
            ),
            Some(b) if show(&a.ty) != show(&b.ty) => push(
                Rule::FilterArgumentTypeChanged,
                a.name.clone(),
                format!(
                    "argument `{}` changed type from `{}` to `{}`",
                    a.name,
                    show(&a.ty),
                    show(&b.ty)
                ),
                NEW_VERSION,
                Some(b.type_span),
                Some(a.type_span),
            ),
            Some(_) => {}
        }
    }
    for b in &nf.arguments {
        if !of.arguments.iter().any(|a| a.name == b.name) {
            push(
                Rule::FilterArgumentAdded,
                b.name.clone(),
                format!("argument `{}` was added", b.name),
                NEW_VERSION,
                Some(b.span),
                Some(of.span),
            );
        }
    }
    let kept_old: Vec<&str> = names(&of.arguments)
        .into_iter()
        .filter(|n| nf.arguments.iter().any(|b| b.name == *n))
        .collect();
    let kept_new: Vec<&str> = names(&nf.arguments)
        .into_iter()
        .filter(|n| of.arguments.iter().any(|a| a.name == *n))
        .collect();
    if kept_old != kept_new {
        push(
            Rule::FilterArgumentsReordered,
            String::new(),
            format!(
                "arguments reordered from ({}) to ({})",
                kept_old.join(", "),
                kept_new.join(", ")
            ),
            NEW_VERSION,
            Some(nf.span),
            Some(of.span),
        );
    }
    let returns = |f: &FilterDef| -> Vec<String> {
        f.returns
            .iter()
            .map(|&i| f.arguments[i].name.clone())
            .collect()
    };
    let (ro, rn) = (returns(of), returns(nf));
    if ro != rn {
        push(
            Rule::FilterReturnsChanged,
            String::new(),
            format!(
                "returns changed from [{}] to [{}]",
                ro.join(", "),
                rn.join(", ")
            ),
            NEW_VERSION,
            Some(nf.span),
            Some(of.span),
        );
    }
    for x in &of.exceptions {
        match nf.exceptions.iter().find(|y| y.name == x.name) {
            None => push(
                Rule::FilterExceptionRemoved,
                x.name.clone(),
                format!("exception `{}` was removed", x.name),
                "keep it: platform code catches it by name",
                Some(nf.span),
                Some(x.span),
            ),
            Some(y) => {
                let shape = |fs: &[Field]| -> Vec<(String, String)> {
                    fs.iter().map(|f| (f.name.clone(), show(&f.ty))).collect()
                };
                if shape(&x.fields) != shape(&y.fields) {
                    push(
                        Rule::FilterExceptionChanged,
                        x.name.clone(),
                        format!("the parameters of exception `{}` changed", x.name),
                        "keep its parameters: steps raise it and platform code reads them",
                        Some(y.span),
                        Some(x.span),
                    );
                }
            }
        }
    }
    for y in &nf.exceptions {
        if !of.exceptions.iter().any(|x| x.name == y.name) {
            push(
                Rule::FilterExceptionAdded,
                y.name.clone(),
                format!("exception `{}` was added", y.name),
                "no action needed for callers that catch the filter's exceptions generally",
                Some(y.span),
                None,
            );
        }
    }
    let (po, pn) = (&of.python, &nf.python);
    if po.class != pn.class {
        push(
            Rule::FilterPythonChanged,
            String::new(),
            format!("Python class `{}` was renamed `{}`", po.class, pn.class),
            "keep the class name: platform code and plugins import it",
            Some(nf.span),
            Some(of.span),
        );
    }
    if po.return_access != pn.return_access {
        push(
            Rule::FilterPythonChanged,
            String::new(),
            format!(
                "run_filter reads results with `{}` instead of `{}`",
                pn.return_access.as_str(),
                po.return_access.as_str()
            ),
            "keep how results are read: callers and tests rely on absent keys giving None, KeyError or the input",
            Some(nf.span),
            Some(of.span),
        );
    }
    if po.sensitive_form_data != pn.sensitive_form_data {
        push(
            Rule::FilterPythonChanged,
            String::new(),
            format!(
                "sensitive form keys changed from [{}] to [{}]",
                po.sensitive_form_data.join(", "),
                pn.sensitive_form_data.join(", ")
            ),
            "a key no longer listed reaches every pipeline step; publish the change as a new filter type",
            Some(nf.span),
            Some(of.span),
        );
    }
    if (&of.description, &of.added, &of.trigger) != (&nf.description, &nf.added, &nf.trigger) {
        push(
            Rule::DocsChanged,
            String::new(),
            "description, date or trigger changed".into(),
            "no action needed",
            Some(nf.span),
            Some(of.span),
        );
    }
}
