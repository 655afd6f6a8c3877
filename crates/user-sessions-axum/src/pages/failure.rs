//! The one failure of the account pages and the admin: why a request did not do what it
//! asked, its status and JSON code, and (with [`Visit::fail`](super::visit::Visit::fail))
//! its page.

use std::sync::Arc;

use axum::response::{IntoResponse, Response};
use http::StatusCode;

use super::csrf::CsrfError;
use super::json::{ApiError, json_response};

/// Why a request of the account pages or the admin did not do what it asked.
///
/// As a response ([`IntoResponse`]) it is its status with an [`ApiError`] body, and carries
/// itself in the response's extensions: the layer both routers have
/// ([`render_failures`](super::visit::render_failures)) turns it into the page or JSON the
/// request asked for, in its language.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Not signed in.
    Unauthenticated,
    /// Signed in, not staff (the admin).
    #[cfg_attr(not(feature = "admin"), allow(dead_code))]
    NotStaff,
    /// Forged: CSRF token or origin.
    Forbidden(CsrfError),
    /// No such session (of the user's, on the account pages).
    NotFound,
    /// A query string or form field that means nothing; the detail says what.
    #[cfg_attr(not(feature = "admin"), allow(dead_code))]
    BadRequest(String),
    /// A body that is not the form or JSON it says it is, or too large; the detail says what.
    MalformedBody(String),
    /// Ending another session without the password the confirmation asks for.
    ConfirmationRequired,
    /// Ending another session with a wrong password.
    WrongPassword,
    /// Too many wrong passwords: the session that sent them was ended (signed out).
    TooManyPasswords,
    /// Ending another session too long after signing in.
    Reauthenticate,
    /// The store, or an application callback, failed.
    Internal(InternalFailure),
}

impl From<crate::Error> for Failure {
    fn from(error: crate::Error) -> Self {
        Failure::Internal(error.into())
    }
}

impl From<user_sessions::Error> for Failure {
    fn from(error: user_sessions::Error) -> Self {
        crate::Error::from(error).into()
    }
}

impl From<tower_sessions::session::Error> for Failure {
    fn from(error: tower_sessions::session::Error) -> Self {
        crate::Error::from(error).into()
    }
}

impl From<CsrfError> for Failure {
    fn from(error: CsrfError) -> Self {
        match error {
            CsrfError::Session(error) => error.into(),
            error if error.is_forbidden() => Failure::Forbidden(error),
            other => Failure::Internal(InternalFailure::other(other)),
        }
    }
}

impl Failure {
    /// A failure of an application callback (`what`: "user directory", "staff predicate",
    /// "password verifier"): `503` when it says the backend is unavailable, else `500`.
    #[cfg(feature = "admin")]
    pub(crate) fn callback(what: &str, error: super::BoxError) -> Self {
        let unavailable = error
            .downcast_ref::<user_sessions::Error>()
            .is_some_and(user_sessions::Error::is_unavailable);
        Failure::Internal(InternalFailure {
            unavailable,
            error: format!("{what}: {error}"),
        })
    }

    /// Status, JSON error code and the sentence for people (in English).
    pub(crate) fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Failure::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Sign in to see sessions.",
            ),
            Failure::NotStaff => (
                StatusCode::FORBIDDEN,
                "not_staff",
                "Only staff members may see all sessions.",
            ),
            Failure::Forbidden(_) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "The request could not be verified (CSRF token or origin).",
            ),
            Failure::NotFound => (StatusCode::NOT_FOUND, "not_found", "No such session."),
            Failure::BadRequest(_) => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                "The request is not valid.",
            ),
            Failure::MalformedBody(_) => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                "The body could not be read (a form or JSON, within the size limit).",
            ),
            Failure::ConfirmationRequired => (
                StatusCode::FORBIDDEN,
                "confirmation_required",
                "Confirm with your password (field `password`) to end another session.",
            ),
            Failure::WrongPassword => (
                StatusCode::FORBIDDEN,
                "invalid_password",
                "The password was not correct. No session was ended.",
            ),
            Failure::TooManyPasswords => (
                StatusCode::UNAUTHORIZED,
                "too_many_passwords",
                "Too many wrong passwords: this session was ended. Sign in again.",
            ),
            Failure::Reauthenticate => (
                StatusCode::FORBIDDEN,
                "reauthentication_required",
                "Sign in again (at `login_url`) before ending another session.",
            ),
            Failure::Internal(internal) => internal.parts(),
        }
    }

    /// The sentence for people, with the detail of a bad request.
    pub(crate) fn message(&self) -> String {
        let (_, _, message) = self.parts();
        match self {
            Failure::BadRequest(detail) | Failure::MalformedBody(detail) => {
                format!("{message} ({detail})")
            }
            _ => message.to_owned(),
        }
    }

    /// Logs what deserves it, for `area` ("account pages", "session admin").
    pub(crate) fn log(&self, area: &str) {
        match self {
            Failure::Internal(internal) => internal.log(area),
            Failure::Forbidden(reason) => {
                tracing::info!(%reason, "{area}: state-changing request refused");
            }
            Failure::TooManyPasswords => {
                tracing::warn!("{area}: too many wrong passwords, the session was ended");
            }
            _ => {}
        }
    }
}

/// A [`Failure`] in a response's extensions, for the layer that renders it.
#[derive(Clone, Debug)]
pub(crate) struct Failed(pub Arc<Failure>);

impl IntoResponse for Failure {
    /// The status and an [`ApiError`] body; the failure itself in the extensions.
    fn into_response(self) -> Response {
        let (status, code, _) = self.parts();
        let body = ApiError {
            error: code.into(),
            message: self.message(),
            login_url: None,
        };
        let mut response = json_response(status, &body);
        response.extensions_mut().insert(Failed(Arc::new(self)));
        response
    }
}

/// The store or an application callback failed; `unavailable` when the session backend could
/// not be reached (answered `503`, not `500`).
#[derive(Debug)]
pub(crate) struct InternalFailure {
    pub unavailable: bool,
    pub error: String,
}

impl From<crate::Error> for InternalFailure {
    fn from(error: crate::Error) -> Self {
        InternalFailure {
            unavailable: error.is_unavailable(),
            error: error.to_string(),
        }
    }
}

impl InternalFailure {
    /// A failure that is not the backend being down.
    pub(crate) fn other(error: impl ToString) -> Self {
        InternalFailure {
            unavailable: false,
            error: error.to_string(),
        }
    }

    /// Status, JSON error code and message.
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        if self.unavailable {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Sessions are temporarily unavailable.",
            )
        } else {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal server error.",
            )
        }
    }

    /// Logs it for `area` ("account pages", "session admin").
    fn log(&self, area: &str) {
        let error = &self.error;
        if self.unavailable {
            tracing::warn!(%error, "{area}: session backend unavailable");
        } else {
            tracing::error!(%error, "{area}: request failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unavailable_is_503_and_the_rest_500() {
        let down = Failure::from(crate::Error::from(user_sessions::Error::Unavailable(
            "connection refused".into(),
        )));
        assert_eq!(down.parts().0, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            Failure::Internal(InternalFailure::other("boom")).parts().0,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn as_a_response_it_is_json_and_carries_itself() {
        let response = Failure::BadRequest("JSON body".into()).into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let failed = response.extensions().get::<Failed>().expect("the failure");
        assert!(matches!(*failed.0, Failure::BadRequest(_)));
        assert_eq!(failed.0.message(), "The request is not valid. (JSON body)");
    }
}
