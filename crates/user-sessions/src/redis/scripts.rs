//! The Lua scripts of the Redis backend. Each runs atomically on the server and touches the
//! keys of **one slot** only: a session's (`P:s:{id}`, `P:t:{id}`), a user's (`P:u:{user}`),
//! or one bucket of the global indexes (`P:a:{P#n}`, `P:e:{P#n}`). The `write` module chains
//! them into the operations of the store, in the order that keeps its guarantees (see the
//! [module docs](super)).
//!
//! A user's index is a hash: session id → `activity,expires,deletion` (Unix milliseconds).
//! `deletion` is a time after which that session's key cannot exist any more, so an entry of a
//! missing session is dropped only once its `deletion` has passed: before that, the session may
//! be a write whose index entry landed first. An `expires` of 0 marks a session a sign-in is
//! ending: it no longer counts toward the user's session limit.

/// Lua helpers the session scripts start with.
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
"#
    };
}

/// Writes one session.
///
/// KEYS: 1 the session, 2 its tombstone. ARGV: 1 now ms, 2 `create` to refuse overwriting a
/// session that has not expired at `now`, `update` to write only a session that exists, or
/// `save`; 3 the user as JSON (`null` when anonymous), 4 columns line, 5 data, 6 last activity
/// ms, 7 expiry ms, 8 deletion time ms (expiry + retention), 9 until when the user's index is
/// kept (0 when anonymous).
///
/// Returns {1} when written ({1, previous user} when the session changed hands), {2} when the write was past its retention already and deleted the
/// session instead, {3} when a sign-in ended the id before this write landed (its tombstone:
/// nothing written), {0} when refused because there is no session (`update`), {-1, header
/// line} when refused because a live session has the id (`create`).
///
/// The key's TTL is set an hour past what is needed, so that a rolling expiry extends it about
/// once an hour; it keeps a longer TTL it already has while the user stays the same (that
/// user's index is kept at least as long).
pub(super) const SESSION_WRITE: &str = concat!(
    helpers!(),
    r#"
local now = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then return {3} end
local old = redis.call('GET', KEYS[1])
local h = old and header_of(old)
if ARGV[2] == 'create' then
  if h and tonumber(h[1]) > now then
    return {-1, string.sub(old, 1, string.find(old, '\n', 1, true) - 1)}
  end
elseif ARGV[2] == 'update' then
  if not h then return {0} end
end
local delete_at = tonumber(ARGV[8])
if delete_at <= now then
  redis.call('DEL', KEYS[1])
  return {2}
end
local user_json = ARGV[3]
local new_user = user_json ~= 'null' and cjson.decode(user_json)
local deletion = delete_at + 3600000
if h and h[6] == new_user and tonumber(h[4]) >= delete_at then
  deletion = tonumber(h[4])
end
local header = '[' .. ARGV[7] .. ',' .. ARGV[6] .. ',' .. ARGV[7] .. ',' ..
  string.format('%d', deletion) .. ',' .. ARGV[9] .. ',' .. user_json .. ']'
redis.call('SET', KEYS[1], header .. '\n' .. ARGV[4] .. '\n' .. ARGV[5],
  'PXAT', string.format('%d', deletion))
if h and h[6] and h[6] ~= new_user then return {1, h[6]} end
return {1}
"#
);

/// Records a request's client and activity on a live session, leaving its data, expiry, user
/// and TTL as they are.
///
/// KEYS: 1 the session. ARGV: 1 now ms, 2 last activity ms, 3 the opening of the new columns
/// line: `{` and the client's columns (`"ip":…,"agent":…,"hints":…,`, each only when present),
/// to which the script adds the creation and sign-in times it keeps.
/// Returns {0} when the session is gone or expired (nothing written), else {1, user (empty when
/// anonymous), 1 if the activity changed}.
pub(super) const SESSION_TOUCH: &str = concat!(
    helpers!(),
    r#"
local v = redis.call('GET', KEYS[1])
if not v then return {0} end
local h, nl = header_of(v)
if not h or tonumber(h[1]) <= tonumber(ARGV[1]) then return {0} end
local second = string.find(v, '\n', nl + 1, true)
if not second then return {0} end
local old = cjson.decode(string.sub(v, nl + 1, second - 1))
local columns = ARGV[3] .. '"created":' .. string.format('%d', old.created)
if old.authenticated and old.authenticated ~= cjson.null then
  columns = columns .. ',"authenticated":' .. string.format('%d', old.authenticated)
end
-- The header with its second field, the last activity, replaced.
local c1 = string.find(v, ',', 1, true)
local c2 = string.find(v, ',', c1 + 1, true)
local activity = ARGV[2]
local header = string.sub(v, 1, c1) .. activity .. string.sub(v, c2, nl - 1)
redis.call('SET', KEYS[1], header .. '\n' .. columns .. '}\n' .. string.sub(v, second + 1),
  'KEEPTTL')
local moved = 0
if tonumber(h[2]) ~= tonumber(activity) then moved = 1 end
return {1, h[6] or '', moved}
"#
);

/// Ends one session, optionally only if it belongs to a user.
///
/// KEYS: 1 the session. ARGV: 1 `1` to require an owner, 2 the owner.
/// Returns {1, user (empty when anonymous)} when it was deleted, {0} when there is none, {-1}
/// when it belongs to someone else.
pub(super) const SESSION_END: &str = concat!(
    helpers!(),
    r#"
local v = redis.call('GET', KEYS[1])
if not v then return {0} end
local h = header_of(v)
local user = h and h[6]
if ARGV[1] == '1' and user ~= ARGV[2] then return {-1} end
redis.call('DEL', KEYS[1])
return {1, user or ''}
"#
);

/// Ends a session a sign-in pushed out of its user's limit.
///
/// KEYS: 1 the session, 2 its tombstone. ARGV: 1 the user, 2 the index entry's deletion time
/// ms. Deletes the session if it belongs to the user; if there is none yet (its first write
/// may still be on its way: its index entry comes first), leaves a tombstone until the entry's
/// deletion time, which makes that write refuse. Returns 1 when a session was deleted, 2 when
/// a tombstone was left, 0 when the session belongs to someone else now.
pub(super) const SESSION_EVICT: &str = concat!(
    helpers!(),
    r#"
local v = redis.call('GET', KEYS[1])
if v then
  local h = header_of(v)
  if h and h[6] == ARGV[1] then
    redis.call('DEL', KEYS[1])
    return 1
  end
  return 0
end
redis.call('SET', KEYS[2], '1', 'PXAT', ARGV[2])
return 2
"#
);

/// Deletes a session that expired at or before `now`.
///
/// KEYS: 1 the session. ARGV: 1 now ms. Returns {1, expiry} when it lives on (extended since it
/// was scored), {2, user (empty when anonymous)} when it was deleted, {0} when it is gone.
pub(super) const SESSION_PURGE: &str = concat!(
    helpers!(),
    r#"
local v = redis.call('GET', KEYS[1])
if not v then return {0} end
local h = header_of(v)
if h and tonumber(h[1]) > tonumber(ARGV[1]) then return {1, h[1]} end
redis.call('DEL', KEYS[1])
return {2, (h and h[6]) or ''}
"#
);

/// Adds entries to a user's index and keeps the index at least an hour past its latest
/// deletion time.
///
/// KEYS: 1 the user's index. ARGV: 1 now ms, 2 the latest deletion time among the entries,
/// then per entry: session id, `activity,expires,deletion`.
/// Returns until when the index is kept.
pub(super) const USER_ADD: &str = r#"
local now = tonumber(ARGV[1])
for i = 3, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
local needed = tonumber(ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 or now + ttl < needed then
  redis.call('PEXPIREAT', KEYS[1], needed + 3600000)
  return needed + 3600000
end
return now + ttl
"#;

/// A sign-in's step on the user's index: keeps the user to a session limit, atomically.
///
/// KEYS: 1 the user's index. ARGV: 1 now ms, 2 the session id, 3 its entry
/// (`activity,expires,deletion`), 4 its deletion time, 5 the limit, 6 `1` to refuse a sign-in
/// beyond it.
///
/// The user's other sessions are those whose entries expire after `now`; entries of sessions
/// not yet written count too, which is what makes racing sign-ins safe. Decides as
/// `SessionLimit::to_end` does: others most recently active first (then id descending), the
/// first limit - 1 kept. Returns {-1} when refused (nothing written), else {1, until when the
/// index is kept, then per session to end: its id and its entry's deletion time}; their entries
/// stay, marked as ending (expiry 0), until the sessions are gone.
pub(super) const USER_SIGN_IN: &str = r#"
local now = tonumber(ARGV[1])
local id = ARGV[2]
local entries = redis.call('HGETALL', KEYS[1])
local others = {}
for i = 1, #entries, 2 do
  local other = entries[i]
  if other ~= id then
    local a, x, d = string.match(entries[i + 1], '^(%-?%d+),(%-?%d+),(%-?%d+)$')
    if a and tonumber(x) > now then
      others[#others + 1] = {other, tonumber(a), d}
    end
  end
end
local keep = tonumber(ARGV[5]) - 1
if #others > keep and ARGV[6] == '1' then return {-1} end
table.sort(others, function(p, q)
  if p[2] ~= q[2] then return p[2] > q[2] end
  return p[1] > q[1]
end)
local out = {1, 0}
for i = keep + 1, #others do
  local o = others[i]
  redis.call('HSET', KEYS[1], o[1], string.format('%d', o[2]) .. ',0,' .. o[3])
  out[#out + 1] = o[1]
  out[#out + 1] = o[3]
end
redis.call('HSET', KEYS[1], id, ARGV[3])
local needed = tonumber(ARGV[4])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 or now + ttl < needed then
  redis.call('PEXPIREAT', KEYS[1], needed + 3600000)
  out[2] = needed + 3600000
else
  out[2] = now + ttl
end
return out
"#;

/// Moves a session's entry in its user's index to a new activity, if the entry is there.
/// KEYS: 1 the user's index. ARGV: 1 session id, 2 activity ms.
pub(super) const USER_TOUCH: &str = r#"
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local rest = string.match(v, '^%-?%d+(,.*)$')
if not rest then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. rest)
return 1
"#;

/// Marks a session's entry in a user's index as not counting toward the limit (expiry 0); the
/// entry itself stays until its deletion time, in case a concurrent write needs it. Used after
/// a refused write (only if the entry is still the one it added) and when a session changed
/// hands (its previous user's entry). KEYS: 1 the user's index. ARGV: 1 session id, 2 the entry
/// as written, or empty for any entry.
pub(super) const USER_DISOWN: &str = r#"
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v or (ARGV[2] ~= '' and v ~= ARGV[2]) then return 0 end
local a, d = string.match(v, '^(%-?%d+),%-?%d+,(%-?%d+)$')
if not a then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], a .. ',0,' .. d)
return 1
"#;

/// Removes entries from a user's index. KEYS: 1 the user's index. ARGV: 1 now ms, 2 `ended`
/// for entries of sessions that were just deleted (all removed) or `stale` for entries of
/// sessions found missing (removed once their deletion time has passed), then the ids.
/// Returns how many were removed.
pub(super) const USER_DROP: &str = r#"
local now = tonumber(ARGV[1])
local removed = 0
for i = 3, #ARGV do
  local drop = ARGV[2] == 'ended'
  if not drop then
    local v = redis.call('HGET', KEYS[1], ARGV[i])
    local d = v and string.match(v, ',(%-?%d+)$')
    drop = d and tonumber(d) <= now
  end
  if drop then removed = removed + redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return removed
"#;

/// A user's index: a flat array of session id, entry, … KEYS: 1 the user's index.
pub(super) const USER_ENTRIES: &str = "return redis.call('HGETALL', KEYS[1])\n";

/// Adds sessions to one bucket of the activity and expiry indexes. KEYS: 1 activity bucket,
/// 2 expiry bucket. ARGV: per session: id, activity ms, expiry ms.
pub(super) const BUCKET_ADD: &str = r#"
for i = 1, #ARGV, 3 do
  redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i])
  redis.call('ZADD', KEYS[2], ARGV[i + 2], ARGV[i])
end
return 0
"#;

/// Removes sessions from one bucket of the activity and expiry indexes. KEYS: 1 activity
/// bucket, 2 expiry bucket. ARGV: 1 now ms, 2 `ended` for sessions that were just deleted (all
/// removed) or `stale` for sessions found missing (removed once their expiry score has
/// passed: a live session's write may be on its way), then the ids. Returns how many.
pub(super) const BUCKET_DROP: &str = r#"
local now = tonumber(ARGV[1])
local removed = 0
for i = 3, #ARGV do
  local drop = ARGV[2] == 'ended'
  if not drop then
    local score = redis.call('ZSCORE', KEYS[2], ARGV[i])
    drop = not score or tonumber(score) <= now
  end
  if drop then
    removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('ZREM', KEYS[2], ARGV[i])
  end
end
return removed
"#;

/// One batch of an activity bucket, newest first. KEYS: 1 activity bucket. ARGV: 1 highest
/// score (inclusive), 2 offset, 3 count. Returns id, score, id, score, …
pub(super) const BUCKET_PAGE: &str = r#"
return redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], '-inf', 'WITHSCORES',
  'LIMIT', ARGV[2], ARGV[3])
"#;

/// Counts one expiry bucket. KEYS: 1 expiry bucket. ARGV: 1 now ms.
/// Returns {entries, entries scored after now, ids scored in the minute up to now}: index
/// scores may lag a session's real expiry by up to a minute (see `value::EXPIRY_SLACK_MS`), so
/// the caller checks those against the sessions themselves.
pub(super) const BUCKET_COUNT: &str = r#"
local now = tonumber(ARGV[1])
local total = redis.call('ZCARD', KEYS[1])
local active = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
local recent = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - 60000), ARGV[1])
return {total, active, recent}
"#;

/// The oldest entries of an expiry bucket, up to `now`. KEYS: 1 expiry bucket.
/// ARGV: 1 now ms, 2 most entries. Returns the ids.
pub(super) const BUCKET_EXPIRED: &str = r#"
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
"#;

/// Moves entries of one expiry bucket to their sessions' real expiry. KEYS: 1 expiry bucket.
/// ARGV: per session: id, expiry ms.
pub(super) const BUCKET_RESCORE: &str = r#"
for i = 1, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[i + 1], ARGV[i])
end
return 0
"#;

/// Moves a session in one activity bucket, if it is there. KEYS: 1 activity bucket.
/// ARGV: 1 id, 2 activity ms.
pub(super) const BUCKET_TOUCH: &str = r#"
return redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[1])
"#;

/// Deletes up to 1000 keys matching a pattern per call, on the node serving its key. KEYS:
/// any key (for routing). ARGV: 1 SCAN cursor, 2 pattern. Returns the next cursor ("0" when
/// done). Used for the single-slot layouts, whose keys all share one slot.
pub(super) const CLEAR_SLOT: &str = r#"
local result = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', 1000)
for _, key in ipairs(result[2]) do
  redis.call('DEL', key)
end
return result[1]
"#;

/// Whether a single-slot layout (1 or 2) holds a session: KEYS: 1 any key of that layout (for
/// routing). ARGV: 1 SCAN cursor, 2 pattern of its session keys. Returns {next cursor, 1 if one
/// was found}.
pub(super) const FIND_SLOT_SESSION: &str = r#"
local result = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', 1000)
if #result[2] > 0 then return {result[1], 1} end
return {result[1], 0}
"#;
