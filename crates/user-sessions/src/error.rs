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
    /// Retrying later may succeed. The source is the backend's own error (a `sqlx::Error`,
    /// a `rusqlite::Error`, a Redis error, …), or a message where there is none.
    #[error("session backend unavailable: {0}")]
    Unavailable(#[source] ErrorSource),

    /// The session table is missing or older than this version of the crate.
    #[error(
        "the session schema is not migrated: run `user-sessions migrate` or call `Store::migrate()` once at deploy time"
    )]
    NotMigrated,

    /// The backend answered with an error that retrying will not fix; the source is the
    /// backend's own error, or a message where there is none.
    #[error("session backend error: {0}")]
    Backend(#[source] ErrorSource),

    /// A setting was refused before anything was opened (e.g. a schema name that is not plain).
    #[error("invalid setting: {0}")]
    Setting(String),

    /// Session data could not be encoded.
    #[error("could not encode session data: {0}")]
    Encode(#[source] serde_json::Error),

    /// A sign-in was refused: the user already has as many live sessions as the
    /// [`SessionLimit`](crate::SessionLimit) allows, and its policy refuses more. Nothing was
    /// written; the user must sign out of another session first (web layers answer `409`).
    #[error("sign-in refused: the user already has {max} active sessions, the most allowed")]
    SessionLimitReached {
        /// The limit.
        max: u32,
    },
}

/// The error a backend reported, kept whole as the [`source`](std::error::Error::source) of
/// an [`Error`]: downcast it to the backend's type to look closer.
///
/// ```
/// let source: user_sessions::ErrorSource = "connection refused".into();
/// assert_eq!(source.to_string(), "connection refused");
/// ```
pub type ErrorSource = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A backend error with what was being done when it happened.
#[cfg(feature = "sqlite")]
#[derive(Debug, thiserror::Error)]
#[error("{context}: {source}")]
pub(crate) struct Context {
    context: String,
    #[source]
    source: ErrorSource,
}

/// `source`, with what was being done when it happened.
#[cfg(feature = "sqlite")]
pub(crate) fn context(context: impl Into<String>, source: impl Into<ErrorSource>) -> ErrorSource {
    Box::new(Context {
        context: context.into(),
        source: source.into(),
    })
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
