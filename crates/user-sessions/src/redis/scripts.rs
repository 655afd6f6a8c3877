//! The Lua scripts that keep a session and its index entries consistent. Each runs atomically
//! on the server; every key it touches carries the store's hash tag, so all of them live in one
//! Redis Cluster slot.
//!
//! Layout (prefix `P`, written `{P}:`): `{P}:s:<id>` a hash per session (`i` info JSON, `d`
//! data, `u` user id, `x` expiry in ms), `{P}:u:<user id>` a sorted set of the user's session
//! ids by last activity, `{P}:activity` and `{P}:expiry` sorted sets of every session id by last
//! activity and by expiry.

/// Writes sessions and their index entries.
///
/// KEYS: 1 activity index, 2 expiry index, then per session: its key and its user's index key
/// (ignored when anonymous).
/// ARGV: 1 key prefix `{P}:`, 2 now ms, 3 `create` to refuse overwriting a session that has
/// not expired at `now`, `update` to write only sessions that exist, or `save`, then per session 8 values: id, info, data, `1` if
/// signed in, user id, last activity ms, expiry ms, deletion time ms (expiry + retention).
/// Returns how many sessions were written.
pub(super) const SAVE: &str = r#"
local now = tonumber(ARGV[2])
local t = redis.call('TIME')
local server_now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local written = 0
for s = 0, (#KEYS - 2) / 2 - 1 do
  local skey, ukey = KEYS[3 + 2 * s], KEYS[4 + 2 * s]
  local a = 3 + 8 * s
  local id, signed, user = ARGV[a + 1], ARGV[a + 4], ARGV[a + 5]
  local delete_at = tonumber(ARGV[a + 8])
  local refused = false
  if ARGV[3] == 'create' then
    local expires = redis.call('HGET', skey, 'x')
    refused = expires ~= false and tonumber(expires) > now
  elseif ARGV[3] == 'update' then
    refused = redis.call('EXISTS', skey) == 0
  end
  if not refused then
    written = written + 1
    local old_user = redis.call('HGET', skey, 'u')
    if old_user and (signed ~= '1' or old_user ~= user) then
      redis.call('ZREM', ARGV[1] .. 'u:' .. old_user, id)
    end
    if delete_at <= server_now then
      -- Past its retention already: writing a long-dead session stores nothing.
      redis.call('DEL', skey)
      redis.call('ZREM', KEYS[1], id)
      redis.call('ZREM', KEYS[2], id)
    else
      redis.call('HSET', skey, 'i', ARGV[a + 2], 'd', ARGV[a + 3], 'x', ARGV[a + 7])
      if signed == '1' then
        redis.call('HSET', skey, 'u', user)
        redis.call('ZADD', ukey, ARGV[a + 6], id)
        local ttl = redis.call('PTTL', ukey)
        if ttl < 0 or server_now + ttl < delete_at then
          redis.call('PEXPIREAT', ukey, delete_at)
        end
      else
        redis.call('HDEL', skey, 'u')
      end
      redis.call('PEXPIREAT', skey, delete_at)
      redis.call('ZADD', KEYS[1], ARGV[a + 6], id)
      redis.call('ZADD', KEYS[2], ARGV[a + 7], id)
    end
  end
end
return written
"#;

/// Deletes sessions by id, optionally only those of one user.
///
/// KEYS: activity index, expiry index, then one session key per id.
/// ARGV: 1 key prefix, 2 `1` to require an owner, 3 the owner, then the ids (same order as
/// their keys). Returns how many sessions existed and were deleted.
pub(super) const DELETE: &str = r#"
local deleted = 0
for i = 3, #KEYS do
  local id = ARGV[i + 1]
  local user = redis.call('HGET', KEYS[i], 'u')
  if ARGV[2] ~= '1' or user == ARGV[3] then
    deleted = deleted + redis.call('DEL', KEYS[i])
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    if user then
      redis.call('ZREM', ARGV[1] .. 'u:' .. user, id)
    end
  end
end
return deleted
"#;

/// Deletes a user's sessions except one.
///
/// KEYS: user index, activity index, expiry index.
/// ARGV: 1 key prefix, 2 user id, 3 the id to keep (empty: none). Returns how many.
pub(super) const DELETE_USER_SESSIONS: &str = r#"
local deleted = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if id ~= ARGV[3] then
    local skey = ARGV[1] .. 's:' .. id
    local user = redis.call('HGET', skey, 'u')
    if user == ARGV[2] then
      deleted = deleted + redis.call('DEL', skey)
    end
    if user == ARGV[2] or not user then
      redis.call('ZREM', KEYS[2], id)
      redis.call('ZREM', KEYS[3], id)
    end
    redis.call('ZREM', KEYS[1], id)
  end
end
return deleted
"#;

/// A user's sessions, most recent activity first; drops index entries that no longer match.
///
/// KEYS: user index. ARGV: 1 key prefix, 2 user id, 3 now ms, 4 `1` to include expired ones.
/// Returns a flat array: id, info, id, info, …
pub(super) const USER_SESSIONS: &str = r#"
local out = {}
local now = tonumber(ARGV[3])
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, -1)) do
  local v = redis.call('HMGET', ARGV[1] .. 's:' .. id, 'u', 'i', 'x')
  if v[1] ~= ARGV[2] or not v[2] then
    redis.call('ZREM', KEYS[1], id)
  elseif ARGV[4] == '1' or tonumber(v[3]) > now then
    out[#out + 1] = id
    out[#out + 1] = v[2]
  end
end
return out
"#;

/// One batch of the activity index, newest first, for admin listings and counts.
///
/// KEYS: activity index, expiry index. ARGV: 1 key prefix, 2 highest score (inclusive),
/// 3 offset, 4 count. Returns {scanned, removed, {id, info, id, info, …}}; entries whose
/// session is gone are removed from both indexes.
pub(super) const PAGE: &str = r#"
local rows = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[2], '-inf', 'LIMIT', ARGV[3], ARGV[4])
local out = {}
local removed = 0
for _, id in ipairs(rows) do
  local info = redis.call('HGET', ARGV[1] .. 's:' .. id, 'i')
  if info then
    out[#out + 1] = id
    out[#out + 1] = info
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    removed = removed + 1
  end
end
return {#rows, removed, out}
"#;

/// Deletes sessions that expired at or before `now`, oldest expiry first.
///
/// KEYS: expiry index, activity index. ARGV: 1 key prefix, 2 now ms, 3 limit.
/// Returns how many index entries it removed.
pub(super) const PURGE_EXPIRED: &str = r#"
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
for _, id in ipairs(ids) do
  local skey = ARGV[1] .. 's:' .. id
  local user = redis.call('HGET', skey, 'u')
  redis.call('DEL', skey)
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  if user then
    redis.call('ZREM', ARGV[1] .. 'u:' .. user, id)
  end
end
return #ids
"#;

/// Counts index entries by expiry. KEYS: expiry index. ARGV: 1 min, 2 max (ZCOUNT syntax).
pub(super) const COUNT_BY_EXPIRY: &str = r#"
return redis.call('ZCOUNT', KEYS[1], ARGV[1], ARGV[2])
"#;

/// Deletes up to 1000 keys matching a pattern per call. KEYS: any key of the store (for
/// routing). ARGV: 1 SCAN cursor, 2 pattern. Returns the next cursor ("0" when done).
pub(super) const CLEAR: &str = r#"
local result = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', 1000)
for _, key in ipairs(result[2]) do
  redis.call('DEL', key)
end
return result[1]
"#;
