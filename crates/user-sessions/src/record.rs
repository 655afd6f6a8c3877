//! The row model: what is stored for every session.

use std::collections::HashMap;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::PublicId;

/// The application's session data: the key/value map a session framework keeps
/// (tower-sessions' `Record::data` has exactly this type).
pub type SessionData = HashMap<String, serde_json::Value>;

/// User-agent client hints the browser sent (`Sec-CH-UA*` headers), raw as received.
///
/// ```
/// use user_sessions::ClientHints;
///
/// let hints = ClientHints {
///     platform: Some("\"Windows\"".into()),
///     platform_version: Some("\"15.0.0\"".into()),
///     ..ClientHints::default()
/// };
/// assert!(!hints.is_empty());
/// assert!(ClientHints::default().is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClientHints {
    /// `Sec-CH-UA`: the brand list, e.g. `"Chromium";v="130", "Google Chrome";v="130"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brands: Option<String>,
    /// `Sec-CH-UA-Mobile`: `?1` → `true`, `?0` → `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<bool>,
    /// `Sec-CH-UA-Platform`, e.g. `"Windows"` (with the quotes, as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// `Sec-CH-UA-Platform-Version`, e.g. `"15.0.0"` (with the quotes, as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
}

impl ClientHints {
    /// True when no hint was sent.
    pub fn is_empty(&self) -> bool {
        self.brands.is_none()
            && self.mobile.is_none()
            && self.platform.is_none()
            && self.platform_version.is_none()
    }
}

/// Everything stored about a session except its data: what lists and admin queries return.
///
/// All times are UTC with millisecond precision (the precision every backend keeps).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The public id (hash of the secret id).
    pub id: PublicId,
    /// The signed-in user, as text; `None` for an anonymous session.
    pub user_id: Option<String>,
    /// The client's IP address as last seen.
    pub ip: Option<IpAddr>,
    /// The client's `User-Agent`, possibly truncated.
    pub user_agent: Option<String>,
    /// The client's user-agent client hints, if it sent any.
    pub client_hints: Option<ClientHints>,
    /// When the session was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the session was last used (refreshed at most once per activity interval).
    #[serde(with = "time::serde::rfc3339")]
    pub last_activity: OffsetDateTime,
    /// When the session stops being valid.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// When the user signed in on this session, if they did.
    #[serde(with = "time::serde::rfc3339::option")]
    pub authenticated_at: Option<OffsetDateTime>,
}

impl SessionInfo {
    /// A fresh anonymous session created now that expires at `expires_at`.
    ///
    /// ```
    /// use time::{Duration, OffsetDateTime};
    /// use user_sessions::{PublicId, SessionInfo};
    ///
    /// let info = SessionInfo::new(PublicId::from_secret(b"s"), OffsetDateTime::now_utc() + Duration::days(14));
    /// assert!(info.user_id.is_none());
    /// assert!(!info.is_expired_at(OffsetDateTime::now_utc()));
    /// ```
    pub fn new(id: PublicId, expires_at: OffsetDateTime) -> Self {
        let now = now();
        SessionInfo {
            id,
            user_id: None,
            ip: None,
            user_agent: None,
            client_hints: None,
            created_at: now,
            last_activity: now,
            expires_at: truncate_to_millis(expires_at),
            authenticated_at: None,
        }
    }

    /// Whether the session has expired at `now` (a session expiring exactly at `now` has).
    pub fn is_expired_at(&self, now: OffsetDateTime) -> bool {
        self.expires_at <= now
    }

    /// Rounds every timestamp down to whole milliseconds, the precision the backends keep.
    pub(crate) fn normalize(&mut self) {
        self.created_at = truncate_to_millis(self.created_at);
        self.last_activity = truncate_to_millis(self.last_activity);
        self.expires_at = truncate_to_millis(self.expires_at);
        self.authenticated_at = self.authenticated_at.map(truncate_to_millis);
    }
}

/// A whole session: its [`SessionInfo`] columns plus the application's data.
///
/// Derefs to [`SessionInfo`], so `record.user_id` works.
///
/// ```
/// use time::{Duration, OffsetDateTime};
/// use user_sessions::{PublicId, SessionRecord};
///
/// let mut record = SessionRecord::new(PublicId::from_secret(b"s"), OffsetDateTime::now_utc() + Duration::hours(1));
/// record.data.insert("cart".into(), serde_json::json!([1, 2, 3]));
/// record.info.user_id = Some("42".into());
/// assert_eq!(record.user_id.as_deref(), Some("42"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    /// The columns.
    pub info: SessionInfo,
    /// The application's key/value data.
    pub data: SessionData,
}

impl SessionRecord {
    /// A fresh, empty, anonymous session created now.
    pub fn new(id: PublicId, expires_at: OffsetDateTime) -> Self {
        SessionRecord {
            info: SessionInfo::new(id, expires_at),
            data: SessionData::new(),
        }
    }
}

impl std::ops::Deref for SessionRecord {
    type Target = SessionInfo;

    fn deref(&self) -> &SessionInfo {
        &self.info
    }
}

impl std::ops::DerefMut for SessionRecord {
    fn deref_mut(&mut self) -> &mut SessionInfo {
        &mut self.info
    }
}

/// The current time, UTC, truncated to milliseconds.
pub(crate) fn now() -> OffsetDateTime {
    truncate_to_millis(OffsetDateTime::now_utc())
}

/// Rounds a timestamp down to whole milliseconds (and converts it to UTC).
pub(crate) fn truncate_to_millis(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(time::UtcOffset::UTC);
    let ns = t.nanosecond();
    t.replace_nanosecond(ns - ns % 1_000_000).unwrap_or(t)
}

/// Milliseconds since the Unix epoch (how SQLite and Redis store times).
pub(crate) fn to_millis(t: OffsetDateTime) -> i64 {
    // Whole seconds and the millisecond within: no 128-bit division (a load and a save each
    // convert several times).
    t.unix_timestamp() * 1000 + i64::from(t.millisecond())
}

/// The inverse of [`to_millis`]; out-of-range values clamp to the far past/future.
pub(crate) fn from_millis(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .and_then(|t| t.replace_millisecond(ms.rem_euclid(1000) as u16))
        .unwrap_or(if ms < 0 {
            OffsetDateTime::UNIX_EPOCH
        } else {
            time::PrimitiveDateTime::MAX.assume_utc()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_round_trip() {
        let t = now();
        assert_eq!(from_millis(to_millis(t)), t);
        assert_eq!(
            from_millis(i64::MAX),
            time::PrimitiveDateTime::MAX.assume_utc()
        );
        assert_eq!(from_millis(i64::MIN), OffsetDateTime::UNIX_EPOCH);
        // Before the epoch too: milliseconds count down from it.
        for ms in [-86_400_001, -1_001, -1, 0, 1, 999, 1_000, 1_700_000_000_123] {
            let t = from_millis(ms);
            assert_eq!(t.unix_timestamp_nanos(), i128::from(ms) * 1_000_000);
            assert_eq!(to_millis(t), ms);
        }
    }

    #[test]
    fn truncation_keeps_millis() {
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_123_456_789).unwrap();
        assert_eq!(
            truncate_to_millis(t).unix_timestamp_nanos(),
            1_700_000_000_123_000_000
        );
    }
}
