//! The Redis Streams backend against a real redis-server: every event both
//! ways, the producer hooked into `send_event`, retries and dead letters,
//! poison entries, start positions, claims, two consumers in one group, and
//! a Redis restart under a producer.

// Linked for its events' registrations.
extern crate openedx_events;

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{catalog, login, send_logins};
use openedx_hooks::{EventMetadata, signal_by_type};
use openedx_hooks_bus::{
    BusEvent, Consumer, ConsumerSettings, Dispatch, HandleError, Handler, Producer,
    ProducerSettings, StartFrom, admin,
};
use openedx_hooks_tests::redis::{Redis, unique};
use redis::Value;

fn producer(redis: &Redis, prefix: &str) -> Producer {
    Producer::new(ProducerSettings::new(redis.url().parse().unwrap()).prefix(prefix)).unwrap()
}

fn settings(redis: &Redis, prefix: &str, topic: &str, group: &str) -> ConsumerSettings {
    ConsumerSettings::new(redis.url().parse().unwrap(), topic, group)
        .prefix(prefix)
        .reads(50, Duration::from_millis(50))
}

fn raw(redis: &Redis) -> redis::Connection {
    redis::Client::open(redis.url())
        .unwrap()
        .get_connection()
        .unwrap()
}

/// A stream's entries, as text (for `contains` checks).
fn stream_text(c: &mut redis::Connection, stream: &str) -> String {
    let entries: Value = redis::cmd("XRANGE")
        .arg(stream)
        .arg("-")
        .arg("+")
        .query(c)
        .unwrap();
    format!("{entries:?}")
}

/// Records every event; stops the consumer after `want` of them.
struct Collect {
    events: Mutex<Vec<BusEvent>>,
    want: usize,
    stop: Mutex<Option<openedx_hooks_bus::StopHandle>>,
}

impl Collect {
    fn new(want: usize) -> Arc<Self> {
        Arc::new(Collect {
            events: Mutex::new(Vec::new()),
            want,
            stop: Mutex::new(None),
        })
    }

    /// Runs `consumer` until `want` events arrived (or 30 s passed).
    fn run(self: &Arc<Self>, consumer: &Consumer) -> Vec<BusEvent> {
        *self.stop.lock().unwrap() = Some(consumer.stop_handle());
        let stop = consumer.stop_handle();
        let watchdog = std::thread::spawn(move || {
            for _ in 0..3000 {
                if stop.is_stopped() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            stop.stop();
        });
        consumer.run(&**self).expect("consumer runs");
        watchdog.join().unwrap();
        self.events.lock().unwrap().clone()
    }
}

impl Handler for Collect {
    fn handle(&self, event: &BusEvent) -> Result<(), HandleError> {
        let mut events = self.events.lock().unwrap();
        events.push(event.clone());
        if events.len() >= self.want
            && let Some(s) = &*self.stop.lock().unwrap()
        {
            s.stop();
        }
        Ok(())
    }
}

#[test]
fn every_event_crosses_redis_both_typical_and_falsy() {
    let redis = Redis::shared();
    let prefix = unique("all");
    let catalog = catalog();
    let p = producer(&redis, &prefix);
    let mut sent = Vec::new();
    for falsy in [false, true] {
        for (event_type, payload) in openedx_hooks_tests::samples::event_payloads(&catalog, falsy) {
            let signal = signal_by_type(&event_type).expect("linked");
            let avro = signal.json_to_avro(&payload.to_string()).expect("encodes");
            let mut meta = EventMetadata::new(signal.event_type(), signal.minor_version());
            meta.minor_version = 7;
            let id = p
                .send_event("all-events", &BusEvent::new(meta.clone(), avro.clone()))
                .unwrap()
                .wait()
                .unwrap();
            sent.push((id, meta, avro));
        }
    }
    assert_eq!(sent.len(), 2 * 73);
    // The entry as edx-event-bus-redis writes it: these fields, this order.
    let mut c = raw(&redis);
    let entries: Value = redis::cmd("XRANGE")
        .arg(format!("{prefix}-all-events"))
        .arg("-")
        .arg("+")
        .arg("COUNT")
        .arg(1)
        .query(&mut c)
        .unwrap();
    let Value::Array(entries) = entries else {
        panic!("{entries:?}")
    };
    let Value::Array(entry) = &entries[0] else {
        panic!()
    };
    let Value::Array(fields) = &entry[1] else {
        panic!()
    };
    let names: Vec<String> = fields
        .iter()
        .step_by(2)
        .map(|v| redis::from_redis_value(v.clone()).unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "type",
            "id",
            "source",
            "time",
            "minorversion",
            "sourcehost",
            "sourcelib",
            "event_data"
        ]
    );

    let consumer = Consumer::new(settings(&redis, &prefix, "all-events", "g")).unwrap();
    let got = Collect::new(sent.len()).run(&consumer);
    assert_eq!(got.len(), sent.len());
    for ((_, meta, avro), event) in sent.iter().zip(&got) {
        assert_eq!(&event.metadata, meta, "{}", meta.event_type);
        assert_eq!(&event.payload, avro, "{}", meta.event_type);
        // And the linked types read it.
        signal_by_type(&meta.event_type)
            .unwrap()
            .avro_to_json(&event.payload)
            .unwrap();
    }
    let status = admin::status(&redis.url().parse().unwrap(), Some(&prefix), "all-events").unwrap();
    assert_eq!(status.length, 146);
    assert_eq!(status.groups[0].pending, 0);
    assert_eq!(status.groups[0].lag, Some(0));
    assert_eq!(consumer.stats().acknowledged, 146);
}

/// A handler that fails for one event id as long as `failing` is set.
struct Flaky {
    bad: uuid::Uuid,
    failing: std::sync::atomic::AtomicBool,
    attempts: AtomicU32,
    ok: Mutex<Vec<uuid::Uuid>>,
}

impl Handler for Flaky {
    fn handle(&self, event: &BusEvent) -> Result<(), HandleError> {
        if event.metadata.id == self.bad && self.failing.load(Ordering::SeqCst) {
            self.attempts.fetch_add(1, Ordering::SeqCst);
            return Err(HandleError::Failed {
                receiver: "plugin::grade_sync".into(),
                message: "database is down".into(),
            });
        }
        self.ok.lock().unwrap().push(event.metadata.id);
        Ok(())
    }
}

fn run_for(consumer: &Consumer, handler: &dyn Handler, time: Duration) {
    let stop = consumer.stop_handle();
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(time);
            stop.stop();
        });
        consumer.run(handler).unwrap();
    });
}

#[test]
fn a_failing_receiver_is_retried_then_dead_lettered_then_replayed() {
    let redis = Redis::shared();
    let prefix = unique("retry");
    let url = redis.url().parse().unwrap();
    let p = producer(&redis, &prefix);
    let sent = send_logins(&p, "logins", 3, None);
    let flaky = Flaky {
        bad: sent[1].id,
        failing: true.into(),
        attempts: AtomicU32::new(0),
        ok: Mutex::default(),
    };
    let consumer = Consumer::new(settings(&redis, &prefix, "logins", "g").retries(
        3,
        Duration::from_millis(20),
        Duration::from_millis(50),
    ))
    .unwrap();
    run_for(&consumer, &flaky, Duration::from_millis(800));
    assert_eq!(flaky.attempts.load(Ordering::SeqCst), 3);
    assert_eq!(*flaky.ok.lock().unwrap(), [sent[0].id, sent[2].id]);
    let stats = consumer.stats();
    assert_eq!(
        (stats.acknowledged, stats.retried, stats.dead_lettered),
        (2, 2, 1)
    );

    let status = admin::status(&url, Some(&prefix), "logins").unwrap();
    assert_eq!(
        status.groups[0].pending, 0,
        "the dead letter is acknowledged"
    );
    assert_eq!(status.dead_letters, 1);
    // The dead letter keeps the entry's fields and says what failed.
    let mut c = raw(&redis);
    let text = stream_text(&mut c, &format!("{prefix}-logins-dead-letter"));
    for needle in [
        "event_data",
        "dead_letter_error",
        "database is down",
        "plugin::grade_sync",
        "dead_letter_attempts",
    ] {
        assert!(text.contains(needle), "{needle} missing in {text}");
    }

    // Fixed: replay, and the same group handles it.
    flaky.failing.store(false, Ordering::SeqCst);
    assert_eq!(admin::replay(&url, Some(&prefix), "logins").unwrap(), 1);
    run_for(&consumer, &flaky, Duration::from_millis(300));
    assert_eq!(flaky.ok.lock().unwrap().len(), 3);
    assert_eq!(flaky.ok.lock().unwrap()[2], sent[1].id);
    let status = admin::status(&url, Some(&prefix), "logins").unwrap();
    assert_eq!((status.dead_letters, status.groups[0].pending), (0, 0));
}

#[test]
fn poison_entries_are_dead_lettered_at_once_and_do_not_block_the_stream() {
    let redis = Redis::shared();
    let prefix = unique("poison");
    let stream = format!("{prefix}-t");
    let (meta, good) = login(1);
    let mut c = raw(&redis);
    let id = meta.id.to_string();
    type Fields = Vec<(String, Vec<u8>)>;
    let fields = |over: &[(&str, &[u8])], drop: &str| -> Fields {
        let mut base: Fields = vec![
            ("type".into(), meta.event_type.as_bytes().to_vec()),
            ("id".into(), id.as_bytes().to_vec()),
            ("source".into(), b"openedx/lms/web".to_vec()),
            ("time".into(), b"2025-03-14T15:09:26+00:00".to_vec()),
            ("minorversion".into(), b"0".to_vec()),
            ("sourcehost".into(), b"h".to_vec()),
            ("sourcelib".into(), b"10.5.0".to_vec()),
            ("event_data".into(), good.clone()),
        ];
        base.retain(|(k, _)| k != drop);
        for (k, v) in over {
            match base.iter_mut().find(|(n, _)| n == k) {
                Some(slot) => slot.1 = v.to_vec(),
                None => base.push(((*k).into(), v.to_vec())),
            }
        }
        base
    };
    let truncated = &good[..good.len() - 2];
    let poison: Vec<(&str, Fields)> = vec![
        ("missing event_data", fields(&[], "event_data")),
        ("bad id", fields(&[("id", b"not-a-uuid")], "")),
        (
            "unknown type",
            fields(&[("type", b"org.example.nope.v1")], ""),
        ),
        ("bad Avro", fields(&[("event_data", truncated)], "")),
        ("ce_ names", fields(&[("ce_type", b"x")], "")),
        ("non-integer minor", fields(&[("minorversion", b"one")], "")),
        ("bad time", fields(&[("time", b"noon")], "")),
        ("good", fields(&[], "")),
    ];
    for (_, f) in &poison {
        let mut cmd = redis::cmd("XADD");
        cmd.arg(&stream).arg("*");
        for (k, v) in f {
            cmd.arg(k).arg(v.as_slice());
        }
        let _: String = cmd.query(&mut c).unwrap();
    }
    // A good event beside a field named in bytes that are not UTF-8, which
    // any client can write: read (the field is unknown, so passed over),
    // not left pending for ever.
    let mut cmd = redis::cmd("XADD");
    cmd.arg(&stream).arg("*").arg(&b"\xffx\xfe"[..]).arg("odd");
    for (k, v) in fields(&[], "") {
        cmd.arg(k).arg(v);
    }
    let _: String = cmd.query(&mut c).unwrap();
    let consumer = Consumer::new(settings(&redis, &prefix, "t", "g")).unwrap();
    let handler = |e: &BusEvent| Dispatch.handle(e);
    run_for(&consumer, &handler, Duration::from_millis(400));
    let stats = consumer.stats();
    assert_eq!(stats.malformed, 7, "{stats:?}");
    assert_eq!(stats.acknowledged, 2, "{stats:?}");
    assert_eq!(stats.retried, 0);
    let status = admin::status(&redis.url().parse().unwrap(), Some(&prefix), "t").unwrap();
    assert_eq!((status.dead_letters, status.groups[0].pending), (7, 0));
    let text = stream_text(&mut c, &format!("{stream}-dead-letter"));
    for reason in [
        "missing field `event_data`",
        "is not a UUID",
        "no event of type `org.example.nope.v1`",
        "invalid payload",
        "`ce_` header name",
        "not a non-negative integer",
        "not an ISO 8601",
    ] {
        assert!(text.contains(reason), "{reason} missing in {text}");
    }
}

#[test]
fn a_new_group_reads_the_backlog_and_a_restarted_one_resumes() {
    let redis = Redis::shared();
    let prefix = unique("start");
    let p = producer(&redis, &prefix);
    let before = send_logins(&p, "t", 5, None);
    let got = Collect::new(5).run(&Consumer::new(settings(&redis, &prefix, "t", "g")).unwrap());
    let ids = |v: &[BusEvent]| v.iter().map(|e| e.metadata.id).collect::<Vec<_>>();
    assert_eq!(ids(&got), before.iter().map(|m| m.id).collect::<Vec<_>>());
    // Written while no consumer runs: the next one reads them.
    let during = send_logins(&p, "t", 3, None);
    let got = Collect::new(3).run(&Consumer::new(settings(&redis, &prefix, "t", "g")).unwrap());
    assert_eq!(ids(&got), during.iter().map(|m| m.id).collect::<Vec<_>>());
    // `$` is explicit, and skips the backlog.
    let _skipped = send_logins(&p, "t", 2, None);
    let latest =
        Consumer::new(settings(&redis, &prefix, "t", "g").start(StartFrom::Latest)).unwrap();
    let collect = Collect::new(1);
    let after = std::thread::scope(|s| {
        let h = s.spawn(|| collect.run(&latest));
        std::thread::sleep(Duration::from_millis(300));
        let after = send_logins(&p, "t", 1, None);
        h.join().unwrap();
        after
    });
    assert_eq!(ids(&collect.events.lock().unwrap()), [after[0].id]);
}

#[test]
fn entries_left_pending_by_a_dead_consumer_are_claimed() {
    let redis = Redis::shared();
    let prefix = unique("claim");
    let stream = format!("{prefix}-t");
    let p = producer(&redis, &prefix);
    let sent = send_logins(&p, "t", 4, None);
    let mut c = raw(&redis);
    let _: Value = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(&stream)
        .arg("g")
        .arg("0")
        .query(&mut c)
        .unwrap();
    // A consumer reads two entries and dies without acknowledging.
    let _: Value = redis::cmd("XREADGROUP")
        .arg("GROUP")
        .arg("g")
        .arg("dead")
        .arg("COUNT")
        .arg(2)
        .arg("STREAMS")
        .arg(&stream)
        .arg(">")
        .query(&mut c)
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    let consumer = Consumer::new(
        settings(&redis, &prefix, "t", "g")
            .consumer("alive")
            .claim_idle(Duration::from_millis(100)),
    )
    .unwrap();
    let got = Collect::new(4).run(&consumer);
    let got: BTreeSet<_> = got.iter().map(|e| e.metadata.id).collect();
    assert_eq!(got, sent.iter().map(|m| m.id).collect());
    let status = admin::status(&redis.url().parse().unwrap(), Some(&prefix), "t").unwrap();
    assert_eq!(status.groups[0].pending, 0);
}

#[test]
fn two_consumers_in_one_group_share_a_stream_without_duplicates() {
    let redis = Redis::shared();
    let prefix = unique("pair");
    let p = producer(&redis, &prefix);
    let seen: Arc<Mutex<BTreeMap<uuid::Uuid, Vec<String>>>> = Arc::default();
    let consumers: Vec<Consumer> = ["a", "b"]
        .iter()
        .map(|name| {
            Consumer::new(
                settings(&redis, &prefix, "t", "g")
                    .consumer(*name)
                    .reads(5, Duration::from_millis(20)),
            )
            .unwrap()
        })
        .collect();
    let sent = std::thread::scope(|s| {
        for c in &consumers {
            let seen = Arc::clone(&seen);
            let name = c.settings().consumer.clone();
            s.spawn(move || {
                let handler = move |e: &BusEvent| {
                    // Slow enough that both consumers get work.
                    std::thread::sleep(Duration::from_micros(200));
                    seen.lock()
                        .unwrap()
                        .entry(e.metadata.id)
                        .or_default()
                        .push(name.clone());
                    Ok(())
                };
                c.run(&handler).unwrap();
            });
        }
        std::thread::sleep(Duration::from_millis(100));
        let sent = send_logins(&p, "t", 400, None);
        for _ in 0..500 {
            if seen.lock().unwrap().len() >= 400 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        for c in &consumers {
            c.stop_handle().stop();
        }
        sent
    });
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 400);
    assert!(
        sent.iter()
            .all(|m| seen.get(&m.id).is_some_and(|v| v.len() == 1))
    );
    let per: Vec<u64> = consumers.iter().map(|c| c.stats().acknowledged).collect();
    assert_eq!(per.iter().sum::<u64>(), 400);
    assert!(per.iter().all(|n| *n > 0), "both consumers work: {per:?}");
}

#[test]
fn a_redis_restart_under_a_producer_loses_no_acknowledged_send() {
    // Append-only, fsynced on every write: what Redis acknowledged survives.
    let mut redis = Redis::start(&["--appendonly", "yes", "--appendfsync", "always"]);
    let settings = ProducerSettings::new(redis.url().parse().unwrap())
        .prefix("restart")
        .retry(
            Duration::from_secs(30),
            Duration::from_millis(20),
            Duration::from_millis(200),
        );
    let p = Producer::new(settings).unwrap();
    let mut deliveries = Vec::new();
    for i in 0..3000 {
        let (meta, avro) = login(i);
        deliveries.push(p.send_event("t", &BusEvent::new(meta, avro)).unwrap());
        if i == 1000 {
            redis.kill_and_restart(Duration::from_millis(300));
        }
        if i % 100 == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    let ids: Vec<String> = deliveries
        .into_iter()
        .map(|d| d.wait().expect("every send is stored in the end"))
        .collect();
    p.flush(Duration::from_secs(30)).unwrap();
    let stats = p.stats();
    assert_eq!(
        (stats.sent, stats.failed, stats.rejected),
        (3000, 0, 0),
        "{stats:?}"
    );
    assert!(stats.reconnects >= 1, "{stats:?}");
    let mut c = raw(&redis);
    let present: Value = redis::cmd("XRANGE")
        .arg("restart-t")
        .arg("-")
        .arg("+")
        .query(&mut c)
        .unwrap();
    let present: BTreeSet<String> = match present {
        Value::Array(entries) => entries
            .iter()
            .map(|e| match e {
                Value::Array(p) => redis::from_redis_value(p[0].clone()).unwrap(),
                _ => panic!(),
            })
            .collect(),
        other => panic!("{other:?}"),
    };
    let missing = ids.iter().filter(|id| !present.contains(*id)).count();
    assert_eq!(missing, 0, "acknowledged entries lost");
}

#[test]
fn a_full_queue_is_an_error_that_is_counted() {
    // Nothing listens on this port: the worker holds its batch and retries.
    let port = openedx_hooks_tests::redis::free_port();
    let settings = ProducerSettings::new(format!("redis://127.0.0.1:{port}").parse().unwrap())
        .queue(2, Duration::from_millis(10))
        .retry(
            Duration::from_millis(300),
            Duration::from_millis(50),
            Duration::from_millis(50),
        );
    let p = Producer::new(settings).unwrap();
    let mut results = Vec::new();
    for i in 0..10 {
        let (meta, avro) = login(i);
        results.push(p.send_event("t", &BusEvent::new(meta, avro)));
    }
    let rejected = results.iter().filter(|r| r.is_err()).count();
    assert!(rejected > 0);
    assert!(
        results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|e| e.to_string().contains("queue is full"))
    );
    assert_eq!(p.stats().rejected, rejected as u64);
    // The accepted ones give up after the bound, with the reason.
    for r in results.into_iter().flatten() {
        let err = r.wait().unwrap_err().to_string();
        assert!(err.contains("gave up"), "{err}");
    }
}

#[test]
fn send_event_reaches_the_bus_and_what_came_from_it_is_not_sent_back() {
    use openedx_events::learning::{SESSION_LOGIN_COMPLETED, SessionLoginCompleted};
    let redis = Redis::shared();
    let prefix = unique("hooked");
    let p = Arc::new(producer(&redis, &prefix));
    let config = openedx_hooks_bus::ProducerConfig::default().topic(
        SESSION_LOGIN_COMPLETED.event_type(),
        "logins",
        "user.id",
    );
    p.install(config).unwrap();
    let received = Arc::new(AtomicU32::new(0));
    let r = Arc::clone(&received);
    let _conn = SESSION_LOGIN_COMPLETED
        .connect(move |_: &SessionLoginCompleted, _| {
            r.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
        .scoped();
    let payload = SessionLoginCompleted {
        user: openedx_events::learning::UserData {
            id: 5,
            is_active: true,
            pii: openedx_events::learning::UserPersonalData {
                username: "ada".into(),
                email: String::new(),
                name: String::new(),
            },
        },
    };
    let report = SESSION_LOGIN_COMPLETED.send_event(payload);
    assert!(report.is_ok(), "{report}");
    p.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(received.load(Ordering::SeqCst), 1);
    // A consumer in this same process hands it to the receivers, and the
    // producer does not send it back.
    let consumer = Consumer::new(settings(&redis, &prefix, "logins", "g")).unwrap();
    run_for(&consumer, &Dispatch, Duration::from_millis(300));
    p.flush(Duration::from_secs(5)).unwrap();
    openedx_hooks::outbound::uninstall();
    assert_eq!(received.load(Ordering::SeqCst), 2);
    let status = admin::status(&redis.url().parse().unwrap(), Some(&prefix), "logins").unwrap();
    assert_eq!(
        status.length, 1,
        "no loop: the received event was not re-sent"
    );
    assert_eq!(consumer.stats().acknowledged, 1);
}

#[test]
fn the_producer_configuration_is_checked_against_linked_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("producer.yaml");
    std::fs::write(
        &path,
        "org.openedx.learning.auth.session.login.completed.v1:\n  user-login:\n    event_key_field: user.pii.nmae\norg.openedx.learning.auth.session.login.complete.v1:\n  user-login:\n    event_key_field: user.id\n",
    )
    .unwrap();
    let err = openedx_hooks_bus::ProducerConfig::from_path(&path)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("event_key_field `user.pii.nmae` is not a field"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `org.openedx.learning.auth.session.login.completed.v1`"),
        "{err}"
    );
    let toml = dir.path().join("producer.toml");
    std::fs::write(
        &toml,
        "[\"org.openedx.learning.auth.session.login.completed.v1\".user-login]\nevent_key_field = \"user.id\"\nenabled = false\n",
    )
    .unwrap();
    let config = openedx_hooks_bus::ProducerConfig::from_path(&toml).unwrap();
    assert!(!config.forwards("org.openedx.learning.auth.session.login.completed.v1"));
    let json = dir.path().join("producer.json");
    std::fs::write(
        &json,
        r#"{"org.openedx.learning.auth.session.login.completed.v1": {"user-login": {"event_key_field": "user.id", "enabeld": true}}}"#,
    )
    .unwrap();
    let err = openedx_hooks_bus::ProducerConfig::from_path(&json)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `enabeld`"), "{err}");
}

#[test]
fn tls_with_a_private_ca() {
    let (redis, ca) = Redis::start_tls();
    let url: openedx_hooks_bus::BusUrl = redis.tls_url().parse().unwrap();
    let url = url.with_ca_pem(ca);
    let p = Producer::new(ProducerSettings::new(url.clone()).prefix("tls")).unwrap();
    let sent = send_logins(&p, "t", 3, None);
    let consumer = Consumer::new(
        ConsumerSettings::new(url.clone(), "t", "g")
            .prefix("tls")
            .reads(10, Duration::from_millis(50)),
    )
    .unwrap();
    let got = Collect::new(3).run(&consumer);
    assert_eq!(
        got.iter().map(|e| e.metadata.id).collect::<Vec<_>>(),
        sent.iter().map(|m| m.id).collect::<Vec<_>>()
    );
    // Without the CA the server's certificate is not trusted.
    let untrusted: openedx_hooks_bus::BusUrl = redis.tls_url().parse().unwrap();
    let err = admin::status(&untrusted, Some("tls"), "t").unwrap_err();
    assert!(
        err.to_string().contains("connection to rediss://127.0.0.1"),
        "{err}"
    );
}

#[test]
fn a_panicking_handler_is_a_failed_delivery_not_a_dead_consumer() {
    let redis = Redis::shared();
    let prefix = unique("panic");
    let p = producer(&redis, &prefix);
    send_logins(&p, "t", 2, None);
    let consumer = Consumer::new(settings(&redis, &prefix, "t", "g").retries(
        2,
        Duration::from_millis(10),
        Duration::from_millis(10),
    ))
    .unwrap();
    let handler = |e: &BusEvent| -> Result<(), HandleError> {
        if e.metadata.minor_version == 0 {
            panic!("receiver bug");
        }
        Ok(())
    };
    run_for(&consumer, &handler, Duration::from_millis(300));
    let stats = consumer.stats();
    assert_eq!((stats.retried, stats.dead_lettered), (2, 2), "{stats:?}");
    let mut c = raw(&redis);
    assert!(
        stream_text(&mut c, &format!("{prefix}-t-dead-letter")).contains("panic: receiver bug")
    );
}

#[test]
fn entries_trimmed_before_the_group_read_them_are_counted() {
    let redis = Redis::shared();
    let prefix = unique("trim");
    let consumer = Consumer::new(settings(&redis, &prefix, "t", "g")).unwrap();
    // The group exists, at the start of an empty stream.
    run_for(&consumer, &Dispatch, Duration::from_millis(100));
    let mut c = raw(&redis);
    let (_, avro) = login(1);
    for _ in 0..1000 {
        let _: String = redis::cmd("XADD")
            .arg(format!("{prefix}-t"))
            .arg("MAXLEN")
            .arg(10)
            .arg("*")
            .arg("event_data")
            .arg(avro.as_slice())
            .query(&mut c)
            .unwrap();
    }
    run_for(&consumer, &Dispatch, Duration::from_millis(200));
    let stats = consumer.stats();
    assert_eq!(stats.trimmed, 990, "{stats:?}");
    // The 10 left are not events (no metadata): dead-lettered.
    assert_eq!(stats.malformed, 10);
}

#[test]
fn after_a_give_up_later_batches_fail_fast_and_shutdown_is_bounded() {
    // Nothing listens here: every batch gives up.
    let port = openedx_hooks_tests::redis::free_port();
    let settings = ProducerSettings::new(format!("redis://127.0.0.1:{port}").parse().unwrap())
        .queue(10_000, Duration::from_secs(1))
        .retry(
            Duration::from_millis(300),
            Duration::from_millis(50),
            Duration::from_millis(50),
        );
    let mut settings = settings;
    settings.batch_size = 10;
    let p = Producer::new(settings).unwrap();
    for i in 0..200 {
        let (meta, avro) = login(i);
        p.publish("t", &BusEvent::new(meta, avro)).unwrap();
    }
    let started = std::time::Instant::now();
    drop(p);
    // 20 batches: the first waits the bound, the others fail at once.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
