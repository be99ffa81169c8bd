//! Process-wide configuration: the metadata source and disabled receivers.
//! It grows with each kind of hook (filters add their pipelines), so
//! [`Config`] is built with methods, never with a struct literal.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

/// What [`configure`] sets.
///
/// ```
/// openedx_hooks::configure(
///     openedx_hooks::Config::new()
///         .service("lms")
///         .disable_receiver("my_plugin::on_login", None),
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The service sending events: metadata `source` becomes `openedx/<service>/web`.
    /// Empty means `unknown`.
    pub service: String,
    /// Overrides the host name in metadata (resolved from the OS when `None`).
    pub source_host: Option<String>,
    /// Receivers registered with `#[receiver]` to leave out: receiver path
    /// (`crate::module::function`) and, optionally, only for one event type.
    pub disabled_receivers: Vec<(String, Option<String>)>,
    /// Whether JSON payloads may carry keys their type does not know
    /// (see [`Config::allow_unknown_fields`]).
    pub allow_unknown_fields: bool,
}

impl Config {
    /// The defaults: service `unknown`, the OS host name, no receiver disabled.
    pub fn new() -> Self {
        Self::default()
    }

    /// The service sending events (`lms`, `cms`): metadata `source` becomes
    /// `openedx/<service>/web`.
    pub fn service(mut self, service: impl Into<String>) -> Self {
        self.service = service.into();
        self
    }

    /// Overrides the host name in metadata.
    pub fn source_host(mut self, host: impl Into<String>) -> Self {
        self.source_host = Some(host.into());
        self
    }

    /// Accepts keys a payload type does not know in JSON payloads
    /// (`AnySignal::send_json`, `json_to_avro`), for forward compatibility
    /// with newer senders. Off by default: an unknown key is an error that
    /// names it, so a misspelled optional field never becomes its default.
    pub fn allow_unknown_fields(mut self, allow: bool) -> Self {
        self.allow_unknown_fields = allow;
        self
    }

    /// Leaves out the `#[receiver]` at `path` (`crate::module::function`),
    /// for every event or only for `event_type`.
    pub fn disable_receiver(mut self, path: impl Into<String>, event_type: Option<&str>) -> Self {
        self.disabled_receivers
            .push((path.into(), event_type.map(str::to_owned)));
        self
    }
}

/// The metadata fields that come from configuration, shared by every event.
///
/// The strings are leaked once per [`configure`] call (a handful of bytes,
/// normally once per process) so that building metadata copies no text.
#[derive(Debug)]
pub(crate) struct Identity {
    pub source: &'static str,
    pub source_host: &'static str,
    pub source_lib: &'static str,
}

static IDENTITY: Mutex<Option<&'static Identity>> = Mutex::new(None);
/// Bumped by every [`configure`]; threads re-read the identity when it moves.
static GENERATION: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// This thread's copy of the identity and the generation it was read at:
    /// building metadata then costs one atomic load instead of a lock.
    static CACHED: Cell<(u64, Option<&'static Identity>)> = const { Cell::new((0, None)) };
}
static DISABLED: RwLock<Vec<(String, Option<String>)>> = RwLock::new(Vec::new());
static UNKNOWN_FIELDS: AtomicBool = AtomicBool::new(false);
/// Whether `DISABLED` is non-empty: lets sends skip the lookup entirely.
static ANY_DISABLED: AtomicBool = AtomicBool::new(false);

/// Sets the process-wide configuration. Call it once at start-up, before
/// events are sent; later calls replace the previous configuration.
pub fn configure(config: Config) {
    // Leaked: metadata borrows these strings for the rest of the process.
    let id: &'static Identity = Box::leak(Box::new(identity(&config)));
    *IDENTITY.lock().unwrap_or_else(|e| e.into_inner()) = Some(id);
    GENERATION.fetch_add(1, Ordering::AcqRel);
    UNKNOWN_FIELDS.store(config.allow_unknown_fields, Ordering::Release);
    if let Ok(mut d) = DISABLED.write() {
        ANY_DISABLED.store(!config.disabled_receivers.is_empty(), Ordering::Release);
        *d = config.disabled_receivers;
    }
}

fn identity(config: &Config) -> Identity {
    let service = if config.service.is_empty() {
        "unknown"
    } else {
        &config.service
    };
    let host = config
        .source_host
        .clone()
        .unwrap_or_else(|| gethostname::gethostname().to_string_lossy().into_owned());
    Identity {
        source: Box::leak(format!("openedx/{service}/web").into_boxed_str()),
        source_host: Box::leak(host.into_boxed_str()),
        source_lib: env!("CARGO_PKG_VERSION"),
    }
}

/// The current identity; resolved (host name included) once, on first use.
pub(crate) fn current_identity() -> &'static Identity {
    let generation = GENERATION.load(Ordering::Acquire);
    CACHED.with(|c| match c.get() {
        (g, Some(id)) if g == generation => id,
        _ => {
            let id = *IDENTITY
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert_with(|| Box::leak(Box::new(identity(&Config::default()))));
            c.set((generation, Some(id)));
            id
        }
    })
}

/// Whether JSON payloads may carry unknown keys.
pub(crate) fn allows_unknown_fields() -> bool {
    UNKNOWN_FIELDS.load(Ordering::Acquire)
}

/// Whether any receiver is disabled at all.
pub(crate) fn any_disabled() -> bool {
    ANY_DISABLED.load(Ordering::Acquire)
}

/// Whether configuration disables the receiver at `path` for `event_type`.
pub(crate) fn is_disabled(path: &str, event_type: &str) -> bool {
    DISABLED.read().is_ok_and(|d| {
        d.iter()
            .any(|(p, t)| p == path && t.as_deref().is_none_or(|t| t == event_type))
    })
}
