//! The backend trait: what a storage engine must do. Everything above it is shared.

use std::fmt;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::{ClientHints, Filter, Page, PageRequest, PublicId, Result, SessionInfo, Stats, Status};
use crate::{KnownDevice, SessionLimit, SignInOutcome, SignInWrite};

/// A session as a backend stores it: the columns and the encoded data.
///
/// Backends never interpret `data`; [`Store`](crate::Store) encodes and decodes it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    /// The columns.
    pub info: SessionInfo,
    /// The encoded session data.
    pub data: Vec<u8>,
}

/// What a request records on a session it did not change: the client it came from, and when.
///
/// [`Store::touch`](crate::Store::touch) writes these columns and nothing else — not the data,
/// not the expiry — so that a request which never loads its session can still keep its last
/// activity and client current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touch {
    /// The client's IP address.
    pub ip: Option<std::net::IpAddr>,
    /// The client's `User-Agent`.
    pub user_agent: Option<String>,
    /// The client's `Sec-CH-UA*` hints.
    pub client_hints: Option<ClientHints>,
    /// When the session was last used.
    pub last_activity: OffsetDateTime,
}

/// What one purge batch deleted ([`Backend::purge_expired`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    /// The expired sessions it deleted one by one, each with its user (`None` when
    /// anonymous), so that each can be announced as ended.
    pub sessions: Vec<(PublicId, Option<String>)>,
    /// How many more it deleted without reading them: PostgreSQL's partitioned layout drops
    /// whole days of sessions that expired before the current day.
    pub unread: u64,
}

impl Purged {
    /// How many sessions went, read or not.
    ///
    /// ```
    /// use user_sessions::Purged;
    /// assert_eq!(Purged { sessions: Vec::new(), unread: 3 }.count(), 3);
    /// ```
    pub fn count(&self) -> u64 {
        self.sessions.len() as u64 + self.unread
    }
}

/// A storage engine for sessions. Implemented by the SQLite backend (and PostgreSQL, MySQL and
/// Redis behind their features); applications use it through [`Store`](crate::Store).
///
/// Every implementation must pass the conformance suite (feature `conformance`,
/// [`conformance_tests!`](crate::conformance_tests)). Times passed in are UTC milliseconds.
/// "Active" means `expires_at > now`.
#[async_trait]
pub trait Backend: Send + Sync + fmt::Debug + 'static {
    /// Creates or upgrades the schema. Idempotent.
    async fn migrate(&self) -> Result<()>;

    /// How many migrations `migrate` would apply.
    async fn pending_migrations(&self) -> Result<usize>;

    /// Inserts a new session. If a session with the same id exists and has not expired at `now`,
    /// nothing is written and `false` is returned; an expired one may be replaced.
    async fn create(&self, session: &StoredSession, now: OffsetDateTime) -> Result<bool>;

    /// Creates many sessions (an import): like [`create`](Self::create) for each, skipping the
    /// ids of live sessions; returns how many were written. Backends override this to write in
    /// one transaction or pipeline.
    async fn create_many(&self, sessions: &[StoredSession], now: OffsetDateTime) -> Result<u64> {
        let mut created = 0;
        for session in sessions {
            created += u64::from(self.create(session, now).await?);
        }
        Ok(created)
    }

    /// Reads a session by id, expired or not.
    async fn get(&self, id: &PublicId) -> Result<Option<StoredSession>>;

    /// Inserts or replaces a session, in one write.
    async fn save(&self, session: &StoredSession) -> Result<()>;

    /// Replaces an existing session, in one write; returns `false`, writing nothing, when no
    /// session with its id exists (it was ended meanwhile: an update must never bring it back).
    async fn update(&self, session: &StoredSession) -> Result<bool>;

    /// [`update`](Self::update) for a write that changes only the data and the expiry of
    /// `session`, whose other columns are as the caller read them: a backend may write just
    /// those two, leaving the others as it has them (SQLite then leaves the indexes of the
    /// columns it does not write alone). Returns `false`, writing nothing, when no session
    /// with its id exists. The default is `update`.
    async fn update_data(&self, session: &StoredSession) -> Result<bool> {
        self.update(session).await
    }

    /// Writes the client columns and last activity of a session that is active at `now`, in
    /// one write, leaving its data, expiry and user as they are. Returns `false`, writing
    /// nothing, when there is no such session: a touch never brings back an ended or expired
    /// session.
    async fn touch(&self, id: &PublicId, touch: &Touch, now: OffsetDateTime) -> Result<bool>;

    /// Sets the sign-in time of a session that is active at `now` to `at`, leaving every
    /// other column and its data as they are; returns its columns as written, `None` (writing
    /// nothing) when there is no such session. The default reads the row and updates it (a
    /// save of the same session racing in between may keep the older sign-in time); backends
    /// may override it with one narrow write.
    async fn mark_authenticated(
        &self,
        id: &PublicId,
        at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<Option<SessionInfo>> {
        let Some(mut stored) = self.get(id).await? else {
            return Ok(None);
        };
        if stored.info.is_expired_at(now) {
            return Ok(None);
        }
        stored.info.authenticated_at = Some(at);
        Ok(self.update(&stored).await?.then_some(stored.info))
    }

    /// Writes `session`, which has just gained its user (a sign-in), as `write` says, keeping
    /// that user to `limit` live sessions at `now`: in one atomic step, reads the user's other
    /// live sessions (most recently active first), lets [`SessionLimit::to_end`] decide, ends
    /// those it names and writes the session — or refuses and writes nothing. Two sign-ins of
    /// one user racing never leave more live sessions than the limit.
    async fn sign_in(
        &self,
        session: &StoredSession,
        write: SignInWrite,
        limit: SessionLimit,
        now: OffsetDateTime,
    ) -> Result<SignInOutcome>;

    /// Deletes one session; returns whether it existed.
    async fn delete(&self, id: &PublicId) -> Result<bool>;

    /// Deletes sessions by id; returns how many existed.
    async fn delete_many(&self, ids: &[PublicId]) -> Result<u64>;

    /// The user's sessions that are active at `now`, most recent activity first.
    async fn user_sessions(&self, user_id: &str, now: OffsetDateTime) -> Result<Vec<SessionInfo>>;

    /// Deletes one session if, and only if, it belongs to `user_id`; returns whether it did.
    async fn delete_user_session(&self, user_id: &str, id: &PublicId) -> Result<bool>;

    /// Deletes all of the user's sessions except `keep`; returns how many.
    async fn delete_user_sessions(&self, user_id: &str, keep: Option<&PublicId>) -> Result<u64>;

    /// Counts the sessions matching `filter` at `now`.
    async fn count(&self, filter: &Filter, now: OffsetDateTime) -> Result<u64>;

    /// Deletes at most `limit` sessions that expired at or before `now` (each checked at its
    /// deletion, so that a session extended meanwhile stays); returns them, with their users.
    async fn purge_expired(&self, now: OffsetDateTime, limit: u32) -> Result<Purged>;

    /// One page of the sessions matching `filter`, most recent activity first, then id descending.
    async fn list(&self, filter: &Filter, page: &PageRequest, now: OffsetDateTime) -> Result<Page>;

    /// Remembers that `user_id` signed in with `device.device` on `device.network` at
    /// `device.last_used`, in the user's device history (which outlives their sessions):
    /// inserts the pair, or moves its time forward (never back). Then keeps the user's
    /// [`MAX_KNOWN_DEVICES`](crate::MAX_KNOWN_DEVICES) most recently used pairs at most, and
    /// none last used before `forget_before`.
    async fn remember_device(
        &self,
        user_id: &str,
        device: &KnownDevice,
        forget_before: OffsetDateTime,
    ) -> Result<()>;

    /// The pairs of `user_id`'s device history last used at or after `since`, most recently
    /// used first.
    async fn known_devices(&self, user_id: &str, since: OffsetDateTime)
    -> Result<Vec<KnownDevice>>;

    /// Forgets at most `limit` pairs, of any user, last used before `before`; returns how many.
    async fn forget_devices(&self, before: OffsetDateTime, limit: u32) -> Result<u64>;

    /// Forgets every pair of `user_id`'s device history; returns how many.
    async fn forget_user_devices(&self, user_id: &str) -> Result<u64>;

    /// Figures about all sessions at `now`. The default walks every active session page by
    /// page; backends override it with one aggregate query.
    async fn stats(&self, now: OffsetDateTime) -> Result<Stats> {
        let mut stats = Stats {
            expired: self
                .count(&Filter::default().status(Status::Expired), now)
                .await?,
            ..Stats::default()
        };
        let mut users = std::collections::HashSet::new();
        let mut page = PageRequest {
            after: None,
            limit: 1000,
        };
        loop {
            let batch = self.list(&Filter::default(), &page, now).await?;
            for session in &batch.sessions {
                stats.active += 1;
                users.extend(session.user_id.clone());
                stats.oldest = Some(
                    stats
                        .oldest
                        .map_or(session.created_at, |t| t.min(session.created_at)),
                );
                stats.newest = Some(
                    stats
                        .newest
                        .map_or(session.last_activity, |t| t.max(session.last_activity)),
                );
            }
            match batch.next {
                Some(next) => page.after = Some(next),
                None => break,
            }
        }
        stats.users = users.len() as u64;
        Ok(stats)
    }
}
