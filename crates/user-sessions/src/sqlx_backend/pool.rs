//! The connection pool of the sqlx backends and the mapping of sqlx's errors onto ours.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use time::OffsetDateTime;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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
        | sqlx::Error::WorkerCrashed => Error::Unavailable(error.into()),
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
                    Error::Unavailable(error.into())
                }
                _ => Error::Backend(error.into()),
            }
        }
        _ => Error::Backend(error.into()),
    }
}

/// A sqlx pool as the server backends use it: one round trip per operation while the server
/// is healthy, and a quick recovery when connections are dropped under it.
///
/// sqlx tests connections with a ping: before it hands one out (optional), and — in sqlx 0.8,
/// always — after each is given back, from a task it spawns for the purpose. That is a second
/// round trip and a task for every statement, and on a small machine it costs more CPU than
/// the statement itself (a session read on PostgreSQL: 50 µs of server CPU with it, 28 µs
/// without, `benches/http`). So this pool takes connections out of the sqlx pool
/// ([`PoolConnection::detach`](sqlx::pool::PoolConnection::detach)) and keeps them itself
/// between operations, at most `max_connections` of them in use at once and no idle one
/// longer than the sqlx pool's idle timeout or max lifetime.
///
/// A connection goes back to the idle ones only after an operation that succeeded; after an
/// error, or an operation abandoned midway (its future dropped), it is closed, so a connection
/// in an unknown state is never reused. After a connection error the pool distrusts idle
/// connections for a while (pinging each before use and discarding the dead ones) and retries
/// the failed operation once on a tested connection. Acquiring never waits longer than the
/// pool's acquire timeout.
pub(crate) struct ServerPool<DB: sqlx::Database> {
    pool: sqlx::Pool<DB>,
    /// Until when idle connections are tested before use (milliseconds since the Unix epoch;
    /// 0 when they are trusted).
    suspect_until: std::sync::atomic::AtomicI64,
    /// Connections between operations, the most recently used last.
    idle: Mutex<Vec<Kept<DB::Connection>>>,
    /// One permit per connection in use (`max_connections` of them).
    in_use: Arc<Semaphore>,
}

impl<DB: sqlx::Database> std::fmt::Debug for ServerPool<DB> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerPool")
            .field("pool", &self.pool)
            .field("idle", &lock(&self.idle).len())
            .finish_non_exhaustive()
    }
}

/// A connection this pool holds, with its age.
struct Kept<C> {
    conn: C,
    /// When it left the sqlx pool.
    since: Instant,
    /// When it was last given back.
    used: Instant,
}

/// A connection lent to one operation. Derefs to the connection; dropped, it closes the
/// connection unless [`ServerPool::release`] (or a successful [`ServerPool::run`]) takes it
/// back.
pub(crate) struct Lease<DB: sqlx::Database> {
    kept: Option<Kept<DB::Connection>>,
    _permit: OwnedSemaphorePermit,
    /// Where [`ServerPool::run`] finds the connection again once its operation succeeded.
    back: Option<Returned<DB::Connection>>,
}

/// Where a lease leaves its connection when it is dropped.
type Returned<C> = Arc<Mutex<Option<Kept<C>>>>;

impl<DB: sqlx::Database> Deref for Lease<DB> {
    type Target = DB::Connection;

    fn deref(&self) -> &DB::Connection {
        &self.kept.as_ref().expect(LEASE_HOLDS).conn
    }
}

impl<DB: sqlx::Database> DerefMut for Lease<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        &mut self.kept.as_mut().expect(LEASE_HOLDS).conn
    }
}

/// A lease holds its connection from [`ServerPool::acquire`] until it is dropped.
const LEASE_HOLDS: &str = "a lease holds its connection until it is dropped";

impl<DB: sqlx::Database> Drop for Lease<DB> {
    fn drop(&mut self) {
        if let (Some(kept), Some(back)) = (self.kept.take(), &self.back) {
            *lock(back) = Some(kept);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A plain list of connections: a panic elsewhere leaves it usable.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl<DB: sqlx::Database> ServerPool<DB> {
    /// How long idle connections stay suspect after a connection error.
    const SUSPICION: time::Duration = time::Duration::seconds(10);

    pub(crate) fn new(pool: sqlx::Pool<DB>) -> Self {
        let max = pool.options().get_max_connections().max(1) as usize;
        ServerPool {
            pool,
            suspect_until: std::sync::atomic::AtomicI64::new(0),
            idle: Mutex::new(Vec::new()),
            in_use: Arc::new(Semaphore::new(max)),
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

    /// The most recently used idle connection that is not too old, if any. Also closes the
    /// least recently used one when it is too old, so that connections a burst opened do not
    /// stay open under lighter load.
    fn take_idle(&self) -> Option<Kept<DB::Connection>> {
        let options = self.pool.options();
        let (idle_timeout, max_lifetime) = (options.get_idle_timeout(), options.get_max_lifetime());
        let stale = |kept: &Kept<DB::Connection>| {
            idle_timeout.is_some_and(|limit| kept.used.elapsed() > limit)
                || max_lifetime.is_some_and(|limit| kept.since.elapsed() > limit)
        };
        let mut idle = lock(&self.idle);
        if idle.first().is_some_and(stale) {
            idle.remove(0);
        }
        while let Some(kept) = idle.pop() {
            if !stale(&kept) {
                return Some(kept);
            }
        }
        None
    }

    /// A connection for one operation: an idle one, else a new one from the sqlx pool; tested
    /// first while connections are suspect. Bounded by the acquire timeout.
    pub(crate) async fn acquire(&self) -> Result<Lease<DB>, sqlx::Error> {
        use sqlx::Connection as _;
        let timeout = self.pool.options().get_acquire_timeout();
        let acquire = async {
            let permit = self
                .in_use
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| sqlx::Error::PoolClosed)?;
            loop {
                if self.pool.is_closed() {
                    lock(&self.idle).clear();
                    return Err(sqlx::Error::PoolClosed);
                }
                let mut kept = match self.take_idle() {
                    Some(kept) => kept,
                    None => {
                        let now = Instant::now();
                        Kept {
                            conn: self.pool.acquire().await?.detach(),
                            since: now,
                            used: now,
                        }
                    }
                };
                if self.suspect() {
                    if let Err(error) = kept.conn.ping().await {
                        tracing::debug!(%error, "discarding a dead pooled connection");
                        continue;
                    }
                }
                return Ok(Lease {
                    kept: Some(kept),
                    _permit: permit,
                    back: None,
                });
            }
        };
        tokio::time::timeout(timeout, acquire)
            .await
            .unwrap_or(Err(sqlx::Error::PoolTimedOut))
    }

    /// Gives a connection back after an operation that succeeded, for the next one.
    pub(crate) async fn release(&self, mut lease: Lease<DB>) {
        if let Some(kept) = lease.kept.take() {
            self.keep(kept).await;
        }
    }

    /// Keeps a connection for the next operation, once nothing of the last one is pending on
    /// it: a transaction dropped without commit only queues its `ROLLBACK` for the connection's
    /// next use (sqlx's own pool flushes it with its ping on release), and until it is sent the
    /// server holds the transaction's locks. Such a connection is flushed first; one still in
    /// a transaction is closed.
    async fn keep(&self, mut kept: Kept<DB::Connection>) {
        use sqlx::Connection as _;
        if self.pool.is_closed() || kept.conn.is_in_transaction() {
            return;
        }
        if kept.conn.should_flush() {
            if let Err(error) = kept.conn.ping().await {
                tracing::debug!(%error, "closing a connection that could not finish its last operation");
                return;
            }
        }
        kept.used = Instant::now();
        lock(&self.idle).push(kept);
    }

    /// Runs `op` on a connection. If the connection turns out dead (the server dropped it),
    /// retries once on a tested connection. Errors are mapped onto [`crate::Error`].
    pub(crate) async fn run<T, F, Fut>(&self, mut op: F) -> crate::Result<T>
    where
        F: FnMut(Lease<DB>) -> Fut,
        Fut: std::future::Future<Output = Result<T, sqlx::Error>>,
    {
        let mut retried = false;
        loop {
            let mut lease = self.acquire().await.map_err(map_sqlx_error)?;
            let back = Arc::new(Mutex::new(None));
            lease.back = Some(back.clone());
            match op(lease).await {
                Ok(value) => {
                    let kept = lock(&back).take();
                    if let Some(kept) = kept {
                        self.keep(kept).await;
                    }
                    return Ok(value);
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_sqlx_error_as_its_source() {
        let error = map_sqlx_error(sqlx::Error::PoolTimedOut);
        assert!(error.is_unavailable());
        let source = std::error::Error::source(&error).expect("a source");
        assert!(matches!(
            source.downcast_ref::<sqlx::Error>(),
            Some(sqlx::Error::PoolTimedOut)
        ));
        let refused = map_sqlx_error(sqlx::Error::RowNotFound);
        assert!(!refused.is_unavailable());
        assert!(std::error::Error::source(&refused).is_some());
    }
}
