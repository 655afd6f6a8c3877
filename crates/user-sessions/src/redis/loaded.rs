//! The headers of the sessions this process read last, so that the save that follows a load
//! can tell — without asking Redis — whether it moves anything in the indexes.
//!
//! Any header found here is one that a script wrote, so its index entries and TTLs were in
//! place when it was read; the scripts never take a live session out of an index it was put in
//! (see `SAVE`), so they still are. A save consistent with it (see
//! [`Header::carried_to`](super::value::Header::carried_to)) may therefore be a plain
//! `SET … XX`, whatever other requests wrote meanwhile. That holds for every save that finds
//! the header, so it stays until a newer load replaces it or room is needed: two requests on
//! one session at once both save without the script. A missing entry only costs the script.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use super::value::Header;
use crate::PublicId;

const SHARDS: usize = 16;
/// Entries per shard; when full, an arbitrary one makes room (ids are random).
const SHARD_CAPACITY: usize = 1024;

/// A bounded map from session id to the header last read, sharded to keep locks short.
#[derive(Debug)]
pub(super) struct LoadedHeaders {
    shards: Vec<Mutex<Shard>>,
}

type Shard = HashMap<PublicId, Header, BuildHasherDefault<DigestHasher>>;

/// Hashes what is already a uniformly random digest (a public id is SHA-256 of a secret that
/// only loaded sessions have) by folding its words: a keyed hash would add nothing but time.
#[derive(Debug, Default)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0_u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(23) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for LoadedHeaders {
    fn default() -> Self {
        LoadedHeaders {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }
}

impl LoadedHeaders {
    fn shard(&self, id: &PublicId) -> &Mutex<Shard> {
        &self.shards[usize::from(id.as_bytes()[0]) % SHARDS]
    }

    /// Notes the header just read for `id`.
    pub(super) fn remember(&self, id: PublicId, header: Header) {
        // A poisoned lock only means another thread panicked mid-insert: the map is still a
        // valid cache.
        let mut shard = self
            .shard(&id)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if shard.len() >= SHARD_CAPACITY && !shard.contains_key(&id) {
            if let Some(evicted) = shard.keys().next().copied() {
                shard.remove(&evicted);
            }
        }
        shard.insert(id, header);
    }

    /// The header last read for `id`, if it is still here.
    pub(super) fn get(&self, id: &PublicId) -> Option<Header> {
        self.shard(id)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(id)
            .cloned()
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

        for n in 0..(SHARDS * SHARD_CAPACITY * 2) as i64 {
            loaded.remember(PublicId::from_secret(&n.to_le_bytes()), header(n));
        }
        let total: usize = loaded.shards.iter().map(|s| s.lock().unwrap().len()).sum();
        assert!(total <= SHARDS * SHARD_CAPACITY, "{total}");
        let last = (SHARDS * SHARD_CAPACITY * 2 - 1) as i64;
        assert_eq!(
            loaded.get(&PublicId::from_secret(&last.to_le_bytes())),
            Some(header(last))
        );
    }
}
