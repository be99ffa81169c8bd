//! Load + validate a synthetic catalog of 10,000 events and 10,000 data
//! classes (~10 fields each), against parsing the same YAML alone with the
//! YAML crates the loader is built on: the bare saphyr-parser event stream
//! (the strictest baseline) and saphyr's own span-carrying document loader
//! (`MarkedYamlOwned`, the tree a YAML user would parse into).
//!
//! `cargo bench -p openedx-hooks-tests --bench load`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use openedx_hooks_schema::Loader;
use saphyr::{LoadableYamlNode, MarkedYamlOwned};
use saphyr_parser::Parser;

fn bench(c: &mut Criterion) {
    let files = openedx_hooks_tests::synthetic::catalog(10_000, 10_000);
    let refs = openedx_hooks_tests::synthetic::as_refs(&files);
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut g = c.benchmark_group("catalog_10k");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("yaml_parse_only", |b| {
        b.iter(|| {
            let mut events = 0usize;
            for (_, text) in &refs {
                let mut p = Parser::new_from_str(text);
                while let Some(ev) = p.next_event() {
                    black_box(ev.expect("valid YAML"));
                    events += 1;
                }
            }
            events
        })
    });
    g.bench_function("yaml_document_with_spans", |b| {
        b.iter(|| {
            refs.iter()
                .map(|(_, text)| MarkedYamlOwned::load_from_str(text).expect("valid YAML"))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("load_and_validate", |b| {
        b.iter(|| {
            let outcome = Loader::new().load_texts(black_box(&refs));
            assert!(outcome.catalog.is_some());
            outcome
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
