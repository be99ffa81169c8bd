//! Independent pieces of work on all cores, with results in input order so
//! output never depends on timing: how the loader reads files and the code
//! generator formats modules.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work` over `items` on up to `available_parallelism` threads (one
/// when `parallel` is false) and returns the results in the order of
/// `items`. Each thread first builds its own state with `init` (which need
/// not be `Send`: token streams, for instance, are not). `Err` carries the
/// payload of a worker that panicked, after every thread was joined.
///
/// ```
/// let squares = openedx_hooks_schema::parallel::map_ordered(&[1, 2, 3], true, || (), |_, n| n * n);
/// assert_eq!(squares.ok(), Some(vec![1, 4, 9]));
/// ```
pub fn map_ordered<T, S, R>(
    items: &[T],
    parallel: bool,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
) -> std::thread::Result<Vec<R>>
where
    T: Sync,
    R: Send,
{
    let threads = if parallel {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        1
    }
    .min(items.len())
    .max(1);
    let next = AtomicUsize::new(0);
    let run = || {
        let mut state = init();
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, work(&mut state, item)));
        }
    };
    let mut all: Vec<(usize, R)> = if threads == 1 {
        run()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(run)).collect();
            // Join every thread before looking at results: `scope` panics
            // over a panicked thread left unjoined.
            let joined: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
            let mut all = Vec::with_capacity(items.len());
            for part in joined {
                all.extend(part?);
            }
            Ok(all)
        })?
    };
    all.sort_by_key(|(i, _)| *i);
    Ok(all.into_iter().map(|(_, r)| r).collect())
}
