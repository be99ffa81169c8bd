//! Pipelines and recordings for one thread: what tests set up, on the hook
//! core's thread-scoped state. A thread's override replaces the configured
//! pipeline for that thread only; parallel tests never see each other's.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::error::FilterError;
use super::step::{FilterException, StepContext, StepResult};
use super::{Filter, Pipeline};
use crate::hook::id::addr_of;
use crate::hook::local::{LocalGuard, attach, attached};

/// What a thread attached to a filter: its own pipeline, or a recorder.
enum Local<A: 'static, E: 'static> {
    Pipeline(Pipeline<A, E>),
    Record(Rc<RefCell<Vec<FilterCall<A>>>>),
}

/// Runs `filter` for a thread with something attached: its own pipeline
/// when it set one (else the configured one), recording the call.
pub(crate) fn run<A: Clone + 'static, E: FilterException>(
    filter: &Filter<A, E>,
    args: A,
    strict: bool,
) -> Result<A, FilterError<E>> {
    let locals = attached(addr_of(filter));
    let mut pipeline = None;
    let mut recorders = Vec::new();
    for (_, entry) in &locals {
        match entry.downcast_ref::<Local<A, E>>() {
            Some(Local::Pipeline(p)) => pipeline = Some(p),
            Some(Local::Record(r)) => recorders.push(Rc::clone(r)),
            None => {}
        }
    }
    let input = (!recorders.is_empty()).then(|| args.clone());
    let result = match pipeline {
        Some(p) => p.run(filter.filter_type, args, strict),
        None => match filter.pipeline.load().as_deref() {
            Some(p) => p.run(filter.filter_type, args, strict),
            None => Ok(args),
        },
    };
    if let Some(input) = input {
        let output = match &result {
            Ok(a) => Ok(a.clone()),
            Err(e) => Err(e.to_string()),
        };
        for r in recorders {
            r.borrow_mut().push(FilterCall {
                input: input.clone(),
                output: output.clone(),
            });
        }
    }
    result
}

/// A step for a thread's own pipeline: a path and the function.
pub type LocalStep<A, E> = (&'static str, fn(&A, &StepContext<'_>) -> StepResult<A, E>);

/// A pipeline set for the current thread only; the configured one is back
/// when this guard drops.
#[must_use = "the pipeline override ends when this guard is dropped"]
pub struct PipelineOverride {
    _guard: LocalGuard,
}

/// Runs `steps` (`fail_silently` false: a failing step fails the call) as
/// `filter`'s pipeline for calls from this thread, until the guard drops.
pub fn override_pipeline<A: Clone + 'static, E: FilterException>(
    filter: &'static Filter<A, E>,
    steps: Vec<LocalStep<A, E>>,
) -> PipelineOverride {
    override_pipeline_with(filter, steps, false)
}

/// [`override_pipeline`] with a choice of `fail_silently`.
pub fn override_pipeline_with<A: Clone + 'static, E: FilterException>(
    filter: &'static Filter<A, E>,
    steps: Vec<LocalStep<A, E>>,
    fail_silently: bool,
) -> PipelineOverride {
    let steps = steps
        .into_iter()
        .map(|(path, f)| {
            (
                path.to_owned(),
                Arc::new(f) as Arc<super::step::StepFn<A, E>>,
            )
        })
        .collect();
    let pipeline = Pipeline::new(steps, fail_silently, serde_json::Map::new());
    let local: Local<A, E> = Local::Pipeline(pipeline);
    PipelineOverride {
        _guard: attach(addr_of(filter), filter.name, Rc::new(local)),
    }
}

/// One call of a filter from this thread.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FilterCall<A> {
    /// The arguments it was called with.
    pub input: A,
    /// What it returned; an error as its message.
    pub output: Result<A, String>,
}

/// Records the calls of one filter from this thread while it lives.
#[must_use = "recording stops when this guard is dropped"]
pub struct FilterRecording<A> {
    calls: Rc<RefCell<Vec<FilterCall<A>>>>,
    _guard: LocalGuard,
}

/// Starts recording `filter`'s calls from this thread.
pub fn record_filter<A: Clone + 'static, E: FilterException>(
    filter: &'static Filter<A, E>,
) -> FilterRecording<A> {
    let calls: Rc<RefCell<Vec<FilterCall<A>>>> = Rc::default();
    let local: Local<A, E> = Local::Record(Rc::clone(&calls));
    FilterRecording {
        calls,
        _guard: attach(addr_of(filter), filter.name, Rc::new(local)),
    }
}

impl<A: Clone> FilterRecording<A> {
    /// Every call, in order.
    pub fn calls(&self) -> Vec<FilterCall<A>> {
        self.calls.borrow().clone()
    }

    /// How many calls were recorded.
    pub fn len(&self) -> usize {
        self.calls.borrow().len()
    }

    /// Whether none was.
    pub fn is_empty(&self) -> bool {
        self.calls.borrow().is_empty()
    }
}
