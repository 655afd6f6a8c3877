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
//! The statements and the pool are those of the generic [`SqlxBackend`]. When the server is
//! unreachable, operations fail with [`Error::Unavailable`] after at most
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
use sqlx::postgres::{PgConnectOptions, PgQueryResult, PgRow};
use sqlx::{Connection, Executor, PgConnection, PgPool, Postgres, Row};

use crate::sql::{Dialect, Statements};
pub use crate::sqlx_backend::SqlxBackend;
use crate::sqlx_backend::parts::DialectParts;
use crate::{Error, Result};

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
///
/// ```
/// use user_sessions::postgres::{Layout, PostgresOptions};
/// let options = PostgresOptions { layout: Layout::Partitioned, ..PostgresOptions::default() };
/// assert_eq!(PostgresOptions::default().layout, Layout::Plain);
/// # let _ = options;
/// ```
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
                    Error::Setting(format!(
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
pub type PostgresBackend = SqlxBackend<Postgres>;

impl SqlxBackend<Postgres> {
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
        Self::connect(
            connect,
            options.max_connections,
            options.acquire_timeout,
            options.schema,
            options.layout,
        )
        .await
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

    /// The table's layout.
    pub fn layout(&self) -> Layout {
        self.layout
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
        Err(Error::Setting(format!(
            "invalid PostgreSQL schema name `{schema}`: use lower-case letters, digits and `_`"
        )))
    }
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

#[async_trait]
impl DialectParts for Postgres {
    const DIALECT: Dialect = Dialect::Postgres;

    const MIGRATIONS_TABLE_EXISTS: &'static str =
        "SELECT CASE WHEN to_regclass('user_sessions_migrations') IS NULL THEN 0 ELSE 1 END::int8";

    type Layout = Layout;

    fn statements(layout: Layout) -> Statements {
        let mut statements = Statements::new(Dialect::Postgres);
        if layout == Layout::Partitioned {
            statements.save = partitioned::SAVE.to_owned();
            statements.create = partitioned::CREATE.to_owned();
            statements.create_returns_written = true;
            statements.purge_partitions = partitioned::PURGE_PARTITIONS.to_owned();
            statements.purge_expired = partitioned::PURGE_EXPIRED.to_owned();
        }
        statements
    }

    fn migration_versions(layout: Layout) -> Vec<i64> {
        layout
            .migrations()
            .iter()
            .map(|(version, _, _)| *version)
            .collect()
    }

    async fn migrate(
        conn: &mut PgConnection,
        schema: Option<&str>,
        layout: Layout,
    ) -> Result<(), sqlx::Error> {
        migrate(conn, schema, layout).await
    }

    fn text(row: &PgRow, index: usize) -> Result<Option<String>, sqlx::Error> {
        row.try_get(index)
    }

    fn rows_affected(done: &PgQueryResult) -> u64 {
        done.rows_affected()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_plain() {
        assert!(check_schema_name("sessions_2").is_ok());
        for bad in ["", "Sessions", "a-b", "1abc", "x; DROP TABLE y", "a b"] {
            assert!(check_schema_name(bad).is_err(), "{bad}");
        }
    }

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
}
