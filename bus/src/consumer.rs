//! The consumer: a consumer-group member that hands each event to a
//! handler, acknowledges only what succeeded, retries and dead-letters.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::config::ConsumerSettings;
use crate::error::BusError;
use crate::handler::Handler;
use crate::stats::{ConsumerCounters, ConsumerStats};
use crate::url::Backend;

/// Stops a running consumer: it finishes the entries in hand, acknowledges
/// them and returns.
#[derive(Debug, Clone, Default)]
pub struct StopHandle(Arc<AtomicBool>);

impl StopHandle {
    /// Asks the consumer to stop.
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a stop was asked for.
    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// A consumer-group member of one topic.
///
/// Guarantees (Redis Streams):
/// - on start it creates the group if needed and resumes where the group
///   left off ([`StartFrom`](crate::StartFrom) moves it explicitly), first
///   finishing its own pending entries, and claims entries another consumer
///   left pending longer than `claim_idle`;
/// - an entry is acknowledged only after the handler succeeded; a failed
///   entry is retried with backoff (later entries go on meanwhile) up to
///   `max_deliveries`, then moved to the dead-letter stream with its
///   fields, the error, the receiver and the attempt count; an entry that
///   is not an event is dead-lettered at once;
/// - it survives Redis going away (reconnects with backoff) and stops on
///   [`StopHandle::stop`] or, after [`Consumer::stop_on_signals`], on
///   SIGTERM or SIGINT.
///
/// ```no_run
/// use openedx_hooks_bus::{Consumer, ConsumerSettings, Dispatch};
///
/// let settings = ConsumerSettings::new("redis://127.0.0.1:6379".parse()?, "user-login", "my-service");
/// let consumer = Consumer::new(settings.prefix("dev"))?;
/// consumer.stop_on_signals()?;
/// let stats = consumer.run(&Dispatch)?;
/// println!("{stats:?}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Consumer {
    settings: ConsumerSettings,
    stop: StopHandle,
    counters: Arc<ConsumerCounters>,
}

impl Consumer {
    /// A consumer with these settings (nothing connects before `run`).
    pub fn new(settings: ConsumerSettings) -> Result<Self, BusError> {
        settings.check()?;
        Ok(Consumer {
            settings,
            stop: StopHandle::default(),
            counters: Arc::default(),
        })
    }

    /// A handle that stops `run`.
    pub fn stop_handle(&self) -> StopHandle {
        self.stop.clone()
    }

    /// Stops `run` on SIGTERM and SIGINT.
    pub fn stop_on_signals(&self) -> Result<(), BusError> {
        for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
            signal_hook::flag::register(signal, Arc::clone(&self.stop.0))
                .map_err(|e| BusError::Event(format!("cannot handle signal {signal}: {e}")))?;
        }
        Ok(())
    }

    /// The counters so far (readable while `run` runs on another thread).
    pub fn stats(&self) -> ConsumerStats {
        self.counters.snapshot()
    }

    /// The settings.
    pub fn settings(&self) -> &ConsumerSettings {
        &self.settings
    }

    /// Reads, handles and acknowledges until stopped; returns the counters.
    /// Errors only when the group cannot be set up (a bad setting, a refused
    /// command); a lost connection is retried. A stopped consumer can run
    /// again: a stop asked for before `run` starts is forgotten.
    pub fn run(&self, handler: &dyn Handler) -> Result<ConsumerStats, BusError> {
        self.stop.0.store(false, Ordering::SeqCst);
        match self.settings.url.backend() {
            #[cfg(feature = "redis")]
            Backend::Redis => {
                crate::redis::consumer::run(&self.settings, handler, &self.stop, &self.counters)?
            }
            #[cfg(not(feature = "redis"))]
            Backend::Redis => return Err(BusError::Unsupported("redis")),
            #[cfg(feature = "kafka")]
            Backend::Kafka => {
                crate::kafka::consumer::run(&self.settings, handler, &self.stop, &self.counters)?
            }
            #[cfg(not(feature = "kafka"))]
            Backend::Kafka => return Err(BusError::Unsupported("kafka")),
        }
        Ok(self.stats())
    }

    /// The group's lag: entries in the stream it has not read yet (`None`
    /// when the server cannot tell, after trimming).
    pub fn lag(&self) -> Result<Option<u64>, BusError> {
        let status = crate::admin::status(
            &self.settings.url,
            self.settings.prefix.as_deref(),
            &self.settings.topic,
        )?;
        Ok(status
            .groups
            .iter()
            .find(|g| g.name == self.settings.group)
            .and_then(|g| g.lag))
    }
}
