//! Settings of producers and consumers, and the producer configuration
//! (`EVENT_BUS_PRODUCER_CONFIG`): which event types go to which topics.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::error::ConfigError;
use crate::url::BusUrl;

/// The stream (Redis) or topic (Kafka) name of a topic: `<prefix>-<topic>`,
/// or the topic alone when no prefix is set, as the platform names them.
///
/// ```
/// assert_eq!(openedx_hooks_bus::stream_name(Some("dev"), "user-login"), "dev-user-login");
/// assert_eq!(openedx_hooks_bus::stream_name(None, "user-login"), "user-login");
/// assert_eq!(openedx_hooks_bus::stream_name(Some(""), "user-login"), "user-login");
/// ```
pub fn stream_name(prefix: Option<&str>, topic: &str) -> String {
    match prefix {
        Some(p) if !p.is_empty() => format!("{p}-{topic}"),
        _ => topic.to_owned(),
    }
}

/// How a producer connects and queues.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProducerSettings {
    /// The bus.
    pub url: BusUrl,
    /// `EVENT_BUS_TOPIC_PREFIX`.
    pub prefix: Option<String>,
    /// `MAXLEN ~` of every add (`EVENT_BUS_REDIS_STREAM_MAX_LEN`, 10,000).
    pub max_len: u64,
    /// Events the queue holds before sends are refused (10,000).
    pub queue_capacity: usize,
    /// The longest a sender waits for room in a full queue (0: never waits).
    pub enqueue_timeout: Duration,
    /// The most events written in one pipelined round trip (1,000).
    pub batch_size: usize,
    /// How long the worker keeps retrying a batch while the server is
    /// unreachable before the batch's events fail (60 s).
    pub give_up_after: Duration,
    /// First reconnection delay, doubled per attempt (50 ms).
    pub backoff_initial: Duration,
    /// Longest reconnection delay (2 s).
    pub backoff_max: Duration,
    /// Connect and I/O timeout (5 s).
    pub io_timeout: Duration,
}

impl ProducerSettings {
    /// Settings with the defaults above.
    pub fn new(url: BusUrl) -> Self {
        ProducerSettings {
            url,
            prefix: None,
            max_len: 10_000,
            queue_capacity: 10_000,
            enqueue_timeout: Duration::ZERO,
            batch_size: 1_000,
            give_up_after: Duration::from_secs(60),
            backoff_initial: Duration::from_millis(50),
            backoff_max: Duration::from_secs(2),
            io_timeout: Duration::from_secs(5),
        }
    }

    /// Sets the topic prefix.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Sets `MAXLEN ~`.
    pub fn max_len(mut self, max_len: u64) -> Self {
        self.max_len = max_len;
        self
    }

    /// Sets the queue's capacity and the longest a sender waits for room.
    pub fn queue(mut self, capacity: usize, enqueue_timeout: Duration) -> Self {
        self.queue_capacity = capacity;
        self.enqueue_timeout = enqueue_timeout;
        self
    }

    /// Sets how long an unreachable server is retried, and the backoff.
    pub fn retry(mut self, give_up_after: Duration, initial: Duration, max: Duration) -> Self {
        self.give_up_after = give_up_after;
        self.backoff_initial = initial;
        self.backoff_max = max;
        self
    }

    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if self.queue_capacity == 0 {
            return Err(ConfigError::Setting {
                name: "queue_capacity",
                message: "must be at least 1".into(),
            });
        }
        if self.batch_size == 0 {
            return Err(ConfigError::Setting {
                name: "batch_size",
                message: "must be at least 1".into(),
            });
        }
        Ok(())
    }
}

/// Where a consumer group starts reading.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StartFrom {
    /// Where the group left off; a new group reads the whole stream. The
    /// default: nothing written while consumers were down is skipped.
    #[default]
    Resume,
    /// Only entries added from now on (`$`): moves an existing group, and
    /// skips its backlog. Explicit only.
    Latest,
    /// After this entry id (`0` for everything; on Kafka, this offset of
    /// every partition): moves an existing group.
    Id(String),
    /// Kafka: from the first message at or after this time (milliseconds
    /// since the epoch), in every partition: a replay.
    Timestamp(i64),
}

/// How a consumer reads, retries and dead-letters.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConsumerSettings {
    /// The bus.
    pub url: BusUrl,
    /// `EVENT_BUS_TOPIC_PREFIX`.
    pub prefix: Option<String>,
    /// The topic.
    pub topic: String,
    /// The consumer group.
    pub group: String,
    /// This consumer's name in the group (default `<host>-<pid>`).
    pub consumer: String,
    /// Where the group starts.
    pub start: StartFrom,
    /// Deliveries of an entry (the first included) before it is
    /// dead-lettered (5).
    pub max_deliveries: u32,
    /// Delay before the first retry, doubled per delivery (1 s).
    pub retry_backoff: Duration,
    /// Longest retry delay (60 s).
    pub retry_backoff_max: Duration,
    /// Entries pending this long with another consumer are claimed (its
    /// owner is presumed dead; 5 min).
    pub claim_idle: Duration,
    /// The dead-letter stream (`<stream>-dead-letter`).
    pub dead_letter: Option<String>,
    /// Entries read per round trip (100).
    pub batch_size: usize,
    /// How long one read blocks waiting for entries (1 s; a stop is
    /// noticed within it).
    pub poll: Duration,
    /// Connect and I/O timeout (5 s).
    pub io_timeout: Duration,
}

impl ConsumerSettings {
    /// Settings with the defaults above.
    pub fn new(url: BusUrl, topic: impl Into<String>, group: impl Into<String>) -> Self {
        ConsumerSettings {
            url,
            prefix: None,
            topic: topic.into(),
            group: group.into(),
            consumer: default_consumer_name(),
            start: StartFrom::Resume,
            max_deliveries: 5,
            retry_backoff: Duration::from_secs(1),
            retry_backoff_max: Duration::from_secs(60),
            claim_idle: Duration::from_secs(300),
            dead_letter: None,
            batch_size: 100,
            poll: Duration::from_secs(1),
            io_timeout: Duration::from_secs(5),
        }
    }

    /// Sets the topic prefix.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Sets this consumer's name.
    pub fn consumer(mut self, name: impl Into<String>) -> Self {
        self.consumer = name.into();
        self
    }

    /// Sets where the group starts.
    pub fn start(mut self, start: StartFrom) -> Self {
        self.start = start;
        self
    }

    /// Sets the deliveries before dead-lettering and the retry backoff.
    pub fn retries(mut self, max_deliveries: u32, backoff: Duration, max: Duration) -> Self {
        self.max_deliveries = max_deliveries;
        self.retry_backoff = backoff;
        self.retry_backoff_max = max;
        self
    }

    /// Sets how long another consumer's entry stays pending before it is
    /// claimed.
    pub fn claim_idle(mut self, idle: Duration) -> Self {
        self.claim_idle = idle;
        self
    }

    /// Sets the read batch and how long a read blocks.
    pub fn reads(mut self, batch_size: usize, poll: Duration) -> Self {
        self.batch_size = batch_size;
        self.poll = poll;
        self
    }

    /// Sets the dead-letter stream.
    pub fn dead_letter(mut self, stream: impl Into<String>) -> Self {
        self.dead_letter = Some(stream.into());
        self
    }

    /// The stream read.
    pub fn stream(&self) -> String {
        stream_name(self.prefix.as_deref(), &self.topic)
    }

    /// The dead-letter stream.
    pub fn dead_letter_stream(&self) -> String {
        self.dead_letter
            .clone()
            .unwrap_or_else(|| crate::dead_letter::stream(&self.stream()))
    }

    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        let positive = |name, ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(ConfigError::Setting {
                    name,
                    message: "must be at least 1".into(),
                })
            }
        };
        positive("max_deliveries", self.max_deliveries >= 1)?;
        positive("batch_size", self.batch_size >= 1)?;
        for (name, value) in [
            ("topic", &self.topic),
            ("group", &self.group),
            ("consumer", &self.consumer),
        ] {
            if value.is_empty() {
                return Err(ConfigError::Setting {
                    name,
                    message: "must not be empty".into(),
                });
            }
        }
        Ok(())
    }
}

/// `<host>-<pid>`: unique per process on a host, stable for its life.
fn default_consumer_name() -> String {
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    format!("{host}-{}", std::process::id())
}

/// One topic of an event type in the producer configuration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TopicSettings {
    /// The payload field whose value keys the event (`user.id`): Kafka's
    /// message key; checked against the payload on load.
    pub event_key_field: String,
    /// Whether events go to this topic.
    #[serde(default = "enabled_default")]
    pub enabled: bool,
}

fn enabled_default() -> bool {
    true
}

/// The equivalent of the platform's `EVENT_BUS_PRODUCER_CONFIG`: per event
/// type, the topics it is sent to.
///
/// In TOML (YAML and JSON have the same shape):
///
/// ```toml
/// ["org.openedx.learning.auth.session.login.completed.v1".user-login]
/// event_key_field = "user.pii.username"
/// enabled = true
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct ProducerConfig {
    events: BTreeMap<String, BTreeMap<String, TopicSettings>>,
}

impl ProducerConfig {
    /// Reads a configuration file (`.toml`, `.yaml`/`.yml` or `.json`) and
    /// validates it against the events linked into the program.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let config = Self::parse(&text, ext, path)?;
        config.validate()?;
        Ok(config)
    }

    /// Parses a configuration in a format (`toml`, `yaml`/`yml`, `json`),
    /// without validating it.
    pub fn parse(text: &str, format: &str, path: &Path) -> Result<Self, ConfigError> {
        let parse_err = |message: String| ConfigError::Parse {
            path: path.to_owned(),
            message,
        };
        match format {
            "toml" => toml::from_str(text).map_err(|e| parse_err(e.to_string())),
            "yaml" | "yml" => yaml_serde::from_str(text).map_err(|e| parse_err(e.to_string())),
            "json" => serde_json::from_str(text).map_err(|e| parse_err(e.to_string())),
            other => Err(parse_err(format!(
                "unknown format `{other}` (expected .toml, .yaml, .yml or .json)"
            ))),
        }
    }

    /// Adds a topic for an event type (for configuration built in code).
    pub fn topic(
        mut self,
        event_type: impl Into<String>,
        topic: impl Into<String>,
        event_key_field: impl Into<String>,
    ) -> Self {
        self.events.entry(event_type.into()).or_default().insert(
            topic.into(),
            TopicSettings {
                event_key_field: event_key_field.into(),
                enabled: true,
            },
        );
        self
    }

    /// Checks every event type against the events linked into the program
    /// and every key field against its payload; reports every problem.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        for (event_type, topics) in &self.events {
            let Some(signal) = openedx_hooks::signal_by_type(event_type) else {
                let known = openedx_hooks::all_events().iter().map(|s| s.event_type());
                let hint = strsim_hint(event_type, known);
                problems.push(format!(
                    "`{event_type}`: no event of this type is linked into the program{hint}"
                ));
                continue;
            };
            if topics.is_empty() {
                problems.push(format!("`{event_type}`: no topic"));
            }
            for (topic, settings) in topics {
                if topic.is_empty() {
                    problems.push(format!("`{event_type}`: empty topic name"));
                }
                if !signal.has_field(&settings.event_key_field) {
                    problems.push(format!(
                        "`{event_type}` topic `{topic}`: event_key_field `{}` is not a field of the payload",
                        settings.event_key_field
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems))
        }
    }

    /// The enabled topics of an event type.
    pub fn topics_of(&self, event_type: &str) -> impl Iterator<Item = (&str, &TopicSettings)> {
        self.events
            .get(event_type)
            .into_iter()
            .flatten()
            .filter(|(_, s)| s.enabled)
            .map(|(t, s)| (t.as_str(), s))
    }

    /// Whether an event type has an enabled topic.
    pub fn forwards(&self, event_type: &str) -> bool {
        self.topics_of(event_type).next().is_some()
    }

    /// The configured event types.
    pub fn event_types(&self) -> impl Iterator<Item = &str> {
        self.events.keys().map(String::as_str)
    }
}

/// ", did you mean `x`?" for the nearest known event type.
fn strsim_hint<'a>(given: &str, known: impl Iterator<Item = &'a str>) -> String {
    known
        .map(|k| (strsim::levenshtein(given, k), k))
        .filter(|(d, k)| *d <= k.len() / 4 + 1)
        .min()
        .map(|(_, k)| format!(", did you mean `{k}`?"))
        .unwrap_or_default()
}
