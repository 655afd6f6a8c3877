//! The handlers of the account pages: list my sessions, end one, end all others.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use user_sessions::PublicId;

use super::csrf::{CSRF_FIELD, csrf_token};
use super::failure::{Failure, InternalFailure};
use super::form_or_json::{Fields, FormOrJson};
use super::json::{Ended, SessionList, SessionView};
use super::visit::{Flash, Visit};
use super::{Confirmation, NoticeRequest, Pages};
use crate::{ActiveSession, Sessions};

/// The fields a state-changing request may send (form or JSON). No `Debug`: it holds a
/// password.
#[derive(Default, Deserialize)]
pub(super) struct Submitted {
    #[serde(rename = "csrf_token")]
    token: Option<String>,
    password: Option<String>,
}

impl Fields for Submitted {
    /// A CSRF token and a password fit many times over.
    const MAX_BODY: usize = 16 * 1024;
}

/// `GET {path}` → `{path}/`.
pub(super) async fn add_slash(State(pages): State<Pages>) -> Response {
    Redirect::permanent(&format!("{}/", pages.path())).into_response()
}

/// `GET {path}/`: the list.
pub(super) async fn list(visit: Visit) -> Result<Response, Failure> {
    let pages = visit.pages();
    let (sessions, user) = visit.user().await?;
    let mut list = sessions.list().await?;
    // This browser first, then the others by most recent activity.
    list.sort_by_key(|s| !s.is_current);
    let token = csrf_token(sessions.session()).await?;
    let views: Vec<SessionView> = list
        .iter()
        .map(|s| {
            SessionView::new(s, pages.path(), pages.geoip())
                .localized(pages.translations(), &visit.locale)
        })
        .collect();
    let end_others_url = format!("{}/other/delete/", pages.path());
    let notices = match &pages.inner.notices {
        Some(source) => {
            source
                .notices(NoticeRequest {
                    user_id: user.clone(),
                    session: sessions.current_public_id(),
                    locale: visit.locale.clone(),
                })
                .await
        }
        None => Vec::new(),
    };
    if visit.json {
        let body = SessionList {
            sessions: views,
            csrf_token: token,
            end_others_url,
            confirmation: pages.confirmation().name().into(),
            notices,
        };
        return Ok(visit.json_ok(&body));
    }
    let flash = visit.take_flash().await?.map(|flash| {
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
    Ok(visit
        .page(
            &user,
            "user_sessions/session_list.html",
            context! {
                sessions => views,
                others,
                csrf_token => token,
                csrf_field => CSRF_FIELD,
                end_others_url,
                confirmation,
                reauthenticate_url => pages.reauthenticate_url(),
                locations => pages.geoip().is_some(),
                flash,
                notices,
            },
        )
        .await)
}

/// Whether the current session was signed in within `window`.
fn recently_signed_in(list: &[ActiveSession], window: std::time::Duration) -> bool {
    let now = time::OffsetDateTime::now_utc();
    list.iter()
        .find(|s| s.is_current)
        .and_then(|s| s.authenticated_at)
        .is_some_and(|at| now - at <= window)
}

/// Checks the CSRF token and origin of a state-changing request, then that it is signed in.
async fn authorize<'a>(
    visit: &'a Visit,
    submitted: &Submitted,
) -> Result<(&'a Sessions, String), Failure> {
    visit.check_csrf(submitted.token.as_deref()).await?;
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
    let pages = visit.pages();
    match pages.confirmation() {
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
            let attempts = pages.password_attempts();
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
    visit: Visit,
    Path(public_id): Path<String>,
    FormOrJson(submitted): FormOrJson<Submitted>,
) -> Result<Response, Failure> {
    let (sessions, user) = authorize(&visit, &submitted).await?;
    let id: PublicId = public_id.parse().map_err(|_| Failure::NotFound)?;
    let current = sessions.current_public_id() == Some(id);
    // Ending the current session is signing out: nothing to confirm.
    if !current {
        confirm(&visit, sessions, user, &submitted).await?;
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
    let pages = visit.pages();
    if visit.json {
        return Ok(visit.json_ok(&Ended {
            ended: 1,
            logged_out: current,
            redirect: current.then(|| pages.logout_url().to_owned()),
        }));
    }
    if current {
        return Ok(visit.redirect(pages.logout_url()));
    }
    visit
        .set_flash(&Flash {
            user_agent: ended.as_ref().and_then(|s| s.info.user_agent.clone()),
            client_hints: ended.and_then(|s| s.info.client_hints),
            ..Flash::new("flash-ended-one")
        })
        .await;
    Ok(visit.redirect(&visit.list_url()))
}

/// `POST` / `DELETE {path}/other/delete/`: ends all my other sessions.
pub(super) async fn end_others(
    visit: Visit,
    FormOrJson(submitted): FormOrJson<Submitted>,
) -> Result<Response, Failure> {
    let (sessions, user) = authorize(&visit, &submitted).await?;
    confirm(&visit, sessions, user, &submitted).await?;
    let ended = sessions.end_others().await?;
    tracing::info!(ended, "account pages: other sessions ended");
    if visit.json {
        return Ok(visit.json_ok(&Ended {
            ended,
            logged_out: false,
            redirect: None,
        }));
    }
    visit
        .set_flash(&Flash {
            count: Some(ended),
            ..Flash::new("flash-ended-others")
        })
        .await;
    Ok(visit.redirect(&visit.list_url()))
}

/// Parses a body as the account pages do (for the fuzz targets): whether it was accepted.
#[cfg(fuzzing)]
pub(super) fn parse_body(content_type: &str, bytes: &[u8]) -> bool {
    super::form_or_json::parse::<Submitted>(content_type, bytes).is_ok()
}
