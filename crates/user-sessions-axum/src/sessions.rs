//! [`Sessions`]: the current user's sessions, for the request being served.

use axum::extract::FromRequestParts;
use http::request::Parts;
use serde::Serialize;
use tower_sessions::Session;
use user_sessions::{PublicId, SessionInfo, Store};

use crate::{Error, UserSessionStore, public_id};

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
/// cheap to clone. Every method acts on the sessions of the user the current session belongs
/// to, and on nothing when it is anonymous: a user can never touch another user's sessions.
///
/// ```
/// use axum::{Json, response::IntoResponse};
/// use user_sessions::PublicId;
/// use user_sessions_axum::{Error, Sessions};
///
/// async fn list(sessions: Sessions) -> Result<impl IntoResponse, Error> {
///     Ok(Json(sessions.list().await?))
/// }
///
/// async fn end(sessions: Sessions, id: PublicId) -> Result<impl IntoResponse, Error> {
///     Ok(if sessions.end(&id).await? { "ended" } else { "not yours" })
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Sessions {
    store: UserSessionStore,
    session: Session,
}

impl Sessions {
    /// A handle for `session` (the layer builds one for every request; this is for
    /// applications that wire things by hand).
    pub fn new(store: UserSessionStore, session: Session) -> Self {
        Sessions { store, session }
    }

    /// The store, for queries beyond the current user.
    pub fn store(&self) -> &Store {
        self.store.store()
    }

    /// The tower-sessions session of this request.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The public id of the current session; `None` when it is not stored (yet), e.g. a new
    /// session, or one whose id was just cycled at login.
    pub fn current_public_id(&self) -> Option<PublicId> {
        self.session.id().as_ref().map(public_id)
    }

    /// The user the current session belongs to, `None` when anonymous.
    pub async fn user_id(&self) -> Result<Option<String>, Error> {
        Ok(self.store.binding().user_id_of(&self.session).await?)
    }

    /// The user's live sessions, most recent activity first, the current one marked.
    /// Empty when anonymous.
    pub async fn list(&self) -> Result<Vec<ActiveSession>, Error> {
        let Some(user) = self.user_id().await? else {
            return Ok(Vec::new());
        };
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
        let Some(user) = self.user_id().await? else {
            return Ok(false);
        };
        let ended = self.store().end_user_session(&user, id).await?;
        if ended && self.current_public_id() == Some(*id) {
            self.session.flush().await?;
        }
        Ok(ended)
    }

    /// Ends every session of the user except the current one; returns how many.
    pub async fn end_others(&self) -> Result<u64, Error> {
        let Some(user) = self.user_id().await? else {
            return Ok(0);
        };
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
    /// returns how many rows were deleted.
    pub async fn end_all(&self) -> Result<u64, Error> {
        let Some(user) = self.user_id().await? else {
            return Ok(0);
        };
        let ended = self.store().end_all_user_sessions(&user).await?;
        self.session.flush().await?;
        Ok(ended)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Sessions {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Sessions>()
            .cloned()
            .ok_or(Error::MissingLayer)
    }
}
