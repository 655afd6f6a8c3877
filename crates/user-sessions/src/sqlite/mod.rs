//! The SQLite backend: the embedded default. One file, WAL, a writer plus a pool of readers, and
//! a read cache that answers a session read again, while nothing has been committed since, from
//! memory — exactly, whichever process commits (see [`SqliteBackend`]).
//!
//! Long because it is one backend's whole `Backend` implementation, a method per operation, each a
//! statement or two; its pool, read cache and schema are modules of their own.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
//! use user_sessions::{Store, sqlite::SqliteBackend};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let backend = SqliteBackend::open(&format!("sqlite://{}", dir.path().join("sessions.db").display())).await?;
//! let store = Store::new(backend);
//! store.migrate().await?;
//! assert_eq!(store.pending_migrations().await?, 0);
//! # Ok(()) }
//! ```

mod pool;
mod read_cache;
mod schema;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::LazyLock;

use async_trait::async_trait;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use time::OffsetDateTime;

use pool::Pool;
pub use pool::SqliteOptions;
use read_cache::ReadCache;

use crate::backend::{Backend, Purged, StoredSession, Touch};
use crate::record::{from_millis, to_millis};
use crate::sql::{
    Dialect, INFO_COLUMNS, Param, Statements, TABLE, filter_where, into_page, list_tail,
};
use crate::{
    ClientHints, Error, Filter, KnownDevice, Page, PageRequest, PublicId, Result, SessionInfo,
    SessionLimit, SignInOutcome, SignInWrite, Stats,
};

/// Sessions in a SQLite database file (or in memory, for tests).
///
/// Reading a session again while nothing has been committed since its last read is answered
/// from memory ([`SqliteOptions::read_cache`]): the backend notices every commit, from this
/// process or any other, by a change of the WAL index that SQLite keeps in the database's
/// `-shm` file, so such an answer is always the one the database would give.
#[derive(Debug)]
pub struct SqliteBackend {
    pool: Pool,
    read_cache: Option<ReadCache>,
}

impl SqliteBackend {
    /// Opens (creating if needed) the database a URL or path names: `sqlite://sessions.db`,
    /// `sqlite:sessions.db`, `sessions.db`, or `sqlite::memory:` for a private in-memory
    /// database. With `?mode=rw` a missing file is an error instead of being created.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, SqliteOptions::default()).await
    }

    /// Like [`open`](Self::open), with settings.
    pub async fn open_with(url: &str, mut options: SqliteOptions) -> Result<Self> {
        let path = parse_url(url)?;
        if url.contains("?mode=rw") && !url.contains("?mode=rwc") {
            options.create_if_missing = false;
        }
        if let Some(path) = path
            .as_ref()
            .filter(|p| !options.create_if_missing && !p.exists())
        {
            return Err(Error::Unavailable(
                format!(
                    "no SQLite database at {}: create it with `user-sessions migrate`",
                    path.display()
                )
                .into(),
            ));
        }
        let capacity = options.read_cache;
        let pool = Pool::open(path, options).await?;
        let read_cache = pool
            .wal_file()
            .and_then(|file| ReadCache::open(file, capacity));
        Ok(SqliteBackend { pool, read_cache })
    }

    /// Runs one statement on the writer, batched with other writes (group commit); returns how
    /// many rows it changed.
    async fn execute_batched(
        &self,
        sql: &'static str,
        values: impl IntoIterator<Item = Value> + Send + 'static,
    ) -> Result<usize> {
        self.pool
            .write_batched(move |conn| {
                conn.prepare_cached(sql)
                    .and_then(|mut stmt| stmt.execute(params_from_iter(values)))
                    .map_err(map_error)
            })
            .await
    }

    /// Reads the row of `id` from the database.
    async fn read_row(&self, id: &PublicId) -> Result<Option<StoredSession>> {
        let id = id.as_bytes().to_vec();
        self.pool
            .read_point(move |conn| {
                let mut stmt = conn.prepare_cached(&STATEMENTS.get).map_err(map_error)?;
                stmt.query_row([id], |row| {
                    Ok(StoredSession {
                        info: info_from_row(row)?,
                        data: row.get(9)?,
                    })
                })
                .optional()
                .map_err(map_error)
            })
            .await
    }
}

/// `None` is an in-memory database.
fn parse_url(url: &str) -> Result<Option<PathBuf>> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = rest.split('?').next().unwrap_or_default();
    match path {
        "" => Err(Error::Url(url.to_owned())),
        ":memory:" => Ok(None),
        path => Ok(Some(PathBuf::from(path))),
    }
}

/// Maps SQLite's errors onto ours: locks and I/O are "unavailable", a missing table "not migrated".
pub(crate) fn map_error(error: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode::*;
    match &error {
        rusqlite::Error::SqliteFailure(e, _) => match e.code {
            DatabaseBusy | DatabaseLocked | CannotOpen | SystemIoFailure | DiskFull => {
                Error::Unavailable(error.into())
            }
            _ if is_missing_schema(&error) => Error::NotMigrated,
            _ => Error::Backend(error.into()),
        },
        _ if is_missing_schema(&error) => Error::NotMigrated,
        _ => Error::Backend(error.into()),
    }
}

/// A table or index of the schema is missing: migrations have not run (or not all of them).
fn is_missing_schema(error: &rusqlite::Error) -> bool {
    let message = error.to_string();
    message.contains("no such table") || message.contains("no such index")
}

fn bind(param: &Param) -> Value {
    match param {
        Param::Text(text) => Value::Text(text.clone()),
        Param::Time(t) => Value::Integer(to_millis(*t)),
        Param::Id(id) => Value::Blob(id.as_bytes().to_vec()),
    }
}

fn hints_to_text(hints: &Option<ClientHints>) -> Option<String> {
    hints
        .as_ref()
        .filter(|h| !h.is_empty())
        .and_then(|h| serde_json::to_string(h).ok())
}

/// Decodes the session id in a row's first column.
fn id_from_row(row: &Row<'_>) -> rusqlite::Result<PublicId> {
    let id: Vec<u8> = row.get(0)?;
    PublicId::from_slice(&id).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Blob,
            "id is not 32 bytes".into(),
        )
    })
}

/// Decodes the [`INFO_COLUMNS`] of a row. A malformed IP or hint column reads as absent.
fn info_from_row(row: &Row<'_>) -> rusqlite::Result<SessionInfo> {
    let id = id_from_row(row)?;
    let ip: Option<String> = row.get(2)?;
    let hints: Option<String> = row.get(4)?;
    Ok(SessionInfo {
        id,
        user_id: row.get(1)?,
        ip: ip.and_then(|ip| ip.parse::<IpAddr>().ok()),
        user_agent: row.get(3)?,
        client_hints: hints.and_then(|h| serde_json::from_str(&h).ok()),
        created_at: from_millis(row.get(5)?),
        last_activity: from_millis(row.get(6)?),
        expires_at: from_millis(row.get(7)?),
        authenticated_at: row.get::<_, Option<i64>>(8)?.map(from_millis),
    })
}

fn session_params(s: &StoredSession) -> [Value; 10] {
    let i = &s.info;
    [
        Value::Blob(i.id.as_bytes().to_vec()),
        i.user_id.clone().map_or(Value::Null, Value::Text),
        i.ip.map_or(Value::Null, |ip| Value::Text(ip.to_string())),
        i.user_agent.clone().map_or(Value::Null, Value::Text),
        hints_to_text(&i.client_hints).map_or(Value::Null, Value::Text),
        Value::Blob(s.data.clone()),
        Value::Integer(to_millis(i.created_at)),
        Value::Integer(to_millis(i.last_activity)),
        Value::Integer(to_millis(i.expires_at)),
        i.authenticated_at
            .map_or(Value::Null, |t| Value::Integer(to_millis(t))),
    ]
}

/// [`Backend::update_data`]'s statement. (The server databases need none: PostgreSQL and
/// MySQL leave an index alone when the values of its columns did not change.)
const UPDATE_DATA: &str = "UPDATE user_sessions SET data = ?1, expires_at = ?2 WHERE id = ?3";

/// The statements SQLite shares with the other SQL backends.
static STATEMENTS: LazyLock<Statements> = LazyLock::new(|| Statements::new(Dialect::Sqlite));

fn applied_versions(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user_sessions_migrations')",
        [],
        |row| row.get(0),
    )?;
    if !exists {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare("SELECT version FROM user_sessions_migrations")?;
    let versions = stmt.query_map([], |row| row.get(0))?;
    versions.collect()
}

#[async_trait]
impl Backend for SqliteBackend {
    async fn migrate(&self) -> Result<()> {
        self.pool
            .write(|conn| {
                conn.execute(schema::CREATE_MIGRATIONS_TABLE, [])
                    .map_err(map_error)?;
                let applied = applied_versions(conn).map_err(map_error)?;
                for (version, description, sql) in schema::MIGRATIONS {
                    if applied.contains(version) {
                        continue;
                    }
                    let tx = conn.transaction().map_err(map_error)?;
                    tx.execute_batch(sql).map_err(map_error)?;
                    tx.execute(
                        "INSERT INTO user_sessions_migrations (version, description, applied_at) VALUES (?1, ?2, ?3)",
                        params![version, description, to_millis(OffsetDateTime::now_utc())],
                    )
                    .map_err(map_error)?;
                    tx.commit().map_err(map_error)?;
                    tracing::info!(version, description, "applied session schema migration");
                }
                Ok(())
            })
            .await
    }

    async fn pending_migrations(&self) -> Result<usize> {
        self.pool
            .read(|conn| {
                let applied = applied_versions(conn).map_err(map_error)?;
                Ok(schema::MIGRATIONS
                    .iter()
                    .filter(|(version, _, _)| !applied.contains(version))
                    .count())
            })
            .await
    }

    async fn create(&self, session: &StoredSession, now: OffsetDateTime) -> Result<bool> {
        Ok(self.create_many(std::slice::from_ref(session), now).await? == 1)
    }

    async fn create_many(&self, sessions: &[StoredSession], now: OffsetDateTime) -> Result<u64> {
        let rows: Vec<[Value; 10]> = sessions.iter().map(session_params).collect();
        let now = to_millis(now);
        self.pool
            .write(move |conn| {
                let tx = conn.transaction().map_err(map_error)?;
                let mut created = 0;
                {
                    let mut stmt = tx.prepare_cached(&STATEMENTS.create).map_err(map_error)?;
                    for row in rows {
                        let values = row.into_iter().chain([Value::Integer(now)]);
                        created +=
                            stmt.execute(params_from_iter(values)).map_err(map_error)? as u64;
                    }
                }
                tx.commit().map_err(map_error)?;
                Ok(created)
            })
            .await
    }

    async fn get(&self, id: &PublicId) -> Result<Option<StoredSession>> {
        // The WAL index header as it was before the read: what a kept row is checked against.
        let cache = self
            .read_cache
            .as_ref()
            .and_then(|cache| Some((cache, cache.header()?)));
        if let Some(session) = cache.and_then(|(cache, header)| cache.get(id, &header)) {
            return Ok(Some(session));
        }
        let session = self.read_row(id).await?;
        if let (Some((cache, header)), Some(session)) = (cache, &session) {
            cache.keep(header, session);
        }
        Ok(session)
    }

    async fn save(&self, session: &StoredSession) -> Result<()> {
        self.execute_batched(&STATEMENTS.save, session_params(session))
            .await
            .map(drop)
    }

    async fn update(&self, session: &StoredSession) -> Result<bool> {
        let mut values = session_params(session);
        values.rotate_left(1); // the id binds last
        Ok(self.execute_batched(&STATEMENTS.update, values).await? > 0)
    }

    /// Writes the two columns alone: SQLite maintains every index that has a column in an
    /// `UPDATE`'s `SET` list, changed or not: a full update rewrites the session's entries in
    /// all five indexes besides the id's, this one only in the two that hold `expires_at`.
    async fn update_data(&self, session: &StoredSession) -> Result<bool> {
        let values = [
            Value::Blob(session.data.clone()),
            Value::Integer(to_millis(session.info.expires_at)),
            Value::Blob(session.info.id.as_bytes().to_vec()),
        ];
        Ok(self.execute_batched(UPDATE_DATA, values).await? > 0)
    }

    async fn sign_in(
        &self,
        session: &StoredSession,
        write: SignInWrite,
        limit: SessionLimit,
        now: OffsetDateTime,
    ) -> Result<SignInOutcome> {
        let values = session_params(session);
        let user_id = session.info.user_id.clone();
        let id = session.info.id;
        let now = to_millis(now);
        // One immediate transaction on the one writer: sign-ins take turns, also with other
        // processes writing the same file.
        self.pool
            .write(move |conn| {
                let tx = conn
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                    .map_err(map_error)?;
                let others = match &user_id {
                    Some(user_id) => {
                        let mut stmt = tx
                            .prepare_cached(&STATEMENTS.limit_others)
                            .map_err(map_error)?;
                        let rows = stmt
                            .query_map(params![user_id, now, id.as_bytes().as_slice()], |row| {
                                row.get::<_, Vec<u8>>(0)
                            })
                            .map_err(map_error)?;
                        rows.filter_map(|row| row.map(|id| PublicId::from_slice(&id)).transpose())
                            .collect::<rusqlite::Result<Vec<_>>>()
                            .map_err(map_error)?
                    }
                    None => Vec::new(),
                };
                let Some(to_end) = limit.to_end(&others) else {
                    return Ok(SignInOutcome::Refused);
                };
                {
                    let mut delete = tx.prepare_cached(&STATEMENTS.delete).map_err(map_error)?;
                    for id in to_end {
                        delete
                            .execute([id.as_bytes().as_slice()])
                            .map_err(map_error)?;
                    }
                }
                let written = match write {
                    SignInWrite::Create => {
                        let values = values.into_iter().chain([Value::Integer(now)]);
                        tx.prepare_cached(&STATEMENTS.create)
                            .and_then(|mut stmt| stmt.execute(params_from_iter(values)))
                            .map_err(map_error)?
                    }
                    SignInWrite::Update => {
                        let mut values = values;
                        values.rotate_left(1); // the id binds last
                        tx.prepare_cached(&STATEMENTS.update)
                            .and_then(|mut stmt| stmt.execute(params_from_iter(values)))
                            .map_err(map_error)?
                    }
                };
                if written == 0 {
                    // Nothing ends for a sign-in that did not happen (dropping rolls back).
                    return Ok(SignInOutcome::NotWritten);
                }
                let ended = to_end.to_vec();
                tx.commit().map_err(map_error)?;
                Ok(SignInOutcome::Written { ended })
            })
            .await
    }

    async fn touch(&self, id: &PublicId, touch: &Touch, now: OffsetDateTime) -> Result<bool> {
        let values = [
            touch
                .ip
                .map_or(Value::Null, |ip| Value::Text(ip.to_string())),
            touch.user_agent.clone().map_or(Value::Null, Value::Text),
            hints_to_text(&touch.client_hints).map_or(Value::Null, Value::Text),
            Value::Integer(to_millis(touch.last_activity)),
            Value::Blob(id.as_bytes().to_vec()),
            Value::Integer(to_millis(now)),
        ];
        Ok(self.execute_batched(&STATEMENTS.touch, values).await? > 0)
    }

    async fn delete(&self, id: &PublicId) -> Result<bool> {
        let id = id.as_bytes().to_vec();
        self.pool
            .write(move |conn| {
                let sql = format!("DELETE FROM {TABLE} WHERE id = ?1");
                let n = conn
                    .prepare_cached(&sql)
                    .and_then(|mut stmt| stmt.execute([id]))
                    .map_err(map_error)?;
                Ok(n > 0)
            })
            .await
    }

    async fn delete_many(&self, ids: &[PublicId]) -> Result<u64> {
        let ids: Vec<Vec<u8>> = ids.iter().map(|id| id.as_bytes().to_vec()).collect();
        self.pool
            .write(move |conn| {
                let tx = conn.transaction().map_err(map_error)?;
                let mut deleted = 0;
                {
                    let sql = format!("DELETE FROM {TABLE} WHERE id = ?1");
                    let mut stmt = tx.prepare_cached(&sql).map_err(map_error)?;
                    for id in ids {
                        deleted += stmt.execute([id]).map_err(map_error)? as u64;
                    }
                }
                tx.commit().map_err(map_error)?;
                Ok(deleted)
            })
            .await
    }

    async fn user_sessions(&self, user_id: &str, now: OffsetDateTime) -> Result<Vec<SessionInfo>> {
        let user_id = user_id.to_owned();
        self.pool
            .read(move |conn| {
                let sql = format!(
                    "SELECT {INFO_COLUMNS} FROM {TABLE} WHERE user_id = ?1 AND expires_at > ?2 \
                     ORDER BY last_activity DESC, id DESC"
                );
                let mut stmt = conn.prepare_cached(&sql).map_err(map_error)?;
                let rows = stmt
                    .query_map(params![user_id, to_millis(now)], info_from_row)
                    .map_err(map_error)?;
                rows.collect::<rusqlite::Result<_>>().map_err(map_error)
            })
            .await
    }

    async fn delete_user_session(&self, user_id: &str, id: &PublicId) -> Result<bool> {
        let (user_id, id) = (user_id.to_owned(), id.as_bytes().to_vec());
        self.pool
            .write(move |conn| {
                let sql = format!("DELETE FROM {TABLE} WHERE id = ?1 AND user_id = ?2");
                let n = conn
                    .prepare_cached(&sql)
                    .and_then(|mut stmt| stmt.execute(params![id, user_id]))
                    .map_err(map_error)?;
                Ok(n > 0)
            })
            .await
    }

    async fn delete_user_sessions(&self, user_id: &str, keep: Option<&PublicId>) -> Result<u64> {
        let user_id = user_id.to_owned();
        // An id no session can have (ids are SHA-256 digests, 32 bytes) when nothing is kept.
        let keep = keep.map_or_else(Vec::new, |id| id.as_bytes().to_vec());
        self.pool
            .write(move |conn| {
                let sql = format!("DELETE FROM {TABLE} WHERE user_id = ?1 AND id <> ?2");
                let n = conn
                    .prepare_cached(&sql)
                    .and_then(|mut stmt| stmt.execute(params![user_id, keep]))
                    .map_err(map_error)?;
                Ok(n as u64)
            })
            .await
    }

    async fn count(&self, filter: &Filter, now: OffsetDateTime) -> Result<u64> {
        let w = filter_where(filter, None, now, Dialect::Sqlite);
        let sql = format!("SELECT COUNT(*) FROM {TABLE} WHERE {}", w.text());
        let values: Vec<Value> = w.params.iter().map(bind).collect();
        self.pool
            .read(move |conn| {
                let mut stmt = conn.prepare_cached(&sql).map_err(map_error)?;
                let n: i64 = stmt
                    .query_row(params_from_iter(values), |row| row.get(0))
                    .map_err(map_error)?;
                Ok(n as u64)
            })
            .await
    }

    async fn purge_expired(&self, now: OffsetDateTime, limit: u32) -> Result<Purged> {
        self.pool
            .write(move |conn| {
                let sql = format!(
                    "DELETE FROM {TABLE} WHERE row IN \
                     (SELECT row FROM {TABLE} WHERE expires_at <= ?1 LIMIT ?2) \
                     RETURNING id, user_id"
                );
                let mut stmt = conn.prepare_cached(&sql).map_err(map_error)?;
                let rows = stmt
                    .query_map(params![to_millis(now), limit], |row| {
                        Ok((id_from_row(row)?, row.get::<_, Option<String>>(1)?))
                    })
                    .map_err(map_error)?;
                let sessions = rows.collect::<rusqlite::Result<_>>().map_err(map_error)?;
                Ok(Purged {
                    sessions,
                    unread: 0,
                })
            })
            .await
    }

    async fn list(&self, filter: &Filter, page: &PageRequest, now: OffsetDateTime) -> Result<Page> {
        let w = filter_where(filter, Some(page), now, Dialect::Sqlite);
        let values: Vec<Value> = w.params.iter().map(bind).collect();
        let condition = w.text().to_owned();
        // How many match at all (not only after the cursor) decides the plan: it is read from
        // one index alone, and keeps every page of a listing on the same plan.
        let probe = narrowing_index(filter).map(|index| {
            let w = filter_where(filter, None, now, Dialect::Sqlite);
            let values: Vec<Value> = w.params.iter().map(bind).collect();
            (index, w.text().to_owned(), values)
        });
        let page = *page;
        self.pool
            .read(move |conn| {
                let index = match probe {
                    Some((index, condition, values))
                        if matches_at_most(conn, index, &condition, &values)? =>
                    {
                        index
                    }
                    _ => LISTING_INDEX,
                };
                let sql = format!(
                    "SELECT {INFO_COLUMNS} FROM {TABLE} INDEXED BY {index} WHERE {condition} {}",
                    list_tail(&page)
                );
                let mut stmt = conn.prepare_cached(&sql).map_err(map_error)?;
                let rows = stmt
                    .query_map(params_from_iter(values), info_from_row)
                    .map_err(map_error)?;
                let sessions = rows
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map_err(map_error)?;
                Ok(into_page(sessions, &page))
            })
            .await
    }

    async fn remember_device(
        &self,
        user_id: &str,
        device: &KnownDevice,
        forget_before: OffsetDateTime,
    ) -> Result<()> {
        let user_id = user_id.to_owned();
        let device = device.clone();
        let forget_before = to_millis(forget_before);
        self.pool
            .write_batched(move |conn| {
                conn.prepare_cached(&STATEMENTS.remember_device)
                    .and_then(|mut stmt| {
                        stmt.execute(params![
                            user_id,
                            device.device,
                            device.network,
                            to_millis(device.last_used)
                        ])
                    })
                    .map_err(map_error)?;
                conn.prepare_cached(&STATEMENTS.trim_devices)
                    .and_then(|mut stmt| stmt.execute(params![user_id, forget_before, user_id]))
                    .map_err(map_error)?;
                Ok(())
            })
            .await
    }

    async fn known_devices(
        &self,
        user_id: &str,
        since: OffsetDateTime,
    ) -> Result<Vec<KnownDevice>> {
        let user_id = user_id.to_owned();
        self.pool
            .read(move |conn| {
                let mut stmt = conn
                    .prepare_cached(&STATEMENTS.known_devices)
                    .map_err(map_error)?;
                let rows = stmt
                    .query_map(params![user_id, to_millis(since)], |row| {
                        Ok(KnownDevice {
                            device: row.get(0)?,
                            network: row.get(1)?,
                            last_used: from_millis(row.get(2)?),
                        })
                    })
                    .map_err(map_error)?;
                rows.collect::<rusqlite::Result<_>>().map_err(map_error)
            })
            .await
    }

    async fn forget_user_devices(&self, user_id: &str) -> Result<u64> {
        let user_id = user_id.to_owned();
        self.pool
            .write(move |conn| {
                let n = conn
                    .prepare_cached(&STATEMENTS.forget_user_devices)
                    .and_then(|mut stmt| stmt.execute(params![user_id]))
                    .map_err(map_error)?;
                Ok(n as u64)
            })
            .await
    }

    async fn forget_devices(&self, before: OffsetDateTime, limit: u32) -> Result<u64> {
        self.pool
            .write(move |conn| {
                let n = conn
                    .prepare_cached(&STATEMENTS.forget_devices)
                    .and_then(|mut stmt| stmt.execute(params![to_millis(before), limit]))
                    .map_err(map_error)?;
                Ok(n as u64)
            })
            .await
    }

    async fn stats(&self, now: OffsetDateTime) -> Result<Stats> {
        self.pool
            .read(move |conn| {
                let sql = format!(
                    "SELECT COALESCE(SUM(expires_at > ?1), 0), COALESCE(SUM(expires_at <= ?1), 0), \
                     COUNT(DISTINCT CASE WHEN expires_at > ?1 THEN user_id END), \
                     MIN(CASE WHEN expires_at > ?1 THEN created_at END), \
                     MAX(CASE WHEN expires_at > ?1 THEN last_activity END) FROM {TABLE}"
                );
                conn.query_row(&sql, [to_millis(now)], |row| {
                    Ok(Stats {
                        active: row.get::<_, i64>(0)? as u64,
                        expired: row.get::<_, i64>(1)? as u64,
                        users: row.get::<_, i64>(2)? as u64,
                        oldest: row.get::<_, Option<i64>>(3)?.map(from_millis),
                        newest: row.get::<_, Option<i64>>(4)?.map(from_millis),
                    })
                })
                .map_err(map_error)
            })
            .await
    }
}

/// The index admin listings walk: newest activity first, with every filtered column in it, so
/// that rows which do not match are skipped without reading the table (migration 2).
const LISTING_INDEX: &str = "user_sessions_listing";

/// Up to this many matching sessions are found through the index of the most selective filter
/// and sorted; more than this, and walking [`LISTING_INDEX`] in order reaches a page of them
/// sooner (they are then at least this dense among all sessions).
const SORT_AT_MOST: u32 = 2_000;

/// The index that finds a filter's sessions directly, when one does: the user index for a set
/// of users, the IP index for a prefix, the expiry index for active or expired sessions.
fn narrowing_index(filter: &Filter) -> Option<&'static str> {
    if filter.user_ids.is_some() {
        Some("user_sessions_user")
    } else if filter.ip_prefix.as_deref().is_some_and(|p| !p.is_empty()) {
        Some("user_sessions_ip")
    } else if filter.status != crate::Status::All {
        Some("user_sessions_expiry")
    } else {
        None
    }
}

/// Whether at most [`SORT_AT_MOST`] sessions match `condition`, counted through `index` (and
/// never more than one past that).
///
/// SQLite's planner cannot tell a narrow filter from a broad one here (the bounds are
/// parameters), so the listing asks: a few matches are sorted, many are walked in order.
/// Either way the page is the same; only its cost differs.
fn matches_at_most(
    conn: &Connection,
    index: &str,
    condition: &str,
    values: &[Value],
) -> Result<bool> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM {TABLE} INDEXED BY {index} WHERE {condition} LIMIT {})",
        SORT_AT_MOST + 1
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(map_error)?;
    let found: i64 = stmt
        .query_row(params_from_iter(values), |row| row.get(0))
        .map_err(map_error)?;
    Ok(found <= i64::from(SORT_AT_MOST))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(parse_url("sqlite::memory:").unwrap(), None);
        assert_eq!(
            parse_url("sqlite://a/b.db?mode=rwc").unwrap(),
            Some(PathBuf::from("a/b.db"))
        );
        assert_eq!(
            parse_url("sqlite:x.db").unwrap(),
            Some(PathBuf::from("x.db"))
        );
        assert_eq!(parse_url("x.db").unwrap(), Some(PathBuf::from("x.db")));
        assert!(parse_url("sqlite://").is_err());
    }

    /// `update_data` writes the data and the expiry alone: a client and activity recorded
    /// meanwhile (by a touch from another request) stay.
    #[tokio::test]
    async fn update_data_leaves_the_other_columns_as_stored() {
        let backend = SqliteBackend::open("sqlite::memory:").await.unwrap();
        backend.migrate().await.unwrap();
        let now = crate::record::now();
        let mut session = StoredSession {
            info: SessionInfo::new(PublicId::from_secret(b"s"), now + time::Duration::hours(1)),
            data: b"{}".to_vec(),
        };
        session.info.user_id = Some("alice".into());
        backend.save(&session).await.unwrap();
        let touch = Touch {
            ip: Some("192.0.2.7".parse().unwrap()),
            user_agent: Some("Other/2.0".into()),
            client_hints: None,
            last_activity: now + time::Duration::seconds(1),
        };
        assert!(backend.touch(&session.info.id, &touch, now).await.unwrap());

        session.data = b"{\"n\":1}".to_vec();
        session.info.expires_at += time::Duration::hours(1);
        assert!(backend.update_data(&session).await.unwrap());
        let stored = backend.get(&session.info.id).await.unwrap().unwrap();
        assert_eq!(stored.data, session.data);
        assert_eq!(stored.info.expires_at, session.info.expires_at);
        assert_eq!(stored.info.ip, touch.ip, "kept, not the caller's");
        assert_eq!(stored.info.user_agent, touch.user_agent);
        assert_eq!(stored.info.last_activity, touch.last_activity);
        assert_eq!(stored.info.user_id.as_deref(), Some("alice"));
    }

    /// A database file gets the read cache, and a session read once is kept with a header that
    /// is still current, so reading it again is answered from memory; a write through this
    /// backend makes it miss. In memory, or with `read_cache: 0`, there is none.
    #[cfg(unix)]
    #[tokio::test]
    async fn a_file_database_keeps_what_it_reads_until_the_next_commit() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("s.db").display());
        let backend = SqliteBackend::open(&url).await.unwrap();
        backend.migrate().await.unwrap();
        let mut session = StoredSession {
            info: SessionInfo::new(PublicId::from_secret(b"s"), crate::record::now()),
            data: b"{}".to_vec(),
        };
        backend.save(&session).await.unwrap();
        let cache = backend.read_cache.as_ref().expect("on for a file");
        let current = || cache.header().expect("a header");
        assert!(cache.get(&session.info.id, &current()).is_none());

        backend.get(&session.info.id).await.unwrap().unwrap();
        let kept = cache.get(&session.info.id, &current()).expect("kept");
        assert_eq!(kept.data, b"{}");

        session.data = b"{\"n\":1}".to_vec();
        backend.save(&session).await.unwrap();
        assert!(cache.get(&session.info.id, &current()).is_none());
        let read = backend.get(&session.info.id).await.unwrap().unwrap();
        assert_eq!(read.data, session.data);

        assert!(
            SqliteBackend::open("sqlite::memory:")
                .await
                .unwrap()
                .read_cache
                .is_none()
        );
        let off = SqliteOptions {
            read_cache: 0,
            ..SqliteOptions::default()
        };
        let url = format!("sqlite://{}", dir.path().join("off.db").display());
        assert!(
            SqliteBackend::open_with(&url, off)
                .await
                .unwrap()
                .read_cache
                .is_none()
        );
    }

    /// Opened through a symbolic link, the cache watches the `-shm` file SQLite uses (beside the
    /// file the link points to), not a stray one beside the link.
    #[cfg(unix)]
    #[tokio::test]
    async fn through_a_symbolic_link_the_cache_watches_the_real_wal_index() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        let real = dir.path().join("data/s.db");
        let link = dir.path().join("s.db");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut stray = [0u8; 96];
        (stray[12], stray[60]) = (1, 1);
        std::fs::write(dir.path().join("s.db-shm"), stray).unwrap();

        let app = SqliteBackend::open(&format!("sqlite://{}", link.display()))
            .await
            .unwrap();
        app.migrate().await.unwrap();
        let session = StoredSession {
            info: SessionInfo::new(PublicId::from_secret(b"s"), crate::record::now()),
            data: b"{}".to_vec(),
        };
        app.save(&session).await.unwrap();
        assert!(app.get(&session.info.id).await.unwrap().is_some());
        assert!(app.get(&session.info.id).await.unwrap().is_some());

        let other = SqliteBackend::open(&format!("sqlite://{}", real.display()))
            .await
            .unwrap();
        assert!(other.delete(&session.info.id).await.unwrap());
        assert!(app.get(&session.info.id).await.unwrap().is_none());
    }

    /// Listings sort a few matches and walk the activity index for many; both must give the
    /// same pages as filtering everything by hand.
    #[tokio::test]
    async fn listings_agree_whether_they_sort_or_walk() {
        use crate::{PageRequest, SessionRecord, Status, Store};
        use time::Duration;

        let store = Store::open("sqlite::memory:").await.unwrap();
        store.migrate().await.unwrap();
        let now = crate::record::now();
        let total = u64::from(SORT_AT_MOST) * 2 + 500;
        let records: Vec<SessionRecord> = (0..total)
            .map(|n| {
                let id = PublicId::from_secret(&n.to_le_bytes());
                let expires = if n % 5 == 0 {
                    now - Duration::minutes(1)
                } else {
                    now + Duration::hours(1)
                };
                let mut r = SessionRecord::new(id, expires);
                // Pairs share a last activity: the id breaks the tie.
                r.info.last_activity = now - Duration::seconds((n / 2) as i64);
                r.info.user_id = Some(format!("u{}", n % 7));
                r.info.ip = Some(format!("10.{}.0.{}", n % 3, n % 250 + 1).parse().unwrap());
                r
            })
            .collect();
        assert_eq!(store.create_many(&records).await.unwrap(), total);
        let infos: Vec<SessionInfo> = records.into_iter().map(|r| r.info).collect();

        let filters = [
            Filter::default().status(Status::All),
            Filter::default(),
            Filter::default().status(Status::Expired),
            Filter::default().status(Status::All).user("u3"),
            Filter::default().users(["u1", "u2", "u4", "u5"]),
            Filter::default().status(Status::All).ip_prefix("10.1."),
            Filter::default().ip_prefix("10."),
            Filter::default().ip_prefix("10.2.0.17"),
            Filter::default()
                .status(Status::Expired)
                .user("u6")
                .ip_prefix("10.0."),
        ];
        for filter in filters {
            let mut expected: Vec<&SessionInfo> = infos
                .iter()
                .filter(|s| match filter.status {
                    Status::Active => s.expires_at > now,
                    Status::Expired => s.expires_at <= now,
                    Status::All => true,
                })
                .filter(|s| {
                    filter
                        .user_ids
                        .as_ref()
                        .is_none_or(|u| u.contains(s.user_id.as_ref().unwrap()))
                })
                .filter(|s| {
                    filter
                        .ip_prefix
                        .as_ref()
                        .is_none_or(|p| s.ip.unwrap().to_string().starts_with(p.as_str()))
                })
                .collect();
            expected.sort_by_key(|s| std::cmp::Reverse((s.last_activity, s.id)));
            let expected: Vec<PublicId> = expected.iter().map(|s| s.id).collect();
            let mut listed = Vec::new();
            let mut page = PageRequest {
                after: None,
                limit: 300,
            };
            loop {
                let batch = store.list(&filter, &page).await.unwrap();
                listed.extend(batch.sessions.iter().map(|s| s.id));
                match batch.next {
                    Some(next) => page.after = Some(next),
                    None => break,
                }
            }
            assert_eq!(listed, expected, "{filter:?}");
        }
    }
}
