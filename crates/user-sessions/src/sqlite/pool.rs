//! A small connection pool for SQLite: one writer (writes queue on an async mutex instead of
//! spinning on SQLite's busy handler) and a bounded set of readers (WAL lets them run beside the
//! writer). Every statement runs on Tokio's blocking thread pool.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

use crate::{Error, Result};

/// Settings of the SQLite backend.
///
/// ```
/// use user_sessions::sqlite::SqliteOptions;
/// let options = SqliteOptions { readers: 8, ..SqliteOptions::default() };
/// assert_eq!(options.busy_timeout, std::time::Duration::from_secs(5));
/// ```
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    /// How many read connections may run at once (default 4).
    pub readers: usize,
    /// How long a statement waits for a lock held by another process before failing with
    /// [`Error::Unavailable`] (default 5 s).
    pub busy_timeout: Duration,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            readers: 4,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

#[derive(Debug)]
pub(super) struct Pool {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// `None` for an in-memory database (one connection serves reads and writes).
    path: Option<PathBuf>,
    options: SqliteOptions,
    writer: Arc<tokio::sync::Mutex<Connection>>,
    readers: Mutex<Vec<Connection>>,
    reader_slots: Arc<Semaphore>,
}

impl Pool {
    pub(super) async fn open(path: Option<PathBuf>, options: SqliteOptions) -> Result<Self> {
        let (path2, options2) = (path.clone(), options.clone());
        let writer = run_blocking(move || open_connection(path2.as_ref(), &options2, true)).await?;
        let readers = options.readers.max(1);
        Ok(Pool {
            inner: Arc::new(Inner {
                path,
                options,
                writer: Arc::new(tokio::sync::Mutex::new(writer)),
                readers: Mutex::new(Vec::new()),
                reader_slots: Arc::new(Semaphore::new(readers)),
            }),
        })
    }

    /// Runs `f` on the writer connection; writes from this process run one at a time.
    pub(super) async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let mut writer = self.inner.writer.clone().lock_owned().await;
        run_blocking(move || f(&mut writer)).await
    }

    /// Runs `f` on a reader connection (the writer, for an in-memory database).
    pub(super) async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        if self.inner.path.is_none() {
            return self.write(f).await;
        }
        let permit = self
            .inner
            .reader_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::Unavailable("the SQLite pool is closed".into()))?;
        let inner = self.inner.clone();
        run_blocking(move || {
            let _permit = permit;
            let idle = inner.readers.lock().ok().and_then(|mut idle| idle.pop());
            let mut conn = match idle {
                Some(conn) => conn,
                None => open_connection(inner.path.as_ref(), &inner.options, false)?,
            };
            let result = f(&mut conn);
            if let Ok(mut idle) = inner.readers.lock() {
                idle.push(conn);
            }
            result
        })
        .await
    }
}

async fn run_blocking<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Backend(format!("SQLite task failed: {e}")))?
}

fn open_connection(
    path: Option<&PathBuf>,
    options: &SqliteOptions,
    writer: bool,
) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = match path {
        Some(path) => Connection::open_with_flags(path, flags),
        None => Connection::open_in_memory(),
    }
    .map_err(|e| {
        Error::Unavailable(format!(
            "cannot open SQLite database {}: {e}",
            path.map_or_else(|| ":memory:".to_owned(), |p| p.display().to_string())
        ))
    })?;
    conn.busy_timeout(options.busy_timeout)
        .map_err(super::map_error)?;
    conn.set_prepared_statement_cache_capacity(32);
    if path.is_some() && writer {
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(super::map_error)?;
    }
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(super::map_error)?;
    Ok(conn)
}
