//! Isolated stores on real servers, for tests (feature `conformance`).
//!
//! Each [`TestDatabase`] reads its server's URL from an environment variable
//! (`TEST_POSTGRES_URL`, `TEST_MYSQL_URL`, `TEST_REDIS_URL`, `TEST_REDIS_CLUSTER_URL`,
//! `TEST_REDIS_TLS_URL`) and makes
//! a place of its own there:
//! a fresh PostgreSQL schema, a fresh MySQL database, or a fresh Redis key prefix. Its
//! [`url`](TestDatabase::url) names that place, so several stores — or several processes — can
//! share it; dropping the `TestDatabase` removes it.
//!
//! - Variable unset: the constructor prints `skipped: …` and returns `None`.
//! - Variable set but the server unreachable: it panics, saying so.
//!
//! ```no_run
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use user_sessions::test_servers::TestDatabase;
//!
//! let Some(db) = TestDatabase::postgres().await else { return };
//! let app_a = db.open_store().await;
//! let app_b = db.open_store().await; // another "app server" on the same sessions
//! # }
//! ```

// Which match arms exist depends on the backend features; builds with only some of them
// leave the rest of the code partly unused.
#![cfg_attr(
    not(all(feature = "postgres", feature = "mysql", feature = "redis")),
    allow(unreachable_code, unused_variables, dead_code)
)]

use std::hash::{BuildHasher, Hasher};

use crate::Store;

/// Which server a [`TestDatabase`] lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// PostgreSQL: a schema per test (`TEST_POSTGRES_URL`).
    Postgres,
    /// MySQL / MariaDB: a database per test (`TEST_MYSQL_URL`).
    Mysql,
    /// Redis: a key prefix per test (`TEST_REDIS_URL`).
    Redis,
    /// Redis Cluster: a key prefix per test (`TEST_REDIS_CLUSTER_URL`, a `redis-cluster://` URL).
    RedisCluster,
    /// Redis over TLS: a key prefix per test (`TEST_REDIS_TLS_URL`, a `rediss://` URL, with
    /// `tls_ca_file=` for a server whose certificate no system root signs).
    RedisTls,
}

impl Server {
    /// The environment variable holding the server's URL.
    pub fn variable(self) -> &'static str {
        match self {
            Server::Postgres => "TEST_POSTGRES_URL",
            Server::Mysql => "TEST_MYSQL_URL",
            Server::Redis => "TEST_REDIS_URL",
            Server::RedisCluster => "TEST_REDIS_CLUSTER_URL",
            Server::RedisTls => "TEST_REDIS_TLS_URL",
        }
    }

    /// The server's URL from the environment; `None` (after printing `skipped: …`) when unset.
    pub fn url(self) -> Option<String> {
        match std::env::var(self.variable()) {
            Ok(url) if !url.trim().is_empty() => Some(url),
            _ => {
                eprintln!(
                    "skipped: set {} to run this test against a real server",
                    self.variable()
                );
                None
            }
        }
    }
}

/// A schema, database or key prefix of its own on a test server, removed on drop.
#[derive(Debug)]
pub struct TestDatabase {
    server: Server,
    server_url: String,
    name: String,
    url: String,
}

/// A row lock held by [`TestDatabase::lock_row`]; dropping it releases the row.
pub struct RowLock {
    _connection: Box<dyn Send>,
}

/// The rows of this test's connections (those whose `application_name` is the test's name),
/// the connection asking left out: `SELECT … FROM` this, binding the name.
#[cfg(feature = "postgres")]
const POSTGRES_CONNECTIONS: &str = "pg_stat_activity WHERE datname = current_database() \
     AND pid <> pg_backend_pid() AND application_name = $1";

/// The rows of this test's connections (those in the test's database), the connection asking
/// left out: `SELECT … FROM` this, binding the name.
#[cfg(feature = "mysql")]
const MYSQL_CONNECTIONS: &str =
    "information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()";

/// A name no other test run uses: `us_test_` and 16 random hex digits.
fn unique_name() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    format!("us_test_{:016x}", hasher.finish())
}

/// `url` with its path (the database name) replaced by `/name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

fn with_query(url: &str, pair: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{pair}")
}

fn unreachable(server: Server, error: impl std::fmt::Display) -> ! {
    panic!(
        "{} is set but the server cannot be used: {error}",
        server.variable()
    )
}

impl TestDatabase {
    /// A fresh schema on `TEST_POSTGRES_URL`'s server.
    pub async fn postgres() -> Option<Self> {
        Self::create(Server::Postgres).await
    }

    /// A fresh database on `TEST_MYSQL_URL`'s server.
    pub async fn mysql() -> Option<Self> {
        Self::create(Server::Mysql).await
    }

    /// A fresh key prefix on `TEST_REDIS_URL`'s server.
    pub async fn redis() -> Option<Self> {
        Self::create(Server::Redis).await
    }

    /// A fresh key prefix on `TEST_REDIS_CLUSTER_URL`'s cluster.
    pub async fn redis_cluster() -> Option<Self> {
        Self::create(Server::RedisCluster).await
    }

    /// A fresh key prefix on `TEST_REDIS_TLS_URL`'s server, over TLS.
    pub async fn redis_tls() -> Option<Self> {
        Self::create(Server::RedisTls).await
    }

    /// A fresh place on `server`; `None` when its variable is unset.
    pub async fn create(server: Server) -> Option<Self> {
        let server_url = server.url()?;
        let name = unique_name();
        let url = match server {
            #[cfg(feature = "postgres")]
            Server::Postgres => {
                let admin = crate::postgres::PostgresBackend::open(&server_url)
                    .await
                    .unwrap_or_else(|e| unreachable(server, e));
                sqlx::query(&format!("CREATE SCHEMA {name}"))
                    .execute(admin.pool())
                    .await
                    .unwrap_or_else(|e| unreachable(server, e));
                admin.pool().close().await;
                // The application name marks this test's connections (see `drop_connections`).
                with_query(
                    &server_url,
                    &format!("options=-c%20search_path%3D{name}&application_name={name}"),
                )
            }
            #[cfg(feature = "mysql")]
            Server::Mysql => {
                let admin = crate::mysql::MysqlBackend::open(&server_url)
                    .await
                    .unwrap_or_else(|e| unreachable(server, e));
                sqlx::query(&format!("CREATE DATABASE {name} CHARACTER SET utf8mb4"))
                    .execute(admin.pool())
                    .await
                    .unwrap_or_else(|e| unreachable(server, e));
                admin.pool().close().await;
                with_database(&server_url, &name)
            }
            #[cfg(feature = "redis")]
            Server::Redis | Server::RedisCluster | Server::RedisTls => {
                let url = with_query(&server_url, &format!("key_prefix={name}"));
                crate::redis::RedisBackend::open(&url)
                    .await
                    .unwrap_or_else(|e| unreachable(server, e));
                url
            }
            #[allow(unreachable_patterns)]
            _ => panic!(
                "{} is set but this build lacks the backend's cargo feature",
                server.variable()
            ),
        };
        Some(TestDatabase {
            server,
            server_url,
            name,
            url,
        })
    }

    /// The URL of this test's own place: `Store::open` it from any process.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The schema, database or key prefix name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Opens and migrates a new store on this place (a new connection pool each call, like
    /// another app server). Panics if that fails.
    pub async fn open_store(&self) -> Store {
        let store = Store::open(&self.url)
            .await
            .unwrap_or_else(|e| unreachable(self.server, e));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| unreachable(self.server, e));
        store
    }

    /// A store over this database with a pool of at most `max_connections`, each waited for at
    /// most `acquire_timeout`; the schema migrated. Not supported on Redis.
    pub async fn open_store_with_pool(
        &self,
        max_connections: u32,
        acquire_timeout: std::time::Duration,
    ) -> Store {
        self.open_store().await; // migrates
        let opened: crate::Result<Store> = match self.server {
            #[cfg(feature = "postgres")]
            Server::Postgres => {
                let options = crate::postgres::PostgresOptions {
                    max_connections,
                    acquire_timeout,
                    ..Default::default()
                };
                crate::postgres::PostgresBackend::open_with(&self.url, options)
                    .await
                    .map(Store::new)
            }
            #[cfg(feature = "mysql")]
            Server::Mysql => {
                let options = crate::mysql::MysqlOptions {
                    max_connections,
                    acquire_timeout,
                };
                crate::mysql::MysqlBackend::open_with(&self.url, options)
                    .await
                    .map(Store::new)
            }
            _ => panic!("open_store_with_pool is not supported on {:?}", self.server),
        };
        opened.unwrap_or_else(|e| unreachable(self.server, e))
    }

    /// Drops every server connection this test's stores hold, as a failing network or a
    /// restarting server would (PostgreSQL: `pg_terminate_backend`; MySQL: `KILL`); returns
    /// how many. Connections of other tests are left alone. Not supported on Redis.
    pub async fn drop_connections(&self) -> u64 {
        match self.server {
            #[cfg(feature = "postgres")]
            Server::Postgres => {
                let killed = self
                    .count_with::<sqlx::PgConnection>(&format!(
                        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) AS killed \
                         FROM {POSTGRES_CONNECTIONS}) terminated WHERE killed"
                    ))
                    .await;
                killed as u64
            }
            #[cfg(feature = "mysql")]
            Server::Mysql => {
                let admin = crate::mysql::MysqlBackend::open(&self.server_url)
                    .await
                    .unwrap_or_else(|e| unreachable(self.server, e));
                let ids: Vec<i64> =
                    sqlx::query_scalar(&format!("SELECT id FROM {MYSQL_CONNECTIONS}"))
                        .bind(&self.name)
                        .fetch_all(admin.pool())
                        .await
                        .unwrap_or_else(|e| unreachable(self.server, e));
                let mut killed = 0;
                for id in ids {
                    if sqlx::query(&format!("KILL {id}"))
                        .execute(admin.pool())
                        .await
                        .is_ok()
                    {
                        killed += 1;
                    }
                }
                admin.pool().close().await;
                killed
            }
            _ => panic!("drop_connections is not supported on {:?}", self.server),
        }
    }

    /// Waits until a statement of this test's stores runs on the server — one held back behind
    /// [`lock_row`](Self::lock_row), say — so a test can abandon it knowing the server has it.
    /// Panics after ten seconds. Not supported on Redis.
    pub async fn wait_for_running_statement(&self) {
        self.wait_for_running_statements(|n| n > 0, "no statement of this test ran")
            .await;
    }

    /// Waits until no statement of this test's stores runs on the server. A statement its
    /// client abandoned still runs once the row it waits for is free (nothing calls it back),
    /// and until it has, it can overtake — and be undone by — the test's next writes.
    /// Panics after ten seconds. Not supported on Redis.
    pub async fn wait_for_no_running_statement(&self) {
        self.wait_for_running_statements(|n| n == 0, "a statement of this test kept running")
            .await;
    }

    async fn wait_for_running_statements(&self, done: impl Fn(i64) -> bool, failure: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !done(self.running_statements().await) {
            assert!(
                std::time::Instant::now() < deadline,
                "{failure} for ten seconds"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    /// How many statements of this test's connections run on the server now.
    async fn running_statements(&self) -> i64 {
        match self.server {
            #[cfg(feature = "postgres")]
            Server::Postgres => {
                self.count_with::<sqlx::PgConnection>(&format!(
                    "SELECT count(*) FROM {POSTGRES_CONNECTIONS} AND state = 'active'"
                ))
                .await
            }
            #[cfg(feature = "mysql")]
            Server::Mysql => {
                self.count_with::<sqlx::MySqlConnection>(&format!(
                    "SELECT COUNT(*) FROM {MYSQL_CONNECTIONS} AND command IN ('Query', 'Execute')"
                ))
                .await
            }
            _ => panic!("running statements are not counted on {:?}", self.server),
        }
    }

    /// The count `statement` (which binds this test's name) returns, on a new connection of
    /// type `C` to the server.
    #[cfg(any(feature = "postgres", feature = "mysql"))]
    async fn count_with<C>(&self, statement: &str) -> i64
    where
        C: sqlx::Connection + 'static,
        for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
        for<'q> <C::Database as sqlx::Database>::Arguments<'q>:
            sqlx::IntoArguments<'q, C::Database>,
        for<'q> &'q str: sqlx::Encode<'q, C::Database> + sqlx::Type<C::Database>,
        i64: for<'r> sqlx::Decode<'r, C::Database> + sqlx::Type<C::Database>,
        (i64,): for<'r> sqlx::FromRow<'r, <C::Database as sqlx::Database>::Row>,
    {
        let mut conn = C::connect(&self.server_url)
            .await
            .unwrap_or_else(|e| unreachable(self.server, e));
        let count = sqlx::query_scalar::<_, i64>(statement)
            .bind(self.name.as_str())
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| unreachable(self.server, e));
        let _ = conn.close().await;
        count
    }

    /// Locks the session row `id` for writing from a connection of its own, as a concurrent
    /// transaction would, until the returned guard is dropped (its connection closes and the
    /// server rolls the transaction back). Not supported on Redis.
    pub async fn lock_row(&self, id: &crate::PublicId) -> RowLock {
        const LOCK: &str = "SELECT 1 FROM user_sessions WHERE id = {} FOR UPDATE";
        match self.server {
            #[cfg(feature = "postgres")]
            Server::Postgres => {
                self.lock_row_with::<sqlx::PgConnection>(&LOCK.replace("{}", "$1"), id)
                    .await
            }
            #[cfg(feature = "mysql")]
            Server::Mysql => {
                self.lock_row_with::<sqlx::MySqlConnection>(&LOCK.replace("{}", "?"), id)
                    .await
            }
            _ => panic!("lock_row is not supported on {:?}", self.server),
        }
    }

    /// [`lock_row`](Self::lock_row) on a new connection of type `C`, with `statement` (which
    /// binds the id).
    #[cfg(any(feature = "postgres", feature = "mysql"))]
    async fn lock_row_with<C>(&self, statement: &str, id: &crate::PublicId) -> RowLock
    where
        C: sqlx::Connection + 'static,
        for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
        for<'q> <C::Database as sqlx::Database>::Arguments<'q>:
            sqlx::IntoArguments<'q, C::Database>,
        for<'q> &'q [u8]: sqlx::Encode<'q, C::Database> + sqlx::Type<C::Database>,
    {
        use sqlx::Executor as _;
        let mut conn = C::connect(&self.url)
            .await
            .unwrap_or_else(|e| unreachable(self.server, e));
        conn.execute("BEGIN").await.expect("BEGIN");
        sqlx::query(statement)
            .bind(id.as_bytes().as_slice())
            .fetch_all(&mut conn)
            .await
            .expect("lock the row");
        RowLock {
            _connection: Box::new(conn),
        }
    }

    async fn remove(server: Server, server_url: String, name: String, url: String) {
        let _ = (&server_url, &name, &url);
        match server {
            #[cfg(feature = "postgres")]
            Server::Postgres => {
                if let Ok(admin) = crate::postgres::PostgresBackend::open(&server_url).await {
                    let drop = format!("DROP SCHEMA IF EXISTS {name} CASCADE");
                    if let Err(error) = sqlx::query(&drop).execute(admin.pool()).await {
                        eprintln!("could not drop test schema {name}: {error}");
                    }
                    admin.pool().close().await;
                }
            }
            #[cfg(feature = "mysql")]
            Server::Mysql => {
                if let Ok(admin) = crate::mysql::MysqlBackend::open(&server_url).await {
                    let drop = format!("DROP DATABASE IF EXISTS {name}");
                    if let Err(error) = sqlx::query(&drop).execute(admin.pool()).await {
                        eprintln!("could not drop test database {name}: {error}");
                    }
                    admin.pool().close().await;
                }
            }
            #[cfg(feature = "redis")]
            Server::Redis | Server::RedisCluster | Server::RedisTls => {
                if let Ok(backend) = crate::redis::RedisBackend::open(&url).await {
                    if let Err(error) = backend.clear().await {
                        eprintln!("could not delete test keys {name}: {error}");
                    }
                }
            }
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (server, server_url, name, url) = (
            self.server,
            self.server_url.clone(),
            self.name.clone(),
            self.url.clone(),
        );
        // Drop cannot await: clean up on a thread with its own runtime, and wait for it.
        let cleanup =
            std::thread::spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(Self::remove(server, server_url, name, url)),
                    Err(error) => eprintln!("could not clean up a test database: {error}"),
                }
            });
        let _ = cleanup.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            with_database("mysql://root@127.0.0.1:3306/test", "x"),
            "mysql://root@127.0.0.1:3306/x"
        );
        assert_eq!(
            with_database("mysql://root@h/test?ssl-mode=disabled", "x"),
            "mysql://root@h/x?ssl-mode=disabled"
        );
        assert_eq!(with_database("mysql://h", "x"), "mysql://h/x");
    }

    #[test]
    fn names_are_unique_and_plain() {
        let (a, b) = (unique_name(), unique_name());
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        );
    }
}
