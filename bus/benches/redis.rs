//! The Redis Streams bus, ours and the Python reference's, side by side in
//! one run on one local redis-server: producer and consumer throughput, and
//! end-to-end latency (handled time minus the event's time) while both run.
//!
//! ```sh
//! cargo bench -p openedx-hooks-bus --bench redis               # 100,000 events; the reference 10,000
//! cargo bench -p openedx-hooks-bus --bench redis -- 20000 5000 # ours, the reference's
//! ```
//!
//! Rates are events per second, so the reference may run fewer events (it
//! takes minutes for 100,000). A bench binary, not a timed test.

// Linked for its events' registrations.
extern crate openedx_events;

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use openedx_events::learning::{
    SESSION_LOGIN_COMPLETED, SessionLoginCompleted, UserData, UserPersonalData,
};
use openedx_hooks::wire::avro;
use openedx_hooks::{EventMetadata, Signal};
use openedx_hooks_bus::{
    BusEvent, Consumer, ConsumerSettings, Dispatch, Producer, ProducerConfig, ProducerSettings,
};
use openedx_hooks_tests::redis::{Redis, unique};

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
    produce: Duration,
    consume: Duration,
    p50_ms: f64,
    p99_ms: f64,
}

fn producer(redis: &Redis, prefix: &str) -> Arc<Producer> {
    let settings = ProducerSettings::new(redis.url().parse().unwrap())
        .prefix(prefix)
        .max_len(1_000_000)
        .queue(100_000, Duration::from_secs(10));
    Arc::new(Producer::new(settings).unwrap())
}

/// The production path: platform code's `send_event`, the producer
/// installed for the event type (metadata, Avro and the entry made per
/// event, as the reference does in `send`).
fn send_all(p: &Arc<Producer>, n: u64) {
    let config =
        ProducerConfig::default().topic(SESSION_LOGIN_COMPLETED.event_type(), "bench", "user.id");
    p.install(config).unwrap();
    for _ in 0..n {
        let report = SESSION_LOGIN_COMPLETED.send_event(payload());
        assert!(report.is_ok(), "{report}");
    }
    openedx_hooks::outbound::uninstall();
    p.flush(Duration::from_secs(120)).unwrap();
}

/// Sends without local dispatch (the latency run has a local receiver), at
/// most `rate` a second.
fn publish_all(p: &Producer, signal: &Signal<SessionLoginCompleted>, n: u64, rate: f64) {
    let start = Instant::now();
    for i in 0..n {
        let due = start + Duration::from_secs_f64(i as f64 / rate);
        if let Some(pause) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(pause);
        }
        let meta = EventMetadata::new(signal.event_type(), signal.minor_version());
        p.publish("bench", &BusEvent::new(meta, avro::to_vec(&payload())))
            .unwrap();
    }
    p.flush(Duration::from_secs(120)).unwrap();
}

fn consumer(redis: &Redis, prefix: &str, group: &str) -> Consumer {
    Consumer::new(
        ConsumerSettings::new(redis.url().parse().unwrap(), "bench", group)
            .prefix(prefix)
            .reads(500, Duration::from_millis(100)),
    )
    .unwrap()
}

/// Runs a consumer with `Dispatch` (one receiver connected) until `n` were
/// handled; returns the time and the receiver's latencies (ms).
fn consume(c: &Consumer, n: u64) -> (Duration, Vec<f64>) {
    let handled = Arc::new(AtomicU64::new(0));
    let latencies = Arc::new(std::sync::Mutex::new(Vec::with_capacity(n as usize)));
    let stop = c.stop_handle();
    let conn = {
        let handled = Arc::clone(&handled);
        let latencies = Arc::clone(&latencies);
        SESSION_LOGIN_COMPLETED.connect(move |_: &SessionLoginCompleted, meta: &EventMetadata| {
            let now = jiff::Timestamp::now();
            let ms = now.duration_since(meta.time).as_secs_f64() * 1000.0;
            latencies.lock().unwrap().push(ms);
            if handled.fetch_add(1, Ordering::Relaxed) + 1 >= n {
                stop.stop();
            }
            Ok(())
        })
    };
    let start = Instant::now();
    c.run(&Dispatch).unwrap();
    let took = start.elapsed();
    conn.disconnect();
    let l = std::mem::take(&mut *latencies.lock().unwrap());
    (took, l)
}

fn percentile(sorted: &[f64], p: usize) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

/// Latency is measured at one rate both sides sustain, over this many events.
const LATENCY_RATE: f64 = 1_000.0;
const LATENCY_EVENTS: u64 = 3_000;

fn ours(redis: &Redis, n: u64) -> Figures {
    // Throughput, each side alone.
    let prefix = unique("bench-rs");
    let p = producer(redis, &prefix);
    let start = Instant::now();
    send_all(&p, n);
    let produce = start.elapsed();
    let (consumed, _) = consume(&consumer(redis, &prefix, "throughput"), n);
    // Latency, both running.
    let prefix = unique("bench-rs-e2e");
    let p = producer(redis, &prefix);
    let c = consumer(redis, &prefix, "latency");
    let mut lat = std::thread::scope(|s| {
        let h = s.spawn(|| consume(&c, LATENCY_EVENTS).1);
        std::thread::sleep(Duration::from_millis(200));
        publish_all(&p, &SESSION_LOGIN_COMPLETED, LATENCY_EVENTS, LATENCY_RATE);
        h.join().unwrap()
    });
    lat.sort_by(f64::total_cmp);
    Figures {
        events: n,
        produce,
        consume: consumed,
        p50_ms: percentile(&lat, 50),
        p99_ms: percentile(&lat, 99),
    }
}

fn python(redis: &Redis, n: u64) -> Figures {
    let script = openedx_hooks_tests::workspace_root().join("tests/bus/redis_reference.py");
    let py = openedx_hooks_tests::python::reference_python();
    let run = |args: &[&str]| -> serde_json::Value {
        let o = Command::new(&py)
            .arg(&script)
            .args(args)
            .output()
            .expect("runs the reference");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8_lossy(&o.stdout);
        serde_json::from_str(text.lines().last().unwrap_or("")).expect("figures")
    };
    let url = redis.url();
    let prefix = unique("bench-py");
    let count = n.to_string();
    let produced = run(&["bench-produce", &url, &prefix, "bench", &count]);
    let consumed = run(&[
        "bench-consume",
        &url,
        &prefix,
        "bench",
        "throughput",
        &count,
    ]);
    // Latency, both running: the consumer starts first.
    let prefix = unique("bench-py-e2e");
    let lat_count = LATENCY_EVENTS.to_string();
    let lat_rate = LATENCY_RATE.to_string();
    let mut consumer = Command::new(&py)
        .arg(&script)
        .args([
            "bench-consume",
            &url,
            &prefix,
            "bench",
            "latency",
            &lat_count,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    run(&[
        "bench-produce",
        &url,
        &prefix,
        "bench",
        &lat_count,
        &lat_rate,
    ]);
    let out = {
        let mut s = String::new();
        std::io::Read::read_to_string(consumer.stdout.as_mut().unwrap(), &mut s).unwrap();
        consumer.wait().unwrap();
        s
    };
    let e2e: serde_json::Value = serde_json::from_str(out.lines().last().unwrap_or("")).unwrap();
    let secs = |v: &serde_json::Value| Duration::from_secs_f64(v["seconds"].as_f64().unwrap());
    Figures {
        events: n,
        produce: secs(&produced),
        consume: secs(&consumed),
        p50_ms: e2e["p50_ms"].as_f64().unwrap(),
        p99_ms: e2e["p99_ms"].as_f64().unwrap(),
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
    let n_py = args.get(1).copied().unwrap_or(10_000);
    let redis = Redis::start(&[]);
    let rs = ours(&redis, n);
    let py = python(&redis, n_py);
    println!(
        "Redis Streams bus, one local redis-server ({})",
        redis.url()
    );
    println!(
        "{:<26} {:>16} {:>16} {:>8}",
        "", "openedx-hooks-bus", "edx-event-bus-redis", "ratio"
    );
    println!("{:<26} {:>16} {:>16}", "events", rs.events, py.events);
    let row = |name: &str, a: f64, b: f64| {
        println!("{name:<26} {a:>16.0} {b:>16.0} {:>7.1}x", a / b);
    };
    row(
        "producer, events/s",
        rate(&rs, rs.produce),
        rate(&py, py.produce),
    );
    row(
        "consumer (1 receiver), /s",
        rate(&rs, rs.consume),
        rate(&py, py.consume),
    );
    println!(
        "end-to-end latency, {LATENCY_EVENTS} events at {LATENCY_RATE} a second (send to receiver):"
    );
    println!(
        "{:<26} {:>16.2} {:>16.2}",
        "  p50, ms", rs.p50_ms, py.p50_ms
    );
    println!(
        "{:<26} {:>16.2} {:>16.2}",
        "  p99, ms", rs.p99_ms, py.p99_ms
    );
}
