//! The row's columns as they travel inside a tower-sessions record.
//!
//! tower-sessions knows only `{id, data, expiry_date}`. The store puts the row's columns into
//! the data under [`METADATA_KEY`] when it loads a session, the layer updates them there, and
//! the store takes them out again into columns when it saves. Nothing else sees them.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use user_sessions::{ClientHints, SessionInfo};

/// The session key reserved for the row's columns (client, times). Applications must not
/// write it; they may read it, but [`Sessions`](crate::Sessions) is the supported way.
pub const METADATA_KEY: &str = "__user_sessions";

/// The columns of a row other than its id, expiry and data. Times are Unix milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<IpAddr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_hints: Option<ClientHints>,
    /// The user the row was last saved with: a change means a (new) sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticated_at: Option<i64>,
}

impl Metadata {
    pub(crate) fn from_info(info: &SessionInfo) -> Self {
        Metadata {
            ip: info.ip,
            user_agent: info.user_agent.clone(),
            client_hints: info.client_hints.clone(),
            user_id: info.user_id.clone(),
            created_at: Some(millis(info.created_at)),
            last_activity: Some(millis(info.last_activity)),
            authenticated_at: info.authenticated_at.map(millis),
        }
    }

    /// Reads the metadata a session carries; anything malformed reads as empty.
    pub(crate) fn from_value(value: Value) -> Self {
        serde_json::from_value(value).unwrap_or_default()
    }

    pub(crate) fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Whether the client-visible fields differ (times aside).
    pub(crate) fn same_client(&self, other: &Metadata) -> bool {
        self.ip == other.ip
            && self.user_agent == other.user_agent
            && self.client_hints == other.client_hints
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn millis(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The inverse of [`millis`]; out-of-range values read as absent.
pub(crate) fn from_millis(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
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
        assert_eq!(Metadata::from_value(meta.to_value()), meta);
        assert_eq!(
            Metadata::from_value(Value::String("garbage".into())),
            Metadata::default()
        );
    }

    #[test]
    fn millis_round_trip() {
        let t = user_sessions::now();
        assert_eq!(from_millis(millis(t)), Some(t));
        assert_eq!(from_millis(i64::MAX), None);
    }
}
