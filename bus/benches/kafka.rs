//! The Kafka bus, ours and the Python reference's (edx-event-bus-kafka
//! 6.1.0), side by side in one run on one local broker (tansu) with the
//! in-process schema registry: producer and consumer throughput, and
//! end-to-end latency at a rate both sustain.
//!
//! ```sh
//! cargo bench -p openedx-hooks-bus --features kafka --bench kafka                # 100,000 events; the reference 5,000
//! cargo bench -p openedx-hooks-bus --features kafka --bench kafka -- 20000 2000  # ours, the reference's
//! ```
//!
//! The reference's consumer starts at the end of a topic, so it runs while
//! its producer fills the topic; ours reads a filled topic. Rates are per
//! second. A bench binary, not a timed test.

// Linked for its events' registrations.
extern crate openedx_events;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use openedx_events::learning::{
    SESSION_LOGIN_COMPLETED, SessionLoginCompleted, UserData, UserPersonalData,
};
use openedx_hooks::EventMetadata;
use openedx_hooks::wire::avro;
use openedx_hooks_bus::{
    BusEvent, BusUrl, Consumer, ConsumerSettings, Dispatch, Producer, ProducerConfig,
    ProducerSettings, admin,
};
use openedx_hooks_tests::kafka::{Registry, Tansu};
use openedx_hooks_tests::redis::unique;

const LATENCY_RATE: f64 = 1_000.0;
const LATENCY_EVENTS: u64 = 3_000;
const KEY: &str = "user.pii.username";

fn payload() -> SessionLoginCompleted {
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

struct Figures {
    events: u64,
    /// Until every send returned (queued in the client).
    queued: Option<Duration>,
    /// Until the broker acknowledged every event.
    produce: Duration,
    consume: Duration,
    p50_ms: f64,
    p99_ms: f64,
}

fn producer(url: &BusUrl, prefix: &str) -> Arc<Producer> {
    let settings = ProducerSettings::new(url.clone())
        .prefix(prefix)
        .queue(1_000_000, Duration::from_secs(10));
    Arc::new(Producer::new(settings).unwrap())
}

fn consumer(url: &BusUrl, prefix: &str, group: &str) -> Consumer {
    Consumer::new(
        ConsumerSettings::new(url.clone(), "bench", group)
            .prefix(prefix)
            .reads(500, Duration::from_millis(100)),
    )
    .unwrap()
}

/// Consumes with `Dispatch` and one receiver until `n`; the time from the
/// first event and the latencies (ms).
fn consume(c: &Consumer, n: u64) -> (Duration, Vec<f64>) {
    let handled = Arc::new(AtomicU64::new(0));
    let first = Arc::new(std::sync::Mutex::new(None::<Instant>));
    let latencies = Arc::new(std::sync::Mutex::new(Vec::with_capacity(n as usize)));
    let stop = c.stop_handle();
    let conn = {
        let (handled, latencies, first) = (
            Arc::clone(&handled),
            Arc::clone(&latencies),
            Arc::clone(&first),
        );
        SESSION_LOGIN_COMPLETED.connect(move |_: &SessionLoginCompleted, meta: &EventMetadata| {
            first.lock().unwrap().get_or_insert_with(Instant::now);
            let ms = jiff::Timestamp::now()
                .duration_since(meta.time)
                .as_secs_f64()
                * 1000.0;
            latencies.lock().unwrap().push(ms);
            if handled.fetch_add(1, Ordering::Relaxed) + 1 >= n {
                stop.stop();
            }
            Ok(())
        })
    };
    c.run(&Dispatch).unwrap();
    let took = first
        .lock()
        .unwrap()
        .map_or(Duration::ZERO, |t| t.elapsed());
    conn.disconnect();
    let l = std::mem::take(&mut *latencies.lock().unwrap());
    (took, l)
}

fn percentile(sorted: &[f64], p: usize) -> f64 {
    sorted
        .get((sorted.len() * p / 100).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or(f64::NAN)
}

fn ours(url: &BusUrl, n: u64) -> Figures {
    let prefix = unique("bench-rs");
    admin::create_topics(url, &[&format!("{prefix}-bench")], 1).unwrap();
    let p = producer(url, &prefix);
    let config =
        ProducerConfig::default().topic(SESSION_LOGIN_COMPLETED.event_type(), "bench", KEY);
    p.install(config).unwrap();
    // The production path: platform code's `send_event`.
    let start = Instant::now();
    for _ in 0..n {
        let report = SESSION_LOGIN_COMPLETED.send_event(payload());
        assert!(report.is_ok(), "{report}");
    }
    openedx_hooks::outbound::uninstall();
    let queued = start.elapsed();
    p.flush(Duration::from_secs(300)).unwrap();
    let produce = start.elapsed();
    assert_eq!(p.stats().sent, n, "{:?}", p.stats());
    let (consumed, _) = consume(&consumer(url, &prefix, "throughput"), n);

    let prefix = unique("bench-rs-e2e");
    admin::create_topics(url, &[&format!("{prefix}-bench")], 1).unwrap();
    let p = producer(url, &prefix);
    let c = consumer(url, &prefix, "latency");
    let mut lat = std::thread::scope(|s| {
        let h = s.spawn(|| consume(&c, LATENCY_EVENTS).1);
        // A new group gets its partition after a few seconds on tansu.
        std::thread::sleep(Duration::from_secs(6));
        let start = Instant::now();
        for i in 0..LATENCY_EVENTS {
            let due = start + Duration::from_secs_f64(i as f64 / LATENCY_RATE);
            if let Some(pause) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(pause);
            }
            let meta = EventMetadata::new(SESSION_LOGIN_COMPLETED.event_type(), 0);
            let event = BusEvent::new(meta, avro::to_vec(&payload()));
            let _ = p.send_keyed("bench", &event, Some(KEY)).unwrap();
        }
        p.flush(Duration::from_secs(60)).unwrap();
        h.join().unwrap()
    });
    lat.sort_by(f64::total_cmp);
    Figures {
        events: n,
        queued: Some(queued),
        produce,
        consume: consumed,
        p50_ms: percentile(&lat, 50),
        p99_ms: percentile(&lat, 99),
    }
}

fn python(broker: &Tansu, registry: &Registry, url: &BusUrl, n: u64) -> Figures {
    let script = openedx_hooks_tests::workspace_root().join("tests/bus/kafka_reference.py");
    let py = openedx_hooks_tests::python::reference_python();
    let (bootstrap, reg) = (broker.bootstrap(), registry.url());
    let run = |prefix: &str, n: u64, rate: f64| -> (serde_json::Value, serde_json::Value) {
        admin::create_topics(url, &[&format!("{prefix}-bench")], 1).unwrap();
        let mut consumer = Command::new(&py)
            .arg(&script)
            .args(["bench-consume", &bootstrap, &reg, prefix, "bench", "g"])
            .arg(n.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(consumer.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready");
        let produced = Command::new(&py)
            .arg(&script)
            .args(["bench-produce", &bootstrap, &reg, prefix, "bench"])
            .arg(n.to_string())
            .arg(rate.to_string())
            .output()
            .unwrap();
        assert!(
            produced.status.success(),
            "{}",
            String::from_utf8_lossy(&produced.stderr)
        );
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
        consumer.wait().unwrap();
        let parse =
            |t: &str| serde_json::from_str(t.lines().last().unwrap_or("")).expect("figures");
        (
            parse(&String::from_utf8_lossy(&produced.stdout)),
            parse(&rest),
        )
    };
    let (produced, consumed) = run(&unique("bench-py"), n, 0.0);
    let (_, latency) = run(&unique("bench-py-e2e"), LATENCY_EVENTS, LATENCY_RATE);
    let secs = |v: &serde_json::Value| Duration::from_secs_f64(v["seconds"].as_f64().unwrap());
    Figures {
        events: n,
        queued: None,
        produce: secs(&produced),
        consume: secs(&consumed),
        p50_ms: latency["p50_ms"].as_f64().unwrap(),
        p99_ms: latency["p99_ms"].as_f64().unwrap(),
    }
}

fn rate(f: &Figures, d: Duration) -> f64 {
    f.events as f64 / d.as_secs_f64()
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(100_000);
    let n_py = args.get(1).copied().unwrap_or(5_000);
    let broker = Tansu::start();
    let registry = Registry::start();
    let url: BusUrl = broker.url().parse().unwrap();
    let url = url.with_schema_registry(registry.url());
    let rs = ours(&url, n);
    let py = python(&broker, &registry, &url, n_py);
    println!("Kafka bus, one local tansu broker ({})", broker.url());
    println!(
        "{:<28} {:>18} {:>20} {:>8}",
        "", "openedx-hooks-bus", "edx-event-bus-kafka", "ratio"
    );
    println!("{:<28} {:>18} {:>20}", "events", rs.events, py.events);
    let row = |name: &str, a: f64, b: f64| {
        println!("{name:<28} {a:>18.0} {b:>20.0} {:>7.1}x", a / b);
    };
    if let Some(q) = rs.queued {
        println!(
            "{:<28} {:>18.0} {:>20}",
            "producer, queued/s",
            rate(&rs, q),
            "-"
        );
    }
    row(
        "producer, stored/s",
        rate(&rs, rs.produce),
        rate(&py, py.produce),
    );
    row(
        "consumer (1 receiver), /s",
        rate(&rs, rs.consume),
        rate(&py, py.consume),
    );
    println!("end-to-end latency, {LATENCY_EVENTS} events at {LATENCY_RATE} a second:");
    println!(
        "{:<28} {:>18.2} {:>20.2}",
        "  p50, ms", rs.p50_ms, py.p50_ms
    );
    println!(
        "{:<28} {:>18.2} {:>20.2}",
        "  p99, ms", rs.p99_ms, py.p99_ms
    );
}
