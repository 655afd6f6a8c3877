//! The per-user device history on Redis: a sorted set per user, `P:d:{<user id>}` (in the
//! user's slot), of the (network, device) pairs the user signed in with, scored by when they
//! last did (UTC milliseconds), and an index of those users cut into buckets,
//! `P:v:{P#<n>}`, scored by each one's oldest entry, so that the purge finds the entries to
//! forget without scanning.
//!
//! A user's set expires (`PEXPIREAT`) one window after its newest entry; each sign-in drops
//! the user's entries older than the window and keeps the newest
//! [`MAX_KNOWN_DEVICES`](crate::MAX_KNOWN_DEVICES). A sign-in updates the user's set first,
//! then the user's place in the index; the purge forgets entries in the user's set, then
//! moves or removes the user in the index, and checks a user it removed once more, so that a
//! sign-in racing it cannot leave a history the index does not name.

use fred::prelude::{KeysInterface, SortedSetsInterface, Value};
use time::OffsetDateTime;

use super::keys::{BUCKETS, user_bucket};
use super::{
    RedisBackend, all, array_of, bytes_of, count_of, integer_of, map_error, pairs_of, text_of,
};
use crate::record::{from_millis, to_millis};
use crate::{Error, KnownDevice, Result};

/// Separates the network from the device in a member (networks never contain it).
const SEPARATOR: char = '\t';

/// Users looked at per step of the purge.
const FORGET_CHUNK: u32 = 500;

/// Records a sign-in's pair. KEYS: the user's history. ARGV: 1 member, 2 last used ms,
/// 3 forget-before ms, 4 most entries kept. Returns the oldest entry's score, -1 when none is
/// left.
pub(super) const REMEMBER: &str = r#"
local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not old or tonumber(old) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[4]) + 1))
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #oldest == 0 then return -1 end
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], tonumber(newest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[3]))
return tonumber(oldest[2])
"#;

/// Forgets a user's entries used before a time. KEYS: the user's history. ARGV: 1 before ms.
/// Returns {entries forgotten, the oldest entry's score or -1 when none is left}.
pub(super) const FORGET: &str = r#"
local forgotten = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #oldest == 0 then return {forgotten, -1} end
return {forgotten, tonumber(oldest[2])}
"#;

/// The users of one bucket whose oldest entry is older than a time. KEYS: the bucket.
/// ARGV: 1 before ms, 2 most users.
pub(super) const USERS_BEFORE: &str = r#"
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, ARGV[2])
"#;

/// Sets users' places in one bucket. KEYS: the bucket. ARGV: per user: user id, the oldest
/// entry's score (-1: remove the user).
pub(super) const USERS_SET: &str = r#"
for i = 1, #ARGV, 2 do
  if tonumber(ARGV[i + 1]) < 0 then
    redis.call('ZREM', KEYS[1], ARGV[i])
  else
    redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i])
  end
end
return 0
"#;

impl RedisBackend {
    fn devices_key(&self, user_id: &str) -> fred::types::Key {
        self.keys.devices(user_id)
    }

    pub(super) async fn remember_device_pair(
        &self,
        user_id: &str,
        device: &KnownDevice,
        forget_before: OffsetDateTime,
    ) -> Result<()> {
        let member = format!("{}{SEPARATOR}{}", device.network, device.device);
        let oldest = self
            .eval(
                &self.scripts.remember_device,
                vec![self.devices_key(user_id)],
                vec![
                    Value::from(member),
                    Value::from(to_millis(device.last_used)),
                    Value::from(to_millis(forget_before)),
                    Value::from(crate::MAX_KNOWN_DEVICES as i64),
                ],
            )
            .await?;
        let oldest = integer_of(&oldest).unwrap_or(-1);
        self.set_device_users(user_bucket(user_id), vec![(user_id.to_owned(), oldest)])
            .await
    }

    /// Sets users' places in a bucket of the index of device histories (-1: removed).
    async fn set_device_users(&self, bucket: u8, users: Vec<(String, i64)>) -> Result<()> {
        if users.is_empty() {
            return Ok(());
        }
        let args = users
            .into_iter()
            .flat_map(|(user, oldest)| [Value::from(user), Value::from(oldest)])
            .collect();
        self.eval(
            &self.scripts.device_users_set,
            vec![self.keys.device_users(bucket)],
            args,
        )
        .await?;
        Ok(())
    }

    /// Forgets a user's entries used before `before_ms`: how many, and the oldest left (-1:
    /// none).
    async fn forget_user_devices(&self, user: &str, before_ms: i64) -> Result<(u64, i64)> {
        let reply = array_of(
            self.eval(
                &self.scripts.forget_devices,
                vec![self.devices_key(user)],
                vec![Value::from(before_ms)],
            )
            .await?,
        );
        Ok((
            count_of(reply.first()),
            reply.get(1).and_then(integer_of).unwrap_or(-1),
        ))
    }

    pub(super) async fn known_device_pairs(
        &self,
        user_id: &str,
        since: OffsetDateTime,
    ) -> Result<Vec<KnownDevice>> {
        let reply: Value = self
            .pool
            .next()
            .zrevrangebyscore(
                self.devices_key(user_id),
                "+inf",
                to_millis(since),
                true,
                None,
            )
            .await
            .map_err(map_error)?;
        let flat = pairs_of(reply);
        let mut known = Vec::with_capacity(flat.len() / 2);
        for pair in flat.chunks_exact(2) {
            let member = bytes_of(&pair[0])
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
                .ok_or_else(|| Error::Backend("a device history entry is not text".into()))?;
            let score = match &pair[1] {
                Value::Double(score) => Some(*score as i64),
                other => integer_of(other).or_else(|| {
                    bytes_of(other)
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .and_then(|s| s.parse::<f64>().ok())
                        .map(|f| f as i64)
                }),
            }
            .ok_or_else(|| Error::Backend("a device history score is not a number".into()))?;
            let (network, device) = member.split_once(SEPARATOR).unwrap_or((member, ""));
            known.push(KnownDevice {
                device: device.to_owned(),
                network: network.to_owned(),
                last_used: from_millis(score),
            });
        }
        Ok(known)
    }

    /// Forgets the user's history: the count of its entries, then the key (both in the user's
    /// slot), then the user's place in their bucket of the users' index (a sign-in meanwhile
    /// puts it back, with a key that expires).
    pub(super) async fn forget_user_device_pairs(&self, user_id: &str) -> Result<u64> {
        let client = self.pool.next();
        let key = self.devices_key(user_id);
        let entries: i64 = client.zcard(key.clone()).await.map_err(map_error)?;
        let _: i64 = client.del(key).await.map_err(map_error)?;
        self.set_device_users(user_bucket(user_id), vec![(user_id.to_owned(), -1)])
            .await?;
        Ok(entries.max(0) as u64)
    }

    pub(super) async fn forget_device_pairs(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> Result<u64> {
        let before_ms = to_millis(before);
        let mut forgotten = 0u64;
        for bucket in 0..BUCKETS {
            while forgotten < u64::from(limit) {
                let users: Vec<String> = array_of(
                    self.eval(
                        &self.scripts.device_users_expired,
                        vec![self.keys.device_users(bucket)],
                        vec![Value::from(before_ms), Value::from(i64::from(FORGET_CHUNK))],
                    )
                    .await?,
                )
                .iter()
                .filter_map(|user| text_of(user).map(str::to_owned))
                .collect();
                let results = all(users
                    .iter()
                    .map(|user| self.forget_user_devices(user, before_ms)))
                .await?;
                forgotten += results.iter().map(|(n, _)| n).sum::<u64>();
                let places: Vec<(String, i64)> = users
                    .iter()
                    .zip(&results)
                    .map(|(user, (_, oldest))| (user.clone(), *oldest))
                    .collect();
                self.set_device_users(bucket, places.clone()).await?;
                // A sign-in may have added an entry between the two steps: a user removed
                // from the index gets its place back if its history is not empty.
                let removed: Vec<&String> = places
                    .iter()
                    .filter(|(_, oldest)| *oldest < 0)
                    .map(|(user, _)| user)
                    .collect();
                let again =
                    all(removed.iter().map(|user| self.forget_user_devices(user, 0))).await?;
                let back: Vec<(String, i64)> = removed
                    .into_iter()
                    .zip(again)
                    .filter(|(_, (_, oldest))| *oldest >= 0)
                    .map(|(user, (_, oldest))| (user.clone(), oldest))
                    .collect();
                self.set_device_users(bucket, back).await?;
                if users.len() < FORGET_CHUNK as usize {
                    break;
                }
            }
        }
        Ok(forgotten)
    }
}
