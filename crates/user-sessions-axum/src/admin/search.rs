//! What the admin list is asked for: filters, search and page, read from the query string and
//! written back into links.

use std::net::IpAddr;

use user_sessions::{Cursor, Status};

use super::MAX_PAGE_SIZE;

/// Whose sessions the list shows, besides the other filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Owner {
    /// Every user's, and anonymous sessions (the default).
    #[default]
    Anyone,
    /// The staff member's own (`?owner=my`).
    Mine,
}

/// The search box (`?q=`): an address, the beginning of one, or a user.
///
/// ```
/// use user_sessions_axum::admin::Search;
///
/// assert_eq!(Search::parse("203.0.113.7"), Some(Search::Ip("203.0.113.7".parse().unwrap())));
/// assert_eq!(Search::parse(" 10.0. "), Some(Search::IpPrefix("10.0.".into())));
/// assert_eq!(Search::parse("2001:DB8:"), Some(Search::IpPrefix("2001:db8:".into())));
/// assert_eq!(Search::parse("alice@example.com"), Some(Search::User("alice@example.com".into())));
/// assert_eq!(Search::parse("  "), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// A whole IP address: sessions from exactly this address.
    Ip(IpAddr),
    /// The beginning of an address as sessions store it (`10.0.`, `2001:db8:`).
    IpPrefix(String),
    /// Anything else: looked up in the application's user directory.
    User(String),
}

impl Search {
    /// Reads the search text; `None` when it is blank.
    pub fn parse(text: &str) -> Option<Search> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Some(Search::Ip(ip));
        }
        if is_ipv4_prefix(text) || is_ipv6_prefix(text) {
            return Some(Search::IpPrefix(text.to_ascii_lowercase()));
        }
        Some(Search::User(text.to_owned()))
    }

    /// The text, as the search box shows it again.
    pub fn text(&self) -> String {
        match self {
            Search::Ip(ip) => ip.to_string(),
            Search::IpPrefix(prefix) => prefix.clone(),
            Search::User(text) => text.clone(),
        }
    }

    /// `ip`, `ip_prefix` or `user`: what kind of search this is (in JSON).
    pub fn kind(&self) -> &'static str {
        match self {
            Search::Ip(_) => "ip",
            Search::IpPrefix(_) => "ip_prefix",
            Search::User(_) => "user",
        }
    }
}

/// `10.`, `10.0`, `192.168.1.`: digits and dots, at least one dot, at most four parts of at
/// most three digits.
fn is_ipv4_prefix(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() >= 2
        && parts.len() <= 4
        && parts
            .iter()
            .all(|p| p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
        && !parts[0].is_empty()
}

/// `2001:db8:`, `fe80::`: hexadecimal digits and colons (and dots of an embedded IPv4
/// address), at least one colon.
fn is_ipv6_prefix(text: &str) -> bool {
    text.len() <= 45
        && text.contains(':')
        && text
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
}

/// The query string of the list was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid `{0}` in the query string")]
pub struct InvalidQuery(pub &'static str);

/// What the list was asked for: its query string, read.
///
/// ```
/// use user_sessions::Status;
/// use user_sessions_axum::admin::{ListQuery, Owner, Search};
///
/// let query = ListQuery::parse(Some("active=0&owner=my&q=10.0."))?;
/// assert_eq!(query.status, Status::Expired);
/// assert_eq!(query.owner, Owner::Mine);
/// assert_eq!(query.search, Some(Search::IpPrefix("10.0.".into())));
/// assert_eq!(query.to_query_string(), "active=0&owner=my&q=10.0.");
/// assert_eq!(ListQuery::parse(None)?, ListQuery::default());
/// assert!(ListQuery::parse(Some("after=garbage")).is_err());
/// # Ok::<(), user_sessions_axum::admin::InvalidQuery>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListQuery {
    /// `?active=1` → [`Status::Active`], `?active=0` → [`Status::Expired`], else
    /// [`Status::All`] (the default: every session, like the original's admin).
    pub status: Status,
    /// `?owner=my`.
    pub owner: Owner,
    /// `?user=<id>`: one user's sessions.
    pub user: Option<String>,
    /// `?q=`.
    pub search: Option<Search>,
    /// `?after=`: the page after this cursor.
    pub after: Option<Cursor>,
    /// `?limit=`: sessions per page (1 to [`MAX_PAGE_SIZE`]).
    pub limit: Option<u32>,
}

impl Default for ListQuery {
    /// Every session: all statuses, all owners, no search, the first page.
    fn default() -> Self {
        ListQuery {
            status: Status::All,
            owner: Owner::Anyone,
            user: None,
            search: None,
            after: None,
            limit: None,
        }
    }
}

impl ListQuery {
    /// Reads a query string (`None` or empty: everything by default). Empty values count as
    /// absent (forms send them); values that mean nothing are an error.
    pub fn parse(query: Option<&str>) -> Result<ListQuery, InvalidQuery> {
        let pairs: Vec<(String, String)> = match query {
            Some(query) => serde_urlencoded::from_str(query).map_err(|_| InvalidQuery("query"))?,
            None => Vec::new(),
        };
        let mut list = ListQuery::default();
        for (name, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match name.as_str() {
                "active" => {
                    list.status = match value.to_ascii_lowercase().as_str() {
                        "1" | "yes" | "true" => Status::Active,
                        "0" | "no" | "false" => Status::Expired,
                        "all" => Status::All,
                        _ => return Err(InvalidQuery("active")),
                    }
                }
                "owner" => {
                    list.owner = match value {
                        "my" => Owner::Mine,
                        "all" | "any" => Owner::Anyone,
                        _ => return Err(InvalidQuery("owner")),
                    }
                }
                "user" => list.user = Some(value.to_owned()),
                "q" => list.search = Search::parse(value),
                "after" => list.after = Some(value.parse().map_err(|_| InvalidQuery("after"))?),
                "limit" => {
                    let limit: u32 = value.parse().map_err(|_| InvalidQuery("limit"))?;
                    if limit == 0 || limit > MAX_PAGE_SIZE {
                        return Err(InvalidQuery("limit"));
                    }
                    list.limit = Some(limit);
                }
                // Other parameters (a tracking tag, a cache buster) do not matter.
                _ => {}
            }
        }
        Ok(list)
    }

    /// The query string that asks for this list again (without a leading `?`; empty for the
    /// default list).
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        match self.status {
            Status::Active => pairs.push(("active", "1".into())),
            Status::Expired => pairs.push(("active", "0".into())),
            Status::All => {}
        }
        if self.owner == Owner::Mine {
            pairs.push(("owner", "my".into()));
        }
        if let Some(user) = &self.user {
            pairs.push(("user", user.clone()));
        }
        if let Some(search) = &self.search {
            pairs.push(("q", search.text()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(after) = &self.after {
            pairs.push(("after", after.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// `base` followed by this query string.
    pub fn url(&self, base: &str) -> String {
        let query = self.to_query_string();
        if query.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{query}")
        }
    }

    /// The same list from its first page.
    pub fn first_page(&self) -> ListQuery {
        ListQuery {
            after: None,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_told_apart() {
        assert_eq!(
            Search::parse("::1"),
            Some(Search::Ip("::1".parse().unwrap()))
        );
        assert_eq!(Search::parse("10."), Some(Search::IpPrefix("10.".into())));
        assert_eq!(
            Search::parse("192.168.1"),
            Some(Search::IpPrefix("192.168.1".into()))
        );
        assert_eq!(
            Search::parse("fe80::"),
            Some(Search::Ip("fe80::".parse().unwrap()))
        );
        assert_eq!(
            Search::parse("fe80:"),
            Some(Search::IpPrefix("fe80:".into()))
        );
        // Not addresses: a name with dots, a number alone, too many parts.
        assert_eq!(
            Search::parse("john.doe"),
            Some(Search::User("john.doe".into()))
        );
        assert_eq!(Search::parse("42"), Some(Search::User("42".into())));
        assert_eq!(
            Search::parse("1.2.3.4.5"),
            Some(Search::User("1.2.3.4.5".into()))
        );
        assert_eq!(Search::parse(".5"), Some(Search::User(".5".into())));
    }

    #[test]
    fn queries_round_trip() {
        let text = "active=1&owner=my&user=7&q=alice&limit=20&after=1700000000000.ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let query = ListQuery::parse(Some(text)).unwrap();
        assert_eq!(query.status, Status::Active);
        assert_eq!(query.user.as_deref(), Some("7"));
        assert_eq!(query.limit, Some(20));
        assert_eq!(query.to_query_string(), text);
        assert_eq!(
            query.first_page().url("/admin/sessions/"),
            "/admin/sessions/?active=1&owner=my&user=7&q=alice&limit=20"
        );
        let empty = ListQuery::parse(Some("active=&owner=&q=+&utm=x")).unwrap();
        assert_eq!(empty.url("/a/"), "/a/");
        for bad in [
            "active=maybe",
            "owner=you",
            "limit=0",
            "limit=100000",
            "limit=x",
        ] {
            assert!(ListQuery::parse(Some(bad)).is_err(), "{bad}");
        }
    }
}
