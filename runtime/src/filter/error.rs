//! What `run_filter` returns when the pipeline does not complete.

use std::fmt;

use crate::hook::call::Outcome;

/// Why a filter's pipeline did not return arguments.
#[derive(Debug)]
#[non_exhaustive]
pub enum FilterError<E> {
    /// A step halted the action with one of the filter's exceptions (the
    /// platform turns it into a redirect, an error page or a refusal).
    Halted {
        /// The step's path.
        step: String,
        /// The exception.
        exception: E,
    },
    /// A step returned an error or panicked, and the pipeline is not
    /// `fail_silently`.
    Step {
        /// The step's path.
        step: String,
        /// What it did.
        outcome: Outcome,
    },
}

impl<E> FilterError<E> {
    /// The halting exception, if a step halted.
    pub fn exception(&self) -> Option<&E> {
        match self {
            FilterError::Halted { exception, .. } => Some(exception),
            FilterError::Step { .. } => None,
        }
    }

    /// The step that stopped the pipeline.
    pub fn step(&self) -> &str {
        match self {
            FilterError::Halted { step, .. } | FilterError::Step { step, .. } => step,
        }
    }
}

impl<E: fmt::Display> fmt::Display for FilterError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterError::Halted { step, exception } => {
                write!(f, "step `{step}` halted the action: {exception}")
            }
            FilterError::Step { step, outcome } => write!(f, "step `{step}` failed: {outcome}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for FilterError<E> {}
