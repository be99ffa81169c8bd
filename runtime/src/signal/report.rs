//! What happened to each receiver of one send.

use std::fmt;

use crate::hook::call::Outcome;

/// A receiver and its result.
#[derive(Debug)]
#[non_exhaustive]
pub struct ReceiverOutcome {
    /// The receiver: its path for `#[receiver]` functions, else its type name.
    pub receiver: &'static str,
    /// What it did.
    pub outcome: Outcome,
}

/// The result of sending one event: every receiver ran, whatever the others did.
///
/// Failures are also logged through `tracing`; nothing is swallowed silently.
#[derive(Debug)]
#[must_use = "a send report says which receivers failed"]
#[non_exhaustive]
pub struct SendReport {
    event_type: &'static str,
    sent: bool,
    outcomes: Vec<ReceiverOutcome>,
}

impl SendReport {
    pub(crate) fn new(event_type: &'static str, capacity: usize) -> Self {
        SendReport {
            event_type,
            sent: true,
            outcomes: Vec::with_capacity(capacity),
        }
    }

    pub(crate) fn disabled(event_type: &'static str) -> Self {
        SendReport {
            event_type,
            sent: false,
            outcomes: Vec::new(),
        }
    }

    /// Logs the failures; in strict mode (tests) panics on any. The end
    /// of every send, kept out of the generic send path.
    pub(crate) fn finish(self, strict: bool) -> Self {
        if !self.is_ok() {
            for f in self.failures() {
                tracing::error!(event_type = self.event_type, receiver = f.receiver, outcome = %f.outcome, "event receiver failed");
            }
            if strict {
                panic!("strict mode: {self}");
            }
        }
        self
    }

    pub(crate) fn push(&mut self, receiver: &'static str, outcome: Outcome) {
        self.outcomes.push(ReceiverOutcome { receiver, outcome });
    }

    /// The event type sent.
    pub fn event_type(&self) -> &'static str {
        self.event_type
    }

    /// `false` when the signal was disabled and nothing was sent.
    pub fn was_sent(&self) -> bool {
        self.sent
    }

    /// Every receiver's outcome, in the order they ran.
    pub fn outcomes(&self) -> &[ReceiverOutcome] {
        &self.outcomes
    }

    /// The receivers that returned an error or panicked.
    pub fn failures(&self) -> impl Iterator<Item = &ReceiverOutcome> {
        self.outcomes.iter().filter(|o| !o.outcome.is_ok())
    }

    /// Whether every receiver succeeded (true when there were none).
    pub fn is_ok(&self) -> bool {
        self.outcomes.iter().all(|o| o.outcome.is_ok())
    }

    /// Panics with the report unless every receiver succeeded; for tests.
    #[track_caller]
    pub fn assert_ok(&self) {
        assert!(
            self.is_ok(),
            "receivers of {} failed: {self}",
            self.event_type
        );
    }
}

impl fmt::Display for SendReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.sent {
            return write!(f, "{}: not sent (signal disabled)", self.event_type);
        }
        write!(
            f,
            "{}: {} receiver(s)",
            self.event_type,
            self.outcomes.len()
        )?;
        for o in &self.outcomes {
            write!(f, "; {}: {}", o.receiver, o.outcome)?;
        }
        Ok(())
    }
}
