//! The dead letter, as both backends write it: the stream or topic
//! `<stream>-dead-letter`, and the event's own fields (Redis) or headers
//! (Kafka) followed by `dead_letter_*` ones saying why.

/// What the fields or headers a dead letter adds start with (a replay
/// drops them).
pub(crate) const PREFIX: &str = "dead_letter_";

/// The dead-letter stream (or topic) of a stream.
pub(crate) fn stream(stream: &str) -> String {
    format!("{stream}-dead-letter")
}

/// Why an event was dead-lettered.
pub(crate) struct Why<'a> {
    pub reason: &'a str,
    pub receiver: &'a str,
    pub attempts: u32,
    /// The stream (or topic) it came from, and its id there.
    pub stream: &'a str,
    pub stream_id: &'a str,
    pub group: &'a str,
}

impl Why<'_> {
    /// The `dead_letter_*` fields, in the order they are written; `time` is
    /// when it was dead-lettered.
    pub(crate) fn fields(&self) -> [(String, String); 7] {
        let time = jiff::Timestamp::now().to_string();
        [
            ("error", self.reason.to_owned()),
            ("receiver", self.receiver.to_owned()),
            ("attempts", self.attempts.to_string()),
            ("stream", self.stream.to_owned()),
            ("stream_id", self.stream_id.to_owned()),
            ("group", self.group.to_owned()),
            ("time", time),
        ]
        .map(|(name, value)| (format!("{PREFIX}{name}"), value))
    }
}
