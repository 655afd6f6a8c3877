//! The URL and the settings of the Redis backend.

use std::time::Duration;

use fred::prelude::Config;

use crate::{Error, Result};

/// Settings of the Redis backend.
///
/// ```
/// use user_sessions::redis::RedisOptions;
/// let options = RedisOptions { key_prefix: "myapp".into(), ..RedisOptions::default() };
/// assert_eq!(options.timeout, std::time::Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisOptions {
    /// Starts every key name: `prefix:…` (default `user-sessions`; see the
    /// [module docs](super) for the keys). Letters, digits and `_ - . :` only.
    pub key_prefix: String,
    /// Connections to the server (to each master of a cluster), used round-robin; each
    /// pipelines the commands of concurrent requests (default 1: the server runs one command
    /// at a time anyway, and commands queued on one connection share its writes and reads —
    /// under load that costs both sides less than spreading them).
    pub connections: usize,
    /// How long a command (or connecting) may take before failing with
    /// [`Error::Unavailable`] — about the longest a request waits when the server is down or
    /// hangs (default 5 s). A connection on which commands have waited a whole timeout without
    /// any answer is closed and replaced (a server that failed over, or a connection dropped on
    /// the way, would otherwise hold them until TCP gives up). Zero: commands have no timeout.
    pub timeout: Duration,
    /// How long an expired session is kept (visible to admin queries, purgeable) before Redis
    /// deletes it (default 1 hour).
    pub expired_retention: Duration,
}

impl Default for RedisOptions {
    fn default() -> Self {
        RedisOptions {
            key_prefix: "user-sessions".into(),
            connections: 1,
            timeout: Duration::from_secs(5),
            expired_retention: Duration::from_secs(3600),
        }
    }
}

pub(super) fn check_prefix(prefix: &str) -> Result<()> {
    let plain = !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
    if plain {
        Ok(())
    } else {
        Err(Error::Setting(format!(
            "invalid Redis key prefix `{prefix}`: use letters, digits and `_ - . :`"
        )))
    }
}

/// The query parameters of a store URL that are ours, not the Redis client's.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Parameters {
    /// `key_prefix`: [`RedisOptions::key_prefix`].
    pub key_prefix: Option<String>,
    /// `tls_ca_file`: a PEM file of the certificates that a TLS server's must chain to.
    pub tls_ca_file: Option<String>,
}

/// Splits our own query parameters (`key_prefix`, `tls_ca_file`) off a URL. Their values are
/// taken as they are, up to the next `&`.
pub(super) fn split_url(url: &str) -> (String, Parameters) {
    let mut ours = Parameters::default();
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), ours);
    };
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            if let Some(value) = pair.strip_prefix("key_prefix=") {
                ours.key_prefix = Some(value.to_owned());
                false
            } else if let Some(value) = pair.strip_prefix("tls_ca_file=") {
                ours.tls_ca_file = Some(value.to_owned());
                false
            } else {
                !pair.is_empty()
            }
        })
        .collect();
    let url = if rest.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    (url, ours)
}

/// The scheme of `url` without its TLS `s` (`rediss-cluster` → `redis-cluster`), when it has
/// one (`rediss…`, `valkeys…`).
fn plain_scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once("://")?;
    ["rediss", "valkeys"].iter().find_map(|tls| {
        let rest = scheme.strip_prefix(tls)?;
        Some(format!("{}{rest}", &tls[..tls.len() - 1]))
    })
}

/// The Redis client's settings for a server URL (our own parameters split off). A TLS URL
/// (`rediss://`, `rediss-cluster://`) gets rustls settings that trust the certificates of
/// `ca_file`, or the system's roots without one; without the `redis-tls` feature it is
/// refused, as is a CA file for a plain URL — never spoken to in plain text.
pub(super) fn client_config(url: &str, ca_file: Option<&str>) -> Result<Config> {
    let malformed = |_| Error::Url(url.to_owned());
    let Some(plain) = plain_scheme(url) else {
        if ca_file.is_some() {
            return Err(Error::Setting(
                "the URL parameter tls_ca_file is for TLS URLs (rediss://…)".into(),
            ));
        }
        return Config::from_url(url).map_err(malformed);
    };
    // Parsed as its plain twin: the TLS settings are set here, from `ca_file`.
    let rest = url.split_once("://").map_or("", |(_, rest)| rest);
    #[cfg_attr(not(feature = "redis-tls"), allow(unused_mut))]
    let mut config = Config::from_url(&format!("{plain}://{rest}")).map_err(malformed)?;
    #[cfg(feature = "redis-tls")]
    {
        config.tls = Some(super::tls::config(ca_file.map(std::path::Path::new))?);
        Ok(config)
    }
    #[cfg(not(feature = "redis-tls"))]
    {
        let _ = (config, ca_file);
        Err(Error::Setting(
            "TLS URLs (rediss://…) need the cargo feature `redis-tls` of user-sessions".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_prefix_is_split_off() {
        let prefix = |p: &str| Parameters {
            key_prefix: Some(p.to_owned()),
            ..Parameters::default()
        };
        assert_eq!(
            split_url("redis://h:6379/0?key_prefix=app&foo=1"),
            ("redis://h:6379/0?foo=1".to_owned(), prefix("app"))
        );
        assert_eq!(
            split_url("redis://h"),
            ("redis://h".to_owned(), Parameters::default())
        );
        assert_eq!(
            split_url("redis://h?key_prefix=x"),
            ("redis://h".to_owned(), prefix("x"))
        );
    }

    #[test]
    fn url_ca_file_is_split_off() {
        let (url, ours) = split_url("rediss://h:6380?tls_ca_file=/etc/ca.pem&key_prefix=a");
        assert_eq!(url, "rediss://h:6380");
        assert_eq!(ours.tls_ca_file.as_deref(), Some("/etc/ca.pem"));
        assert_eq!(ours.key_prefix.as_deref(), Some("a"));
    }

    #[test]
    fn tls_schemes_have_plain_twins() {
        assert_eq!(plain_scheme("rediss://h").as_deref(), Some("redis"));
        assert_eq!(
            plain_scheme("rediss-cluster://h:7001?node=g:7002").as_deref(),
            Some("redis-cluster")
        );
        assert_eq!(plain_scheme("valkeys://h").as_deref(), Some("valkey"));
        assert_eq!(plain_scheme("redis://h"), None);
        assert_eq!(plain_scheme("redis-cluster://h"), None);
    }

    #[test]
    fn a_ca_file_needs_a_tls_url() {
        assert!(client_config("redis://h:6379", None).is_ok());
        let refused = client_config("redis://h:6379", Some("/etc/ca.pem"));
        assert!(matches!(refused, Err(Error::Setting(_))), "{refused:?}");
    }

    /// Without the feature, a TLS URL is refused instead of spoken to in plain text.
    #[cfg(not(feature = "redis-tls"))]
    #[test]
    fn tls_urls_need_the_feature() {
        let refused = client_config("rediss://h:6380", None);
        assert!(matches!(refused, Err(Error::Setting(_))), "{refused:?}");
    }

    #[cfg(feature = "redis-tls")]
    #[test]
    fn tls_urls_get_tls_settings() {
        let config = client_config("rediss://u:p@h:6380/2", None).unwrap();
        assert!(config.uses_rustls());
        assert_eq!(config.database, Some(2));
        assert!(!client_config("redis://h:6379", None).unwrap().uses_rustls());
    }

    #[test]
    fn prefixes_are_plain() {
        assert!(check_prefix("my-app.sessions:v1").is_ok());
        for bad in ["", "a{b}", "a b", "a*", "a?"] {
            assert!(check_prefix(bad).is_err(), "{bad}");
        }
    }
}
