//! Filters, the second kind of hook: a named place in platform code that
//! passes its arguments through a configured pipeline of steps, each of
//! which may change them, stop the pipeline, or halt the whole action with
//! one of the filter's exceptions. Built on the hook core (`hook`),
//! beside signals:
//!
//! - this module: [`Filter`] and running its pipeline;
//! - `step`: what a step is ([`Flow`], [`StepError`], [`StepContext`],
//!   [`FilterException`]);
//! - `error`: [`FilterError`];
//! - `config`: [`FiltersConfig`], the equivalent of `OPEN_EDX_FILTERS_CONFIG`,
//!   checked against the linked filters and steps when it is applied;
//! - `registry`: every linked filter, `#[pipeline_step]` registrations, the
//!   configured pipelines;
//! - `local`: the thread-scoped pipelines and recordings of tests.
//!
//! Semantics follow openedx-filters 3.16.0 where it is careful: an empty
//! pipeline returns the arguments unchanged; a halting exception always
//! propagates; another step error is skipped when `fail_silently` (the
//! default) and propagates otherwise. Where it is careless this is strict:
//! a configured path that names no linked step is an error when the
//! configuration is applied (never a silently skipped prevention step), a
//! skipped step leaves the arguments as they were before it, and a step
//! that panics is a step error like any other.
//!
//! ```
//! use openedx_hooks::filter::{Filter, Flow, StepContext, StepResult};
//!
//! #[derive(Debug, Clone, PartialEq)]
//! pub struct Enrollment { pub course: String, pub mode: String }
//!
//! # #[derive(Debug)] pub struct Refused;
//! # impl std::fmt::Display for Refused { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("refused") } }
//! # impl std::error::Error for Refused {}
//! # impl openedx_hooks::filter::FilterException for Refused {
//! #     fn message(&self) -> &str { "refused" } fn redirect_to(&self) -> &str { "" } fn status_code(&self) -> Option<u16> { Some(403) }
//! # }
//! static ENROLLMENT_STARTED: Filter<Enrollment, Refused> =
//!     Filter::new("org.example.learning.course.enrollment.started.v1", "ENROLLMENT_STARTED");
//!
//! fn audit_only(e: &Enrollment, _: &StepContext<'_>) -> StepResult<Enrollment, Refused> {
//!     Ok(Flow::Continue(Enrollment { mode: "audit".into(), ..e.clone() }))
//! }
//!
//! let _guard = openedx_hooks::testing::override_pipeline(&ENROLLMENT_STARTED, vec![("doc::audit_only", audit_only)]);
//! let out = ENROLLMENT_STARTED.run_filter(Enrollment { course: "c1".into(), mode: "verified".into() }).unwrap();
//! assert_eq!(out.mode, "audit");
//! ```

pub(crate) mod config;
pub(crate) mod error;
pub(crate) mod local;
pub(crate) mod registry;
pub(crate) mod step;

use std::sync::{Arc, Mutex, Once};

use arc_swap::ArcSwapOption;

use crate::hook::call::{Outcome, catching};
use crate::hook::id::addr_of;
use crate::hook::local as hook_local;

pub use config::{ConfigProblem, FilterConfigError, FiltersConfig, PipelineInfo};
pub use error::FilterError;
pub use registry::{AnyFilter, all_filters, configure_filters, filter_by_type, filter_pipelines};
pub use step::{FilterException, Flow, StepContext, StepError, StepResult};

use step::StepFn;

/// Steps by path.
type Steps<A, E> = Vec<(String, Arc<StepFn<A, E>>)>;

/// A configured pipeline: the steps resolved from their paths.
pub(crate) struct Pipeline<A: 'static, E: 'static> {
    steps: Steps<A, E>,
    paths: Vec<String>,
    fail_silently: bool,
    extra: serde_json::Map<String, serde_json::Value>,
}

/// A filter: platform code calls [`Filter::run_filter`] with its arguments;
/// the configured pipeline decides what comes back.
///
/// Filters are statics (generated from the catalog). Running takes a
/// snapshot of the configured pipeline without locking; configuring it
/// again never disturbs a run in progress.
pub struct Filter<A: 'static, E: 'static> {
    filter_type: &'static str,
    name: &'static str,
    /// Every step this filter knows, by path: `#[pipeline_step]` functions
    /// and steps added at run time. Read when a configuration is applied.
    steps: Mutex<Steps<A, E>>,
    pipeline: ArcSwapOption<Pipeline<A, E>>,
    /// Installs the `#[pipeline_step]` functions registered for this filter.
    registered: Once,
}

impl<A: 'static, E: 'static> Filter<A, E> {
    /// A filter; generated code declares one static per filter.
    pub const fn new(filter_type: &'static str, name: &'static str) -> Self {
        Filter {
            filter_type,
            name,
            steps: Mutex::new(Vec::new()),
            pipeline: ArcSwapOption::const_empty(),
            registered: Once::new(),
        }
    }

    /// The filter type string (`org.openedx.learning.course.enrollment.started.v1`).
    pub fn filter_type(&self) -> &'static str {
        self.filter_type
    }

    /// The constant name (`COURSE_ENROLLMENT_STARTED`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Makes a step known under `path`, so a configuration can name it
    /// (what `#[pipeline_step]` does at link time). `false`, and nothing
    /// changes, when a step of that path is already known.
    pub fn add_step<F>(&'static self, path: impl Into<String>, step: F) -> bool
    where
        F: Fn(&A, &StepContext<'_>) -> StepResult<A, E> + Send + Sync + 'static,
    {
        self.ensure_registered();
        self.insert_step(path.into(), Arc::new(step))
    }

    fn insert_step(&self, path: String, step: Arc<StepFn<A, E>>) -> bool {
        let mut steps = self.steps.lock().unwrap_or_else(|e| e.into_inner());
        if steps.iter().any(|(p, _)| *p == path) {
            return false;
        }
        steps.push((path, step));
        true
    }

    /// The paths of every step this filter knows, in registration order.
    pub fn known_steps(&self) -> Vec<String> {
        self.ensure_registered();
        let steps = self.steps.lock().unwrap_or_else(|e| e.into_inner());
        steps.iter().map(|(p, _)| p.clone()).collect()
    }

    fn ensure_registered(&self) {
        self.registered
            .call_once(|| crate::hook::registry::install(&registry::STEPS, addr_of(self)));
    }
}

impl<A: Clone + 'static, E: FilterException> Filter<A, E> {
    /// Runs the configured pipeline on `args`: every step in order, each
    /// seeing what the previous ones returned. With no pipeline configured,
    /// `args` come back unchanged at the cost of one atomic load.
    pub fn run_filter(&self, args: A) -> Result<A, FilterError<E>> {
        self.ensure_registered();
        let flags = hook_local::flags();
        if flags.active {
            return local::run(self, args, flags.strict);
        }
        let pipeline = self.pipeline.load();
        match pipeline.as_deref() {
            None => Ok(args),
            Some(p) => p.run(self.filter_type, args, false),
        }
    }
}

impl<A: Clone + 'static, E: FilterException> Pipeline<A, E> {
    pub(crate) fn new(
        steps: Steps<A, E>,
        fail_silently: bool,
        extra: serde_json::Map<String, serde_json::Value>,
    ) -> Self {
        let paths = steps.iter().map(|(p, _)| p.clone()).collect();
        Pipeline {
            steps,
            paths,
            fail_silently,
            extra,
        }
    }

    /// The pipeline semantics; `strict` (a test's) turns a step failure
    /// that would be skipped into a panic.
    pub(crate) fn run(
        &self,
        filter_type: &'static str,
        args: A,
        strict: bool,
    ) -> Result<A, FilterError<E>> {
        let mut acc = args;
        for (path, step) in &self.steps {
            let span = tracing::info_span!("pipeline_step", filter_type, step = path.as_str());
            let _entered = span.enter();
            let cx = StepContext {
                filter_type,
                step: path,
                running_pipeline: &self.paths,
                extra: &self.extra,
            };
            let failure = match catching(|| step(&acc, &cx)) {
                Ok(Ok(Flow::Continue(next))) => {
                    acc = next;
                    continue;
                }
                Ok(Ok(Flow::Keep)) => continue,
                Ok(Ok(Flow::Stop)) => {
                    tracing::info!(
                        filter_type,
                        step = path.as_str(),
                        "the step stopped the pipeline"
                    );
                    return Ok(acc);
                }
                // The action is refused on purpose: not a failure of the
                // plugin, so below the level of a real error.
                Ok(Err(StepError::Halt(exception))) => {
                    tracing::info!(filter_type, step = path.as_str(), exception = %exception, "the step halted the action");
                    return Err(FilterError::Halted {
                        step: path.clone(),
                        exception,
                    });
                }
                Ok(Err(StepError::Error(e))) => Outcome::Error(e),
                Err(panic) => Outcome::Panic(panic),
            };
            tracing::error!(filter_type, step = path.as_str(), outcome = %failure, fail_silently = self.fail_silently, "pipeline step failed");
            if strict {
                panic!("strict mode: step `{path}` of {filter_type} failed: {failure}");
            }
            if !self.fail_silently {
                return Err(FilterError::Step {
                    step: path.clone(),
                    outcome: failure,
                });
            }
        }
        Ok(acc)
    }
}

impl<A: 'static, E: 'static> std::fmt::Debug for Filter<A, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Filter")
            .field("filter_type", &self.filter_type)
            .field("name", &self.name)
            .field(
                "pipeline",
                &self.pipeline.load().as_deref().map(|p| p.paths.clone()),
            )
            .finish()
    }
}
