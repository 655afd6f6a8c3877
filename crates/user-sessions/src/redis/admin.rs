//! Admin queries: a user's sessions, filtered pages of all sessions, counts.

use std::collections::HashMap;

use fred::prelude::Value;
use time::OffsetDateTime;

use super::{RedisBackend, bytes_of, integer_of, scripts, value};
use crate::query::prefix_upper_bound;
use crate::record::to_millis;
use crate::{Cursor, Error, Filter, Result, SessionInfo, Status};

/// Decodes `id, header and columns, …` pairs; malformed entries are skipped with a warning.
pub(super) fn infos_from_pairs(values: &[Value]) -> Vec<SessionInfo> {
    values
        .chunks_exact(2)
        .filter_map(|pair| {
            let id = std::str::from_utf8(bytes_of(&pair[0])?)
                .ok()?
                .parse()
                .ok()?;
            match value::decode_info(id, bytes_of(&pair[1])?) {
                Ok((_, info, _)) => Some(info),
                Err(error) => {
                    tracing::warn!(%error, "skipping a session");
                    None
                }
            }
        })
        .collect()
}

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
    /// A user's sessions (expired ones too if asked), most recent activity first.
    pub(super) async fn sessions_of(
        &self,
        user_id: &str,
        now: OffsetDateTime,
        with_expired: bool,
    ) -> Result<Vec<SessionInfo>> {
        let result = self
            .eval(
                &self.scripts.user_sessions,
                scripts::USER_SESSIONS,
                vec![self.user_key(user_id)],
                vec![
                    Value::from(self.keys.as_str()),
                    Value::from(user_id),
                    Value::from(to_millis(now)),
                    Value::from(if with_expired { "1" } else { "0" }),
                ],
            )
            .await?;
        let mut sessions = match result {
            Value::Array(values) => infos_from_pairs(&values),
            _ => Vec::new(),
        };
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
        let batch = limit.clamp(64, 1000);
        let mut offset = 0usize;
        let mut found = Vec::new();
        loop {
            let result = self
                .eval(
                    &self.scripts.page,
                    scripts::PAGE,
                    vec![self.key("activity"), self.key("expiry")],
                    vec![
                        Value::from(self.keys.as_str()),
                        Value::from(max.as_str()),
                        Value::from(offset as i64),
                        Value::from(batch as i64),
                    ],
                )
                .await?;
            let Value::Array(parts) = result else {
                return Err(Error::Backend("unexpected reply to the page script".into()));
            };
            let scanned = parts.first().and_then(integer_of).unwrap_or(0).max(0) as usize;
            let removed = parts.get(1).and_then(integer_of).unwrap_or(0).max(0) as usize;
            if let Some(Value::Array(pairs)) = parts.get(2) {
                for info in infos_from_pairs(pairs) {
                    if matches(&info, filter, now) && after_cursor(&info, cursor) {
                        found.push(info);
                        if found.len() >= limit {
                            return Ok(found);
                        }
                    }
                }
            }
            if scanned < batch {
                return Ok(found);
            }
            offset += scanned - removed;
        }
    }

    /// Active and expired sessions at `now`, by the expiry index.
    pub(super) async fn count_by_expiry(&self, now: OffsetDateTime) -> Result<(u64, u64)> {
        let counts = self
            .eval(
                &self.scripts.count_by_expiry,
                scripts::COUNT_BY_EXPIRY,
                vec![self.key("expiry")],
                vec![Value::from(self.keys.as_str()), Value::from(to_millis(now))],
            )
            .await?;
        let count = |n: Option<&Value>| n.and_then(integer_of).unwrap_or(0).max(0) as u64;
        match counts {
            Value::Array(values) => Ok((count(values.first()), count(values.get(1)))),
            _ => Err(Error::Backend(
                "unexpected reply to the count script".into(),
            )),
        }
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
