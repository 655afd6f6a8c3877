//! The error type of the web side.

use axum::response::{IntoResponse, Response};
use http::StatusCode;

/// What can go wrong when a handler works with sessions.
///
/// As a response it is `503 Service Unavailable` when the session backend is unreachable
/// (retrying later may work), `401 Unauthorized` when nobody is signed in, `409 Conflict`
/// when the store's [session limit](user_sessions::SessionLimit) refused a sign-in, and `500`
/// otherwise; the body never carries details.
///
/// ```
/// use axum::response::IntoResponse;
/// use user_sessions_axum::Error;
///
/// let down = Error::from(user_sessions::Error::Unavailable("connection refused".into()));
/// assert!(down.is_unavailable());
/// assert_eq!(down.into_response().status(), 503);
/// assert_eq!(Error::NotSignedIn.into_response().status(), 401);
/// let full = Error::from(user_sessions::Error::SessionLimitReached { max: 10 });
/// assert_eq!(full.into_response().status(), 409);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The session backend failed.
    #[error(transparent)]
    Store(#[from] user_sessions::Error),

    /// The session backend was unreachable while tower-sessions loaded or changed the session.
    #[error("the session backend is unavailable: {0}")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),

    /// tower-sessions failed to load or change the session.
    #[error(transparent)]
    Session(#[from] tower_sessions::session::Error),

    /// Nobody is signed in: there are no "own" sessions to list or end.
    #[error("nobody is signed in")]
    NotSignedIn,

    /// The request did not pass through [`UserSessionsLayer`](crate::UserSessionsLayer), or
    /// reached the handler in another task than the layer's (a `tower::buffer` between them).
    #[error(
        "no session handle in the request: add `UserSessionsLayer::new(store).around(session_layer)` as the outermost layer, with no layer between them that moves the request to another task (such as a buffer)"
    )]
    MissingLayer,
}

/// The body of the `409 Conflict` that answers a sign-in the session limit refused.
pub(crate) const SESSION_LIMIT_MESSAGE: &str =
    "Too many active sessions: sign out of one of your other sessions, then sign in again.";

impl Error {
    /// Whether the session backend was unreachable (the request may be retried later).
    pub fn is_unavailable(&self) -> bool {
        match self {
            Error::Store(error) => error.is_unavailable(),
            Error::Unavailable(_) => true,
            _ => false,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if self.is_unavailable() {
            tracing::warn!(error = %self, "session backend unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Service temporarily unavailable",
            )
                .into_response()
        } else if matches!(
            self,
            Error::Store(user_sessions::Error::SessionLimitReached { .. })
        ) {
            (StatusCode::CONFLICT, SESSION_LIMIT_MESSAGE).into_response()
        } else if matches!(self, Error::NotSignedIn) {
            (StatusCode::UNAUTHORIZED, "Not signed in").into_response()
        } else {
            tracing::error!(error = %self, "session error");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal server error").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        let down = Error::Unavailable("down".into());
        assert!(down.is_unavailable());
        assert_eq!(
            down.into_response().status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        let broken = Error::from(user_sessions::Error::Backend("bad".into()));
        assert!(!broken.is_unavailable());
        assert_eq!(
            broken.into_response().status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            Error::MissingLayer.into_response().status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
