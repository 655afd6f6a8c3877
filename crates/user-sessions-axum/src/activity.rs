//! When to record a session's activity and client: the one rule, and the in-process notes that
//! let a request which never touches its session skip the database.

use std::hash::BuildHasher;

use quick_cache::UnitWeighter;
use quick_cache::sync::Cache;
use time::OffsetDateTime;
use tower_sessions::session::Id;
use user_sessions::SessionInfo;

use crate::client::{Client, ClientHeaders};

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
///
/// Keyed by a keyed hash of the session id — not its public id, whose SHA-256 would cost more
/// than the rest of an untouched request, and never the id itself. Two sessions whose keys
/// collide (a chance of 2⁻⁶⁴ a pair) could at worst skip refreshes of their activity.
///
/// The hashes are foldhash's, seeded at random per process: every request that carries a
/// cookie computes two of them, and SipHash (the standard library's) cost more than the rest
/// of the notes' work together. Nothing here needs a cryptographic hash: a collision only
/// skips an activity refresh.
pub(crate) struct RecentActivity {
    notes: Cache<u64, Note, UnitWeighter, foldhash::fast::RandomState>,
    /// A random key for hashing session ids and client fingerprints.
    hasher: foldhash::quality::RandomState,
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
            notes: Cache::with(
                CAPACITY,
                CAPACITY as u64,
                UnitWeighter,
                Default::default(),
                Default::default(),
            ),
            hasher: Default::default(),
        }
    }
}

impl RecentActivity {
    /// The key of session `id` in the notes.
    pub(crate) fn key(&self, id: &Id) -> u64 {
        self.hasher.hash_one(id.0)
    }

    pub(crate) fn get(&self, key: u64) -> Option<Note> {
        self.notes.get(&key)
    }

    pub(crate) fn note(&self, key: u64, note: Note) {
        self.notes.insert(key, note);
    }

    /// A fingerprint of a request's client, from its headers as they came (the layer's
    /// settings are fixed, so equal headers are an equal client).
    pub(crate) fn fingerprint(&self, headers: &ClientHeaders) -> u64 {
        self.hasher.hash_one(headers)
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use super::*;

    #[test]
    fn recent_is_strictly_within_the_interval() {
        let now = time::OffsetDateTime::now_utc();
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
        use http::HeaderMap;

        use crate::client::ClientSettings;

        let notes = RecentActivity::default();
        let settings = ClientSettings::default();
        let agent = |text: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(http::header::USER_AGENT, text.parse().unwrap());
            headers
        };
        let ip = Some("192.0.2.1".parse().unwrap());
        let print = |ip, headers: &HeaderMap| {
            notes.fingerprint(&ClientHeaders::capture(ip, headers, &settings))
        };
        assert_eq!(print(ip, &agent("A")), print(ip, &agent("A")));
        assert_ne!(print(ip, &agent("A")), print(ip, &agent("B")));
        assert_ne!(print(ip, &agent("A")), print(None, &agent("A")));
    }

    #[test]
    fn notes_are_bounded() {
        let notes = RecentActivity::default();
        for n in 0..(CAPACITY as u64 * 2) {
            notes.note(notes.key(&Id(i128::from(n))), Note::Gone);
        }
        assert!(notes.notes.len() <= CAPACITY);
    }
}
