//! Filters: each filter's type string, version, arguments, returns and
//! exceptions. The sibling of `events`: the type grammar, prefix and
//! version rules are the same.

use std::collections::HashMap;

use super::{Resolver, names};
use crate::diag::{Code, Diagnostic};
use crate::ir::{ExceptionDef, FilterDef, PythonFilter, ReturnAccess, Settings};
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::{FilterSyntax, Named, PythonFilterSyntax};

impl Resolver<'_> {
    pub(super) fn filter(
        &mut self,
        mi: usize,
        f: FilterSyntax,
        settings: &Settings,
    ) -> Option<FilterDef> {
        let name = &f.name;
        let major = self.hook_header(
            mi,
            "filter",
            name,
            f.filter_type.as_ref(),
            f.added.as_ref(),
            settings,
        )?;
        let arguments = self.fields(mi, f.arguments, &Named("the arguments of", &name.value));
        if arguments.is_empty()
            && let Some(span) = f.arguments_span
        {
            self.push(
                Diagnostic::error(
                    Code::EmptyArguments,
                    span,
                    format!("filter `{}` has no arguments", name.value),
                )
                .with_help(
                    "a filter passes at least one argument through its pipeline, e.g. `user: User`",
                ),
            );
        }
        let returns = match &f.returns {
            // By default: every argument, in order.
            None => (0..arguments.len()).collect(),
            Some((listed, _)) => {
                let mut seen: HashMap<&str, Span> = HashMap::new();
                let mut out = Vec::new();
                for r in listed {
                    if let Some(first) = seen.get(r.value.as_str()) {
                        self.push(
                            Diagnostic::error(
                                Code::InvalidReturns,
                                r.span,
                                format!("`{}` is returned twice", r.value),
                            )
                            .with_related(*first, "first listed here"),
                        );
                        continue;
                    }
                    seen.insert(&r.value, r.span);
                    match arguments.iter().position(|a| a.name == r.value) {
                        Some(i) => out.push(i),
                        None => {
                            let help =
                                did_you_mean(&r.value, arguments.iter().map(|a| a.name.as_str()))
                                    .unwrap_or_else(|| {
                                        "a filter returns some of its arguments, by name".into()
                                    });
                            self.push(
                                Diagnostic::error(
                                    Code::InvalidReturns,
                                    r.span,
                                    format!(
                                        "`{}` is not an argument of filter `{}`",
                                        r.value, name.value
                                    ),
                                )
                                .with_label("not an argument")
                                .with_help(help),
                            );
                        }
                    }
                }
                out
            }
        };
        let mut exceptions: Vec<ExceptionDef> = Vec::with_capacity(f.exceptions.len());
        for x in f.exceptions {
            if !names::is_upper_camel(&x.name.value) {
                self.push(
                    Diagnostic::error(
                        Code::InvalidException,
                        x.name.span,
                        format!("exception name `{}` is not UpperCamelCase", x.name.value),
                    )
                    .with_help(format!(
                        "rename it `{}`",
                        names::suggest_camel(&x.name.value)
                    )),
                );
            }
            if let Some(first) = exceptions.iter().find(|e| e.name == x.name.value) {
                self.push(
                    Diagnostic::error(
                        Code::InvalidException,
                        x.name.span,
                        format!(
                            "exception `{}` of filter `{}` is defined twice",
                            x.name.value, name.value
                        ),
                    )
                    .with_related(first.span, "first defined here"),
                );
                continue;
            }
            let fields = self.fields(mi, x.fields, &Named("exception", &x.name.value));
            exceptions.push(ExceptionDef {
                name: x.name.value,
                description: x.description,
                fields,
                span: x.name.span,
            });
        }
        let python = self.python_filter(&name.value, f.python, &arguments, &returns);
        Some(FilterDef {
            python,
            span: f.name.span,
            name: f.name.value,
            filter_type: f.filter_type.map(|t| t.value).unwrap_or_default(),
            major_version: major,
            description: f.description,
            added: f.added.map(|t| t.value),
            trigger: f.trigger.map(|t| t.value),
            arguments,
            returns,
            exceptions,
        })
    }

    /// The filter's `python:` facts, checked against its arguments and returns.
    fn python_filter(
        &mut self,
        filter: &str,
        p: Option<PythonFilterSyntax>,
        arguments: &[crate::ir::Field],
        returns: &[usize],
    ) -> PythonFilter {
        let mut out = PythonFilter {
            class: names::payload_struct_name(filter),
            return_access: ReturnAccess::Get,
            sensitive_form_data: Vec::new(),
        };
        let Some(p) = p else {
            return out;
        };
        if let Some(class) = p.class {
            // `None`, `True` and `False` are UpperCamelCase but not names.
            let reserved = ["None", "True", "False"].contains(&class.value.as_str());
            if reserved {
                self.push(
                    Diagnostic::error(
                        Code::InvalidPython,
                        class.span,
                        format!("`{}` is a Python keyword, not a class name", class.value),
                    )
                    .with_help("choose another class name"),
                );
            } else if names::is_upper_camel(&class.value) {
                out.class = class.value;
            } else {
                self.push(
                    Diagnostic::error(
                        Code::InvalidPython,
                        class.span,
                        format!("Python class name `{}` is not UpperCamelCase", class.value),
                    )
                    .with_help(format!(
                        "a class name such as `{}`",
                        names::suggest_camel(&class.value)
                    )),
                );
            }
        }
        if let Some(access) = p.return_access {
            match ReturnAccess::ALL
                .iter()
                .find(|a| a.as_str() == access.value)
            {
                Some(a) => out.return_access = *a,
                None => {
                    let known: Vec<&str> = ReturnAccess::ALL.iter().map(|a| a.as_str()).collect();
                    let help = did_you_mean(&access.value, known.iter().copied())
                        .unwrap_or_else(|| format!("one of {}", known.join(", ")));
                    self.push(
                        Diagnostic::error(
                            Code::InvalidPython,
                            access.span,
                            format!("unknown return_access `{}`", access.value),
                        )
                        .with_help(help),
                    );
                }
            }
        }
        if let Some((keys, span)) = p.sensitive_form_data {
            // The keys go back into the returned `form_data`: it must be the
            // one argument returned.
            let form_data = arguments.iter().position(|a| a.name == "form_data");
            if form_data.is_none_or(|i| returns != [i]) {
                self.push(
                    Diagnostic::error(
                        Code::InvalidPython,
                        span,
                        format!(
                            "filter `{filter}` has sensitive_form_data but does not return only a `form_data` argument"
                        ),
                    )
                    .with_help("the sensitive keys are taken out of `form_data` and put back into the `form_data` returned"),
                );
            }
            let mut seen: HashMap<&str, Span> = HashMap::new();
            for k in &keys {
                if let Some(&first) = seen.get(k.value.as_str()) {
                    self.push(
                        Diagnostic::error(
                            Code::InvalidPython,
                            k.span,
                            format!("form key `{}` is listed twice", k.value),
                        )
                        .with_related(first, "first listed here"),
                    );
                } else {
                    seen.insert(&k.value, k.span);
                }
            }
            out.sensitive_form_data = keys.into_iter().map(|k| k.value).collect();
        }
        out
    }
}
