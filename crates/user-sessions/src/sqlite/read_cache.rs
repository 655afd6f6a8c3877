//! Sessions read again while the database has not changed are answered from memory — exactly.
//!
//! In WAL mode, every transaction that commits, in this process or any other, rewrites the
//! *WAL-index header*: the first 96 bytes of the database's `-shm` file, which hold the same
//! 48-byte header twice (SQLite's file format, <https://sqlite.org/walformat.html>). The header
//! counts changes (`iChange`) and records the last committed frame, so two equal readings mean
//! nothing was committed in between.
//!
//! So a read first reads the header, then the row; the row is kept with the header read before
//! it. A later read of the same session whose header is still that one is answered with the
//! kept row: no commit can have happened since the row was read, so the database would answer
//! the same. Any commit — a session written or ended here, by the `user-sessions` tool, by
//! another app process — changes the header, and every kept row stops answering at once. Unlike
//! [`Store::with_cache`](crate::Store::with_cache) there is no time window: a session ended
//! anywhere is refused by every read that starts after the end committed.
//!
//! A read of the header that comes while a writer is rewriting it sees two different copies
//! and counts as "changed". Reading the header costs one `pread` of 96 bytes, which is what a
//! read that misses pays on top of the query (a hit saves the query and SQLite's locking of its
//! WAL index, most of a point read's time: see `benches/http`).

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use quick_cache::sync::Cache;

use crate::PublicId;
use crate::backend::StoredSession;

/// One copy of the WAL-index header.
type Header = [u8; HEADER_LEN];

const HEADER_LEN: usize = 48;

/// Where the header's `isInit` flag is: 1 once the WAL index has been built.
const IS_INIT: usize = 12;

/// Rows read by primary key, each kept with the WAL-index header read before it.
pub(super) struct ReadCache {
    shm: File,
    rows: Cache<PublicId, Arc<Kept>>,
}

struct Kept {
    header: Header,
    session: StoredSession,
}

impl ReadCache {
    /// Opens the `-shm` file of the WAL-mode database at `database` (the pool builds it when it
    /// opens the database), to keep up to `capacity` rows. `None` when `capacity` is 0, or
    /// when that file cannot be read (or not on this platform: Unix only).
    pub(super) fn open(database: &Path, capacity: usize) -> Option<Self> {
        if capacity == 0 {
            return None;
        }
        let mut shm = database.as_os_str().to_owned();
        shm.push("-shm");
        let shm = File::open(shm).ok()?;
        read_start(&shm, &mut [0; 2 * HEADER_LEN]).ok()?;
        Some(ReadCache {
            shm,
            rows: Cache::new(capacity),
        })
    }

    /// The WAL-index header as it is now, or `None` while a writer is rewriting it (or the file
    /// cannot be read): then nothing is answered or kept.
    pub(super) fn header(&self) -> Option<Header> {
        let mut both = [0; 2 * HEADER_LEN];
        read_start(&self.shm, &mut both).ok()?;
        let (first, second) = both.split_at(HEADER_LEN);
        if first != second || first[IS_INIT] != 1 {
            return None;
        }
        first.try_into().ok()
    }

    /// The row of `id` when it was read while the header was `now`, that is, when nothing has
    /// been committed since it was read.
    pub(super) fn get(&self, id: &PublicId, now: &Header) -> Option<StoredSession> {
        let kept = self.rows.get(id)?;
        (kept.header == *now).then(|| kept.session.clone())
    }

    /// Keeps `session`, read after the header was `before`.
    pub(super) fn keep(&self, before: Header, session: &StoredSession) {
        let kept = Arc::new(Kept {
            header: before,
            session: session.clone(),
        });
        self.rows.insert(session.info.id, kept);
    }
}

/// Fills `buf` from the start of `file`, without moving a file position (readers share it).
#[cfg(unix)]
fn read_start(file: &File, buf: &mut [u8]) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, 0)
}

/// Elsewhere the cache is off: SQLite's shared memory is not known to read coherently there.
#[cfg(not(unix))]
fn read_start(_: &File, _: &mut [u8]) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache")
            .field("rows", &self.rows.len())
            .finish_non_exhaustive()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use rusqlite::Connection;
    use time::OffsetDateTime;

    use super::*;
    use crate::SessionInfo;

    fn session(n: u8) -> StoredSession {
        StoredSession {
            info: SessionInfo::new(PublicId::from_secret(&[n]), OffsetDateTime::now_utc()),
            data: vec![n],
        }
    }

    fn wal_database(path: &Path) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER)").unwrap();
        conn
    }

    #[test]
    fn a_kept_row_answers_until_any_connection_commits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let _writer = wal_database(&path);
        let cache = ReadCache::open(&path, 10).expect("a WAL database has a -shm file");
        let before = cache.header().unwrap();
        cache.keep(before, &session(1));
        let now = cache.header().unwrap();
        assert_eq!(cache.get(&session(1).info.id, &now).unwrap().data, [1]);
        assert!(cache.get(&session(2).info.id, &now).is_none(), "never kept");

        // Another connection (as another process would) commits a change to another table.
        let other = Connection::open(&path).unwrap();
        other.execute("INSERT INTO t (n) VALUES (1)", []).unwrap();
        let now = cache.header().unwrap();
        assert_ne!(now, before);
        assert!(cache.get(&session(1).info.id, &now).is_none());

        // A read that does not commit leaves the header as it was.
        let _: i64 = other
            .query_row("SELECT COUNT(*) FROM t", [], |row| row.get(0))
            .unwrap();
        assert_eq!(cache.header().unwrap(), now);
    }

    #[test]
    fn a_header_being_rewritten_or_not_yet_built_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let shm = dir.path().join("db-shm");
        let mut header = [0u8; HEADER_LEN];
        header[IS_INIT] = 1;
        header[8] = 7; // iChange
        std::fs::write(&shm, [header, header].concat()).unwrap();
        let cache = ReadCache::open(&path, 10).unwrap();
        assert_eq!(cache.header(), Some(header));

        let mut newer = header;
        newer[8] = 8;
        std::fs::write(&shm, [newer, header].concat()).unwrap();
        assert_eq!(cache.header(), None, "the two copies differ mid-write");

        let mut unbuilt = header;
        unbuilt[IS_INIT] = 0;
        std::fs::write(&shm, [unbuilt, unbuilt].concat()).unwrap();
        assert_eq!(cache.header(), None);

        std::fs::write(&shm, &header[..10]).unwrap();
        assert_eq!(cache.header(), None, "too short");
        assert!(ReadCache::open(&dir.path().join("missing"), 10).is_none());
    }
}
