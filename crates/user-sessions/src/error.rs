//! The one error type of the crate.

/// Everything that can go wrong when talking to a session backend.
///
/// Each variant says what to do about it; web layers map [`Error::Unavailable`] to
/// `503 Service Unavailable` and everything else to `500`.
///
/// ```
/// use user_sessions::Error;
///
/// let err = Error::Url("ftp://nope".into());
/// assert!(err.to_string().contains("ftp://nope"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database URL could not be understood or names a backend this build lacks.
    #[error(
        "unsupported or malformed database URL `{0}`: expected sqlite://PATH (or sqlite::memory:), \
         postgres://…, mysql://… or redis://… with the matching cargo feature enabled"
    )]
    Url(String),

    /// The backend could not be reached (server down, pool exhausted, file locked too long).
    /// Retrying later may succeed.
    #[error("session backend unavailable: {0}")]
    Unavailable(String),

    /// The session table is missing or older than this version of the crate.
    #[error(
        "the session schema is not migrated: run `user-sessions migrate` or call `Store::migrate()` once at deploy time"
    )]
    NotMigrated,

    /// The backend answered with an error that retrying will not fix.
    #[error("session backend error: {0}")]
    Backend(String),

    /// Session data could not be encoded.
    #[error("could not encode session data: {0}")]
    Encode(String),

    /// A sign-in was refused: the user already has as many live sessions as the
    /// [`SessionLimit`](crate::SessionLimit) allows, and its policy refuses more. Nothing was
    /// written; the user must sign out of another session first (web layers answer `409`).
    #[error("sign-in refused: the user already has {max} active sessions, the most allowed")]
    SessionLimitReached {
        /// The limit.
        max: u32,
    },
}

impl Error {
    /// Whether the error means "try again later" (maps to HTTP 503).
    ///
    /// ```
    /// use user_sessions::Error;
    /// assert!(Error::Unavailable("connection refused".into()).is_unavailable());
    /// assert!(!Error::Backend("syntax error".into()).is_unavailable());
    /// ```
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Error::Unavailable(_))
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
