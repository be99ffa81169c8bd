//! A plugin that forwards Open edX events to a webhook: the Rust
//! counterpart of `openedx-events-2-zapier`.
//!
//! [`WebhookPlugin::start`] connects receivers to
//! `STUDENT_REGISTRATION_COMPLETED` and `COURSE_ENROLLMENT_CREATED`. A
//! receiver only serializes the event (metadata and payload as JSON) and
//! hands it to a bounded queue: the platform code that sends the event never
//! waits for the network. A worker thread posts each event with a timeout and
//! retries with exponential backoff; when it gives up it sends the plugin's
//! own event, [`WEBHOOK_DELIVERY_FAILED`], compiled from `events/` by
//! `build.rs` with `openedx-hooks-codegen`.
//!
//! ```no_run
//! use openedx_webhook_plugin::{WebhookConfig, WebhookPlugin};
//!
//! let plugin = WebhookPlugin::start(WebhookConfig::new("http://127.0.0.1:9000/hooks/catch"))?;
//! // ... the platform runs and sends events ...
//! plugin.shutdown(); // delivers what is queued, then stops
//! # Ok::<(), openedx_webhook_plugin::ConfigError>(())
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

use openedx_events::learning::{
    COURSE_ENROLLMENT_CREATED, CourseEnrollmentCreated, STUDENT_REGISTRATION_COMPLETED,
    StudentRegistrationCompleted, UserData,
};
use openedx_hooks::{BoxError, Connection, EventMetadata};
use serde::Serialize;

/// The plugin's own events, generated at build time from `events/`.
#[allow(missing_docs)]
pub mod events {
    include!(concat!(env!("OUT_DIR"), "/events.rs"));
}

pub use events::webhooks::{WEBHOOK_DELIVERY_FAILED, WebhookDeliveryData, WebhookDeliveryFailed};

/// Where and how to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    /// The webhook URL (`http://`, or `https://` with the `tls` feature).
    pub url: String,
    /// Limit for one attempt, connection to response.
    pub timeout: Duration,
    /// Attempts per event, the first included.
    pub max_attempts: u32,
    /// Wait after the first failed attempt; doubled after each further one.
    pub initial_backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
    /// Events waiting for the worker. When full, new events are dropped
    /// (the receiver reports an error) rather than blocking the sender.
    pub queue_capacity: usize,
}

impl WebhookConfig {
    /// Defaults: 5 s per attempt, 5 attempts, backoff from 0.5 s up to 30 s,
    /// 1024 queued events.
    pub fn new(url: impl Into<String>) -> Self {
        WebhookConfig {
            url: url.into(),
            timeout: Duration::from_secs(5),
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            queue_capacity: 1024,
        }
    }

    /// The wait after failed attempt number `attempt` (1-based).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// A configuration the plugin cannot run with.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The URL is not `http://` or `https://`.
    #[error("webhook URL `{0}` must start with http:// or https://")]
    Url(String),
    /// `max_attempts` or `queue_capacity` is zero.
    #[error("{0} must be at least 1")]
    Zero(&'static str),
    /// The worker thread could not start.
    #[error("cannot start the delivery thread: {0}")]
    Thread(std::io::Error),
}

/// Counters since start.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Events handed to the worker.
    pub queued: u64,
    /// Events the webhook accepted (2xx).
    pub delivered: u64,
    /// Events given up on (and announced with [`WEBHOOK_DELIVERY_FAILED`]).
    pub failed: u64,
    /// Events dropped because the queue was full.
    pub dropped: u64,
    /// HTTP attempts made.
    pub attempts: u64,
}

#[derive(Default)]
struct Counters {
    queued: AtomicU64,
    delivered: AtomicU64,
    failed: AtomicU64,
    dropped: AtomicU64,
    attempts: AtomicU64,
}

/// One serialized event waiting for delivery.
struct Delivery {
    event_type: String,
    event_id: openedx_hooks::types::Uuid,
    body: Vec<u8>,
    user: Option<UserData>,
}

/// What the webhook receives.
#[derive(Serialize)]
struct Body<'a, P> {
    metadata: &'a EventMetadata,
    payload: &'a P,
}

/// The running plugin. Dropping it is [`shutdown`](Self::shutdown).
pub struct WebhookPlugin {
    connections: Vec<Connection>,
    queue: Option<SyncSender<Delivery>>,
    worker: Option<JoinHandle<()>>,
    counters: Arc<Counters>,
}

impl WebhookPlugin {
    /// Starts the worker and connects the receivers.
    pub fn start(config: WebhookConfig) -> Result<Self, ConfigError> {
        if !(config.url.starts_with("http://") || config.url.starts_with("https://")) {
            return Err(ConfigError::Url(config.url));
        }
        if config.max_attempts == 0 {
            return Err(ConfigError::Zero("max_attempts"));
        }
        if config.queue_capacity == 0 {
            return Err(ConfigError::Zero("queue_capacity"));
        }
        let counters = Arc::new(Counters::default());
        let (tx, rx) = mpsc::sync_channel(config.queue_capacity);
        let worker = {
            let counters = Arc::clone(&counters);
            std::thread::Builder::new()
                .name("webhook-delivery".into())
                .spawn(move || Worker::new(config, counters).run(rx))
                .map_err(ConfigError::Thread)?
        };
        let registration = {
            let (tx, counters) = (tx.clone(), Arc::clone(&counters));
            STUDENT_REGISTRATION_COMPLETED.connect(
                move |p: &StudentRegistrationCompleted, meta: &EventMetadata| {
                    enqueue(&tx, &counters, meta, p, Some(&p.user))
                },
            )
        };
        let enrollment = {
            let (tx, counters) = (tx.clone(), Arc::clone(&counters));
            COURSE_ENROLLMENT_CREATED.connect(
                move |p: &CourseEnrollmentCreated, meta: &EventMetadata| {
                    enqueue(&tx, &counters, meta, p, Some(&p.enrollment.user))
                },
            )
        };
        Ok(WebhookPlugin {
            connections: vec![registration, enrollment],
            queue: Some(tx),
            worker: Some(worker),
            counters,
        })
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        let c = &self.counters;
        Stats {
            queued: c.queued.load(Ordering::Relaxed),
            delivered: c.delivered.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
            attempts: c.attempts.load(Ordering::Relaxed),
        }
    }

    /// Disconnects the receivers, delivers (or gives up on) every queued
    /// event, and stops the worker.
    pub fn shutdown(mut self) -> Stats {
        self.stop();
        self.stats()
    }

    fn stop(&mut self) {
        for c in self.connections.drain(..) {
            c.disconnect();
        }
        // The receivers held the other senders: with this one dropped the
        // worker sees the end of the queue after draining it.
        self.queue = None;
        if let Some(worker) = self.worker.take()
            && worker.join().is_err()
        {
            tracing::error!("the webhook delivery thread panicked");
        }
    }
}

impl Drop for WebhookPlugin {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs in the sender's thread: serialize and hand over, never wait.
fn enqueue<P: Serialize>(
    tx: &SyncSender<Delivery>,
    counters: &Counters,
    metadata: &EventMetadata,
    payload: &P,
    user: Option<&UserData>,
) -> Result<(), BoxError> {
    let body = serde_json::to_vec(&Body { metadata, payload })?;
    let delivery = Delivery {
        event_type: metadata.event_type.to_string(),
        event_id: metadata.id,
        body,
        user: user.cloned(),
    };
    match tx.try_send(delivery) {
        Ok(()) => {
            counters.queued.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }
        Err(TrySendError::Full(_)) => {
            counters.dropped.fetch_add(1, Ordering::Relaxed);
            Err(format!("webhook queue full: event {} dropped", metadata.id).into())
        }
        Err(TrySendError::Disconnected(_)) => Err("the webhook plugin has stopped".into()),
    }
}

struct Worker {
    agent: ureq::Agent,
    config: WebhookConfig,
    counters: Arc<Counters>,
}

/// How one attempt ended.
enum Attempt {
    Delivered,
    /// Worth retrying: a 5xx, 408 or 429 status, or no response at all.
    Retry(Option<u16>, String),
    /// Retrying cannot help: another 4xx (or 3xx) status.
    GiveUp(u16, String),
}

impl Worker {
    fn new(config: WebhookConfig, counters: Arc<Counters>) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Worker {
            agent,
            config,
            counters,
        }
    }

    fn run(self, queue: Receiver<Delivery>) {
        for delivery in queue {
            self.deliver(delivery);
        }
    }

    fn attempt(&self, body: &[u8]) -> Attempt {
        self.counters.attempts.fetch_add(1, Ordering::Relaxed);
        let response = self
            .agent
            .post(&self.config.url)
            .header("content-type", "application/json")
            .send(body);
        match response {
            Ok(r) => match r.status().as_u16() {
                200..=299 => Attempt::Delivered,
                s @ (408 | 429 | 500..=599) => Attempt::Retry(Some(s), format!("HTTP status {s}")),
                s => Attempt::GiveUp(s, format!("HTTP status {s}")),
            },
            Err(e) => Attempt::Retry(None, e.to_string()),
        }
    }

    fn deliver(&self, d: Delivery) {
        let mut attempts = 0;
        let (status, error) = loop {
            attempts += 1;
            match self.attempt(&d.body) {
                Attempt::Delivered => {
                    self.counters.delivered.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Attempt::GiveUp(status, error) => break (Some(status), error),
                Attempt::Retry(status, error) if attempts >= self.config.max_attempts => {
                    break (status, error);
                }
                Attempt::Retry(status, error) => {
                    tracing::warn!(event_id = %d.event_id, attempts, status, %error, "webhook delivery failed; retrying");
                    std::thread::sleep(self.config.backoff(attempts));
                }
            }
        };
        self.counters.failed.fetch_add(1, Ordering::Relaxed);
        tracing::error!(event_id = %d.event_id, attempts, %error, "webhook delivery failed; giving up");
        let report = WEBHOOK_DELIVERY_FAILED.send_event(WebhookDeliveryFailed {
            delivery: WebhookDeliveryData {
                url: self.config.url.clone(),
                event_type: d.event_type,
                event_id: d.event_id,
                attempts: i64::from(attempts),
                status: status.map(i64::from),
                error,
            },
            user: d.user,
        });
        if !report.is_ok() {
            tracing::warn!(?report, "a receiver of WEBHOOK_DELIVERY_FAILED failed");
        }
    }
}
