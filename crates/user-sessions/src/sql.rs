//! SQL shared by the SQL backends: column lists and the admin filter, written once and rendered
//! with each dialect's placeholders.

use time::OffsetDateTime;

use crate::query::prefix_upper_bound;
use crate::{Filter, PageRequest, PublicId, Status};

/// The table every SQL backend uses.
pub(crate) const TABLE: &str = "user_sessions";

/// The columns of [`SessionInfo`](crate::SessionInfo), in the order backends decode them.
pub(crate) const INFO_COLUMNS: &str = "id, user_id, ip, user_agent, client_hints, created_at, last_activity, expires_at, authenticated_at";

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param {
    Text(String),
    Time(OffsetDateTime),
    Id(PublicId),
}

/// How a dialect writes the n-th placeholder (1-based).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Placeholders {
    /// `?` (SQLite, MySQL).
    #[allow(dead_code)]
    Question,
    /// `$1`, `$2`, … (PostgreSQL).
    #[allow(dead_code)]
    Dollar,
}

/// A `WHERE` clause (without the keyword) and its parameters.
#[derive(Debug, Default)]
pub(crate) struct Where {
    pub sql: String,
    pub params: Vec<Param>,
    placeholders: Option<Placeholders>,
}

impl Where {
    fn new(placeholders: Placeholders) -> Self {
        Where {
            sql: String::new(),
            params: Vec::new(),
            placeholders: Some(placeholders),
        }
    }

    fn push_param(&mut self, param: Param) -> String {
        self.params.push(param);
        match self.placeholders {
            Some(Placeholders::Dollar) => format!("${}", self.params.len()),
            _ => "?".to_owned(),
        }
    }

    fn and(&mut self, condition: &str) {
        if !self.sql.is_empty() {
            self.sql.push_str(" AND ");
        }
        self.sql.push_str(condition);
    }

    /// The clause text, or `1=1` when nothing restricts.
    pub fn text(&self) -> &str {
        if self.sql.is_empty() {
            "1=1"
        } else {
            &self.sql
        }
    }
}

/// Builds the `WHERE` for a filter (and, for listings, the keyset cursor).
pub(crate) fn filter_where(
    filter: &Filter,
    page: Option<&PageRequest>,
    now: OffsetDateTime,
    placeholders: Placeholders,
) -> Where {
    let mut w = Where::new(placeholders);
    match filter.status {
        Status::Active => {
            let p = w.push_param(Param::Time(now));
            w.and(&format!("expires_at > {p}"));
        }
        Status::Expired => {
            let p = w.push_param(Param::Time(now));
            w.and(&format!("expires_at <= {p}"));
        }
        Status::All => {}
    }
    if let Some(users) = &filter.user_ids {
        if users.is_empty() {
            w.and("1=0");
        } else {
            let list: Vec<String> = users
                .iter()
                .map(|u| w.push_param(Param::Text(u.clone())))
                .collect();
            w.and(&format!("user_id IN ({})", list.join(", ")));
        }
    }
    if let Some(prefix) = filter.ip_prefix.as_deref().filter(|p| !p.is_empty()) {
        let lower = w.push_param(Param::Text(prefix.to_owned()));
        w.and(&format!("ip >= {lower}"));
        if let Some(upper) = prefix_upper_bound(prefix) {
            let upper = w.push_param(Param::Text(upper));
            w.and(&format!("ip < {upper}"));
        }
    }
    if let Some(cursor) = page.and_then(|p| p.after) {
        // The range condition lets the (last_activity, id) index seek; the OR breaks ties.
        let t1 = w.push_param(Param::Time(cursor.last_activity));
        let t2 = w.push_param(Param::Time(cursor.last_activity));
        let id = w.push_param(Param::Id(cursor.id));
        w.and(&format!(
            "last_activity <= {t1} AND (last_activity < {t2} OR id < {id})"
        ));
    }
    w
}

/// `ORDER BY … LIMIT n` for listings (fetches one extra row to know whether a next page exists).
pub(crate) fn list_tail(page: &PageRequest) -> String {
    format!(
        "ORDER BY last_activity DESC, id DESC LIMIT {}",
        page.clamped_limit() + 1
    )
}

/// Turns `limit + 1` fetched rows into a page.
pub(crate) fn into_page(mut sessions: Vec<crate::SessionInfo>, page: &PageRequest) -> crate::Page {
    let limit = page.clamped_limit() as usize;
    let next = if sessions.len() > limit {
        sessions.truncate(limit);
        sessions.last().map(crate::Cursor::after)
    } else {
        None
    };
    crate::Page { sessions, next }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_condition() {
        let filter = Filter::default().user("a").user("b").ip_prefix("10.");
        let page = PageRequest {
            after: Some(crate::Cursor {
                last_activity: OffsetDateTime::UNIX_EPOCH,
                id: PublicId::from_bytes([0; 32]),
            }),
            limit: 10,
        };
        let w = filter_where(
            &filter,
            Some(&page),
            OffsetDateTime::UNIX_EPOCH,
            Placeholders::Dollar,
        );
        assert_eq!(
            w.text(),
            "expires_at > $1 AND user_id IN ($2, $3) AND ip >= $4 AND ip < $5 AND last_activity <= $6 AND (last_activity < $7 OR id < $8)"
        );
        assert_eq!(w.params.len(), 8);
    }

    #[test]
    fn empty_user_set_matches_nothing() {
        let filter = Filter::default()
            .status(Status::All)
            .users(Vec::<String>::new());
        let w = filter_where(
            &filter,
            None,
            OffsetDateTime::UNIX_EPOCH,
            Placeholders::Question,
        );
        assert_eq!(w.text(), "1=0");
    }

    #[test]
    fn no_condition_is_true() {
        let filter = Filter::default().status(Status::All);
        let w = filter_where(
            &filter,
            None,
            OffsetDateTime::UNIX_EPOCH,
            Placeholders::Question,
        );
        assert_eq!(w.text(), "1=1");
    }
}
