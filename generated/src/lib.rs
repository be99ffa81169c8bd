//! The Open edX events catalog, the Rust twin of the Python `openedx-events` library.
//!
//! The catalog lives in `events/*.yaml` next to this crate, one file per
//! subdomain (`analytics`, `content_authoring`, `enterprise`, `learning`).
//! The generated Rust payload types and signals are checked in here by the
//! code-generation issue; until then the crate ships the catalog itself.

/// Name and YAML text of every catalog file, in load order (sorted by path).
pub const CATALOG_FILES: [(&str, &str); 4] = [
    (
        "events/analytics.yaml",
        include_str!("../events/analytics.yaml"),
    ),
    (
        "events/content_authoring.yaml",
        include_str!("../events/content_authoring.yaml"),
    ),
    (
        "events/enterprise.yaml",
        include_str!("../events/enterprise.yaml"),
    ),
    (
        "events/learning.yaml",
        include_str!("../events/learning.yaml"),
    ),
];

/// The directory holding the catalog YAML, for tools run from this checkout.
pub const CATALOG_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/events");
