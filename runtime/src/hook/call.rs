//! Calling a plugin's function: an error or a panic in one plugin never
//! unwinds into platform code, it becomes an [`Outcome`].

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::BoxError;

/// One plugin function's result: a receiver's, or later a pipeline step's.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// It returned `Ok`.
    Ok,
    /// It returned an error.
    Error(BoxError),
    /// It panicked; the panic message.
    Panic(String),
}

impl Outcome {
    /// Whether the function succeeded.
    pub fn is_ok(&self) -> bool {
        matches!(self, Outcome::Ok)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok => f.write_str("ok"),
            Outcome::Error(e) => write!(f, "error: {e}"),
            Outcome::Panic(m) => write!(f, "panic: {m}"),
        }
    }
}

/// Runs `f`, catching a panic: `Err` is the panic's message. For plugin
/// functions whose result is richer than `Result<T, BoxError>` (a pipeline
/// step's, an event-bus handler's).
///
/// ```
/// let caught = openedx_hooks::catch_panic(|| -> u8 { panic!("receiver bug") });
/// assert_eq!(caught, Err("receiver bug".to_owned()));
/// ```
pub fn catching<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| panic_message(&*panic))
}

/// Runs `f`, catching a panic. `Ok(value)` when it returned normally; the
/// failure as an [`Outcome`] (never [`Outcome::Ok`]) otherwise.
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T, BoxError>) -> Result<T, Outcome> {
    match catching(f) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(Outcome::Error(e)),
        Err(panic) => Err(Outcome::Panic(panic)),
    }
}

/// Runs a function that returns nothing on success.
pub(crate) fn call(f: impl FnOnce() -> Result<(), BoxError>) -> Outcome {
    match guarded(f) {
        Ok(()) => Outcome::Ok,
        Err(failure) => failure,
    }
}

/// [`call`] through a trait object: compiled once instead of once per
/// closure type, for paths where one more indirect call does not matter
/// (a test's thread-local receivers).
pub(crate) fn call_dyn(f: &mut dyn FnMut() -> Result<(), BoxError>) -> Outcome {
    call(f)
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".to_owned())
}
