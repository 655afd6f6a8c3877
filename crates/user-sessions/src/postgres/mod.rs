//! The PostgreSQL backend: one table shared by every app server, through a sqlx pool.
//!
//! Ids are `BYTEA`, times `TIMESTAMPTZ` (UTC, millisecond precision), the user id text. Every
//! load and every save is one statement, one round trip (a save is an
//! `INSERT … ON CONFLICT … DO UPDATE`; a create only replaces a row that has expired).
//!
//! The expiry is not indexed itself: an `expiry_mark` column is, which a save moves only when
//! the expiry moved by more than a minute. A save that changes data and pushes a rolling expiry
//! (and keeps last activity, which the axum store keeps to the minute) then changes no indexed
//! column, so PostgreSQL can make it a HOT update — no index entry written — on pages with room
//! (the table's fill factor is 85). Purges and counts select through the mark and check the
//! expiry, so they stay exact.
//!
//! An optional [partitioned layout](Layout::Partitioned) splits the table by day of expiry, so
//! that purging drops whole partitions: `?layout=partitioned` in the URL (or
//! [`PostgresOptions::layout`]), then `migrate`.
//!
//! When the server is unreachable, operations fail with [`Error::Unavailable`] after at most
//! [`PostgresOptions::acquire_timeout`]; connections the server dropped are detected and
//! replaced, so the backend recovers by itself when the server is back.
//!
//! ```no_run
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
//! use user_sessions::{Store, postgres::{PostgresBackend, PostgresOptions}};
//!
//! // Or simply `Store::open("postgres://app@db/app")`.
//! let options = PostgresOptions { schema: Some("sessions".into()), ..PostgresOptions::default() };
//! let store = Store::new(PostgresBackend::open_with("postgres://app@db/app", options).await?);
//! store.migrate().await?; // once, at deploy time
//! # Ok(()) }
//! ```

mod partitioned;
mod schema;

/// The sqlx version this backend is built on, for [`from_pool`](PostgresBackend::from_pool) and for running
/// your own statements on [`pool`](PostgresBackend::pool).
#[doc(no_inline)]
pub use sqlx;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::query::Query;
use sqlx::{Connection, Executor, PgConnection, PgPool, Postgres, Row};
use time::OffsetDateTime;

use crate::backend::{Backend, StoredSession, Touch};
use crate::sql::{
    Dialect, Param, ServerPool, Statements, TABLE, filter_where, hints_from_text, hints_to_text,
    id_from_bytes, into_page, ip_from_text, list_tail, map_sqlx_error,
};
use crate::{Error, Filter, Page, PageRequest, PublicId, Result, SessionInfo, Stats};

/// Settings of the PostgreSQL backend.
///
/// ```
/// use user_sessions::postgres::PostgresOptions;
/// let options = PostgresOptions { max_connections: 20, ..PostgresOptions::default() };
/// assert_eq!(options.acquire_timeout, std::time::Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostgresOptions {
    /// Connections in the pool at most (default 10).
    pub max_connections: u32,
    /// How long an operation waits for a connection before failing with
    /// [`Error::Unavailable`] — the longest a request waits when the server is down (default 5 s).
    pub acquire_timeout: Duration,
    /// The schema holding the tables (lower-case letters, digits and `_`); `None` uses the
    /// connection's `search_path` (normally `public`). `migrate` creates it if needed.
    pub schema: Option<String>,
    /// How the table is laid out (default [`Layout::Plain`]); a `layout` parameter in the URL
    /// (`?layout=partitioned`) wins. Every app server and the CLI must use the same one.
    pub layout: Layout,
}

/// How the sessions table is laid out. Both pass the same conformance suite.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// One table with a unique index on the id (the default): one index probe per load.
    #[default]
    Plain,
    /// One partition per UTC day of expiry (31 days ahead, plus a default partition for later
    /// expiries), which the purge creates ahead and drops once their day has passed, instead of
    /// deleting a day's sessions row by row. Saves and creates are SQL functions that lock the
    /// id (PostgreSQL has no unique index across partitions); a load probes every partition's
    /// id index. Expired sessions of the current day are still deleted row by row. Run the purge
    /// (e.g. [`Store::spawn_purge_task`](crate::Store::spawn_purge_task)) at least daily; see
    /// `docs/scaling.md` for measurements.
    Partitioned,
}

impl Layout {
    /// Reads a `layout` URL parameter's value.
    fn from_param(value: &str) -> Option<Self> {
        match value {
            "plain" => Some(Layout::Plain),
            "partitioned" => Some(Layout::Partitioned),
            _ => None,
        }
    }

    /// This layout's migrations.
    fn migrations(self) -> &'static [(i64, &'static str, &'static str)] {
        match self {
            Layout::Plain => schema::MIGRATIONS,
            Layout::Partitioned => partitioned::MIGRATIONS,
        }
    }
}

/// Splits our own `layout` query parameter off a URL (sqlx does not know it).
fn split_layout(url: &str) -> Result<(String, Option<Layout>)> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_owned(), None));
    };
    let mut layout = None;
    let mut rest = Vec::new();
    for pair in query.split('&') {
        match pair.strip_prefix("layout=") {
            Some(value) => {
                layout = Some(Layout::from_param(value).ok_or_else(|| {
                    Error::Backend(format!(
                        "unknown PostgreSQL layout `{value}`: use plain or partitioned"
                    ))
                })?);
            }
            None if !pair.is_empty() => rest.push(pair),
            None => {}
        }
    }
    let url = if rest.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    Ok((url, layout))
}

impl Default for PostgresOptions {
    fn default() -> Self {
        PostgresOptions {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
            schema: None,
            layout: Layout::Plain,
        }
    }
}

/// Sessions in a PostgreSQL table.
#[derive(Debug)]
pub struct PostgresBackend {
    pool: ServerPool<Postgres>,
    statements: Statements,
    schema: Option<String>,
    layout: Layout,
}

impl PostgresBackend {
    /// Connects to the database a `postgres://` (or `postgresql://`) URL names. Fails with
    /// [`Error::Unavailable`] if no connection can be made within the acquire timeout.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, PostgresOptions::default()).await
    }

    /// Like [`open`](Self::open), with settings.
    pub async fn open_with(url: &str, mut options: PostgresOptions) -> Result<Self> {
        let (server_url, layout) = split_layout(url)?;
        if let Some(layout) = layout {
            options.layout = layout;
        }
        let mut connect =
            PgConnectOptions::from_str(&server_url).map_err(|_| Error::Url(url.to_owned()))?;
        if let Some(schema) = &options.schema {
            check_schema_name(schema)?;
            // Sent in the start-up message: no extra round trip per connection.
            connect = connect.options([("search_path", schema.as_str())]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .min_connections(0)
            .acquire_timeout(options.acquire_timeout)
            // The pool tests connections itself, only after trouble (see `ServerPool`).
            .test_before_acquire(false)
            .connect_with(connect)
            .await
            .map_err(map_sqlx_error)?;
        Ok(Self::with_pool(pool, options.schema, options.layout))
    }

    /// Uses an existing pool (its connections' `search_path` decides the schema), with the
    /// plain layout. Set an acquire timeout on it: it bounds how long requests wait when the
    /// server is down.
    pub fn from_pool(pool: PgPool) -> Self {
        Self::with_pool(pool, None, Layout::Plain)
    }

    /// Like [`from_pool`](Self::from_pool), for a table in the given layout.
    pub fn from_pool_with_layout(pool: PgPool, layout: Layout) -> Self {
        Self::with_pool(pool, None, layout)
    }

    fn with_pool(pool: PgPool, schema: Option<String>, layout: Layout) -> Self {
        let mut statements = Statements::new(Dialect::Postgres);
        if layout == Layout::Partitioned {
            statements.save = partitioned::SAVE.to_owned();
            statements.create = partitioned::CREATE.to_owned();
            statements.purge_expired = partitioned::PURGE_EXPIRED.to_owned();
        }
        PostgresBackend {
            pool: ServerPool::new(pool),
            statements,
            schema,
            layout,
        }
    }

    /// The table's layout.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The connection pool.
    pub fn pool(&self) -> &PgPool {
        self.pool.inner()
    }
}

/// Schema names go into SQL and the start-up options unquoted, so only plain ones are allowed.
fn check_schema_name(schema: &str) -> Result<()> {
    let plain = !schema.is_empty()
        && schema.len() <= 63
        && !schema.starts_with(|c: char| c.is_ascii_digit())
        && schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        Ok(())
    } else {
        Err(Error::Backend(format!(
            "invalid PostgreSQL schema name `{schema}`: use lower-case letters, digits and `_`"
        )))
    }
}

type PgQuery<'q> = Query<'q, Postgres, PgArguments>;

fn bind_param<'q>(query: PgQuery<'q>, param: &Param) -> PgQuery<'q> {
    match param {
        Param::Text(text) => query.bind(text.clone()),
        Param::Time(time) => query.bind(*time),
        Param::Id(id) => query.bind(id.as_bytes().to_vec()),
    }
}

/// Binds the [`WRITE_COLUMNS`](crate::sql::WRITE_COLUMNS) of a session.
fn bind_session<'q>(query: PgQuery<'q>, session: &'q StoredSession) -> PgQuery<'q> {
    bind_columns(query.bind(session.info.id.as_bytes().as_slice()), session)
}

/// Binds the write columns after `id` (an update binds the id last).
fn bind_columns<'q>(query: PgQuery<'q>, session: &'q StoredSession) -> PgQuery<'q> {
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

/// Decodes the [`INFO_COLUMNS`](crate::sql::INFO_COLUMNS) of a row.
fn info_from_row(row: &PgRow) -> Result<SessionInfo, sqlx::Error> {
    Ok(SessionInfo {
        id: id_from_bytes(row.try_get::<&[u8], _>(0)?)?,
        user_id: row.try_get(1)?,
        ip: ip_from_text(row.try_get(2)?),
        user_agent: row.try_get(3)?,
        client_hints: hints_from_text(row.try_get(4)?),
        created_at: row.try_get(5)?,
        last_activity: row.try_get(6)?,
        expires_at: row.try_get(7)?,
        authenticated_at: row.try_get(8)?,
    })
}

/// Applies the pending migrations of a layout in one transaction.
async fn migrate(
    conn: &mut PgConnection,
    schema: Option<&str>,
    layout: Layout,
) -> Result<(), sqlx::Error> {
    let mut tx = conn.begin().await?;
    if let Some(schema) = schema {
        let create = format!("CREATE SCHEMA IF NOT EXISTS {schema}");
        tx.execute(create.as_str()).await?;
    }
    // Concurrent `migrate` calls (several app servers starting) wait for each other.
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(schema::MIGRATION_LOCK)
        .execute(&mut *tx)
        .await?;
    tx.execute(schema::CREATE_MIGRATIONS_TABLE).await?;
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM user_sessions_migrations")
        .fetch_all(&mut *tx)
        .await?;
    for &(version, description, sql) in layout.migrations() {
        if applied.contains(&version) {
            continue;
        }
        tx.execute(sql).await?;
        sqlx::query(
            "INSERT INTO user_sessions_migrations (version, description, applied_at) \
             VALUES ($1, $2, now())",
        )
        .bind(version)
        .bind(description)
        .execute(&mut *tx)
        .await?;
        tracing::info!(version, description, "applied session schema migration");
    }
    tx.commit().await
}

/// Writes a new session unless a live one has its id; whether it was written.
async fn create(
    conn: &mut PgConnection,
    sql: &str,
    layout: Layout,
    session: &StoredSession,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let query = bind_session(sqlx::query(sql), session).bind(now);
    match layout {
        Layout::Plain => Ok(query.execute(conn).await?.rows_affected() == 1),
        Layout::Partitioned => query.fetch_one(conn).await?.try_get(0),
    }
}

#[async_trait]
impl Backend for PostgresBackend {
    async fn migrate(&self) -> Result<()> {
        let mut conn = self.pool().acquire().await.map_err(map_sqlx_error)?;
        migrate(&mut conn, self.schema.as_deref(), self.layout)
            .await
            .map_err(map_sqlx_error)
    }

    async fn pending_migrations(&self) -> Result<usize> {
        let migrations = self.layout.migrations();
        self.pool
            .run(|mut conn| async move {
                let exists: bool = sqlx::query_scalar(
                    "SELECT to_regclass('user_sessions_migrations') IS NOT NULL",
                )
                .fetch_one(&mut *conn)
                .await?;
                if !exists {
                    return Ok(migrations.len());
                }
                let applied: Vec<i64> =
                    sqlx::query_scalar("SELECT version FROM user_sessions_migrations")
                        .fetch_all(&mut *conn)
                        .await?;
                Ok(migrations
                    .iter()
                    .filter(|(version, _, _)| !applied.contains(version))
                    .count())
            })
            .await
    }

    async fn create(&self, session: &StoredSession, now: OffsetDateTime) -> Result<bool> {
        let (sql, layout) = (self.statements.create.as_str(), self.layout);
        self.pool
            .run(|mut conn| async move { create(&mut conn, sql, layout, session, now).await })
            .await
    }

    async fn create_many(&self, sessions: &[StoredSession], now: OffsetDateTime) -> Result<u64> {
        if sessions.is_empty() {
            return Ok(0);
        }
        let sql = self.statements.create.as_str();
        let mut tx = self.pool().begin().await.map_err(map_sqlx_error)?;
        let mut created = 0;
        for session in sessions {
            if create(&mut tx, sql, self.layout, session, now)
                .await
                .map_err(map_sqlx_error)?
            {
                created += 1;
            }
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
        let ids: Vec<&[u8]> = ids.iter().map(|id| id.as_bytes().as_slice()).collect();
        let ids = ids.as_slice();
        let sql = format!("DELETE FROM {TABLE} WHERE id = ANY($1)");
        let sql = sql.as_str();
        self.pool
            .run(|mut conn| async move {
                let done = sqlx::query(sql).bind(ids).execute(&mut *conn).await?;
                Ok(done.rows_affected())
            })
            .await
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
        let w = filter_where(filter, None, now, Dialect::Postgres);
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
        let (sql, layout) = (self.statements.purge_expired.as_str(), self.layout);
        self.pool
            .run(|mut conn| async move {
                let query = sqlx::query(sql).bind(now).bind(i64::from(limit));
                match layout {
                    Layout::Plain => Ok(query.execute(&mut *conn).await?.rows_affected()),
                    // Whole partitions, then rows: may exceed `limit` when a partition went.
                    Layout::Partitioned => {
                        let purged: i64 = query.fetch_one(&mut *conn).await?.try_get(0)?;
                        Ok(u64::try_from(purged).unwrap_or_default())
                    }
                }
            })
            .await
    }

    async fn list(&self, filter: &Filter, page: &PageRequest, now: OffsetDateTime) -> Result<Page> {
        let w = filter_where(filter, Some(page), now, Dialect::Postgres);
        let sql = format!(
            "SELECT {} FROM {TABLE} WHERE {} {}",
            crate::sql::INFO_COLUMNS,
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
        self.pool
            .run(|mut conn| async move {
                let row = sqlx::query(sql).bind(now).fetch_one(&mut *conn).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_parameter_is_split_off() {
        assert_eq!(
            split_layout("postgres://h/db?layout=partitioned&sslmode=disable").unwrap(),
            (
                "postgres://h/db?sslmode=disable".to_owned(),
                Some(Layout::Partitioned)
            )
        );
        assert_eq!(
            split_layout("postgres://h/db?layout=plain").unwrap(),
            ("postgres://h/db".to_owned(), Some(Layout::Plain))
        );
        assert_eq!(
            split_layout("postgres://h/db").unwrap(),
            ("postgres://h/db".to_owned(), None)
        );
        assert!(split_layout("postgres://h/db?layout=sharded").is_err());
    }

    #[test]
    fn layouts_keep_their_migrations_apart() {
        for (plain, _, _) in Layout::Plain.migrations() {
            assert!(
                Layout::Partitioned
                    .migrations()
                    .iter()
                    .all(|(partitioned, _, _)| partitioned != plain)
            );
        }
    }

    #[test]
    fn schema_names_are_plain() {
        assert!(check_schema_name("sessions_2").is_ok());
        for bad in ["", "Sessions", "a-b", "1abc", "x; DROP TABLE y", "a b"] {
            assert!(check_schema_name(bad).is_err(), "{bad}");
        }
    }
}
