//! The Lua scripts that keep a session and its index entries consistent. Each runs atomically
//! on the server; every key it touches carries the store's hash tag, so all of them live in one
//! Redis Cluster slot.
//!
//! Layout (prefix `P`, written `{P}:`): `{P}:s:<id>` a string per session (header line,
//! columns line, data: see the `value` module), `{P}:u:<user id>` a sorted set of the user's
//! session ids by last activity, `{P}:activity` and `{P}:expiry` sorted sets of every session id
//! by last activity and by expiry.
//!
//! One rule makes saves without a script safe (see the `loaded` module): **a live session is
//! never taken out of a user's index**. When a session changes hands, its entry in the previous
//! user's index stays until the session is ended or gone; readers of a user's index skip
//! sessions that now belong to someone else. So a late save that writes back the user a
//! session had when it was read always finds the session in that user's index.

/// Lua helpers every script starts with.
macro_rules! helpers {
    () => {
        r#"
-- The header of a session's value (a JSON array: expires, activity, expiry score, deletion,
-- user index until, user) and where its line ends; the user is false when anonymous.
local function header_of(v)
  local nl = string.find(v, '\n', 1, true)
  if not nl then return nil, nil end
  local h = cjson.decode(string.sub(v, 1, nl - 1))
  if h[6] == cjson.null then h[6] = false end
  return h, nl
end
-- The header and columns lines of a value (what listings return).
local function columns_of(v, nl)
  local second = string.find(v, '\n', nl + 1, true)
  if second then return string.sub(v, 1, second - 1) end
  return v
end
"#
    };
}

/// The body of [`SAVE`] as a Lua function `write_sessions()`, returning how many sessions it
/// wrote (shared with [`SIGN_IN`]).
macro_rules! write_sessions {
    () => {
        r#"
local function write_sessions()
  local now = tonumber(ARGV[2])
  local written = 0
  for s = 0, (#KEYS - 2) / 2 - 1 do
    local skey, ukey = KEYS[3 + 2 * s], KEYS[4 + 2 * s]
    local a = 3 + 8 * s
    local id, user, user_json = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
    local columns, data = ARGV[a + 4], ARGV[a + 5]
    local activity, expires = ARGV[a + 6], ARGV[a + 7]
    local delete_at = tonumber(ARGV[a + 8])
    local old = redis.call('GET', skey)
    local h = old and header_of(old)
    local refused = false
    if ARGV[3] == 'create' then
      refused = h and tonumber(h[1]) > now
    elseif ARGV[3] == 'update' then
      refused = not h
    end
    if not refused then
      written = written + 1
      local new_user = user_json ~= 'null' and user
      if delete_at <= now then
        -- Past its retention already: writing a long-dead session stores nothing.
        redis.call('DEL', skey)
        redis.call('ZREM', KEYS[1], id)
        redis.call('ZREM', KEYS[2], id)
        if new_user then
          redis.call('ZREM', ukey, id)
        end
      else
        local old_user = h and h[6]
        local moved = not h or tonumber(h[2]) ~= tonumber(activity) or old_user ~= new_user
        if moved then
          redis.call('ZADD', KEYS[1], activity, id)
        end
        local expiry = tonumber(expires)
        local score = h and tonumber(h[3])
        if not score or expiry < score or expiry - score > 60000 then
          redis.call('ZADD', KEYS[2], expires, id)
          score = expiry
        end
        local deletion = h and tonumber(h[4])
        if not deletion or deletion < delete_at then
          deletion = delete_at + 3600000
        end
        local until_ = 0
        if new_user then
          if moved then
            redis.call('ZADD', ukey, activity, id)
          end
          if old_user == new_user then
            until_ = tonumber(h[5]) or 0
          end
          if moved or until_ < delete_at then
            local ttl = redis.call('PTTL', ukey)
            until_ = now + ttl
            if ttl < 0 or until_ < delete_at then
              until_ = delete_at + 3600000
              redis.call('PEXPIREAT', ukey, until_)
            end
          end
        end
        local header = '[' .. expires .. ',' .. activity .. ',' .. string.format('%d', score) ..
          ',' .. string.format('%d', deletion) .. ',' .. string.format('%d', until_) .. ',' ..
          user_json .. ']'
        redis.call('SET', skey, header .. '\n' .. columns .. '\n' .. data,
          'PXAT', string.format('%d', deletion))
      end
    end
  end
  return written
end
"#
    };
}
/// Writes sessions and their index entries.
///
/// KEYS: 1 activity index, 2 expiry index, then per session: its key and its user's index key
/// (ignored when anonymous).
/// ARGV: 1 key prefix `{P}:`, 2 now ms, 3 `create` to refuse overwriting a session that has
/// not expired at `now`, `update` to write only sessions that exist, or `save`, then per
/// session 8 values: id, user id (empty when anonymous), the user as JSON (`null` when
/// anonymous), columns line, data, last activity ms, expiry ms, deletion time ms (expiry +
/// retention).
/// Returns how many sessions were written.
///
/// Every `redis.call` costs, so the header remembers what the indexes and TTLs already hold
/// and a save writes only what changed:
/// - the activity indexes move when the activity or the user changes (callers keep activity to
///   the minute); a previous user's index keeps its entry (see the module docs);
/// - the expiry index moves when the expiry grew by more than a minute (or shrank): its score
///   may lag the real expiry by up to a minute, which readers of the index allow for;
/// - the session key's and the user index's TTLs are set an hour past what is needed, so they
///   are extended about once an hour.
pub(super) const SAVE: &str = concat!(helpers!(), write_sessions!(), "return write_sessions()\n");

/// Writes one session that has just gained its user (a sign-in), keeping the user to a
/// session limit: reads the user's other live sessions, ends the least recently active beyond
/// the limit (or refuses), and writes the session as [`SAVE`] does — one atomic step.
///
/// KEYS and ARGV as [`SAVE`] for one session (ARGV 3 `create` or `update`), then ARGV 12 the
/// limit, 13 `1` to refuse a sign-in beyond it. Returns {0} when nothing was written (a create
/// found a live session with the id, an update none), {-1} when refused, {1, ended ids}.
/// Decides as `SessionLimit::to_end` does: others most recently active first (then id
/// descending), the first limit - 1 kept.
pub(super) const SIGN_IN: &str = concat!(
    helpers!(),
    write_sessions!(),
    r#"
local now = tonumber(ARGV[2])
local id, user, ukey = ARGV[4], ARGV[5], KEYS[4]
local old = redis.call('GET', KEYS[3])
local h = old and header_of(old)
if ARGV[3] == 'create' then
  if h and tonumber(h[1]) > now then return {0} end
elseif not h then
  return {0}
end
local others = {}
for _, other in ipairs(redis.call('ZRANGE', ukey, 0, -1)) do
  if other ~= id then
    local v = redis.call('GET', ARGV[1] .. 's:' .. other)
    local oh = v and header_of(v)
    if oh and oh[6] == user and tonumber(oh[1]) > now then
      others[#others + 1] = {other, tonumber(oh[2])}
    end
  end
end
local keep = tonumber(ARGV[12]) - 1
if #others > keep and ARGV[13] == '1' then return {-1} end
table.sort(others, function(a, b)
  if a[2] ~= b[2] then return a[2] > b[2] end
  return a[1] > b[1]
end)
local ended = {}
for i = keep + 1, #others do
  local other = others[i][1]
  redis.call('DEL', ARGV[1] .. 's:' .. other)
  redis.call('ZREM', KEYS[1], other)
  redis.call('ZREM', KEYS[2], other)
  redis.call('ZREM', ukey, other)
  ended[#ended + 1] = other
end
write_sessions()
return {1, ended}
"#
);

/// Records a request's client and activity on a live session, leaving its data, expiry, user
/// and TTL as they are.
///
/// KEYS: 1 activity index, 2 the session's key.
/// ARGV: 1 key prefix `{P}:`, 2 now ms, 3 the session id, 4 last activity ms, 5 the opening of
/// the new columns line: `{` and the client's columns (`"ip":…,"agent":…,"hints":…,`, each
/// only when present), to which the script adds the creation and sign-in times it keeps.
/// Returns 1 when the session was written, 0 when it is gone or expired (nothing written).
pub(super) const TOUCH: &str = concat!(
    helpers!(),
    r#"
local v = redis.call('GET', KEYS[2])
if not v then return 0 end
local h, nl = header_of(v)
if not h or tonumber(h[1]) <= tonumber(ARGV[2]) then return 0 end
local second = string.find(v, '\n', nl + 1, true)
if not second then return 0 end
local old = cjson.decode(string.sub(v, nl + 1, second - 1))
local columns = ARGV[5] .. '"created":' .. string.format('%d', old.created)
if old.authenticated and old.authenticated ~= cjson.null then
  columns = columns .. ',"authenticated":' .. string.format('%d', old.authenticated)
end
-- The header with its second field, the last activity, replaced.
local c1 = string.find(v, ',', 1, true)
local c2 = string.find(v, ',', c1 + 1, true)
local activity = ARGV[4]
local header = string.sub(v, 1, c1) .. activity .. string.sub(v, c2, nl - 1)
if tonumber(h[2]) ~= tonumber(activity) then
  redis.call('ZADD', KEYS[1], activity, ARGV[3])
  if h[6] then
    redis.call('ZADD', ARGV[1] .. 'u:' .. h[6], 'XX', activity, ARGV[3])
  end
end
redis.call('SET', KEYS[2], header .. '\n' .. columns .. '}\n' .. string.sub(v, second + 1),
  'KEEPTTL')
return 1
"#
);

/// Deletes sessions by id, optionally only those of one user.
///
/// KEYS: activity index, expiry index, then one session key per id.
/// ARGV: 1 key prefix, 2 `1` to require an owner, 3 the owner, then the ids (same order as
/// their keys). Returns how many sessions existed and were deleted.
pub(super) const DELETE: &str = concat!(
    helpers!(),
    r#"
local deleted = 0
for i = 3, #KEYS do
  local id = ARGV[i + 1]
  local v = redis.call('GET', KEYS[i])
  local user = false
  if v then
    local h = header_of(v)
    user = h and h[6]
  end
  if ARGV[2] ~= '1' or (v and user == ARGV[3]) then
    deleted = deleted + redis.call('DEL', KEYS[i])
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    if user then
      redis.call('ZREM', ARGV[1] .. 'u:' .. user, id)
    end
  end
end
return deleted
"#
);

/// Deletes a user's sessions except one.
///
/// KEYS: user index, activity index, expiry index.
/// ARGV: 1 key prefix, 2 user id, 3 the id to keep (empty: none). Returns how many.
/// Entries of sessions that now belong to someone else stay (see the module docs).
pub(super) const DELETE_USER_SESSIONS: &str = concat!(
    helpers!(),
    r#"
local deleted = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if id ~= ARGV[3] then
    local skey = ARGV[1] .. 's:' .. id
    local v = redis.call('GET', skey)
    local h = v and header_of(v)
    if not v or (h and h[6] == ARGV[2]) then
      deleted = deleted + redis.call('DEL', skey)
      redis.call('ZREM', KEYS[1], id)
      redis.call('ZREM', KEYS[2], id)
      redis.call('ZREM', KEYS[3], id)
    end
  end
end
return deleted
"#
);

/// A user's sessions; drops index entries of sessions that are gone.
///
/// KEYS: user index. ARGV: 1 key prefix, 2 user id, 3 now ms, 4 `1` to include expired ones.
/// Returns a flat array: id, header and columns, id, header and columns, …
pub(super) const USER_SESSIONS: &str = concat!(
    helpers!(),
    r#"
local out = {}
local now = tonumber(ARGV[3])
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, -1)) do
  local v = redis.call('GET', ARGV[1] .. 's:' .. id)
  if not v then
    redis.call('ZREM', KEYS[1], id)
  else
    local h, nl = header_of(v)
    if h and h[6] == ARGV[2] and (ARGV[4] == '1' or tonumber(h[1]) > now) then
      out[#out + 1] = id
      out[#out + 1] = columns_of(v, nl)
    end
  end
end
return out
"#
);

/// One batch of the activity index, newest first, for admin listings and counts.
///
/// KEYS: activity index, expiry index. ARGV: 1 key prefix, 2 highest score (inclusive),
/// 3 offset, 4 count. Returns {scanned, removed, {id, header and columns, …}}; entries whose
/// session is gone are removed from both indexes.
pub(super) const PAGE: &str = concat!(
    helpers!(),
    r#"
local rows = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[2], '-inf', 'LIMIT', ARGV[3], ARGV[4])
local out = {}
local removed = 0
for _, id in ipairs(rows) do
  local v = redis.call('GET', ARGV[1] .. 's:' .. id)
  if v then
    out[#out + 1] = id
    out[#out + 1] = columns_of(v, string.find(v, '\n', 1, true) or #v)
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    removed = removed + 1
  end
end
return {#rows, removed, out}
"#
);

/// Deletes sessions that expired at or before `now`, oldest expiry first.
///
/// KEYS: expiry index, activity index. ARGV: 1 key prefix, 2 now ms, 3 most entries to look at.
/// Returns {entries looked at, {id, user (nil when anonymous) of each deleted session, …}}.
/// An entry whose session was extended since it was scored (see [`SAVE`]) is moved to the
/// session's real expiry instead; entries of sessions Redis already dropped are removed.
pub(super) const PURGE_EXPIRED: &str = concat!(
    helpers!(),
    r#"
local now = tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
local deleted = {}
for _, id in ipairs(ids) do
  local skey = ARGV[1] .. 's:' .. id
  local v = redis.call('GET', skey)
  local h = v and header_of(v)
  if h and tonumber(h[1]) > now then
    redis.call('ZADD', KEYS[1], string.format('%d', h[1]), id)
  else
    if v then
      redis.call('DEL', skey)
      deleted[#deleted + 1] = id
      deleted[#deleted + 1] = (h and h[6]) or false
    end
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    if h and h[6] then
      redis.call('ZREM', ARGV[1] .. 'u:' .. h[6], id)
    end
  end
end
return {#ids, deleted}
"#
);

/// Counts sessions by expiry: {active, expired} at `now`.
///
/// KEYS: expiry index. ARGV: 1 key prefix, 2 now ms. Index scores may lag a session's real
/// expiry by up to a minute (see [`SAVE`]); entries scored within the last minute are checked
/// against the session itself.
pub(super) const COUNT_BY_EXPIRY: &str = concat!(
    helpers!(),
    r#"
local now = tonumber(ARGV[2])
local total = redis.call('ZCARD', KEYS[1])
local active = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[2], '+inf')
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - 60000), ARGV[2])) do
  local v = redis.call('GET', ARGV[1] .. 's:' .. id)
  local h = v and header_of(v)
  if h and tonumber(h[1]) > now then
    active = active + 1
  end
end
return {active, total - active}
"#
);

/// Deletes up to 1000 keys matching a pattern per call. KEYS: any key of the store (for
/// routing). ARGV: 1 SCAN cursor, 2 pattern. Returns the next cursor ("0" when done).
pub(super) const CLEAR: &str = r#"
local result = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', 1000)
for _, key in ipairs(result[2]) do
  redis.call('DEL', key)
end
return result[1]
"#;

/// Converts sessions stored by layout 1 (a hash per session: `i` columns, `d` data, `u` user,
/// `x` expiry, `a` activity, `e` expiry score, `k` user index until) to layout 2's single
/// string, keeping each key's TTL; up to 500 keys per call.
///
/// KEYS: any key of the store (for routing). ARGV: 1 SCAN cursor, 2 pattern of session keys,
/// 3 now ms. Returns the next cursor ("0" when done).
pub(super) const CONVERT_LAYOUT_1: &str = r#"
local now = tonumber(ARGV[3])
local result = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', 500)
for _, key in ipairs(result[2]) do
  if redis.call('TYPE', key)['ok'] == 'hash' then
    local f = redis.call('HMGET', key, 'i', 'd', 'u', 'x', 'a', 'e', 'k')
    local ttl = redis.call('PTTL', key)
    redis.call('DEL', key)
    if f[1] and f[2] and f[4] and f[5] then
      local user = 'null'
      if f[3] then user = cjson.encode(f[3]) end
      local deletion = 0
      if ttl > 0 then deletion = now + ttl end
      local header = '[' .. f[4] .. ',' .. f[5] .. ',' .. (f[6] or f[4]) .. ',' ..
        string.format('%d', deletion) .. ',' .. (f[7] or '0') .. ',' .. user .. ']'
      local value = header .. '\n' .. f[1] .. '\n' .. f[2]
      if ttl > 0 then
        redis.call('SET', key, value, 'PX', ttl)
      else
        redis.call('SET', key, value)
      end
    end
  end
end
return result[1]
"#;
