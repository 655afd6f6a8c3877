//! The per-user device history on Redis: a sorted set per user, `{P}:d:<user id>`, of the
//! (network, device) pairs the user signed in with, scored by when they last did (UTC
//! milliseconds), and an index of those users, `{P}:devices`, scored by each one's oldest
//! entry, so that the purge finds the entries to forget without scanning.
//!
//! A user's set expires (`PEXPIREAT`) one window after its newest entry; each sign-in drops
//! the user's entries older than the window and keeps the newest
//! [`MAX_KNOWN_DEVICES`](crate::MAX_KNOWN_DEVICES). Both keys carry the store's hash tag.

use fred::prelude::{KeysInterface, SortedSetsInterface, Value};
use time::OffsetDateTime;

use super::{RedisBackend, bytes_of, integer_of, map_error};
use crate::record::{from_millis, to_millis};
use crate::{Error, KnownDevice, Result};

/// Separates the network from the device in a member (networks never contain it).
const SEPARATOR: char = '\t';

/// Users looked at per call of [`FORGET`].
const FORGET_CHUNK: u32 = 500;

/// Records a sign-in's pair. KEYS: the user's history, the users' index. ARGV: 1 user id,
/// 2 member, 3 last used ms, 4 forget-before ms, 5 most entries kept.
pub(super) const REMEMBER: &str = r#"
local old = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not old or tonumber(old) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[5]) + 1))
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #oldest == 0 then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
redis.call('ZADD', KEYS[2], oldest[2], ARGV[1])
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], tonumber(newest[2]) + tonumber(ARGV[3]) - tonumber(ARGV[4]))
return 1
"#;

/// Forgets entries used before a time. KEYS: the users' index. ARGV: 1 key prefix, 2 before
/// ms, 3 most users to look at. Returns {entries forgotten, users looked at}.
pub(super) const FORGET: &str = r#"
local users = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2], 'LIMIT', 0, ARGV[3])
local forgotten = 0
for _, user in ipairs(users) do
  local key = ARGV[1] .. 'd:' .. user
  forgotten = forgotten + redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[2])
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if #oldest == 0 then
    redis.call('ZREM', KEYS[1], user)
  else
    redis.call('ZADD', KEYS[1], oldest[2], user)
  end
end
return {forgotten, #users}
"#;

impl RedisBackend {
    fn devices_key(&self, user_id: &str) -> fred::types::Key {
        fred::types::Key::from(format!("{}d:{user_id}", self.keys))
    }

    pub(super) async fn remember_device_pair(
        &self,
        user_id: &str,
        device: &KnownDevice,
        forget_before: OffsetDateTime,
    ) -> Result<()> {
        let member = format!("{}{SEPARATOR}{}", device.network, device.device);
        self.eval(
            &self.scripts.remember_device,
            REMEMBER,
            vec![self.devices_key(user_id), self.key("devices")],
            vec![
                Value::from(user_id),
                Value::from(member),
                Value::from(to_millis(device.last_used)),
                Value::from(to_millis(forget_before)),
                Value::from(crate::MAX_KNOWN_DEVICES as i64),
            ],
        )
        .await?;
        Ok(())
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
        let Value::Array(values) = reply else {
            return Ok(Vec::new());
        };
        // `member, score, …` (RESP2) or `[member, score], …` (RESP3).
        let flat: Vec<Value> = values
            .into_iter()
            .flat_map(|value| match value {
                Value::Array(pair) => pair,
                other => vec![other],
            })
            .collect();
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

    /// Forgets the user's history: the count of its entries, then the key, then the user's
    /// place in the users' index (a sign-in meanwhile puts it back, with a key that expires).
    pub(super) async fn forget_user_device_pairs(&self, user_id: &str) -> Result<u64> {
        let client = self.pool.next();
        let key = self.devices_key(user_id);
        let entries: i64 = client.zcard(key.clone()).await.map_err(map_error)?;
        let _: i64 = client.del(key).await.map_err(map_error)?;
        let _: i64 = client
            .zrem(self.key("devices"), user_id)
            .await
            .map_err(map_error)?;
        Ok(entries.max(0) as u64)
    }

    pub(super) async fn forget_device_pairs(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> Result<u64> {
        let mut forgotten = 0u64;
        while forgotten < u64::from(limit) {
            let reply = self
                .eval(
                    &self.scripts.forget_devices,
                    FORGET,
                    vec![self.key("devices")],
                    vec![
                        Value::from(self.keys.as_str()),
                        Value::from(to_millis(before)),
                        Value::from(i64::from(FORGET_CHUNK)),
                    ],
                )
                .await?;
            let Value::Array(parts) = reply else {
                return Err(Error::Backend(
                    "unexpected reply to the device history script".into(),
                ));
            };
            let number = |n: Option<&Value>| n.and_then(integer_of).unwrap_or(0).max(0) as u64;
            forgotten += number(parts.first());
            if number(parts.get(1)) < u64::from(FORGET_CHUNK) {
                break;
            }
        }
        Ok(forgotten)
    }
}
