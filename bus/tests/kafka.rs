//! The Kafka backend against a real Kafka-protocol broker (tansu) and a
//! schema registry: every event both ways with the reference's framing,
//! keys and subjects; retries, dead letters and replay; poison messages;
//! two consumers in one group across partitions.

// Linked for its events' registrations.
extern crate openedx_events;

mod common;

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use common::{catalog, login, send_logins};
use openedx_hooks::{EventMetadata, signal_by_type};
use openedx_hooks_bus::{
    BusEvent, BusUrl, Consumer, ConsumerSettings, HandleError, Handler, Producer, ProducerSettings,
    admin,
};
use openedx_hooks_tests::kafka::{Registry, Tansu};
use openedx_hooks_tests::redis::unique;

fn url(broker: &Tansu, registry: &Registry) -> BusUrl {
    let url: BusUrl = broker.url().parse().unwrap();
    url.with_schema_registry(registry.url())
}

fn settings(url: &BusUrl, prefix: &str, topic: &str, group: &str) -> ConsumerSettings {
    ConsumerSettings::new(url.clone(), topic, group)
        .prefix(prefix)
        .reads(100, Duration::from_millis(100))
}

/// Runs `consumer` until `want` events were handled by `inner` (or 60 s).
fn run_until(consumer: &Consumer, want: usize, inner: &dyn Handler) -> Vec<BusEvent> {
    let got = Mutex::new(Vec::new());
    let stop = consumer.stop_handle();
    let handler = |e: &BusEvent| -> Result<(), HandleError> {
        inner.handle(e)?;
        let mut g = got.lock().unwrap();
        g.push(e.clone());
        if g.len() >= want {
            stop.stop();
        }
        Ok(())
    };
    let watch = consumer.stop_handle();
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..600 {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            watch.stop();
        });
        consumer.run(&handler).unwrap();
        done.store(true, Ordering::SeqCst);
    });
    got.into_inner().unwrap()
}

fn ok(_: &BusEvent) -> Result<(), HandleError> {
    Ok(())
}

#[test]
fn every_event_crosses_kafka_framed_and_keyed_as_the_reference() {
    let broker = Tansu::shared();
    let registry = Registry::start();
    let url = url(&broker, &registry);
    let prefix = unique("all");
    let topic = format!("{prefix}-events");
    admin::create_topics(&url, &[&topic], 1).unwrap();
    let catalog = catalog();
    let producer = Producer::new(ProducerSettings::new(url.clone()).prefix(&prefix)).unwrap();
    let mut sent = Vec::new();
    // Each message's key, as the reference's serializer writes the key
    // field's value under the field's own schema (a string or a long).
    let mut keys = Vec::new();
    for falsy in [false, true] {
        for (event_type, payload) in openedx_hooks_tests::samples::event_payloads(&catalog, falsy) {
            let def = catalog.event_by_type(&event_type).unwrap().1;
            let key = def.key_field.as_ref().map(|k| k.dotted());
            keys.push(key.as_ref().map(|path| {
                let value = path.split('.').try_fold(&payload, |v, n| v.get(n)).unwrap();
                avro_of_key(value)
            }));
            let signal = signal_by_type(&event_type).unwrap();
            let avro = signal.json_to_avro(&payload.to_string()).unwrap();
            let meta = EventMetadata::new(signal.event_type(), signal.minor_version());
            let delivery = producer
                .send_keyed(
                    "events",
                    &BusEvent::new(meta.clone(), avro.clone()),
                    key.as_deref(),
                )
                .unwrap();
            sent.push((meta, avro, delivery));
        }
    }
    let sent: Vec<(EventMetadata, Vec<u8>)> = sent
        .into_iter()
        .map(|(m, a, d)| {
            d.wait_timeout(Duration::from_secs(30))
                .unwrap_or_else(|e| panic!("{}: {e}", m.event_type));
            (m, a)
        })
        .collect();
    assert_eq!(sent.len(), 146);
    // The subjects the reference registers: the value's by record name,
    // the key's by its type.
    let subjects = registry.subjects();
    assert!(subjects.contains(&format!(
        "{topic}-org.openedx.learning.auth.session.login.completed.v1.CloudEvent"
    )));
    assert!(
        subjects.contains(&format!("{topic}-string")),
        "{subjects:?}"
    );

    let consumer =
        Consumer::new(settings(&url, &prefix, "events", &format!("{prefix}-g"))).unwrap();
    let got = run_until(&consumer, sent.len(), &ok);
    assert_eq!(got.len(), sent.len(), "{:?}", consumer.stats());
    for ((meta, avro), event) in sent.iter().zip(&got) {
        assert_eq!(&event.metadata, meta, "{}", meta.event_type);
        assert_eq!(&event.payload, avro, "{}", meta.event_type);
    }

    // The keys as stored: Confluent framing, an id whose schema is the key
    // field's type, then that value's Avro.
    let raw = read_raw(&broker, &topic, sent.len());
    for (((meta, _), want), (key, _)) in sent.iter().zip(&keys).zip(&raw) {
        let (Some(want), Some(key)) = (want, key) else {
            assert_eq!(key.is_some(), want.is_some(), "{}", meta.event_type);
            continue;
        };
        assert_eq!(key[0], 0, "{}", meta.event_type);
        let id = u32::from_be_bytes(key[1..5].try_into().unwrap());
        let schema: serde_json::Value =
            serde_json::from_str(&registry.schema(id).expect("a registered id")).unwrap();
        let kind = if want.1 { "string" } else { "long" };
        assert_eq!(schema["type"], kind, "{}", meta.event_type);
        assert_eq!(&key[5..], &want.0[..], "{}", meta.event_type);
    }
}

/// A key value's Avro, written here from its JSON rather than by the code
/// under test: a string's zig-zag length and bytes, or an integer's
/// zig-zag varint; and whether it is a string.
fn avro_of_key(value: &serde_json::Value) -> (Vec<u8>, bool) {
    let zigzag = |out: &mut Vec<u8>, n: i64| {
        let mut z = ((n << 1) ^ (n >> 63)) as u64;
        while z >= 0x80 {
            out.push((z as u8) | 0x80);
            z >>= 7;
        }
        out.push(z as u8);
    };
    let mut out = Vec::new();
    match value {
        serde_json::Value::String(s) => {
            zigzag(&mut out, s.len() as i64);
            out.extend_from_slice(s.as_bytes());
            (out, true)
        }
        serde_json::Value::Number(n) => {
            zigzag(&mut out, n.as_i64().expect("an integer key"));
            (out, false)
        }
        other => panic!("a key field of another kind: {other}"),
    }
}

/// The first `n` messages of a topic's one partition, as stored: key and
/// value bytes.
fn read_raw(broker: &Tansu, topic: &str, n: usize) -> Vec<(Option<Vec<u8>>, Vec<u8>)> {
    use rdkafka::Message;
    let consumer = common::raw::from_start(&broker.bootstrap(), &unique("raw"), topic);
    let mut out = Vec::new();
    while out.len() < n {
        match consumer.poll(Duration::from_secs(30)) {
            Some(Ok(m)) => out.push((
                m.key().map(<[u8]>::to_vec),
                m.payload().unwrap_or_default().to_vec(),
            )),
            Some(Err(e)) => panic!("reading {topic}: {e}"),
            None => panic!("nothing for 30 s after {} of {n} messages", out.len()),
        }
    }
    out
}

/// A handler that fails the event `id` while `failing` holds, counting
/// those attempts.
fn fails_while<'a>(
    id: uuid::Uuid,
    failing: &'a AtomicBool,
    attempts: &'a AtomicU32,
) -> impl Fn(&BusEvent) -> Result<(), HandleError> + 'a {
    move |e| {
        if e.metadata.id == id && failing.load(Ordering::SeqCst) {
            attempts.fetch_add(1, Ordering::SeqCst);
            return Err(HandleError::Failed {
                receiver: "plugin::grade_sync".into(),
                message: "database is down".into(),
            });
        }
        Ok(())
    }
}

/// A consumer of `<prefix>-t` in the group `<prefix>-g` that delivers a
/// message up to `max_deliveries` times.
fn retrying(url: &BusUrl, prefix: &str, max_deliveries: u32) -> Consumer {
    Consumer::new(settings(url, prefix, "t", &format!("{prefix}-g")).retries(
        max_deliveries,
        Duration::from_millis(10),
        Duration::from_millis(20),
    ))
    .unwrap()
}

#[test]
fn a_failing_receiver_is_retried_dead_lettered_and_replayed() {
    let broker = Tansu::shared();
    let registry = Registry::start();
    let url = url(&broker, &registry);
    let prefix = unique("retry");
    admin::create_topics(&url, &[&format!("{prefix}-t")], 1).unwrap();
    let p = Producer::new(ProducerSettings::new(url.clone()).prefix(&prefix)).unwrap();
    let sent = send_logins(&p, "t", 3, Some("user.id"));
    let bad = sent[1].id;
    let failing = AtomicBool::new(true);
    let attempts = AtomicU32::new(0);
    let flaky = fails_while(bad, &failing, &attempts);
    let consumer = retrying(&url, &prefix, 3);
    // The failing one is not handled: two arrive.
    let got = run_until(&consumer, 2, &flaky);
    assert_eq!(got.len(), 2);
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
    let stats = consumer.stats();
    assert_eq!((stats.retried, stats.dead_lettered), (2, 1), "{stats:?}");
    let status = admin::status(&url, Some(&prefix), "t").unwrap();
    assert_eq!(status.dead_letters, 1, "{status:?}");

    failing.store(false, Ordering::SeqCst);
    assert_eq!(admin::replay(&url, Some(&prefix), "t").unwrap(), 1);
    // The same group resumes after what it handled: only the replayed one.
    let again = run_until(&consumer, 1, &flaky);
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].metadata.id, bad);
}

#[test]
fn poison_messages_are_dead_lettered_at_once() {
    use rdkafka::message::{Header, OwnedHeaders};
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer as _};
    let broker = Tansu::shared();
    let registry = Registry::start();
    let url = url(&broker, &registry);
    let prefix = unique("poison");
    let topic = format!("{prefix}-t");
    admin::create_topics(&url, &[&topic], 1).unwrap();
    let p = Producer::new(ProducerSettings::new(url.clone()).prefix(&prefix)).unwrap();
    // A good event first: its schema id is then known to the registry.
    send_logins(&p, "t", 1, Some("user.id"));
    let raw: BaseProducer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .create()
        .unwrap();
    let (meta, avro) = login(2);
    let headers = |skip: &str| {
        let mut h = OwnedHeaders::new();
        for (k, v) in meta.to_headers() {
            if k != skip {
                h = h.insert(Header {
                    key: k,
                    value: Some(v.as_bytes()),
                });
            }
        }
        h
    };
    let framed = |id: u32, body: &[u8]| {
        let mut v = vec![0];
        v.extend_from_slice(&id.to_be_bytes());
        v.extend_from_slice(body);
        v
    };
    let cases: Vec<(OwnedHeaders, Vec<u8>)> = vec![
        (headers("ce_id"), framed(1, &avro)), // missing ce_id
        (headers(""), avro.clone()),          // no framing
        (headers(""), framed(999, &avro)),    // unknown schema id
        (headers(""), framed(1, &avro[..avro.len() - 2])), // truncated Avro
    ];
    for (h, v) in &cases {
        raw.send(
            BaseRecord::<[u8], [u8]>::to(&topic)
                .payload(v)
                .headers(h.clone()),
        )
        .map_err(|(e, _)| e)
        .unwrap();
    }
    raw.flush(Duration::from_secs(10)).unwrap();
    send_logins(&p, "t", 1, Some("user.id"));
    let consumer = Consumer::new(settings(&url, &prefix, "t", &format!("{prefix}-g"))).unwrap();
    let got = run_until(&consumer, 2, &openedx_hooks_bus::Dispatch);
    assert_eq!(got.len(), 2);
    let stats = consumer.stats();
    assert_eq!((stats.malformed, stats.retried), (4, 0), "{stats:?}");
    assert_eq!(
        admin::status(&url, Some(&prefix), "t")
            .unwrap()
            .dead_letters,
        4
    );
}

#[test]
fn two_consumers_in_one_group_split_the_partitions() {
    let broker = Tansu::shared();
    let registry = Registry::start();
    let url = url(&broker, &registry);
    let prefix = unique("pair");
    admin::create_topics(&url, &[&format!("{prefix}-t")], 4).unwrap();
    let p = Producer::new(ProducerSettings::new(url.clone()).prefix(&prefix)).unwrap();
    let sent = send_logins(&p, "t", 200, Some("user.id"));
    let seen: Mutex<Vec<(uuid::Uuid, String)>> = Mutex::default();
    let consumers: Vec<Consumer> = ["a", "b"]
        .iter()
        .map(|n| {
            Consumer::new(settings(&url, &prefix, "t", &format!("{prefix}-g")).consumer(*n))
                .unwrap()
        })
        .collect();
    std::thread::scope(|s| {
        for c in &consumers {
            let seen = &seen;
            let name = c.settings().consumer.clone();
            s.spawn(move || {
                let h = move |e: &BusEvent| -> Result<(), HandleError> {
                    seen.lock().unwrap().push((e.metadata.id, name.clone()));
                    Ok(())
                };
                c.run(&h).unwrap();
            });
        }
        for _ in 0..600 {
            if seen.lock().unwrap().len() >= 200 {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        for c in &consumers {
            c.stop_handle().stop();
        }
    });
    let seen = seen.into_inner().unwrap();
    let ids: BTreeSet<_> = seen.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, sent.iter().map(|m| m.id).collect());
    assert_eq!(seen.len(), 200, "no duplicates in normal operation");
}

#[test]
fn a_group_replays_from_a_time() {
    let broker = Tansu::shared();
    let registry = Registry::start();
    let url = url(&broker, &registry);
    let prefix = unique("time");
    admin::create_topics(&url, &[&format!("{prefix}-t")], 1).unwrap();
    let p = Producer::new(ProducerSettings::new(url.clone()).prefix(&prefix)).unwrap();
    send_logins(&p, "t", 3, Some("user.id"));
    std::thread::sleep(Duration::from_millis(50));
    let since = jiff::Timestamp::now().as_millisecond();
    std::thread::sleep(Duration::from_millis(50));
    let after = send_logins(&p, "t", 2, Some("user.id"));
    let consumer = Consumer::new(
        settings(&url, &prefix, "t", &format!("{prefix}-g"))
            .start(openedx_hooks_bus::StartFrom::Timestamp(since)),
    )
    .unwrap();
    let got = run_until(&consumer, 2, &ok);
    let ids: Vec<_> = got.iter().map(|e| e.metadata.id).collect();
    assert_eq!(ids, after.iter().map(|m| m.id).collect::<Vec<_>>());
}

/// `flush` returns only once every queued event is stored and its
/// delivery reported (the counters say so), however it waits: it watches
/// librdkafka's queue, which holds a message until its report was handled.
#[test]
fn flush_waits_for_every_delivery() {
    let broker = Tansu::shared();
    let registry = Registry::start();
    let url = url(&broker, &registry);
    let prefix = unique("flush");
    admin::create_topics(&url, &[&format!("{prefix}-t")], 1).unwrap();
    let p = Producer::new(ProducerSettings::new(url.clone()).prefix(&prefix)).unwrap();
    for round in 0..3 {
        for i in 0..500 {
            let (meta, avro) = login(i);
            // The delivery handles are dropped: only flush waits.
            drop(
                p.send_keyed("t", &BusEvent::new(meta, avro), Some("user.id"))
                    .unwrap(),
            );
        }
        p.flush(Duration::from_secs(30)).unwrap();
        let stats = p.stats();
        assert_eq!(
            (stats.sent, stats.failed),
            (500 * (round + 1), 0),
            "{stats:?}"
        );
    }
}

/// A consumer that goes idle commits what it handled within about a
/// second, without waiting for another message or its stop: a crash while
/// idle delivers nothing again.
#[test]
fn an_idle_consumer_commits_what_it_handled() {
    use rdkafka::consumer::{BaseConsumer, Consumer as _};
    let broker = Tansu::shared();
    let registry = Registry::start();
    let url = url(&broker, &registry);
    let prefix = unique("idle");
    let topic = format!("{prefix}-t");
    admin::create_topics(&url, &[&topic], 1).unwrap();
    let p = Producer::new(ProducerSettings::new(url.clone()).prefix(&prefix)).unwrap();
    send_logins(&p, "t", 3, Some("user.id"));
    let group = format!("{prefix}-g");
    let consumer = Consumer::new(settings(&url, &prefix, "t", &group)).unwrap();
    let handled = AtomicU32::new(0);
    let count = |_: &BusEvent| -> Result<(), HandleError> {
        handled.fetch_add(1, Ordering::SeqCst);
        Ok(())
    };
    let stop = consumer.stop_handle();
    let committed = std::thread::scope(|s| {
        s.spawn(|| consumer.run(&count).unwrap());
        let reader: BaseConsumer = rdkafka::ClientConfig::new()
            .set("bootstrap.servers", broker.bootstrap())
            .set("group.id", &group)
            .create()
            .unwrap();
        let mut list = rdkafka::TopicPartitionList::new();
        list.add_partition(&topic, 0);
        let offset = || {
            reader
                .committed_offsets(list.clone(), Duration::from_secs(10))
                .ok()
                .and_then(|l| l.find_partition(&topic, 0).map(|e| e.offset()))
        };
        // A new group gets its partition after a few seconds on tansu;
        // then all three are handled, and the consumer has nothing to read.
        for _ in 0..300 {
            if handled.load(Ordering::SeqCst) == 3 {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        assert_eq!(handled.load(Ordering::SeqCst), 3);
        let mut seen = offset();
        for _ in 0..50 {
            if seen == Some(rdkafka::Offset::Offset(3)) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
            seen = offset();
        }
        // Read while the consumer still runs, before its stop commits.
        stop.stop();
        seen
    });
    assert_eq!(committed, Some(rdkafka::Offset::Offset(3)));
}

/// A header named in bytes that are not UTF-8, as C and Go clients can
/// write: the event is still read, and the header goes to the dead-letter
/// topic and back unchanged. rdkafka's own header reader panicked on it,
/// which stopped the consumer on that message again after each restart.
#[test]
fn headers_named_in_bytes_that_are_not_utf8_are_read_past_and_kept() {
    use rdkafka::Message;
    use rdkafka::message::{Header, Headers, OwnedHeaders};
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer as _};
    let broker = Tansu::shared();
    let registry = Registry::start();
    let url = url(&broker, &registry);
    let prefix = unique("rawname");
    let topic = format!("{prefix}-t");
    admin::create_topics(&url, &[&topic], 1).unwrap();
    let p = Producer::new(ProducerSettings::new(url.clone()).prefix(&prefix)).unwrap();
    // A good event first: its schema id (1) is then known to the registry.
    send_logins(&p, "t", 1, Some("user.id"));
    let (meta, avro) = login(7);
    let mut value = vec![0, 0, 0, 0, 1];
    value.extend_from_slice(&avro);
    // rdkafka adds only UTF-8 names: the odd one through librdkafka's C API,
    // as a C or Go client writes it.
    let mut headers = OwnedHeaders::new();
    for (k, v) in meta.to_headers() {
        headers = headers.insert(Header {
            key: k,
            value: Some(v.as_bytes()),
        });
    }
    let name = b"\xffx-\xfe";
    #[allow(unsafe_code)]
    // SAFETY: the list behind `headers` (rdkafka's `BorrowedHeaders` is its
    // pointer), owned here; librdkafka copies the name and the value.
    unsafe {
        let list = std::ptr::from_ref(headers.as_borrowed()).cast_mut().cast();
        rdkafka::bindings::rd_kafka_header_add(
            list,
            name.as_ptr().cast(),
            name.len() as isize,
            b"raw".as_ptr().cast(),
            3,
        );
    }
    let raw: BaseProducer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .create()
        .unwrap();
    raw.send(
        BaseRecord::<[u8], [u8]>::to(&topic)
            .payload(&value)
            .headers(headers),
    )
    .map_err(|(e, _)| e)
    .unwrap();
    raw.flush(Duration::from_secs(10)).unwrap();
    send_logins(&p, "t", 1, Some("user.id"));

    let (failing, attempts) = (AtomicBool::new(true), AtomicU32::new(0));
    let handler = fails_while(meta.id, &failing, &attempts);
    let consumer = retrying(&url, &prefix, 1);
    // The good ones are handled, the other read and dead-lettered between.
    let got = run_until(&consumer, 2, &handler);
    assert_eq!(got.len(), 2);
    assert_eq!(consumer.stats().dead_lettered, 1, "{:?}", consumer.stats());
    failing.store(false, Ordering::SeqCst);
    assert_eq!(admin::replay(&url, Some(&prefix), "t").unwrap(), 1);
    let again = run_until(&consumer, 1, &handler);
    assert_eq!(again[0].metadata.id, meta.id);
    assert_eq!(again[0].metadata, meta);

    // Counted, not named: rdkafka reads a header's name only as UTF-8.
    let count = |topic: &str, at: usize| {
        let c = common::raw::from_start(&broker.bootstrap(), &unique("count"), topic);
        let mut seen = 0;
        loop {
            let m = c.poll(Duration::from_secs(30)).expect("a message").unwrap();
            if seen == at {
                return m.headers().map_or(0, |h| h.count());
            }
            seen += 1;
        }
    };
    // The ten headers and the raw one; then the dead-letter fields too.
    assert_eq!(count(&format!("{topic}-dead-letter"), 0), 11 + 7);
    // Replayed after the three first messages: the dead-letter fields gone.
    assert_eq!(count(&topic, 3), 11);
}

/// Messages whose schema id the registry gives no answer about (down,
/// failing) are not dead-lettered as poison: they wait, in order, and are
/// handled once it answers.
#[test]
fn messages_wait_for_a_registry_that_gives_no_answer() {
    let broker = Tansu::shared();
    let registry = Registry::start();
    let url = url(&broker, &registry);
    let prefix = unique("outage");
    admin::create_topics(&url, &[&format!("{prefix}-t")], 1).unwrap();
    let p = Producer::new(ProducerSettings::new(url.clone()).prefix(&prefix)).unwrap();
    let sent = send_logins(&p, "t", 3, Some("user.id"));
    registry.set_unavailable(true);
    let consumer = retrying(&url, &prefix, 3);
    let got = std::thread::scope(|s| {
        s.spawn(|| {
            // The group's assignment on tansu takes a few seconds.
            std::thread::sleep(Duration::from_secs(8));
            let stats = consumer.stats();
            assert!(stats.received > 0, "{stats:?}");
            assert_eq!(
                (stats.acknowledged, stats.malformed, stats.dead_lettered),
                (0, 0, 0),
                "{stats:?}"
            );
            registry.set_unavailable(false);
        });
        run_until(&consumer, 3, &ok)
    });
    let ids: Vec<_> = got.iter().map(|e| e.metadata.id).collect();
    assert_eq!(ids, sent.iter().map(|m| m.id).collect::<Vec<_>>());
    let stats = consumer.stats();
    assert_eq!((stats.malformed, stats.dead_lettered), (0, 0), "{stats:?}");
    let status = admin::status(&url, Some(&prefix), "t").unwrap();
    assert_eq!(status.dead_letters, 0, "{status:?}");
}

/// TLS to the broker, trusting a private CA (`BusUrl::with_ca_pem`, what
/// `--tls-ca FILE` reads): events go both ways through a TLS terminator in
/// front of tansu, which cannot serve TLS itself. A client without the CA
/// refuses the broker's certificate, and the error says so.
#[test]
fn tls_with_a_private_ca() {
    let (broker, ca) = Tansu::start_behind_tls();
    let registry = Registry::start();
    let url = url(&broker, &registry).with_ca_pem(ca);
    let prefix = unique("tls");
    admin::create_topics(&url, &[&format!("{prefix}-t")], 1).unwrap();
    let p = Producer::new(ProducerSettings::new(url.clone()).prefix(&prefix)).unwrap();
    let sent = send_logins(&p, "t", 3, Some("user.id"));
    let consumer = Consumer::new(settings(&url, &prefix, "t", &format!("{prefix}-g"))).unwrap();
    let got = run_until(&consumer, 3, &ok);
    assert_eq!(
        got.iter().map(|e| e.metadata.id).collect::<Vec<_>>(),
        sent.iter().map(|m| m.id).collect::<Vec<_>>()
    );
    // TLS without the CA: the system's roots do not trust the test's CA.
    let untrusted: BusUrl = format!("{}?security.protocol=ssl", broker.url())
        .parse()
        .unwrap();
    let err = admin::status(&untrusted, Some(&prefix), "t")
        .unwrap_err()
        .to_string();
    assert!(err.contains("certificate verify failed"), "{err}");
}
