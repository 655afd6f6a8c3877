//! The server SQL backends — PostgreSQL and MySQL / MariaDB — as one generic backend over sqlx.
//!
//! Long because it is the whole `Backend` implementation shared by PostgreSQL and MySQL (written
//! once for both), a method per operation; the pool is a module of its own.
//!
//! [`SqlxBackend`] runs the statements of the shared SQL module on a sqlx pool; what differs
//! between the databases (placeholders and upserts in the statement text, migrations, how text
//! columns decode) lives in a small [`SqlxDialect`] implemented by
//! [`postgres`](crate::postgres) and [`mysql`](crate::mysql). Applications name the concrete
//! types: [`PostgresBackend`](crate::postgres::PostgresBackend) and
//! [`MysqlBackend`](crate::mysql::MysqlBackend).

mod pool;

use std::time::Duration;

use async_trait::async_trait;
use sqlx::pool::PoolOptions;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Row, Type};
use time::OffsetDateTime;

use pool::ServerPool;
pub(crate) use pool::map_sqlx_error;

use crate::backend::{Backend, Purged, StoredSession, Touch};
use crate::sql::{
    Dialect, INFO_COLUMNS, Param, Statements, TABLE, UserLock, filter_where, into_page, list_tail,
};
use crate::{
    Filter, KnownDevice, Page, PageRequest, PublicId, Result, SessionInfo, SessionLimit,
    SignInOutcome, SignInWrite, Stats,
};

/// Sessions in a table of a server database, through connections from a sqlx pool that the
/// backend keeps between operations: one statement, one round trip per operation.
///
/// When the server is unreachable, operations fail with
/// [`Error::Unavailable`](crate::Error::Unavailable) after at most the pool's acquire timeout;
/// connections the server dropped are detected and replaced, so the backend recovers by itself
/// when the server is back.
#[derive(Debug)]
pub struct SqlxBackend<DB: SqlxDialect> {
    pool: ServerPool<DB>,
    statements: Statements,
    /// The schema `migrate` creates (PostgreSQL only).
    schema: Option<String>,
    /// How the table is laid out (PostgreSQL has two layouts, MySQL one).
    pub(crate) layout: DB::Layout,
}

impl<DB: SqlxDialect> SqlxBackend<DB> {
    /// The sqlx pool the backend takes its connections from (for queries of your own). The
    /// backend keeps the connections it took between its operations: at most the pool's
    /// `max_connections` in use, and idle ones closed, as operations run, once they have been
    /// idle longer than the pool's idle timeout or open longer than its max lifetime.
    pub fn pool(&self) -> &sqlx::Pool<DB> {
        self.pool.inner()
    }
}

impl<DB: SqlxDialect> SqlxBackend<DB> {
    /// Uses a pool made elsewhere, for a table in `layout`.
    pub(crate) fn with_pool(
        pool: sqlx::Pool<DB>,
        schema: Option<String>,
        layout: DB::Layout,
    ) -> Self {
        SqlxBackend {
            pool: ServerPool::new(pool),
            statements: DB::statements(layout),
            schema,
            layout,
        }
    }

    /// Opens a pool of at most `max_connections` that waits at most `acquire_timeout` for a
    /// connection, and tests connections only after trouble (see [`ServerPool`]).
    pub(crate) async fn connect(
        connect: <DB::Connection as sqlx::Connection>::Options,
        max_connections: u32,
        acquire_timeout: Duration,
        schema: Option<String>,
        layout: DB::Layout,
    ) -> Result<Self> {
        let pool = PoolOptions::<DB>::new()
            .max_connections(max_connections.max(1))
            .min_connections(0)
            .acquire_timeout(acquire_timeout)
            .test_before_acquire(false)
            .connect_with(connect.clone())
            .await;
        let pool = match pool {
            Ok(pool) => pool,
            // The pool retries refused connections until its timeout and then only says that
            // it timed out; one direct attempt tells why ("Connection refused", a wrong
            // password, an unknown database).
            Err(sqlx::Error::PoolTimedOut) => {
                use sqlx::Connection as _;
                let attempt = tokio::time::timeout(
                    acquire_timeout,
                    <DB::Connection as sqlx::Connection>::connect_with(&connect),
                )
                .await;
                return Err(map_sqlx_error(match attempt {
                    Ok(Err(reason)) => reason,
                    Ok(Ok(connection)) => {
                        let _ = connection.close().await;
                        sqlx::Error::PoolTimedOut
                    }
                    Err(_) => sqlx::Error::PoolTimedOut,
                }));
            }
            Err(error) => return Err(map_sqlx_error(error)),
        };
        Ok(Self::with_pool(pool, schema, layout))
    }
}

/// What differs between the databases [`SqlxBackend`] runs on. Implemented for
/// [`sqlx::Postgres`] and [`sqlx::MySql`] (behind their features) and nothing else: its parts
/// are private to this crate.
pub trait SqlxDialect: Database + parts::DialectParts {}

impl<DB: Database + parts::DialectParts> SqlxDialect for DB {}

/// The parts of [`SqlxDialect`], out of reach of other crates.
pub(crate) mod parts {
    use async_trait::async_trait;

    use crate::sql::{Dialect, Statements};

    /// See [`SqlxDialect`](super::SqlxDialect).
    #[async_trait]
    pub trait DialectParts: sqlx::Database {
        /// How the shared statements are rendered for this database.
        const DIALECT: Dialect;

        /// The ways a table can be laid out (`()` where there is one).
        type Layout: Copy + std::fmt::Debug + Send + Sync + 'static;

        /// Returns 1 when the migrations table exists, 0 when not (as a 64-bit integer).
        const MIGRATIONS_TABLE_EXISTS: &'static str;

        /// The statements for a table in `layout`.
        fn statements(layout: Self::Layout) -> Statements {
            let _ = layout;
            Statements::new(Self::DIALECT)
        }

        /// The versions of the migrations this crate ships for `layout`.
        fn migration_versions(layout: Self::Layout) -> Vec<i64>;

        /// Applies the pending migrations of `layout`, taking turns with concurrent callers.
        async fn migrate(
            conn: &mut Self::Connection,
            schema: Option<&str>,
            layout: Self::Layout,
        ) -> Result<(), sqlx::Error>;

        /// Reads a text column (`NULL` as `None`).
        fn text(row: &Self::Row, index: usize) -> Result<Option<String>, sqlx::Error>;

        /// How many rows a statement wrote.
        fn rows_affected(done: &Self::QueryResult) -> u64;
    }
}

/// Client hints as stored in a text column: JSON, or `NULL` when none were sent.
fn hints_to_text(hints: &Option<crate::ClientHints>) -> Option<String> {
    hints
        .as_ref()
        .filter(|h| !h.is_empty())
        .and_then(|h| serde_json::to_string(h).ok())
}

/// The inverse of [`hints_to_text`]; malformed text reads as no hints.
fn hints_from_text(text: Option<&str>) -> Option<crate::ClientHints> {
    text.and_then(|h| serde_json::from_str(h).ok())
}

/// An IP address column; malformed text reads as no address.
fn ip_from_text(text: Option<&str>) -> Option<std::net::IpAddr> {
    text.and_then(|ip| ip.parse().ok())
}

/// A 32-byte id column as a [`PublicId`].
/// The `id`, `user_id` rows of a purge.
fn purged_sessions<DB>(rows: Vec<DB::Row>) -> Result<Vec<(PublicId, Option<String>)>, sqlx::Error>
where
    DB: SqlxDialect,
    usize: ColumnIndex<DB::Row>,
    for<'r> &'r [u8]: Decode<'r, DB> + Type<DB>,
{
    rows.iter()
        .map(|row| {
            Ok((
                id_from_bytes(row.try_get::<&[u8], _>(0)?)?,
                DB::text(row, 1)?,
            ))
        })
        .collect()
}

fn id_from_bytes(bytes: &[u8]) -> Result<PublicId, sqlx::Error> {
    PublicId::from_slice(bytes)
        .ok_or_else(|| sqlx::Error::Decode("session id is not 32 bytes".into()))
}

type SqlxQuery<'q, DB> = sqlx::query::Query<'q, DB, <DB as Database>::Arguments<'q>>;

/// Binds a filter parameter.
fn bind_param<'q, DB>(query: SqlxQuery<'q, DB>, param: &'q Param) -> SqlxQuery<'q, DB>
where
    DB: Database,
    &'q str: Encode<'q, DB> + Type<DB>,
    &'q [u8]: Encode<'q, DB> + Type<DB>,
    OffsetDateTime: Encode<'q, DB> + Type<DB>,
{
    match param {
        Param::Text(text) => query.bind(text.as_str()),
        Param::Time(time) => query.bind(*time),
        Param::Id(id) => query.bind(id.as_bytes().as_slice()),
    }
}

/// Binds the [`WRITE_COLUMNS`](crate::sql::WRITE_COLUMNS) of a session.
fn bind_session<'q, DB>(query: SqlxQuery<'q, DB>, session: &'q StoredSession) -> SqlxQuery<'q, DB>
where
    DB: Database,
    &'q [u8]: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
    Option<String>: Encode<'q, DB> + Type<DB>,
    OffsetDateTime: Encode<'q, DB> + Type<DB>,
    Option<OffsetDateTime>: Encode<'q, DB> + Type<DB>,
{
    bind_columns(query.bind(session.info.id.as_bytes().as_slice()), session)
}

/// Binds the write columns after `id` (an update binds the id last).
fn bind_columns<'q, DB>(query: SqlxQuery<'q, DB>, session: &'q StoredSession) -> SqlxQuery<'q, DB>
where
    DB: Database,
    &'q [u8]: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
    Option<String>: Encode<'q, DB> + Type<DB>,
    OffsetDateTime: Encode<'q, DB> + Type<DB>,
    Option<OffsetDateTime>: Encode<'q, DB> + Type<DB>,
{
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

/// Decodes the [`INFO_COLUMNS`] of a row.
fn info_from_row<DB>(row: &DB::Row) -> Result<SessionInfo, sqlx::Error>
where
    DB: SqlxDialect,
    usize: ColumnIndex<DB::Row>,
    for<'r> &'r [u8]: Decode<'r, DB> + Type<DB>,
    for<'r> OffsetDateTime: Decode<'r, DB> + Type<DB>,
    for<'r> Option<OffsetDateTime>: Decode<'r, DB> + Type<DB>,
{
    let text = |index| DB::text(row, index);
    Ok(SessionInfo {
        id: id_from_bytes(row.try_get::<&[u8], _>(0)?)?,
        user_id: text(1)?,
        ip: ip_from_text(text(2)?.as_deref()),
        user_agent: text(3)?,
        client_hints: hints_from_text(text(4)?.as_deref()),
        created_at: row.try_get(5)?,
        last_activity: row.try_get(6)?,
        expires_at: row.try_get(7)?,
        authenticated_at: row.try_get(8)?,
    })
}

/// Inserts a session, or replaces an expired one with the same id, on one connection. Where
/// the create statement is an upsert bounded by expiry (PostgreSQL) it binds `now` and decides
/// alone; where it is a plain insert (MySQL) a duplicate key runs `replace_expired`.
async fn create_on<DB>(
    conn: &mut DB::Connection,
    statements: &Statements,
    session: &StoredSession,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error>
where
    DB: SqlxDialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q [u8]: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> OffsetDateTime: Encode<'q, DB> + Type<DB>,
    for<'q> Option<OffsetDateTime>: Encode<'q, DB> + Type<DB>,
    for<'r> bool: Decode<'r, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
    let mut create = bind_session(sqlx::query(&statements.create), session);
    if statements.create_binds_now {
        create = create.bind(now);
    }
    if statements.create_returns_written {
        return create.fetch_one(&mut *conn).await?.try_get(0);
    }
    match create.execute(&mut *conn).await {
        Ok(done) => Ok(DB::rows_affected(&done) == 1),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            let done = bind_session(sqlx::query(&statements.replace_expired), session)
                .bind(session.info.id.as_bytes().as_slice())
                .bind(now)
                .execute(&mut *conn)
                .await?;
            Ok(DB::rows_affected(&done) == 1)
        }
        Err(e) => Err(e),
    }
}

/// Applies the session limit and writes a signing-in session, in one transaction on `conn`
/// that first takes the user's lock (PostgreSQL; MySQL's caller holds it already), so that the
/// user's other sign-ins wait until this one committed and then see its session.
#[allow(clippy::too_many_arguments)]
async fn sign_in_on<DB>(
    conn: &mut DB::Connection,
    statements: &Statements,
    session: &StoredSession,
    user_id: &str,
    lock: UserLock,
    write: SignInWrite,
    limit: SessionLimit,
    now: OffsetDateTime,
) -> Result<SignInOutcome, sqlx::Error>
where
    DB: SqlxDialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    usize: ColumnIndex<DB::Row>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> &'q [u8]: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> OffsetDateTime: Encode<'q, DB> + Type<DB>,
    for<'q> Option<OffsetDateTime>: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'r> bool: Decode<'r, DB> + Type<DB>,
{
    use sqlx::Connection as _;
    let mut tx = conn.begin().await?;
    if DB::DIALECT == Dialect::Postgres {
        sqlx::query(&statements.lock_user)
            .bind(lock.key())
            .execute(&mut *tx)
            .await?;
    }
    let others = sqlx::query(&statements.limit_others)
        .bind(user_id)
        .bind(now)
        .bind(session.info.id.as_bytes().as_slice())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| id_from_bytes(row.try_get::<&[u8], _>(0)?))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let Some(to_end) = limit.to_end(&others) else {
        return Ok(SignInOutcome::Refused);
    };
    for id in to_end {
        sqlx::query(&statements.delete)
            .bind(id.as_bytes().as_slice())
            .execute(&mut *tx)
            .await?;
    }
    let written = match write {
        SignInWrite::Create => create_on(&mut *tx, statements, session, now).await?,
        SignInWrite::Update => {
            let done = bind_columns(sqlx::query(&statements.update), session)
                .bind(session.info.id.as_bytes().as_slice())
                .execute(&mut *tx)
                .await?;
            DB::rows_affected(&done) > 0
        }
    };
    if !written {
        // Nothing ends for a sign-in that did not happen.
        tx.rollback().await?;
        return Ok(SignInOutcome::NotWritten);
    }
    tx.commit().await?;
    Ok(SignInOutcome::Written {
        ended: to_end.to_vec(),
    })
}

/// How long a MySQL sign-in waits for another sign-in of the same user, at most.
const MYSQL_LOCK_TIMEOUT_SECONDS: i64 = 10;

/// How many ids one `DELETE … IN (…)` names.
const DELETE_CHUNK: usize = 500;

#[async_trait]
impl<DB> Backend for SqlxBackend<DB>
where
    DB: SqlxDialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    usize: ColumnIndex<DB::Row>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> &'q [u8]: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> OffsetDateTime: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<OffsetDateTime>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> bool: Decode<'q, DB> + Type<DB>,
{
    async fn migrate(&self) -> Result<()> {
        let mut conn = self.pool().acquire().await.map_err(map_sqlx_error)?;
        DB::migrate(&mut conn, self.schema.as_deref(), self.layout)
            .await
            .map_err(map_sqlx_error)
    }

    async fn pending_migrations(&self) -> Result<usize> {
        let layout = self.layout;
        self.pool
            .run(|mut conn| async move {
                let exists: i64 = sqlx::query(DB::MIGRATIONS_TABLE_EXISTS)
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?;
                let versions = DB::migration_versions(layout);
                if exists == 0 {
                    return Ok(versions.len());
                }
                let applied = sqlx::query("SELECT version FROM user_sessions_migrations")
                    .fetch_all(&mut *conn)
                    .await?
                    .iter()
                    .map(|row| row.try_get::<i64, _>(0))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(versions.iter().filter(|v| !applied.contains(v)).count())
            })
            .await
    }

    async fn create(&self, session: &StoredSession, now: OffsetDateTime) -> Result<bool> {
        let statements = &self.statements;
        self.pool
            .run(|mut conn| async move { create_on(&mut *conn, statements, session, now).await })
            .await
    }

    async fn create_many(&self, sessions: &[StoredSession], now: OffsetDateTime) -> Result<u64> {
        if sessions.is_empty() {
            return Ok(0);
        }
        let mut tx = self.pool().begin().await.map_err(map_sqlx_error)?;
        let mut created = 0;
        for session in sessions {
            // On MySQL a duplicate key error rolls back only its statement, not the transaction.
            let written = create_on(&mut *tx, &self.statements, session, now)
                .await
                .map_err(map_sqlx_error)?;
            created += u64::from(written);
        }
        tx.commit().await.map_err(map_sqlx_error)?;
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
                    info: info_from_row::<DB>(&row)?,
                    data: row.try_get::<&[u8], _>(9)?.to_vec(),
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
                Ok(DB::rows_affected(&done) > 0)
            })
            .await
    }

    async fn sign_in(
        &self,
        session: &StoredSession,
        write: SignInWrite,
        limit: SessionLimit,
        now: OffsetDateTime,
    ) -> Result<SignInOutcome> {
        let Some(user_id) = session.info.user_id.as_deref() else {
            let written = match write {
                SignInWrite::Create => self.create(session, now).await?,
                SignInWrite::Update => self.update(session).await?,
            };
            return Ok(if written {
                SignInOutcome::Written { ended: Vec::new() }
            } else {
                SignInOutcome::NotWritten
            });
        };
        let statements = &self.statements;
        let lock = UserLock::of(user_id);
        let name = lock.name();
        let mut conn = self.pool.acquire().await.map_err(map_sqlx_error)?;
        if DB::DIALECT != Dialect::Mysql {
            let outcome = sign_in_on::<DB>(
                &mut conn, statements, session, user_id, lock, write, limit, now,
            )
            .await
            .map_err(map_sqlx_error)?;
            self.pool.release(conn).await;
            return Ok(outcome);
        }
        // MySQL's named lock belongs to the connection, not the transaction: released after
        // it, whatever happened; a connection that cannot release it is closed (which does).
        let taken: Option<i64> = sqlx::query(&statements.lock_user)
            .bind(name.as_str())
            .bind(MYSQL_LOCK_TIMEOUT_SECONDS)
            .fetch_one(&mut *conn)
            .await
            .and_then(|row| row.try_get(0))
            .map_err(map_sqlx_error)?;
        if taken != Some(1) {
            return Err(crate::Error::Unavailable(
                "another sign-in of the same user held its lock too long".into(),
            ));
        }
        let outcome = sign_in_on::<DB>(
            &mut conn, statements, session, user_id, lock, write, limit, now,
        )
        .await;
        let released = sqlx::query(&statements.unlock_user)
            .bind(name.as_str())
            .execute(&mut *conn)
            .await;
        // A connection that could not release its lock is closed (which does), not reused.
        let outcome = outcome.map_err(map_sqlx_error)?;
        if released.is_ok() {
            self.pool.release(conn).await;
        }
        Ok(outcome)
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
                Ok(DB::rows_affected(&done) > 0)
            })
            .await
    }

    async fn delete(&self, id: &PublicId) -> Result<bool> {
        let sql = self.statements.delete.as_str();
        let id = id.as_bytes().as_slice();
        self.pool
            .run(|mut conn| async move {
                let done = sqlx::query(sql).bind(id).execute(&mut *conn).await?;
                Ok(DB::rows_affected(&done) > 0)
            })
            .await
    }

    async fn delete_many(&self, ids: &[PublicId]) -> Result<u64> {
        let mut deleted = 0;
        for chunk in ids.chunks(DELETE_CHUNK) {
            let sql = format!(
                "DELETE FROM {TABLE} WHERE id IN ({})",
                DB::DIALECT.placeholder_list(1, chunk.len())
            );
            let sql = sql.as_str();
            deleted += self
                .pool
                .run(|mut conn| async move {
                    let query = chunk
                        .iter()
                        .fold(sqlx::query(sql), |q, id| q.bind(id.as_bytes().as_slice()));
                    Ok(DB::rows_affected(&query.execute(&mut *conn).await?))
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
                rows.iter().map(info_from_row::<DB>).collect()
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
                Ok(DB::rows_affected(&done) > 0)
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
                Ok(DB::rows_affected(&done))
            })
            .await
    }

    async fn count(&self, filter: &Filter, now: OffsetDateTime) -> Result<u64> {
        let w = filter_where(filter, None, now, DB::DIALECT);
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

    async fn purge_expired(&self, now: OffsetDateTime, limit: u32) -> Result<Purged> {
        let statements = &self.statements;
        self.pool
            .run(|mut conn| async move {
                let mut unread = 0;
                if !statements.purge_partitions.is_empty() {
                    let dropped: i64 = sqlx::query(&statements.purge_partitions)
                        .bind(now)
                        .fetch_one(&mut *conn)
                        .await?
                        .try_get(0)?;
                    unread = u64::try_from(dropped).unwrap_or_default();
                }
                let limit = i64::from(limit);
                let sessions = if statements.purge_locked.is_empty() {
                    purged_sessions::<DB>(
                        sqlx::query(&statements.purge_expired)
                            .bind(now)
                            .bind(limit)
                            .fetch_all(&mut *conn)
                            .await?,
                    )?
                } else {
                    use sqlx::Connection as _;
                    let mut tx = conn.begin().await?;
                    let sessions = purged_sessions::<DB>(
                        sqlx::query(&statements.purge_expired)
                            .bind(now)
                            .bind(limit)
                            .fetch_all(&mut *tx)
                            .await?,
                    )?;
                    sqlx::query(&statements.purge_locked)
                        .bind(now)
                        .bind(limit)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    sessions
                };
                Ok(Purged { sessions, unread })
            })
            .await
    }

    async fn list(&self, filter: &Filter, page: &PageRequest, now: OffsetDateTime) -> Result<Page> {
        let w = filter_where(filter, Some(page), now, DB::DIALECT);
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
                    .map(info_from_row::<DB>)
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?;
        Ok(into_page(sessions, page))
    }

    async fn remember_device(
        &self,
        user_id: &str,
        device: &KnownDevice,
        forget_before: OffsetDateTime,
    ) -> Result<()> {
        let statements = &self.statements;
        self.pool
            .run(|mut conn| async move {
                sqlx::query(&statements.remember_device)
                    .bind(user_id)
                    .bind(device.device.as_str())
                    .bind(device.network.as_str())
                    .bind(device.last_used)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(&statements.trim_devices)
                    .bind(user_id)
                    .bind(forget_before)
                    .bind(user_id)
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            })
            .await
    }

    async fn known_devices(
        &self,
        user_id: &str,
        since: OffsetDateTime,
    ) -> Result<Vec<KnownDevice>> {
        let sql = self.statements.known_devices.as_str();
        self.pool
            .run(|mut conn| async move {
                let rows = sqlx::query(sql)
                    .bind(user_id)
                    .bind(since)
                    .fetch_all(&mut *conn)
                    .await?;
                rows.iter()
                    .map(|row| {
                        Ok(KnownDevice {
                            device: DB::text(row, 0)?.unwrap_or_default(),
                            network: DB::text(row, 1)?.unwrap_or_default(),
                            last_used: row.try_get(2)?,
                        })
                    })
                    .collect()
            })
            .await
    }

    async fn forget_user_devices(&self, user_id: &str) -> Result<u64> {
        let sql = self.statements.forget_user_devices.as_str();
        self.pool
            .run(|mut conn| async move {
                let done = sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
                Ok(DB::rows_affected(&done))
            })
            .await
    }

    async fn forget_devices(&self, before: OffsetDateTime, limit: u32) -> Result<u64> {
        let sql = self.statements.forget_devices.as_str();
        self.pool
            .run(|mut conn| async move {
                let done = sqlx::query(sql)
                    .bind(before)
                    .bind(i64::from(limit))
                    .execute(&mut *conn)
                    .await?;
                Ok(DB::rows_affected(&done))
            })
            .await
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
