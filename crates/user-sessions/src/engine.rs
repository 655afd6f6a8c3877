//! Which database a URL names, decided once for every caller (the store, the CLI).

/// The database engines a URL can name, by its scheme.
///
/// Recognised whatever features this build has: [`Store::open`](crate::Store::open) then
/// refuses an engine whose feature is off with [`Error::Url`](crate::Error::Url).
///
/// ```
/// use user_sessions::Engine;
///
/// assert_eq!(Engine::of_url("postgresql://db/app"), Some(Engine::Postgres));
/// assert_eq!(Engine::of_url("MariaDB://db/app"), Some(Engine::Mysql));
/// assert_eq!(Engine::of_url("sqlite::memory:"), Some(Engine::Sqlite));
/// assert_eq!(Engine::of_url("ftp://nope"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Engine {
    /// `sqlite://PATH`, `sqlite:PATH` or `sqlite::memory:`.
    Sqlite,
    /// `postgres://…` or `postgresql://…`.
    Postgres,
    /// `mysql://…` or `mariadb://…`.
    Mysql,
    /// `redis://…` or `rediss://…` (TLS).
    Redis,
}

impl Engine {
    /// The engine a URL's scheme names (case-insensitive), if any.
    pub fn of_url(url: &str) -> Option<Engine> {
        let scheme = url.split(':').next().unwrap_or_default();
        let is = |name: &str| scheme.eq_ignore_ascii_case(name);
        if is("sqlite") {
            Some(Engine::Sqlite)
        } else if is("postgres") || is("postgresql") {
            Some(Engine::Postgres)
        } else if is("mysql") || is("mariadb") {
            Some(Engine::Mysql)
        } else if is("redis") || is("rediss") {
            Some(Engine::Redis)
        } else {
            None
        }
    }

    /// The URL as sqlx's MySQL driver reads it: `mariadb://` becomes `mysql://`; other URLs
    /// are returned as they are.
    ///
    /// ```
    /// use user_sessions::Engine;
    /// assert_eq!(Engine::mysql_url("mariadb://root@db/app"), "mysql://root@db/app");
    /// ```
    pub fn mysql_url(url: &str) -> String {
        match url.get(..10) {
            Some(scheme) if scheme.eq_ignore_ascii_case("mariadb://") => {
                format!("mysql://{}", &url[10..])
            }
            _ => url.to_owned(),
        }
    }
}
