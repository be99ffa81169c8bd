//! Interop with the platform's Python services on Kafka, both ways:
//! edx-event-bus-kafka 6.1.0 with openedx-events 10.5.0 (the reference
//! virtualenv) as producer for our consumer and as consumer for our
//! producer, on tansu with the in-process schema registry, for the 21
//! events the reference both encodes and keys (the vectors' typical payloads).

// Linked for its events' registrations.
extern crate openedx_events;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use openedx_hooks::EventMetadata;
use openedx_hooks::wire::avro;
use openedx_hooks_bus::{
    BusEvent, BusUrl, Consumer, ConsumerSettings, Dispatch, HandleError, Handler, Producer,
    ProducerSettings, admin,
};
use openedx_hooks_tests::kafka::{Registry, Tansu};
use openedx_hooks_tests::python::reference_python;
use openedx_hooks_tests::redis::unique;
use openedx_hooks_tests::vectors::{avro_files, unhex};
use serde_json::Value;

/// `(event_type, key field, typical payload's Avro)` of every vector whose
/// event has a key field (the reference's producer needs one).
fn vectors() -> Vec<(String, String, Vec<u8>)> {
    let catalog = openedx_hooks_schema::Loader::new()
        .load(&[openedx_hooks_tests::workspace_root().join("generated/events")])
        .expect("reads")
        .catalog
        .expect("valid");
    let out: Vec<_> = avro_files()
        .iter()
        .filter_map(|v| {
            let event_type = v["event_type"].as_str().unwrap().to_owned();
            let case = v["cases"]
                .as_array()
                .and_then(|c| c.iter().find(|c| c["name"] == "typical"))
                .unwrap();
            let key = catalog
                .event_by_type(&event_type)
                .and_then(|(_, e)| e.key_field.as_ref().map(|k| k.dotted()))?;
            Some((event_type, key, unhex(case["avro"].as_str().unwrap())))
        })
        .collect();
    // openedx-events 10.5.0 gives 21 of its events an event_key_field.
    assert_eq!(out.len(), 21);
    out
}

/// A broker, a registry, a fresh prefix and the URL of both, with the
/// `<prefix>-events` topic created.
fn setup(name: &str) -> (Tansu, Registry, String, BusUrl) {
    let broker = Tansu::shared();
    let registry = Registry::start();
    let prefix = unique(name);
    let url: BusUrl = broker.url().parse().unwrap();
    let url = url.with_schema_registry(registry.url());
    admin::create_topics(&url, &[&format!("{prefix}-events")], 1).unwrap();
    (broker, registry, prefix, url)
}

fn script() -> std::path::PathBuf {
    openedx_hooks_tests::workspace_root().join("tests/bus/kafka_reference.py")
}

#[test]
fn the_python_producer_writes_what_our_consumer_reads() {
    let (broker, registry, prefix, url) = setup("py-to-rust");
    let topic = format!("{prefix}-events");
    let vectors = vectors();
    let mut child = Command::new(reference_python())
        .arg(script())
        .args([
            "produce",
            &broker.bootstrap(),
            &registry.url(),
            &prefix,
            "events",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for (event_type, key, bytes) in &vectors {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let line =
                serde_json::json!({"event_type": event_type, "avro_hex": hex, "key_field": key});
            writeln!(stdin, "{line}").unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sent: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(sent.len(), vectors.len());
    // The subjects it registered are the ones our producer uses.
    let subjects = registry.subjects();
    assert!(
        subjects.contains(&format!(
            "{topic}-org.openedx.learning.auth.session.login.completed.v1.CloudEvent"
        )),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&format!("{topic}-string")),
        "{subjects:?}"
    );

    let consumer = Consumer::new(
        ConsumerSettings::new(url.clone(), "events", format!("{prefix}-rust"))
            .prefix(&prefix)
            .reads(100, Duration::from_millis(100)),
    )
    .unwrap();
    let got: Mutex<Vec<BusEvent>> = Mutex::default();
    let stop = consumer.stop_handle();
    let handler = |e: &BusEvent| -> Result<(), HandleError> {
        Dispatch.handle(e)?;
        let mut g = got.lock().unwrap();
        g.push(e.clone());
        if g.len() >= vectors.len() {
            stop.stop();
        }
        Ok(())
    };
    let watch = consumer.stop_handle();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(60));
        watch.stop();
    });
    consumer.run(&handler).unwrap();
    let got = got.into_inner().unwrap();
    assert_eq!(got.len(), vectors.len(), "{:?}", consumer.stats());
    for ((event_type, _, bytes), (event, theirs)) in vectors.iter().zip(got.iter().zip(&sent)) {
        assert_eq!(&*event.metadata.event_type, event_type);
        assert_eq!(&event.payload, bytes, "{event_type}: payload");
        assert_eq!(event.metadata.id.to_string(), theirs["id"]);
        let mut time = String::new();
        avro::write_isoformat(&mut time, event.metadata.time);
        assert_eq!(time, theirs["time"]);
        assert_eq!(event.metadata.source, theirs["source"].as_str().unwrap());
        assert_eq!(
            event.metadata.source_lib,
            theirs["sourcelib"].as_str().unwrap()
        );
    }
}

#[test]
fn our_producer_writes_what_the_python_consumer_reads() {
    let (broker, registry, prefix, url) = setup("rust-to-py");
    let vectors = vectors();
    // The reference's consumer starts at the end of the topic: it must be
    // there first.
    let mut child = Command::new(reference_python())
        .arg(script())
        .args([
            "consume",
            &broker.bootstrap(),
            &registry.url(),
            &prefix,
            "events",
            &format!("{prefix}-python"),
        ])
        .arg(vectors.len().to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert_eq!(
        line.trim(),
        "ready",
        "the reference consumer did not get its partition"
    );
    let producer = Producer::new(ProducerSettings::new(url).prefix(&prefix)).unwrap();
    let mut sent = BTreeMap::new();
    for (event_type, key, bytes) in &vectors {
        let meta = EventMetadata::new(event_type.clone(), 0);
        producer
            .send_keyed(
                "events",
                &BusEvent::new(meta.clone(), bytes.clone()),
                Some(key),
            )
            .unwrap()
            .wait_timeout(Duration::from_secs(30))
            .unwrap();
        sent.insert(meta.id.to_string(), (meta, bytes.clone()));
    }
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    let status = child.wait().unwrap();
    let got: Vec<Value> = rest
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        status.success(),
        "the reference consumer got {} of {}",
        got.len(),
        vectors.len()
    );
    assert_eq!(got.len(), vectors.len());
    for theirs in &got {
        let (meta, bytes) = &sent[theirs["id"].as_str().unwrap()];
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(theirs["avro_hex"], hex, "{}", meta.event_type);
        assert_eq!(theirs["event_type"], &*meta.event_type);
        let mut time = String::new();
        avro::write_isoformat(&mut time, meta.time);
        assert_eq!(theirs["time"], time);
        assert_eq!(theirs["from_event_bus"], true);
    }
}
