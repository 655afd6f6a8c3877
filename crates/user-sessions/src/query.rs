//! Admin queries: filters, keyset paging.

// The paging and IP-prefix helpers serve the backends: a build without any leaves them unused
// (they and their tests are compiled all the same).
#![cfg_attr(
    not(any(
        feature = "sqlite",
        feature = "postgres",
        feature = "mysql",
        feature = "redis"
    )),
    allow(dead_code)
)]

use std::fmt;
use std::str::FromStr;

use time::OffsetDateTime;

use crate::record::{from_millis, to_millis};
use crate::{PublicId, SessionInfo};

/// Which sessions a query looks at, by expiry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Status {
    /// Sessions that have not expired.
    #[default]
    Active,
    /// Sessions that have expired (and not been purged yet).
    Expired,
    /// Both.
    All,
}

/// Which sessions to count or list. Every condition that is set must hold.
///
/// ```
/// use user_sessions::{Filter, Status};
///
/// let filter = Filter::default().status(Status::All).user("42").ip_prefix("192.168.");
/// assert_eq!(filter.user_ids.as_deref(), Some(&["42".to_string()][..]));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// By expiry; [`Status::Active`] by default.
    pub status: Status,
    /// Only sessions of these users (an empty list matches nothing).
    pub user_ids: Option<Vec<String>>,
    /// Only sessions whose IP text starts with this (e.g. `"10.0."` or a whole address).
    pub ip_prefix: Option<String>,
}

impl Filter {
    /// Sets the expiry status.
    pub fn status(mut self, status: Status) -> Self {
        self.status = status;
        self
    }

    /// Restricts to one user (adds to the set when called again).
    pub fn user(mut self, user_id: impl Into<String>) -> Self {
        self.user_ids
            .get_or_insert_with(Vec::new)
            .push(user_id.into());
        self
    }

    /// Restricts to a set of users (e.g. the result of a search in the application's user table).
    pub fn users<I: IntoIterator<Item = S>, S: Into<String>>(mut self, user_ids: I) -> Self {
        self.user_ids = Some(user_ids.into_iter().map(Into::into).collect());
        self
    }

    /// Restricts to IPs starting with `prefix`.
    pub fn ip_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.ip_prefix = Some(prefix.into());
        self
    }
}

/// Where a page of an admin listing starts: just after this session in the order
/// "most recent activity first, then public id descending".
///
/// Its text form (for URLs) is `"{millis}.{public id}"`.
///
/// ```
/// use user_sessions::Cursor;
/// let c: Cursor = "1700000000000.ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".parse().unwrap();
/// assert_eq!(c.to_string().parse::<Cursor>().unwrap(), c);
/// assert!("garbage".parse::<Cursor>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// Last activity of the last session of the previous page.
    pub last_activity: OffsetDateTime,
    /// Its public id.
    pub id: PublicId,
}

impl Cursor {
    /// The cursor that continues after `session`.
    pub fn after(session: &SessionInfo) -> Self {
        Cursor {
            last_activity: session.last_activity,
            id: session.id,
        }
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", to_millis(self.last_activity), self.id)
    }
}

/// A cursor's text was not `"{millis}.{public id}"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a page cursor looks like `1700000000000.<64 hex digits>`")]
pub struct InvalidCursor;

impl FromStr for Cursor {
    type Err = InvalidCursor;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (millis, id) = text.split_once('.').ok_or(InvalidCursor)?;
        Ok(Cursor {
            last_activity: from_millis(millis.parse().map_err(|_| InvalidCursor)?),
            id: id.parse().map_err(|_| InvalidCursor)?,
        })
    }
}

/// One page of an admin listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Continue after this cursor; `None` for the first page.
    pub after: Option<Cursor>,
    /// At most this many sessions (clamped to 1..=1000).
    pub limit: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            after: None,
            limit: 50,
        }
    }
}

impl PageRequest {
    /// The limit, clamped to 1..=1000.
    pub fn clamped_limit(&self) -> u32 {
        self.limit.clamp(1, 1000)
    }
}

/// A page of sessions and the cursor of the next page, if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Sessions, most recent activity first.
    pub sessions: Vec<SessionInfo>,
    /// Pass this as [`PageRequest::after`] for the next page; `None` on the last page.
    pub next: Option<Cursor>,
}

/// Figures about all stored sessions (for `user-sessions stats` and dashboards).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Sessions that have not expired.
    pub active: u64,
    /// Sessions that have expired and wait to be purged.
    pub expired: u64,
    /// Distinct signed-in users among the active sessions.
    pub users: u64,
    /// When the oldest active session was created.
    #[serde(with = "time::serde::rfc3339::option")]
    pub oldest: Option<OffsetDateTime>,
    /// The most recent activity of any active session.
    #[serde(with = "time::serde::rfc3339::option")]
    pub newest: Option<OffsetDateTime>,
}

/// Turns `limit + 1` fetched sessions (one extra to learn whether a next page exists) into a
/// page. Shared by every backend.
pub(crate) fn into_page(mut sessions: Vec<SessionInfo>, page: &PageRequest) -> Page {
    let limit = page.clamped_limit() as usize;
    let next = if sessions.len() > limit {
        sessions.truncate(limit);
        sessions.last().map(Cursor::after)
    } else {
        None
    };
    Page { sessions, next }
}

/// The exclusive upper bound of all strings that start with `prefix`, for index range scans
/// (`ip >= prefix AND ip < upper`). `None` means "no upper bound". Used by the backends
/// that filter by IP prefix: the SQL ones and Redis.
pub(crate) fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = (last as u32).checked_add(1).and_then(char::from_u32) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_bounds() {
        assert_eq!(prefix_upper_bound("10.0.").as_deref(), Some("10.0/"));
        assert_eq!(prefix_upper_bound("a").as_deref(), Some("b"));
        assert_eq!(prefix_upper_bound(""), None);
        assert_eq!(prefix_upper_bound("\u{10FFFF}"), None);
    }

    #[test]
    fn limit_is_clamped() {
        assert_eq!(
            PageRequest {
                after: None,
                limit: 0
            }
            .clamped_limit(),
            1
        );
        assert_eq!(
            PageRequest {
                after: None,
                limit: 5000
            }
            .clamped_limit(),
            1000
        );
    }
}
