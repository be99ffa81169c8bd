//! Process-unique ids of attached functions (receivers, local receivers,
//! later pipeline steps): one counter, so an id never names two things.

use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh id; never 0, never repeated in this process.
pub(crate) fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// The address of a hook static, the key under which thread-scoped state
/// and link-time registrations find it (hooks are statics: the address is
/// stable for the life of the process).
pub(crate) fn addr_of<T: ?Sized>(hook: &T) -> *const () {
    hook as *const T as *const ()
}
