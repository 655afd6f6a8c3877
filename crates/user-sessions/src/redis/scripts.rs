//! The Lua scripts that keep a session and its index entries consistent. Each runs atomically
//! on the server; every key it touches carries the store's hash tag, so all of them live in one
//! Redis Cluster slot.
//!
//! Layout (prefix `P`, written `{P}:`): `{P}:s:<id>` a hash per session (`i` info JSON, `d`
//! data, `u` user id, `x` expiry in ms, and the scores and TTLs it is indexed with: `a`, `e`,
//! `t`, `k`, see [`SAVE`]), `{P}:u:<user id>` a sorted set of the user's session
//! ids by last activity, `{P}:activity` and `{P}:expiry` sorted sets of every session id by last
//! activity and by expiry.

/// Writes sessions and their index entries.
///
/// KEYS: 1 activity index, 2 expiry index, then per session: its key and its user's index key
/// (ignored when anonymous).
/// ARGV: 1 key prefix `{P}:`, 2 now ms, 3 `create` to refuse overwriting a session that has
/// not expired at `now`, `update` to write only sessions that exist, or `save`, then per
/// session 8 values: id, info, data, `1` if signed in, user id, last activity ms, expiry ms,
/// deletion time ms (expiry + retention).
/// Returns how many sessions were written.
///
/// Every `redis.call` costs a few microseconds, so the hash remembers what the indexes and
/// TTLs already hold — `u` user, `a` activity score, `e` expiry score, `t` the key's deletion
/// time, `k` the deletion time last ensured for the user's index — and a save that changes
/// only the data and pushes the expiry a little (the common case: a rolling expiry) is one
/// `HMGET` and one `HSET`:
/// - the activity indexes move when the activity changes (callers keep it to the minute);
/// - the expiry index moves when the expiry grew by more than a minute (or shrank): its score
///   may lag the real expiry (`x`) by up to a minute, which readers of the index allow for;
/// - the session key's and the user index's TTLs are set an hour past what is needed, so they
///   are extended about once an hour.
pub(super) const SAVE: &str = r#"
local now = tonumber(ARGV[2])
local written = 0
for s = 0, (#KEYS - 2) / 2 - 1 do
  local skey, ukey = KEYS[3 + 2 * s], KEYS[4 + 2 * s]
  local a = 3 + 8 * s
  local id, signed, user = ARGV[a + 1], ARGV[a + 4], ARGV[a + 5]
  local activity, expires = ARGV[a + 6], ARGV[a + 7]
  local delete_at = tonumber(ARGV[a + 8])
  local old = redis.call('HMGET', skey, 'x', 'u', 'a', 'e', 't', 'k')
  local old_expires, old_user, old_activity = old[1], old[2], old[3]
  local refused = false
  if ARGV[3] == 'create' then
    refused = old_expires ~= false and tonumber(old_expires) > now
  elseif ARGV[3] == 'update' then
    refused = old_expires == false
  end
  if not refused then
    written = written + 1
    local new_user = signed == '1' and user
    if old_user and old_user ~= new_user then
      redis.call('ZREM', ARGV[1] .. 'u:' .. old_user, id)
    end
    if delete_at <= now then
      -- Past its retention already: writing a long-dead session stores nothing.
      redis.call('DEL', skey)
      redis.call('ZREM', KEYS[1], id)
      redis.call('ZREM', KEYS[2], id)
      if new_user then
        redis.call('ZREM', ukey, id)
      end
    else
      local fields = {'i', ARGV[a + 2], 'd', ARGV[a + 3], 'x', expires, 'a', activity}
      local moved = old_activity ~= activity or old_user ~= new_user
      if moved then
        redis.call('ZADD', KEYS[1], activity, id)
      end
      local score = tonumber(old[4] or old_expires)
      local expiry = tonumber(expires)
      if not score or expiry < score or expiry - score > 60000 then
        redis.call('ZADD', KEYS[2], expires, id)
        fields[#fields + 1] = 'e'
        fields[#fields + 1] = expires
      end
      if not old[5] or tonumber(old[5]) < delete_at then
        redis.call('PEXPIREAT', skey, delete_at + 3600000)
        fields[#fields + 1] = 't'
        fields[#fields + 1] = delete_at + 3600000
      end
      if new_user then
        fields[#fields + 1] = 'u'
        fields[#fields + 1] = user
        if moved then
          redis.call('ZADD', ukey, activity, id)
        end
        if moved or not old[6] or tonumber(old[6]) < delete_at then
          local ttl = redis.call('PTTL', ukey)
          local ensured = now + ttl
          if ttl < 0 or ensured < delete_at then
            ensured = delete_at + 3600000
            redis.call('PEXPIREAT', ukey, ensured)
          end
          fields[#fields + 1] = 'k'
          fields[#fields + 1] = ensured
        end
      elseif old_user then
        redis.call('HDEL', skey, 'u', 'k')
      end
      redis.call('HSET', skey, unpack(fields))
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
/// KEYS: expiry index, activity index. ARGV: 1 key prefix, 2 now ms, 3 most entries to look at.
/// Returns {deleted sessions, entries looked at}. An entry whose session was extended since
/// it was scored (see [`SAVE`]) is moved to the session's real expiry instead; entries of
/// sessions Redis already dropped are removed.
pub(super) const PURGE_EXPIRED: &str = r#"
local now = tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
local deleted = 0
for _, id in ipairs(ids) do
  local skey = ARGV[1] .. 's:' .. id
  local v = redis.call('HMGET', skey, 'x', 'u')
  if v[1] and tonumber(v[1]) > now then
    redis.call('ZADD', KEYS[1], v[1], id)
    redis.call('HSET', skey, 'e', v[1])
  else
    if v[1] then
      redis.call('DEL', skey)
      deleted = deleted + 1
    end
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    if v[2] then
      redis.call('ZREM', ARGV[1] .. 'u:' .. v[2], id)
    end
  end
end
return {deleted, #ids}
"#;

/// Counts sessions by expiry: {active, expired} at `now`.
///
/// KEYS: expiry index. ARGV: 1 key prefix, 2 now ms. Index scores may lag a session's real
/// expiry by up to a minute (see [`SAVE`]); entries scored within the last minute are checked
/// against the session itself.
pub(super) const COUNT_BY_EXPIRY: &str = r#"
local now = tonumber(ARGV[2])
local total = redis.call('ZCARD', KEYS[1])
local active = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[2], '+inf')
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - 60000), ARGV[2])) do
  local expires = redis.call('HGET', ARGV[1] .. 's:' .. id, 'x')
  if expires and tonumber(expires) > now then
    active = active + 1
  end
end
return {active, total - active}
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
