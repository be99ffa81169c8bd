//! A Confluent schema-registry client: registers schemas under subjects
//! and confirms ids by fetching their schemas, caching both. Its HTTP
//! protocol is small (`POST /subjects/{subject}/versions`,
//! `GET /schemas/ids/{id}`): a maintained HTTP client (ureq) is all it
//! needs.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::BusError;

pub(crate) struct Registry {
    base: String,
    agent: ureq::Agent,
    ids: Mutex<HashMap<(String, String), u32>>,
    /// The ids the registry is known to hold (only their existence is
    /// asked of it: messages are decoded by the linked event's schema).
    known: Mutex<HashSet<u32>>,
    /// The id `ensure` last found (`u64::MAX`: none): a topic's messages
    /// mostly share one, asked of every message.
    last_known: AtomicU64,
}

const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";

impl Registry {
    pub(crate) fn new(base: &str, timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        Registry {
            base: base.trim_end_matches('/').to_owned(),
            agent,
            ids: Mutex::default(),
            known: Mutex::default(),
            last_known: AtomicU64::new(u64::MAX),
        }
    }

    fn error(&self, what: String) -> BusError {
        BusError::Registry(what)
    }

    /// The id of `schema` under `subject`, registering it if needed.
    pub(crate) fn register(&self, subject: &str, schema: &str) -> Result<u32, BusError> {
        let key = (subject.to_owned(), schema.to_owned());
        if let Some(id) = self.ids.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(*id);
        }
        let url = format!("{}/subjects/{}/versions", self.base, encode(subject));
        let body = serde_json::json!({ "schema": schema }).to_string();
        let response = self
            .agent
            .post(&url)
            .header("Content-Type", CONTENT_TYPE)
            .send(body.as_bytes());
        let answer = self.answer(&format!("registering `{subject}`"), response)?;
        let id = answer
            .get("id")
            .and_then(serde_json::Value::as_u64)
            .and_then(|id| u32::try_from(id).ok())
            .ok_or_else(|| self.error(format!("the registry's answer has no id: {answer}")))?;
        self.ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, id);
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id);
        Ok(id)
    }

    /// Fails unless the registry knows schema `id` (fetched once, then
    /// cached): what a consumer asks of every message, without a copy.
    pub(crate) fn ensure(&self, id: u32) -> Result<(), Lookup> {
        if self.last_known.load(Ordering::Relaxed) == u64::from(id) {
            return Ok(());
        }
        let known = self
            .known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&id);
        if !known {
            self.fetch(id)?;
        }
        self.last_known.store(u64::from(id), Ordering::Relaxed);
        Ok(())
    }

    /// Asks the registry for an id's schema; remembers the id once it has
    /// one.
    fn fetch(&self, id: u32) -> Result<(), Lookup> {
        let url = format!("{}/schemas/ids/{id}", self.base);
        let response = self.agent.get(&url).call();
        // Only the registry's own "not found" is an answer about the id;
        // anything else (unreachable, 5xx, refused credentials) says
        // nothing about it: the message waits for one.
        let not_found = matches!(&response, Ok(r) if r.status() == 404);
        let answer = self
            .answer(&format!("fetching schema {id}"), response)
            .map_err(|e| {
                if not_found {
                    Lookup::Unknown(e.to_string())
                } else {
                    Lookup::Unavailable(e.to_string())
                }
            })?;
        if answer
            .get("schema")
            .and_then(serde_json::Value::as_str)
            .is_none()
        {
            return Err(Lookup::Unavailable(format!(
                "the registry's answer has no schema: {answer}"
            )));
        }
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id);
        Ok(())
    }
}

/// Why a schema id could not be confirmed.
#[derive(Debug)]
pub(crate) enum Lookup {
    /// The registry answered that it has no such id: the message is not
    /// one any producer registered (poison).
    Unknown(String),
    /// No answer about the id (the registry unreachable, failing, or
    /// refusing us): the message may be good; it waits.
    Unavailable(String),
}

impl Registry {
    /// The JSON of a successful answer, or why there is none.
    fn answer(
        &self,
        what: &str,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<serde_json::Value, BusError> {
        let mut response = response.map_err(|e| self.error(format!("{what}: {e}")))?;
        let status = response.status();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| self.error(format!("{what}: cannot read the answer: {e}")))?;
        if !status.is_success() {
            return Err(self.error(format!("{what} failed with {status}: {text}")));
        }
        serde_json::from_str(&text)
            .map_err(|e| self.error(format!("{what}: the answer is not JSON ({e}): {text}")))
    }
}

/// Percent-encodes a subject for a URL path.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
