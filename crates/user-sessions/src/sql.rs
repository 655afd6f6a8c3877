//! SQL shared by the SQL backends: column lists and the admin filter, written once and rendered
//! with each dialect's placeholders.
//!
//! Over 600 lines with its unit tests beside it; the statements themselves are about 530.

use time::OffsetDateTime;

use crate::query::prefix_upper_bound;
use crate::{Filter, PageRequest, PublicId, Status};

/// The table every SQL backend uses.
pub(crate) const TABLE: &str = "user_sessions";

/// The per-user device history every SQL backend keeps beside the sessions: one row per
/// user, device and network, with when it was last used.
pub(crate) const DEVICES_TABLE: &str = "user_session_devices";

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
    dialect: Dialect,
) -> Where {
    let mut w = Where::new(dialect.placeholders());
    match (filter.status, dialect) {
        // PostgreSQL indexes `expiry_mark` (see `EXPIRY_MARK_SLACK`): the condition on it
        // selects through the index, the one on `expires_at` makes the answer exact.
        (Status::Active, Dialect::Postgres) => {
            let mark = w.push_param(Param::Time(now - EXPIRY_MARK_SLACK));
            let p = w.push_param(Param::Time(now));
            w.and(&format!("expiry_mark > {mark} AND expires_at > {p}"));
        }
        (Status::Expired, Dialect::Postgres) => {
            let p = w.push_param(Param::Time(now));
            w.and(&format!("expiry_mark <= {p} AND expires_at <= {p}"));
        }
        (Status::Active, _) => {
            let p = w.push_param(Param::Time(now));
            w.and(&format!("expires_at > {p}"));
        }
        (Status::Expired, _) => {
            let p = w.push_param(Param::Time(now));
            w.and(&format!("expires_at <= {p}"));
        }
        (Status::All, _) => {}
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

pub(crate) use crate::query::into_page;

/// The columns a write binds, in this order: the [`INFO_COLUMNS`] with `data` after
/// `client_hints`.
pub(crate) const WRITE_COLUMNS: [&str; 10] = [
    "id",
    "user_id",
    "ip",
    "user_agent",
    "client_hints",
    "data",
    "created_at",
    "last_activity",
    "expires_at",
    "authenticated_at",
];

/// How far PostgreSQL's indexed `expiry_mark` may lag `expires_at`.
///
/// A rolling expiry moves `expires_at` on every save. Were it indexed, no save could be a HOT
/// update (PostgreSQL rewrites every index entry of a row when an indexed column changes).
/// So PostgreSQL indexes `expiry_mark` instead: a save sets it to the new expiry only when that
/// is more than this much later (or earlier) than the mark, so `expiry_mark <= expires_at <=
/// expiry_mark + EXPIRY_MARK_SLACK`. Queries by expiry select through the mark and check
/// `expires_at`: `expires_at > now` implies `expiry_mark > now - EXPIRY_MARK_SLACK`, and
/// `expires_at <= now` implies `expiry_mark <= now`.
pub(crate) const EXPIRY_MARK_SLACK: time::Duration = time::Duration::minutes(1);

/// The SQL dialects, for the few statements whose syntax differs between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // each backend feature uses its own variant
pub enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL and MariaDB.
    Mysql,
}

impl Dialect {
    /// How this dialect writes placeholders.
    pub(crate) fn placeholders(self) -> Placeholders {
        match self {
            Dialect::Postgres => Placeholders::Dollar,
            Dialect::Sqlite | Dialect::Mysql => Placeholders::Question,
        }
    }

    /// The `n`-th placeholder (1-based).
    fn placeholder(self, n: usize) -> String {
        match self.placeholders() {
            Placeholders::Dollar => format!("${n}"),
            Placeholders::Question => "?".to_owned(),
        }
    }

    /// Placeholders `first..first + count`, comma-separated.
    pub(crate) fn placeholder_list(self, first: usize, count: usize) -> String {
        (first..first + count)
            .map(|n| self.placeholder(n))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The fixed statements of a SQL backend, rendered once for its dialect. Each field says what
/// it binds, in order.
/// Public in name only (the module is private to this crate): the dialect trait names it.
#[derive(Debug)]
#[allow(dead_code)] // not every backend uses every statement
pub struct Statements {
    /// Binds `id`; returns the [`INFO_COLUMNS`] then `data`.
    pub get: String,
    /// Binds the [`WRITE_COLUMNS`]: inserts, or replaces every column of the row with that id.
    pub save: String,
    /// Binds the [`WRITE_COLUMNS`] then `now` (not MySQL): inserts, or replaces the row with that
    /// id only if it expired at `now`; affects one row exactly when the session was written.
    /// On MySQL a plain insert: a duplicate key error then runs [`replace_expired`](Self::replace_expired).
    pub create: String,
    /// Whether [`create`](Self::create) binds `now` after the write columns.
    pub create_binds_now: bool,
    /// Whether [`create`](Self::create) returns one boolean row (written or not) instead of
    /// affecting one row exactly when the session was written.
    pub create_returns_written: bool,
    /// Binds the [`WRITE_COLUMNS`], then `id` and `now`: replaces the row with that id if it
    /// expired at `now` (MySQL's second step of a create).
    pub replace_expired: String,
    /// Binds the [`WRITE_COLUMNS`] after `id`, then `id`: replaces every column of the row with
    /// that id; affects no row when there is none.
    pub update: String,
    /// Binds `ip`, `user_agent`, `client_hints`, `last_activity`, then `id` and `now`: writes
    /// the client columns of the row with that id if it is active at `now`.
    pub touch: String,
    /// Binds `id`.
    pub delete: String,
    /// Binds `id`, `user_id`.
    pub delete_user_session: String,
    /// Binds `user_id`, the id to keep (an empty blob keeps nothing).
    pub delete_user_sessions: String,
    /// Binds `user_id`, `now`; returns the [`INFO_COLUMNS`], most recent activity first.
    pub user_sessions: String,
    /// Binds `now`; returns one row with how many sessions it deleted without reading them.
    /// Run before [`purge_expired`](Self::purge_expired), on its own. PostgreSQL's partitioned
    /// layout: tends the partitions (drops the days that have passed). Empty elsewhere.
    pub purge_partitions: String,
    /// Binds `now`, `limit`; returns `id`, `user_id` of up to `limit` expired sessions. SQLite
    /// and PostgreSQL: deletes them (`RETURNING`). MySQL, which has no `RETURNING`: locks
    /// them, in a transaction that [`purge_locked`](Self::purge_locked) completes.
    pub purge_expired: String,
    /// MySQL: binds `now`, `limit`; deletes the rows [`purge_expired`](Self::purge_expired)
    /// locked (same condition, same order). Empty elsewhere.
    pub purge_locked: String,
    /// Binds `now` [`stats_now_binds`](Self::stats_now_binds) times; returns the active count,
    /// the expired count, distinct users, oldest creation and newest activity of active sessions.
    pub stats: String,
    /// How many times [`stats`](Self::stats) binds `now`.
    pub stats_now_binds: usize,
    /// Binds `user_id`, `now`, the signing-in session's `id`: the ids of the user's other live
    /// sessions, most recently active first (what [`SessionLimit::to_end`](crate::SessionLimit::to_end)
    /// decides from).
    pub limit_others: String,
    /// Takes the lock that makes one user's sign-ins take turns. PostgreSQL: binds the
    /// [`UserLock::key`], held until the transaction ends. MySQL: binds the
    /// [`UserLock::name`] and a timeout in seconds, returns 1 when taken; held until
    /// [`unlock_user`](Self::unlock_user). SQLite: empty (its one writer already serialises).
    pub lock_user: String,
    /// MySQL: binds the [`UserLock::name`]; releases the lock. Empty elsewhere.
    pub unlock_user: String,
    /// Binds `user_id`, `device`, `network`, `last_used`: inserts the history entry, or moves
    /// its time forward (never back).
    pub remember_device: String,
    /// Binds `user_id`, the time before which entries are forgotten, `user_id`: deletes the
    /// user's entries used before it, and those beyond the
    /// [`MAX_KNOWN_DEVICES`](crate::MAX_KNOWN_DEVICES) most recently used.
    pub trim_devices: String,
    /// Binds `user_id`, `since`; returns `device`, `network`, `last_used` of the user's
    /// entries used at or after it, most recently used first.
    pub known_devices: String,
    /// Binds `before`, `limit`: deletes up to `limit` entries used before it.
    pub forget_devices: String,
    /// Binds `user_id`: deletes the user's entries.
    pub forget_user_devices: String,
}

/// The lock one user's sign-ins take while the session limit is applied, derived from the
/// user id (a SHA-256 prefix, so that any user id fits the lock's type).
#[derive(Debug, Clone, Copy)]
pub(crate) struct UserLock([u8; 16]);

#[allow(dead_code)] // each server backend uses its own form
impl UserLock {
    /// The lock of `user_id`'s sign-ins.
    pub(crate) fn of(user_id: &str) -> Self {
        use sha2::Digest as _;
        let digest = sha2::Sha256::new()
            .chain_update(b"user-sessions sign-in limit\0")
            .chain_update(user_id.as_bytes())
            .finalize();
        let mut prefix = [0; 16];
        prefix.copy_from_slice(&digest[..16]);
        UserLock(prefix)
    }

    /// As a PostgreSQL advisory lock key.
    pub(crate) fn key(&self) -> i64 {
        let mut first = [0; 8];
        first.copy_from_slice(&self.0[..8]);
        i64::from_be_bytes(first)
    }

    /// As a MySQL named lock (at most 64 characters).
    pub(crate) fn name(&self) -> String {
        use std::fmt::Write as _;
        self.0
            .iter()
            .fold(String::from("user_sessions.sign_in."), |mut name, byte| {
                let _ = write!(name, "{byte:02x}");
                name
            })
    }
}

impl Statements {
    /// Renders every statement for `dialect`.
    pub(crate) fn new(dialect: Dialect) -> Self {
        let p = |n| dialect.placeholder(n);
        let columns = WRITE_COLUMNS.join(", ");
        let values = dialect.placeholder_list(1, WRITE_COLUMNS.len());
        let updated = &WRITE_COLUMNS[1..];
        // PostgreSQL's expiry mark (see `EXPIRY_MARK_SLACK`): a new row's is its expiry; an
        // update moves it only when the expiry left the slack.
        let expires = WRITE_COLUMNS
            .iter()
            .position(|c| *c == "expires_at")
            .unwrap_or_default();
        let (insert, upsert_mark, update_mark) = match dialect {
            Dialect::Postgres => (
                format!(
                    "INSERT INTO {TABLE} ({columns}, expiry_mark) VALUES ({values}, {})",
                    p(expires + 1)
                ),
                ", expiry_mark = excluded.expiry_mark".to_owned(),
                format!(
                    ", expiry_mark = CASE WHEN {e} < expiry_mark \
                     OR {e} > expiry_mark + INTERVAL '{slack} seconds' THEN {e} ELSE expiry_mark END",
                    // An update binds the write columns after `id`.
                    e = p(expires),
                    slack = EXPIRY_MARK_SLACK.whole_seconds()
                ),
            ),
            Dialect::Sqlite | Dialect::Mysql => (
                format!("INSERT INTO {TABLE} ({columns}) VALUES ({values})"),
                String::new(),
                String::new(),
            ),
        };
        let save = match dialect {
            Dialect::Mysql => format!(
                "{insert} ON DUPLICATE KEY UPDATE {}",
                updated
                    .iter()
                    .map(|c| format!("{c} = VALUES({c})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Dialect::Sqlite | Dialect::Postgres => format!(
                "{insert} ON CONFLICT (id) DO UPDATE SET {}{upsert_mark}",
                updated
                    .iter()
                    .map(|c| format!("{c} = excluded.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let create = match dialect {
            Dialect::Mysql => insert.clone(),
            Dialect::Sqlite | Dialect::Postgres => {
                format!("{save} WHERE {TABLE}.expires_at <= {}", p(11))
            }
        };
        let replace_expired = format!(
            "UPDATE {TABLE} SET {} WHERE id = {} AND expires_at <= {}",
            WRITE_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = {}", p(i + 1)))
                .collect::<Vec<_>>()
                .join(", "),
            p(11),
            p(12)
        );
        let purge_expired = match dialect {
            // MySQL has no RETURNING: lock the rows, then delete them (`purge_locked`).
            Dialect::Mysql => format!(
                "SELECT id, user_id FROM {TABLE} WHERE expires_at <= ? \
                 ORDER BY expires_at LIMIT ? FOR UPDATE"
            ),
            Dialect::Sqlite => format!(
                "DELETE FROM {TABLE} WHERE id IN \
                 (SELECT id FROM {TABLE} WHERE expires_at <= ? LIMIT ?) RETURNING id, user_id"
            ),
            Dialect::Postgres => format!(
                "DELETE FROM {TABLE} WHERE id IN \
                 (SELECT id FROM {TABLE} WHERE expiry_mark <= $1 AND expires_at <= $1 LIMIT $2) \
                 RETURNING id, user_id"
            ),
        };
        let purge_locked = match dialect {
            // The locking read's condition and order: the same rows.
            Dialect::Mysql => {
                format!("DELETE FROM {TABLE} WHERE expires_at <= ? ORDER BY expires_at LIMIT ?")
            }
            Dialect::Sqlite | Dialect::Postgres => String::new(),
        };
        let active = format!("expires_at > {}", p(1));
        let stats = format!(
            "SELECT COUNT(CASE WHEN {active} THEN 1 END), \
             COUNT(CASE WHEN expires_at <= {} THEN 1 END), \
             COUNT(DISTINCT CASE WHEN {active} THEN user_id END), \
             MIN(CASE WHEN {active} THEN created_at END), \
             MAX(CASE WHEN {active} THEN last_activity END) FROM {TABLE}",
            p(1)
        );
        Statements {
            get: format!(
                "SELECT {INFO_COLUMNS}, data FROM {TABLE} WHERE id = {}",
                p(1)
            ),
            save,
            create_binds_now: dialect != Dialect::Mysql,
            create_returns_written: false,
            create,
            replace_expired,
            update: format!(
                "UPDATE {TABLE} SET {}{update_mark} WHERE id = {}",
                updated
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{c} = {}", p(i + 1)))
                    .collect::<Vec<_>>()
                    .join(", "),
                p(updated.len() + 1)
            ),
            touch: format!(
                "UPDATE {TABLE} SET ip = {}, user_agent = {}, client_hints = {}, last_activity = {} \
                 WHERE id = {} AND expires_at > {}",
                p(1),
                p(2),
                p(3),
                p(4),
                p(5),
                p(6)
            ),
            delete: format!("DELETE FROM {TABLE} WHERE id = {}", p(1)),
            delete_user_session: format!(
                "DELETE FROM {TABLE} WHERE id = {} AND user_id = {}",
                p(1),
                p(2)
            ),
            delete_user_sessions: format!(
                "DELETE FROM {TABLE} WHERE user_id = {} AND id <> {}",
                p(1),
                p(2)
            ),
            user_sessions: format!(
                "SELECT {INFO_COLUMNS} FROM {TABLE} WHERE user_id = {} AND expires_at > {} \
                 ORDER BY last_activity DESC, id DESC",
                p(1),
                p(2)
            ),
            purge_partitions: String::new(),
            purge_expired,
            purge_locked,
            stats,
            stats_now_binds: match dialect.placeholders() {
                Placeholders::Dollar => 1,
                Placeholders::Question => 5,
            },
            limit_others: format!(
                "SELECT id FROM {TABLE} WHERE user_id = {} AND expires_at > {} AND id <> {} \
                 ORDER BY last_activity DESC, id DESC",
                p(1),
                p(2),
                p(3)
            ),
            lock_user: match dialect {
                Dialect::Postgres => "SELECT pg_advisory_xact_lock($1)".to_owned(),
                Dialect::Mysql => "SELECT GET_LOCK(?, ?)".to_owned(),
                Dialect::Sqlite => String::new(),
            },
            unlock_user: match dialect {
                Dialect::Mysql => "SELECT RELEASE_LOCK(?)".to_owned(),
                Dialect::Postgres | Dialect::Sqlite => String::new(),
            },
            remember_device: match dialect {
                Dialect::Mysql => format!(
                    "INSERT INTO {DEVICES_TABLE} (user_id, device, network, last_used) \
                     VALUES (?, ?, ?, ?) \
                     ON DUPLICATE KEY UPDATE last_used = GREATEST(last_used, VALUES(last_used))"
                ),
                Dialect::Sqlite | Dialect::Postgres => format!(
                    "INSERT INTO {DEVICES_TABLE} (user_id, device, network, last_used) \
                     VALUES ({}, {}, {}, {}) \
                     ON CONFLICT (user_id, device, network) DO UPDATE \
                     SET last_used = excluded.last_used \
                     WHERE excluded.last_used > {DEVICES_TABLE}.last_used",
                    p(1),
                    p(2),
                    p(3),
                    p(4)
                ),
            },
            // The newest entries' cut-off is read through a derived table: MySQL cannot
            // otherwise read the table a DELETE deletes from.
            trim_devices: format!(
                "DELETE FROM {DEVICES_TABLE} WHERE user_id = {} AND (last_used < {} \
                 OR last_used < (SELECT last_used FROM (SELECT last_used FROM {DEVICES_TABLE} \
                 WHERE user_id = {} ORDER BY last_used DESC LIMIT 1 OFFSET {}) AS newest))",
                p(1),
                p(2),
                p(3),
                crate::MAX_KNOWN_DEVICES - 1
            ),
            known_devices: format!(
                "SELECT device, network, last_used FROM {DEVICES_TABLE} \
                 WHERE user_id = {} AND last_used >= {} \
                 ORDER BY last_used DESC, device, network",
                p(1),
                p(2)
            ),
            forget_devices: match dialect {
                Dialect::Mysql => {
                    format!("DELETE FROM {DEVICES_TABLE} WHERE last_used < ? LIMIT ?")
                }
                Dialect::Sqlite | Dialect::Postgres => format!(
                    "DELETE FROM {DEVICES_TABLE} WHERE (user_id, device, network) IN \
                     (SELECT user_id, device, network FROM {DEVICES_TABLE} \
                     WHERE last_used < {} LIMIT {})",
                    p(1),
                    p(2)
                ),
            },
            forget_user_devices: format!("DELETE FROM {DEVICES_TABLE} WHERE user_id = {}", p(1)),
        }
    }
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
            Dialect::Postgres,
        );
        assert_eq!(
            w.text(),
            "expiry_mark > $1 AND expires_at > $2 AND user_id IN ($3, $4) AND ip >= $5 AND ip < $6 AND last_activity <= $7 AND (last_activity < $8 OR id < $9)"
        );
        assert_eq!(w.params.len(), 9);
        let mysql = filter_where(
            &filter,
            Some(&page),
            OffsetDateTime::UNIX_EPOCH,
            Dialect::Mysql,
        );
        assert!(
            mysql
                .text()
                .starts_with("expires_at > ? AND user_id IN (?, ?)")
        );
        let expired = filter_where(
            &Filter::default().status(Status::Expired),
            None,
            OffsetDateTime::UNIX_EPOCH,
            Dialect::Postgres,
        );
        assert_eq!(expired.text(), "expiry_mark <= $1 AND expires_at <= $1");
        assert_eq!(expired.params.len(), 1);
    }

    #[test]
    fn empty_user_set_matches_nothing() {
        let filter = Filter::default()
            .status(Status::All)
            .users(Vec::<String>::new());
        let w = filter_where(&filter, None, OffsetDateTime::UNIX_EPOCH, Dialect::Sqlite);
        assert_eq!(w.text(), "1=0");
    }

    #[test]
    fn no_condition_is_true() {
        let filter = Filter::default().status(Status::All);
        let w = filter_where(&filter, None, OffsetDateTime::UNIX_EPOCH, Dialect::Sqlite);
        assert_eq!(w.text(), "1=1");
    }

    #[test]
    fn statements_render_per_dialect() {
        let pg = Statements::new(Dialect::Postgres);
        assert!(pg.create.ends_with("ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, ip = excluded.ip, user_agent = excluded.user_agent, client_hints = excluded.client_hints, data = excluded.data, created_at = excluded.created_at, last_activity = excluded.last_activity, expires_at = excluded.expires_at, authenticated_at = excluded.authenticated_at, expiry_mark = excluded.expiry_mark WHERE user_sessions.expires_at <= $11"));
        assert!(
            pg.save
                .contains("(id, user_id, ip, user_agent, client_hints, data, created_at, last_activity, expires_at, authenticated_at, expiry_mark) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9)")
        );
        assert!(pg.update.contains("expires_at = $8,"));
        assert!(
            pg.update
                .ends_with("THEN $8 ELSE expiry_mark END WHERE id = $10")
        );
        assert!(
            pg.purge_expired
                .contains("expiry_mark <= $1 AND expires_at <= $1")
        );
        assert_eq!(pg.stats.matches("$1").count(), pg.stats_now_binds * 5);
        let mysql = Statements::new(Dialect::Mysql);
        assert!(
            mysql
                .save
                .contains("ON DUPLICATE KEY UPDATE user_id = VALUES(user_id)")
        );
        assert!(!mysql.create.contains("DUPLICATE"));
        assert_eq!(mysql.replace_expired.matches('?').count(), 12);
        assert_eq!(mysql.stats.matches('?').count(), mysql.stats_now_binds);
        let sqlite = Statements::new(Dialect::Sqlite);
        assert_eq!(sqlite.create.matches('?').count(), 11);
        assert!(
            pg.trim_devices
                .contains("user_id = $3 ORDER BY last_used DESC LIMIT 1 OFFSET 49")
        );
        assert!(
            pg.remember_device
                .contains("WHERE excluded.last_used > user_session_devices.last_used")
        );
        assert!(
            mysql
                .remember_device
                .contains("GREATEST(last_used, VALUES(last_used))")
        );
        assert_eq!(mysql.trim_devices.matches('?').count(), 3);
    }
}
