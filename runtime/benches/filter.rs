//! `run_filter` cost with 0, 1 and 5 steps (each step keeping the
//! arguments), and with one step that changes them (a clone of the
//! arguments). `cargo bench -p openedx-hooks --bench filter`

use std::fmt;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use openedx_hooks::filter::{
    Filter, FilterException, FiltersConfig, Flow, StepContext, StepResult, configure_filters,
};

/// Arguments shaped like CERTIFICATE_CREATION_REQUESTED's.
#[derive(Debug, Clone, PartialEq)]
struct Certificate {
    user: u64,
    course_key: String,
    mode: String,
    grade: f64,
}

#[derive(Debug)]
struct Prevent;

impl fmt::Display for Prevent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("prevented")
    }
}

impl std::error::Error for Prevent {}

impl FilterException for Prevent {
    fn message(&self) -> &str {
        "prevented"
    }
    fn redirect_to(&self) -> &str {
        ""
    }
    fn status_code(&self) -> Option<u16> {
        None
    }
}

static NONE: Filter<Certificate, Prevent> = Filter::new("org.example.bench.none.v1", "NONE");
static ONE: Filter<Certificate, Prevent> = Filter::new("org.example.bench.one.v1", "ONE");
static FIVE: Filter<Certificate, Prevent> = Filter::new("org.example.bench.five.v1", "FIVE");
static CHANGE: Filter<Certificate, Prevent> = Filter::new("org.example.bench.change.v1", "CHANGE");
openedx_hooks::__private_v3::register_filter!(NONE);
openedx_hooks::__private_v3::register_filter!(ONE);
openedx_hooks::__private_v3::register_filter!(FIVE);
openedx_hooks::__private_v3::register_filter!(CHANGE);

fn keep(c: &Certificate, _: &StepContext<'_>) -> StepResult<Certificate, Prevent> {
    black_box(c.grade);
    Ok(Flow::Keep)
}

fn honor(c: &Certificate, _: &StepContext<'_>) -> StepResult<Certificate, Prevent> {
    Ok(Flow::Continue(Certificate {
        mode: "honor".into(),
        ..c.clone()
    }))
}

fn bench(c: &mut Criterion) {
    for f in [&ONE, &FIVE] {
        f.add_step("bench::keep", keep);
    }
    for i in 0..5 {
        FIVE.add_step(format!("bench::keep{i}"), keep);
    }
    CHANGE.add_step("bench::honor", honor);
    let config = FiltersConfig::new()
        .pipeline("org.example.bench.one.v1", ["bench::keep"])
        .pipeline(
            "org.example.bench.five.v1",
            (0..5).map(|i| format!("bench::keep{i}")),
        )
        .pipeline("org.example.bench.change.v1", ["bench::honor"]);
    configure_filters(&config).expect("valid");
    let args = Certificate {
        user: 42,
        course_key: "course-v1:edX+DemoX+Demo_Course".into(),
        mode: "verified".into(),
        grade: 0.91,
    };
    let mut g = c.benchmark_group("run_filter");
    // The arguments are the caller's: built outside the timing, consumed
    // (returned) by the call, dropped outside it.
    for (name, filter) in [
        ("0_steps", &NONE),
        ("1_step", &ONE),
        ("5_steps", &FIVE),
        ("1_step_changing", &CHANGE),
    ] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || args.clone(),
                |a| filter.run_filter(a),
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
