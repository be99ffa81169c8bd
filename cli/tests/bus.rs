//! `openedx-hooks bus …` against a real redis-server: send and tail with any
//! catalog, exit codes, malformed entries, status and replay, and a group
//! consumer killed with SIGKILL mid-stream and restarted (nothing lost).

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use common::{cli, login, run, stream_ids_then_kill};
use openedx_hooks_tests::redis::{Redis, unique};
use serde_json::Value;

const EVENT: &str = "org.openedx.learning.auth.session.login.completed.v1";

fn send(url: &str, prefix: &str, lines: &str) -> Output {
    run(
        &[
            "bus",
            "send",
            "generated/events",
            "--url",
            url,
            "--topic",
            "t",
            "--prefix",
            prefix,
            "--event",
            EVENT,
        ],
        lines,
    )
}

fn tail(url: &str, prefix: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "bus",
        "tail",
        "generated/events",
        "--url",
        url,
        "--topic",
        "t",
        "--prefix",
        prefix,
    ];
    args.extend_from_slice(extra);
    run(&args, "")
}

/// `bus tail` on topic `t` as a child process, its stdout piped.
fn spawn_tail(url: &str, prefix: &str, extra: &[&str]) -> std::process::Child {
    cli()
        .args([
            "bus",
            "tail",
            "generated/events",
            "--url",
            url,
            "--topic",
            "t",
            "--prefix",
            prefix,
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// `bus status --json` of topic `t`.
fn status_json(url: &str, prefix: &str) -> Value {
    let o = run(
        &[
            "bus", "status", "--json", "--url", url, "--topic", "t", "--prefix", prefix,
        ],
        "",
    );
    serde_json::from_slice(&o.stdout).expect("status JSON")
}

fn lines(o: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn send_then_tail_with_the_catalog_alone() {
    let redis = Redis::shared();
    let url = redis.url();
    let prefix = unique("cli");
    let input = format!(
        "{}\n\n{}\n{{\"user\": {{\"id\": 9}}}}\nnot json\n",
        login(1),
        login(2)
    );
    let o = send(&url, &prefix, &input);
    // Two sent and printed; the two bad lines named, exit 1.
    assert_eq!(o.status.code(), Some(1));
    let ids: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(ids.len(), 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("line 4: invalid payload") && err.contains("user.is_active"),
        "{err}"
    );
    assert!(err.contains("line 5: not JSON"), "{err}");

    let o = tail(&url, &prefix, &["--count", "2", "--timeout", "10"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got = lines(&o);
    assert_eq!(got[0]["stream_id"], ids[0].as_str());
    assert_eq!(got[1]["payload"]["user"]["pii"]["username"], "u2");
    assert_eq!(got[0]["metadata"]["event_type"], EVENT);
    assert_eq!(got[0]["metadata"]["minor_version"], 0);

    // The timeout first: exit 1, with what was there printed.
    let o = tail(&url, &prefix, &["--count", "3", "--timeout", "0.5"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(lines(&o).len(), 2);

    // A malformed entry is reported and skipped; the tail goes on.
    let mut c = redis::Client::open(url.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let _: String = redis::cmd("XADD")
        .arg(format!("{prefix}-t"))
        .arg("*")
        .arg("type")
        .arg(EVENT)
        .query(&mut c)
        .unwrap();
    send(&url, &prefix, &login(3));
    let o = tail(&url, &prefix, &["--count", "3", "--timeout", "10"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(lines(&o)[2]["payload"]["user"]["id"], 3);
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing field `id`"));

    // As a group member: acknowledged, dead-lettered, then replayed.
    let o = tail(
        &url,
        &prefix,
        &["--group", "g", "--count", "3", "--timeout", "10"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(
        &[
            "bus", "status", "--url", &url, "--topic", "t", "--prefix", &prefix,
        ],
        "",
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&format!("stream {prefix}-t: 4 entries")),
        "{text}"
    );
    assert!(
        text.contains("group g: 1 consumers, 0 pending, lag 0"),
        "{text}"
    );
    assert!(
        text.contains("dead letters") && text.ends_with(": 1\n"),
        "{text}"
    );
    let o = run(
        &[
            "bus", "replay", "--url", &url, "--topic", "t", "--prefix", &prefix,
        ],
        "",
    );
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("moved 1 entries"));
    let status = status_json(&url, &prefix);
    assert_eq!(status["length"], 5);
    assert_eq!(status["dead_letters"], 0);
}

#[test]
fn credentials_never_reach_the_output() {
    let redis = Redis::start(&["--requirepass", "s3cr3t-pw"]);
    let good = redis.url().replace("redis://", "redis://:s3cr3t-pw@");
    let bad = redis.url().replace("redis://", "redis://:wrong-pw@");
    let o = run(&["bus", "status", "--url", &bad, "--topic", "t"], "");
    assert_eq!(o.status.code(), Some(2));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!all.contains("wrong-pw"), "{all}");
    assert!(all.contains("redis://:***@127.0.0.1"), "{all}");
    let o = run(&["bus", "status", "--url", &good, "--topic", "t"], "");
    assert_eq!(o.status.code(), Some(0));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!all.contains("s3cr3t-pw"), "{all}");
    assert!(all.contains("bus: redis://:***@"), "{all}");
    // An ACL user, as a managed Redis gives one.
    let mut admin = redis::Client::open(good.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let _: () = redis::cmd("ACL")
        .arg(&["SETUSER", "app", "on", ">app-s3cret", "~*", "+@all"])
        .query(&mut admin)
        .unwrap();
    let acl = redis.url().replace("redis://", "redis://app:app-s3cret@");
    let o = run(&["bus", "status", "--url", &acl, "--topic", "t"], "");
    assert_eq!(o.status.code(), Some(0));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !all.contains("app-s3cret") && all.contains("redis://***:***@"),
        "{all}"
    );
}

#[test]
fn a_consumer_killed_mid_stream_and_restarted_loses_nothing() {
    let redis = Redis::shared();
    let url = redis.url();
    let prefix = unique("kill");
    let total = 3000u64;
    let input: String = (0..total).map(|i| login(i) + "\n").collect();
    let o = send(&url, &prefix, &input);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sent: BTreeSet<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(sent.len() as u64, total);

    let group_args = ["--group", "g", "--consumer", "worker-1"];
    // First run: killed with SIGKILL after it printed some entries.
    let mut child = spawn_tail(&url, &prefix, &group_args);
    let first = stream_ids_then_kill(&mut child, 700);
    assert!(first.len() >= 700 && (first.len() as u64) < total);

    // Restarted under the same name: its own pending entries first (what
    // it held when killed), then the rest; it runs until the timeout.
    let o = tail(
        &url,
        &prefix,
        &["--group", "g", "--consumer", "worker-1", "--timeout", "3"],
    );
    assert_eq!(o.status.code(), Some(0));
    let second: Vec<String> = lines(&o)
        .iter()
        .map(|v| v["stream_id"].as_str().unwrap().to_owned())
        .collect();
    let all: BTreeSet<String> = first.iter().chain(&second).cloned().collect();
    let lost = sent.difference(&all).count();
    assert_eq!(lost, 0, "entries printed by neither run");
    assert_eq!(all.len(), sent.len());
    // Duplicates: at most what the killed consumer held (one read batch).
    let duplicates = first.len() + second.len() - all.len();
    assert!(duplicates <= 100, "{duplicates} duplicates");
    let status = status_json(&url, &prefix);
    assert_eq!(status["groups"][0]["pending"], 0, "{status}");
}

#[test]
fn sigterm_stops_a_group_tail_after_the_entries_in_hand() {
    let redis = Redis::shared();
    let url = redis.url();
    let prefix = unique("term");
    let input: String = (0..5).map(|i| login(i) + "\n").collect();
    assert!(send(&url, &prefix, &input).status.success());
    let mut child = spawn_tail(&url, &prefix, &["--group", "g"]);
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut printed = 0;
    let mut line = String::new();
    while printed < 5 && reader.read_line(&mut line).unwrap() > 0 {
        printed += 1;
        line.clear();
    }
    assert_eq!(printed, 5);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "a graceful stop");
    let status = status_json(&url, &prefix);
    assert_eq!(status["groups"][0]["pending"], 0, "{status}");
    assert_eq!(status["groups"][0]["lag"], 0, "{status}");
}

#[test]
fn a_group_replays_from_a_time() {
    let redis = Redis::shared();
    let url = redis.url();
    let prefix = unique("time");
    let before: String = (0..4).map(|i| login(i) + "\n").collect();
    assert!(send(&url, &prefix, &before).status.success());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let since = jiff::Timestamp::now().to_string();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let after: String = (10..13).map(|i| login(i) + "\n").collect();
    let sent = send(&url, &prefix, &after);
    let ids: Vec<String> = String::from_utf8_lossy(&sent.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    let o = tail(
        &url,
        &prefix,
        &["--group", "g", "--from-time", &since, "--timeout", "2"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got: Vec<String> = lines(&o)
        .iter()
        .map(|v| v["stream_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, ids, "only what was sent after the time");
    let bad = tail(&url, &prefix, &["--group", "g", "--from-time", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
}
