//! The error type of the web side.

use axum::response::{IntoResponse, Response};
use http::StatusCode;

/// What can go wrong when a handler works with sessions.
///
/// As a response it is `503 Service Unavailable` when the session backend is unreachable
/// (retrying later may work) and `500` otherwise; the body never carries details.
///
/// ```
/// use axum::response::IntoResponse;
/// use user_sessions_axum::Error;
///
/// let down = Error::from(user_sessions::Error::Unavailable("connection refused".into()));
/// assert!(down.is_unavailable());
/// assert_eq!(down.into_response().status(), 503);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The session backend failed.
    #[error(transparent)]
    Store(#[from] user_sessions::Error),

    /// tower-sessions failed to load or change the session.
    #[error(transparent)]
    Session(#[from] tower_sessions::session::Error),

    /// The request did not pass through [`UserSessionsLayer`](crate::UserSessionsLayer).
    #[error(
        "no session handle in the request: add `UserSessionsLayer` (around the `SessionManagerLayer`)"
    )]
    MissingLayer,
}

impl Error {
    /// Whether the session backend was unreachable (the request may be retried later).
    pub fn is_unavailable(&self) -> bool {
        match self {
            Error::Store(error) => error.is_unavailable(),
            Error::Session(tower_sessions::session::Error::Store(
                tower_sessions::session_store::Error::Backend(message),
            )) => message.starts_with(&unavailable_prefix()),
            _ => false,
        }
    }
}

/// How the core's `Unavailable` error renders before its detail.
fn unavailable_prefix() -> String {
    user_sessions::Error::Unavailable(String::new()).to_string()
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
    fn unavailable_survives_the_trip_through_tower_sessions() {
        let error =
            crate::unavailable::to_store_error(user_sessions::Error::Unavailable("down".into()));
        let error = Error::from(tower_sessions::session::Error::Store(error));
        assert!(error.is_unavailable());
        assert_eq!(
            error.into_response().status(),
            StatusCode::SERVICE_UNAVAILABLE
        );

        let error = crate::unavailable::to_store_error(user_sessions::Error::Backend("bad".into()));
        let error = Error::from(tower_sessions::session::Error::Store(error));
        assert!(!error.is_unavailable());
        assert_eq!(
            error.into_response().status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            Error::MissingLayer.into_response().status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
