//! The URL and the settings of the Redis backend.

use std::time::Duration;

use fred::prelude::Config;

use super::lane;
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
    /// Starts every key name, inside a hash tag: `{prefix}:…` (default `user-sessions`).
    /// Letters, digits and `_ - . :` only.
    pub key_prefix: String,
    /// Connections of the general client (scripts, admin queries), used round-robin; each
    /// pipelines its commands (default 1: the server runs one command at a time anyway, and
    /// commands queued on one connection share its writes and reads — under load that costs
    /// both sides less than spreading them). Loads and plain saves on a single server have one
    /// pipelined connection of their own besides (see the [module docs](super)).
    pub connections: usize,
    /// How long a command (or connecting) may take before failing with
    /// [`Error::Unavailable`] — about the longest a request waits when the server is down or
    /// hangs (default 5 s). One check every quarter of it finds the commands that ran out of
    /// time, so a command fails between one and one and a quarter timeouts after it started.
    /// When loads and saves have waited a whole timeout without any answer, the next ones go
    /// to a new connection (a server that failed over, or a connection dropped on the way,
    /// would otherwise hold them until TCP gives up). Zero: commands have no timeout.
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

/// Where the [`lane`] connects: the single server of a `redis://` URL (parsed as `config`);
/// `None` for the other kinds of deployment (they keep every command on the general client).
pub(super) fn lane_target(url: &str, config: &Config, timeout: Duration) -> Option<lane::Target> {
    let fred::types::config::ServerConfig::Centralized { server } = &config.server else {
        return None;
    };
    if !url.starts_with("redis://") {
        return None;
    }
    Some(lane::Target {
        host: server.host.to_string(),
        port: server.port,
        username: config.username.clone(),
        password: config.password.clone(),
        database: config.database,
        connect_timeout: timeout,
        answer_timeout: timeout,
    })
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

/// Splits our own `key_prefix` query parameter off a URL.
pub(super) fn split_url(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), None);
    };
    let mut prefix = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.strip_prefix("key_prefix=") {
            Some(value) => {
                prefix = Some(value.to_owned());
                false
            }
            None => !pair.is_empty(),
        })
        .collect();
    let url = if rest.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    (url, prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_prefix_is_split_off() {
        assert_eq!(
            split_url("redis://h:6379/0?key_prefix=app&foo=1"),
            ("redis://h:6379/0?foo=1".to_owned(), Some("app".to_owned()))
        );
        assert_eq!(split_url("redis://h"), ("redis://h".to_owned(), None));
        assert_eq!(
            split_url("redis://h?key_prefix=x"),
            ("redis://h".to_owned(), Some("x".to_owned()))
        );
    }

    #[test]
    fn prefixes_are_plain() {
        assert!(check_prefix("my-app.sessions:v1").is_ok());
        for bad in ["", "a{b}", "a b", "a*", "a?"] {
            assert!(check_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_a_single_server_over_tcp_gets_a_lane() {
        let timeout = Duration::from_secs(1);
        let url = "redis://u:p@cache:6380/4";
        let target = lane_target(url, &Config::from_url(url).unwrap(), timeout).unwrap();
        assert_eq!((target.host.as_str(), target.port), ("cache", 6380));
        assert_eq!(target.username.as_deref(), Some("u"));
        assert_eq!(target.password.as_deref(), Some("p"));
        assert_eq!(target.database, Some(4));
        let url = "redis-cluster://a:7000?node=b:7001";
        assert!(lane_target(url, &Config::from_url(url).unwrap(), timeout).is_none());
    }
}
