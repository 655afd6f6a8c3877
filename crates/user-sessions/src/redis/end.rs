//! Ending sessions — by id, all of a user's, the expired ones — as per-slot steps: each session
//! first, in its own slot, then its entries in its user's index and its bucket (see the
//! [module docs](super)).

use fred::prelude::Value;
use time::OffsetDateTime;

use super::{
    BATCH, PURGE_CHUNK, RedisBackend, all, array_of, count_of, integer_of, pairs_of, text_of,
};
use crate::record::{now, to_millis};
use crate::{PublicId, Result};

impl RedisBackend {
    /// Ends sessions by id (only those of `owner`, if given); returns how many existed and
    /// were ended.
    pub(super) async fn delete_ids(&self, ids: &[PublicId], owner: Option<&str>) -> Result<u64> {
        let now_ms = to_millis(now());
        let mut deleted = 0;
        for chunk in ids.chunks(BATCH) {
            let outcomes = all(chunk.iter().map(|id| self.end_session(id, owner))).await?;
            let mut ended = Vec::new();
            let mut missing = Vec::new();
            for (id, outcome) in chunk.iter().zip(&outcomes) {
                match outcome {
                    Ended::Yes(user) => ended.push((*id, user.as_deref())),
                    Ended::Missing if owner.is_none() => missing.push(*id),
                    _ => {}
                }
            }
            deleted += ended.len() as u64;
            futures_util::future::try_join(
                self.drop_ended(&ended, now_ms),
                self.drop_bucket_entries(&missing, now_ms, "stale"),
            )
            .await?;
        }
        Ok(deleted)
    }

    /// Ends a user's sessions except `keep`; returns how many were ended.
    pub(super) async fn delete_sessions_of(
        &self,
        user: &str,
        keep: Option<&PublicId>,
    ) -> Result<u64> {
        let now_ms = to_millis(now());
        let ids: Vec<PublicId> = self
            .user_entries(user)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| Some(id) != keep)
            .collect();
        let mut deleted = 0;
        for chunk in ids.chunks(BATCH) {
            let outcomes = all(chunk.iter().map(|id| self.end_session(id, Some(user)))).await?;
            let mut ended = Vec::new();
            let mut missing = Vec::new();
            for (id, outcome) in chunk.iter().zip(&outcomes) {
                match outcome {
                    Ended::Yes(_) => ended.push((*id, Some(user))),
                    Ended::Missing => missing.push(*id),
                    Ended::NotOwned => {}
                }
            }
            deleted += ended.len() as u64;
            futures_util::future::try_join(
                self.drop_ended(&ended, now_ms),
                self.drop_user_entries(user, &missing, now_ms, "stale"),
            )
            .await?;
        }
        Ok(deleted)
    }

    /// The session step of ending a session.
    async fn end_session(&self, id: &PublicId, owner: Option<&str>) -> Result<Ended> {
        let reply = array_of(
            self.eval(
                &self.scripts.session_end,
                vec![self.keys.session(id)],
                vec![
                    Value::from(if owner.is_some() { "1" } else { "0" }),
                    Value::from(owner.unwrap_or_default()),
                ],
            )
            .await?,
        );
        Ok(match reply.first().and_then(integer_of) {
            Some(1) => {
                let user = reply.get(1).and_then(text_of).unwrap_or_default();
                Ended::Yes((!user.is_empty()).then(|| user.to_owned()))
            }
            Some(-1) => Ended::NotOwned,
            _ => Ended::Missing,
        })
    }

    /// A user's index: session id and entry text, in no particular order.
    pub(super) async fn user_entries(&self, user: &str) -> Result<Vec<(PublicId, String)>> {
        let reply = self
            .eval(
                &self.scripts.user_entries,
                vec![self.keys.user(user)],
                vec![],
            )
            .await?;
        let flat = pairs_of(reply);
        Ok(flat
            .chunks_exact(2)
            .filter_map(|pair| {
                let id = text_of(&pair[0])?.parse().ok()?;
                Some((id, text_of(&pair[1])?.to_owned()))
            })
            .collect())
    }

    /// Deletes sessions that expired at or before `now`, bucket by bucket, up to `limit`;
    /// returns them with their users.
    pub(super) async fn purge(&self, now: OffsetDateTime, limit: u32) -> Result<crate::Purged> {
        let now_ms = to_millis(now);
        let mut deleted = 0u64;
        let mut purged = crate::Purged::default();
        for bucket in 0..super::keys::BUCKETS {
            // Every entry looked at leaves the range (deleted, dropped, or moved to its
            // session's real expiry): keep going until `limit` sessions are deleted or
            // nothing expired is left in the bucket.
            while deleted < u64::from(limit) {
                let chunk = (u64::from(limit) - deleted).min(u64::from(PURGE_CHUNK));
                let ids: Vec<PublicId> = array_of(
                    self.eval(
                        &self.scripts.bucket_expired,
                        vec![self.keys.expiry(bucket)],
                        vec![Value::from(now_ms), Value::from(chunk as i64)],
                    )
                    .await?,
                )
                .iter()
                .filter_map(|id| text_of(id)?.parse().ok())
                .collect();
                let outcomes = all(ids.iter().map(|id| self.purge_session(id, now_ms))).await?;
                let mut ended = Vec::new();
                let mut gone = Vec::new();
                let mut rescore = Vec::new();
                for (id, outcome) in ids.iter().zip(&outcomes) {
                    match outcome {
                        PurgeStep::Deleted(user) => ended.push((*id, user.as_deref())),
                        PurgeStep::Gone => gone.push(*id),
                        PurgeStep::Lives(expires) => {
                            rescore.push(Value::from(id.to_string()));
                            rescore.push(Value::from(*expires));
                        }
                    }
                }
                deleted += ended.len() as u64;
                purged.sessions.extend(
                    ended
                        .iter()
                        .map(|(id, user)| (*id, user.map(str::to_owned))),
                );
                futures_util::future::try_join3(
                    self.drop_ended(&ended, now_ms),
                    self.drop_bucket_entries(&gone, now_ms, "ended"),
                    async {
                        if rescore.is_empty() {
                            return Ok(Value::Null);
                        }
                        self.eval(
                            &self.scripts.bucket_rescore,
                            vec![self.keys.expiry(bucket)],
                            rescore,
                        )
                        .await
                    },
                )
                .await?;
                if (ids.len() as u64) < chunk {
                    break;
                }
            }
        }
        Ok(purged)
    }

    async fn purge_session(&self, id: &PublicId, now_ms: i64) -> Result<PurgeStep> {
        let reply = array_of(
            self.eval(
                &self.scripts.session_purge,
                vec![self.keys.session(id)],
                vec![Value::from(now_ms)],
            )
            .await?,
        );
        Ok(match reply.first().and_then(integer_of) {
            Some(1) => PurgeStep::Lives(count_of(reply.get(1)) as i64),
            Some(2) => {
                let user = reply.get(1).and_then(text_of).unwrap_or_default();
                PurgeStep::Deleted((!user.is_empty()).then(|| user.to_owned()))
            }
            _ => PurgeStep::Gone,
        })
    }
}

/// How the session step of ending a session went.
enum Ended {
    /// Deleted; its user.
    Yes(Option<String>),
    /// There was none.
    Missing,
    /// It belongs to someone else.
    NotOwned,
}

/// How the session step of a purge went.
enum PurgeStep {
    /// Deleted; its user.
    Deleted(Option<String>),
    /// Already gone.
    Gone,
    /// Extended since it was scored: its expiry.
    Lives(i64),
}
