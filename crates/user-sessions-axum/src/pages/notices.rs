//! Notices the application puts on the sessions page ([`PagesBuilder::notices`](super::PagesBuilder::notices)):
//! "New sign-in: Chrome on Windows, London — just now", above the list, until the user
//! dismisses it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use user_sessions::PublicId;

use super::Locale;

/// Something the application tells the user on the sessions page, above the list.
///
/// ```
/// use user_sessions_axum::pages::Notice;
///
/// let notice = Notice::new("New sign-in: Chrome on Windows, London — just now")
///     .dismissed_at("/notices/dismiss");
/// assert_eq!(notice.dismiss_url.as_deref(), Some("/notices/dismiss"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Notice {
    /// The text, in the page's language (escaped when rendered).
    pub text: String,
    /// Where the notice's "Dismiss" button posts a form with the session's CSRF token (in
    /// field [`CSRF_FIELD`](super::CSRF_FIELD)); `None`: no button. The application's handler
    /// checks the token and forgets the notice.
    pub dismiss_url: Option<String>,
}

impl Notice {
    /// A notice without a dismiss button.
    pub fn new(text: impl Into<String>) -> Self {
        Notice {
            text: text.into(),
            dismiss_url: None,
        }
    }

    /// The same notice, with a "Dismiss" button posting to `url`.
    pub fn dismissed_at(mut self, url: impl Into<String>) -> Self {
        self.dismiss_url = Some(url.into());
        self
    }
}

/// Whom the sessions page is shown to, for the application's [notices](Notice).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NoticeRequest {
    /// The verified user.
    pub user_id: String,
    /// The session the page is shown on.
    pub session: Option<PublicId>,
    /// The page's language.
    pub locale: Locale,
}

type NoticeFuture = Pin<Box<dyn Future<Output = Vec<Notice>> + Send>>;

/// The application's source of notices.
#[derive(Clone)]
pub(super) struct NoticeSource(Arc<dyn Fn(NoticeRequest) -> NoticeFuture + Send + Sync>);

impl NoticeSource {
    pub(super) fn new<F, Fut>(notices: F) -> Self
    where
        F: Fn(NoticeRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Vec<Notice>> + Send + 'static,
    {
        NoticeSource(Arc::new(move |request| Box::pin(notices(request))))
    }

    pub(super) async fn notices(&self, request: NoticeRequest) -> Vec<Notice> {
        (self.0)(request).await
    }
}

impl fmt::Debug for NoticeSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NoticeSource(..)")
    }
}
