//! The connection pool of the sqlx backends and the mapping of sqlx's errors onto ours.

use time::OffsetDateTime;

/// Maps sqlx's errors onto ours: connection trouble is [`Error::Unavailable`](crate::Error),
/// a missing table or schema [`Error::NotMigrated`](crate::Error).
pub(crate) fn map_sqlx_error(error: sqlx::Error) -> crate::Error {
    use crate::Error;
    match &error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => Error::Unavailable(error.to_string()),
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            match code.as_ref() {
                // PostgreSQL: undefined table / schema; MySQL: unknown table.
                "42P01" | "3F000" | "42S02" => Error::NotMigrated,
                // Connection exceptions (both), PostgreSQL's shutdowns and connection limit,
                // deadlocks and serialization failures: retrying later may succeed.
                c if c.starts_with("08")
                    || c.starts_with("57P")
                    || c == "53300"
                    || c == "40001"
                    || c == "40P01" =>
                {
                    Error::Unavailable(error.to_string())
                }
                _ => Error::Backend(error.to_string()),
            }
        }
        _ => Error::Backend(error.to_string()),
    }
}

/// A sqlx pool as the server backends use it: one round trip per operation while the server
/// is healthy, and a quick recovery when connections are dropped under it.
///
/// sqlx can ping every connection it hands out, which doubles the round trips; this pool does
/// not. Instead, after a connection error it distrusts idle connections for a while (pinging
/// each before use and discarding the dead ones) and retries the failed operation once on a
/// tested connection. Acquiring never waits longer than the pool's acquire timeout.
#[derive(Debug)]
pub(crate) struct ServerPool<DB: sqlx::Database> {
    pool: sqlx::Pool<DB>,
    /// Until when idle connections are tested before use (milliseconds since the Unix epoch;
    /// 0 when they are trusted).
    suspect_until: std::sync::atomic::AtomicI64,
}

impl<DB: sqlx::Database> ServerPool<DB> {
    /// How long idle connections stay suspect after a connection error.
    const SUSPICION: time::Duration = time::Duration::seconds(10);

    pub(crate) fn new(pool: sqlx::Pool<DB>) -> Self {
        ServerPool {
            pool,
            suspect_until: std::sync::atomic::AtomicI64::new(0),
        }
    }

    /// The sqlx pool.
    pub(crate) fn inner(&self) -> &sqlx::Pool<DB> {
        &self.pool
    }

    fn suspect(&self) -> bool {
        let until = self
            .suspect_until
            .load(std::sync::atomic::Ordering::Relaxed);
        until != 0 && crate::record::to_millis(OffsetDateTime::now_utc()) < until
    }

    fn distrust(&self) {
        let until = crate::record::to_millis(OffsetDateTime::now_utc() + Self::SUSPICION);
        self.suspect_until
            .store(until, std::sync::atomic::Ordering::Relaxed);
    }

    /// A connection; tested first while connections are suspect. Bounded by the acquire timeout.
    pub(crate) async fn acquire(&self) -> Result<sqlx::pool::PoolConnection<DB>, sqlx::Error> {
        use sqlx::Connection as _;
        let timeout = self.pool.options().get_acquire_timeout();
        let acquire = async {
            loop {
                let mut conn = self.pool.acquire().await?;
                if !self.suspect() {
                    return Ok(conn);
                }
                match conn.ping().await {
                    Ok(()) => return Ok(conn),
                    Err(error) => {
                        tracing::debug!(%error, "discarding a dead pooled connection");
                        conn.close_on_drop();
                    }
                }
            }
        };
        tokio::time::timeout(timeout, acquire)
            .await
            .unwrap_or(Err(sqlx::Error::PoolTimedOut))
    }

    /// Runs `op` on a connection. If the connection turns out dead (the server dropped it),
    /// retries once on a tested connection. Errors are mapped onto [`crate::Error`].
    pub(crate) async fn run<T, F, Fut>(&self, mut op: F) -> crate::Result<T>
    where
        F: FnMut(sqlx::pool::PoolConnection<DB>) -> Fut,
        Fut: std::future::Future<Output = Result<T, sqlx::Error>>,
    {
        let mut retried = false;
        loop {
            let conn = self.acquire().await.map_err(map_sqlx_error)?;
            match op(conn).await {
                Ok(value) => return Ok(value),
                Err(error) if is_connection_lost(&error) => {
                    self.distrust();
                    if retried {
                        return Err(map_sqlx_error(error));
                    }
                    tracing::info!(%error, "session database connection lost; retrying once");
                    retried = true;
                }
                Err(error) => return Err(map_sqlx_error(error)),
            }
        }
    }
}

/// Whether an error means the connection itself is gone (as opposed to the server refusing
/// a statement or the pool timing out).
fn is_connection_lost(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) => true,
        // PostgreSQL's "terminating connection due to administrator command" and
        // MySQL/MariaDB's "connection was killed" arrive as server errors on a dying connection.
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            code.starts_with("57P") || code.starts_with("08") || code == "70100"
        }
        _ => false,
    }
}
