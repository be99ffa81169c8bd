//! Link-time registration, shared by every kind of hook.
//!
//! Generated code registers each hook static in a `linkme` slice of its
//! kind, and attributes such as `#[receiver]` register plugin functions in
//! another; each kind declares its own slices with the types here. Nothing
//! runs before `main`: a hook installs its registered functions on first use.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// A function registered at link time for a hook whose type-erased handle
/// is `H` (`dyn AnySignal` for receivers).
#[doc(hidden)]
pub struct Registration<H: ?Sized + 'static> {
    /// `crate::module::function`.
    pub path: &'static str,
    /// Returns the hook it attaches to and, when asked, attaches it first
    /// (once, on the hook's first use). One function, so the attribute names
    /// the hook once and a wrong path gives one error.
    pub hook: fn(install: bool) -> &'static H,
}

/// Installs every registration in `slice` whose hook is the one at `addr`.
pub(crate) fn install<H: ?Sized + 'static>(slice: &[Registration<H>], addr: *const ()) {
    for reg in slice {
        if std::ptr::addr_eq((reg.hook)(false) as *const H, addr) {
            (reg.hook)(true);
        }
    }
}

/// Linked hooks by their type string. The first definition wins; a
/// duplicate is a build mistake worth a log line.
pub(crate) fn index_by_type<H: ?Sized + 'static>(
    hooks: &[&'static H],
    type_of: impl Fn(&H) -> &'static str,
) -> HashMap<&'static str, &'static H> {
    let mut map = HashMap::with_capacity(hooks.len());
    for &hook in hooks {
        match map.entry(type_of(hook)) {
            Entry::Vacant(v) => {
                v.insert(hook);
            }
            Entry::Occupied(_) => {
                tracing::warn!(hook_type = type_of(hook), "hook type linked twice");
            }
        }
    }
    map
}
