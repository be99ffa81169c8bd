//! Every filter linked into the program, `#[pipeline_step]` registrations,
//! and applying a configuration to them.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use linkme::distributed_slice;

use super::config::{ConfigProblem, FilterConfigError, FiltersConfig, PipelineInfo, PipelineSpec};
use super::step::{FilterException, StepContext, StepResult};
use super::{Filter, Pipeline};
use crate::hook::registry::{Registration, index_by_type};
use crate::hook::suggest::did_you_mean;

pub(crate) mod sealed {
    /// Only the runtime's [`Filter`](crate::filter::Filter) is an
    /// `AnyFilter`; what configuration needs of a filter stays private.
    pub trait Sealed {
        /// Installs the `#[pipeline_step]` functions registered for it.
        fn install_steps(&self);
        /// Resolves a configured pipeline (or none) against the steps the
        /// filter knows, and swaps it in; the paths that name no step.
        fn check_pipeline(&self, spec: Option<&super::PipelineSpec>) -> Vec<String>;
        /// Swaps the pipeline in; only after every filter checked fine.
        fn set_pipeline(&self, spec: Option<&super::PipelineSpec>);
    }
}

/// A filter with its argument and exception types erased: what
/// configuration and tools hold when all they have is a filter type.
///
/// Sealed: implemented by [`Filter`] only.
pub trait AnyFilter: sealed::Sealed + Send + Sync {
    /// The filter type string.
    fn filter_type(&self) -> &'static str;
    /// The constant name.
    fn name(&self) -> &'static str;
    /// Every step this filter knows, by path.
    fn known_steps(&self) -> Vec<String>;
    /// What runs when the filter is called, in order (none configured: `None`).
    fn pipeline(&self) -> Option<PipelineInfo>;
}

impl<A: Clone + Send + Sync + 'static, E: FilterException> sealed::Sealed for Filter<A, E> {
    fn install_steps(&self) {
        self.ensure_registered();
    }

    fn check_pipeline(&self, spec: Option<&PipelineSpec>) -> Vec<String> {
        let Some(spec) = spec else {
            return Vec::new();
        };
        let known = self.steps.lock().unwrap_or_else(|e| e.into_inner());
        spec.steps
            .iter()
            .filter(|p| !known.iter().any(|(k, _)| k == *p))
            .cloned()
            .collect()
    }

    fn set_pipeline(&self, spec: Option<&PipelineSpec>) {
        // No steps: the fast path of no pipeline at all.
        let spec = spec.filter(|s| !s.steps.is_empty());
        let pipeline = spec.map(|spec| {
            let known = self.steps.lock().unwrap_or_else(|e| e.into_inner());
            let steps = spec
                .steps
                .iter()
                .filter_map(|p| known.iter().find(|(k, _)| k == p).cloned())
                .collect();
            Arc::new(Pipeline::new(steps, spec.fail_silently, spec.extra.clone()))
        });
        self.pipeline.store(pipeline);
    }
}

impl<A: Clone + Send + Sync + 'static, E: FilterException> AnyFilter for Filter<A, E> {
    fn filter_type(&self) -> &'static str {
        self.filter_type
    }

    fn name(&self) -> &'static str {
        self.name
    }

    fn known_steps(&self) -> Vec<String> {
        Filter::known_steps(self)
    }

    fn pipeline(&self) -> Option<PipelineInfo> {
        self.pipeline.load().as_deref().map(|p| PipelineInfo {
            filter_type: self.filter_type,
            name: self.name,
            steps: p.paths.clone(),
            fail_silently: p.fail_silently,
        })
    }
}

/// Every filter generated code registered (one entry per filter).
#[doc(hidden)]
#[distributed_slice]
pub static FILTERS: [&'static dyn AnyFilter];

/// A `#[pipeline_step]` function, registered at link time.
#[doc(hidden)]
pub type StepRegistration = Registration<dyn AnyFilter>;

/// Every `#[pipeline_step]` function linked into the program.
#[doc(hidden)]
#[distributed_slice]
pub static STEPS: [StepRegistration];

/// What `#[pipeline_step(...)]` accepts: a filter.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an openedx-hooks filter",
    label = "expected a `Filter<Arguments, Exception>` static",
    note = "`#[pipeline_step(...)]` takes the path of a filter, such as `openedx_filters::learning::COURSE_ENROLLMENT_STARTED`"
)]
pub trait IsFilter: Sync + 'static {
    /// The arguments.
    type Args: Clone + Send + Sync + 'static;
    /// The exceptions.
    type Exception: FilterException;
    /// The filter itself.
    fn filter(&'static self) -> &'static Filter<Self::Args, Self::Exception>;
}

impl<A: Clone + Send + Sync + 'static, E: FilterException> IsFilter for Filter<A, E> {
    type Args = A;
    type Exception = E;
    fn filter(&'static self) -> &'static Filter<A, E> {
        self
    }
}

/// The body of a `#[pipeline_step]` registration.
#[doc(hidden)]
pub fn registered_step<F, A, E>(
    filter: &'static F,
    path: &'static str,
    step: fn(&A, &StepContext<'_>) -> StepResult<A, E>,
    install: bool,
) -> &'static dyn AnyFilter
where
    F: IsFilter<Args = A, Exception = E>,
    A: Clone + Send + Sync + 'static,
    E: FilterException,
{
    let filter = filter.filter();
    if install {
        filter.insert_step(path.to_owned(), Arc::new(step));
    }
    filter
}

/// Every filter linked into this program, in link order.
pub fn all_filters() -> &'static [&'static dyn AnyFilter] {
    &FILTERS
}

/// The filter with this type string, if one is linked in.
pub fn filter_by_type(filter_type: &str) -> Option<&'static dyn AnyFilter> {
    static INDEX: OnceLock<HashMap<&'static str, &'static dyn AnyFilter>> = OnceLock::new();
    INDEX
        .get_or_init(|| index_by_type(&FILTERS, |f| f.filter_type()))
        .get(filter_type)
        .copied()
}

/// Applies `config` to every linked filter, all or nothing: a filter type
/// that no linked filter has, or a step path that names no step of its
/// filter, is an error naming it (with the nearest known name), reported
/// now rather than at the first call. Filters the configuration does not
/// name get no pipeline.
pub fn configure_filters(config: &FiltersConfig) -> Result<(), FilterConfigError> {
    let filters = all_filters();
    for f in filters {
        f.install_steps();
    }
    let mut problems = Vec::new();
    for (filter_type, spec) in &config.pipelines {
        let Some(filter) = filter_by_type(filter_type) else {
            let hint = did_you_mean(filter_type, filters.iter().map(|f| f.filter_type()));
            problems.push(ConfigProblem {
                filter_type: filter_type.clone(),
                message: format!("no filter of this type is linked into this program{hint}"),
            });
            continue;
        };
        let known = filter.known_steps();
        for path in filter.check_pipeline(Some(spec)) {
            let hint = did_you_mean(&path, known.iter().map(String::as_str));
            problems.push(ConfigProblem {
                filter_type: filter_type.clone(),
                message: format!(
                    "step `{path}` is not a linked step of {}{hint}",
                    filter.name()
                ),
            });
        }
    }
    if !problems.is_empty() {
        return Err(FilterConfigError { problems });
    }
    for f in filters {
        f.set_pipeline(config.pipelines.get(f.filter_type()));
    }
    Ok(())
}

/// What runs for each configured filter type, in order: the answer to
/// "which steps does this filter run?" at run time.
pub fn filter_pipelines() -> Vec<PipelineInfo> {
    let mut out: Vec<PipelineInfo> = all_filters().iter().filter_map(|f| f.pipeline()).collect();
    out.sort_by(|a, b| a.filter_type.cmp(b.filter_type));
    out
}
