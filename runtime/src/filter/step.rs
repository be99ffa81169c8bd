//! What a pipeline step is: a function of the accumulated arguments that
//! continues (with changed arguments or not), stops the pipeline, or halts
//! the whole action with one of the filter's exceptions.

use crate::BoxError;

/// What the Open edX platform does with a halting exception: every filter
/// exception carries a message, where to redirect and a status code, as
/// openedx-filters' `OpenEdxFilterException` does.
pub trait FilterException: std::error::Error + Send + Sync + 'static {
    /// A message for people (`""` when none).
    fn message(&self) -> &str;
    /// Where to redirect (`""` when none).
    fn redirect_to(&self) -> &str;
    /// The HTTP status code to answer with, if any.
    fn status_code(&self) -> Option<u16>;
}

/// What a step decided.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Flow<A> {
    /// Go on with these arguments (the step changed them).
    Continue(A),
    /// Go on with the arguments as they were (the reference's `{}`).
    Keep,
    /// Stop the pipeline here and return the arguments as they are (the
    /// reference's `return None`). Not an error.
    Stop,
}

/// Why a step did not continue.
#[derive(Debug)]
#[non_exhaustive]
pub enum StepError<E> {
    /// Halt the whole action with one of the filter's exceptions: always
    /// propagates to the caller, whatever `fail_silently` says.
    Halt(E),
    /// The step failed; skipped when the pipeline is `fail_silently`,
    /// propagated otherwise.
    Error(BoxError),
}

// Any error converts, so a step can use `?`; a filter exception is halted
// with [`StepError::Halt`] on purpose, never by accident.
impl<E, X: Into<BoxError>> From<X> for StepError<E> {
    fn from(e: X) -> Self {
        StepError::Error(e.into())
    }
}

/// What one step returns.
pub type StepResult<A, E> = Result<Flow<A>, StepError<E>>;

/// What a step is told besides the arguments: the equivalent of the
/// reference's `PipelineStep(filter_type, running_pipeline, **extra_config)`.
#[derive(Debug)]
#[non_exhaustive]
pub struct StepContext<'a> {
    /// The filter type string.
    pub filter_type: &'static str,
    /// This step's path (`my_plugin::steps::refuse`).
    pub step: &'a str,
    /// Every step path of the running pipeline, in order.
    pub running_pipeline: &'a [String],
    /// The configuration's extra keys for this filter, handed to every step.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// A step function of a filter with arguments `A` and exceptions `E`.
pub(crate) type StepFn<A, E> = dyn Fn(&A, &StepContext<'_>) -> StepResult<A, E> + Send + Sync;
