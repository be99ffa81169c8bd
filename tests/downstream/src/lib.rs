//! Events of a downstream crate, compiled two ways.

/// From `build.rs`.
pub mod built {
    include!(concat!(env!("OUT_DIR"), "/events.rs"));
}

/// From the macro.
pub mod macroed {
    openedx_hooks::include_catalog!(
        "events-macro/",
        extern_catalog("../../generated/events", "::openedx_events"),
    );
}

use openedx_hooks::{BoxError, EventMetadata};

/// A link-time receiver of the downstream's own event.
#[openedx_hooks::receiver(built::badges::BADGE_SHOWCASED)]
fn count_badges(event: &built::badges::BadgeShowcased, _: &EventMetadata) -> Result<(), BoxError> {
    if event.badge.slug.is_empty() {
        return Err("a badge needs a slug".into());
    }
    Ok(())
}
