//! `send_event` cost with 0, 1 and 10 receivers (metadata included), and
//! connect + disconnect. `cargo bench -p openedx-hooks --bench send`

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use openedx_hooks::{BoxError, EventMetadata, Signal};

/// A payload shaped like STUDENT_REGISTRATION_COMPLETED's.
#[derive(Debug, Clone, PartialEq)]
struct User {
    id: i64,
    is_active: bool,
    username: String,
    email: String,
    name: String,
}
impl openedx_hooks::Payload for User {}

static NONE: Signal<User> = Signal::new("org.example.bench.user.none.v1", "NONE", 1, 0);
static ONE: Signal<User> = Signal::new("org.example.bench.user.one.v1", "ONE", 1, 0);
static TEN: Signal<User> = Signal::new("org.example.bench.user.ten.v1", "TEN", 1, 0);
static CHURN: Signal<User> = Signal::new("org.example.bench.user.churn.v1", "CHURN", 1, 0);

fn receiver(u: &User, m: &EventMetadata) -> Result<(), BoxError> {
    black_box((u.id, m.minor_version));
    Ok(())
}

fn bench(c: &mut Criterion) {
    let user = User {
        id: 42,
        is_active: true,
        username: "ada".into(),
        email: "ada@example.com".into(),
        name: "Ada Lovelace".into(),
    };
    ONE.connect(receiver);
    for _ in 0..10 {
        TEN.connect(receiver);
    }
    let mut g = c.benchmark_group("send_event");
    // The payload is built outside the timing (it is the caller's); the send
    // consumes and drops it, which is timed.
    for (name, signal) in [
        ("0_receivers", &NONE),
        ("1_receiver", &ONE),
        ("10_receivers", &TEN),
    ] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || user.clone(),
                |u| signal.send_event(u),
                BatchSize::SmallInput,
            )
        });
    }
    g.bench_function("metadata_only", |b| {
        b.iter(|| EventMetadata::new(black_box("org.example.bench.user.one.v1"), 0))
    });
    g.finish();
    c.bench_function("connect_disconnect", |b| {
        b.iter(|| CHURN.connect(receiver).disconnect())
    });
}

criterion_group!(benches, bench);

fn parts(c: &mut Criterion) {
    let user = User {
        id: 1,
        is_active: true,
        username: "ada".into(),
        email: "ada@example.com".into(),
        name: "Ada".into(),
    };
    c.bench_function("part/uuid_v4", |b| b.iter(uuid::Uuid::new_v4));
    c.bench_function("part/timestamp_now", |b| b.iter(jiff::Timestamp::now));
    c.bench_function("part/systemtime_now", |b| {
        b.iter(std::time::SystemTime::now)
    });
    c.bench_function("part/drop_payload", |b| {
        b.iter_batched(|| user.clone(), drop, BatchSize::SmallInput)
    });
}
criterion_group!(parts_group, parts);
criterion_main!(benches, parts_group);
