//! Counters of producers and consumers, readable at any time.

use std::sync::atomic::{AtomicU64, Ordering};

/// What a producer did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProducerStats {
    /// Events accepted into the queue.
    pub queued: u64,
    /// Events the server stored.
    pub sent: u64,
    /// Events refused because the queue stayed full.
    pub rejected: u64,
    /// Events given up on (server unreachable past the bound, or refused).
    pub failed: u64,
    /// Reconnections after a lost connection.
    pub reconnects: u64,
}

/// What a consumer did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConsumerStats {
    /// Entries read (redeliveries included).
    pub received: u64,
    /// Entries acknowledged after every receiver succeeded.
    pub acknowledged: u64,
    /// Failed deliveries scheduled for another attempt.
    pub retried: u64,
    /// Entries moved to the dead-letter stream after their last attempt.
    pub dead_lettered: u64,
    /// Entries that were not events, dead-lettered at once.
    pub malformed: u64,
    /// Entries trimmed from the stream (`MAXLEN ~`) before the group read
    /// them, found when the consumer (re)connected: lost, and logged.
    pub trimmed: u64,
}

#[derive(Debug, Default)]
pub(crate) struct ProducerCounters {
    pub(crate) queued: AtomicU64,
    pub(crate) sent: AtomicU64,
    pub(crate) rejected: AtomicU64,
    pub(crate) failed: AtomicU64,
    pub(crate) reconnects: AtomicU64,
}

impl ProducerCounters {
    pub(crate) fn snapshot(&self) -> ProducerStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        ProducerStats {
            queued: get(&self.queued),
            sent: get(&self.sent),
            rejected: get(&self.rejected),
            failed: get(&self.failed),
            reconnects: get(&self.reconnects),
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct ConsumerCounters {
    pub(crate) received: AtomicU64,
    pub(crate) acknowledged: AtomicU64,
    pub(crate) retried: AtomicU64,
    pub(crate) dead_lettered: AtomicU64,
    pub(crate) malformed: AtomicU64,
    pub(crate) trimmed: AtomicU64,
}

impl ConsumerCounters {
    pub(crate) fn snapshot(&self) -> ConsumerStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        ConsumerStats {
            received: get(&self.received),
            acknowledged: get(&self.acknowledged),
            retried: get(&self.retried),
            dead_lettered: get(&self.dead_lettered),
            malformed: get(&self.malformed),
            trimmed: get(&self.trimmed),
        }
    }
}

pub(crate) fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}
