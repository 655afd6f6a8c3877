//! The operations that change sessions, as per-slot steps in the order that keeps the store's
//! guarantees (see the [module docs](super)): index entries are written **before** the session
//! they point to, and removed **after** it is gone. Independent steps run concurrently.
//! Ending sessions is in the `end` module.
//!
//! Over 600 lines with its unit tests beside it; the code is about 510.

use std::collections::HashMap;

use fred::prelude::Value;
use time::OffsetDateTime;

use super::keys::session_bucket;
use super::{BATCH, RedisBackend, WriteMode, all, array_of, integer_of, text_of, value};
use crate::backend::StoredSession;
use crate::record::to_millis;
use crate::{Error, PublicId, Result, SessionLimit, SignInOutcome, WhenFull};

/// What a session write sends, worked out once.
struct Prepared<'a> {
    session: &'a StoredSession,
    hex: String,
    user_json: Vec<u8>,
    columns: Vec<u8>,
    activity: i64,
    expires: i64,
    /// Expiry + retention: when the session may go.
    delete_at: i64,
    /// The user index entry: `activity,expires,deletion`.
    entry: String,
    /// The deletion time in the entry: the latest the session's key can live (see
    /// `scripts::SESSION_WRITE`).
    entry_deletion: i64,
}

impl Prepared<'_> {
    fn user(&self) -> Option<&str> {
        self.session.info.user_id.as_deref()
    }

    /// A write past its retention stores nothing: it deletes the session.
    fn is_dead(&self, now_ms: i64) -> bool {
        self.delete_at <= now_ms
    }
}

/// How the session step of a write ended.
enum Written {
    /// Written; the user it had before, when another.
    Yes(Option<String>),
    /// Past its retention: the session was deleted instead.
    Deleted,
    /// Refused: no session to update.
    Missing,
    /// A sign-in ended the id before this write landed: as if written, then ended.
    Ended,
    /// Refused: a live session has the id; its activity and expiry.
    Live { activity: i64, expires: i64 },
}

impl RedisBackend {
    fn prepare<'a>(&self, session: &'a StoredSession) -> Result<Prepared<'a>> {
        let info = &session.info;
        let expires = to_millis(info.expires_at);
        let delete_at = expires.saturating_add(self.retention_ms);
        let entry_deletion = delete_at.saturating_add(3_600_000);
        let activity = to_millis(info.last_activity);
        Ok(Prepared {
            session,
            hex: info.id.to_string(),
            user_json: value::user_json(info.user_id.as_deref())?,
            columns: value::encode_columns(info)?,
            activity,
            expires,
            delete_at,
            entry: format!("{activity},{expires},{entry_deletion}"),
            entry_deletion,
        })
    }

    /// Writes sessions (see [`WriteMode`]); returns how many were written.
    pub(super) async fn write(
        &self,
        sessions: &[StoredSession],
        now: OffsetDateTime,
        mode: WriteMode,
    ) -> Result<u64> {
        let now_ms = to_millis(now);
        let mut written = 0;
        for chunk in sessions.chunks(BATCH) {
            let prepared = chunk
                .iter()
                .map(|s| self.prepare(s))
                .collect::<Result<Vec<_>>>()?;
            // First the index entries: the users' and the buckets'.
            let live: Vec<&Prepared> = prepared.iter().filter(|p| !p.is_dead(now_ms)).collect();
            let (untils, ()) = futures_util::future::try_join(
                self.add_user_entries(&live, now_ms),
                self.add_bucket_entries(&live),
            )
            .await?;
            // Then the sessions.
            let outcomes = all(prepared.iter().map(|p| {
                let until = p.user().and_then(|u| untils.get(u)).copied().unwrap_or(0);
                self.write_session(p, now_ms, mode, until)
            }))
            .await?;
            written += outcomes
                .iter()
                .filter(|o| matches!(o, Written::Yes(_) | Written::Deleted | Written::Ended))
                .count() as u64;
            self.after_writes(&prepared, &outcomes, now_ms).await?;
        }
        Ok(written)
    }

    /// Adds the entries of sessions to their users' indexes; returns until when each user's
    /// index is kept.
    async fn add_user_entries(
        &self,
        sessions: &[&Prepared<'_>],
        now_ms: i64,
    ) -> Result<HashMap<String, i64>> {
        let mut by_user: HashMap<&str, Vec<&Prepared>> = HashMap::new();
        for p in sessions {
            if let Some(user) = p.user() {
                by_user.entry(user).or_default().push(p);
            }
        }
        let untils = all(by_user.into_iter().map(|(user, sessions)| async move {
            let needed = sessions.iter().map(|p| p.entry_deletion).max().unwrap_or(0);
            let mut args = vec![Value::from(now_ms), Value::from(needed)];
            for p in &sessions {
                args.push(Value::from(p.hex.as_str()));
                args.push(Value::from(p.entry.as_str()));
            }
            let until = self
                .eval(&self.scripts.user_add, vec![self.keys.user(user)], args)
                .await?;
            Ok((user.to_owned(), integer_of(&until).unwrap_or(0)))
        }))
        .await?;
        Ok(untils.into_iter().collect())
    }

    /// Adds sessions to the activity and expiry indexes, one step per bucket.
    async fn add_bucket_entries(&self, sessions: &[&Prepared<'_>]) -> Result<()> {
        let entries = sessions
            .iter()
            .map(|p| (p.session.info.id, p.activity, p.expires));
        self.set_bucket_entries(entries).await
    }

    /// Sets sessions' scores in the activity and expiry indexes, one step per bucket.
    async fn set_bucket_entries(
        &self,
        entries: impl Iterator<Item = (PublicId, i64, i64)>,
    ) -> Result<()> {
        let mut by_bucket: HashMap<u8, Vec<Value>> = HashMap::new();
        for (id, activity, expires) in entries {
            by_bucket.entry(session_bucket(&id)).or_default().extend([
                Value::from(id.to_string()),
                Value::from(activity),
                Value::from(expires),
            ]);
        }
        all(by_bucket.into_iter().map(|(bucket, args)| {
            self.eval(
                &self.scripts.bucket_add,
                vec![self.keys.activity(bucket), self.keys.expiry(bucket)],
                args,
            )
        }))
        .await?;
        Ok(())
    }

    /// The session step of a write.
    async fn write_session(
        &self,
        p: &Prepared<'_>,
        now_ms: i64,
        mode: WriteMode,
        until: i64,
    ) -> Result<Written> {
        let id = &p.session.info.id;
        let reply = self
            .eval(
                &self.scripts.session_write,
                vec![self.keys.session(id), self.keys.tombstone(id)],
                vec![
                    Value::from(now_ms),
                    Value::from(mode.as_str()),
                    Value::Bytes(p.user_json.clone().into()),
                    Value::Bytes(p.columns.clone().into()),
                    Value::from(p.session.data.as_slice()),
                    Value::from(p.activity),
                    Value::from(p.expires),
                    Value::from(p.delete_at),
                    Value::from(until),
                ],
            )
            .await?;
        let reply = array_of(reply);
        Ok(match reply.first().and_then(integer_of) {
            Some(1) => Written::Yes(
                reply
                    .get(1)
                    .and_then(text_of)
                    .filter(|u| !u.is_empty())
                    .map(str::to_owned),
            ),
            Some(2) => Written::Deleted,
            Some(3) => Written::Ended,
            Some(-1) => {
                let header = reply.get(1).and_then(text_of).unwrap_or_default();
                match serde_json::from_str::<value::Header>(header) {
                    Ok(h) => Written::Live {
                        activity: h.1,
                        expires: h.0,
                    },
                    Err(_) => Written::Missing,
                }
            }
            _ => Written::Missing,
        })
    }

    /// What follows the session steps: index entries of sessions a write deleted are removed;
    /// those a refused write added are taken back as far as that is safe.
    async fn after_writes(
        &self,
        prepared: &[Prepared<'_>],
        outcomes: &[Written],
        now_ms: i64,
    ) -> Result<()> {
        let mut ended = Vec::new();
        let mut refused = Vec::new();
        let mut restore = Vec::new();
        // (user, session, the entry as written or empty for any)
        let mut disown: Vec<(&str, &Prepared, &str)> = Vec::new();
        for (p, outcome) in prepared.iter().zip(outcomes) {
            let id = p.session.info.id;
            match outcome {
                // Its previous user's entry stays (see the module docs), no longer counting.
                Written::Yes(Some(previous)) => disown.push((previous, p, "")),
                Written::Yes(None) => {}
                Written::Deleted => ended.push((id, p.user())),
                Written::Missing => {
                    refused.push(id);
                    disown.extend(p.user().map(|u| (u, p, p.entry.as_str())));
                }
                // The sign-in that ended it marked its user's entry.
                Written::Ended => refused.push(id),
                Written::Live { activity, expires } => {
                    restore.push((id, *activity, *expires));
                    disown.extend(p.user().map(|u| (u, p, p.entry.as_str())));
                }
            }
        }
        if ended.is_empty() && refused.is_empty() && restore.is_empty() && disown.is_empty() {
            return Ok(());
        }
        futures_util::future::try_join4(
            self.drop_ended(&ended, now_ms),
            self.drop_bucket_entries(&refused, now_ms, "ended"),
            self.set_bucket_entries(restore.into_iter()),
            async {
                all(disown.iter().map(|(user, p, entry)| {
                    self.eval(
                        &self.scripts.user_disown,
                        vec![self.keys.user(user)],
                        vec![Value::from(p.hex.as_str()), Value::from(*entry)],
                    )
                }))
                .await
                .map(|_| ())
            },
        )
        .await?;
        Ok(())
    }

    /// Removes the index entries of sessions that are gone: from their users' indexes and
    /// the buckets.
    pub(super) async fn drop_ended(
        &self,
        ended: &[(PublicId, Option<&str>)],
        now_ms: i64,
    ) -> Result<()> {
        let ids: Vec<PublicId> = ended.iter().map(|(id, _)| *id).collect();
        let mut by_user: HashMap<&str, Vec<PublicId>> = HashMap::new();
        for (id, user) in ended {
            if let Some(user) = user {
                by_user.entry(user).or_default().push(*id);
            }
        }
        futures_util::future::try_join(
            self.drop_bucket_entries(&ids, now_ms, "ended"),
            all(by_user
                .iter()
                .map(|(user, ids)| self.drop_user_entries(user, ids, now_ms, "ended"))),
        )
        .await?;
        Ok(())
    }

    /// Removes entries from a user's index (`how`: see `scripts::USER_DROP`).
    pub(super) async fn drop_user_entries(
        &self,
        user: &str,
        ids: &[PublicId],
        now_ms: i64,
        how: &str,
    ) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut args = vec![Value::from(now_ms), Value::from(how)];
        args.extend(ids.iter().map(|id| Value::from(id.to_string())));
        self.eval(&self.scripts.user_drop, vec![self.keys.user(user)], args)
            .await?;
        Ok(())
    }

    /// Removes sessions from the activity and expiry indexes, one step per bucket (`how`: see
    /// `scripts::BUCKET_DROP`).
    pub(super) async fn drop_bucket_entries(
        &self,
        ids: &[PublicId],
        now_ms: i64,
        how: &str,
    ) -> Result<()> {
        let mut by_bucket: HashMap<u8, Vec<Value>> = HashMap::new();
        for id in ids {
            by_bucket
                .entry(session_bucket(id))
                .or_insert_with(|| vec![Value::from(now_ms), Value::from(how)])
                .push(Value::from(id.to_string()));
        }
        all(by_bucket.into_iter().map(|(bucket, args)| {
            self.eval(
                &self.scripts.bucket_drop,
                vec![self.keys.activity(bucket), self.keys.expiry(bucket)],
                args,
            )
        }))
        .await?;
        Ok(())
    }

    /// A sign-in of a session with a user: the limit is kept by one step on the user's index,
    /// then the sessions it pushes out are ended in their own slots.
    pub(super) async fn sign_in_user(
        &self,
        session: &StoredSession,
        user: &str,
        mode: WriteMode,
        limit: SessionLimit,
        now: OffsetDateTime,
    ) -> Result<SignInOutcome> {
        let now_ms = to_millis(now);
        let id = session.info.id;
        // Nothing is decided for a write that would be refused anyway.
        let existing = self.get_many(std::slice::from_ref(&id)).await?;
        let live = existing
            .first()
            .and_then(Option::as_ref)
            .is_some_and(|(header, _)| header.0 > now_ms);
        let exists = existing.first().is_some_and(Option::is_some);
        if (mode == WriteMode::Create && live) || (mode == WriteMode::Update && !exists) {
            return Ok(SignInOutcome::NotWritten);
        }
        let p = self.prepare(session)?;
        let refuse = limit.policy() == WhenFull::RefuseSignIn;
        let reply = array_of(
            self.eval(
                &self.scripts.user_sign_in,
                vec![self.keys.user(user)],
                vec![
                    Value::from(now_ms),
                    Value::from(p.hex.as_str()),
                    Value::from(p.entry.as_str()),
                    Value::from(p.entry_deletion),
                    Value::from(i64::from(limit.max())),
                    Value::from(if refuse { "1" } else { "0" }),
                ],
            )
            .await?,
        );
        match reply.first().and_then(integer_of) {
            Some(1) => {}
            Some(-1) => return Ok(SignInOutcome::Refused),
            _ => {
                return Err(Error::Backend(
                    format!("unexpected reply to the sign-in script: {reply:?}").into(),
                ));
            }
        }
        let until = reply.get(1).and_then(integer_of).unwrap_or(0);
        let pushed_out: Vec<(PublicId, i64)> = reply[2.min(reply.len())..]
            .chunks_exact(2)
            .filter_map(|pair| Some((text_of(&pair[0])?.parse().ok()?, integer_of(&pair[1])?)))
            .collect();
        // The session's bucket entries, and the sessions pushed out ended.
        let dead = p.is_dead(now_ms);
        let (_, evicted) = futures_util::future::try_join(
            async {
                if dead {
                    Ok(())
                } else {
                    self.add_bucket_entries(&[&p]).await
                }
            },
            all(pushed_out
                .iter()
                .map(|(other, deletion)| self.evict(user, other, *deletion))),
        )
        .await?;
        let deleted: Vec<(PublicId, Option<&str>)> = pushed_out
            .iter()
            .zip(&evicted)
            .filter(|(_, outcome)| **outcome == 1)
            .map(|((other, _), _)| (*other, Some(user)))
            .collect();
        let (written, ()) = futures_util::future::try_join(
            self.write_session(&p, now_ms, mode, until),
            self.drop_ended(&deleted, now_ms),
        )
        .await?;
        let ok = matches!(written, Written::Yes(_) | Written::Deleted | Written::Ended);
        self.after_writes(std::slice::from_ref(&p), &[written], now_ms)
            .await?;
        if !ok {
            return Ok(SignInOutcome::NotWritten);
        }
        let ended = pushed_out
            .iter()
            .zip(&evicted)
            .filter(|(_, outcome)| **outcome != 0)
            .map(|((other, _), _)| *other)
            .collect();
        Ok(SignInOutcome::Written { ended })
    }

    /// Ends a session a sign-in pushed out: 1 deleted, 2 not written yet (a tombstone now
    /// refuses its write), 0 it belongs to someone else now.
    async fn evict(&self, user: &str, id: &PublicId, deletion: i64) -> Result<i64> {
        let reply = self
            .eval(
                &self.scripts.session_evict,
                vec![self.keys.session(id), self.keys.tombstone(id)],
                vec![Value::from(user), Value::from(deletion)],
            )
            .await?;
        Ok(integer_of(&reply).unwrap_or(0))
    }

    /// Records a request's client and activity on a live session; moves it in the indexes
    /// (after the session) when its activity changed.
    pub(super) async fn touch_session(
        &self,
        id: &PublicId,
        touch: &crate::Touch,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let activity = to_millis(touch.last_activity);
        let reply = array_of(
            self.eval(
                &self.scripts.session_touch,
                vec![self.keys.session(id)],
                vec![
                    Value::from(to_millis(now)),
                    Value::from(activity),
                    Value::Bytes(value::touch_columns_opening(touch)?.into()),
                ],
            )
            .await?,
        );
        if reply.first().and_then(integer_of) != Some(1) {
            return Ok(false);
        }
        if reply.get(2).and_then(integer_of) == Some(1) {
            let user = reply.get(1).and_then(text_of).unwrap_or_default();
            let hex = id.to_string();
            let bucket = session_bucket(id);
            futures_util::future::try_join(
                self.eval(
                    &self.scripts.bucket_touch,
                    vec![self.keys.activity(bucket)],
                    vec![Value::from(hex.as_str()), Value::from(activity)],
                ),
                async {
                    if user.is_empty() {
                        return Ok(Value::Null);
                    }
                    self.eval(
                        &self.scripts.user_touch,
                        vec![self.keys.user(user)],
                        vec![Value::from(hex.as_str()), Value::from(activity)],
                    )
                    .await
                },
            )
            .await?;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SessionInfo, SignInWrite, backend::Backend};

    fn session(secret: &[u8], user: &str, now: OffsetDateTime) -> StoredSession {
        let mut info = SessionInfo::new(
            PublicId::from_secret(secret),
            now + time::Duration::hours(1),
        );
        info.user_id = Some(user.to_owned());
        StoredSession {
            info,
            data: b"{}".to_vec(),
        }
    }

    async fn migrated() -> Option<(crate::test_servers::TestDatabase, RedisBackend)> {
        let Some(db) = crate::test_servers::TestDatabase::redis().await else {
            eprintln!("skipped: TEST_REDIS_URL is not set");
            return None;
        };
        let backend = RedisBackend::open(db.url()).await.unwrap();
        backend.migrate().await.unwrap();
        Some((db, backend))
    }

    /// A sign-in that pushes out a session whose index entry landed but whose first write has
    /// not: that write is refused afterwards, so the limit holds.
    #[tokio::test]
    async fn a_sign_in_ends_a_session_whose_write_is_still_on_its_way() {
        let Some((_db, backend)) = migrated().await else {
            return;
        };
        let now = crate::record::now();
        let now_ms = to_millis(now);
        let first = session(b"on its way", "ann", now - time::Duration::seconds(5));
        let prepared = backend.prepare(&first).unwrap();
        let untils = backend
            .add_user_entries(&[&prepared], now_ms)
            .await
            .unwrap();

        let second = session(b"signing in", "ann", now);
        let outcome = backend
            .sign_in(&second, SignInWrite::Create, SessionLimit::new(1), now)
            .await
            .unwrap();
        assert_eq!(
            outcome,
            SignInOutcome::Written {
                ended: vec![first.info.id]
            }
        );
        // The first session's write lands late: refused.
        let until = untils.get("ann").copied().unwrap();
        let late = backend
            .write_session(&prepared, now_ms, WriteMode::Create, until)
            .await
            .unwrap();
        assert!(matches!(late, Written::Ended));
        assert!(backend.get(&first.info.id).await.unwrap().is_none());
        let anns = backend.user_sessions("ann", now).await.unwrap();
        assert_eq!(anns.len(), 1);
        assert_eq!(anns[0].id, second.info.id);
        backend.clear().await.unwrap();
    }

    /// A reader that meets the entry of a session not written yet leaves it (the write may be
    /// on its way); once the entry's deletion time has passed, it drops it.
    #[tokio::test]
    async fn readers_keep_an_entry_until_its_session_cannot_exist() {
        let Some((_db, backend)) = migrated().await else {
            return;
        };
        let now = crate::record::now();
        let pending = session(b"pending", "bo", now);
        let prepared = backend.prepare(&pending).unwrap();
        backend
            .add_user_entries(&[&prepared], to_millis(now))
            .await
            .unwrap();
        assert!(backend.user_sessions("bo", now).await.unwrap().is_empty());
        assert_eq!(backend.user_entries("bo").await.unwrap().len(), 1);
        // Ending all of Bo's sessions cannot end it yet, nor drop its entry.
        assert_eq!(backend.delete_user_sessions("bo", None).await.unwrap(), 0);
        assert_eq!(backend.user_entries("bo").await.unwrap().len(), 1);
        // Its write lands: listed, and ending all ends it.
        backend.save(&pending).await.unwrap();
        assert_eq!(backend.user_sessions("bo", now).await.unwrap().len(), 1);
        assert_eq!(backend.delete_user_sessions("bo", None).await.unwrap(), 1);
        assert!(backend.user_entries("bo").await.unwrap().is_empty());

        // An entry whose session never came: dropped once its deletion time has passed.
        backend
            .add_user_entries(&[&prepared], to_millis(now))
            .await
            .unwrap();
        let later = now + time::Duration::hours(4);
        assert!(backend.user_sessions("bo", later).await.unwrap().is_empty());
        assert!(backend.user_entries("bo").await.unwrap().is_empty());
        backend.clear().await.unwrap();
    }
}
