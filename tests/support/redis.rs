//! A real Redis for tests: Debian's `redis-server`, on 127.0.0.1 and a free
//! port, stopped by its process id when dropped.
//!
//! `Redis::shared()` uses the server `.ci/run` started
//! (`OPENEDX_HOOKS_TEST_REDIS_URL`) when set, else starts one. A test that
//! needs Redis fails when it cannot have one: it never passes by skipping.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A Redis server the test uses.
pub struct Redis {
    port: u16,
    tls_port: Option<u16>,
    child: Option<Child>,
    dir: Option<tempfile::TempDir>,
    extra: Vec<String>,
    /// The certificates of a TLS server, kept while it runs.
    _ca: Option<crate::tls::TestCa>,
}

impl Redis {
    /// The CI's server when `OPENEDX_HOOKS_TEST_REDIS_URL` is set, else a
    /// server of this test's own. Tests sharing one server use topic names
    /// of their own.
    pub fn shared() -> Redis {
        match std::env::var("OPENEDX_HOOKS_TEST_REDIS_URL") {
            Ok(url) => {
                let port = url
                    .rsplit(':')
                    .next()
                    .and_then(|p| p.trim_end_matches('/').parse().ok())
                    .unwrap_or_else(|| panic!("OPENEDX_HOOKS_TEST_REDIS_URL={url}: no port"));
                let r = Redis {
                    port,
                    tls_port: None,
                    child: None,
                    dir: None,
                    extra: Vec::new(),
                    _ca: None,
                };
                r.wait_ready(Duration::from_secs(5));
                r
            }
            Err(_) => Redis::start(&[]),
        }
    }

    /// Starts a server of its own with extra `redis-server` arguments
    /// (`--appendonly yes`…), its files in a temporary directory.
    pub fn start(extra: &[&str]) -> Redis {
        let mut r = Redis {
            port: free_port(),
            tls_port: None,
            child: None,
            dir: Some(tempfile::tempdir().expect("a temporary directory")),
            extra: extra.iter().map(|s| (*s).to_owned()).collect(),
            _ca: None,
        };
        r.spawn();
        r
    }

    /// Starts a server that also listens with TLS, its certificate signed
    /// by a CA made for the test (`openssl`); returns it and the CA's PEM.
    pub fn start_tls() -> (Redis, Vec<u8>) {
        let ca = crate::tls::TestCa::new();
        let tls_port = free_port();
        let path = |p: std::path::PathBuf| p.to_string_lossy().into_owned();
        let extra = vec![
            "--tls-port".to_owned(),
            tls_port.to_string(),
            "--tls-cert-file".to_owned(),
            path(ca.server_cert()),
            "--tls-key-file".to_owned(),
            path(ca.server_key()),
            "--tls-ca-cert-file".to_owned(),
            path(ca.ca()),
            "--tls-auth-clients".to_owned(),
            "no".to_owned(),
        ];
        let pem = ca.ca_pem();
        let mut r = Redis {
            port: free_port(),
            tls_port: Some(tls_port),
            child: None,
            dir: Some(tempfile::tempdir().expect("a temporary directory")),
            extra,
            _ca: Some(ca),
        };
        r.spawn();
        (r, pem)
    }

    /// `rediss://127.0.0.1:<tls port>` of a server from `start_tls`.
    pub fn tls_url(&self) -> String {
        format!(
            "rediss://127.0.0.1:{}",
            self.tls_port.expect("a TLS server")
        )
    }

    fn spawn(&mut self) {
        let dir = self.dir.as_ref().expect("own server").path().to_owned();
        let bin = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        let child = Command::new(&bin)
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--save", "", "--dir"])
            .arg(&dir)
            .args(&self.extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start `{bin}` ({e}): these tests need Debian's redis-server (apt-get install redis-server); .ci/run installs it"
                )
            });
        self.child = Some(child);
        self.wait_ready(Duration::from_secs(10));
    }

    /// Kills the server (SIGKILL) and starts it again on the same port and
    /// directory: what survives is what it persisted.
    pub fn kill_and_restart(&mut self, down_for: Duration) {
        self.kill();
        std::thread::sleep(down_for);
        self.spawn();
    }

    /// Kills the server (SIGKILL) and waits for it to exit.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// `redis://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// The server's data directory (own servers only).
    pub fn dir(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.path().to_owned())
    }

    fn wait_ready(&self, timeout: Duration) {
        let started = Instant::now();
        loop {
            if ping(self.port) {
                return;
            }
            if started.elapsed() > timeout {
                panic!(
                    "Redis on 127.0.0.1:{} did not answer PING within {timeout:?}",
                    self.port
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether a server answers PING (and has loaded its data: `-LOADING` is
/// not ready).
fn ping(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
    if s.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut buf = [0u8; 64];
    // A server with a password answers NOAUTH: up, and loaded.
    matches!(s.read(&mut buf), Ok(n) if buf[..n].starts_with(b"+PONG") || buf[..n].starts_with(b"-NOAUTH"))
}

/// A port free on 127.0.0.1 now.
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A name unique to this process and call: topics and groups of tests
/// sharing a server never meet.
pub fn unique(name: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
