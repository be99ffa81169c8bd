//! What the bus benchmarks share: the event sent, consuming with one
//! receiver while recording latencies, and the side-by-side table.

#![allow(dead_code)] // Each bench uses its part.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use openedx_events::learning::{
    SESSION_LOGIN_COMPLETED, SessionLoginCompleted, UserData, UserPersonalData,
};
use openedx_hooks::EventMetadata;
use openedx_hooks_bus::{Consumer, Dispatch};

/// Latency is measured at one rate both sides sustain, over this many events.
pub const LATENCY_RATE: f64 = 1_000.0;
pub const LATENCY_EVENTS: u64 = 3_000;

/// The event every run sends.
pub fn payload() -> SessionLoginCompleted {
    SessionLoginCompleted {
        user: UserData {
            id: 1,
            is_active: true,
            pii: UserPersonalData {
                username: "ada".into(),
                email: String::new(),
                name: String::new(),
            },
        },
    }
}

/// One side's figures.
pub struct Figures {
    pub events: u64,
    /// From creating the producer until its first event was stored, when
    /// that is timed apart from the throughput that follows (a one-time
    /// cost: connecting, and for an idempotent producer its id).
    pub start: Option<Duration>,
    /// Until every send returned (queued in the client), when that differs
    /// from stored.
    pub queued: Option<Duration>,
    /// Until every event was stored (or acknowledged) by the server.
    pub produce: Duration,
    pub consume: Duration,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Figures {
    /// The Python reference's figures from the JSON lines its harness
    /// prints: the producer's and consumer's `seconds`, the latency run's
    /// `p50_ms` and `p99_ms`.
    pub fn from_python(
        events: u64,
        produced: &serde_json::Value,
        consumed: &serde_json::Value,
        latency: &serde_json::Value,
    ) -> Figures {
        let secs = |v: &serde_json::Value| Duration::from_secs_f64(v["seconds"].as_f64().unwrap());
        Figures {
            events,
            start: produced
                .get("start_seconds")
                .and_then(serde_json::Value::as_f64)
                .map(Duration::from_secs_f64),
            queued: None,
            produce: secs(produced),
            consume: secs(consumed),
            p50_ms: latency["p50_ms"].as_f64().unwrap(),
            p99_ms: latency["p99_ms"].as_f64().unwrap(),
        }
    }
}

/// Runs a consumer with `Dispatch` (one receiver connected) until `n` were
/// handled; the time from the first event to the `n`th, as the reference's
/// harness times it (the consumer's stop, its last commit and leaving its
/// group come after), and the receiver's latencies (ms, its time minus the
/// event's), sorted.
pub fn consume(c: &Consumer, n: u64) -> (Duration, Vec<f64>) {
    let handled = Arc::new(AtomicU64::new(0));
    let first = Arc::new(std::sync::Mutex::new(None::<Instant>));
    let last = Arc::new(std::sync::Mutex::new(None::<Instant>));
    let latencies = Arc::new(std::sync::Mutex::new(Vec::with_capacity(n as usize)));
    let stop = c.stop_handle();
    let conn = {
        let (handled, latencies, first, last) = (
            Arc::clone(&handled),
            Arc::clone(&latencies),
            Arc::clone(&first),
            Arc::clone(&last),
        );
        SESSION_LOGIN_COMPLETED.connect(move |_: &SessionLoginCompleted, meta: &EventMetadata| {
            first.lock().unwrap().get_or_insert_with(Instant::now);
            let ms = jiff::Timestamp::now()
                .duration_since(meta.time)
                .as_secs_f64()
                * 1000.0;
            latencies.lock().unwrap().push(ms);
            if handled.fetch_add(1, Ordering::Relaxed) + 1 >= n {
                last.lock().unwrap().get_or_insert_with(Instant::now);
                stop.stop();
            }
            Ok(())
        })
    };
    c.run(&Dispatch).unwrap();
    let took = match (*first.lock().unwrap(), *last.lock().unwrap()) {
        (Some(first), Some(last)) => last - first,
        _ => Duration::ZERO,
    };
    conn.disconnect();
    let mut l = std::mem::take(&mut *latencies.lock().unwrap());
    l.sort_by(f64::total_cmp);
    (took, l)
}

/// The `p`th percentile of sorted values.
pub fn percentile(sorted: &[f64], p: usize) -> f64 {
    sorted
        .get((sorted.len() * p / 100).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or(f64::NAN)
}

/// Sleeps until event `i` of a run paced at `LATENCY_RATE` is due.
pub fn pace(start: Instant, i: u64) {
    let due = start + Duration::from_secs_f64(i as f64 / LATENCY_RATE);
    if let Some(pause) = due.checked_duration_since(Instant::now()) {
        std::thread::sleep(pause);
    }
}

fn rate(events: u64, d: Duration) -> f64 {
    events as f64 / d.as_secs_f64()
}

/// Prints ours and the reference's figures side by side.
pub fn print_table(title: &str, reference: &str, rs: &Figures, py: &Figures) {
    println!("{title}");
    println!(
        "{:<28} {:>18} {:>20} {:>8}",
        "", "openedx-hooks-bus", reference, "ratio"
    );
    println!("{:<28} {:>18} {:>20}", "events", rs.events, py.events);
    if let (Some(a), Some(b)) = (rs.start, py.start) {
        println!(
            "{:<28} {:>18.0} {:>20.0}",
            "producer start, ms",
            a.as_secs_f64() * 1000.0,
            b.as_secs_f64() * 1000.0
        );
    }
    let row = |name: &str, a: f64, b: f64| {
        println!("{name:<28} {a:>18.0} {b:>20.0} {:>7.1}x", a / b);
    };
    if let Some(q) = rs.queued {
        println!(
            "{:<28} {:>18.0} {:>20}",
            "producer, queued/s",
            rate(rs.events, q),
            "-"
        );
    }
    row(
        "producer, stored/s",
        rate(rs.events, rs.produce),
        rate(py.events, py.produce),
    );
    row(
        "consumer (1 receiver), /s",
        rate(rs.events, rs.consume),
        rate(py.events, py.consume),
    );
    println!(
        "end-to-end latency, {LATENCY_EVENTS} events at {LATENCY_RATE} a second (send to receiver):"
    );
    println!(
        "{:<28} {:>18.2} {:>20.2}",
        "  p50, ms", rs.p50_ms, py.p50_ms
    );
    println!(
        "{:<28} {:>18.2} {:>20.2}",
        "  p99, ms", rs.p99_ms, py.p99_ms
    );
}
