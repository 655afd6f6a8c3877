//! The failure every page handler shares: the store, or an application callback, failed.

use http::StatusCode;

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
    pub(crate) fn parts(&self) -> (StatusCode, &'static str, &'static str) {
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
    pub(crate) fn log(&self, area: &str) {
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
        let down = InternalFailure::from(crate::Error::from(user_sessions::Error::Unavailable(
            "connection refused".into(),
        )));
        assert!(down.unavailable);
        assert_eq!(down.parts().0, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            InternalFailure::other("boom").parts().0,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
