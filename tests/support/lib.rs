//! Helpers shared by the integration tests and benchmarks.

pub mod kafka;
pub mod python;
pub mod redis;
pub mod samples;
pub mod synthetic;
pub mod tls;
pub mod upstream;
pub mod vectors;

use std::path::{Path, PathBuf};

use openedx_hooks_schema::diag::{ColorChoice, render_text};
use openedx_hooks_schema::{Loader, Outcome};

/// The directory of this package (`tests/`).
pub fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    tests_dir()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Loads a fixture path (file or directory) given relative to `tests/`, so
/// that file names in diagnostics are stable across machines.
pub fn load_fixture(rel: &Path) -> Outcome {
    load_relative(&tests_dir(), rel)
}

/// Loads `rel` (a file or directory under `base`) naming files relative to
/// `base`, as the CLI does when run from `base`. Never changes the current
/// directory: tests run in parallel threads of one process.
pub fn load_relative(base: &Path, rel: &Path) -> Outcome {
    let files = Loader::collect_files(&[base.join(rel)]).expect("fixture readable");
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            let name = f
                .strip_prefix(base)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/");
            (name, std::fs::read_to_string(f).expect("fixture is UTF-8"))
        })
        .collect();
    let refs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    Loader::new().load_texts(&refs)
}

/// Every diagnostic rendered as plain text, separated by blank lines.
pub fn render_all(outcome: &Outcome) -> String {
    outcome
        .diagnostics
        .iter()
        .map(|d| render_text(d, &outcome.sources, ColorChoice::Never))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A command's stdout and stderr, for assertion messages.
pub fn output_text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs git in `dir` with a throwaway identity; fails the test if git fails.
pub fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

/// `cargo <command> --manifest-path DIR/Cargo.toml` for a crate outside the
/// workspace, in its own target directory (this test holds the workspace's).
pub fn cargo_outside(command: &str, dir: &Path, locked: bool) -> std::process::Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.arg(command);
    if locked {
        cmd.arg("--locked");
    }
    cmd.arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/downstream"),
        )
        .env_remove("OPENEDX_HOOKS_MANIFEST_DIR")
        .output()
        .expect("cargo runs")
}
