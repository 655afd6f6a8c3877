//! The [`Backend`] implementation of [`RedisBackend`].

use async_trait::async_trait;
use fred::prelude::{KeysInterface, Value};
use time::OffsetDateTime;

use super::{
    CREATE_CHUNK, LAYOUT_VERSION, PURGE_CHUNK, RedisBackend, WriteMode, bytes_of, integer_of,
    map_error, scripts, value,
};
use crate::backend::{Backend, Purged, StoredSession, Touch};
use crate::query::into_page;
use crate::record::to_millis;
use crate::{
    Error, Filter, KnownDevice, Page, PageRequest, PublicId, Result, SessionInfo, SessionLimit,
    SignInOutcome, SignInWrite, Status,
};

#[async_trait]
impl Backend for RedisBackend {
    async fn migrate(&self) -> Result<()> {
        if self.layout_version().await?.is_some_and(|v| v < 2) {
            let pattern = format!("{}s:*", self.keys);
            let now = vec![Value::from(to_millis(crate::now()))];
            self.scan_with(
                &self.scripts.convert_layout_1,
                scripts::CONVERT_LAYOUT_1,
                &pattern,
                now,
            )
            .await?;
        }
        self.pool
            .next()
            .set::<(), _, _>(self.key("schema"), LAYOUT_VERSION, None, None, false)
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
        let mut created = 0;
        for chunk in sessions.chunks(CREATE_CHUNK) {
            created += self.write(chunk, now, WriteMode::Create).await?;
        }
        Ok(created)
    }

    async fn get(&self, id: &PublicId) -> Result<Option<StoredSession>> {
        let value: Value = self
            .pool
            .next()
            .get(self.session_key(id))
            .await
            .map_err(map_error)?;
        let stored = match value {
            Value::Bytes(bytes) => Some(bytes),
            Value::String(text) => Some(text.into_inner()),
            _ => None,
        };
        let Some(bytes) = stored else {
            return Ok(None);
        };
        match value::decode_info(*id, &bytes) {
            Ok((header, info, data)) => {
                let data = data.to_vec();
                self.loaded.remember(*id, header);
                Ok(Some(StoredSession { info, data }))
            }
            Err(error) => {
                tracing::warn!(%error, "treating the session as absent");
                Ok(None)
            }
        }
    }

    async fn save(&self, session: &StoredSession) -> Result<()> {
        self.write(std::slice::from_ref(session), crate::now(), WriteMode::Save)
            .await
            .map(|_| ())
    }

    async fn update(&self, session: &StoredSession) -> Result<bool> {
        let now = crate::now();
        if let Some(written) = self.update_unscripted(session, now).await? {
            return Ok(written);
        }
        // Boxed: the script call's state is large, and most saves never get here.
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
        if session.info.user_id.is_none() {
            let written = self.write(std::slice::from_ref(session), now, mode).await?;
            return Ok(if written == 1 {
                SignInOutcome::Written { ended: Vec::new() }
            } else {
                SignInOutcome::NotWritten
            });
        }
        let (keys, mut args) = self.write_arguments(std::slice::from_ref(session), now, mode)?;
        let refuse = limit.policy() == crate::WhenFull::RefuseSignIn;
        args.extend([
            Value::from(i64::from(limit.max())),
            Value::from(if refuse { "1" } else { "0" }),
        ]);
        let reply = self
            .eval(&self.scripts.sign_in, scripts::SIGN_IN, keys, args)
            .await?;
        let Value::Array(reply) = reply else {
            return Err(Error::Backend(
                format!("unexpected reply to the sign-in script: {reply:?}").into(),
            ));
        };
        match reply.first().and_then(integer_of) {
            Some(1) => {
                let ended = match reply.get(1) {
                    Some(Value::Array(ids)) => ids
                        .iter()
                        .filter_map(|id| std::str::from_utf8(bytes_of(id)?).ok()?.parse().ok())
                        .collect(),
                    _ => Vec::new(),
                };
                Ok(SignInOutcome::Written { ended })
            }
            Some(-1) => Ok(SignInOutcome::Refused),
            _ => Ok(SignInOutcome::NotWritten),
        }
    }

    async fn touch(&self, id: &PublicId, touch: &Touch, now: OffsetDateTime) -> Result<bool> {
        let keys = vec![self.key("activity"), self.session_key(id)];
        let args = vec![
            Value::from(self.keys.as_str()),
            Value::from(to_millis(now)),
            Value::from(id.to_hex().as_str()),
            Value::from(to_millis(touch.last_activity)),
            Value::Bytes(value::touch_columns_opening(touch)?.into()),
        ];
        let written = self
            .eval(&self.scripts.touch, scripts::TOUCH, keys, args)
            .await?;
        Ok(integer_of(&written) == Some(1))
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
        let n = self
            .eval(
                &self.scripts.delete_user_sessions,
                scripts::DELETE_USER_SESSIONS,
                vec![
                    self.user_key(user_id),
                    self.key("activity"),
                    self.key("expiry"),
                ],
                vec![
                    Value::from(self.keys.as_str()),
                    Value::from(user_id),
                    Value::from(keep.map(PublicId::to_string).unwrap_or_default()),
                ],
            )
            .await?;
        Ok(integer_of(&n).unwrap_or(0).max(0) as u64)
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
        // Entries that are not deletions (sessions extended since they were scored, or
        // already dropped by Redis) leave the range as they are looked at: keep going until
        // `limit` sessions are deleted or nothing expired is left, one bounded script a time.
        let mut purged = Purged::default();
        while purged.sessions.len() < limit as usize {
            let chunk = (limit as usize - purged.sessions.len()).min(PURGE_CHUNK as usize);
            let reply = self
                .eval(
                    &self.scripts.purge_expired,
                    scripts::PURGE_EXPIRED,
                    vec![self.key("expiry"), self.key("activity")],
                    vec![
                        Value::from(self.keys.as_str()),
                        Value::from(to_millis(now)),
                        Value::from(chunk as i64),
                    ],
                )
                .await?;
            let unexpected = || Error::Backend("unexpected reply to the purge script".into());
            let Value::Array(mut parts) = reply else {
                return Err(unexpected());
            };
            let looked_at = parts.first().and_then(integer_of).ok_or_else(unexpected)?;
            let Some(Value::Array(deleted)) = parts.pop() else {
                return Err(unexpected());
            };
            // `id, user` pairs; the user is nil for an anonymous session.
            for pair in deleted.chunks_exact(2) {
                let id = bytes_of(&pair[0])
                    .and_then(|id| std::str::from_utf8(id).ok()?.parse().ok())
                    .ok_or_else(unexpected)?;
                let user =
                    bytes_of(&pair[1]).map(|user| String::from_utf8_lossy(user).into_owned());
                purged.sessions.push((id, user));
            }
            if looked_at < chunk as i64 {
                break;
            }
        }
        Ok(purged)
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
        let now = crate::now();
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
