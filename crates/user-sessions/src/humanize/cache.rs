//! A small, bounded, thread-safe map from strings to values.
//!
//! Sessions of one user, and the users of one site, send the same few user agents over and
//! over, so a little cache in front of the parser saves most of the work. It is sharded (one
//! lock per shard, so threads rarely wait for each other) and every shard keeps two
//! generations: new entries go to the young one; when it is full it becomes the old one and
//! the previous old one is dropped; a hit in the old generation moves the entry back to the
//! young one. That keeps recently used entries at the cost of one hash per lookup and never
//! holds more than `2 × shards × per_generation` entries.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::sync::{Mutex, PoisonError};

/// Number of shards; a power of two.
const SHARDS: usize = 16;

/// A bounded map from strings to cheaply cloned values.
pub(crate) struct BoundedCache<V> {
    hasher: RandomState,
    per_generation: usize,
    shards: Box<[Mutex<Shard<V>>]>,
}

/// Keys are the already computed 64-bit hash; the string itself is kept to rule out
/// collisions.
type Map<V> = HashMap<u64, (Box<str>, V), BuildHasherDefault<PassThrough>>;

struct Shard<V> {
    young: Map<V>,
    old: Map<V>,
}

impl<V: Clone> BoundedCache<V> {
    /// A cache holding at most about `capacity` entries (never more than `capacity` rounded
    /// up to a multiple of twice the number of shards).
    pub(crate) fn new(capacity: usize) -> Self {
        let per_generation = capacity.div_ceil(2 * SHARDS).max(1);
        let shards = (0..SHARDS)
            .map(|_| {
                Mutex::new(Shard {
                    young: Map::default(),
                    old: Map::default(),
                })
            })
            .collect();
        BoundedCache {
            hasher: RandomState::new(),
            per_generation,
            shards,
        }
    }

    /// The most entries this cache will ever hold.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        2 * SHARDS * self.per_generation
    }

    /// The number of entries held now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| {
                let s = s.lock().unwrap_or_else(PoisonError::into_inner);
                s.young.len() + s.old.len()
            })
            .sum()
    }

    fn shard(&self, hash: u64) -> &Mutex<Shard<V>> {
        // The low bits feed the shard choice; the map uses all of them.
        &self.shards[(hash as usize) & (SHARDS - 1)]
    }

    /// The value cached for `key`, if any.
    #[cfg(test)]
    pub(crate) fn get(&self, key: &str) -> Option<V> {
        self.get_hashed(self.hasher.hash_one(key), key)
    }

    /// Caches `value` for `key`, evicting the oldest generation of its shard when full.
    #[cfg(test)]
    pub(crate) fn insert(&self, key: &str, value: V) {
        self.insert_hashed(self.hasher.hash_one(key), key, value);
    }

    /// The value cached for `key`, or the one `make` computes, which is then cached. The
    /// shard is not locked while `make` runs, so two threads may compute the same value
    /// at once; the last one is kept.
    pub(crate) fn get_or_insert_with(&self, key: &str, make: impl FnOnce() -> V) -> V {
        let hash = self.hasher.hash_one(key);
        if let Some(hit) = self.get_hashed(hash, key) {
            return hit;
        }
        let value = make();
        self.insert_hashed(hash, key, value.clone());
        value
    }

    fn get_hashed(&self, hash: u64, key: &str) -> Option<V> {
        // A panic while the lock was held cannot leave a map half-updated in a way that
        // matters here (at worst an entry is missing), so a poisoned lock is used as is.
        let mut shard = self
            .shard(hash)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((k, v)) = shard.young.get(&hash) {
            return (**k == *key).then(|| v.clone());
        }
        let (k, v) = shard.old.remove(&hash)?;
        if *k != *key {
            return None;
        }
        let value = v.clone();
        shard.insert_young(self.per_generation, hash, k, v);
        Some(value)
    }

    fn insert_hashed(&self, hash: u64, key: &str, value: V) {
        let mut shard = self
            .shard(hash)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        shard.old.remove(&hash);
        shard.insert_young(self.per_generation, hash, key.into(), value);
    }
}

impl<V> Shard<V> {
    fn insert_young(&mut self, per_generation: usize, hash: u64, key: Box<str>, value: V) {
        if self.young.len() >= per_generation && !self.young.contains_key(&hash) {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(hash, (key, value));
    }
}

/// A hasher for keys that already are hashes.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by `Map`; fold anything else in, just in case.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::BoundedCache;

    #[test]
    fn returns_what_was_inserted() {
        let cache = BoundedCache::new(64);
        assert_eq!(cache.get("a"), None);
        cache.insert("a", 1);
        cache.insert("b", 2);
        assert_eq!(cache.get("a"), Some(1));
        assert_eq!(cache.get("b"), Some(2));
        cache.insert("a", 3);
        assert_eq!(cache.get("a"), Some(3));
    }

    #[test]
    fn computes_once() {
        let cache = BoundedCache::new(64);
        let mut calls = 0;
        for _ in 0..3 {
            let v = cache.get_or_insert_with("k", || {
                calls += 1;
                7
            });
            assert_eq!(v, 7);
        }
        assert_eq!(calls, 1);
    }

    #[test]
    fn stays_bounded() {
        let cache = BoundedCache::new(100);
        for i in 0..10_000 {
            cache.insert(&format!("key {i}"), i);
        }
        assert!(cache.len() <= cache.capacity(), "{} entries", cache.len());
        assert!(cache.capacity() <= 2 * 100);
        // The most recent entries survive.
        assert_eq!(cache.get("key 9999"), Some(9999));
    }

    #[test]
    fn keeps_entries_that_are_used() {
        let cache = BoundedCache::new(32);
        cache.insert("hot", 0);
        for i in 0..1_000 {
            cache.insert(&format!("cold {i}"), i);
            assert_eq!(cache.get("hot"), Some(0), "evicted after {i} inserts");
        }
    }

    #[test]
    fn is_shared_between_threads() {
        let cache = std::sync::Arc::new(BoundedCache::new(1_000));
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let cache = cache.clone();
                std::thread::spawn(move || {
                    for i in 0..200 {
                        let key = format!("{t}-{i}");
                        cache.insert(&key, i);
                        assert_eq!(cache.get(&key), Some(i));
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().expect("thread panicked");
        }
    }
}
