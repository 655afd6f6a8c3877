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
//! | `{P}:d:<user id>` | sorted set | the user's device history: `network⇥device` pairs scored by when the user last signed in with them (see the `devices` module) |
//! | `{P}:devices` | sorted set | the user ids with a device history, scored by each one's oldest entry (purging) |
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
//! Every command goes through one client, fred, whatever the URL: a single server
//! (`redis://`), over TLS (`rediss://`, feature `redis-tls`), or a cluster
//! (`redis-cluster://`). Its connections ([`RedisOptions::connections`]) pipeline the commands
//! of concurrent requests; its timeouts bound each command ([`RedisOptions::timeout`]).
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

mod admin;
mod backend;
mod devices;
mod loaded;
mod options;
mod scripts;
#[cfg(feature = "redis-tls")]
mod tls;
mod value;

use std::time::Duration;

use fred::prelude::{
    Builder, ClientLike, Error as RedisError, ErrorKind, KeysInterface, LuaInterface, Pool,
    ReconnectPolicy, Value,
};
use fred::types::config::UnresponsiveConfig;
use fred::types::{Expiration, Key, SetOptions};
use time::OffsetDateTime;

use crate::backend::StoredSession;
use crate::public_id::HexId;
use crate::record::to_millis;
use crate::{Error, PublicId, Result};
use loaded::LoadedHeaders;
use options::{check_prefix, client_config, split_url};

pub use options::RedisOptions;

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
    /// `{prefix}:`
    keys: String,
    retention_ms: i64,
    scripts: Scripts,
    loaded: LoadedHeaders,
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
    remember_device: String,
    forget_devices: String,
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

fn is_noscript(error: &RedisError) -> bool {
    error.details().starts_with("NOSCRIPT")
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

impl RedisBackend {
    /// Connects to the server a `redis://` (or `rediss://`) URL names; a `key_prefix` query
    /// parameter sets [`RedisOptions::key_prefix`]. Fails with [`Error::Unavailable`] if the
    /// server cannot be reached within the timeout.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, RedisOptions::default()).await
    }

    /// Like [`open`](Self::open), with settings (a `key_prefix` in the URL wins).
    pub async fn open_with(url: &str, mut options: RedisOptions) -> Result<Self> {
        let (server_url, ours) = split_url(url);
        if let Some(prefix) = ours.key_prefix {
            options.key_prefix = prefix;
        }
        check_prefix(&options.key_prefix)?;
        let config = client_config(&server_url, ours.tls_ca_file.as_deref())?;
        let timeout = options.timeout;
        let pool = Builder::from_config(config)
            .with_connection_config(|connection| {
                connection.connection_timeout = timeout;
                connection.internal_command_timeout = timeout;
                // A connection whose commands have waited a whole timeout without any answer
                // is closed, and its commands go to a new one.
                if !timeout.is_zero() {
                    connection.unresponsive = UnresponsiveConfig {
                        max_timeout: Some(timeout),
                        interval: (timeout / 4).max(Duration::from_millis(2)),
                    };
                }
            })
            .with_performance_config(|performance| {
                performance.default_command_timeout = timeout;
            })
            // Reconnect forever, backing off to one attempt a second.
            .set_policy(ReconnectPolicy::new_exponential(0, 50, 1000, 2))
            .build_pool(options.connections.max(1))
            .map_err(map_error)?;
        pool.init().await.map_err(map_error)?;
        let mut backend = RedisBackend {
            pool,
            keys: format!("{{{}}}:", options.key_prefix),
            retention_ms: i64::try_from(options.expired_retention.as_millis()).unwrap_or(i64::MAX),
            scripts: Scripts::default(),
            loaded: LoadedHeaders::default(),
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
        self.pool
            .next()
            .get(self.key("schema"))
            .await
            .map_err(map_error)
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
        let load = |source: &'static str| async move {
            client
                .script_load::<String, _>(source)
                .await
                .map_err(map_error)
        };
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
            remember_device: load(devices::REMEMBER).await?,
            forget_devices: load(devices::FORGET).await?,
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
        let first = client
            .evalsha::<Value, _, _, _>(sha, keys.clone(), args.clone())
            .await;
        match first {
            Err(error) if is_noscript(&error) => client
                .eval::<Value, _, _, _>(source, keys, args)
                .await
                .map_err(map_error),
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
        let reply: Value = self
            .pool
            .next()
            .set(
                self.session_key(&session.info.id),
                Value::Bytes(stored.into()),
                Some(Expiration::PXAT(header.deletion())),
                Some(SetOptions::XX),
                false,
            )
            .await
            .map_err(map_error)?;
        let written = !matches!(reply, Value::Null);
        Ok(Some(written))
    }
}
