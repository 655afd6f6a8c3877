//! [`Sessions`]: the signed-in user's sessions, for the request being served.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use http::request::Parts;
use serde::Serialize;
use tower_sessions::Session;
use user_sessions::events::EndedBy;
use user_sessions::{PublicId, SessionInfo, Store};

use crate::request::{self, RequestState};
use crate::user::{USER_KEY, UserSource, render_user_id};
use crate::{Error, public_id};

/// One of the user's sessions, as [`Sessions::list`] returns them.
///
/// Derefs to [`SessionInfo`]; serializes as its fields plus `is_current`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActiveSession {
    /// The stored columns (never the secret id: `info.id` is the public id).
    #[serde(flatten)]
    pub info: SessionInfo,
    /// Whether this is the session of the request being served.
    pub is_current: bool,
}

impl std::ops::Deref for ActiveSession {
    type Target = SessionInfo;

    fn deref(&self) -> &SessionInfo {
        &self.info
    }
}

/// The signed-in user's sessions, seen from the current request: list them, end one, end all
/// others, end all.
///
/// An extractor, available in every handler behind [`UserSessionsLayer`](crate::UserSessionsLayer);
/// cheap to clone. The user is the one the authentication layer verified for this request
/// (see [`UserSessionsLayer::axum_login`](crate::UserSessionsLayer::axum_login)), never just
/// the user id a session carries. Every method acts on that user's sessions only, and fails
/// with [`Error::NotSignedIn`] for an anonymous request: a user can never touch another
/// user's sessions.
///
/// ```
/// use axum::{Json, response::IntoResponse};
/// use user_sessions::PublicId;
/// use user_sessions_axum::{Error, Sessions};
///
/// async fn list(sessions: Sessions) -> Result<impl IntoResponse, Error> {
///     Ok(Json(sessions.list().await?)) // 401 when nobody is signed in
/// }
///
/// async fn end(sessions: Sessions, id: PublicId) -> Result<impl IntoResponse, Error> {
///     Ok(if sessions.end(&id).await? { "ended" } else { "no such session of yours" })
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Sessions {
    session: Session,
    request: Arc<RequestState>,
}

impl Sessions {
    /// The handle of the request being served, once [`WithSessions`](crate::service::WithSessions)
    /// has noted its session (inside the session layer); `None` elsewhere.
    pub(crate) fn of_current_request() -> Option<Self> {
        let request = request::current()?;
        let session = request.known().session.clone()?;
        Some(Sessions { session, request })
    }

    /// The store, for queries beyond the current user.
    pub fn store(&self) -> &Store {
        &self.request.shared.store
    }

    /// The tower-sessions session of this request.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The public id of the current session; `None` when it is not stored (yet), e.g. a new
    /// session, or one whose id was just cycled at sign-in.
    pub fn current_public_id(&self) -> Option<PublicId> {
        self.session.id().as_ref().map(public_id)
    }

    /// The current session's row as this request loaded it (its client, times and user);
    /// `None` when the session has not been loaded, or is new.
    pub async fn current(&self) -> Result<Option<SessionInfo>, Error> {
        let Some(id) = self.session.id() else {
            return Ok(None);
        };
        if self.request.loaded(&id).is_none() {
            // Loads the session if nothing has yet.
            self.session
                .get_value(USER_KEY)
                .await
                .map_err(|error| self.session_error(error))?;
        }
        Ok(self.request.loaded(&id))
    }

    /// Whether the browser came with a session cookie whose session no longer exists: it was
    /// ended (from another device, by an admin, by the session limit or a password change) or
    /// it expired. A sign-in page can then say "You were signed out" instead of showing a bare
    /// form. Loads the session if nothing has yet; `false` when the browser sent no cookie.
    ///
    /// ```
    /// use user_sessions_axum::Sessions;
    ///
    /// async fn login_page(sessions: Sessions) -> &'static str {
    ///     if sessions.was_signed_out().await.unwrap_or(false) {
    ///         "You were signed out from another device. Sign in again."
    ///     } else {
    ///         "Sign in."
    ///     }
    /// }
    /// ```
    pub async fn was_signed_out(&self) -> Result<bool, Error> {
        if self.session.id().is_some() && self.request.loaded_any().is_none() {
            // Loads the session if nothing has yet: a missing row marks the request.
            self.session
                .get_value(USER_KEY)
                .await
                .map_err(|error| self.session_error(error))?;
        }
        Ok(self.request.known().gone)
    }

    /// The user the request is signed in as, `None` when anonymous: the user the
    /// authentication layer verified, or the one [`set_user`](crate::set_user) signed the
    /// session in as when the layer has no authentication layer to ask.
    pub async fn user_id(&self) -> Result<Option<String>, Error> {
        match &self.request.shared.settings.user_source {
            UserSource::Request(_) => Ok(self.request.known().verified_user.clone()),
            UserSource::SetUser => {
                let user = self
                    .session
                    .get_value(USER_KEY)
                    .await
                    .map_err(|error| self.session_error(error))?
                    .as_ref()
                    .and_then(render_user_id);
                if user.is_none() {
                    self.warn_if_unverifiable();
                }
                Ok(user)
            }
        }
    }

    /// Says once that sessions carry users nobody verifies: the column was filled from
    /// axum-login's state (or `with_user_id`), but the layer was not told where the verified
    /// user is, so every request reads as anonymous.
    fn warn_if_unverifiable(&self) {
        static WARNED: std::sync::Once = std::sync::Once::new();
        let stored_user = self
            .session
            .id()
            .and_then(|id| self.request.loaded(&id))
            .is_some_and(|info| info.user_id.is_some());
        if stored_user {
            WARNED.call_once(|| {
                tracing::warn!(
                    "a session belongs to a user, but UserSessionsLayer has no source of verified \
                     users, so the request counts as anonymous: with axum-login, build the layer \
                     with `.axum_login::<Backend>()`; with another authentication layer, \
                     `.verified_user(…)`"
                );
            });
        }
    }

    /// The signed-in user, or [`Error::NotSignedIn`].
    async fn signed_in(&self) -> Result<String, Error> {
        self.user_id().await?.ok_or(Error::NotSignedIn)
    }

    /// The user's live sessions, most recent activity first, the current one marked.
    pub async fn list(&self) -> Result<Vec<ActiveSession>, Error> {
        let user = self.signed_in().await?;
        let current = self.current_public_id();
        let sessions = self.store().user_sessions(&user).await?;
        Ok(sessions
            .into_iter()
            .map(|info| ActiveSession {
                is_current: Some(info.id) == current,
                info,
            })
            .collect())
    }

    /// Ends one of the user's sessions. Returns `false`, ending nothing, when the id is
    /// unknown or another user's. Ending the current session logs out: its data is dropped
    /// and the cookie removed with this response.
    pub async fn end(&self, id: &PublicId) -> Result<bool, Error> {
        let user = self.signed_in().await?;
        let current = self.current_public_id();
        let ended = match current {
            // Another of the user's sessions, ended from this one.
            Some(current) if current != *id => {
                self.store()
                    .ending_as(EndedBy::OtherSession { session: current })
                    .end_user_session(&user, id)
                    .await?
            }
            _ => self.store().end_user_session(&user, id).await?,
        };
        if ended && current == Some(*id) {
            self.log_out_ended().await?;
        }
        Ok(ended)
    }

    /// Ends every session of the user except the current one; returns how many.
    pub async fn end_others(&self) -> Result<u64, Error> {
        let user = self.signed_in().await?;
        Ok(match self.current_public_id() {
            Some(current) => {
                self.store()
                    .end_other_user_sessions(&user, &current)
                    .await?
            }
            // The current session is not stored yet, so every stored one is another.
            None => self.store().end_all_user_sessions(&user).await?,
        })
    }

    /// Ends every session of the user, the current one included (log out everywhere);
    /// returns how many were ended.
    pub async fn end_all(&self) -> Result<u64, Error> {
        let user = self.signed_in().await?;
        let ended = self.store().end_all_user_sessions(&user).await?;
        self.log_out_ended().await?;
        Ok(ended)
    }

    /// The user just confirmed who they are again — re-entered their password, passed a
    /// second factor: refreshes the current session's sign-in time (`authenticated_at`, what
    /// the pages' "recent sign-in" confirmation checks) and nothing else — no new id, no change
    /// to its data or user. Returns `false`, writing nothing, when the current session is not
    /// stored (new, or its id was just cycled — a sign-in, which sets the time itself).
    ///
    /// ```
    /// use axum::response::IntoResponse;
    /// use user_sessions_axum::{Error, Sessions};
    ///
    /// async fn confirm_password(sessions: Sessions /* , the submitted password */) -> Result<impl IntoResponse, Error> {
    ///     // … after the application verified the password:
    ///     sessions.mark_authenticated().await?;
    ///     Ok("confirmed")
    /// }
    /// ```
    pub async fn mark_authenticated(&self) -> Result<bool, Error> {
        self.signed_in().await?;
        let Some(id) = self.session.id() else {
            return Ok(false);
        };
        let Some(at) = self.store().mark_authenticated(&public_id(&id)).await? else {
            return Ok(false);
        };
        // A save later in this request writes the columns it loaded: with the new time.
        if let Some(loaded) = self.request.known().loaded.as_mut() {
            if loaded.id == id {
                loaded.info.authenticated_at = Some(at);
            }
        }
        Ok(true)
    }

    /// The user changed their password: ends every other session of the user, keeps the
    /// current one and refreshes its sign-in time ([`mark_authenticated`](Self::mark_authenticated));
    /// returns how many sessions were ended (reported as
    /// [`EndedBy::PasswordChange`](user_sessions::events::EndedBy::PasswordChange)).
    ///
    /// With axum-login, whose `session_auth_hash` changes with the password, sign the user in
    /// again with the updated user first (`auth_session.login(&user)`): that stores the new
    /// hash in the current session (else axum-login signs it out on its next request) and
    /// cycles its id; this call then ends every session stored under the user, the new one
    /// being saved with the response.
    ///
    /// ```
    /// use axum::response::IntoResponse;
    /// use user_sessions_axum::{Error, Sessions};
    ///
    /// async fn change_password(sessions: Sessions) -> Result<impl IntoResponse, Error> {
    ///     // … after the application checked the old password and stored the new one
    ///     // (and, with axum-login, called `auth_session.login(&updated_user)`):
    ///     let ended = sessions.password_changed().await?;
    ///     Ok(format!("password changed; {ended} other sessions signed out"))
    /// }
    /// ```
    pub async fn password_changed(&self) -> Result<u64, Error> {
        let user = self.signed_in().await?;
        let current = self.current_public_id();
        let ended = self
            .store()
            .password_changed(&user, current.as_ref())
            .await?;
        if current.is_some() {
            self.mark_authenticated().await?;
        }
        Ok(ended)
    }

    /// Logs the current session out after its row was deleted (without deleting it again).
    async fn log_out_ended(&self) -> Result<(), Error> {
        if let Some(id) = self.session.id() {
            self.request.known().ended.push(id);
        }
        self.session
            .flush()
            .await
            .map_err(|error| self.session_error(error))
    }

    /// A tower-sessions error, as unavailable when the store noted that the backend was.
    fn session_error(&self, error: tower_sessions::session::Error) -> Error {
        if self.request.known().unavailable {
            Error::Unavailable(Box::new(error))
        } else {
            Error::Session(error)
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Sessions {
    type Rejection = Error;

    async fn from_request_parts(_: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Sessions::of_current_request().ok_or(Error::MissingLayer)
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderMap;

    use super::*;
    use crate::UserSessionStore;
    use crate::client::{ClientHeaders, ClientSettings};
    use crate::request::Shared;

    #[tokio::test]
    async fn the_handle_exists_only_inside_the_session_layer() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let shared = Arc::new(Shared {
            settings: Default::default(),
            store: store.clone(),
            recent: Default::default(),
        });
        let headers = ClientHeaders::capture(None, &HeaderMap::new(), &ClientSettings::default());
        let state = Arc::new(RequestState::new(shared, headers));

        assert!(Sessions::of_current_request().is_none(), "no layer at all");
        let inside = state.clone().scope(async {
            assert!(
                Sessions::of_current_request().is_none(),
                "outside the session layer, where no session was noted"
            );
            let session = Session::new(None, Arc::new(UserSessionStore::new(store)), None);
            state.known().session = Some(session);
            let sessions = Sessions::of_current_request().expect("inside the session layer");
            assert_eq!(
                sessions.current_public_id(),
                None,
                "a new session has no row"
            );
        });
        inside.await;
        assert!(
            Sessions::of_current_request().is_none(),
            "after the request, in the same task"
        );
    }
}
