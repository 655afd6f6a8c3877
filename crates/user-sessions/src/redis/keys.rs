//! The names of a store's keys and the hash slots they fall into.
//!
//! Each key carries a hash tag (the text between its first `{` and the next `}`), and Redis
//! Cluster places a key by its tag alone. A session's keys are tagged with the session's id, a
//! user's keys with the user id, and the global indexes are cut into [`BUCKETS`] buckets, each
//! tagged with the prefix and its number. So a store's sessions spread over every master of a
//! cluster, while each script still touches keys of one slot only.
//!
//! Every key but the layout version has the shape `P:<letter>:{<tag>}…`, so that
//! [`Keys::pattern`] matches the keys of prefix `P` and of no other prefix (prefixes may
//! contain `:`, never `{`).

use fred::types::Key;

use crate::PublicId;
use crate::public_id::HexId;

/// How many buckets each global index (activity, expiry, device history users) is cut into.
/// Part of the layout: changing it needs a new layout version.
pub(super) const BUCKETS: u8 = 16;

/// Key names for one prefix.
#[derive(Debug, Clone)]
pub(super) struct Keys {
    /// The prefix as configured, e.g. `user-sessions`.
    prefix: String,
}

impl Keys {
    pub(super) fn new(prefix: &str) -> Self {
        Keys {
            prefix: prefix.to_owned(),
        }
    }

    /// The prefix as configured.
    pub(super) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// `P:s:{<id>}`: a session.
    pub(super) fn session(&self, id: &PublicId) -> Key {
        self.tagged_by_id("s", &id.to_hex())
    }

    /// `P:t:{<id>}`: marks a session id that a sign-in ended before its first write landed.
    pub(super) fn tombstone(&self, id: &PublicId) -> Key {
        self.tagged_by_id("t", &id.to_hex())
    }

    fn tagged_by_id(&self, letter: &str, hex: &HexId) -> Key {
        let mut key = Vec::with_capacity(self.prefix.len() + 70);
        key.extend_from_slice(self.prefix.as_bytes());
        key.push(b':');
        key.extend_from_slice(letter.as_bytes());
        key.extend_from_slice(b":{");
        key.extend_from_slice(hex.as_bytes());
        key.push(b'}');
        Key::from(fred::bytes::Bytes::from(key))
    }

    /// `P:u:{<user id>}`: the user's index (a hash: session id → activity, expiry, deletion).
    pub(super) fn user(&self, user_id: &str) -> Key {
        Key::from(format!("{}:u:{{{user_id}}}", self.prefix))
    }

    /// `P:d:{<user id>}`: the user's device history.
    pub(super) fn devices(&self, user_id: &str) -> Key {
        Key::from(format!("{}:d:{{{user_id}}}", self.prefix))
    }

    /// `P:a:{P#<n>}`: bucket `n` of the activity index.
    pub(super) fn activity(&self, bucket: u8) -> Key {
        self.bucket("a", bucket)
    }

    /// `P:e:{P#<n>}`: bucket `n` of the expiry index (same slot as the activity bucket).
    pub(super) fn expiry(&self, bucket: u8) -> Key {
        self.bucket("e", bucket)
    }

    /// `P:v:{P#<n>}`: bucket `n` of the index of users with a device history.
    pub(super) fn device_users(&self, bucket: u8) -> Key {
        self.bucket("v", bucket)
    }

    fn bucket(&self, letter: &str, bucket: u8) -> Key {
        Key::from(format!("{0}:{letter}:{{{0}#{bucket}}}", self.prefix))
    }

    /// `{P}:schema`: the layout version (the same key in every layout).
    pub(super) fn schema(&self) -> Key {
        Key::from(format!("{{{}}}:schema", self.prefix))
    }

    /// A pattern matching every key of this store but the layout version.
    pub(super) fn pattern(&self) -> String {
        format!("{}:?:{{*", self.prefix)
    }

    /// A pattern matching the keys of the single-slot layouts (1 and 2), version included.
    pub(super) fn single_slot_pattern(&self) -> String {
        format!("{{{}}}:*", self.prefix)
    }
}

/// The bucket of a session's entries in the global indexes (its id is a hash already).
pub(super) fn session_bucket(id: &PublicId) -> u8 {
    id.as_bytes()[0] % BUCKETS
}

/// The bucket of a user's entry in the index of device histories (FNV-1a of the user id).
pub(super) fn user_bucket(user_id: &str) -> u8 {
    let hash = user_id
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    (hash % u64::from(BUCKETS)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(key: &Key) -> String {
        String::from_utf8_lossy(key.as_bytes()).into_owned()
    }

    #[test]
    fn keys_are_tagged_by_session_user_or_bucket() {
        let keys = Keys::new("app:v1");
        let id = PublicId::from_bytes([0xab; 32]);
        assert_eq!(text(&keys.session(&id)), format!("app:v1:s:{{{id}}}"));
        assert_eq!(text(&keys.tombstone(&id)), format!("app:v1:t:{{{id}}}"));
        assert_eq!(text(&keys.user("ann")), "app:v1:u:{ann}");
        assert_eq!(text(&keys.devices("ann")), "app:v1:d:{ann}");
        assert_eq!(text(&keys.activity(3)), "app:v1:a:{app:v1#3}");
        assert_eq!(text(&keys.expiry(3)), "app:v1:e:{app:v1#3}");
        assert_eq!(text(&keys.device_users(15)), "app:v1:v:{app:v1#15}");
        assert_eq!(text(&keys.schema()), "{app:v1}:schema");
    }

    #[test]
    fn buckets_cover_every_bucket_and_stay_in_range() {
        let mut seen = [false; BUCKETS as usize];
        for n in 0..=255u8 {
            let bucket = session_bucket(&PublicId::from_bytes([n; 32]));
            seen[bucket as usize] = true;
            assert!(user_bucket(&n.to_string()) < BUCKETS);
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(user_bucket("ann"), user_bucket("ann"));
    }
}
