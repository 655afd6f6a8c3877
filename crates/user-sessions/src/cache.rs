//! An in-process cache of sessions in front of any backend, bounded in size and in time.
//!
//! Over 600 lines with its unit tests beside it (the guarantee below is tested there); the code is
//! about 420.
//!
//! Each app server keeps the sessions it recently loaded or saved in memory for a short time
//! (the time-to-live, 1 s by default), so the requests of a busy page — the HTML, its API
//! calls, its refreshes — read the database once instead of once each.
//!
//! # The guarantee
//!
//! A cache entry answers [`Store::load`](crate::Store::load) and [`Store::get`](crate::Store::get)
//! for at most [`CacheOptions::ttl`] counted from the moment the database read or write that
//! filled it *started*. Therefore:
//!
//! - **On other app servers**, a session ended (deleted, ended by its user, by "log out
//!   everywhere", by an admin, or directly in the database) at time *T* is refused by every load
//!   that starts after *T* + `ttl`. Between *T* and *T* + `ttl` a server that loaded the session
//!   just before *T* may still accept it. That is the whole window: there is no invalidation
//!   message that could be lost, so the bound holds whatever happens to the network.
//! - **On the app server that ended it**, immediately: ending a session through a
//!   [`Store`](crate::Store) evicts the entries it ends, and a load that raced with the end is
//!   not cached.
//! - Session data written by another server is likewise seen after at most `ttl`. Two servers
//!   writing the same session within `ttl` of each other can lose one update (the cache reads
//!   what it last saw); route a session's requests to one server (sticky sessions) if the
//!   application writes session data on every request and cannot tolerate that.
//! - Only single-session reads are cached. A user's session list, counts, admin listings and
//!   statistics always ask the backend. Unknown ids are never cached, so a session created on
//!   another server is found at once.
//!
//! Pick `ttl` as the longest time an ended session may keep working on another server. A
//! backend without this cache (the default) has no such window at all.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
//! use std::time::Duration;
//! use user_sessions::{Store, cache::CacheOptions};
//!
//! let store = Store::open("sqlite::memory:")
//!     .await?
//!     .with_cache(CacheOptions { ttl: Duration::from_millis(500), ..CacheOptions::default() });
//! store.migrate().await?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use quick_cache::sync::Cache;
use time::OffsetDateTime;

use crate::backend::{Backend, Purged, StoredSession, Touch};
use crate::{
    Filter, KnownDevice, Page, PageRequest, PublicId, Result, SessionInfo, SessionLimit,
    SignInOutcome, SignInWrite, Stats,
};

/// Settings of a [`CachedBackend`].
///
/// ```
/// use user_sessions::cache::CacheOptions;
/// let options = CacheOptions::default();
/// assert_eq!(options.ttl, std::time::Duration::from_secs(1));
/// assert_eq!(options.capacity, 10_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheOptions {
    /// How long an entry may answer reads, counted from the start of the database call that
    /// filled it: the longest time an ended session can keep working on another app server
    /// (default 1 s).
    pub ttl: Duration,
    /// How many sessions the cache holds (default 10 000; the cache's shards may round it up a
    /// little). When it is full, sessions read once and not since go first (`quick_cache`'s
    /// S3-FIFO policy).
    pub capacity: usize,
}

impl Default for CacheOptions {
    fn default() -> Self {
        CacheOptions {
            ttl: Duration::from_secs(1),
            capacity: 10_000,
        }
    }
}

/// A [`Backend`] that answers single-session reads from a small in-process cache and
/// passes everything else to the backend it wraps. See the [module docs](self) for the exact
/// guarantee.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
/// use user_sessions::{Store, cache::{CacheOptions, CachedBackend}, sqlite::SqliteBackend};
///
/// let backend = SqliteBackend::open("sqlite::memory:").await?;
/// let store = Store::new(CachedBackend::new(backend, CacheOptions::default()));
/// store.migrate().await?;
/// # Ok(()) }
/// ```
pub struct CachedBackend {
    inner: Arc<dyn Backend>,
    options: CacheOptions,
    entries: Cache<PublicId, Arc<Entry>>,
    /// When stale entries are next swept out (see [`CachedBackend::sweep`]).
    next_sweep: Mutex<Instant>,
    /// Bumped by every local end of sessions, before it evicts what it ends. A fill compares
    /// it with what it was when its backend call started, so that a read racing with an end
    /// never caches what was ended.
    ends: AtomicU64,
}

struct Entry {
    session: StoredSession,
    fresh_until: Instant,
    /// Set by the fill that inserted the entry once it has seen that no local end began while
    /// it ran; reads pass an unconfirmed entry by (see [`CachedBackend::fill`]).
    confirmed: AtomicBool,
}

/// What a fill remembers from before its backend call.
#[derive(Clone, Copy)]
struct FillTicket {
    started: Instant,
    ends: u64,
}

impl CachedBackend {
    /// Wraps `backend`.
    pub fn new(backend: impl Backend, options: CacheOptions) -> Self {
        Self::from_backend(Arc::new(backend), options)
    }

    /// Wraps a shared backend.
    pub fn from_backend(backend: Arc<dyn Backend>, options: CacheOptions) -> Self {
        CachedBackend {
            inner: backend,
            options,
            entries: Cache::new(options.capacity.max(1)),
            next_sweep: Mutex::new(Instant::now() + options.ttl),
            ends: AtomicU64::new(0),
        }
    }

    /// The settings.
    pub fn options(&self) -> CacheOptions {
        self.options
    }

    /// How many sessions are cached now (fresh or not yet evicted).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn ticket(&self) -> FillTicket {
        FillTicket {
            started: Instant::now(),
            ends: self.ends.load(Ordering::SeqCst),
        }
    }

    fn lookup(&self, id: &PublicId) -> Option<StoredSession> {
        let entry = self.entries.get(id)?;
        if entry.fresh_until <= Instant::now() {
            self.entries
                .remove_if(id, |cached| Arc::ptr_eq(cached, &entry));
            return None;
        }
        entry
            .confirmed
            .load(Ordering::Acquire)
            .then(|| entry.session.clone())
    }

    /// Caches `session` unless a local end began since `ticket` was taken (then evicts its id).
    fn fill(&self, ticket: FillTicket, session: &StoredSession) {
        if self.options.capacity == 0 || self.options.ttl.is_zero() {
            return;
        }
        if self.ends.load(Ordering::SeqCst) != ticket.ends {
            self.entries.remove(&session.info.id);
            return;
        }
        self.sweep();
        self.insert_checked(ticket, session);
    }

    /// Takes out the entries whose ttl has passed, at most once per ttl.
    ///
    /// The cache's policy keeps the entries that filled it first in its main part until they
    /// are pushed out by entries read more often; a stale entry is never read again, so
    /// without this the sessions of the first second would hold most of the room for good.
    fn sweep(&self) {
        let now = Instant::now();
        {
            // Another thread sweeping now is as good.
            let Ok(mut next) = self.next_sweep.try_lock() else {
                return;
            };
            if *next > now {
                return;
            }
            *next = now + self.options.ttl;
        }
        self.entries.retain(|_, entry| entry.fresh_until > now);
    }

    /// Inserts `session`, then confirms it if no local end began since `ticket` was taken, or
    /// takes it out again.
    ///
    /// An end bumps `ends`, then evicts under the lock of the entry's shard. This inserts
    /// under that lock, then reads `ends`: if the insert came after the end's eviction, the
    /// read sees the bump; if before, the eviction took the entry out. Until it is confirmed
    /// the entry answers no read.
    fn insert_checked(&self, ticket: FillTicket, session: &StoredSession) {
        let id = session.info.id;
        let entry = Arc::new(Entry {
            session: session.clone(),
            fresh_until: ticket.started + self.options.ttl,
            confirmed: AtomicBool::new(false),
        });
        self.entries.insert(id, Arc::clone(&entry));
        if self.ends.load(Ordering::SeqCst) == ticket.ends {
            entry.confirmed.store(true, Ordering::Release);
        } else {
            self.entries.remove(&id);
        }
    }

    /// Records a local end of the sessions `ids`: one lookup each, nothing scanned.
    fn end_ids(&self, ids: &[PublicId]) {
        self.ends.fetch_add(1, Ordering::SeqCst);
        for id in ids {
            self.entries.remove(id);
        }
    }

    /// Records a local end of the sessions `ended` selects among those cached (a user's
    /// sessions, the expired ones): the one kind of end that visits every entry.
    fn end_where(&self, ended: impl Fn(&StoredSession) -> bool) {
        self.ends.fetch_add(1, Ordering::SeqCst);
        self.entries.retain(|_, entry| !ended(&entry.session));
    }
}

impl fmt::Debug for CachedBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedBackend")
            .field("inner", &self.inner)
            .field("options", &self.options)
            .field("entries", &self.len())
            .finish()
    }
}

#[async_trait]
impl Backend for CachedBackend {
    async fn migrate(&self) -> Result<()> {
        self.inner.migrate().await
    }

    async fn pending_migrations(&self) -> Result<usize> {
        self.inner.pending_migrations().await
    }

    async fn create(&self, session: &StoredSession, now: OffsetDateTime) -> Result<bool> {
        let ticket = self.ticket();
        let created = self.inner.create(session, now).await?;
        if created {
            self.fill(ticket, session);
        }
        Ok(created)
    }

    async fn create_many(&self, sessions: &[StoredSession], now: OffsetDateTime) -> Result<u64> {
        let result = self.inner.create_many(sessions, now).await;
        // Replaced expired sessions must not be answered from an old entry.
        let ids: Vec<PublicId> = sessions.iter().map(|s| s.info.id).collect();
        self.end_ids(&ids);
        result
    }

    async fn get(&self, id: &PublicId) -> Result<Option<StoredSession>> {
        if let Some(session) = self.lookup(id) {
            return Ok(Some(session));
        }
        let ticket = self.ticket();
        let session = self.inner.get(id).await?;
        if let Some(session) = &session {
            self.fill(ticket, session);
        }
        Ok(session)
    }

    async fn save(&self, session: &StoredSession) -> Result<()> {
        let ticket = self.ticket();
        let result = self.inner.save(session).await;
        match result {
            Ok(()) => self.fill(ticket, session),
            Err(_) => self.end_ids(&[session.info.id]),
        }
        result
    }

    async fn update(&self, session: &StoredSession) -> Result<bool> {
        let ticket = self.ticket();
        let result = self.inner.update(session).await;
        match result {
            Ok(true) => self.fill(ticket, session),
            _ => self.end_ids(&[session.info.id]),
        }
        result
    }

    async fn update_data(&self, session: &StoredSession) -> Result<bool> {
        let result = self.inner.update_data(session).await;
        match result {
            // The backend may have kept columns newer than the caller's: read them next time.
            Ok(true) => {
                self.entries.remove(&session.info.id);
            }
            _ => self.end_ids(&[session.info.id]),
        }
        result
    }

    async fn sign_in(
        &self,
        session: &StoredSession,
        write: SignInWrite,
        limit: SessionLimit,
        now: OffsetDateTime,
    ) -> Result<SignInOutcome> {
        let result = self.inner.sign_in(session, write, limit, now).await;
        let mut ended = vec![session.info.id];
        if let Ok(SignInOutcome::Written { ended: others }) = &result {
            ended.extend_from_slice(others);
        }
        self.end_ids(&ended);
        result
    }

    async fn touch(&self, id: &PublicId, touch: &Touch, now: OffsetDateTime) -> Result<bool> {
        let result = self.inner.touch(id, touch, now).await;
        self.end_ids(&[*id]);
        result
    }

    async fn mark_authenticated(
        &self,
        id: &PublicId,
        at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<Option<SessionInfo>> {
        // Read and written below the cache: never from a cached copy of the row.
        let result = self.inner.mark_authenticated(id, at, now).await;
        self.end_ids(&[*id]);
        result
    }

    async fn delete(&self, id: &PublicId) -> Result<bool> {
        let result = self.inner.delete(id).await;
        self.end_ids(&[*id]);
        result
    }

    async fn delete_many(&self, ids: &[PublicId]) -> Result<u64> {
        let result = self.inner.delete_many(ids).await;
        self.end_ids(ids);
        result
    }

    async fn user_sessions(&self, user_id: &str, now: OffsetDateTime) -> Result<Vec<SessionInfo>> {
        self.inner.user_sessions(user_id, now).await
    }

    async fn delete_user_session(&self, user_id: &str, id: &PublicId) -> Result<bool> {
        let result = self.inner.delete_user_session(user_id, id).await;
        self.end_ids(&[*id]);
        result
    }

    async fn delete_user_sessions(&self, user_id: &str, keep: Option<&PublicId>) -> Result<u64> {
        let result = self.inner.delete_user_sessions(user_id, keep).await;
        self.end_where(|cached| {
            cached.info.user_id.as_deref() == Some(user_id) && Some(&cached.info.id) != keep
        });
        result
    }

    async fn count(&self, filter: &Filter, now: OffsetDateTime) -> Result<u64> {
        self.inner.count(filter, now).await
    }

    async fn purge_expired(&self, now: OffsetDateTime, limit: u32) -> Result<Purged> {
        let result = self.inner.purge_expired(now, limit).await;
        self.end_where(|cached| cached.info.expires_at <= now);
        result
    }

    async fn list(&self, filter: &Filter, page: &PageRequest, now: OffsetDateTime) -> Result<Page> {
        self.inner.list(filter, page, now).await
    }

    async fn remember_device(
        &self,
        user_id: &str,
        device: &KnownDevice,
        forget_before: OffsetDateTime,
    ) -> Result<()> {
        self.inner
            .remember_device(user_id, device, forget_before)
            .await
    }

    async fn known_devices(
        &self,
        user_id: &str,
        since: OffsetDateTime,
    ) -> Result<Vec<KnownDevice>> {
        self.inner.known_devices(user_id, since).await
    }

    async fn forget_user_devices(&self, user_id: &str) -> Result<u64> {
        self.inner.forget_user_devices(user_id).await
    }

    async fn forget_devices(&self, before: OffsetDateTime, limit: u32) -> Result<u64> {
        self.inner.forget_devices(before, limit).await
    }

    async fn stats(&self, now: OffsetDateTime) -> Result<Stats> {
        self.inner.stats(now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SessionInfo;

    fn session(n: u8, user: &str) -> StoredSession {
        let mut info = SessionInfo::new(
            PublicId::from_bytes([n; 32]),
            OffsetDateTime::now_utc() + time::Duration::hours(1),
        );
        info.user_id = Some(user.to_owned());
        StoredSession {
            info,
            data: b"{}".to_vec(),
        }
    }

    fn cache(capacity: usize, ttl: Duration) -> CachedBackend {
        #[derive(Debug)]
        struct Nothing;
        #[async_trait]
        impl Backend for Nothing {
            async fn migrate(&self) -> Result<()> {
                Ok(())
            }
            async fn pending_migrations(&self) -> Result<usize> {
                Ok(0)
            }
            async fn create(&self, _: &StoredSession, _: OffsetDateTime) -> Result<bool> {
                Ok(true)
            }
            async fn get(&self, _: &PublicId) -> Result<Option<StoredSession>> {
                Ok(None)
            }
            async fn update(&self, _: &StoredSession) -> Result<bool> {
                Ok(true)
            }
            async fn save(&self, _: &StoredSession) -> Result<()> {
                Ok(())
            }
            async fn touch(&self, _: &PublicId, _: &Touch, _: OffsetDateTime) -> Result<bool> {
                Ok(false)
            }
            async fn sign_in(
                &self,
                _: &StoredSession,
                _: SignInWrite,
                _: SessionLimit,
                _: OffsetDateTime,
            ) -> Result<SignInOutcome> {
                Ok(SignInOutcome::Written { ended: Vec::new() })
            }
            async fn delete(&self, _: &PublicId) -> Result<bool> {
                Ok(false)
            }
            async fn delete_many(&self, _: &[PublicId]) -> Result<u64> {
                Ok(0)
            }
            async fn user_sessions(&self, _: &str, _: OffsetDateTime) -> Result<Vec<SessionInfo>> {
                Ok(Vec::new())
            }
            async fn delete_user_session(&self, _: &str, _: &PublicId) -> Result<bool> {
                Ok(false)
            }
            async fn delete_user_sessions(&self, _: &str, _: Option<&PublicId>) -> Result<u64> {
                Ok(0)
            }
            async fn count(&self, _: &Filter, _: OffsetDateTime) -> Result<u64> {
                Ok(0)
            }
            async fn purge_expired(&self, _: OffsetDateTime, _: u32) -> Result<Purged> {
                Ok(Purged::default())
            }
            async fn list(&self, _: &Filter, _: &PageRequest, _: OffsetDateTime) -> Result<Page> {
                Ok(Page {
                    sessions: Vec::new(),
                    next: None,
                })
            }
            async fn remember_device(
                &self,
                _: &str,
                _: &KnownDevice,
                _: OffsetDateTime,
            ) -> Result<()> {
                Ok(())
            }
            async fn known_devices(&self, _: &str, _: OffsetDateTime) -> Result<Vec<KnownDevice>> {
                Ok(Vec::new())
            }
            async fn forget_devices(&self, _: OffsetDateTime, _: u32) -> Result<u64> {
                Ok(0)
            }
            async fn forget_user_devices(&self, _: &str) -> Result<u64> {
                Ok(0)
            }
        }
        CachedBackend::new(Nothing, CacheOptions { ttl, capacity })
    }

    fn numbered(n: u16) -> StoredSession {
        let mut bytes = [0; 32];
        bytes[..2].copy_from_slice(&n.to_le_bytes());
        let mut s = session(0, "u");
        s.info.id = PublicId::from_bytes(bytes);
        s
    }

    #[test]
    fn capacity_keeps_sessions_in_use_and_the_newest() {
        let cache = cache(100, Duration::from_secs(60));
        let id = |n| numbered(n).info.id;
        let hot = id(9_999);
        cache.fill(cache.ticket(), &numbered(9_999));
        for n in 0..300 {
            cache.fill(cache.ticket(), &numbered(n));
            assert!(cache.lookup(&hot).is_some(), "a session in use stays");
        }
        let bound = 100 + cache.entries.num_shards();
        assert!(cache.len() <= bound, "{} entries", cache.len());
        assert!(cache.lookup(&id(299)).is_some());
        // Refilling an id replaces its entry without growing the cache.
        let len = cache.len();
        cache.fill(cache.ticket(), &numbered(299));
        assert_eq!(cache.len(), len);
    }

    #[test]
    fn stale_entries_make_room_first() {
        let cache = cache(100, Duration::from_millis(50));
        for n in 0..100 {
            cache.fill(cache.ticket(), &numbered(n));
        }
        std::thread::sleep(Duration::from_millis(60));
        // Half the capacity, so that no shard overflows however the ids spread.
        for n in 100..150 {
            cache.fill(cache.ticket(), &numbered(n));
        }
        assert!(
            !cache.entries.contains_key(&numbered(0).info.id),
            "the oldest made room"
        );
        let fresh = (100..150)
            .filter(|&n| cache.lookup(&numbered(n).info.id).is_some())
            .count();
        assert_eq!(fresh, 50, "the newest are all cached");
    }

    #[test]
    fn entries_expire() {
        let cache = cache(10, Duration::ZERO);
        cache.fill(cache.ticket(), &session(1, "u"));
        assert!(cache.lookup(&PublicId::from_bytes([1; 32])).is_none());
    }

    #[test]
    fn entries_answer_for_the_ttl_from_the_start_of_their_fill() {
        let cache = cache(10, Duration::from_millis(50));
        let id = PublicId::from_bytes([1; 32]);
        let ticket = cache.ticket();
        std::thread::sleep(Duration::from_millis(60));
        cache.fill(ticket, &session(1, "u"));
        assert!(cache.lookup(&id).is_none(), "stale when it was filled");
        cache.fill(cache.ticket(), &session(1, "u"));
        assert!(cache.lookup(&id).is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.lookup(&id).is_none());
        assert!(cache.is_empty(), "a stale entry is evicted when met");
    }

    #[test]
    fn a_fill_racing_with_an_end_is_dropped() {
        let cache = cache(10, Duration::from_secs(60));
        let ticket = cache.ticket();
        cache.end_ids(&[PublicId::from_bytes([7; 32])]);
        cache.fill(ticket, &session(1, "u"));
        assert!(cache.is_empty());
    }

    #[test]
    fn a_fill_whose_insert_follows_an_end_takes_it_out_again() {
        // The end happens after the fill's first look at `ends` and before its insert.
        let cache = cache(10, Duration::from_secs(60));
        let id = PublicId::from_bytes([1; 32]);
        let ticket = cache.ticket();
        cache.end_ids(&[id]);
        cache.insert_checked(ticket, &session(1, "u"));
        assert!(cache.lookup(&id).is_none());
        assert!(cache.is_empty());
    }

    #[test]
    fn an_unconfirmed_entry_answers_no_read() {
        let cache = cache(10, Duration::from_secs(60));
        let id = PublicId::from_bytes([1; 32]);
        let entry = Arc::new(Entry {
            session: session(1, "u"),
            fresh_until: Instant::now() + Duration::from_secs(60),
            confirmed: AtomicBool::new(false),
        });
        cache.entries.insert(id, Arc::clone(&entry));
        assert!(cache.lookup(&id).is_none());
        entry.confirmed.store(true, Ordering::Release);
        assert!(cache.lookup(&id).is_some());
    }

    #[test]
    fn no_fill_that_started_before_an_end_outlives_it() {
        let cache = Arc::new(cache(10, Duration::from_secs(60)));
        let id = PublicId::from_bytes([1; 32]);
        for _ in 0..500 {
            let ticket = cache.ticket();
            let start = Arc::new(std::sync::Barrier::new(2));
            let filler = {
                let (cache, start) = (Arc::clone(&cache), Arc::clone(&start));
                std::thread::spawn(move || {
                    start.wait();
                    cache.fill(ticket, &session(1, "u"));
                })
            };
            start.wait();
            cache.end_ids(&[id]);
            while !filler.is_finished() {
                assert!(cache.lookup(&id).is_none());
            }
            filler.join().expect("filler panicked");
            assert!(cache.lookup(&id).is_none());
        }
    }

    #[tokio::test]
    async fn ending_one_session_evicts_it_alone() {
        let cache = cache(10, Duration::from_secs(60));
        for n in 0..3 {
            cache.fill(cache.ticket(), &session(n, "alice"));
        }
        let ended = PublicId::from_bytes([1; 32]);
        cache.delete(&ended).await.unwrap();
        assert!(cache.lookup(&ended).is_none());
        assert!(cache.lookup(&PublicId::from_bytes([0; 32])).is_some());
        assert!(cache.lookup(&PublicId::from_bytes([2; 32])).is_some());
        // A fill that starts after the end caches again.
        cache.fill(cache.ticket(), &session(1, "alice"));
        assert!(cache.lookup(&ended).is_some());
    }

    #[tokio::test]
    async fn ending_a_users_sessions_evicts_them_but_the_kept_one() {
        let cache = cache(10, Duration::from_secs(60));
        for n in 0..3 {
            cache.fill(cache.ticket(), &session(n, "alice"));
        }
        cache.fill(cache.ticket(), &session(9, "bob"));
        let keep = PublicId::from_bytes([1; 32]);
        cache
            .delete_user_sessions("alice", Some(&keep))
            .await
            .unwrap();
        assert!(cache.lookup(&keep).is_some());
        assert!(cache.lookup(&PublicId::from_bytes([0; 32])).is_none());
        assert!(cache.lookup(&PublicId::from_bytes([9; 32])).is_some());
    }
}
