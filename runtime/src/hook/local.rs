//! Thread-scoped state for tests.
//!
//! cargo runs the tests of a binary in parallel threads of one process, so
//! anything process-wide leaks between tests. This state belongs to the
//! current thread and to a guard's lifetime: functions attached to a hook
//! for this thread only, isolation from process-wide ones, and strict mode.
//! It is kind-agnostic: an entry holds a hook's address and a type-erased
//! function that the hook's own module downcasts.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;

use super::id::next_id;

struct LocalEntry {
    id: u64,
    hook: *const (),
    name: &'static str,
    /// The hook kind's own function type, boxed; downcast by that kind.
    f: Rc<dyn Any>,
}

/// What the current thread's state asks of a call, read with one
/// thread-local load on the hot path.
#[derive(Clone, Copy, Default)]
pub(crate) struct Flags {
    /// Some thread-local function, isolation or strictness is in force.
    pub active: bool,
    /// Process-wide functions are skipped.
    pub isolated: bool,
    /// Failures panic.
    pub strict: bool,
}

#[derive(Default)]
struct State {
    locals: Vec<LocalEntry>,
    isolated: usize,
    strict: usize,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
    static FLAGS: Cell<Flags> = const { Cell::new(Flags { active: false, isolated: false, strict: false }) };
}

fn update(f: impl FnOnce(&mut State)) {
    STATE.with_borrow_mut(|s| {
        f(s);
        FLAGS.set(Flags {
            active: !s.locals.is_empty() || s.isolated > 0 || s.strict > 0,
            isolated: s.isolated > 0,
            strict: s.strict > 0,
        });
    });
}

/// The current thread's flags.
pub(crate) fn flags() -> Flags {
    FLAGS.get()
}

/// Attaches `f` to the hook at `hook` for this thread; detached when the
/// returned guard drops.
pub(crate) fn attach(hook: *const (), name: &'static str, f: Rc<dyn Any>) -> LocalGuard {
    let id = next_id();
    update(|s| s.locals.push(LocalEntry { id, hook, name, f }));
    LocalGuard {
        id,
        _not_send: PhantomData,
    }
}

/// This thread's functions for the hook at `hook`, in attach order. A copy:
/// a function may attach or detach others while the list is walked.
pub(crate) fn attached(hook: *const ()) -> Vec<(&'static str, Rc<dyn Any>)> {
    STATE.with_borrow(|s| {
        s.locals
            .iter()
            .filter(|e| e.hook == hook)
            .map(|e| (e.name, Rc::clone(&e.f)))
            .collect()
    })
}

/// Keeps a thread-local function attached; detaches it on drop.
pub(crate) struct LocalGuard {
    id: u64,
    // Thread-bound: dropping on another thread would miss the thread-local list.
    _not_send: PhantomData<*const ()>,
}

impl LocalGuard {
    pub(crate) fn id(&self) -> u64 {
        self.id
    }
}

impl Drop for LocalGuard {
    fn drop(&mut self) {
        let id = self.id;
        // The thread may be exiting, with its locals already gone.
        let _ = STATE.try_with(|_| update(|s| s.locals.retain(|e| e.id != id)));
    }
}

/// While alive, calls from this thread skip process-wide functions and reach
/// only this thread's own.
#[must_use = "isolation ends when this guard is dropped"]
pub struct Isolation(PhantomData<*const ()>);

/// Isolates this thread's hook calls from process-wide receivers.
pub fn isolate() -> Isolation {
    update(|s| s.isolated += 1);
    Isolation(PhantomData)
}

impl Drop for Isolation {
    fn drop(&mut self) {
        let _ = STATE.try_with(|_| update(|s| s.isolated -= 1));
    }
}

/// While alive, a hook call from this thread in which a plugin function
/// returns an error or panics panics itself, failing the test, instead of
/// only reporting it.
#[must_use = "strict mode ends when this guard is dropped"]
pub struct Strict(PhantomData<*const ()>);

/// Turns plugin failures in this thread's hook calls into panics.
pub fn strict() -> Strict {
    update(|s| s.strict += 1);
    Strict(PhantomData)
}

impl Drop for Strict {
    fn drop(&mut self) {
        let _ = STATE.try_with(|_| update(|s| s.strict -= 1));
    }
}
