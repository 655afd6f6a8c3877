//! The row's columns as they travel inside a tower-sessions record.
//!
//! tower-sessions knows only `{id, data, expiry_date}`. The store puts the row's columns into
//! the data under [`METADATA_KEY`] when it loads a session, the layer updates them there, and
//! the store takes them out again into columns when it saves. Nothing else sees them.
//!
//! When the session layer saves inside the request's notes (the layer is added
//! [`around`](crate::UserSessionsLayer::around) it), the columns stay in the notes instead and
//! the entry is only a [marker](marker) naming that load: most requests never save, and
//! building, reading and dropping the entry was a good part of what a load cost. A record that
//! goes through `Session::clear` loses the marker like any entry (its columns start afresh); a
//! record whose id is cycled at login keeps it (its creation time survives).

use std::net::IpAddr;

use serde::Deserialize as _;
use serde_json::Value;
use time::OffsetDateTime;
use user_sessions::{ClientHints, SessionInfo};

use crate::client::Client;
use crate::request;

/// The session key reserved for the row's columns (client, times). Applications must not
/// write it, and its value is internal (while a request runs it is often only a number that
/// refers to the request's own notes): read sessions through [`Sessions`](crate::Sessions).
pub const METADATA_KEY: &str = "__user_sessions";

/// The columns of a row other than its id, expiry and data. Times are Unix milliseconds.
///
/// In the session data it is a JSON array, `[ip, user_agent, client_hints, user_id,
/// created_at, last_activity, authenticated_at]` with `null` for absent values: every request
/// that loads a session builds and reads one, and an array costs a fraction of an object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Metadata {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    pub client_hints: Option<ClientHints>,
    /// The user the row was last saved with: a change means a (new) sign-in.
    pub user_id: Option<String>,
    pub created_at: Option<i64>,
    pub last_activity: Option<i64>,
    pub authenticated_at: Option<i64>,
}

impl Metadata {
    /// The metadata of a loaded row (taking its strings: a load builds one per request).
    pub(crate) fn from_info(info: SessionInfo) -> Self {
        Metadata {
            ip: info.ip,
            user_agent: info.user_agent,
            client_hints: info.client_hints,
            user_id: info.user_id,
            created_at: Some(millis(info.created_at)),
            last_activity: Some(millis(info.last_activity)),
            authenticated_at: info.authenticated_at.map(millis),
        }
    }

    /// Reads the metadata a session carries; anything malformed reads as empty.
    pub(crate) fn from_value(value: &Value) -> Self {
        let Some(
            [
                ip,
                user_agent,
                hints,
                user_id,
                created,
                active,
                authenticated,
            ],
        ) = value.as_array().map(Vec::as_slice)
        else {
            return Metadata::default();
        };
        let text = |value: &Value| value.as_str().map(str::to_owned);
        Metadata {
            ip: ip.as_str().and_then(|ip| ip.parse().ok()),
            user_agent: text(user_agent),
            client_hints: Option::<ClientHints>::deserialize(hints).ok().flatten(),
            user_id: text(user_id),
            created_at: created.as_i64(),
            last_activity: active.as_i64(),
            authenticated_at: authenticated.as_i64(),
        }
    }

    pub(crate) fn into_value(self) -> Value {
        let text = |value: Option<String>| value.map_or(Value::Null, Value::String);
        let number = |value: Option<i64>| value.map_or(Value::Null, Value::from);
        Value::Array(vec![
            text(self.ip.map(|ip| ip.to_string())),
            text(self.user_agent),
            self.client_hints
                .as_ref()
                .and_then(|hints| serde_json::to_value(hints).ok())
                .unwrap_or(Value::Null),
            text(self.user_id),
            number(self.created_at),
            number(self.last_activity),
            number(self.authenticated_at),
        ])
    }

    /// Records `client`, with activity at `now`, when either is news: the row records another
    /// client, or its last activity is at least `interval_ms` old. Returns whether it did.
    pub(crate) fn record(&mut self, client: &Client, now: i64, interval_ms: i64) -> bool {
        let fresh = self
            .last_activity
            .is_some_and(|last| is_recent(last, now, interval_ms));
        if fresh && self.records(client) {
            return false;
        }
        self.ip = client.ip;
        self.user_agent.clone_from(&client.user_agent);
        self.client_hints.clone_from(&client.client_hints);
        self.last_activity = Some(now);
        true
    }

    /// Whether the row already records this client (IP, user agent, client hints).
    pub(crate) fn records(&self, client: &Client) -> bool {
        self.ip == client.ip
            && self.user_agent == client.user_agent
            && self.client_hints == client.client_hints
    }
}

/// Whether last activity at `last` is less than `interval_ms` before `now` (Unix
/// milliseconds): the activity interval's one rule.
pub(crate) fn is_recent(last: i64, now: i64, interval_ms: i64) -> bool {
    now.saturating_sub(last) < interval_ms
}

/// The entry of a loaded session whose columns are in the request notes, under load number
/// `load` (see [`next_load`](crate::request::next_load)).
pub(crate) fn marker(load: u64) -> Value {
    Value::from(load)
}

/// The metadata a session's entry stands for: the entry read, or — for a marker — the columns
/// the request noted for that load. `None` for a marker of a load these notes do not hold (the
/// record is saved outside the request that loaded it).
pub(crate) fn resolve(entry: &Value) -> Option<Metadata> {
    match entry.as_u64() {
        Some(load) => request::with_loaded(|loaded| {
            (loaded.marker == Some(load)).then(|| loaded.metadata.clone())
        })
        .flatten(),
        None => Some(Metadata::from_value(entry)),
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn millis(t: OffsetDateTime) -> i64 {
    // Whole seconds and the millisecond within: no 128-bit division.
    t.unix_timestamp() * 1000 + i64::from(t.millisecond())
}

/// The inverse of [`millis`]; out-of-range values read as absent.
pub(crate) fn from_millis(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .and_then(|t| t.replace_millisecond(ms.rem_euclid(1000) as u16))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json() {
        let meta = Metadata {
            ip: Some("2001:db8::1".parse().unwrap()),
            user_agent: Some("curl/8".into()),
            client_hints: Some(ClientHints {
                mobile: Some(true),
                ..ClientHints::default()
            }),
            user_id: Some("7".into()),
            created_at: Some(1),
            last_activity: Some(2),
            authenticated_at: None,
        };
        assert_eq!(Metadata::from_value(&meta.clone().into_value()), meta);
        assert_eq!(
            Metadata::from_value(&Metadata::default().into_value()),
            Metadata::default()
        );
        for garbage in [
            Value::String("garbage".into()),
            serde_json::json!([1, 2]),
            serde_json::json!({"ip": "192.0.2.1"}),
        ] {
            assert_eq!(Metadata::from_value(&garbage), Metadata::default());
        }
        // Wrong types inside the array read as absent, field by field.
        let odd = Metadata::from_value(&serde_json::json!([
            "not an ip",
            5,
            "x",
            null,
            "1",
            2,
            null
        ]));
        assert_eq!(odd.ip, None);
        assert_eq!(odd.user_agent, None);
        assert_eq!(odd.client_hints, None);
        assert_eq!(odd.created_at, None);
        assert_eq!(odd.last_activity, Some(2));
    }

    #[test]
    fn millis_round_trip() {
        let t = user_sessions::now();
        assert_eq!(from_millis(millis(t)), Some(t));
        assert_eq!(from_millis(i64::MAX), None);
        for ms in [-1_001, -1, 0, 999, 1_700_000_000_123] {
            let t = from_millis(ms).unwrap();
            assert_eq!(t.unix_timestamp_nanos(), i128::from(ms) * 1_000_000);
            assert_eq!(millis(t), ms);
        }
    }
}
