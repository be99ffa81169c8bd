//! `openedx-hooks bus …` on Kafka (tansu and an in-process schema
//! registry): send keyed by the catalog, tail, and a group consumer killed
//! with SIGKILL mid-topic and restarted (nothing lost).

mod common;

use std::collections::BTreeSet;

use std::process::Stdio;

use common::{cli, login, run, stream_ids_then_kill};
use openedx_hooks_bus::{BusUrl, admin};
use openedx_hooks_tests::kafka::{Registry, Tansu};
use openedx_hooks_tests::redis::unique;
use serde_json::Value;

#[test]
fn send_tail_and_a_killed_group_consumer_loses_nothing() {
    let broker = Tansu::shared();
    let registry = Registry::start();
    let prefix = unique("cli-kafka");
    let url = broker.url();
    let reg = registry.url();
    let bus: BusUrl = url.parse().unwrap();
    admin::create_topics(&bus, &[&format!("{prefix}-t")], 2).unwrap();
    let common = [
        "--url",
        url.as_str(),
        "--schema-registry",
        reg.as_str(),
        "--topic",
        "t",
        "--prefix",
        prefix.as_str(),
    ];
    let total = 1000u64;
    let input: String = (0..total).map(|i| login(i) + "\n").collect();
    let mut args = vec![
        "bus",
        "send",
        "generated/events",
        "--event",
        "SESSION_LOGIN_COMPLETED",
    ];
    args.extend_from_slice(&common);
    let o = run(&args, &input);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sent: BTreeSet<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(sent.len() as u64, total);
    // Keyed by the catalog's key field (user.pii.username), a string.
    assert!(registry.subjects().contains(&format!("{prefix}-t-string")));

    let mut tail_args = vec!["bus", "tail", "generated/events"];
    tail_args.extend_from_slice(&common);
    let o = run(
        &[&tail_args[..], &["--count", "3", "--timeout", "20"]].concat(),
        "",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let first: Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(
        first["metadata"]["event_type"],
        "org.openedx.learning.auth.session.login.completed.v1"
    );

    // A group of this test's own: groups are broker-wide.
    let group_name = unique("g");
    let group = ["--group", group_name.as_str(), "--consumer", "worker-1"];
    let mut child = cli()
        .args(&tail_args)
        .args(group)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let printed = stream_ids_then_kill(&mut child, 300);
    assert!(printed.len() >= 300 && (printed.len() as u64) < total);
    // Restarted: the broker hands the partitions back once the dead
    // member's session ends; it resumes from the last committed offsets.
    let o = run(&[&tail_args[..], &group, &["--timeout", "25"]].concat(), "");
    let second: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|v| v["stream_id"].as_str().unwrap().to_owned())
        .collect();
    let all: BTreeSet<&String> = printed.iter().chain(&second).collect();
    assert_eq!(
        all.len() as u64,
        total,
        "every message printed by one run or the other"
    );
    let duplicates = printed.len() + second.len() - all.len();
    assert!(duplicates <= 600, "{duplicates} duplicates");
}

/// SASL settings reach the broker and credentials never reach the output:
/// against tansu requiring SCRAM-SHA-512 logins (it has no users), `bus
/// status` and `bus send` fail saying that the login was refused, after a
/// real SCRAM exchange; the password, as written in the URL and decoded,
/// appears nowhere.
#[test]
fn sasl_logins_reach_the_broker_and_credentials_never_the_output() {
    let broker = Tansu::start_authenticating();
    let registry = Registry::start();
    let url = format!(
        "kafka://alice:s3cret%40pass@{}?security.protocol=SASL_PLAINTEXT&sasl.mechanism=SCRAM-SHA-512",
        broker.bootstrap()
    );
    let reg = registry.url();
    for (args, stdin) in [
        (
            vec!["bus", "status", "--url", &url, "--topic", "t"],
            String::new(),
        ),
        (
            vec![
                "bus",
                "send",
                "generated/events",
                "--event",
                "SESSION_LOGIN_COMPLETED",
                "--url",
                &url,
                "--schema-registry",
                &reg,
                "--topic",
                "t",
            ],
            login(1) + "\n",
        ),
    ] {
        let o = run(&args, &stdin);
        let out = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.status.success(), "{args:?}: {out}");
        assert!(
            out.contains("SASL authentication error") && out.contains("unknown-user"),
            "{args:?}: {out}"
        );
        assert!(
            !out.contains("s3cret") && !out.contains("alice:"),
            "{args:?} leaked: {out}"
        );
    }
}

/// `--tls-ca FILE` on a `kafka://` URL: `bus send` and `bus status` reach
/// a broker that only TLS reaches (tansu behind a TLS terminator), trusting
/// the test's CA; without it the broker's certificate is refused.
#[test]
fn tls_ca_reaches_a_broker_behind_tls() {
    let (broker, ca) = Tansu::start_behind_tls();
    let registry = Registry::start();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca).unwrap();
    let ca_file = ca_file.to_string_lossy().into_owned();
    let prefix = unique("cli-tls");
    let bus: BusUrl = broker.url().parse().unwrap();
    admin::create_topics(&bus.with_ca_pem(ca), &[&format!("{prefix}-t")], 1).unwrap();
    let url = broker.url();
    let reg = registry.url();
    let common = [
        "--url",
        url.as_str(),
        "--topic",
        "t",
        "--prefix",
        prefix.as_str(),
        "--tls-ca",
        ca_file.as_str(),
    ];
    let send = [
        &["bus", "send", "generated/events"][..],
        &["--event", "SESSION_LOGIN_COMPLETED"],
        &["--schema-registry", reg.as_str()],
        &common,
    ]
    .concat();
    let input: String = (0..2).map(|i| login(i) + "\n").collect();
    let o = run(&send, &input);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 2);
    let o = run(&[&["bus", "status"][..], &common].concat(), "");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains(&format!("stream {prefix}-t: ")), "{out}");
    // TLS without the CA.
    let untrusted = format!("{url}?security.protocol=ssl");
    let o = run(&["bus", "status", "--url", &untrusted, "--topic", "t"], "");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("certificate verify failed"), "{err}");
}

/// `bus replay` on a `kafka://` URL: what lies on `<topic>-dead-letter`
/// goes back to the topic, where `bus tail` reads it; a second replay finds
/// nothing new (its group remembers how far replays got).
#[test]
fn replay_moves_dead_letters_back_to_the_topic() {
    let broker = Tansu::shared();
    let registry = Registry::start();
    let prefix = unique("cli-replay");
    let bus: BusUrl = broker.url().parse().unwrap();
    let (topic, dead) = (format!("{prefix}-t"), format!("{prefix}-t-dead-letter"));
    admin::create_topics(&bus, &[&topic, &dead], 1).unwrap();
    let (url, reg) = (broker.url(), registry.url());
    let at = |t: &'static str| {
        [
            "--url",
            url.as_str(),
            "--schema-registry",
            reg.as_str(),
            "--topic",
            t,
            "--prefix",
            prefix.as_str(),
        ]
    };
    // A dead letter: an event on the dead-letter topic.
    let send = [
        &["bus", "send", "generated/events"][..],
        &["--event", "SESSION_LOGIN_COMPLETED"],
        &at("t-dead-letter"),
    ]
    .concat();
    let o = run(&send, &(login(42) + "\n"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let replay = [&["bus", "replay"][..], &at("t")].concat();
    for moved in [1, 0] {
        let o = run(&replay, "");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            format!("moved {moved} entries from {dead} back to {topic}\n")
        );
    }
    let tail = [
        &["bus", "tail", "generated/events"][..],
        &at("t"),
        &["--count", "1", "--timeout", "20"],
    ]
    .concat();
    let o = run(&tail, "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let event: Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(event["payload"]["user"]["id"], 42, "{event}");
}
