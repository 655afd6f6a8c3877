//! The Redis backend: every session under its own key, expired by the server itself, with a
//! per-user index so a user's sessions, "log out everywhere" and "end all others" cost O(k)
//! for a user with k sessions, whatever the total.
//!
//! # Keys
//!
//! With the key prefix `P` (default `user-sessions`, see [`RedisOptions::key_prefix`]):
//!
//! | key | type | holds |
//! | --- | --- | --- |
//! | `{P}:s:<public id>` | string | one session: a header line (expiry, last activity, user, and what its index entries and TTLs hold), a line of the other columns (JSON), then its data |
//! | `{P}:u:<user id>` | sorted set | the user's session ids, scored by last activity |
//! | `{P}:activity` | sorted set | every session id by last activity (admin listing) |
//! | `{P}:expiry` | sorted set | every session id by expiry (counts, purging) |
//! | `{P}:schema` | string | the layout version `migrate` wrote |
//!
//! A session key expires (`PXAT`) at the session's expiry plus
//! [`RedisOptions::expired_retention`] (1 hour by default) plus up to an hour more (TTLs are
//! set with an hour to spare, so that a rolling expiry extends them about once an hour, not on
//! every save): during that time an expired session still shows in the admin's "expired"
//! view, as a SQL row would until purged; after it Redis deletes it by itself, whether or not
//! anything purges. A user's index expires an hour after their last session. The two global indexes are trimmed by
//! [`Store::purge_expired`](crate::Store::purge_expired) (run it periodically, e.g. with
//! [`Store::spawn_purge_task`](crate::Store::spawn_purge_task)) and by reads that meet entries
//! of sessions that are gone.
//!
//! A load is one `GET`. A change that moves a session in an index (a new session, a new user,
//! activity a minute newer, an expiry more than a minute later) happens in one Lua script
//! (`EVALSHA`) together with the index updates. The common save — new data and a slightly later
//! expiry, right after this process loaded the session — is a plain `SET … XX PXAT`: `XX`
//! keeps a session ended meanwhile ended, and the indexes already hold what it writes.
//!
//! Loads and plain saves — the commands of every request — take a lane of their own when the
//! URL names a single server (`redis://`): one connection that pipelines them, speaking just
//! the `GET` and `SET` of the protocol, at a fraction of the general client's cost per
//! command. Scripts and admin queries use the general client's connections
//! ([`RedisOptions::connections`]); so do loads and saves of other deployments.
//!
//! Guarantees: a user's index holds every live session of that user, so "log out everywhere"
//! ends all of them; a session that changed hands may stay listed in its previous user's index
//! (readers skip it) until it ends — that is what makes the plain `SET` safe when a concurrent
//! request changed the user. Entries of sessions Redis expired are skipped and removed by
//! readers. When two requests save one session at the same moment, the indexes may keep the
//! other request's expiry and last activity: until the next purge looks at the session, counts
//! can be off by it, and the admin list may order it by the other activity; loads always check
//! the session's own expiry.
//!
//! # Redis Cluster
//!
//! A `redis-cluster://host:7001?node=host:7002&node=host:7003` URL opens a store on a cluster
//! through fred's cluster client, which sends each command to the master of its slot. Scripts
//! are loaded on the node `open` reaches first; a master that does not know one yet answers
//! `NOSCRIPT` once and gets the script's source by `EVAL`.
//!
//! Every key of one store carries the same hash tag, `{P}`, so all of them hash to **one slot**:
//! the scripts may touch a session, its user's index and the global indexes atomically, which
//! Redis Cluster allows only within a slot. The scripts also name the index of a session's
//! previous owner themselves; that key shares the slot, which Cluster accepts. The trade-off:
//! one store lives on one shard (its primary and replicas), so its memory and write rate are
//! those of one Redis node — comfortably millions of sessions and tens of thousands of writes a
//! second. To spread sessions over several shards, run several stores with different prefixes
//! (e.g. one per tenant); a design that sharded one store would lose either the atomic index
//! updates or the O(k) per-user queries.
//!
//! # Admin queries
//!
//! Loads, saves, a user's sessions and ending sessions never scan. Counting all active,
//! expired or all sessions reads the expiry index (O(log n), plus a check of the sessions
//! scored in the last minute: a save moves a session in the expiry index only when its expiry
//! grew by more than a minute, so that a rolling expiry does not cost an index write per
//! request); the expired count may include
//! sessions Redis already dropped until the next purge. Listing pages walks the activity index
//! from the cursor (O(page)); filters by user read those users' indexes; a filter by IP prefix
//! walks the activity index until the page is full, so it can touch every session.
//!
//! ```no_run
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
//! use user_sessions::Store;
//!
//! // The prefix may also come from the URL: redis://cache:6379/0?key_prefix=myapp
//! let store = Store::open("redis://127.0.0.1:6379").await?;
//! store.migrate().await?;
//! # Ok(()) }
//! ```

mod deadline;
mod lane;
mod loaded;
mod scripts;
mod value;

#[cfg(fuzzing)]
pub(crate) use lane::parse_all as parse_lane_replies;

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use fred::prelude::{
    Builder, ClientLike, Config, Error as RedisError, ErrorKind, KeysInterface, LuaInterface, Pool,
    ReconnectPolicy, Value,
};
use fred::types::{Expiration, Key, SetOptions};
use time::OffsetDateTime;

use crate::backend::{Backend, StoredSession, Touch};
use crate::public_id::HexId;
use crate::query::{into_page, prefix_upper_bound};
use crate::record::to_millis;
use crate::{
    Cursor, Error, Filter, Page, PageRequest, PublicId, Result, SessionInfo, SessionLimit,
    SignInOutcome, SignInWrite, Status,
};
use deadline::Deadlines;
use lane::{Lane, Reply};
use loaded::LoadedHeaders;

/// Settings of the Redis backend.
///
/// ```
/// use user_sessions::redis::RedisOptions;
/// let options = RedisOptions { key_prefix: "myapp".into(), ..RedisOptions::default() };
/// assert_eq!(options.timeout, std::time::Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisOptions {
    /// Starts every key name, inside a hash tag: `{prefix}:…` (default `user-sessions`).
    /// Letters, digits and `_ - . :` only.
    pub key_prefix: String,
    /// Connections of the general client (scripts, admin queries), used round-robin; each
    /// pipelines its commands (default 1: the server runs one command at a time anyway, and
    /// commands queued on one connection share its writes and reads — under load that costs
    /// both sides less than spreading them). Loads and plain saves on a single server have one
    /// pipelined connection of their own besides (see the [module docs](self)).
    pub connections: usize,
    /// How long a command (or connecting) may take before failing with
    /// [`Error::Unavailable`] — about the longest a request waits when the server is down or
    /// hangs (default 5 s). One check every quarter of it finds the commands that ran out of
    /// time, so a command fails between one and one and a quarter timeouts after it started.
    /// When loads and saves have waited a whole timeout without any answer, the next ones go
    /// to a new connection (a server that failed over, or a connection dropped on the way,
    /// would otherwise hold them until TCP gives up). Zero: commands have no timeout.
    pub timeout: Duration,
    /// How long an expired session is kept (visible to admin queries, purgeable) before Redis
    /// deletes it (default 1 hour).
    pub expired_retention: Duration,
}

impl Default for RedisOptions {
    fn default() -> Self {
        RedisOptions {
            key_prefix: "user-sessions".into(),
            connections: 1,
            timeout: Duration::from_secs(5),
            expired_retention: Duration::from_secs(3600),
        }
    }
}

/// The layout version `migrate` records: 1 stored a hash per session, 2 a string.
const LAYOUT_VERSION: i64 = 2;
/// Ids per delete script call.
const DELETE_CHUNK: usize = 500;
/// Sessions per script call of `create_many` (a script blocks the server while it runs).
const CREATE_CHUNK: usize = 200;
/// Expiry index entries per call of the purge script.
const PURGE_CHUNK: u32 = 1000;

/// How the save script treats a session that already exists (or does not).
#[derive(Debug, Clone, Copy)]
enum WriteMode {
    /// Write unless a live session has the id.
    Create,
    /// Write in any case.
    Save,
    /// Write only if the session exists.
    Update,
}

impl WriteMode {
    fn as_str(self) -> &'static str {
        match self {
            WriteMode::Create => "create",
            WriteMode::Save => "save",
            WriteMode::Update => "update",
        }
    }
}

/// Sessions in Redis. See the [module docs](self) for the key layout.
pub struct RedisBackend {
    pool: Pool,
    /// Loads and plain saves, when the server is a single one over TCP (see [`lane`]).
    lane: Option<Lane>,
    /// `{prefix}:`
    keys: String,
    retention_ms: i64,
    scripts: Scripts,
    loaded: LoadedHeaders,
    deadlines: Deadlines,
}

impl std::fmt::Debug for RedisBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBackend")
            .field("keys", &self.keys)
            .field("retention_ms", &self.retention_ms)
            .finish_non_exhaustive()
    }
}

/// The SHA-1 digests `SCRIPT LOAD` returned.
#[derive(Debug, Default)]
struct Scripts {
    save: String,
    sign_in: String,
    touch: String,
    delete: String,
    delete_user_sessions: String,
    user_sessions: String,
    page: String,
    purge_expired: String,
    count_by_expiry: String,
    clear: String,
    convert_layout_1: String,
}

fn map_error(error: RedisError) -> Error {
    match error.kind() {
        ErrorKind::IO
        | ErrorKind::Timeout
        | ErrorKind::Canceled
        | ErrorKind::Backpressure
        | ErrorKind::Cluster
        | ErrorKind::Routing => Error::Unavailable(error.into()),
        _ if error.details().starts_with("LOADING") || error.details().starts_with("BUSY") => {
            Error::Unavailable(error.into())
        }
        // A session key of an older layout (a hash where a string is expected).
        _ if error.details().contains("WRONGTYPE") => Error::NotMigrated,
        _ => Error::Backend(error.into()),
    }
}

fn unexpected(command: &str, reply: &Reply) -> Error {
    Error::Backend(format!("unexpected Redis reply to {command}: {reply:?}").into())
}

/// Where the [`lane`] connects: the single server of a `redis://` URL (parsed as `config`);
/// `None` for the other kinds of deployment (they keep every command on the general client).
fn lane_target(url: &str, config: &Config, timeout: Duration) -> Option<lane::Target> {
    let fred::types::config::ServerConfig::Centralized { server } = &config.server else {
        return None;
    };
    if !url.starts_with("redis://") {
        return None;
    }
    Some(lane::Target {
        host: server.host.to_string(),
        port: server.port,
        username: config.username.clone(),
        password: config.password.clone(),
        database: config.database,
        connect_timeout: timeout,
        answer_timeout: timeout,
    })
}

fn is_noscript(error: &RedisError) -> bool {
    error.details().starts_with("NOSCRIPT")
}

fn check_prefix(prefix: &str) -> Result<()> {
    let plain = !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
    if plain {
        Ok(())
    } else {
        Err(Error::Setting(format!(
            "invalid Redis key prefix `{prefix}`: use letters, digits and `_ - . :`"
        )))
    }
}

/// Splits our own `key_prefix` query parameter off a URL.
fn split_url(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), None);
    };
    let mut prefix = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.strip_prefix("key_prefix=") {
            Some(value) => {
                prefix = Some(value.to_owned());
                false
            }
            None => !pair.is_empty(),
        })
        .collect();
    let url = if rest.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    (url, prefix)
}

fn bytes_of(value: &Value) -> Option<&[u8]> {
    match value {
        Value::Bytes(b) => Some(b),
        Value::String(s) => Some(s.as_bytes()),
        _ => None,
    }
}

fn integer_of(value: &Value) -> Option<i64> {
    match value {
        Value::Integer(n) => Some(*n),
        other => other.as_i64(),
    }
}

/// Decodes `id, header and columns, …` pairs; malformed entries are skipped with a warning.
fn infos_from_pairs(values: &[Value]) -> Vec<SessionInfo> {
    values
        .chunks_exact(2)
        .filter_map(|pair| {
            let id = std::str::from_utf8(bytes_of(&pair[0])?)
                .ok()?
                .parse()
                .ok()?;
            match value::decode_info(id, bytes_of(&pair[1])?) {
                Ok((_, info, _)) => Some(info),
                Err(error) => {
                    tracing::warn!(%error, "skipping a session");
                    None
                }
            }
        })
        .collect()
}

/// Whether a session passes a filter's status and IP conditions.
fn matches(info: &SessionInfo, filter: &Filter, now: OffsetDateTime) -> bool {
    let status = match filter.status {
        Status::Active => info.expires_at > now,
        Status::Expired => info.expires_at <= now,
        Status::All => true,
    };
    let ip = match filter.ip_prefix.as_deref().filter(|p| !p.is_empty()) {
        None => true,
        Some(prefix) => info.ip.is_some_and(|ip| {
            let ip = ip.to_string();
            ip.as_str() >= prefix
                && prefix_upper_bound(prefix).is_none_or(|upper| ip.as_str() < upper.as_str())
        }),
    };
    status && ip
}

/// Whether a session comes after the cursor in "most recent activity, then id, descending".
fn after_cursor(info: &SessionInfo, cursor: Option<&Cursor>) -> bool {
    cursor.is_none_or(|c| (info.last_activity, info.id) < (c.last_activity, c.id))
}

impl RedisBackend {
    /// Connects to the server a `redis://` (or `rediss://`) URL names; a `key_prefix` query
    /// parameter sets [`RedisOptions::key_prefix`]. Fails with [`Error::Unavailable`] if the
    /// server cannot be reached within the timeout.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, RedisOptions::default()).await
    }

    /// Like [`open`](Self::open), with settings (a `key_prefix` in the URL wins).
    pub async fn open_with(url: &str, mut options: RedisOptions) -> Result<Self> {
        let (server_url, prefix) = split_url(url);
        if let Some(prefix) = prefix {
            options.key_prefix = prefix;
        }
        check_prefix(&options.key_prefix)?;
        let config = Config::from_url(&server_url).map_err(|_| Error::Url(url.to_owned()))?;
        let timeout = options.timeout;
        let lane = lane_target(&server_url, &config, timeout).map(Lane::start);
        let pool = Builder::from_config(config)
            .with_connection_config(|connection| {
                connection.connection_timeout = timeout;
                connection.internal_command_timeout = timeout;
            })
            // Commands get their timeout from `Deadlines`.
            // Reconnect forever, backing off to one attempt a second.
            .set_policy(ReconnectPolicy::new_exponential(0, 50, 1000, 2))
            .build_pool(options.connections.max(1))
            .map_err(map_error)?;
        pool.init().await.map_err(map_error)?;
        let mut backend = RedisBackend {
            pool,
            lane,
            keys: format!("{{{}}}:", options.key_prefix),
            retention_ms: i64::try_from(options.expired_retention.as_millis()).unwrap_or(i64::MAX),
            scripts: Scripts::default(),
            loaded: LoadedHeaders::default(),
            deadlines: Deadlines::start(timeout),
        };
        backend.scripts = backend.load_scripts().await?;
        Ok(backend)
    }

    /// The key prefix with its hash tag and separator, e.g. `{user-sessions}:`.
    pub fn key_prefix(&self) -> &str {
        &self.keys
    }

    /// Deletes every key of this store (all its sessions and indexes), a batch of keys per
    /// round trip; returns when done. For tests and tear-down.
    pub async fn clear(&self) -> Result<()> {
        let pattern = format!("{}*", self.keys);
        self.scan_with(&self.scripts.clear, scripts::CLEAR, &pattern, Vec::new())
            .await
    }

    /// Runs a script that takes a `SCAN` cursor and a key pattern (then `extra` arguments) and
    /// returns the next cursor, until the scan is complete.
    async fn scan_with(
        &self,
        sha: &str,
        source: &'static str,
        pattern: &str,
        extra: Vec<Value>,
    ) -> Result<()> {
        let mut cursor = "0".to_owned();
        loop {
            let mut args = vec![Value::from(cursor.as_str()), Value::from(pattern)];
            args.extend(extra.iter().cloned());
            let next: Value = self
                .eval(sha, source, vec![self.key("schema")], args)
                .await?;
            cursor = bytes_of(&next)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or("0")
                .to_owned();
            if cursor == "0" {
                return Ok(());
            }
        }
    }

    /// The layout version `migrate` last wrote (`None` for a new store).
    async fn layout_version(&self) -> Result<Option<i64>> {
        self.deadlines
            .run(self.pool.next().get(self.key("schema")))
            .await
    }

    fn key(&self, name: &str) -> Key {
        Key::from(format!("{}{name}", self.keys))
    }

    /// A session's key, built as bytes (every load and save names one).
    fn session_key(&self, id: &PublicId) -> Key {
        Key::from(fred::bytes::Bytes::from(
            self.session_key_parts(&id.to_hex()).concat(),
        ))
    }

    /// The parts a session's key is made of, given its id in hex.
    fn session_key_parts<'a>(&'a self, hex: &'a HexId) -> [&'a [u8]; 3] {
        [self.keys.as_bytes(), b"s:", hex.as_bytes()]
    }

    fn user_key(&self, user_id: &str) -> Key {
        Key::from(format!("{}u:{user_id}", self.keys))
    }

    async fn load_scripts(&self) -> Result<Scripts> {
        let client = self.pool.next();
        let load =
            |source: &'static str| self.deadlines.run(client.script_load::<String, _>(source));
        Ok(Scripts {
            save: load(scripts::SAVE).await?,
            sign_in: load(scripts::SIGN_IN).await?,
            touch: load(scripts::TOUCH).await?,
            delete: load(scripts::DELETE).await?,
            delete_user_sessions: load(scripts::DELETE_USER_SESSIONS).await?,
            user_sessions: load(scripts::USER_SESSIONS).await?,
            page: load(scripts::PAGE).await?,
            purge_expired: load(scripts::PURGE_EXPIRED).await?,
            count_by_expiry: load(scripts::COUNT_BY_EXPIRY).await?,
            clear: load(scripts::CLEAR).await?,
            convert_layout_1: load(scripts::CONVERT_LAYOUT_1).await?,
        })
    }

    /// Runs a loaded script. If the node that serves its keys does not know it (a restart,
    /// `SCRIPT FLUSH`, or another master of a Redis Cluster than the one `open` loaded it on),
    /// sends the script's source once with `EVAL`, which also caches it there.
    async fn eval(
        &self,
        sha: &str,
        source: &'static str,
        // `Key`s are shared bytes: keeping them for a retry copies nothing.
        keys: Vec<Key>,
        args: Vec<Value>,
    ) -> Result<Value> {
        let client = self.pool.next();
        let first = self
            .deadlines
            .bound(client.evalsha::<Value, _, _, _>(sha, keys.clone(), args.clone()))
            .await?;
        match first {
            Err(error) if is_noscript(&error) => {
                self.deadlines
                    .run(client.eval::<Value, _, _, _>(source, keys, args))
                    .await
            }
            result => result.map_err(map_error),
        }
    }

    /// Writes sessions in one script call; returns how many were written.
    async fn write(
        &self,
        sessions: &[StoredSession],
        now: OffsetDateTime,
        mode: WriteMode,
    ) -> Result<u64> {
        let (keys, args) = self.write_arguments(sessions, now, mode)?;
        let written = self
            .eval(&self.scripts.save, scripts::SAVE, keys, args)
            .await?;
        Ok(integer_of(&written).unwrap_or(0).max(0) as u64)
    }

    /// The keys and arguments of [`scripts::SAVE`] for writing `sessions`.
    fn write_arguments(
        &self,
        sessions: &[StoredSession],
        now: OffsetDateTime,
        mode: WriteMode,
    ) -> Result<(Vec<Key>, Vec<Value>)> {
        let mut keys = Vec::with_capacity(2 + 2 * sessions.len());
        keys.push(self.key("activity"));
        keys.push(self.key("expiry"));
        let mut args = Vec::with_capacity(3 + 8 * sessions.len());
        args.push(Value::from(self.keys.as_str()));
        args.push(Value::from(to_millis(now)));
        args.push(Value::from(mode.as_str()));
        for session in sessions {
            let info = &session.info;
            let expires = to_millis(info.expires_at);
            let user = info.user_id.as_deref();
            keys.push(self.session_key(&info.id));
            keys.push(self.user_key(user.unwrap_or_default()));
            args.extend([
                Value::from(info.id.to_hex().as_str()),
                Value::from(user.unwrap_or_default()),
                Value::Bytes(value::user_json(user)?.into()),
                Value::Bytes(value::encode_columns(info)?.into()),
                Value::from(session.data.as_slice()),
                Value::from(to_millis(info.last_activity)),
                Value::from(expires),
                Value::from(expires.saturating_add(self.retention_ms)),
            ]);
        }
        Ok((keys, args))
    }

    async fn delete_ids(&self, ids: &[PublicId], owner: Option<&str>) -> Result<u64> {
        let mut deleted = 0;
        for chunk in ids.chunks(DELETE_CHUNK) {
            let mut keys = vec![self.key("activity"), self.key("expiry")];
            keys.extend(chunk.iter().map(|id| self.session_key(id)));
            let mut args = vec![
                Value::from(self.keys.as_str()),
                Value::from(if owner.is_some() { "1" } else { "0" }),
                Value::from(owner.unwrap_or_default()),
            ];
            args.extend(chunk.iter().map(|id| Value::from(id.to_string())));
            let n = self
                .eval(&self.scripts.delete, scripts::DELETE, keys, args)
                .await?;
            deleted += integer_of(&n).unwrap_or(0).max(0) as u64;
        }
        Ok(deleted)
    }

    /// A user's sessions (expired ones too if asked), most recent activity first.
    async fn sessions_of(
        &self,
        user_id: &str,
        now: OffsetDateTime,
        with_expired: bool,
    ) -> Result<Vec<SessionInfo>> {
        let result = self
            .eval(
                &self.scripts.user_sessions,
                scripts::USER_SESSIONS,
                vec![self.user_key(user_id)],
                vec![
                    Value::from(self.keys.as_str()),
                    Value::from(user_id),
                    Value::from(to_millis(now)),
                    Value::from(if with_expired { "1" } else { "0" }),
                ],
            )
            .await?;
        let mut sessions = match result {
            Value::Array(values) => infos_from_pairs(&values),
            _ => Vec::new(),
        };
        sessions.sort_by_key(|s| std::cmp::Reverse((s.last_activity, s.id)));
        Ok(sessions)
    }

    /// Sessions matching `filter` after `cursor`, most recent first, at most `limit` of them.
    async fn matching(
        &self,
        filter: &Filter,
        cursor: Option<&Cursor>,
        limit: usize,
        now: OffsetDateTime,
    ) -> Result<Vec<SessionInfo>> {
        if let Some(users) = &filter.user_ids {
            let mut found = HashMap::new();
            for user in users {
                for info in self.sessions_of(user, now, true).await? {
                    if matches(&info, filter, now) && after_cursor(&info, cursor) {
                        found.insert(info.id, info);
                    }
                }
            }
            let mut found: Vec<SessionInfo> = found.into_values().collect();
            found.sort_by_key(|s| std::cmp::Reverse((s.last_activity, s.id)));
            found.truncate(limit);
            return Ok(found);
        }
        let max = cursor.map_or_else(
            || "+inf".to_owned(),
            |c| to_millis(c.last_activity).to_string(),
        );
        let batch = limit.clamp(64, 1000);
        let mut offset = 0usize;
        let mut found = Vec::new();
        loop {
            let result = self
                .eval(
                    &self.scripts.page,
                    scripts::PAGE,
                    vec![self.key("activity"), self.key("expiry")],
                    vec![
                        Value::from(self.keys.as_str()),
                        Value::from(max.as_str()),
                        Value::from(offset as i64),
                        Value::from(batch as i64),
                    ],
                )
                .await?;
            let Value::Array(parts) = result else {
                return Err(Error::Backend("unexpected reply to the page script".into()));
            };
            let scanned = parts.first().and_then(integer_of).unwrap_or(0).max(0) as usize;
            let removed = parts.get(1).and_then(integer_of).unwrap_or(0).max(0) as usize;
            if let Some(Value::Array(pairs)) = parts.get(2) {
                for info in infos_from_pairs(pairs) {
                    if matches(&info, filter, now) && after_cursor(&info, cursor) {
                        found.push(info);
                        if found.len() >= limit {
                            return Ok(found);
                        }
                    }
                }
            }
            if scanned < batch {
                return Ok(found);
            }
            offset += scanned - removed;
        }
    }

    /// Saves a session this process just loaded with one `SET … XX`, when the save moves
    /// nothing in the indexes (see the [module docs](self)). `None` when it does, or when the
    /// load is not known here: the caller runs the script.
    async fn update_unscripted(
        &self,
        session: &StoredSession,
        now: OffsetDateTime,
    ) -> Result<Option<bool>> {
        let Some(loaded) = self.loaded.get(&session.info.id) else {
            return Ok(None);
        };
        let Some(header) = loaded.carried_to(&session.info, self.retention_ms, to_millis(now))
        else {
            return Ok(None);
        };
        let stored = value::encode(&header, &session.info, &session.data)?;
        // `nil`: the key is gone, the session was ended meanwhile; nothing was written.
        let written = match &self.lane {
            Some(lane) => {
                let hex = session.info.id.to_hex();
                let key = self.session_key_parts(&hex);
                match self
                    .deadlines
                    .bound(lane.set_existing(&key, &stored, header.deletion()))
                    .await??
                {
                    Reply::Status(_) => true,
                    Reply::Nil => false,
                    other => return Err(unexpected("SET", &other)),
                }
            }
            None => {
                let reply: Value = self
                    .deadlines
                    .run(self.pool.next().set(
                        self.session_key(&session.info.id),
                        Value::Bytes(stored.into()),
                        Some(Expiration::PXAT(header.deletion())),
                        Some(SetOptions::XX),
                        false,
                    ))
                    .await?;
                !matches!(reply, Value::Null)
            }
        };
        Ok(Some(written))
    }

    /// Active and expired sessions at `now`, by the expiry index.
    async fn count_by_expiry(&self, now: OffsetDateTime) -> Result<(u64, u64)> {
        let counts = self
            .eval(
                &self.scripts.count_by_expiry,
                scripts::COUNT_BY_EXPIRY,
                vec![self.key("expiry")],
                vec![Value::from(self.keys.as_str()), Value::from(to_millis(now))],
            )
            .await?;
        let count = |n: Option<&Value>| n.and_then(integer_of).unwrap_or(0).max(0) as u64;
        match counts {
            Value::Array(values) => Ok((count(values.first()), count(values.get(1)))),
            _ => Err(Error::Backend(
                "unexpected reply to the count script".into(),
            )),
        }
    }
}

#[async_trait]
impl Backend for RedisBackend {
    async fn migrate(&self) -> Result<()> {
        if self.layout_version().await?.is_some_and(|v| v < 2) {
            let pattern = format!("{}s:*", self.keys);
            let now = vec![Value::from(to_millis(crate::now()))];
            self.scan_with(
                &self.scripts.convert_layout_1,
                scripts::CONVERT_LAYOUT_1,
                &pattern,
                now,
            )
            .await?;
        }
        self.deadlines
            .run(self.pool.next().set::<(), _, _>(
                self.key("schema"),
                LAYOUT_VERSION,
                None,
                None,
                false,
            ))
            .await
    }

    async fn pending_migrations(&self) -> Result<usize> {
        let version = self.layout_version().await?;
        Ok(usize::from(version.unwrap_or(0) < LAYOUT_VERSION))
    }

    async fn create(&self, session: &StoredSession, now: OffsetDateTime) -> Result<bool> {
        Ok(self
            .write(std::slice::from_ref(session), now, WriteMode::Create)
            .await?
            == 1)
    }

    async fn create_many(&self, sessions: &[StoredSession], now: OffsetDateTime) -> Result<u64> {
        let mut created = 0;
        for chunk in sessions.chunks(CREATE_CHUNK) {
            created += self.write(chunk, now, WriteMode::Create).await?;
        }
        Ok(created)
    }

    async fn get(&self, id: &PublicId) -> Result<Option<StoredSession>> {
        let stored = match &self.lane {
            Some(lane) => match self
                .deadlines
                .bound(lane.get(&self.session_key_parts(&id.to_hex())))
                .await??
            {
                Reply::Bulk(bytes) => Some(bytes),
                Reply::Nil => None,
                other => return Err(unexpected("GET", &other)),
            },
            None => {
                let value: Value = self
                    .deadlines
                    .run(self.pool.next().get(self.session_key(id)))
                    .await?;
                match value {
                    Value::Bytes(bytes) => Some(bytes),
                    Value::String(text) => Some(text.into_inner()),
                    _ => None,
                }
            }
        };
        let Some(bytes) = stored else {
            return Ok(None);
        };
        match value::decode_info(*id, &bytes) {
            Ok((header, info, data)) => {
                let data = data.to_vec();
                self.loaded.remember(*id, header);
                Ok(Some(StoredSession { info, data }))
            }
            Err(error) => {
                tracing::warn!(%error, "treating the session as absent");
                Ok(None)
            }
        }
    }

    async fn save(&self, session: &StoredSession) -> Result<()> {
        self.write(std::slice::from_ref(session), crate::now(), WriteMode::Save)
            .await
            .map(|_| ())
    }

    async fn update(&self, session: &StoredSession) -> Result<bool> {
        let now = crate::now();
        if let Some(written) = self.update_unscripted(session, now).await? {
            return Ok(written);
        }
        // Boxed: the script call's state is large, and most saves never get here.
        let scripted = Box::pin(self.write(std::slice::from_ref(session), now, WriteMode::Update));
        Ok(scripted.await? == 1)
    }

    async fn sign_in(
        &self,
        session: &StoredSession,
        write: SignInWrite,
        limit: SessionLimit,
        now: OffsetDateTime,
    ) -> Result<SignInOutcome> {
        let mode = match write {
            SignInWrite::Create => WriteMode::Create,
            SignInWrite::Update => WriteMode::Update,
        };
        if session.info.user_id.is_none() {
            let written = self.write(std::slice::from_ref(session), now, mode).await?;
            return Ok(if written == 1 {
                SignInOutcome::Written { ended: Vec::new() }
            } else {
                SignInOutcome::NotWritten
            });
        }
        let (keys, mut args) = self.write_arguments(std::slice::from_ref(session), now, mode)?;
        let refuse = limit.policy() == crate::WhenFull::RefuseSignIn;
        args.extend([
            Value::from(i64::from(limit.max())),
            Value::from(if refuse { "1" } else { "0" }),
        ]);
        let reply = self
            .eval(&self.scripts.sign_in, scripts::SIGN_IN, keys, args)
            .await?;
        let Value::Array(reply) = reply else {
            return Err(Error::Backend(
                format!("unexpected reply to the sign-in script: {reply:?}").into(),
            ));
        };
        match reply.first().and_then(integer_of) {
            Some(1) => {
                let ended = match reply.get(1) {
                    Some(Value::Array(ids)) => ids
                        .iter()
                        .filter_map(|id| std::str::from_utf8(bytes_of(id)?).ok()?.parse().ok())
                        .collect(),
                    _ => Vec::new(),
                };
                Ok(SignInOutcome::Written { ended })
            }
            Some(-1) => Ok(SignInOutcome::Refused),
            _ => Ok(SignInOutcome::NotWritten),
        }
    }

    async fn touch(&self, id: &PublicId, touch: &Touch, now: OffsetDateTime) -> Result<bool> {
        let keys = vec![self.key("activity"), self.session_key(id)];
        let args = vec![
            Value::from(self.keys.as_str()),
            Value::from(to_millis(now)),
            Value::from(id.to_hex().as_str()),
            Value::from(to_millis(touch.last_activity)),
            Value::Bytes(value::touch_columns_opening(touch)?.into()),
        ];
        let written = self
            .eval(&self.scripts.touch, scripts::TOUCH, keys, args)
            .await?;
        Ok(integer_of(&written) == Some(1))
    }

    async fn delete(&self, id: &PublicId) -> Result<bool> {
        Ok(self.delete_ids(std::slice::from_ref(id), None).await? > 0)
    }

    async fn delete_many(&self, ids: &[PublicId]) -> Result<u64> {
        self.delete_ids(ids, None).await
    }

    async fn user_sessions(&self, user_id: &str, now: OffsetDateTime) -> Result<Vec<SessionInfo>> {
        self.sessions_of(user_id, now, false).await
    }

    async fn delete_user_session(&self, user_id: &str, id: &PublicId) -> Result<bool> {
        Ok(self
            .delete_ids(std::slice::from_ref(id), Some(user_id))
            .await?
            > 0)
    }

    async fn delete_user_sessions(&self, user_id: &str, keep: Option<&PublicId>) -> Result<u64> {
        let n = self
            .eval(
                &self.scripts.delete_user_sessions,
                scripts::DELETE_USER_SESSIONS,
                vec![
                    self.user_key(user_id),
                    self.key("activity"),
                    self.key("expiry"),
                ],
                vec![
                    Value::from(self.keys.as_str()),
                    Value::from(user_id),
                    Value::from(keep.map(PublicId::to_string).unwrap_or_default()),
                ],
            )
            .await?;
        Ok(integer_of(&n).unwrap_or(0).max(0) as u64)
    }

    async fn count(&self, filter: &Filter, now: OffsetDateTime) -> Result<u64> {
        let plain =
            filter.user_ids.is_none() && filter.ip_prefix.as_deref().is_none_or(str::is_empty);
        if plain {
            return match filter.status {
                Status::Active => Ok(self.count_by_expiry(now).await?.0),
                Status::Expired => Ok(self.count_by_expiry(now).await?.1),
                Status::All => {
                    let (active, expired) = self.count_by_expiry(now).await?;
                    Ok(active + expired)
                }
            };
        }
        Ok(self.matching(filter, None, usize::MAX, now).await?.len() as u64)
    }

    async fn purge_expired(&self, now: OffsetDateTime, limit: u32) -> Result<u64> {
        // Entries that are not deletions (sessions extended since they were scored, or
        // already dropped by Redis) leave the range as they are looked at: keep going until
        // `limit` sessions are deleted or nothing expired is left, one bounded script a time.
        let mut deleted = 0u64;
        while deleted < u64::from(limit) {
            let chunk = (u64::from(limit) - deleted).min(u64::from(PURGE_CHUNK));
            let reply = self
                .eval(
                    &self.scripts.purge_expired,
                    scripts::PURGE_EXPIRED,
                    vec![self.key("expiry"), self.key("activity")],
                    vec![
                        Value::from(self.keys.as_str()),
                        Value::from(to_millis(now)),
                        Value::from(chunk as i64),
                    ],
                )
                .await?;
            let Value::Array(parts) = reply else {
                return Err(Error::Backend(
                    "unexpected reply to the purge script".into(),
                ));
            };
            let number = |n: Option<&Value>| n.and_then(integer_of).unwrap_or(0).max(0) as u64;
            deleted += number(parts.first());
            if number(parts.get(1)) < chunk {
                break;
            }
        }
        Ok(deleted)
    }

    async fn list(&self, filter: &Filter, page: &PageRequest, now: OffsetDateTime) -> Result<Page> {
        let limit = page.clamped_limit() as usize;
        let sessions = self
            .matching(filter, page.after.as_ref(), limit + 1, now)
            .await?;
        Ok(into_page(sessions, page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_prefix_is_split_off() {
        assert_eq!(
            split_url("redis://h:6379/0?key_prefix=app&foo=1"),
            ("redis://h:6379/0?foo=1".to_owned(), Some("app".to_owned()))
        );
        assert_eq!(split_url("redis://h"), ("redis://h".to_owned(), None));
        assert_eq!(
            split_url("redis://h?key_prefix=x"),
            ("redis://h".to_owned(), Some("x".to_owned()))
        );
    }

    #[test]
    fn prefixes_are_plain() {
        assert!(check_prefix("my-app.sessions:v1").is_ok());
        for bad in ["", "a{b}", "a b", "a*", "a?"] {
            assert!(check_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ip_prefix_matching_is_textual() {
        let mut info = SessionInfo::new(
            PublicId::from_secret(b"x"),
            OffsetDateTime::now_utc() + time::Duration::hours(1),
        );
        info.ip = Some("10.0.1.9".parse().unwrap());
        let now = OffsetDateTime::now_utc();
        assert!(matches(&info, &Filter::default().ip_prefix("10.0."), now));
        assert!(!matches(
            &info,
            &Filter::default().ip_prefix("10.0.0."),
            now
        ));
        assert!(!matches(&info, &Filter::default().ip_prefix("%"), now));
    }

    #[test]
    fn only_a_single_server_over_tcp_gets_a_lane() {
        let timeout = Duration::from_secs(1);
        let url = "redis://u:p@cache:6380/4";
        let target = lane_target(url, &Config::from_url(url).unwrap(), timeout).unwrap();
        assert_eq!((target.host.as_str(), target.port), ("cache", 6380));
        assert_eq!(target.username.as_deref(), Some("u"));
        assert_eq!(target.password.as_deref(), Some("p"));
        assert_eq!(target.database, Some(4));
        let url = "redis-cluster://a:7000?node=b:7001";
        assert!(lane_target(url, &Config::from_url(url).unwrap(), timeout).is_none());
    }

    /// Deployments without the lane load and save through the general client, with the same
    /// results.
    #[tokio::test]
    async fn loads_and_plain_saves_work_without_the_lane() {
        let Some(db) = crate::test_servers::TestDatabase::redis().await else {
            eprintln!("skipped: TEST_REDIS_URL is not set");
            return;
        };
        let mut backend = RedisBackend::open(db.url()).await.unwrap();
        backend.migrate().await.unwrap();
        backend.lane = None;
        let now = crate::now();
        let mut session = StoredSession {
            info: SessionInfo::new(
                PublicId::from_secret(b"no lane"),
                now + time::Duration::hours(1),
            ),
            data: br#"{"n":1}"#.to_vec(),
        };
        session.info.user_id = Some("7".into());
        assert!(backend.create(&session, now).await.unwrap());
        let loaded = backend.get(&session.info.id).await.unwrap().unwrap();
        assert_eq!(loaded.data, session.data);
        assert_eq!(loaded.info.user_id.as_deref(), Some("7"));
        // Right after the load, with nothing to move in the indexes: the plain `SET`.
        session.data = br#"{"n":2}"#.to_vec();
        session.info.last_activity = loaded.info.last_activity;
        let header = backend.loaded.get(&session.info.id).unwrap();
        assert!(
            header
                .carried_to(&session.info, backend.retention_ms, to_millis(now))
                .is_some()
        );
        assert!(backend.update(&session).await.unwrap());
        assert_eq!(
            backend.get(&session.info.id).await.unwrap().unwrap().data,
            session.data
        );
        // Ended meanwhile: the plain `SET … XX` writes nothing.
        backend.get(&session.info.id).await.unwrap();
        assert!(backend.delete(&session.info.id).await.unwrap());
        assert!(!backend.update(&session).await.unwrap());
        assert!(backend.get(&session.info.id).await.unwrap().is_none());
        backend.clear().await.unwrap();
    }
}
