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
//! Each side is timed alone: a producer with no consumer running (its
//! start, until the first event is stored, timed apart), a
//! consumer on a topic filled before it (the reference's consumer starts at
//! the end of a topic, so ours fills it once that consumer has its
//! partition; it counts from its first event). Rates are per second. A
//! bench binary, not a timed test.

// Linked for its events' registrations.
extern crate openedx_events;

mod common;
// The tests' bare consumer: the anchor reads as they do.
#[path = "../tests/common/raw.rs"]
mod raw;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{
    Figures, LATENCY_EVENTS, LATENCY_RATE, consume, pace, payload, percentile, print_table,
};
use openedx_events::learning::SESSION_LOGIN_COMPLETED;
use openedx_hooks::EventMetadata;
use openedx_hooks::wire::avro;
use openedx_hooks_bus::{
    BusEvent, BusUrl, Consumer, ConsumerSettings, Producer, ProducerConfig, ProducerSettings, admin,
};
use openedx_hooks_tests::kafka::{Registry, Tansu};
use openedx_hooks_tests::redis::unique;

const KEY: &str = "user.pii.username";

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

/// The anchor: librdkafka alone (a bare `BaseConsumer`, nothing decoded,
/// no receiver) reading the same topic's one partition from the start,
/// timed from its first message, as ours is: what the broker and the
/// client library allow on this machine. With `headers`, it also has
/// librdkafka parse each message's headers and reads their bytes, which
/// any reader of the bus's messages must.
fn bare_librdkafka(bootstrap: &str, topic: &str, n: u64, headers: bool) -> Duration {
    use rdkafka::Message;
    use rdkafka::message::Headers;
    let consumer = raw::from_start(bootstrap, "bench-bare", topic);
    let (mut seen, mut bytes, mut first) = (0u64, 0usize, None);
    while seen < n {
        match consumer.poll(Duration::from_secs(30)) {
            Some(Ok(m)) => {
                first.get_or_insert_with(Instant::now);
                bytes += m.payload().map_or(0, <[u8]>::len);
                if headers {
                    let h = m.headers().expect("headers");
                    bytes += (0..h.count())
                        .map(|i| h.get(i).value.map_or(0, <[u8]>::len))
                        .sum::<usize>();
                }
                seen += 1;
            }
            Some(Err(e)) => panic!("bare consumer: {e}"),
            None => panic!("bare consumer: nothing for 30 s after {seen} messages"),
        }
    }
    assert!(bytes > 0);
    first.map_or(Duration::ZERO, |t| t.elapsed())
}

/// The producer's anchor: librdkafka alone (a `ThreadedProducer` set up as
/// ours is: idempotent, `acks=all`, `linger.ms=5`, LZ4, the delivery reports
/// ready served after each send) storing copies of the
/// first message of `from`, its framed value, key and ten headers taken
/// as they lie, on a topic of its own: the headers built per send (the
/// record owns them), nothing formatted or encoded. What librdkafka and the
/// broker allow on this machine for these messages, timed as ours is (its
/// start apart, until every copy is stored).
fn bare_librdkafka_producer(url: &BusUrl, bootstrap: &str, from: &str, n: u64) -> Duration {
    use rdkafka::Message;
    use rdkafka::message::{Header, Headers, OwnedHeaders};
    use rdkafka::producer::{BaseRecord, Producer as _, ThreadedProducer};
    let reader = raw::from_start(bootstrap, "bench-bare-read", from);
    let first = reader
        .poll(Duration::from_secs(30))
        .expect("a message")
        .expect("read");
    let value = first.payload().unwrap_or_default().to_vec();
    let key = first.key().unwrap_or_default().to_vec();
    let headers: Vec<(String, Vec<u8>)> = first
        .headers()
        .map(|h| {
            h.iter()
                .map(|h| (h.key.to_owned(), h.value.unwrap_or_default().to_vec()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(headers.len(), 10);
    let topic = format!("{from}-bare");
    admin::create_topics(url, &[&topic], 1).unwrap();
    let producer: ThreadedProducer<_> = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("enable.idempotence", "true")
        .set("acks", "all")
        .set("linger.ms", "5")
        .set("compression.type", "lz4")
        .set("queue.buffering.max.messages", "1000000")
        .create()
        .expect("a producer");
    let send = || {
        let mut h = OwnedHeaders::new_with_capacity(headers.len());
        for (k, v) in &headers {
            h = h.insert(Header {
                key: k,
                value: Some(v),
            });
        }
        let record = BaseRecord::<[u8], [u8]>::to(&topic)
            .payload(&value)
            .key(&key)
            .headers(h);
        producer.send(record).map_err(|(e, _)| e).expect("queued");
        producer.poll(Duration::ZERO);
    };
    let stored = || {
        let _ = producer.flush(Duration::ZERO);
        while producer.in_flight_count() > 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
    };
    send();
    stored();
    let start = Instant::now();
    for _ in 0..n {
        send();
    }
    stored();
    start.elapsed()
}

fn ours(url: &BusUrl, bootstrap: &str, n: u64) -> Figures {
    let prefix = unique("bench-rs");
    admin::create_topics(url, &[&format!("{prefix}-bench")], 1).unwrap();
    // The producer's start, timed apart: the first event stored waits for
    // its connection and, idempotent, for its producer id (librdkafka asks
    // again every 500 ms until a broker is up: about a second on tansu).
    let start = Instant::now();
    let p = producer(url, &prefix);
    let config =
        ProducerConfig::default().topic(SESSION_LOGIN_COMPLETED.event_type(), "bench", KEY);
    p.install(config).unwrap();
    let report = SESSION_LOGIN_COMPLETED.send_event(payload());
    assert!(report.is_ok(), "{report}");
    p.flush(Duration::from_secs(60)).unwrap();
    let started = start.elapsed();
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
    assert_eq!(p.stats().sent, n + 1, "{:?}", p.stats());
    // The topic holds the first event and the n timed: each reader reads n.
    let (consumed, _) = consume(&consumer(url, &prefix, "throughput"), n);
    for headers in [false, true] {
        let bare = bare_librdkafka(bootstrap, &format!("{prefix}-bench"), n, headers);
        println!(
            "librdkafka alone, reading the same {n} messages{}: {:.0}/s (ours: {:.0}/s)",
            if headers { " and their headers" } else { "" },
            n as f64 / bare.as_secs_f64(),
            n as f64 / consumed.as_secs_f64()
        );
    }
    let bare = bare_librdkafka_producer(url, bootstrap, &format!("{prefix}-bench"), n);
    println!(
        "librdkafka alone, storing {n} copies of our first message: {:.0}/s (ours: {:.0}/s)",
        n as f64 / bare.as_secs_f64(),
        n as f64 / produce.as_secs_f64()
    );

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
            pace(start, i);
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
        start: Some(started),
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
    let parse = |t: &str| -> serde_json::Value {
        serde_json::from_str(t.lines().last().unwrap_or("")).expect("figures")
    };
    // The reference's consumer, once it has its partition (it starts at
    // the end of the topic, so nothing may be written before).
    let start_consumer = |prefix: &str, n: u64| {
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
        // librdkafka looks the end offset up after the assignment.
        std::thread::sleep(Duration::from_secs(2));
        (consumer, out)
    };
    let finish_consumer = |(mut consumer, mut out): (std::process::Child, BufReader<_>)| {
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
        consumer.wait().unwrap();
        parse(&rest)
    };
    let python_produce = |prefix: &str, n: u64, rate: f64| {
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
        parse(&String::from_utf8_lossy(&produced.stdout))
    };
    // Throughput, each side of the reference alone, as ours is measured:
    // its producer with no consumer running, then its consumer on a topic
    // that our producer fills (in well under a second) once it is ready.
    let prefix = unique("bench-py");
    admin::create_topics(url, &[&format!("{prefix}-bench")], 1).unwrap();
    let produced = python_produce(&prefix, n, 0.0);
    let prefix = unique("bench-py-consume");
    let consumer = start_consumer(&prefix, n);
    let p = producer(url, &prefix);
    for _ in 0..n {
        let meta = EventMetadata::new(SESSION_LOGIN_COMPLETED.event_type(), 0);
        let event = BusEvent::new(meta, avro::to_vec(&payload()));
        let _ = p.send_keyed("bench", &event, Some(KEY)).unwrap();
    }
    p.flush(Duration::from_secs(60)).unwrap();
    let consumed = finish_consumer(consumer);
    // Latency: its producer paced while its consumer reads.
    let prefix = unique("bench-py-e2e");
    let consumer = start_consumer(&prefix, LATENCY_EVENTS);
    python_produce(&prefix, LATENCY_EVENTS, LATENCY_RATE);
    let latency = finish_consumer(consumer);
    Figures::from_python(n, &produced, &consumed, &latency)
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
    let rs = ours(&url, &broker.bootstrap(), n);
    let py = python(&broker, &registry, &url, n_py);
    print_table(
        &format!("Kafka bus, one local tansu broker ({})", broker.url()),
        "edx-event-bus-kafka",
        &rs,
        &py,
    );
}
