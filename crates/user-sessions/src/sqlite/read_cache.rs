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
//! The header is read where SQLite's own connections read it: in the `-shm` file mapped into
//! memory, so a read costs a few loads and no system call. Like SQLite, the cache reads the
//! first copy, then the second (writers write them in the opposite order); a read that comes
//! while a writer is rewriting them sees two different copies and counts as "changed". A hit
//! saves the query and SQLite's locking of its WAL index, most of a point read's time (see
//! `benches/http`).

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering, fence};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use memmap2::{MmapOptions, MmapRaw};
use quick_cache::sync::Cache;
use rusqlite::{Connection, OpenFlags};

use crate::PublicId;
use crate::backend::StoredSession;

/// One copy of the WAL-index header, as the 32-bit words it is made of.
type Header = [u32; HEADER_WORDS];

const HEADER_WORDS: usize = 12;

/// Both copies of the header, in bytes: what is mapped.
const MAPPED_LEN: usize = 2 * HEADER_WORDS * 4;

/// Where the header's `isInit` byte is: 1 once the WAL index has been built.
const IS_INIT: usize = 12;

/// Rows read by primary key, each kept with the WAL-index header read before it.
pub(super) struct ReadCache {
    /// The start of the `-shm` file: both copies of the header.
    header: MmapRaw,
    /// A connection that has read from the database, and so holds SQLite's shared lock on its
    /// WAL index until it closes. While any connection holds that lock, no process truncates
    /// or deletes the `-shm` file (SQLite does so only when it opens the WAL index with no
    /// other connection, or closes the last one), so the mapping stays backed by the file.
    /// Never used otherwise.
    _holder: Mutex<Connection>,
    rows: Cache<PublicId, Arc<Kept>>,
}

struct Kept {
    header: Header,
    session: StoredSession,
}

impl ReadCache {
    /// Maps the WAL-index header of the WAL-mode database at `database` (the pool builds it
    /// when it opens the database), to keep up to `capacity` rows. `None` when `capacity` is
    /// 0, when the database or its `-shm` file cannot be opened or mapped, or off Unix.
    pub(super) fn open(database: &Path, capacity: usize) -> Option<Self> {
        if capacity == 0 || !cfg!(unix) {
            return None;
        }
        let holder = hold_wal_index(database).ok()?;
        let mut shm = database.as_os_str().to_owned();
        shm.push("-shm");
        let header = map_header(&File::open(shm).ok()?).ok()?;
        read_header(&header)?;
        Some(ReadCache {
            header,
            _holder: Mutex::new(holder),
            rows: Cache::new(capacity),
        })
    }

    /// The WAL-index header as it is now, or `None` while a writer is rewriting it: then
    /// nothing is answered or kept.
    pub(super) fn header(&self) -> Option<Header> {
        read_header(&self.header)
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

/// Opens a read-only connection to `database` and reads from it, which maps its WAL index
/// (building it, if no connection has yet) and takes SQLite's shared lock on it.
fn hold_wal_index(database: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(database, flags)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |_| Ok(()))?;
    Ok(conn)
}

/// Maps both copies of the header at the start of `shm`, which must be at least that long.
fn map_header(shm: &File) -> std::io::Result<MmapRaw> {
    if shm.metadata()?.len() < MAPPED_LEN as u64 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    MmapOptions::new().len(MAPPED_LEN).map_raw_read_only(shm)
}

/// The header in `mapped` (from [`map_header`]): its first copy, then its second; `None` when
/// the two differ (a writer is between them) or the index is not built.
fn read_header(mapped: &MmapRaw) -> Option<Header> {
    // SAFETY: `mapped` maps the first `MAPPED_LEN` bytes of a file at least that long, which
    // is not shrunk while the mapping lives (see `ReadCache::_holder`); a mapping starts on a
    // page boundary, so the words are aligned. SQLite writes these bytes from other threads
    // and processes: every read here is atomic.
    let words = unsafe {
        std::slice::from_raw_parts(mapped.as_ptr().cast::<AtomicU32>(), 2 * HEADER_WORDS)
    };
    let (first, second) = words.split_at(HEADER_WORDS);
    let first: Header = std::array::from_fn(|i| first[i].load(Ordering::Relaxed));
    fence(Ordering::Acquire);
    let second: Header = std::array::from_fn(|i| second[i].load(Ordering::Relaxed));
    // The reads of the row that follow come after the header's.
    fence(Ordering::Acquire);
    let is_init = first[IS_INIT / 4].to_ne_bytes()[IS_INIT % 4] == 1;
    (first == second && is_init).then_some(first)
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

    /// The words of a header given in bytes.
    fn words(bytes: &[u8; 4 * HEADER_WORDS]) -> Header {
        std::array::from_fn(|i| u32::from_ne_bytes(bytes[4 * i..4 * i + 4].try_into().unwrap()))
    }

    #[test]
    fn a_header_being_rewritten_or_not_yet_built_reads_as_none() {
        use std::os::unix::fs::FileExt;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db-shm");
        let mut header = [0u8; 4 * HEADER_WORDS];
        header[IS_INIT] = 1;
        header[8] = 7; // iChange
        std::fs::write(&path, [header, header].concat()).unwrap();
        let shm = File::options().read(true).write(true).open(&path).unwrap();
        let mapped = map_header(&shm).unwrap();
        assert_eq!(read_header(&mapped), Some(words(&header)));

        // Writes through the file show in the mapping, as SQLite's through its own do.
        let mut newer = header;
        newer[8] = 8;
        shm.write_all_at(&newer, 0).unwrap();
        assert_eq!(
            read_header(&mapped),
            None,
            "the two copies differ mid-write"
        );
        shm.write_all_at(&newer, 4 * HEADER_WORDS as u64).unwrap();
        assert_eq!(read_header(&mapped), Some(words(&newer)));

        let mut unbuilt = header;
        unbuilt[IS_INIT] = 0;
        shm.write_all_at(&[unbuilt, unbuilt].concat(), 0).unwrap();
        assert_eq!(read_header(&mapped), None);

        std::fs::write(dir.path().join("short-shm"), &header[..10]).unwrap();
        let short = File::open(dir.path().join("short-shm")).unwrap();
        assert!(map_header(&short).is_err(), "too short to map");
        assert!(ReadCache::open(&dir.path().join("missing"), 10).is_none());
    }

    #[test]
    fn the_cache_holds_the_wal_index_for_as_long_as_it_lives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let shm = dir.path().join("db-shm");
        let writer = wal_database(&path);
        let cache = ReadCache::open(&path, 10).unwrap();
        // The last other connection closes: SQLite would delete the `-shm` file of a database
        // no connection has open.
        drop(writer);
        assert!(shm.exists(), "kept by the cache's connection");
        let before = cache.header().unwrap();
        Connection::open(&path)
            .unwrap()
            .execute("INSERT INTO t (n) VALUES (1)", [])
            .unwrap();
        assert_ne!(
            cache.header().unwrap(),
            before,
            "the same file, still watched"
        );
    }
}
