//! The [`Backend`] implementation of [`RedisBackend`].

use async_trait::async_trait;
use fred::prelude::{KeysInterface, Value};
use time::OffsetDateTime;

use super::{LAYOUT_VERSION, RedisBackend, WriteMode, decode_value, map_error};
use crate::backend::{Backend, Purged, StoredSession, Touch};
use crate::query::into_page;
use crate::record::now;
use crate::{
    Error, Filter, KnownDevice, Page, PageRequest, PublicId, Result, SessionInfo, SessionLimit,
    SignInOutcome, SignInWrite, Status,
};

#[async_trait]
impl Backend for RedisBackend {
    async fn migrate(&self) -> Result<()> {
        if let Some(version) = self.layout_version().await?.filter(|v| *v < LAYOUT_VERSION) {
            if self.single_slot_data_exists().await? {
                return Err(Error::Backend(
                    format!(
                        "the Redis key prefix `{prefix}` holds sessions of layout {version}, which \
                         keeps a store in one hash slot; layout {LAYOUT_VERSION} spreads them over \
                         the slots and does not convert them while app servers of the previous \
                         version may still write them. Open the store on a new key prefix (users \
                         sign in again; delete the keys `{{{prefix}}}:*` later), or stop every app \
                         server, delete the keys `{{{prefix}}}:*` and migrate again",
                        prefix = self.keys.prefix(),
                    )
                    .into(),
                ));
            }
            // No sessions or histories: the old layout's indexes are dropped.
            self.clear_single_slot().await?;
        }
        self.pool
            .next()
            .set::<(), _, _>(self.keys.schema(), LAYOUT_VERSION, None, None, false)
            .await
            .map_err(map_error)
    }

    async fn pending_migrations(&self) -> Result<usize> {
        let version = self.layout_version().await?;
        Ok(usize::from(version.unwrap_or(0) < LAYOUT_VERSION))
    }

    async fn create(&self, session: &StoredSession, now: OffsetDateTime) -> Result<bool> {
        Ok(self
            .write(std::slice::from_ref(session), now, WriteMode::Create)
            .await?
            == 1)
    }

    async fn create_many(&self, sessions: &[StoredSession], now: OffsetDateTime) -> Result<u64> {
        self.write(sessions, now, WriteMode::Create).await
    }

    async fn get(&self, id: &PublicId) -> Result<Option<StoredSession>> {
        let value: Value = self
            .pool
            .next()
            .get(self.keys.session(id))
            .await
            .map_err(map_error)?;
        Ok(decode_value(*id, value).map(|(header, stored)| {
            self.loaded.remember(*id, header);
            stored
        }))
    }

    async fn save(&self, session: &StoredSession) -> Result<()> {
        self.write(std::slice::from_ref(session), now(), WriteMode::Save)
            .await
            .map(|_| ())
    }

    async fn update(&self, session: &StoredSession) -> Result<bool> {
        let now = now();
        if let Some(written) = self.update_unscripted(session, now).await? {
            return Ok(written);
        }
        // Boxed: the scripted path's state is large, and most saves never get here.
        let scripted = Box::pin(self.write(std::slice::from_ref(session), now, WriteMode::Update));
        Ok(scripted.await? == 1)
    }

    async fn sign_in(
        &self,
        session: &StoredSession,
        write: SignInWrite,
        limit: SessionLimit,
        now: OffsetDateTime,
    ) -> Result<SignInOutcome> {
        let mode = match write {
            SignInWrite::Create => WriteMode::Create,
            SignInWrite::Update => WriteMode::Update,
        };
        let Some(user) = session.info.user_id.as_deref() else {
            let written = self.write(std::slice::from_ref(session), now, mode).await?;
            return Ok(if written == 1 {
                SignInOutcome::Written { ended: Vec::new() }
            } else {
                SignInOutcome::NotWritten
            });
        };
        Box::pin(self.sign_in_user(session, user, mode, limit, now)).await
    }

    async fn touch(&self, id: &PublicId, touch: &Touch, now: OffsetDateTime) -> Result<bool> {
        self.touch_session(id, touch, now).await
    }

    async fn delete(&self, id: &PublicId) -> Result<bool> {
        Ok(self.delete_ids(std::slice::from_ref(id), None).await? > 0)
    }

    async fn delete_many(&self, ids: &[PublicId]) -> Result<u64> {
        self.delete_ids(ids, None).await
    }

    async fn user_sessions(&self, user_id: &str, now: OffsetDateTime) -> Result<Vec<SessionInfo>> {
        self.sessions_of(user_id, now, false).await
    }

    async fn delete_user_session(&self, user_id: &str, id: &PublicId) -> Result<bool> {
        Ok(self
            .delete_ids(std::slice::from_ref(id), Some(user_id))
            .await?
            > 0)
    }

    async fn delete_user_sessions(&self, user_id: &str, keep: Option<&PublicId>) -> Result<u64> {
        self.delete_sessions_of(user_id, keep).await
    }

    async fn count(&self, filter: &Filter, now: OffsetDateTime) -> Result<u64> {
        let plain =
            filter.user_ids.is_none() && filter.ip_prefix.as_deref().is_none_or(str::is_empty);
        if plain {
            return match filter.status {
                Status::Active => Ok(self.count_by_expiry(now).await?.0),
                Status::Expired => Ok(self.count_by_expiry(now).await?.1),
                Status::All => {
                    let (active, expired) = self.count_by_expiry(now).await?;
                    Ok(active + expired)
                }
            };
        }
        Ok(self.matching(filter, None, usize::MAX, now).await?.len() as u64)
    }

    async fn remember_device(
        &self,
        user_id: &str,
        device: &KnownDevice,
        forget_before: OffsetDateTime,
    ) -> Result<()> {
        self.remember_device_pair(user_id, device, forget_before)
            .await
    }

    async fn known_devices(
        &self,
        user_id: &str,
        since: OffsetDateTime,
    ) -> Result<Vec<KnownDevice>> {
        self.known_device_pairs(user_id, since).await
    }

    async fn forget_devices(&self, before: OffsetDateTime, limit: u32) -> Result<u64> {
        self.forget_device_pairs(before, limit).await
    }

    async fn forget_user_devices(&self, user_id: &str) -> Result<u64> {
        self.forget_user_device_pairs(user_id).await
    }

    async fn purge_expired(&self, now: OffsetDateTime, limit: u32) -> Result<Purged> {
        self.purge(now, limit).await
    }

    async fn list(&self, filter: &Filter, page: &PageRequest, now: OffsetDateTime) -> Result<Page> {
        let limit = page.clamped_limit() as usize;
        let sessions = self
            .matching(filter, page.after.as_ref(), limit + 1, now)
            .await?;
        Ok(into_page(sessions, page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::to_millis;

    /// A save right after a load, that moves nothing in the indexes, is the plain `SET … XX`:
    /// it writes the session, and writes nothing once the session was ended.
    #[tokio::test]
    async fn a_plain_save_writes_a_live_session_only() {
        let Some(db) = crate::test_servers::TestDatabase::redis().await else {
            eprintln!("skipped: TEST_REDIS_URL is not set");
            return;
        };
        let backend = RedisBackend::open(db.url()).await.unwrap();
        backend.migrate().await.unwrap();
        let now = crate::record::now();
        let mut session = StoredSession {
            info: SessionInfo::new(
                PublicId::from_secret(b"plain save"),
                now + time::Duration::hours(1),
            ),
            data: br#"{"n":1}"#.to_vec(),
        };
        session.info.user_id = Some("7".into());
        assert!(backend.create(&session, now).await.unwrap());
        let loaded = backend.get(&session.info.id).await.unwrap().unwrap();
        assert_eq!(loaded.data, session.data);
        assert_eq!(loaded.info.user_id.as_deref(), Some("7"));
        // Right after the load, with nothing to move in the indexes: the plain `SET`.
        session.data = br#"{"n":2}"#.to_vec();
        session.info.last_activity = loaded.info.last_activity;
        let header = backend.loaded.get(&session.info.id).unwrap();
        assert!(
            header
                .carried_to(&session.info, backend.retention_ms, to_millis(now))
                .is_some()
        );
        assert!(backend.update(&session).await.unwrap());
        assert_eq!(
            backend.get(&session.info.id).await.unwrap().unwrap().data,
            session.data
        );
        // Ended meanwhile: the plain `SET … XX` writes nothing.
        backend.get(&session.info.id).await.unwrap();
        assert!(backend.delete(&session.info.id).await.unwrap());
        assert!(!backend.update(&session).await.unwrap());
        assert!(backend.get(&session.info.id).await.unwrap().is_none());
        backend.clear().await.unwrap();
    }
}
