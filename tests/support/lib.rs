//! Helpers shared by the integration tests and benchmarks.

pub mod synthetic;

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
    std::env::set_current_dir(tests_dir()).expect("tests dir exists");
    Loader::new().load(&[rel]).expect("fixture readable")
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
