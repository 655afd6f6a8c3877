//! The MySQL / MariaDB backend: one table shared by every app server, through a sqlx pool.
//!
//! Ids are `BINARY(32)`, times `DATETIME(3)` in UTC, user ids and IPs binary strings (compared
//! byte for byte). Every load and every save is one statement, one round trip (a save is an
//! `INSERT … ON DUPLICATE KEY UPDATE`). A create is one `INSERT`; only when the id is taken
//! does a second statement replace the row, and only if it has expired.
//!
//! User ids are limited to 1024 bytes. When the server is unreachable, operations fail with
//! [`Error::Unavailable`] after at most [`MysqlOptions::acquire_timeout`]; connections the
//! server dropped are detected and replaced, so the backend recovers by itself.
//!
//! ```no_run
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
//! use user_sessions::Store;
//!
//! let store = Store::open("mysql://app:secret@db/app").await?; // or mariadb://…
//! store.migrate().await?; // once, at deploy time
//! # Ok(()) }
//! ```

mod schema;

/// The sqlx version this backend is built on, for [`from_pool`](MysqlBackend::from_pool) and for running
/// your own statements on [`pool`](MysqlBackend::pool).
#[doc(no_inline)]
pub use sqlx;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::mysql::{MySqlArguments, MySqlConnectOptions, MySqlPoolOptions, MySqlRow};
use sqlx::query::Query;
use sqlx::{Executor, MySql, MySqlConnection, MySqlPool, Row};
use time::OffsetDateTime;

use crate::backend::{Backend, StoredSession, Touch};
use crate::sql::{
    Dialect, INFO_COLUMNS, Param, ServerPool, Statements, TABLE, filter_where, hints_from_text,
    hints_to_text, id_from_bytes, into_page, ip_from_text, list_tail, map_sqlx_error,
};
use crate::{Error, Filter, Page, PageRequest, PublicId, Result, SessionInfo, Stats};

/// Settings of the MySQL / MariaDB backend.
///
/// ```
/// use user_sessions::mysql::MysqlOptions;
/// let options = MysqlOptions { max_connections: 20, ..MysqlOptions::default() };
/// assert_eq!(options.acquire_timeout, std::time::Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MysqlOptions {
    /// Connections in the pool at most (default 10).
    pub max_connections: u32,
    /// How long an operation waits for a connection before failing with
    /// [`Error::Unavailable`] — the longest a request waits when the server is down (default 5 s).
    pub acquire_timeout: Duration,
}

impl Default for MysqlOptions {
    fn default() -> Self {
        MysqlOptions {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// Sessions in a MySQL or MariaDB table.
#[derive(Debug)]
pub struct MysqlBackend {
    pool: ServerPool<MySql>,
    statements: Statements,
}

/// How many ids one `DELETE … IN (…)` names.
const DELETE_CHUNK: usize = 500;

impl MysqlBackend {
    /// Connects to the database a `mysql://` (or `mariadb://`) URL names. Fails with
    /// [`Error::Unavailable`] if no connection can be made within the acquire timeout.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, MysqlOptions::default()).await
    }

    /// Like [`open`](Self::open), with settings.
    pub async fn open_with(url: &str, options: MysqlOptions) -> Result<Self> {
        let normalized = match url.strip_prefix("mariadb://") {
            Some(rest) => format!("mysql://{rest}"),
            None => url.to_owned(),
        };
        let connect =
            MySqlConnectOptions::from_str(&normalized).map_err(|_| Error::Url(url.to_owned()))?;
        let pool = MySqlPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .min_connections(0)
            .acquire_timeout(options.acquire_timeout)
            // The pool tests connections itself, only after trouble (see `ServerPool`).
            .test_before_acquire(false)
            .connect_with(connect)
            .await
            .map_err(map_sqlx_error)?;
        Ok(Self::from_pool(pool))
    }

    /// Uses an existing pool. Set an acquire timeout on it: it bounds how long requests wait
    /// when the server is down.
    pub fn from_pool(pool: MySqlPool) -> Self {
        MysqlBackend {
            pool: ServerPool::new(pool),
            statements: Statements::new(Dialect::Mysql),
        }
    }

    /// The connection pool.
    pub fn pool(&self) -> &MySqlPool {
        self.pool.inner()
    }
}

type MyQuery<'q> = Query<'q, MySql, MySqlArguments>;

fn bind_param<'q>(query: MyQuery<'q>, param: &Param) -> MyQuery<'q> {
    match param {
        Param::Text(text) => query.bind(text.clone()),
        Param::Time(time) => query.bind(*time),
        Param::Id(id) => query.bind(id.as_bytes().to_vec()),
    }
}

/// Binds the [`WRITE_COLUMNS`](crate::sql::WRITE_COLUMNS) of a session.
fn bind_session<'q>(query: MyQuery<'q>, session: &'q StoredSession) -> MyQuery<'q> {
    bind_columns(query.bind(session.info.id.as_bytes().as_slice()), session)
}

/// Binds the write columns after `id` (an update binds the id last).
fn bind_columns<'q>(query: MyQuery<'q>, session: &'q StoredSession) -> MyQuery<'q> {
    let info = &session.info;
    query
        .bind(info.user_id.as_deref())
        .bind(info.ip.map(|ip| ip.to_string()))
        .bind(info.user_agent.as_deref())
        .bind(hints_to_text(&info.client_hints))
        .bind(session.data.as_slice())
        .bind(info.created_at)
        .bind(info.last_activity)
        .bind(info.expires_at)
        .bind(info.authenticated_at)
}

/// A text column read as bytes (binary strings and every collation decode alike).
fn text(row: &MySqlRow, index: usize) -> Result<Option<String>, sqlx::Error> {
    row.try_get::<Option<&[u8]>, _>(index)?
        .map(|bytes| {
            String::from_utf8(bytes.to_vec()).map_err(|e| sqlx::Error::Decode(Box::new(e)))
        })
        .transpose()
}

/// Decodes the [`INFO_COLUMNS`] of a row.
fn info_from_row(row: &MySqlRow) -> Result<SessionInfo, sqlx::Error> {
    Ok(SessionInfo {
        id: id_from_bytes(row.try_get::<&[u8], _>(0)?)?,
        user_id: text(row, 1)?,
        ip: ip_from_text(text(row, 2)?.as_deref()),
        user_agent: text(row, 3)?,
        client_hints: hints_from_text(text(row, 4)?.as_deref()),
        created_at: row.try_get(5)?,
        last_activity: row.try_get(6)?,
        expires_at: row.try_get(7)?,
        authenticated_at: row.try_get(8)?,
    })
}

/// Applies the pending migrations, holding a named lock so app servers starting together
/// take turns.
async fn migrate(conn: &mut MySqlConnection) -> Result<(), sqlx::Error> {
    let locked: Option<i64> =
        sqlx::query_scalar("SELECT GET_LOCK(CONCAT('user_sessions_migrate.', DATABASE()), 60)")
            .fetch_one(&mut *conn)
            .await?;
    if locked != Some(1) {
        return Err(sqlx::Error::PoolTimedOut);
    }
    let result = apply_migrations(conn).await;
    let released = sqlx::query("SELECT RELEASE_LOCK(CONCAT('user_sessions_migrate.', DATABASE()))")
        .execute(&mut *conn)
        .await;
    result.and(released.map(|_| ()))
}

async fn apply_migrations(conn: &mut MySqlConnection) -> Result<(), sqlx::Error> {
    conn.execute(schema::CREATE_MIGRATIONS_TABLE).await?;
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM user_sessions_migrations")
        .fetch_all(&mut *conn)
        .await?;
    for &(version, description, statements) in schema::MIGRATIONS {
        if applied.contains(&version) {
            continue;
        }
        for &statement in statements {
            conn.execute(statement).await?;
        }
        sqlx::query(
            "INSERT INTO user_sessions_migrations (version, description, applied_at) \
             VALUES (?, ?, UTC_TIMESTAMP(3))",
        )
        .bind(version)
        .bind(description)
        .execute(&mut *conn)
        .await?;
        tracing::info!(version, description, "applied session schema migration");
    }
    Ok(())
}

/// Inserts a session, or replaces an expired one with the same id, on one connection.
async fn create_on(
    conn: &mut MySqlConnection,
    statements: &Statements,
    session: &StoredSession,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    match bind_session(sqlx::query(&statements.create), session)
        .execute(&mut *conn)
        .await
    {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            let done = bind_session(sqlx::query(&statements.replace_expired), session)
                .bind(session.info.id.as_bytes().as_slice())
                .bind(now)
                .execute(&mut *conn)
                .await?;
            Ok(done.rows_affected() == 1)
        }
        Err(e) => Err(e),
    }
}

#[async_trait]
impl Backend for MysqlBackend {
    async fn migrate(&self) -> Result<()> {
        let mut conn = self.pool().acquire().await.map_err(map_sqlx_error)?;
        migrate(&mut conn).await.map_err(map_sqlx_error)
    }

    async fn pending_migrations(&self) -> Result<usize> {
        self.pool
            .run(|mut conn| async move {
                let exists: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM information_schema.tables \
                     WHERE table_schema = DATABASE() AND table_name = 'user_sessions_migrations'",
                )
                .fetch_one(&mut *conn)
                .await?;
                if exists == 0 {
                    return Ok(schema::MIGRATIONS.len());
                }
                let applied: Vec<i64> =
                    sqlx::query_scalar("SELECT version FROM user_sessions_migrations")
                        .fetch_all(&mut *conn)
                        .await?;
                Ok(schema::MIGRATIONS
                    .iter()
                    .filter(|(version, _, _)| !applied.contains(version))
                    .count())
            })
            .await
    }

    async fn create(&self, session: &StoredSession, now: OffsetDateTime) -> Result<bool> {
        let statements = &self.statements;
        self.pool
            .run(|mut conn| async move { create_on(&mut conn, statements, session, now).await })
            .await
    }

    async fn create_many(&self, sessions: &[StoredSession], now: OffsetDateTime) -> Result<u64> {
        if sessions.is_empty() {
            return Ok(0);
        }
        let mut conn = self.pool().acquire().await.map_err(map_sqlx_error)?;
        conn.execute("START TRANSACTION")
            .await
            .map_err(map_sqlx_error)?;
        let mut created = 0;
        for session in sessions {
            // A duplicate key error rolls back only its statement, not the transaction.
            match create_on(&mut conn, &self.statements, session, now).await {
                Ok(written) => created += u64::from(written),
                Err(error) => {
                    conn.execute("ROLLBACK").await.ok();
                    return Err(map_sqlx_error(error));
                }
            }
        }
        conn.execute("COMMIT").await.map_err(map_sqlx_error)?;
        Ok(created)
    }

    async fn get(&self, id: &PublicId) -> Result<Option<StoredSession>> {
        let sql = self.statements.get.as_str();
        let id = id.as_bytes().as_slice();
        self.pool
            .run(|mut conn| async move {
                let Some(row) = sqlx::query(sql).bind(id).fetch_optional(&mut *conn).await? else {
                    return Ok(None);
                };
                Ok(Some(StoredSession {
                    info: info_from_row(&row)?,
                    data: row.try_get(9)?,
                }))
            })
            .await
    }

    async fn save(&self, session: &StoredSession) -> Result<()> {
        let sql = self.statements.save.as_str();
        self.pool
            .run(|mut conn| async move {
                bind_session(sqlx::query(sql), session)
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            })
            .await
    }

    async fn update(&self, session: &StoredSession) -> Result<bool> {
        let sql = self.statements.update.as_str();
        self.pool
            .run(|mut conn| async move {
                let done = bind_columns(sqlx::query(sql), session)
                    .bind(session.info.id.as_bytes().as_slice())
                    .execute(&mut *conn)
                    .await?;
                Ok(done.rows_affected() > 0)
            })
            .await
    }

    async fn touch(&self, id: &PublicId, touch: &Touch, now: OffsetDateTime) -> Result<bool> {
        let sql = self.statements.touch.as_str();
        self.pool
            .run(|mut conn| async move {
                let done = sqlx::query(sql)
                    .bind(touch.ip.map(|ip| ip.to_string()))
                    .bind(touch.user_agent.as_deref())
                    .bind(hints_to_text(&touch.client_hints))
                    .bind(touch.last_activity)
                    .bind(id.as_bytes().as_slice())
                    .bind(now)
                    .execute(&mut *conn)
                    .await?;
                Ok(done.rows_affected() > 0)
            })
            .await
    }

    async fn delete(&self, id: &PublicId) -> Result<bool> {
        let sql = self.statements.delete.as_str();
        let id = id.as_bytes().as_slice();
        self.pool
            .run(|mut conn| async move {
                let done = sqlx::query(sql).bind(id).execute(&mut *conn).await?;
                Ok(done.rows_affected() > 0)
            })
            .await
    }

    async fn delete_many(&self, ids: &[PublicId]) -> Result<u64> {
        let mut deleted = 0;
        for chunk in ids.chunks(DELETE_CHUNK) {
            let sql = format!(
                "DELETE FROM {TABLE} WHERE id IN ({})",
                vec!["?"; chunk.len()].join(", ")
            );
            let sql = sql.as_str();
            deleted += self
                .pool
                .run(|mut conn| async move {
                    let query = chunk
                        .iter()
                        .fold(sqlx::query(sql), |q, id| q.bind(id.as_bytes().as_slice()));
                    Ok(query.execute(&mut *conn).await?.rows_affected())
                })
                .await?;
        }
        Ok(deleted)
    }

    async fn user_sessions(&self, user_id: &str, now: OffsetDateTime) -> Result<Vec<SessionInfo>> {
        let sql = self.statements.user_sessions.as_str();
        self.pool
            .run(|mut conn| async move {
                let rows = sqlx::query(sql)
                    .bind(user_id)
                    .bind(now)
                    .fetch_all(&mut *conn)
                    .await?;
                rows.iter().map(info_from_row).collect()
            })
            .await
    }

    async fn delete_user_session(&self, user_id: &str, id: &PublicId) -> Result<bool> {
        let sql = self.statements.delete_user_session.as_str();
        let id = id.as_bytes().as_slice();
        self.pool
            .run(|mut conn| async move {
                let done = sqlx::query(sql)
                    .bind(id)
                    .bind(user_id)
                    .execute(&mut *conn)
                    .await?;
                Ok(done.rows_affected() > 0)
            })
            .await
    }

    async fn delete_user_sessions(&self, user_id: &str, keep: Option<&PublicId>) -> Result<u64> {
        let sql = self.statements.delete_user_sessions.as_str();
        // An id no session can have (ids are 32 bytes) when nothing is kept.
        let keep: &[u8] = keep.map_or(&[], |id| id.as_bytes().as_slice());
        self.pool
            .run(|mut conn| async move {
                let done = sqlx::query(sql)
                    .bind(user_id)
                    .bind(keep)
                    .execute(&mut *conn)
                    .await?;
                Ok(done.rows_affected())
            })
            .await
    }

    async fn count(&self, filter: &Filter, now: OffsetDateTime) -> Result<u64> {
        let w = filter_where(filter, None, now, Dialect::Mysql);
        let sql = format!("SELECT COUNT(*) FROM {TABLE} WHERE {}", w.text());
        let (sql, params) = (sql.as_str(), &w.params);
        self.pool
            .run(|mut conn| async move {
                let query = params.iter().fold(sqlx::query(sql), bind_param);
                let n: i64 = query.fetch_one(&mut *conn).await?.try_get(0)?;
                Ok(n as u64)
            })
            .await
    }

    async fn purge_expired(&self, now: OffsetDateTime, limit: u32) -> Result<u64> {
        let sql = self.statements.purge_expired.as_str();
        self.pool
            .run(|mut conn| async move {
                let done = sqlx::query(sql)
                    .bind(now)
                    .bind(limit)
                    .execute(&mut *conn)
                    .await?;
                Ok(done.rows_affected())
            })
            .await
    }

    async fn list(&self, filter: &Filter, page: &PageRequest, now: OffsetDateTime) -> Result<Page> {
        let w = filter_where(filter, Some(page), now, Dialect::Mysql);
        let sql = format!(
            "SELECT {INFO_COLUMNS} FROM {TABLE} WHERE {} {}",
            w.text(),
            list_tail(page)
        );
        let (sql, params) = (sql.as_str(), &w.params);
        let sessions = self
            .pool
            .run(|mut conn| async move {
                let query = params.iter().fold(sqlx::query(sql), bind_param);
                let rows = query.fetch_all(&mut *conn).await?;
                rows.iter()
                    .map(info_from_row)
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?;
        Ok(into_page(sessions, page))
    }

    async fn stats(&self, now: OffsetDateTime) -> Result<Stats> {
        let sql = self.statements.stats.as_str();
        let binds = self.statements.stats_now_binds;
        self.pool
            .run(|mut conn| async move {
                let query = (0..binds).fold(sqlx::query(sql), |q, _| q.bind(now));
                let row = query.fetch_one(&mut *conn).await?;
                Ok(Stats {
                    active: row.try_get::<i64, _>(0)? as u64,
                    expired: row.try_get::<i64, _>(1)? as u64,
                    users: row.try_get::<i64, _>(2)? as u64,
                    oldest: row.try_get(3)?,
                    newest: row.try_get(4)?,
                })
            })
            .await
    }
}
