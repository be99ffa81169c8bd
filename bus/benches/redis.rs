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

mod common;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{
    Figures, LATENCY_EVENTS, LATENCY_RATE, consume, pace, payload, percentile, print_table,
};
use openedx_events::learning::{SESSION_LOGIN_COMPLETED, SessionLoginCompleted};
use openedx_hooks::wire::avro;
use openedx_hooks::{EventMetadata, Signal};
use openedx_hooks_bus::{
    BusEvent, Consumer, ConsumerSettings, Producer, ProducerConfig, ProducerSettings,
};
use openedx_hooks_tests::redis::{Redis, unique};

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

/// Sends without local dispatch (the latency run has a local receiver),
/// paced at `LATENCY_RATE`.
fn publish_all(p: &Producer, signal: &Signal<SessionLoginCompleted>, n: u64) {
    let start = Instant::now();
    for i in 0..n {
        pace(start, i);
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
        publish_all(&p, &SESSION_LOGIN_COMPLETED, LATENCY_EVENTS);
        h.join().unwrap()
    });
    lat.sort_by(f64::total_cmp);
    Figures {
        start: None,
        events: n,
        queued: None,
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
    Figures::from_python(n, &produced, &consumed, &e2e)
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
    print_table(
        &format!(
            "Redis Streams bus, one local redis-server ({})",
            redis.url()
        ),
        "edx-event-bus-redis",
        &rs,
        &py,
    );
}
