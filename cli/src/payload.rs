//! `encode` and `decode`: one payload between JSON and Avro, for any catalog.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use openedx_hooks_schema::diag::ColorChoice;
use openedx_hooks_schema::{Catalog, EventDef};

use openedx_hooks_codec as wire;

/// A payload's encoding.
#[derive(Clone, Copy, ValueEnum)]
pub enum WireFormat {
    /// Avro binary, as the event bus carries it (no container header)
    Avro,
    /// The runtime's JSON form
    Json,
}

/// The event named by a type string or a constant name.
pub fn find<'c>(catalog: &'c Catalog, event: &str) -> Result<&'c EventDef, ExitCode> {
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

fn invalid(event: &EventDef, e: &wire::CodecError) -> ExitCode {
    eprintln!("error: invalid payload for {}: {e}", event.event_type);
    ExitCode::from(1)
}

fn pretty(value: &serde_json::Value) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// Which way a payload goes.
#[derive(Clone, Copy)]
pub enum Direction {
    /// JSON in, `format` out.
    Encode,
    /// `format` in, JSON out.
    Decode,
}

fn parse_json(input: &[u8]) -> Result<serde_json::Value, ExitCode> {
    serde_json::from_slice(input).map_err(|e| {
        eprintln!("error: stdin is not JSON: {e}");
        ExitCode::from(1)
    })
}

/// `encode` (JSON on stdin to `format` on stdout) and `decode` (`format` on
/// stdin to JSON on stdout): one catalog load, one event lookup, one read.
pub fn run(
    direction: Direction,
    paths: &[PathBuf],
    externs: &[PathBuf],
    event: &str,
    format: WireFormat,
    options: wire::Options,
    color: ColorChoice,
) -> ExitCode {
    let loaded = match crate::load_valid(paths, externs, color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let catalog = &loaded;
    let event = match find(catalog, event) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let input = match read_stdin() {
        Ok(i) => i,
        Err(code) => return code,
    };
    let result = match (direction, format) {
        (Direction::Encode, WireFormat::Avro) => match parse_json(&input) {
            Ok(payload) => wire::encode_with(catalog, event, &payload, options)
                .map(|bytes| write_stdout(&bytes)),
            Err(code) => return code,
        },
        (Direction::Decode, WireFormat::Avro) => {
            wire::decode(catalog, event, &input).map(|v| write_stdout(&pretty(&v)))
        }
        // JSON either way: check and normalize.
        (_, WireFormat::Json) => match parse_json(&input) {
            Ok(payload) => wire::normalize(catalog, event, &payload, options)
                .map(|v| write_stdout(&pretty(&v))),
            Err(code) => return code,
        },
    };
    result.unwrap_or_else(|e| invalid(event, &e))
}
