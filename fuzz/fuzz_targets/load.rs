//! Feeds arbitrary bytes to the catalog loader as one file, and as one of
//! two files next to a valid module. Any panic, overflow or hang is a bug:
//! bad input must end in diagnostics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openedx_hooks_schema::diag::{ColorChoice, render_json, render_text};
use openedx_hooks_schema::Loader;

const OTHER: &str = "module: other\ntypes:\n  UserData:\n    fields:\n      id: int\nevents:\n  USER_CREATED:\n    type: org.openedx.other.user.account.created.v1\n    payload:\n      user: UserData\n";

fuzz_target!(|data: &[u8]| {
    // The loader reads files as UTF-8 (lossily after reporting); mirror that.
    let text = String::from_utf8_lossy(data);
    for outcome in [
        Loader::new().load_str("fuzz.yaml", &text),
        Loader::new().load_texts(&[("fuzz.yaml", &text), ("other.yaml", OTHER)]),
    ] {
        assert_eq!(outcome.catalog.is_some(), !outcome.diagnostics.has_errors());
        // Rendering must cope with every span the loader produced.
        for d in &outcome.diagnostics {
            let _ = render_text(d, &outcome.sources, ColorChoice::Never);
        }
        let _ = render_json(&outcome.diagnostics, &outcome.sources);
        if let Some(c) = &outcome.catalog {
            let _ = c.to_json();
        }
    }
});
