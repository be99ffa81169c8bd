//! Rust generation for the synthetic 10,000-event / 10,000-type catalog,
//! loading and prettyplease formatting included.
//!
//! `cargo bench -p openedx-hooks-tests --bench codegen`

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use openedx_hooks_codegen::{RustOptions, generate_rust};
use openedx_hooks_schema::Loader;

fn bench(c: &mut Criterion) {
    let files = openedx_hooks_tests::synthetic::catalog(10_000, 10_000);
    let refs = openedx_hooks_tests::synthetic::as_refs(&files);
    let mut g = c.benchmark_group("codegen_10k");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("load_generate_format", |b| {
        b.iter(|| {
            let catalog = Loader::new().load_texts(&refs).catalog.expect("valid");
            generate_rust(&catalog, &RustOptions::default()).expect("generates")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
