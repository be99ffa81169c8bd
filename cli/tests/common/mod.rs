//! What the CLI's integration tests share: running the binary from the
//! workspace root, and a payload.

#![allow(dead_code)] // Each test file uses its part.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The workspace root (catalog paths in tests are relative to it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

/// The `openedx-hooks` binary, run from the workspace root without colors.
pub fn cli() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_openedx-hooks"));
    c.current_dir(root()).env("NO_COLOR", "1");
    c
}

/// Runs the binary with `stdin`, to the end.
pub fn run(args: &[&str], stdin: impl AsRef<[u8]>) -> Output {
    let mut child = cli()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_ref())
        .expect("write stdin");
    child.wait_with_output().expect("waits")
}

/// A session-login payload (JSON) for user `id`.
pub fn login(id: u64) -> String {
    format!(
        r#"{{"user": {{"id": {id}, "is_active": true, "pii": {{"username": "u{id}", "email": "", "name": ""}}}}}}"#
    )
}

/// The `stream_id`s a `bus tail` child prints until `n` were read (or its
/// output ended); then it is killed with SIGKILL, and what it printed before
/// dying is added (a cut last line skipped). A watchdog kills it after 90 s,
/// so a consumer that never gets its partition cannot hang the test.
pub fn stream_ids_then_kill(child: &mut std::process::Child, n: usize) -> Vec<String> {
    use std::io::{BufRead, BufReader, Read};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let id = |v: serde_json::Value| v["stream_id"].as_str().expect("a stream id").to_owned();
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let (done, pid) = (Arc::clone(&done), child.id());
        std::thread::spawn(move || {
            for _ in 0..900 {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        })
    };
    let mut reader = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut ids = Vec::new();
    let mut line = String::new();
    while ids.len() < n {
        line.clear();
        if reader.read_line(&mut line).expect("reads") == 0 {
            break;
        }
        ids.push(id(serde_json::from_str(&line).expect("a JSON line")));
    }
    done.store(true, Ordering::SeqCst);
    watchdog.join().expect("the watchdog");
    let _ = child.kill(); // SIGKILL
    child.wait().expect("waits");
    let mut rest = String::new();
    let _ = reader.read_to_string(&mut rest);
    ids.extend(
        rest.lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .map(id),
    );
    ids
}
