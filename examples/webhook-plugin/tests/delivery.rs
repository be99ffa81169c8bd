//! The plugin against a real HTTP server on 127.0.0.1 (tiny_http), started
//! inside each test: bodies delivered, retries after 500s, the failure event
//! after the last retry, and a sender that is never held up by a slow hook.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use openedx_events::learning::{
    COURSE_ENROLLMENT_CREATED, CourseData, CourseEnrollmentCreated, CourseEnrollmentData,
    STUDENT_REGISTRATION_COMPLETED, StudentRegistrationCompleted, UserData, UserPersonalData,
};
use openedx_hooks::{BoxError, EventMetadata};
use openedx_webhook_plugin::{
    Stats, WEBHOOK_DELIVERY_FAILED, WebhookConfig, WebhookDeliveryFailed, WebhookPlugin,
};

/// The signals are process-wide: one plugin at a time.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// How the server answers, in order; after the script, `200`. `None` holds
/// the request unanswered until the server is told to let go.
struct Server {
    url: String,
    bodies: Receiver<serde_json::Value>,
    release: Sender<()>,
    handle: Option<std::thread::JoinHandle<()>>,
    server: Arc<tiny_http::Server>,
}

impl Server {
    fn start(script: Vec<Option<u16>>) -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let (body_tx, bodies) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let handle = {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                let mut script = script.into_iter();
                let mut held = Vec::new();
                for mut request in server.incoming_requests() {
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    assert_eq!(request.method(), &tiny_http::Method::Post);
                    let json = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
                    let _ = body_tx.send(json);
                    match script.next().unwrap_or(Some(200)) {
                        Some(code) => {
                            let _ = request.respond(tiny_http::Response::empty(code));
                        }
                        None => {
                            held.push(request);
                            // Hold it until the test says so, then answer all held.
                            let _ = released.recv();
                            for r in held.drain(..) {
                                let _ = r.respond(tiny_http::Response::empty(200));
                            }
                        }
                    }
                }
            })
        };
        Server {
            url: format!("http://127.0.0.1:{port}/hooks/catch"),
            bodies,
            release,
            handle: Some(handle),
            server,
        }
    }

    fn next_body(&self) -> serde_json::Value {
        self.bodies
            .recv_timeout(Duration::from_secs(30))
            .expect("the webhook received a request")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.release.send(());
        self.server.unblock();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn config(url: &str) -> WebhookConfig {
    WebhookConfig {
        timeout: Duration::from_secs(10),
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..WebhookConfig::new(url)
    }
}

fn user(id: i64) -> UserData {
    UserData {
        id,
        is_active: true,
        pii: UserPersonalData {
            username: format!("learner{id}"),
            email: format!("learner{id}@example.com"),
            name: "Ada Lovelace".into(),
        },
    }
}

fn registration(id: i64) -> StudentRegistrationCompleted {
    StudentRegistrationCompleted { user: user(id) }
}

fn metadata() -> EventMetadata {
    EventMetadata::new(STUDENT_REGISTRATION_COMPLETED.event_type(), 0)
}

/// Collects WEBHOOK_DELIVERY_FAILED events (sent from the worker thread).
fn failures() -> (
    openedx_hooks::ScopedConnection,
    Receiver<WebhookDeliveryFailed>,
) {
    let (tx, rx) = mpsc::channel();
    let conn = WEBHOOK_DELIVERY_FAILED.connect(
        move |p: &WebhookDeliveryFailed, _: &EventMetadata| -> Result<(), BoxError> {
            let _ = tx.send(p.clone());
            Ok(())
        },
    );
    (conn.scoped(), rx)
}

#[test]
fn both_events_are_posted_with_metadata_and_payload() {
    let _serial = serial();
    let server = Server::start(vec![]);
    let plugin = WebhookPlugin::start(config(&server.url)).expect("starts");

    let meta = metadata();
    let id = meta.id;
    let report = STUDENT_REGISTRATION_COMPLETED.send_event_with_metadata(registration(7), meta);
    assert!(report.is_ok(), "{report}");
    let body = server.next_body();
    assert_eq!(
        body["metadata"]["event_type"],
        "org.openedx.learning.student.registration.completed.v1"
    );
    assert_eq!(body["metadata"]["id"], id.to_string());
    assert_eq!(body["payload"]["user"]["pii"]["username"], "learner7");
    assert_eq!(body["payload"]["user"]["id"], 7);

    let enrollment = CourseEnrollmentCreated {
        enrollment: CourseEnrollmentData {
            user: user(8),
            course: CourseData {
                course_key: "course-v1:edX+DemoX+Demo_Course".into(),
                display_name: "Demo".into(),
                start: None,
                end: None,
            },
            mode: "verified".into(),
            is_active: true,
            creation_date: "2026-11-24T10:00:00Z".parse().expect("timestamp"),
            created_by: None,
        },
    };
    assert!(COURSE_ENROLLMENT_CREATED.send_event(enrollment).is_ok());
    let body = server.next_body();
    assert_eq!(
        body["metadata"]["event_type"],
        "org.openedx.learning.course.enrollment.created.v1"
    );
    assert_eq!(
        body["payload"]["enrollment"]["course"]["course_key"],
        "course-v1:edX+DemoX+Demo_Course"
    );
    assert_eq!(body["payload"]["enrollment"]["mode"], "verified");

    let stats = plugin.shutdown();
    assert_eq!(
        stats,
        Stats {
            queued: 2,
            delivered: 2,
            failed: 0,
            dropped: 0,
            attempts: 2
        }
    );
}

#[test]
fn a_500_is_retried_until_the_hook_accepts() {
    let _serial = serial();
    let server = Server::start(vec![Some(500), Some(503)]);
    let (_conn, failed) = failures();
    let plugin = WebhookPlugin::start(config(&server.url)).expect("starts");
    assert!(
        STUDENT_REGISTRATION_COMPLETED
            .send_event(registration(1))
            .is_ok()
    );
    let bodies: Vec<_> = (0..3).map(|_| server.next_body()).collect();
    assert!(
        bodies.iter().all(|b| b == &bodies[0]),
        "every attempt posts the same body"
    );
    let stats = plugin.shutdown();
    assert_eq!((stats.delivered, stats.failed, stats.attempts), (1, 0, 3));
    assert!(
        failed.try_recv().is_err(),
        "no failure event for a delivered event"
    );
}

#[test]
fn the_failure_event_is_sent_after_the_last_retry() {
    let _serial = serial();
    let server = Server::start(vec![Some(500); 3]);
    let (_conn, failed) = failures();
    let plugin = WebhookPlugin::start(config(&server.url)).expect("starts");
    let meta = metadata();
    let event_id = meta.id;
    assert!(
        STUDENT_REGISTRATION_COMPLETED
            .send_event_with_metadata(registration(42), meta)
            .is_ok()
    );
    let failure = failed
        .recv_timeout(Duration::from_secs(30))
        .expect("a failure event");
    assert_eq!(failure.delivery.url, server.url);
    assert_eq!(
        failure.delivery.event_type,
        "org.openedx.learning.student.registration.completed.v1"
    );
    assert_eq!(failure.delivery.event_id, event_id);
    assert_eq!(failure.delivery.attempts, 3);
    assert_eq!(failure.delivery.status, Some(500));
    assert_eq!(failure.delivery.error, "HTTP status 500");
    assert_eq!(failure.user.as_ref().map(|u| u.id), Some(42));
    let stats = plugin.shutdown();
    assert_eq!((stats.delivered, stats.failed, stats.attempts), (0, 1, 3));
}

#[test]
fn a_client_error_is_not_retried() {
    let _serial = serial();
    let server = Server::start(vec![Some(404)]);
    let (_conn, failed) = failures();
    let plugin = WebhookPlugin::start(config(&server.url)).expect("starts");
    assert!(
        STUDENT_REGISTRATION_COMPLETED
            .send_event(registration(5))
            .is_ok()
    );
    let failure = failed
        .recv_timeout(Duration::from_secs(30))
        .expect("a failure event");
    assert_eq!(
        (failure.delivery.attempts, failure.delivery.status),
        (1, Some(404))
    );
    assert_eq!(plugin.shutdown().attempts, 1);
}

#[test]
fn an_unreachable_hook_fails_with_the_connection_error() {
    let _serial = serial();
    // Bind, learn the port, close: nothing listens there any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let (_conn, failed) = failures();
    let plugin =
        WebhookPlugin::start(config(&format!("http://127.0.0.1:{port}/"))).expect("starts");
    assert!(
        STUDENT_REGISTRATION_COMPLETED
            .send_event(registration(9))
            .is_ok()
    );
    let failure = failed
        .recv_timeout(Duration::from_secs(30))
        .expect("a failure event");
    assert_eq!(
        (failure.delivery.attempts, failure.delivery.status),
        (3, None)
    );
    assert!(!failure.delivery.error.is_empty());
    drop(plugin);
}

#[test]
fn a_stuck_hook_never_blocks_the_sender() {
    let _serial = serial();
    // The first request is held unanswered: the worker is stuck on it.
    let server = Server::start(vec![None]);
    let plugin = WebhookPlugin::start(WebhookConfig {
        queue_capacity: 1,
        ..config(&server.url)
    })
    .expect("starts");
    assert!(
        STUDENT_REGISTRATION_COMPLETED
            .send_event(registration(1))
            .is_ok()
    );
    server.next_body(); // the worker is now waiting on the server
    assert!(
        STUDENT_REGISTRATION_COMPLETED
            .send_event(registration(2))
            .is_ok(),
        "queued"
    );
    // The queue is full: the third send returns at once, its receiver reporting the drop.
    let report = STUDENT_REGISTRATION_COMPLETED.send_event(registration(3));
    assert!(!report.is_ok());
    assert!(
        report.to_string().contains("webhook queue full"),
        "{report}"
    );
    assert_eq!(plugin.stats().dropped, 1);
    server.release.send(()).expect("release");
    let stats = plugin.shutdown();
    assert_eq!((stats.queued, stats.delivered, stats.dropped), (2, 2, 1));
}

#[test]
fn bad_configurations_are_refused() {
    assert!(WebhookPlugin::start(WebhookConfig::new("ftp://example.com")).is_err());
    assert!(
        WebhookPlugin::start(WebhookConfig {
            max_attempts: 0,
            ..WebhookConfig::new("http://x")
        })
        .is_err()
    );
    assert!(
        WebhookPlugin::start(WebhookConfig {
            queue_capacity: 0,
            ..WebhookConfig::new("http://x")
        })
        .is_err()
    );
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let c = WebhookConfig {
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(700),
        ..WebhookConfig::new("http://x")
    };
    let waits: Vec<u128> = (1..=5).map(|a| c.backoff(a).as_millis()).collect();
    assert_eq!(waits, [100, 200, 400, 700, 700]);
    assert_eq!(c.backoff(u32::MAX), Duration::from_millis(700));
}
