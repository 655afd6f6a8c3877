//! An in-process cache of sessions in front of any backend, bounded in size and in time.
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

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::backend::{Backend, StoredSession, Touch};
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
    /// How many sessions the cache holds at most; the oldest entries go first (default 10 000).
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
    state: Mutex<CacheState>,
}

#[derive(Default)]
struct CacheState {
    entries: HashMap<PublicId, Entry>,
    /// Insertion order (every entry lives `ttl`, so this is also expiry order). Markers of
    /// replaced or evicted entries are skipped when they reach the front.
    order: VecDeque<(PublicId, u64)>,
    /// Bumped by every local end of sessions; a fill that started under an older epoch is
    /// dropped, so a read racing with an end never caches what was ended.
    epoch: u64,
    next_serial: u64,
}

struct Entry {
    session: StoredSession,
    fresh_until: Instant,
    serial: u64,
}

/// What a fill remembers from before its backend call.
#[derive(Clone, Copy)]
struct FillTicket {
    started: Instant,
    epoch: u64,
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
            state: Mutex::new(CacheState::default()),
        }
    }

    /// The settings.
    pub fn options(&self) -> CacheOptions {
        self.options
    }

    /// How many sessions are cached now (fresh or not yet evicted).
    pub fn len(&self) -> usize {
        self.state().entries.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn state(&self) -> MutexGuard<'_, CacheState> {
        // A panic while holding the lock cannot leave the maps inconsistent in a way that
        // matters (worst case: a stale marker), so a poisoned lock is used as is.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn ticket(&self) -> FillTicket {
        FillTicket {
            started: Instant::now(),
            epoch: self.state().epoch,
        }
    }

    fn lookup(&self, id: &PublicId) -> Option<StoredSession> {
        let mut state = self.state();
        let entry = state.entries.get(id)?;
        if entry.fresh_until > Instant::now() {
            return Some(entry.session.clone());
        }
        state.entries.remove(id);
        None
    }

    /// Caches `session` unless an end happened since `ticket` was taken (then evicts it).
    fn fill(&self, ticket: FillTicket, session: &StoredSession) {
        if self.options.capacity == 0 || self.options.ttl.is_zero() {
            return;
        }
        let mut state = self.state();
        let id = session.info.id;
        if state.epoch != ticket.epoch {
            state.entries.remove(&id);
            return;
        }
        let serial = state.next_serial;
        state.next_serial += 1;
        state.entries.insert(
            id,
            Entry {
                session: session.clone(),
                fresh_until: ticket.started + self.options.ttl,
                serial,
            },
        );
        state.order.push_back((id, serial));
        let now = Instant::now();
        while let Some(&(front, front_serial)) = state.order.front() {
            let (current, stale) = match state.entries.get(&front) {
                Some(entry) if entry.serial == front_serial => (true, entry.fresh_until <= now),
                _ => (false, true),
            };
            if !stale && state.entries.len() <= self.options.capacity {
                break;
            }
            state.order.pop_front();
            if current {
                state.entries.remove(&front);
            }
        }
    }

    /// Records a local end: bumps the epoch and evicts what `ended` selects.
    fn invalidate(&self, ended: impl Fn(&StoredSession) -> bool) {
        let mut state = self.state();
        state.epoch += 1;
        state.entries.retain(|_, entry| !ended(&entry.session));
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
        let ids: std::collections::HashSet<PublicId> = sessions.iter().map(|s| s.info.id).collect();
        self.invalidate(|cached| ids.contains(&cached.info.id));
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
            Err(_) => self.invalidate(|cached| cached.info.id == session.info.id),
        }
        result
    }

    async fn update(&self, session: &StoredSession) -> Result<bool> {
        let ticket = self.ticket();
        let result = self.inner.update(session).await;
        match result {
            Ok(true) => self.fill(ticket, session),
            _ => self.invalidate(|cached| cached.info.id == session.info.id),
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
        let ended: &[PublicId] = match &result {
            Ok(SignInOutcome::Written { ended }) => ended,
            _ => &[],
        };
        self.invalidate(|cached| {
            cached.info.id == session.info.id || ended.contains(&cached.info.id)
        });
        result
    }

    async fn touch(&self, id: &PublicId, touch: &Touch, now: OffsetDateTime) -> Result<bool> {
        let result = self.inner.touch(id, touch, now).await;
        self.invalidate(|cached| cached.info.id == *id);
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
        self.invalidate(|cached| cached.info.id == *id);
        result
    }

    async fn delete(&self, id: &PublicId) -> Result<bool> {
        let result = self.inner.delete(id).await;
        self.invalidate(|cached| cached.info.id == *id);
        result
    }

    async fn delete_many(&self, ids: &[PublicId]) -> Result<u64> {
        let result = self.inner.delete_many(ids).await;
        self.invalidate(|cached| ids.contains(&cached.info.id));
        result
    }

    async fn user_sessions(&self, user_id: &str, now: OffsetDateTime) -> Result<Vec<SessionInfo>> {
        self.inner.user_sessions(user_id, now).await
    }

    async fn delete_user_session(&self, user_id: &str, id: &PublicId) -> Result<bool> {
        let result = self.inner.delete_user_session(user_id, id).await;
        self.invalidate(|cached| cached.info.id == *id);
        result
    }

    async fn delete_user_sessions(&self, user_id: &str, keep: Option<&PublicId>) -> Result<u64> {
        let result = self.inner.delete_user_sessions(user_id, keep).await;
        self.invalidate(|cached| {
            cached.info.user_id.as_deref() == Some(user_id) && Some(&cached.info.id) != keep
        });
        result
    }

    async fn count(&self, filter: &Filter, now: OffsetDateTime) -> Result<u64> {
        self.inner.count(filter, now).await
    }

    async fn purge_expired(&self, now: OffsetDateTime, limit: u32) -> Result<u64> {
        let result = self.inner.purge_expired(now, limit).await;
        self.invalidate(|cached| cached.info.expires_at <= now);
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
            async fn purge_expired(&self, _: OffsetDateTime, _: u32) -> Result<u64> {
                Ok(0)
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
        }
        CachedBackend::new(Nothing, CacheOptions { ttl, capacity })
    }

    #[test]
    fn capacity_evicts_the_oldest() {
        let cache = cache(2, Duration::from_secs(60));
        for n in 0..3 {
            cache.fill(cache.ticket(), &session(n, "u"));
        }
        assert_eq!(cache.len(), 2);
        assert!(cache.lookup(&PublicId::from_bytes([0; 32])).is_none());
        assert!(cache.lookup(&PublicId::from_bytes([2; 32])).is_some());
        // Refilling an id replaces its entry without growing the cache.
        cache.fill(cache.ticket(), &session(2, "u"));
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn entries_expire() {
        let cache = cache(10, Duration::ZERO);
        cache.fill(cache.ticket(), &session(1, "u"));
        assert!(cache.lookup(&PublicId::from_bytes([1; 32])).is_none());
    }

    #[test]
    fn a_fill_racing_with_an_end_is_dropped() {
        let cache = cache(10, Duration::from_secs(60));
        let ticket = cache.ticket();
        cache.invalidate(|_| true);
        cache.fill(ticket, &session(1, "u"));
        assert!(cache.is_empty());
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
