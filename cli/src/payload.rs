//! `encode` and `decode`: one payload between JSON and Avro, for any catalog.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use openedx_hooks_schema::diag::ColorChoice;
use openedx_hooks_schema::{Catalog, EventDef};

use crate::wire;

/// A payload's encoding.
#[derive(Clone, Copy, ValueEnum)]
pub enum WireFormat {
    /// Avro binary, as the event bus carries it (no container header)
    Avro,
    /// The runtime's JSON form
    Json,
}

/// The event named by a type string or a constant name.
fn find<'c>(catalog: &'c Catalog, event: &str) -> Result<&'c EventDef, ExitCode> {
    if let Some((_, e)) = catalog.event_by_type(event) {
        return Ok(e);
    }
    if let Some((_, e)) = catalog.events().find(|(_, e)| e.name == event) {
        return Ok(e);
    }
    eprintln!(
        "error: the catalog has no event `{event}` (give its type, e.g. org.openedx.learning.student.registration.completed.v1, or its name)"
    );
    Err(ExitCode::from(2))
}

fn read_stdin() -> Result<Vec<u8>, ExitCode> {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).map_err(|e| {
        eprintln!("error: cannot read stdin: {e}");
        ExitCode::from(2)
    })?;
    Ok(input)
}

fn write_stdout(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write stdout: {e}");
            ExitCode::from(2)
        }
    }
}

fn invalid(event: &EventDef, e: &wire::WireError) -> ExitCode {
    eprintln!("error: invalid payload for {}: {e}", event.event_type);
    ExitCode::from(1)
}

fn pretty(value: &serde_json::Value) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// JSON on stdin to `format` on stdout.
pub fn encode(paths: &[PathBuf], event: &str, format: WireFormat, color: ColorChoice) -> ExitCode {
    let outcome = match crate::load_valid(paths, color) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let Some(catalog) = &outcome.catalog else {
        return ExitCode::from(1);
    };
    let event = match find(catalog, event) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let input = match read_stdin() {
        Ok(i) => i,
        Err(code) => return code,
    };
    let payload: serde_json::Value = match serde_json::from_slice(&input) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: stdin is not JSON: {e}");
            return ExitCode::from(1);
        }
    };
    match format {
        WireFormat::Avro => match wire::encode(catalog, event, &payload) {
            Ok(bytes) => write_stdout(&bytes),
            Err(e) => invalid(event, &e),
        },
        WireFormat::Json => match wire::normalize(catalog, event, &payload) {
            Ok(v) => write_stdout(&pretty(&v)),
            Err(e) => invalid(event, &e),
        },
    }
}

/// `format` on stdin to JSON on stdout.
pub fn decode(paths: &[PathBuf], event: &str, format: WireFormat, color: ColorChoice) -> ExitCode {
    let outcome = match crate::load_valid(paths, color) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let Some(catalog) = &outcome.catalog else {
        return ExitCode::from(1);
    };
    let event = match find(catalog, event) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let input = match read_stdin() {
        Ok(i) => i,
        Err(code) => return code,
    };
    let decoded = match format {
        WireFormat::Avro => wire::decode(catalog, event, &input),
        WireFormat::Json => match serde_json::from_slice(&input) {
            Ok(v) => wire::normalize(catalog, event, &v),
            Err(e) => {
                eprintln!("error: stdin is not JSON: {e}");
                return ExitCode::from(1);
            }
        },
    };
    match decoded {
        Ok(v) => write_stdout(&pretty(&v)),
        Err(e) => invalid(event, &e),
    }
}
