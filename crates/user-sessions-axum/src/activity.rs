//! When to record a session's activity and client: the one rule, and the in-process notes that
//! let a request which never touches its session skip the database.

use std::hash::BuildHasher;

use quick_cache::sync::Cache;
use time::OffsetDateTime;
use user_sessions::{PublicId, SessionInfo};

use crate::client::Client;

/// How many sessions the notes remember. A session that falls out costs one narrow write on
/// its next request, nothing more.
const CAPACITY: usize = 100_000;

/// Whether last activity at `last` is less than `interval_ms` before `now`: the activity
/// interval's one rule.
pub(crate) fn is_recent(last: OffsetDateTime, now: OffsetDateTime, interval_ms: i64) -> bool {
    let elapsed = (now - last).whole_milliseconds();
    elapsed < i128::from(interval_ms)
}

/// Whether `info` already records this client (IP, user agent, client hints).
pub(crate) fn records_client(info: &SessionInfo, client: &Client) -> bool {
    info.ip == client.ip
        && info.user_agent == client.user_agent
        && info.client_hints == client.client_hints
}

/// What this process last knew of a session's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Note {
    /// It recorded activity at this time, from the client with this fingerprint.
    Active { at: OffsetDateTime, client: u64 },
    /// It is gone (ended or expired): nothing to refresh, ever — ids are never reused.
    Gone,
}

/// The notes: bounded, shared by every request of one layer.
pub(crate) struct RecentActivity {
    notes: Cache<PublicId, Note>,
    /// Keyed hashing for client fingerprints (they are compared, never stored).
    hasher: std::collections::hash_map::RandomState,
}

impl std::fmt::Debug for RecentActivity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecentActivity")
            .field("len", &self.notes.len())
            .finish_non_exhaustive()
    }
}

impl Default for RecentActivity {
    fn default() -> Self {
        RecentActivity {
            notes: Cache::new(CAPACITY),
            hasher: Default::default(),
        }
    }
}

impl RecentActivity {
    pub(crate) fn get(&self, id: &PublicId) -> Option<Note> {
        self.notes.get(id)
    }

    pub(crate) fn note(&self, id: PublicId, note: Note) {
        self.notes.insert(id, note);
    }

    /// A fingerprint of what a client is recorded as.
    pub(crate) fn fingerprint(&self, client: &Client) -> u64 {
        self.hash_client(
            client.ip,
            client.user_agent.as_deref(),
            client.client_hints.as_ref(),
        )
    }

    /// The fingerprint of the client a row records.
    pub(crate) fn fingerprint_of(&self, info: &SessionInfo) -> u64 {
        self.hash_client(
            info.ip,
            info.user_agent.as_deref(),
            info.client_hints.as_ref(),
        )
    }

    fn hash_client(
        &self,
        ip: Option<std::net::IpAddr>,
        user_agent: Option<&str>,
        hints: Option<&user_sessions::ClientHints>,
    ) -> u64 {
        self.hasher.hash_one((ip, user_agent, hints))
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use super::*;

    #[test]
    fn recent_is_strictly_within_the_interval() {
        let now = user_sessions::now();
        assert!(is_recent(now - Duration::seconds(59), now, 60_000));
        assert!(!is_recent(now - Duration::seconds(60), now, 60_000));
        assert!(
            !is_recent(now, now, 0),
            "a zero interval records every request"
        );
        assert!(is_recent(now + Duration::seconds(5), now, 60_000));
    }

    #[test]
    fn fingerprints_tell_clients_apart() {
        let notes = RecentActivity::default();
        let a = Client {
            ip: Some("192.0.2.1".parse().unwrap()),
            user_agent: Some("A".into()),
            client_hints: None,
        };
        let mut b = a.clone();
        assert_eq!(notes.fingerprint(&a), notes.fingerprint(&b));
        b.user_agent = Some("B".into());
        assert_ne!(notes.fingerprint(&a), notes.fingerprint(&b));
        let mut c = a.clone();
        c.ip = None;
        assert_ne!(notes.fingerprint(&a), notes.fingerprint(&c));
    }

    #[test]
    fn notes_are_bounded() {
        let notes = RecentActivity::default();
        for n in 0..(CAPACITY as u64 * 2) {
            notes.note(PublicId::from_secret(&n.to_le_bytes()), Note::Gone);
        }
        assert!(notes.notes.len() <= CAPACITY);
    }
}
