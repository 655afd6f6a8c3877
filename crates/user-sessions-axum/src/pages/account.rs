//! The handlers of the account pages: list my sessions, end one, end all others.

use axum::body::{Body, to_bytes};
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::request::Parts;
use http::{HeaderMap, StatusCode, header};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use user_sessions::PublicId;

use super::csrf::{CSRF_FIELD, CsrfError, csrf_token};
use super::failure::InternalFailure;
use super::json::{ApiError, Ended, SessionList, SessionView, json_response, wants_json};
use super::{Confirmation, Locale, NoticeRequest, Pages};
use crate::{ActiveSession, Sessions};

/// The largest form or JSON body read (a CSRF token and a password fit many times over).
const MAX_BODY: usize = 16 * 1024;

/// The session key of the one-time notice shown on the next list ("3 sessions ended").
const FLASH_KEY: &str = "user_sessions.flash";

/// A notice for the next page view: a message key and its count; for an ended session, the
/// device it ran on (its user agent and client hints, named in the page's language).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Flash {
    key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    count: Option<u64>,
    error: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_hints: Option<user_sessions::ClientHints>,
}

/// The fields a state-changing request may send (form or JSON). No `Debug`: it holds a
/// password.
#[derive(Default, Deserialize)]
struct Submitted {
    #[serde(rename = "csrf_token")]
    token: Option<String>,
    password: Option<String>,
}

/// Why a request did not do what it asked.
enum Failure {
    /// Not signed in.
    Unauthenticated,
    /// Forged: CSRF token or origin.
    Forbidden(CsrfError),
    /// Not one of my sessions.
    NotFound,
    /// Ending another session without the password the confirmation asks for.
    ConfirmationRequired,
    /// Ending another session with a wrong password.
    WrongPassword,
    /// Too many wrong passwords: the session that sent them was ended (signed out).
    TooManyPasswords,
    /// Ending another session too long after signing in.
    Reauthenticate,
    /// The store (or the application's verifier) failed.
    Internal(InternalFailure),
}

impl From<crate::Error> for Failure {
    fn from(error: crate::Error) -> Self {
        Failure::Internal(error.into())
    }
}

impl From<CsrfError> for Failure {
    fn from(error: CsrfError) -> Self {
        match error {
            CsrfError::Session(error) => crate::Error::from(error).into(),
            error if error.is_forbidden() => Failure::Forbidden(error),
            other => Failure::Internal(InternalFailure::other(other)),
        }
    }
}

/// What one request is about: the pages, its language, JSON or not, its sessions handle.
struct Visit {
    pages: Pages,
    locale: Locale,
    json: bool,
    sessions: Option<Sessions>,
}

impl Visit {
    fn new(pages: Pages, parts: &Parts) -> Self {
        Visit {
            locale: pages.locale(&parts.headers, &parts.extensions),
            json: wants_json(&parts.method, &parts.headers),
            sessions: parts.extensions.get::<Sessions>().cloned(),
            pages,
        }
    }

    fn list_url(&self) -> String {
        format!("{}/", self.pages.path())
    }

    /// The sessions handle and the signed-in user.
    async fn user(&self) -> Result<(&Sessions, String), Failure> {
        let sessions = self
            .sessions
            .as_ref()
            .ok_or(Failure::from(crate::Error::MissingLayer))?;
        match sessions.user_id().await? {
            Some(user) => Ok((sessions, user)),
            None => Err(Failure::Unauthenticated),
        }
    }

    fn session(&self) -> Result<&Session, Failure> {
        self.sessions
            .as_ref()
            .map(Sessions::session)
            .ok_or(Failure::from(crate::Error::MissingLayer))
    }

    /// The response for a failure.
    async fn fail(&self, failure: Failure) -> Response {
        let pages = &self.pages;
        let (status, code, message) = match &failure {
            Failure::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Sign in to see your sessions.",
            ),
            Failure::Forbidden(_) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "The request could not be verified (CSRF token or origin).",
            ),
            Failure::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "No such session among yours.",
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
        };
        match &failure {
            Failure::Internal(internal) => internal.log("account pages"),
            Failure::Forbidden(reason) => {
                tracing::info!(%reason, "account pages: state-changing request refused");
            }
            Failure::TooManyPasswords => {
                tracing::warn!("account pages: too many wrong passwords, the session was ended");
            }
            _ => {}
        }
        if self.json {
            let login_url = match failure {
                Failure::Unauthenticated => Some(pages.login_url().to_owned()),
                Failure::TooManyPasswords => Some(pages.login_url_with_next(&self.list_url())),
                Failure::Reauthenticate => Some(pages.inner.reauthenticate_url.clone()),
                _ => None,
            };
            let body = ApiError {
                error: code.into(),
                message: message.into(),
                login_url,
            };
            return pages.secure(json_response(status, &body));
        }
        match failure {
            Failure::Unauthenticated | Failure::TooManyPasswords => pages
                .secure(Redirect::to(&pages.login_url_with_next(&self.list_url())).into_response()),
            Failure::Forbidden(_) => pages.message_page(
                status,
                &self.locale,
                "error-forbidden-title",
                "error-forbidden",
            ),
            Failure::NotFound => pages.message_page(
                status,
                &self.locale,
                "error-not-found-title",
                "error-not-found",
            ),
            // Back to the list, which says what is missing.
            Failure::ConfirmationRequired | Failure::WrongPassword | Failure::Reauthenticate => {
                let key = match failure {
                    Failure::Reauthenticate => "confirm-reauthenticate",
                    _ => "flash-wrong-password",
                };
                self.redirect_with_flash(Flash {
                    key: key.into(),
                    error: true,
                    ..Flash::default()
                })
                .await
            }
            Failure::Internal(_) => pages.message_page(
                status,
                &self.locale,
                "error-unavailable-title",
                "error-unavailable",
            ),
        }
    }

    /// `303 See Other` to the list, with a notice for it.
    async fn redirect_with_flash(&self, flash: Flash) -> Response {
        if let Ok(session) = self.session() {
            let value = serde_json::to_value(&flash).unwrap_or_default();
            if let Err(error) = session.insert_value(FLASH_KEY, value).await {
                tracing::warn!(%error, "account pages: could not store the notice");
            }
        }
        self.pages
            .secure(Redirect::to(&self.list_url()).into_response())
    }
}

/// `GET {path}` → `{path}/`.
pub(super) async fn add_slash(State(pages): State<Pages>) -> Response {
    Redirect::permanent(&format!("{}/", pages.path())).into_response()
}

/// `GET {path}/`: the list.
pub(super) async fn list(State(pages): State<Pages>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let visit = Visit::new(pages, &parts);
    match show_list(&visit).await {
        Ok(response) => response,
        Err(failure) => visit.fail(failure).await,
    }
}

async fn show_list(visit: &Visit) -> Result<Response, Failure> {
    let pages = &visit.pages;
    let (sessions, user) = visit.user().await?;
    let mut list = sessions.list().await?;
    // This browser first, then the others by most recent activity.
    list.sort_by_key(|s| !s.is_current);
    let session = sessions.session();
    let token = csrf_token(session).await?;
    let views: Vec<SessionView> = list
        .iter()
        .map(|s| {
            SessionView::new(s, pages.path(), pages.geoip())
                .localized(pages.translations(), &visit.locale)
        })
        .collect();
    let end_others_url = format!("{}/other/delete/", pages.path());
    if visit.json {
        let body = SessionList {
            sessions: views,
            csrf_token: token,
            end_others_url,
            confirmation: pages.confirmation().name().into(),
        };
        return Ok(pages.secure(json_response(StatusCode::OK, &body)));
    }
    let flash = take_flash(session).await?.map(|flash| {
        let args = flash.count.map(|count| ("count", count.into()));
        let field = matches!(
            flash.key.as_str(),
            "flash-wrong-password" | "flash-too-many-passwords"
        )
        .then_some("password");
        context! {
            text => pages.translations().message(&visit.locale, &flash.key, args.as_slice()),
            error => flash.error,
            field,
            user_agent => flash.user_agent,
            client_hints => flash.client_hints,
        }
    });
    let confirmation = match pages.confirmation() {
        Confirmation::RecentAuthentication(window) if !recently_signed_in(&list, *window) => {
            "reauthenticate"
        }
        other => other.name(),
    };
    let others = views.iter().filter(|s| !s.is_current).count();
    let notices = match &pages.inner.notices {
        Some(source) => {
            source
                .notices(NoticeRequest {
                    user_id: user,
                    session: sessions.current_public_id(),
                    locale: visit.locale.clone(),
                })
                .await
        }
        None => Vec::new(),
    };
    Ok(pages.html(
        StatusCode::OK,
        &visit.locale,
        "user_sessions/session_list.html",
        context! {
            sessions => views,
            others,
            csrf_token => token,
            csrf_field => CSRF_FIELD,
            end_others_url,
            confirmation,
            reauthenticate_url => &pages.inner.reauthenticate_url,
            locations => pages.geoip().is_some(),
            flash,
            notices,
        },
    ))
}

/// The notice for this view, removed from the session (which is written only when there was
/// one).
async fn take_flash(session: &Session) -> Result<Option<Flash>, Failure> {
    let stored = session
        .get_value(FLASH_KEY)
        .await
        .map_err(crate::Error::from)?;
    let Some(stored) = stored else {
        return Ok(None);
    };
    session
        .remove_value(FLASH_KEY)
        .await
        .map_err(crate::Error::from)?;
    Ok(serde_json::from_value(stored).ok())
}

/// Whether the current session was signed in within `window`.
fn recently_signed_in(list: &[ActiveSession], window: std::time::Duration) -> bool {
    let now = user_sessions::now();
    list.iter()
        .find(|s| s.is_current)
        .and_then(|s| s.authenticated_at)
        .is_some_and(|at| now - at <= window)
}

/// Reads the submitted fields of a form or JSON body; anything else reads as empty.
async fn read_fields(headers: &HeaderMap, body: Body) -> Submitted {
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return Submitted::default();
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    parse_fields(content_type, &bytes)
}

/// The submitted fields of a body of `content_type`; anything else reads as empty.
fn parse_fields(content_type: &str, bytes: &[u8]) -> Submitted {
    let content_type = content_type.to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        serde_urlencoded::from_bytes(bytes).unwrap_or_default()
    } else if content_type.starts_with("application/json") {
        serde_json::from_slice(bytes).unwrap_or_default()
    } else {
        Submitted::default()
    }
}

/// Parses a body as the account pages do (for the fuzz targets): whether a token came.
#[cfg(fuzzing)]
pub(super) fn parse_body(content_type: &str, bytes: &[u8]) -> bool {
    let fields = parse_fields(content_type, bytes);
    fields.token.is_some() || fields.password.is_some()
}

/// Checks the CSRF token and origin of a state-changing request, then that it is signed in.
async fn authorize<'a>(
    visit: &'a Visit,
    parts: &Parts,
    submitted: &Submitted,
) -> Result<(&'a Sessions, String), Failure> {
    let session = visit.session()?;
    visit
        .pages
        .csrf()
        .verify(
            session,
            &parts.headers,
            &parts.uri,
            submitted.token.as_deref(),
        )
        .await?;
    visit.user().await
}

/// Checks what ending another session requires ([`Confirmation`]). Too many wrong passwords
/// end the session that sent them: whoever guesses from a stolen session loses it, and the
/// owner is never locked out.
async fn confirm(
    visit: &Visit,
    sessions: &Sessions,
    user: String,
    submitted: &Submitted,
) -> Result<(), Failure> {
    match visit.pages.confirmation() {
        Confirmation::None => Ok(()),
        Confirmation::Password(verify) => {
            let password = submitted.password.clone().unwrap_or_default();
            if password.is_empty() {
                return Err(Failure::ConfirmationRequired);
            }
            let current = sessions.current_public_id();
            // Counted per session: the one that guesses is the suspicious one.
            let key = match &current {
                Some(id) => id.to_string(),
                None => format!("user {user}"),
            };
            let attempts = visit.pages.password_attempts();
            let Ok(left) = attempts.attempt(&key) else {
                return Err(sign_out_guesser(sessions, current).await);
            };
            match verify(user, password).await {
                Ok(true) => {
                    attempts.succeeded(&key);
                    Ok(())
                }
                Ok(false) if left == 0 => Err(sign_out_guesser(sessions, current).await),
                Ok(false) => Err(Failure::WrongPassword),
                Err(error) => Err(Failure::Internal(InternalFailure::other(format!(
                    "password verifier: {error}"
                )))),
            }
        }
        Confirmation::RecentAuthentication(window) => {
            if recently_signed_in(&sessions.list().await?, *window) {
                Ok(())
            } else {
                Err(Failure::Reauthenticate)
            }
        }
    }
}

/// Ends the current session, which sent too many wrong passwords.
async fn sign_out_guesser(sessions: &Sessions, current: Option<PublicId>) -> Failure {
    let ended = match current {
        Some(id) => sessions.end(&id).await.map(drop),
        None => sessions.session().flush().await.map_err(crate::Error::from),
    };
    match ended {
        Ok(()) => Failure::TooManyPasswords,
        Err(error) => error.into(),
    }
}

/// `POST` / `DELETE {path}/{public_id}/delete/`: ends one of my sessions.
pub(super) async fn end_one(
    State(pages): State<Pages>,
    Path(public_id): Path<String>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let visit = Visit::new(pages, &parts);
    let submitted = read_fields(&parts.headers, body).await;
    match end_one_inner(&visit, &parts, &submitted, &public_id).await {
        Ok(response) => response,
        Err(failure) => visit.fail(failure).await,
    }
}

async fn end_one_inner(
    visit: &Visit,
    parts: &Parts,
    submitted: &Submitted,
    public_id: &str,
) -> Result<Response, Failure> {
    let (sessions, user) = authorize(visit, parts, submitted).await?;
    let id: PublicId = public_id.parse().map_err(|_| Failure::NotFound)?;
    let current = sessions.current_public_id() == Some(id);
    // Ending the current session is signing out: nothing to confirm.
    if !current {
        confirm(visit, sessions, user, submitted).await?;
    }
    // The device, to name it in the notice ("Safari on iPhone was signed out.").
    let ended = if current || visit.json {
        None
    } else {
        sessions.list().await?.into_iter().find(|s| s.info.id == id)
    };
    if !sessions.end(&id).await? {
        return Err(Failure::NotFound);
    }
    tracing::info!(public_id = %id, current, "account pages: session ended");
    let pages = &visit.pages;
    if visit.json {
        let body = Ended {
            ended: 1,
            logged_out: current,
            redirect: current.then(|| pages.logout_url().to_owned()),
        };
        return Ok(pages.secure(json_response(StatusCode::OK, &body)));
    }
    if current {
        return Ok(pages.secure(Redirect::to(pages.logout_url()).into_response()));
    }
    Ok(visit
        .redirect_with_flash(Flash {
            key: "flash-ended-one".into(),
            user_agent: ended.as_ref().and_then(|s| s.info.user_agent.clone()),
            client_hints: ended.and_then(|s| s.info.client_hints),
            ..Flash::default()
        })
        .await)
}

/// `POST` / `DELETE {path}/other/delete/`: ends all my other sessions.
pub(super) async fn end_others(State(pages): State<Pages>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let visit = Visit::new(pages, &parts);
    let submitted = read_fields(&parts.headers, body).await;
    match end_others_inner(&visit, &parts, &submitted).await {
        Ok(response) => response,
        Err(failure) => visit.fail(failure).await,
    }
}

async fn end_others_inner(
    visit: &Visit,
    parts: &Parts,
    submitted: &Submitted,
) -> Result<Response, Failure> {
    let (sessions, user) = authorize(visit, parts, submitted).await?;
    let pages = &visit.pages;
    confirm(visit, sessions, user, submitted).await?;
    let ended = sessions.end_others().await?;
    tracing::info!(ended, "account pages: other sessions ended");
    if visit.json {
        let body = Ended {
            ended,
            logged_out: false,
            redirect: None,
        };
        return Ok(pages.secure(json_response(StatusCode::OK, &body)));
    }
    Ok(visit
        .redirect_with_flash(Flash {
            key: "flash-ended-others".into(),
            count: Some(ended),
            ..Flash::default()
        })
        .await)
}
