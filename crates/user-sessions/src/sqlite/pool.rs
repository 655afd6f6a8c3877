//! A small connection pool for SQLite: one writer and a bounded set of readers (WAL lets them
//! run beside the writer).
//!
//! Writes queue for a dedicated writer thread that owns the write connection (instead of
//! spinning on SQLite's busy handler, or holding a lock across hand-offs between threads); single
//! statements queued together are committed in one transaction (group commit). Point reads run
//! on the calling thread when a reader connection is idle; other reads run on Tokio's blocking
//! thread pool.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

use crate::error::context;
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
    /// Create the database file when it does not exist (default `true`).
    pub create_if_missing: bool,
    /// How many sessions' rows are kept in memory to answer reads of the same session while
    /// the database has not changed (default 10 000; `0` reads every time). This is exact: any
    /// commit, by this process or another, makes every kept row miss (see
    /// [`SqliteBackend`](super::SqliteBackend)). Kept for database files in WAL mode on Unix,
    /// with one more (read-only) connection open, which keeps the WAL index it watches.
    pub read_cache: usize,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            readers: 4,
            busy_timeout: Duration::from_secs(5),
            create_if_missing: true,
            read_cache: 10_000,
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
    /// The database file as SQLite names it (symbolic links resolved), when it is in WAL mode
    /// (it is unless the file system cannot hold the WAL index).
    wal_file: Option<PathBuf>,
    options: SqliteOptions,
    /// Jobs for the writer thread, which owns the one write connection.
    writer: std::sync::mpsc::Sender<WriteJob>,
    readers: Mutex<Vec<Connection>>,
    reader_slots: Arc<Semaphore>,
}

impl Pool {
    pub(super) async fn open(path: Option<PathBuf>, options: SqliteOptions) -> Result<Self> {
        let (path2, options2) = (path.clone(), options.clone());
        let (writer, wal_file) = run_blocking(move || {
            let writer = open_connection(path2.as_ref(), &options2, true)?;
            let mode: String = writer
                .query_row("PRAGMA journal_mode", [], |row| row.get(0))
                .map_err(super::map_error)?;
            // Reading the schema builds the WAL index (the `-shm` file) of a new database.
            writer
                .query_row("SELECT COUNT(*) FROM sqlite_master", [], |_| Ok(()))
                .map_err(super::map_error)?;
            let wal_file = writer
                .path()
                .filter(|_| mode.eq_ignore_ascii_case("wal"))
                .map(PathBuf::from);
            Ok((writer, wal_file))
        })
        .await?;
        let writer = spawn_writer(writer)?;
        let readers = options.readers.max(1);
        Ok(Pool {
            inner: Arc::new(Inner {
                path,
                wal_file,
                options,
                writer,
                readers: Mutex::new(Vec::new()),
                reader_slots: Arc::new(Semaphore::new(readers)),
            }),
        })
    }

    /// The database file as SQLite names it, when it is in WAL mode.
    pub(super) fn wal_file(&self) -> Option<&Path> {
        self.inner.wal_file.as_deref()
    }

    /// Runs `f` on the writer connection; writes from this process run one at a time, back to
    /// back on the writer thread (no lock is held across a hand-off between threads).
    pub(super) async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let (done, result) = tokio::sync::oneshot::channel();
        let job = WriteJob::Solo(Box::new(move |conn| {
            let _ = done.send(f(conn));
        }));
        self.submit(job, result).await
    }

    /// Like [`write`](Self::write), for one statement that needs no transaction of its own:
    /// when several such writes are queued, the writer thread runs them in one transaction
    /// (group commit), and each caller hears back only after that transaction committed.
    pub(super) async fn write_batched<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let (done, result) = tokio::sync::oneshot::channel();
        let job = WriteJob::Batchable(Box::new(move |conn| {
            let outcome = f(conn);
            Box::new(move |committed: Result<()>| {
                let _ = done.send(outcome.and_then(|value| committed.map(|()| value)));
            })
        }));
        self.submit(job, result).await
    }

    /// Queues a job for the writer thread and waits for the answer it sends back.
    async fn submit<T>(
        &self,
        job: WriteJob,
        result: tokio::sync::oneshot::Receiver<Result<T>>,
    ) -> Result<T> {
        self.inner
            .writer
            .send(job)
            .map_err(|_| Error::Unavailable("the SQLite writer thread has stopped".into()))?;
        result
            .await
            .map_err(|_| Error::Backend("a SQLite write panicked".into()))?
    }

    /// Runs a point read (one row by primary key) on an idle reader connection right here, on
    /// the calling thread, instead of handing it to the blocking pool: in WAL mode such a read
    /// takes microseconds and never waits for the writer, while the hand-off to another thread
    /// and back costs more than the read itself (it halved the server's CPU time per
    /// session-reading HTTP request in `benches/http`). Falls back to [`read`](Self::read)
    /// when no connection is idle (opening one is slow) and for in-memory databases.
    /// Only for statements that read a handful of rows by index.
    pub(super) async fn read_point<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        if self.inner.path.is_none() {
            return self.write(f).await;
        }
        let permit = self.reader_slot().await?;
        let Some(mut conn) = self.inner.take_idle_reader() else {
            drop(permit);
            return self.read(f).await;
        };
        let result = f(&mut conn);
        self.inner.return_reader(conn);
        drop(permit);
        result
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
        let permit = self.reader_slot().await?;
        let inner = self.inner.clone();
        run_blocking(move || {
            let _permit = permit;
            let mut conn = match inner.take_idle_reader() {
                Some(conn) => conn,
                None => open_connection(inner.path.as_ref(), &inner.options, false)?,
            };
            let result = f(&mut conn);
            inner.return_reader(conn);
            result
        })
        .await
    }

    /// Waits for one of the reader slots (at most that many reads run at once).
    async fn reader_slot(&self) -> Result<tokio::sync::OwnedSemaphorePermit> {
        self.inner
            .reader_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::Unavailable("the SQLite pool is closed".into()))
    }
}

impl Inner {
    /// An open reader connection nobody is using, if there is one.
    fn take_idle_reader(&self) -> Option<Connection> {
        self.readers.lock().ok().and_then(|mut idle| idle.pop())
    }

    /// Puts a reader connection back for the next read.
    fn return_reader(&self, conn: Connection) {
        if let Ok(mut idle) = self.readers.lock() {
            idle.push(conn);
        }
    }
}

/// Work for the writer thread.
enum WriteJob {
    /// Runs alone (it may open its own transaction); sends its own result back.
    Solo(Box<dyn FnOnce(&mut Connection) + Send>),
    /// One statement that may share a transaction with others; returns how to report its
    /// outcome once the transaction's fate is known.
    Batchable(BatchableWrite),
}

/// A write that may share a transaction: runs its statement, returns how to report it.
type BatchableWrite = Box<dyn FnOnce(&mut Connection) -> Report + Send>;

/// Reports a batched write's outcome, given whether its transaction committed.
type Report = Box<dyn FnOnce(Result<()>) + Send>;

/// The most writes one group commit takes.
const MAX_BATCH: usize = 256;

/// Starts the thread that owns the write connection and runs write jobs in arrival order. It
/// ends (closing the connection) when the pool is dropped. A job that panics is reported to its
/// caller as an error; the thread carries on.
fn spawn_writer(mut conn: Connection) -> Result<std::sync::mpsc::Sender<WriteJob>> {
    let (jobs, queue) = std::sync::mpsc::channel::<WriteJob>();
    std::thread::Builder::new()
        .name("user-sessions-sqlite-writer".into())
        .spawn(move || {
            let mut next = None;
            while let Some(job) = next.take().or_else(|| queue.recv().ok()) {
                match job {
                    WriteJob::Solo(job) => guard(|| job(&mut conn)),
                    WriteJob::Batchable(first) => {
                        // Take the batchable writes queued behind this one.
                        let mut batch = vec![first];
                        while batch.len() < MAX_BATCH {
                            match queue.try_recv() {
                                Ok(WriteJob::Batchable(job)) => batch.push(job),
                                Ok(solo) => {
                                    next = Some(solo);
                                    break;
                                }
                                Err(_) => break,
                            }
                        }
                        guard(|| group_commit(&mut conn, batch));
                    }
                }
            }
        })
        .map_err(|e| Error::Unavailable(context("cannot start the SQLite writer thread", e)))?;
    Ok(jobs)
}

/// Runs `f`, surviving a panic (whose caller then hears that its write panicked).
fn guard(f: impl FnOnce()) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
}

/// Runs batchable writes in as few transactions as possible and reports each outcome after
/// its transaction's commit. A lone write runs in autocommit mode, as it would anyway.
fn group_commit(conn: &mut Connection, batch: Vec<BatchableWrite>) {
    if batch.len() == 1 {
        for job in batch {
            job(conn)(Ok(()));
        }
        return;
    }
    let mut reports: Vec<Report> = Vec::with_capacity(batch.len());
    let mut begun = conn
        .execute_batch("BEGIN IMMEDIATE")
        .map_err(super::map_error);
    for job in batch {
        if begun.is_err() {
            // Could not open a transaction: run and report this write on its own.
            job(conn)(Ok(()));
            continue;
        }
        reports.push(job(conn));
        if conn.is_autocommit() {
            // An error rolled the whole transaction back (SQLite does so for I/O errors, a full
            // disk, …): the writes before it are lost, so say so; start afresh for the rest.
            fail_all(&mut reports, "the transaction was rolled back");
            begun = conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(super::map_error);
        }
    }
    if begun.is_err() {
        return;
    }
    match conn.execute_batch("COMMIT") {
        Ok(()) => reports.drain(..).for_each(|report| report(Ok(()))),
        Err(error) => {
            let message = super::map_error(error).to_string();
            let _ = conn.execute_batch("ROLLBACK");
            fail_all(&mut reports, &message);
        }
    }
}

fn fail_all(reports: &mut Vec<Report>, why: &str) {
    for report in reports.drain(..) {
        report(Err(Error::Unavailable(
            format!("a grouped SQLite write was not committed: {why}").into(),
        )));
    }
}

async fn run_blocking<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Backend(context("SQLite task failed", e)))?
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
        Error::Unavailable(context(
            format!(
                "cannot open SQLite database {}",
                path.map_or_else(|| ":memory:".to_owned(), |p| p.display().to_string())
            ),
            e,
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
    // A larger page cache and memory-mapped reads keep index pages of big tables at hand.
    conn.pragma_update(None, "cache_size", -32_768)
        .map_err(super::map_error)?;
    if path.is_some() {
        conn.pragma_update(None, "mmap_size", 268_435_456)
            .map_err(super::map_error)?;
    }
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn grouped_writes_all_commit_and_a_failing_one_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let pool = Pool::open(Some(dir.path().join("g.db")), SqliteOptions::default())
            .await
            .unwrap();
        pool.write(|conn| {
            conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY)")
                .map_err(super::super::map_error)
        })
        .await
        .unwrap();
        let pool = Arc::new(pool);
        let writes = (0..300i64).map(|n| {
            let pool = pool.clone();
            // 7 is written twice: one of the two must fail, alone.
            let value = if n == 299 { 7 } else { n };
            tokio::spawn(async move {
                pool.write_batched(move |conn| {
                    conn.execute("INSERT INTO t (n) VALUES (?1)", [value])
                        .map_err(super::super::map_error)
                })
                .await
            })
        });
        let mut failed = 0;
        for write in writes.collect::<Vec<_>>() {
            failed += usize::from(write.await.unwrap().is_err());
        }
        assert_eq!(failed, 1);
        let count: i64 = pool
            .read(|conn| {
                conn.query_row("SELECT COUNT(*) FROM t", [], |row| row.get(0))
                    .map_err(super::super::map_error)
            })
            .await
            .unwrap();
        assert_eq!(count, 299);
    }
}
