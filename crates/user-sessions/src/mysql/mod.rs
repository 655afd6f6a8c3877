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
use sqlx::mysql::{MySqlConnectOptions, MySqlQueryResult, MySqlRow};
use sqlx::{Executor, MySql, MySqlConnection, MySqlPool, Row};

use crate::sql::Dialect;
pub use crate::sqlx_backend::SqlxBackend;
use crate::sqlx_backend::parts::DialectParts;
use crate::{Engine, Error, Result};

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
pub type MysqlBackend = SqlxBackend<MySql>;

impl SqlxBackend<MySql> {
    /// Connects to the database a `mysql://` (or `mariadb://`) URL names. Fails with
    /// [`Error::Unavailable`] if no connection can be made within the acquire timeout.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, MysqlOptions::default()).await
    }

    /// Like [`open`](Self::open), with settings.
    pub async fn open_with(url: &str, options: MysqlOptions) -> Result<Self> {
        let connect = MySqlConnectOptions::from_str(&Engine::mysql_url(url))
            .map_err(|_| Error::Url(url.to_owned()))?;
        Self::connect(
            connect,
            options.max_connections,
            options.acquire_timeout,
            None,
        )
        .await
    }

    /// Uses an existing pool. Set an acquire timeout on it: it bounds how long requests wait
    /// when the server is down.
    pub fn from_pool(pool: MySqlPool) -> Self {
        Self::with_pool(pool, None)
    }
}

/// A text column read as bytes (binary strings and every collation decode alike).
fn text(row: &MySqlRow, index: usize) -> Result<Option<String>, sqlx::Error> {
    row.try_get::<Option<&[u8]>, _>(index)?
        .map(|bytes| {
            String::from_utf8(bytes.to_vec()).map_err(|e| sqlx::Error::Decode(Box::new(e)))
        })
        .transpose()
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

#[async_trait]
impl DialectParts for MySql {
    const DIALECT: Dialect = Dialect::Mysql;

    const MIGRATIONS_TABLE_EXISTS: &'static str = "SELECT COUNT(*) FROM information_schema.tables \
         WHERE table_schema = DATABASE() AND table_name = 'user_sessions_migrations'";

    fn migration_versions() -> Vec<i64> {
        schema::MIGRATIONS
            .iter()
            .map(|(version, _, _)| *version)
            .collect()
    }

    async fn migrate(conn: &mut MySqlConnection, _schema: Option<&str>) -> Result<(), sqlx::Error> {
        migrate(conn).await
    }

    fn text(row: &MySqlRow, index: usize) -> Result<Option<String>, sqlx::Error> {
        text(row, index)
    }

    fn rows_affected(done: &MySqlQueryResult) -> u64 {
        done.rows_affected()
    }
}
