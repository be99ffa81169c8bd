//! Interop with the platform's Python services on Redis Streams, both ways:
//! edx-event-bus-redis 0.6.1 with openedx-events 10.5.0 (the pinned
//! reference virtualenv) as producer for our consumer and as consumer for
//! our producer, for every event the reference can encode (the committed
//! vectors' typical payloads).

// Linked for its events' registrations.
extern crate openedx_events;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use openedx_hooks::EventMetadata;
use openedx_hooks::wire::avro;
use openedx_hooks_bus::{
    BusEvent, Consumer, ConsumerSettings, Dispatch, HandleError, Handler, Producer,
    ProducerSettings,
};
use openedx_hooks_tests::python::reference_python;
use openedx_hooks_tests::redis::{Redis, unique};
use openedx_hooks_tests::vectors::{avro_files, unhex};
use serde_json::Value;

/// `(event_type, typical payload's Avro)` of every vector.
fn typical_vectors() -> Vec<(String, Vec<u8>)> {
    let out: Vec<(String, Vec<u8>)> = avro_files()
        .iter()
        .map(|v| {
            let case = v["cases"]
                .as_array()
                .and_then(|c| c.iter().find(|c| c["name"] == "typical"))
                .expect("a typical case");
            (
                v["event_type"].as_str().expect("type").to_owned(),
                unhex(case["avro"].as_str().expect("hex")),
            )
        })
        .collect();
    assert_eq!(out.len(), 64, "the reference encodes 64 of the 73 events");
    out
}

fn script() -> std::path::PathBuf {
    openedx_hooks_tests::workspace_root().join("tests/bus/redis_reference.py")
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

struct Collect {
    events: Mutex<Vec<BusEvent>>,
    want: usize,
    stop: openedx_hooks_bus::StopHandle,
}

impl Handler for Collect {
    fn handle(&self, event: &BusEvent) -> Result<(), HandleError> {
        // The linked types must read what the reference wrote.
        Dispatch.handle(event)?;
        let mut events = self.events.lock().unwrap();
        events.push(event.clone());
        if events.len() >= self.want {
            self.stop.stop();
        }
        Ok(())
    }
}

#[test]
fn the_python_producer_writes_what_our_consumer_reads() {
    let redis = Redis::shared();
    let prefix = unique("py-to-rust");
    let vectors = typical_vectors();
    let mut child = Command::new(reference_python())
        .arg(script())
        .args(["produce", &redis.url(), &prefix, "events"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs the reference");
    {
        let mut stdin = child.stdin.take().unwrap();
        for (event_type, bytes) in &vectors {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            writeln!(
                stdin,
                "{}",
                serde_json::json!({"event_type": event_type, "avro_hex": hex})
            )
            .unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sent = json_lines(&out.stdout);
    assert_eq!(sent.len(), vectors.len());

    let consumer = Consumer::new(
        ConsumerSettings::new(redis.url().parse().unwrap(), "events", "rust")
            .prefix(&prefix)
            .reads(100, Duration::from_millis(50)),
    )
    .unwrap();
    let collect = Arc::new(Collect {
        events: Mutex::default(),
        want: vectors.len(),
        stop: consumer.stop_handle(),
    });
    let stop = consumer.stop_handle();
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(30));
        stop.stop();
    });
    consumer.run(&*collect).unwrap();
    drop(watchdog);
    let got = collect.events.lock().unwrap();
    assert_eq!(got.len(), vectors.len(), "{:?}", consumer.stats());
    assert_eq!(consumer.stats().malformed, 0);
    for ((event_type, bytes), (event, theirs)) in vectors.iter().zip(got.iter().zip(&sent)) {
        assert_eq!(&*event.metadata.event_type, event_type);
        assert_eq!(&event.payload, bytes, "{event_type}: payload bytes");
        let meta = &event.metadata;
        assert_eq!(meta.id.to_string(), theirs["id"], "{event_type}");
        let mut time = String::new();
        avro::write_isoformat(&mut time, meta.time);
        assert_eq!(time, theirs["time"], "{event_type}");
        assert_eq!(meta.minor_version as u64, theirs["minorversion"]);
        assert_eq!(meta.source, theirs["source"].as_str().unwrap());
        assert_eq!(meta.source_host, theirs["sourcehost"].as_str().unwrap());
        assert_eq!(meta.source_lib, theirs["sourcelib"].as_str().unwrap());
    }
}

#[test]
fn our_producer_writes_what_the_python_consumer_reads() {
    let redis = Redis::shared();
    let prefix = unique("rust-to-py");
    let vectors = typical_vectors();
    let producer =
        Producer::new(ProducerSettings::new(redis.url().parse().unwrap()).prefix(&prefix)).unwrap();
    let mut sent = BTreeMap::new();
    for (event_type, bytes) in &vectors {
        let meta = EventMetadata::new(event_type.clone(), 0);
        producer
            .send_event("events", &BusEvent::new(meta.clone(), bytes.clone()))
            .unwrap()
            .wait()
            .unwrap();
        sent.insert(meta.id.to_string(), (meta, bytes.clone()));
    }
    let out = Command::new(reference_python())
        .arg(script())
        .args(["consume", &redis.url(), &prefix, "events", "python"])
        .arg(vectors.len().to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("runs the reference");
    let got = json_lines(&out.stdout);
    assert!(
        out.status.success(),
        "the reference consumer got {} of {} events: {}",
        got.len(),
        vectors.len(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(got.len(), vectors.len());
    for theirs in &got {
        let id = theirs["id"].as_str().unwrap();
        let (meta, bytes) = sent.get(id).unwrap_or_else(|| panic!("unknown id {id}"));
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(theirs["avro_hex"], hex, "{}: payload", meta.event_type);
        assert_eq!(theirs["event_type"], &*meta.event_type);
        let mut time = String::new();
        avro::write_isoformat(&mut time, meta.time);
        assert_eq!(theirs["time"], time);
        assert_eq!(theirs["minorversion"], 0);
        assert_eq!(theirs["source"], &*meta.source);
        assert_eq!(theirs["sourcehost"], &*meta.source_host);
        assert_eq!(theirs["sourcelib"], &*meta.source_lib);
        assert_eq!(theirs["from_event_bus"], true);
    }
}
