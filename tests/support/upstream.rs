//! The upstream release the bundled catalog twins (openedx-events 10.5.0),
//! and a comparison that says what to do when the two differ.

use std::collections::BTreeSet;

use serde_json::Value;

/// The fixture every "equals upstream" test reads.
pub const FIXTURE: &str = "tests/fixtures/openedx-events-catalog.json";

/// The upstream reference: every signal and data class of the release.
pub fn reference() -> Value {
    let path = crate::workspace_root().join(FIXTURE);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{FIXTURE} is not JSON: {e}"))
}

/// The event types of the upstream release, sorted.
pub fn event_types() -> BTreeSet<String> {
    reference()["signals"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["event_type"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Fails unless `ours` (what a test found for each bundled event: event
/// types) is exactly upstream's set, naming each difference and the fix,
/// instead of a bare count mismatch.
#[track_caller]
pub fn assert_same_events(ours: impl IntoIterator<Item = String>, what: &str) {
    let ours: BTreeSet<String> = ours.into_iter().collect();
    let theirs = event_types();
    if ours == theirs {
        return;
    }
    let extra: Vec<&String> = ours.difference(&theirs).collect();
    let missing: Vec<&String> = theirs.difference(&ours).collect();
    let mut msg = format!("{what}: the bundled catalog and upstream ({FIXTURE}) differ.\n");
    if !extra.is_empty() {
        msg.push_str(&format!(
            "  not upstream: {extra:?}\n  If you added a hook to generated/events on purpose, add it to {FIXTURE} too\n  (one object in \"signals\": name, subdomain, event_type, minor_version, payload,\n  key_field, as the reference's openedx_events package defines it), then run\n  `cargo run -p openedx-hooks-cli -- refresh` and commit both.\n"
        ));
    }
    if !missing.is_empty() {
        msg.push_str(&format!(
            "  missing here: {missing:?}\n  The bundled catalog must keep every upstream hook: restore it in generated/events.\n"
        ));
    }
    panic!("{msg}");
}
