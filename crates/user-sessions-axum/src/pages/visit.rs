//! What one request of the account pages or the admin is about ([`Visit`]), the one-time
//! notice it may leave for the next page ([`Flash`]), and how a [`Failure`] becomes the page
//! or JSON the request asked for ([`render_failures`]).

use std::convert::Infallible;

use axum::extract::{FromRef, FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::request::Parts;
use http::{HeaderMap, Method, StatusCode, Uri};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::directory::Directory;
use super::failure::{Failed, Failure};
use super::json::{ApiError, json_response, wants_json};
use super::{Locale, Pages};
use crate::Sessions;

/// The session key of the one-time notice shown on the next list ("3 sessions ended").
const FLASH_KEY: &str = "user_sessions.flash";

/// Which of the two the request is for: the account pages, or the admin (which renders with
/// its own templates and stylesheet).
#[derive(Clone)]
pub(crate) enum Face {
    /// The account pages.
    Account(Pages),
    /// The admin.
    #[cfg(feature = "admin")]
    Admin(crate::admin::Admin),
}

impl FromRef<Pages> for Face {
    fn from_ref(pages: &Pages) -> Self {
        Face::Account(pages.clone())
    }
}

impl Face {
    /// The pages (the admin's, which it shares templates, translations and rules with).
    pub(crate) fn pages(&self) -> &Pages {
        match self {
            Face::Account(pages) => pages,
            #[cfg(feature = "admin")]
            Face::Admin(admin) => admin.pages(),
        }
    }

    /// The name in log lines.
    fn area(&self) -> &'static str {
        match self {
            Face::Account(_) => "account pages",
            #[cfg(feature = "admin")]
            Face::Admin(_) => "session admin",
        }
    }

    /// The list: where notices are shown and failures lead back to.
    fn list_url(&self) -> String {
        match self {
            Face::Account(pages) => format!("{}/", pages.path()),
            #[cfg(feature = "admin")]
            Face::Admin(admin) => format!("{}/", admin.path()),
        }
    }

    /// Where the names of users come from, if anywhere.
    fn directory(&self) -> Option<&dyn Directory> {
        match self {
            Face::Account(pages) => pages.directory(),
            #[cfg(feature = "admin")]
            Face::Admin(admin) => Some(admin.directory()),
        }
    }

    /// An HTML page rendered from `template`, with the security headers.
    fn html(
        &self,
        status: StatusCode,
        locale: &Locale,
        template: &str,
        context: Value,
    ) -> Response {
        match self {
            Face::Account(pages) => pages.html(status, locale, template, context),
            #[cfg(feature = "admin")]
            Face::Admin(admin) => admin.html(status, locale, template, context),
        }
    }

    /// A page with a title and one sentence (message keys).
    fn message(&self, status: StatusCode, locale: &Locale, title: &str, message: &str) -> Response {
        match self {
            Face::Account(pages) => pages.message_page(status, locale, title, message),
            #[cfg(feature = "admin")]
            Face::Admin(admin) => admin.message(status, locale, title, message),
        }
    }
}

/// A notice for the next page view: a message key and its count; for an ended session, the
/// device it ran on (its user agent and client hints, named in the page's language).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Flash {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    #[serde(default)]
    pub error: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_hints: Option<user_sessions::ClientHints>,
}

impl Flash {
    /// A notice that says `key`.
    pub(crate) fn new(key: impl Into<String>) -> Self {
        Flash {
            key: key.into(),
            ..Flash::default()
        }
    }
}

/// What one request is about: the pages or admin it is for, its language, whether it wants
/// JSON, its sessions handle, and where to come back to after signing in.
pub(crate) struct Visit {
    pub face: Face,
    pub locale: Locale,
    pub json: bool,
    sessions: Option<Sessions>,
    next: String,
    headers: HeaderMap,
    uri: Uri,
}

impl<S> FromRequestParts<S> for Visit
where
    Face: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        Ok(Visit::new(Face::from_ref(state), parts))
    }
}

impl Visit {
    pub(crate) fn new(face: Face, parts: &Parts) -> Self {
        let pages = face.pages();
        // A page comes back to itself; an action to the list.
        let next = match parts.uri.path_and_query() {
            Some(path) if parts.method == Method::GET => path.as_str().to_owned(),
            _ => face.list_url(),
        };
        Visit {
            locale: pages.locale(&parts.headers, &parts.extensions),
            json: wants_json(&parts.method, &parts.headers),
            sessions: Sessions::of_current_request(),
            next,
            headers: parts.headers.clone(),
            uri: parts.uri.clone(),
            face,
        }
    }

    /// The pages.
    pub(crate) fn pages(&self) -> &Pages {
        self.face.pages()
    }

    /// The list's URL.
    pub(crate) fn list_url(&self) -> String {
        self.face.list_url()
    }

    /// The sessions handle (a `500` without the layer).
    pub(crate) fn sessions(&self) -> Result<&Sessions, Failure> {
        self.sessions
            .as_ref()
            .ok_or(Failure::from(crate::Error::MissingLayer))
    }

    /// The request's session.
    pub(crate) fn session(&self) -> Result<&Session, Failure> {
        self.sessions().map(Sessions::session)
    }

    /// The sessions handle and the signed-in user.
    pub(crate) async fn user(&self) -> Result<(&Sessions, String), Failure> {
        let sessions = self.sessions()?;
        match sessions.user_id().await? {
            Some(user) => Ok((sessions, user)),
            None => Err(Failure::Unauthenticated),
        }
    }

    /// Checks the CSRF token (`submitted`, else the header) and the origin of a
    /// state-changing request ([`CsrfPolicy`](super::CsrfPolicy)).
    pub(crate) async fn check_csrf(&self, submitted: Option<&str>) -> Result<(), Failure> {
        let session = self.session()?;
        self.pages()
            .csrf()
            .verify(session, &self.headers, &self.uri, submitted)
            .await?;
        Ok(())
    }

    /// The name to show for `user`: the directory's, else the id itself.
    pub(crate) async fn display_name(&self, user: &str) -> String {
        let ids = [user.to_owned()];
        let found = match self.face.directory() {
            Some(directory) => match directory.display_names(&ids).await {
                Ok(mut names) => names.remove(user),
                Err(error) => {
                    let area = self.face.area();
                    tracing::warn!(%error, "{area}: user directory failed; showing the user id");
                    None
                }
            },
            None => None,
        };
        found.unwrap_or_else(|| user.to_owned())
    }

    /// A page for `user`, who is signed in: `template` with `context`, and the header saying
    /// who is signed in (`signed_in.id`, `signed_in.name`).
    pub(crate) async fn page(&self, user: &str, template: &str, context: Value) -> Response {
        let name = self.display_name(user).await;
        let context = context! {
            signed_in => context! { id => user, name },
            ..context
        };
        self.face
            .html(StatusCode::OK, &self.locale, template, context)
    }

    /// `body` as JSON with `200`, with the security headers.
    pub(crate) fn json_ok<T: Serialize>(&self, body: &T) -> Response {
        self.pages().secure(json_response(StatusCode::OK, body))
    }

    /// `303 See Other` to `to`, with the security headers.
    pub(crate) fn redirect(&self, to: &str) -> Response {
        self.pages().secure(Redirect::to(to).into_response())
    }

    /// Stores `flash` for the next page of this session; a session that cannot store it
    /// only loses the notice.
    pub(crate) async fn set_flash(&self, flash: &Flash) {
        let Ok(session) = self.session() else { return };
        let Ok(value) = serde_json::to_value(flash) else {
            return;
        };
        if let Err(error) = session.insert_value(FLASH_KEY, value).await {
            let area = self.face.area();
            tracing::warn!(%error, "{area}: could not store the notice");
        }
    }

    /// The notice for this view, removed from the session (which is written only when there
    /// was one).
    pub(crate) async fn take_flash(&self) -> Result<Option<Flash>, Failure> {
        let session = self.session()?;
        let Some(stored) = session.get_value(FLASH_KEY).await? else {
            return Ok(None);
        };
        session.remove_value(FLASH_KEY).await?;
        Ok(serde_json::from_value(stored).ok())
    }

    /// The response for a failure: JSON ([`ApiError`]) or a page in the request's language.
    pub(crate) async fn fail(&self, failure: &Failure) -> Response {
        let pages = self.pages();
        let (status, code, _) = failure.parts();
        failure.log(self.face.area());
        if self.json {
            let login_url = match failure {
                Failure::Unauthenticated => Some(pages.login_url().to_owned()),
                Failure::TooManyPasswords => Some(pages.login_url_with_next(&self.list_url())),
                Failure::Reauthenticate => Some(pages.reauthenticate_url().to_owned()),
                _ => None,
            };
            let body = ApiError {
                error: code.into(),
                message: failure.message(),
                login_url,
            };
            return pages.secure(json_response(status, &body));
        }
        let locale = &self.locale;
        match failure {
            Failure::Unauthenticated | Failure::TooManyPasswords => {
                self.redirect(&pages.login_url_with_next(&self.next))
            }
            // Back to their own sessions: the account pages' message.
            Failure::NotStaff => {
                pages.message_page(status, locale, "admin-forbidden-title", "admin-forbidden")
            }
            Failure::Forbidden(_) => {
                pages.message_page(status, locale, "error-forbidden-title", "error-forbidden")
            }
            Failure::NotFound => {
                self.face
                    .message(status, locale, "error-not-found-title", "error-not-found")
            }
            Failure::BadRequest(_) => self.face.message(
                status,
                locale,
                "admin-bad-request-title",
                "admin-bad-request",
            ),
            Failure::MalformedBody(_) => self.face.message(
                status,
                locale,
                "error-bad-request-title",
                "error-bad-request",
            ),
            // Back to the list, which says what is missing.
            Failure::ConfirmationRequired | Failure::WrongPassword | Failure::Reauthenticate => {
                let key = match failure {
                    Failure::Reauthenticate => "confirm-reauthenticate",
                    _ => "flash-wrong-password",
                };
                self.set_flash(&Flash {
                    error: true,
                    ..Flash::new(key)
                })
                .await;
                self.redirect(&self.list_url())
            }
            Failure::Internal(_) => pages.message_page(
                status,
                locale,
                "error-unavailable-title",
                "error-unavailable",
            ),
        }
    }
}

/// The layer of both routers: a [`Failure`] a handler or extractor answered becomes the page
/// or JSON the request asked for.
pub(crate) async fn render_failures(
    State(face): State<Face>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let visit = Visit::new(face, &parts);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    match response.extensions_mut().remove::<Failed>() {
        Some(Failed(failure)) => visit.fail(&failure).await,
        None => response,
    }
}
