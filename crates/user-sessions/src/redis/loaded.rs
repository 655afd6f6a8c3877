//! The headers of the sessions this process read last, so that the save that follows a load
//! can tell — without asking Redis — whether it moves anything in the indexes.
//!
//! Any header found here is one that a script wrote, so its index entries and TTLs were in
//! place when it was read; the scripts never take a live session out of an index it was put in
//! (see the module docs of `redis`), so they still are. A save consistent with it (see
//! [`Header::carried_to`](super::value::Header::carried_to)) may therefore be a plain
//! `SET … XX`, whatever other requests wrote meanwhile. That holds for every save that finds
//! the header, so it stays until a newer load replaces it or room is needed: two requests on
//! one session at once both save without the script. A missing entry only costs the script.

use quick_cache::sync::Cache;

use super::value::Header;
use crate::PublicId;

/// How many headers are kept (about: the cache's shards round it up a little).
const CAPACITY: usize = 16 * 1024;

/// A bounded map from session id to the header last read.
pub(super) struct LoadedHeaders {
    headers: Cache<PublicId, Header>,
}

impl std::fmt::Debug for LoadedHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedHeaders")
            .field("len", &self.headers.len())
            .finish_non_exhaustive()
    }
}

impl Default for LoadedHeaders {
    fn default() -> Self {
        LoadedHeaders {
            headers: Cache::new(CAPACITY),
        }
    }
}

impl LoadedHeaders {
    /// Notes the header just read for `id`.
    pub(super) fn remember(&self, id: PublicId, header: Header) {
        self.headers.insert(id, header);
    }

    /// The header last read for `id`, if it is still here.
    pub(super) fn get(&self, id: &PublicId) -> Option<Header> {
        self.headers.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(n: i64) -> Header {
        Header(n, n, n, n, n, None)
    }

    #[test]
    fn remembers_the_last_load_and_stays_bounded() {
        let loaded = LoadedHeaders::default();
        let id = PublicId::from_secret(b"one");
        assert_eq!(loaded.get(&id), None);
        loaded.remember(id, header(1));
        loaded.remember(id, header(2));
        // Every save after the load finds it: two requests on one session may both save.
        assert_eq!(loaded.get(&id), Some(header(2)));
        assert_eq!(loaded.get(&id), Some(header(2)));

        for n in 0..(CAPACITY * 2) as i64 {
            loaded.remember(PublicId::from_secret(&n.to_le_bytes()), header(n));
        }
        let total = loaded.headers.len();
        assert!(total <= CAPACITY + loaded.headers.num_shards(), "{total}");
        let last = (CAPACITY * 2 - 1) as i64;
        assert_eq!(
            loaded.get(&PublicId::from_secret(&last.to_le_bytes())),
            Some(header(last))
        );
    }
}
