//! Admin queries: a user's sessions, filtered pages of all sessions, counts.

use std::collections::HashMap;

use fred::prelude::Value;
use time::OffsetDateTime;

use super::keys::BUCKETS;
use super::{RedisBackend, all, array_of, count_of, integer_of, pairs_of, text_of};
use crate::query::prefix_upper_bound;
use crate::record::to_millis;
use crate::{Cursor, Filter, PublicId, Result, SessionInfo, Status};

/// Whether a session passes a filter's status and IP conditions.
pub(super) fn matches(info: &SessionInfo, filter: &Filter, now: OffsetDateTime) -> bool {
    let status = match filter.status {
        Status::Active => info.expires_at > now,
        Status::Expired => info.expires_at <= now,
        Status::All => true,
    };
    let ip = match filter.ip_prefix.as_deref().filter(|p| !p.is_empty()) {
        None => true,
        Some(prefix) => info.ip.is_some_and(|ip| {
            let ip = ip.to_string();
            ip.as_str() >= prefix
                && prefix_upper_bound(prefix).is_none_or(|upper| ip.as_str() < upper.as_str())
        }),
    };
    status && ip
}

/// Whether a session comes after the cursor in "most recent activity, then id, descending".
pub(super) fn after_cursor(info: &SessionInfo, cursor: Option<&Cursor>) -> bool {
    cursor.is_none_or(|c| (info.last_activity, info.id) < (c.last_activity, c.id))
}

impl RedisBackend {
    /// A user's sessions (expired ones too if asked), most recent activity first. Entries of
    /// sessions that are gone are dropped from the index once that is safe (see
    /// `scripts::USER_DROP`).
    pub(super) async fn sessions_of(
        &self,
        user_id: &str,
        now: OffsetDateTime,
        with_expired: bool,
    ) -> Result<Vec<SessionInfo>> {
        let ids: Vec<PublicId> = self
            .user_entries(user_id)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let found = self.get_many(&ids).await?;
        let mut sessions = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for (id, found) in ids.iter().zip(found) {
            match found {
                None => missing.push(*id),
                Some((_, stored)) => {
                    let info = stored.info;
                    if info.user_id.as_deref() == Some(user_id)
                        && (with_expired || info.expires_at > now)
                    {
                        sessions.push(info);
                    }
                }
            }
        }
        self.drop_user_entries(user_id, &missing, to_millis(now), "stale")
            .await?;
        sessions.sort_by_key(|s| std::cmp::Reverse((s.last_activity, s.id)));
        Ok(sessions)
    }

    /// Sessions matching `filter` after `cursor`, most recent first, at most `limit` of them.
    pub(super) async fn matching(
        &self,
        filter: &Filter,
        cursor: Option<&Cursor>,
        limit: usize,
        now: OffsetDateTime,
    ) -> Result<Vec<SessionInfo>> {
        if let Some(users) = &filter.user_ids {
            let mut found = HashMap::new();
            for user in users {
                for info in self.sessions_of(user, now, true).await? {
                    if matches(&info, filter, now) && after_cursor(&info, cursor) {
                        found.insert(info.id, info);
                    }
                }
            }
            let mut found: Vec<SessionInfo> = found.into_values().collect();
            found.sort_by_key(|s| std::cmp::Reverse((s.last_activity, s.id)));
            found.truncate(limit);
            return Ok(found);
        }
        let max = cursor.map_or_else(
            || "+inf".to_owned(),
            |c| to_millis(c.last_activity).to_string(),
        );
        let batch = limit.clamp(16, 1000);
        let mut buckets: Vec<BucketWalk> = (0..BUCKETS).map(BucketWalk::new).collect();
        let mut found = Vec::new();
        let mut missing = Vec::new();
        loop {
            // The next candidates in the order of the whole index: a merge of the buckets,
            // each refilled when it runs dry.
            let mut candidates = Vec::with_capacity(batch);
            while candidates.len() < batch {
                let dry: Vec<usize> = (0..buckets.len())
                    .filter(|&b| buckets[b].needs_more())
                    .collect();
                let pages = all(dry
                    .iter()
                    .map(|&b| self.bucket_page(&buckets[b], &max, batch)))
                .await?;
                for (b, page) in dry.into_iter().zip(pages) {
                    buckets[b].fill(page, batch);
                }
                let best = buckets
                    .iter_mut()
                    .filter(|b| !b.buffer.is_empty())
                    .max_by_key(|b| b.buffer[0]);
                let Some(best) = best else { break };
                if let Some((_, id)) = best.buffer.pop_front() {
                    candidates.push(id);
                }
            }
            if candidates.is_empty() {
                break;
            }
            let sessions = self.get_many(&candidates).await?;
            for (id, session) in candidates.iter().zip(sessions) {
                let Some((_, stored)) = session else {
                    missing.push(*id);
                    continue;
                };
                if matches(&stored.info, filter, now) && after_cursor(&stored.info, cursor) {
                    found.push(stored.info);
                }
            }
            if found.len() >= limit {
                break;
            }
        }
        // Entries of sessions that are gone: dropped once their expiry has passed (before,
        // the session may be a write on its way).
        self.drop_bucket_entries(&missing, to_millis(now), "stale")
            .await?;
        found.sort_by_key(|s| std::cmp::Reverse((s.last_activity, s.id)));
        found.truncate(limit);
        Ok(found)
    }

    /// The next batch of a bucket of the activity index.
    async fn bucket_page(
        &self,
        walk: &BucketWalk,
        max: &str,
        batch: usize,
    ) -> Result<Vec<(i64, PublicId)>> {
        let reply = self
            .eval(
                &self.scripts.bucket_page,
                vec![self.keys.activity(walk.bucket)],
                vec![
                    Value::from(max),
                    Value::from(walk.offset as i64),
                    Value::from(batch as i64),
                ],
            )
            .await?;
        let flat = pairs_of(reply);
        Ok(flat
            .chunks_exact(2)
            .filter_map(|pair| {
                let id: PublicId = text_of(&pair[0])?.parse().ok()?;
                let score = integer_of(&pair[1]).or_else(|| text_of(&pair[1])?.parse().ok())?;
                Some((score, id))
            })
            .collect())
    }

    /// Active and expired sessions at `now`, by the expiry index.
    pub(super) async fn count_by_expiry(&self, now: OffsetDateTime) -> Result<(u64, u64)> {
        let now_ms = to_millis(now);
        let counts = all((0..BUCKETS).map(|bucket| async move {
            let reply = array_of(
                self.eval(
                    &self.scripts.bucket_count,
                    vec![self.keys.expiry(bucket)],
                    vec![Value::from(now_ms)],
                )
                .await?,
            );
            let total = count_of(reply.first());
            let mut active = count_of(reply.get(1));
            let recent: Vec<PublicId> = match reply.get(2) {
                Some(Value::Array(ids)) => ids
                    .iter()
                    .filter_map(|id| text_of(id)?.parse().ok())
                    .collect(),
                _ => Vec::new(),
            };
            // Scored within the last minute: the session itself may expire later.
            for session in self.get_many(&recent).await?.into_iter().flatten() {
                if session.0.0 > now_ms {
                    active += 1;
                }
            }
            Ok::<_, crate::Error>((active, total.saturating_sub(active)))
        }))
        .await?;
        Ok(counts
            .into_iter()
            .fold((0, 0), |(a, e), (active, expired)| {
                (a + active, e + expired)
            }))
    }
}

/// Where a listing is in one bucket of the activity index.
struct BucketWalk {
    bucket: u8,
    /// Entries fetched so far.
    offset: usize,
    /// Fetched, not yet merged: (score, id), highest first.
    buffer: std::collections::VecDeque<(i64, PublicId)>,
    /// Whether the bucket has no more entries.
    done: bool,
}

impl BucketWalk {
    fn new(bucket: u8) -> Self {
        BucketWalk {
            bucket,
            offset: 0,
            buffer: std::collections::VecDeque::new(),
            done: false,
        }
    }

    fn needs_more(&self) -> bool {
        self.buffer.is_empty() && !self.done
    }

    fn fill(&mut self, page: Vec<(i64, PublicId)>, batch: usize) {
        self.done = page.len() < batch;
        self.offset += page.len();
        self.buffer.extend(page);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PublicId;

    #[test]
    fn ip_prefix_matching_is_textual() {
        let mut info = SessionInfo::new(
            PublicId::from_secret(b"x"),
            OffsetDateTime::now_utc() + time::Duration::hours(1),
        );
        info.ip = Some("10.0.1.9".parse().unwrap());
        let now = OffsetDateTime::now_utc();
        assert!(matches(&info, &Filter::default().ip_prefix("10.0."), now));
        assert!(!matches(
            &info,
            &Filter::default().ip_prefix("10.0.0."),
            now
        ));
        assert!(!matches(&info, &Filter::default().ip_prefix("%"), now));
    }
}
