//! The compatibility gate on two 10,000-event catalogs, 1% of the data
//! classes changed, loading both included.
//!
//! `cargo bench -p openedx-hooks-tests --bench diff`

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use openedx_hooks_schema::Loader;
use openedx_hooks_schema::diff::{Mode, diff};

fn bench(c: &mut Criterion) {
    let old = openedx_hooks_tests::synthetic::catalog(10_000, 10_000);
    let new = openedx_hooks_tests::synthetic::catalog_mutated(10_000, 10_000, 100);
    let (old, new) = (
        openedx_hooks_tests::synthetic::as_refs(&old),
        openedx_hooks_tests::synthetic::as_refs(&new),
    );
    let mut g = c.benchmark_group("compat_10k");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("load_both_and_diff", |b| {
        b.iter(|| {
            let o = Loader::new().load_texts(&old).catalog.expect("valid");
            let n = Loader::new().load_texts(&new).catalog.expect("valid");
            let report = diff(&o, &n, Mode::Full);
            assert!(report.minor() > 0);
            report
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
