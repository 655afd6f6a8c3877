//! The Redis backend: every session under its own key, expired by the server itself, with a
//! per-user index so a user's sessions, "log out everywhere" and "end all others" cost O(k)
//! for a user with k sessions, whatever the total. On a Redis Cluster a store's sessions
//! spread over every master.
//!
//! (Over 600 lines: about 125 of them are these docs.)
//!
//! # Keys
//!
//! With the key prefix `P` (default `user-sessions`, see [`RedisOptions::key_prefix`]; letters,
//! digits and `_ - . :`). The part in braces is the key's hash tag: Redis Cluster places a key
//! by its tag alone.
//!
//! | key | type | slot | holds |
//! | --- | --- | --- | --- |
//! | `P:s:{<public id>}` | string | the session's | one session: a header line (expiry, last activity, user, and what its index entries and TTLs hold), a line of the other columns (JSON), then its data |
//! | `P:t:{<public id>}` | string | the session's | a session id a sign-in ended before its first write landed (see below) |
//! | `P:u:{<user id>}` | hash | the user's | the user's index: session id → `activity,expires,deletion` |
//! | `P:d:{<user id>}` | sorted set | the user's | the user's device history: `network⇥device` pairs scored by when the user last signed in with them (see the `devices` module) |
//! | `P:a:{P#<n>}` | sorted set | bucket `n`'s | bucket `n` of 16 of the activity index: session ids by last activity (admin listing) |
//! | `P:e:{P#<n>}` | sorted set | bucket `n`'s | bucket `n` of the expiry index: session ids by expiry (counts, purging) |
//! | `P:v:{P#<n>}` | sorted set | bucket `n`'s | bucket `n` of the users with a device history, scored by each one's oldest entry (purging) |
//! | `{P}:schema` | string | the prefix's | the layout version `migrate` wrote |
//!
//! A session's bucket is the first byte of its id (a hash) mod 16, a user's device bucket a
//! hash of the user id mod 16; the 16 bucket tags hash to 16 slots, spread over the masters.
//!
//! A session key expires (`PXAT`) at the session's expiry plus
//! [`RedisOptions::expired_retention`] (1 hour by default) plus up to an hour more (TTLs are
//! set with an hour to spare, so that a rolling expiry extends them about once an hour, not on
//! every save): during that time an expired session still shows in the admin's "expired"
//! view, as a SQL row would until purged; after it Redis deletes it by itself, whether or not
//! anything purges. A user's index is kept at least an hour past the deletion time of the last
//! session written into it. The buckets of the global indexes are trimmed by
//! [`Store::purge_expired`](crate::Store::purge_expired) (run it periodically, e.g. with
//! [`Store::spawn_purge_task`](crate::Store::spawn_purge_task)) and by reads that meet entries
//! of sessions that are gone.
//!
//! # Steps
//!
//! A load is one `GET`. The common save — new data and a slightly later expiry, right after
//! this process loaded the session — is one `SET … XX PXAT` on the session's master: `XX`
//! keeps a session ended meanwhile ended, and the indexes already hold what it writes. Every
//! other change is a few Lua scripts (`EVALSHA`), each atomic within one slot, chained so that
//! **index entries are written before the session they point to and removed after it is
//! gone**; steps that do not depend on each other are sent at once (fred pipelines them, on a
//! single server over one connection):
//!
//! - a save that moves the session in the indexes (a new session, a new user, activity a
//!   minute newer, an expiry more than a minute later): the entry in the user's index and in
//!   the session's bucket (concurrently), then the session. A write the session step refuses
//!   (`update` of an ended session, `create` of a live id) takes back what it added;
//! - a sign-in with a session limit: one script on the user's index counts the user's live
//!   entries, marks those to end and adds the new one — atomically, so two racing sign-ins
//!   never leave more than the limit — then the sessions it names are ended in their own slots,
//!   then the new session is written. A pushed-out session whose first write has not landed
//!   yet gets a tombstone (`P:t:`) that makes that write refuse;
//! - ending sessions (one, many, all of a user's): the sessions first, then their entries;
//! - a touch: the session, then its activity in the user's index and its bucket;
//! - a user's sessions: the user's index, then every session at once (one `GET` each);
//! - counts and the admin list: the 16 buckets at once; the list merges them in order.
//!
//! # Guarantees
//!
//! - **A late save never revives an ended session**: the `SET … XX` and the scripted `update`
//!   both refuse when the key is gone.
//! - **"Log out everywhere" ends all**: a user's index holds every live session of that user
//!   (and may hold more). An entry of a session that is missing is dropped only once the
//!   deletion time recorded with it has passed — before that, the session may be a write whose
//!   entry landed first. A session that changed hands may stay listed in its previous user's
//!   index (readers skip it) until it ends: that is what makes the plain `SET` safe when a
//!   concurrent request changed the user.
//! - **The session limit is atomic**: decided by one script on the user's slot. Entries of
//!   sessions being written count; entries of sessions being ended do not.
//! - Id cycling keeps `created_at` (the store writes the new id with the old columns).
//! - Staleness, all of it repaired by later writes, reads or purges: when two requests save one
//!   session at the same moment, the buckets may keep the other request's expiry and last
//!   activity (counts may be off by it until the next purge looks at the session, and the admin
//!   list may order it by the other activity; loads always check the session's own expiry);
//!   a step interrupted between its slots (a lost connection) can leave an entry of an ended
//!   session, which counts toward its user's limit until its deletion time and is skipped by
//!   readers; a session written while a listing or a purge met its entry before the session
//!   (or a purge met an expired session's entry while it was being written) can miss from the
//!   admin list and counts until its next scripted save.
//!
//! # Redis Cluster
//!
//! A `redis-cluster://host:7001?node=host:7002&node=host:7003` URL opens a store on a cluster
//! through fred's cluster client, which sends each command to the master of its slot. `open`
//! loads the scripts on the node it reaches first; a master that does not know one yet answers
//! `NOSCRIPT` once and gets the script's source by `EVAL`, which caches it there. The layout is the
//! same on a single server and on a cluster.
//!
//! Sessions spread over every master: with 10 000 sessions each of three masters held about a
//! third (`tests/redis_cluster_spread.rs`). A load and the common save need the session's
//! master only; a save that moves index entries, ending a session and a sign-in also need the
//! masters of the user's slot and of the session's bucket. With one master down, the sessions
//! on the others keep loading and saving, and requests that need it answer
//! [`Error::Unavailable`] (503) within [`RedisOptions::timeout`]
//! (`tests/redis_cluster_faults.rs`).
//!
//! # Admin queries
//!
//! Loads, saves, a user's sessions and ending sessions never scan. Counting all active,
//! expired or all sessions reads the 16 expiry buckets (O(log n) each, plus a check of the
//! sessions scored in the last minute: a save moves a session in the expiry index only when its
//! expiry grew by more than a minute, so that a rolling expiry does not cost an index write per
//! request); the expired count may include sessions Redis already dropped until the next
//! purge. Listing pages merges the 16 activity buckets from the cursor (O(page) per bucket);
//! filters by user read those users' indexes; a filter by IP prefix walks the activity index
//! until the page is full, so it can touch every session.
//!
//! # Upgrading from the single-slot layout
//!
//! Layouts 1 and 2 kept every key of a store under one hash tag, `{P}`. `migrate` does not
//! convert them (app servers of the previous version would keep writing keys this one never
//! reads): on a prefix that holds sessions of those layouts it refuses with an error that says
//! what to do — open the store on a new prefix (users sign in again), or stop every app server
//! and delete the keys `{P}:*`. A prefix without sessions is upgraded in place.
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
mod end;
mod keys;
mod loaded;
mod options;
mod scripts;
#[cfg(feature = "redis-tls")]
mod tls;
mod value;
mod write;

use std::time::Duration;

use fred::prelude::{
    Builder, ClientLike, Error as RedisError, ErrorKind, KeysInterface, LuaInterface, Pool,
    ReconnectPolicy, Value,
};
use fred::types::config::UnresponsiveConfig;
use fred::types::{Expiration, Key, SetOptions};
use futures_util::StreamExt;
use time::OffsetDateTime;

use crate::backend::StoredSession;
use crate::record::to_millis;
use crate::{Error, PublicId, Result};
use keys::Keys;
use loaded::LoadedHeaders;
use options::{check_prefix, client_config, split_url};

pub use options::RedisOptions;

/// The layout version `migrate` records: 1 stored a hash per session, 2 a string, both with
/// every key in one hash slot; 3 spreads sessions, users and index buckets over the slots.
const LAYOUT_VERSION: i64 = 3;
/// Sessions per batch of concurrent steps (ending many, creating many, purging).
const BATCH: usize = 500;
/// Expiry index entries looked at per step of the purge.
const PURGE_CHUNK: u32 = 1000;

/// How a write treats a session that already exists (or does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    keys: Keys,
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

/// A Lua script: its source and the SHA-1 digest `SCRIPT LOAD` returned for it.
#[derive(Debug)]
struct Script {
    source: &'static str,
    sha: String,
}

/// Every script the backend runs.
#[derive(Debug)]
struct Scripts {
    session_write: Script,
    session_touch: Script,
    session_end: Script,
    session_evict: Script,
    session_purge: Script,
    user_add: Script,
    user_sign_in: Script,
    user_touch: Script,
    user_disown: Script,
    user_drop: Script,
    user_entries: Script,
    bucket_add: Script,
    bucket_drop: Script,
    bucket_page: Script,
    bucket_count: Script,
    bucket_expired: Script,
    bucket_rescore: Script,
    bucket_touch: Script,
    clear_slot: Script,
    find_slot_session: Script,
    remember_device: Script,
    forget_devices: Script,
    device_users_expired: Script,
    device_users_set: Script,
}

fn map_error(error: RedisError) -> Error {
    match error.kind() {
        ErrorKind::IO
        | ErrorKind::Timeout
        | ErrorKind::Canceled
        | ErrorKind::Backpressure
        | ErrorKind::Cluster
        | ErrorKind::Routing => Error::Unavailable(error.into()),
        _ if error.details().starts_with("LOADING")
            || error.details().starts_with("BUSY")
            || error.details().starts_with("CLUSTERDOWN")
            || error.details().starts_with("TRYAGAIN") =>
        {
            Error::Unavailable(error.into())
        }
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

fn text_of(value: &Value) -> Option<&str> {
    std::str::from_utf8(bytes_of(value)?).ok()
}

fn integer_of(value: &Value) -> Option<i64> {
    match value {
        Value::Integer(n) => Some(*n),
        Value::Double(f) => Some(*f as i64),
        other => other.as_i64(),
    }
}

/// A count in a reply (negative or missing: 0).
fn count_of(value: Option<&Value>) -> u64 {
    value.and_then(integer_of).unwrap_or(0).max(0) as u64
}

/// The elements of an array reply (anything else: none).
fn array_of(value: Value) -> Vec<Value> {
    match value {
        Value::Array(values) => values,
        _ => Vec::new(),
    }
}

/// The items of a reply made of pairs (a sorted set with scores, a hash), one after the other:
/// `a, b, …` as RESP2 sends them, also when RESP3 sends `[a, b], …`.
fn pairs_of(value: Value) -> Vec<Value> {
    array_of(value)
        .into_iter()
        .flat_map(|value| match value {
            Value::Array(pair) => pair,
            other => vec![other],
        })
        .collect()
}

/// Runs futures concurrently (their commands share the client's connections, pipelined) and
/// returns their results in order, or the first error.
async fn all<T>(
    steps: impl IntoIterator<Item = impl Future<Output = Result<T>>>,
) -> Result<Vec<T>> {
    futures_util::future::try_join_all(steps).await
}

impl RedisBackend {
    /// Connects to the server a `redis://` (or `rediss://`, or `redis-cluster://`) URL names;
    /// a `key_prefix` query parameter sets [`RedisOptions::key_prefix`]. Fails with
    /// [`Error::Unavailable`] if the server cannot be reached within the timeout.
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
        let scripts = load_scripts(&pool).await?;
        Ok(RedisBackend {
            pool,
            keys: Keys::new(&options.key_prefix),
            retention_ms: i64::try_from(options.expired_retention.as_millis()).unwrap_or(i64::MAX),
            scripts,
            loaded: LoadedHeaders::default(),
        })
    }

    /// The key prefix as configured, e.g. `user-sessions` (see the [module docs](self) for
    /// the keys built from it).
    pub fn key_prefix(&self) -> &str {
        self.keys.prefix()
    }

    /// Deletes every key of this store (all its sessions and indexes, and keys an earlier
    /// layout left), scanning every master of a cluster; returns when done. For tests and
    /// tear-down.
    pub async fn clear(&self) -> Result<()> {
        let client = self.pool.next();
        let pattern = self.keys.pattern();
        let mut found = if client.is_clustered() {
            client
                .scan_cluster_buffered(pattern, Some(1000), None)
                .boxed()
        } else {
            client.scan_buffered(pattern, Some(1000), None).boxed()
        };
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(key) = found.next().await {
            batch.push(key.map_err(map_error)?);
            if batch.len() == BATCH {
                self.delete_keys(std::mem::take(&mut batch)).await?;
            }
        }
        self.delete_keys(batch).await?;
        self.clear_single_slot().await
    }

    /// Deletes keys one command each, concurrently (they may live on different masters).
    async fn delete_keys(&self, keys: Vec<Key>) -> Result<()> {
        let client = self.pool.next();
        all(keys
            .into_iter()
            .map(|key| async move { client.del::<i64, _>(key).await.map_err(map_error) }))
        .await?;
        Ok(())
    }

    /// Deletes the keys of the single-slot layouts (1 and 2), the layout version with them.
    async fn clear_single_slot(&self) -> Result<()> {
        let pattern = self.keys.single_slot_pattern();
        let mut cursor = "0".to_owned();
        loop {
            let next = self
                .eval(
                    &self.scripts.clear_slot,
                    vec![self.keys.schema()],
                    vec![Value::from(cursor.as_str()), Value::from(pattern.as_str())],
                )
                .await?;
            cursor = text_of(&next).unwrap_or("0").to_owned();
            if cursor == "0" {
                return Ok(());
            }
        }
    }

    /// Whether a single-slot layout (1 or 2) holds sessions or device histories.
    async fn single_slot_data_exists(&self) -> Result<bool> {
        let pattern = format!("{{{}}}:[sd]:*", self.keys.prefix());
        let mut cursor = "0".to_owned();
        loop {
            let reply = array_of(
                self.eval(
                    &self.scripts.find_slot_session,
                    vec![self.keys.schema()],
                    vec![Value::from(cursor.as_str()), Value::from(pattern.as_str())],
                )
                .await?,
            );
            if integer_of(reply.get(1).unwrap_or(&Value::Null)) == Some(1) {
                return Ok(true);
            }
            cursor = reply.first().and_then(text_of).unwrap_or("0").to_owned();
            if cursor == "0" {
                return Ok(false);
            }
        }
    }

    /// The layout version `migrate` last wrote (`None` for a new store).
    async fn layout_version(&self) -> Result<Option<i64>> {
        self.pool
            .next()
            .get(self.keys.schema())
            .await
            .map_err(map_error)
    }

    /// Runs a loaded script. If the node that serves its keys does not know it (a restart,
    /// `SCRIPT FLUSH`, or a master of a Redis Cluster that joined after `open`), sends the
    /// script's source once with `EVAL`, which also caches it there.
    async fn eval(&self, script: &Script, keys: Vec<Key>, args: Vec<Value>) -> Result<Value> {
        let client = self.pool.next();
        // `Key`s are shared bytes: keeping them for a retry copies nothing.
        let first = client
            .evalsha::<Value, _, _, _>(script.sha.as_str(), keys.clone(), args.clone())
            .await;
        match first {
            Err(error) if is_noscript(&error) => client
                .eval::<Value, _, _, _>(script.source, keys, args)
                .await
                .map_err(map_error),
            result => result.map_err(map_error),
        }
    }

    /// Saves a session this process just loaded with one `SET … XX`, when the save moves
    /// nothing in the indexes (see the [module docs](self)). `None` when it does, or when the
    /// load is not known here: the caller takes the scripted path.
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
                self.keys.session(&session.info.id),
                Value::Bytes(stored.into()),
                Some(Expiration::PXAT(header.deletion())),
                Some(SetOptions::XX),
                false,
            )
            .await
            .map_err(map_error)?;
        Ok(Some(!matches!(reply, Value::Null)))
    }

    /// Reads sessions by id, concurrently: each one's header, info and data, `None` for a
    /// session that is missing (or undecodable, with a warning).
    async fn get_many(
        &self,
        ids: &[PublicId],
    ) -> Result<Vec<Option<(value::Header, StoredSession)>>> {
        let client = self.pool.next();
        all(ids.iter().map(|id| async move {
            let value: Value = client.get(self.keys.session(id)).await.map_err(map_error)?;
            Ok(decode_value(*id, value))
        }))
        .await
    }
}

/// A session's value as read, decoded: `None` when missing or undecodable (with a warning).
fn decode_value(id: PublicId, value: Value) -> Option<(value::Header, StoredSession)> {
    let bytes = match value {
        Value::Bytes(bytes) => bytes,
        Value::String(text) => text.into_inner(),
        _ => return None,
    };
    match value::decode_info(id, &bytes) {
        Ok((header, info, data)) => Some((
            header,
            StoredSession {
                info,
                data: data.to_vec(),
            },
        )),
        Err(error) => {
            tracing::warn!(%error, "treating the session as absent");
            None
        }
    }
}

/// Loads every script on the server (on a cluster, on the node first reached; the others get
/// a script's source the first time they need it), concurrently.
async fn load_scripts(pool: &Pool) -> Result<Scripts> {
    let client = pool.next();
    let sources = [
        scripts::SESSION_WRITE,
        scripts::SESSION_TOUCH,
        scripts::SESSION_END,
        scripts::SESSION_EVICT,
        scripts::SESSION_PURGE,
        scripts::USER_ADD,
        scripts::USER_SIGN_IN,
        scripts::USER_TOUCH,
        scripts::USER_DISOWN,
        scripts::USER_DROP,
        scripts::USER_ENTRIES,
        scripts::BUCKET_ADD,
        scripts::BUCKET_DROP,
        scripts::BUCKET_PAGE,
        scripts::BUCKET_COUNT,
        scripts::BUCKET_EXPIRED,
        scripts::BUCKET_RESCORE,
        scripts::BUCKET_TOUCH,
        scripts::CLEAR_SLOT,
        scripts::FIND_SLOT_SESSION,
        devices::REMEMBER,
        devices::FORGET,
        devices::USERS_BEFORE,
        devices::USERS_SET,
    ];
    let loaded = all(sources.iter().map(|&source| async move {
        let sha = client
            .script_load::<String, _>(source)
            .await
            .map_err(map_error)?;
        Ok(Script { source, sha })
    }))
    .await?;
    let mut loaded = loaded.into_iter();
    let mut next = || {
        loaded
            .next()
            .ok_or_else(|| Error::Backend("a script was not loaded".into()))
    };
    Ok(Scripts {
        session_write: next()?,
        session_touch: next()?,
        session_end: next()?,
        session_evict: next()?,
        session_purge: next()?,
        user_add: next()?,
        user_sign_in: next()?,
        user_touch: next()?,
        user_disown: next()?,
        user_drop: next()?,
        user_entries: next()?,
        bucket_add: next()?,
        bucket_drop: next()?,
        bucket_page: next()?,
        bucket_count: next()?,
        bucket_expired: next()?,
        bucket_rescore: next()?,
        bucket_touch: next()?,
        clear_slot: next()?,
        find_slot_session: next()?,
        remember_device: next()?,
        forget_devices: next()?,
        device_users_expired: next()?,
        device_users_set: next()?,
    })
}
