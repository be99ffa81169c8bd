//! Bus URLs, printed without their credentials.

use std::fmt;

use crate::error::ConfigError;

/// The backend a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// `redis://` or `rediss://`.
    Redis,
    /// `kafka://host:port` (bootstrap servers; query parameters are
    /// librdkafka settings, such as `security.protocol`).
    Kafka,
}

/// A bus URL (`redis://user:password@host:6379/0`, `rediss://…`).
///
/// `Display` and `Debug` print it redacted: a password (and an ACL user
/// name) never reaches a log line, an error or a panic message.
///
/// ```
/// let url: openedx_hooks_bus::BusUrl = "redis://app:s3cret@127.0.0.1:6379/0".parse()?;
/// assert_eq!(url.to_string(), "redis://***:***@127.0.0.1:6379/0");
/// assert!(!format!("{url:?}").contains("s3cret"));
/// # Ok::<(), openedx_hooks_bus::ConfigError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BusUrl {
    url: ::url::Url,
    backend: Backend,
    /// PEM root certificates to trust instead of the system's (`rediss://`).
    ca: Option<std::sync::Arc<Vec<u8>>>,
    /// The schema registry (Kafka).
    registry: Option<String>,
}

impl BusUrl {
    /// The backend the scheme names.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL with its credentials, for the client library only.
    pub(crate) fn secret(&self) -> &str {
        self.url.as_str()
    }

    /// A client library's message with this URL's credentials replaced:
    /// libraries may echo what they were given.
    pub(crate) fn scrub(&self, message: &str) -> String {
        let mut out = message.replace(self.url.as_str(), &self.to_string());
        if let Some(p) = self.url.password() {
            // As written in the URL and as the client was given it.
            let decoded = percent_encoding::percent_decode_str(p).decode_utf8_lossy();
            for p in [p, decoded.as_ref()] {
                if p.len() >= 3 {
                    out = out.replace(p, "***");
                }
            }
        }
        out
    }

    /// Whether the connection is TLS (`rediss://`).
    pub fn is_tls(&self) -> bool {
        self.url.scheme() == "rediss"
    }

    /// Trusts these PEM root certificates (a private CA) instead of the
    /// public roots for `rediss://`; on `kafka://`, turns TLS on with them
    /// (unless the URL's query names the protocol).
    pub fn with_ca_pem(mut self, pem: Vec<u8>) -> Self {
        self.ca = Some(std::sync::Arc::new(pem));
        self
    }

    /// Trusts the PEM root certificates of a file.
    pub fn with_ca_file(self, path: &std::path::Path) -> Result<Self, ConfigError> {
        let pem = std::fs::read(path).map_err(|e| ConfigError::Read {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        Ok(self.with_ca_pem(pem))
    }

    /// Uses this schema registry (`http://host:8081`; Kafka).
    pub fn with_schema_registry(mut self, url: impl Into<String>) -> Self {
        self.registry = Some(url.into());
        self
    }

    /// The schema registry, if set.
    pub fn schema_registry(&self) -> Option<&str> {
        self.registry.as_deref()
    }

    /// librdkafka settings of a `kafka://` URL: `bootstrap.servers` from
    /// its host and port, SASL credentials from its user and password
    /// (percent-decoded), TLS with the private CA when one is given, and its
    /// query parameters as given (after those, so they win).
    #[cfg(feature = "kafka")]
    pub(crate) fn kafka_settings(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let host = self.url.host_str().unwrap_or_default();
        let port = self.url.port().unwrap_or(9092);
        out.push(("bootstrap.servers".to_owned(), format!("{host}:{port}")));
        // A URL holds them percent-encoded (`p%40ss` for `p@ss`).
        let decoded = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        if !self.url.username().is_empty() {
            out.push(("sasl.username".to_owned(), decoded(self.url.username())));
        }
        if let Some(p) = self.url.password() {
            out.push(("sasl.password".to_owned(), decoded(p)));
        }
        // A private CA means TLS (`SASL_SSL` when the query says so).
        if let Some(ca) = self.ca() {
            out.push(("security.protocol".to_owned(), "ssl".to_owned()));
            out.push((
                "ssl.ca.pem".to_owned(),
                String::from_utf8_lossy(ca).into_owned(),
            ));
        }
        for (k, v) in self.url.query_pairs() {
            out.push((k.into_owned(), v.into_owned()));
        }
        out
    }

    /// The private CA to trust, if any.
    pub(crate) fn ca(&self) -> Option<&[u8]> {
        self.ca.as_deref().map(Vec::as_slice)
    }
}

impl std::str::FromStr for BusUrl {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, ConfigError> {
        // The parser's own messages never include the input.
        let url = ::url::Url::parse(s).map_err(|e| ConfigError::Url(e.to_string()))?;
        let backend = match url.scheme() {
            "redis" | "rediss" => Backend::Redis,
            "kafka" => Backend::Kafka,
            other => {
                return Err(ConfigError::Url(format!(
                    "unsupported scheme `{other}` (expected redis://, rediss:// or kafka://)"
                )));
            }
        };
        if url.host_str().is_none_or(str::is_empty) {
            return Err(ConfigError::Url("the URL has no host".into()));
        }
        Ok(BusUrl {
            url,
            backend,
            ca: None,
            registry: None,
        })
    }
}

impl fmt::Display for BusUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.url.clone();
        if !shown.username().is_empty() {
            let _ = shown.set_username("***");
        }
        if shown.password().is_some() {
            let _ = shown.set_password(Some("***"));
        }
        f.write_str(shown.as_str())
    }
}

impl fmt::Debug for BusUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BusUrl({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_user_and_password() {
        let url: BusUrl = "rediss://default:hunter2@cache.example:6380"
            .parse()
            .unwrap();
        assert!(url.is_tls());
        let shown = format!("{url} {url:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("default"),
            "{shown}"
        );
        assert!(shown.contains("cache.example:6380"));
        let plain: BusUrl = "redis://127.0.0.1:6379".parse().unwrap();
        assert_eq!(plain.to_string(), "redis://127.0.0.1:6379");
    }

    /// Credentials reach librdkafka decoded, and are scrubbed from messages
    /// in both spellings; a private CA turns TLS on unless the query picks
    /// the protocol (`SASL_SSL`).
    #[cfg(feature = "kafka")]
    #[test]
    fn kafka_settings_decode_credentials_and_carry_the_ca() {
        let url: BusUrl = "kafka://al%20ice:p%40ss%3Aword@broker:9093?sasl.mechanism=SCRAM-SHA-512"
            .parse()
            .unwrap();
        let settings = url.kafka_settings();
        let get = |k: &str| {
            settings
                .iter()
                .filter(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
                .next_back()
        };
        assert_eq!(get("bootstrap.servers"), Some("broker:9093"));
        assert_eq!(get("sasl.username"), Some("al ice"));
        assert_eq!(get("sasl.password"), Some("p@ss:word"));
        assert_eq!(get("sasl.mechanism"), Some("SCRAM-SHA-512"));
        assert_eq!(get("security.protocol"), None);
        assert_eq!(
            url.scrub("auth failed for p@ss:word (p%40ss%3Aword)"),
            "auth failed for *** (***)"
        );
        let tls = url
            .clone()
            .with_ca_pem(b"-----BEGIN CERTIFICATE-----".to_vec());
        let settings = tls.kafka_settings();
        assert!(settings.contains(&("security.protocol".into(), "ssl".into())));
        assert!(settings.contains(&("ssl.ca.pem".into(), "-----BEGIN CERTIFICATE-----".into())));
        let sasl_ssl: BusUrl = "kafka://u:secret@b:9093?security.protocol=SASL_SSL"
            .parse::<BusUrl>()
            .unwrap()
            .with_ca_pem(b"pem".to_vec());
        let settings = sasl_ssl.kafka_settings();
        // The query's protocol comes last: librdkafka keeps the last value set.
        assert_eq!(
            settings
                .iter()
                .filter(|(k, _)| k == "security.protocol")
                .map(|(_, v)| v.as_str())
                .next_back(),
            Some("SASL_SSL")
        );
    }

    #[test]
    fn rejects_other_schemes_without_echoing_the_input() {
        let err = "http://u:hunter2@x"
            .parse::<BusUrl>()
            .unwrap_err()
            .to_string();
        assert!(err.contains("unsupported scheme `http`"), "{err}");
        assert!(!err.contains("hunter2"));
        assert!("redis://u:hunter2@".parse::<BusUrl>().is_err());
    }
}
