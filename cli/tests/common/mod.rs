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
