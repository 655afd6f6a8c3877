//! Users: who a session is stored as belonging to (its `user_id` column, read from the session
//! data when it is saved), and who the request is *verified* to be signed in as (what pages,
//! the admin and [`Sessions`](crate::Sessions) act for).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;
use tower_sessions::Session;
use user_sessions::SessionData;
use user_sessions::tower::axum_login_user_id;
pub use user_sessions::tower::{AXUM_LOGIN_KEY, USER_KEY, render_user_id};

/// Signs the session in as `user_id`, for applications without an authentication layer: the
/// next save writes `user_id` into the session's row and marks the time of sign-in, and —
/// with the layer's default user source — the pages and [`Sessions`](crate::Sessions) act for
/// this user.
///
/// Call it only once the user has proved who they are (a password checked, say), and cycle
/// the session id first (`session.cycle_id().await`), so that an id handed out before the
/// sign-in cannot ride on it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), tower_sessions::session::Error> {
/// # use std::sync::Arc;
/// # let store = user_sessions::Store::open("sqlite::memory:").await.unwrap();
/// # store.migrate().await.unwrap();
/// # let store = user_sessions_axum::UserSessionStore::new(store);
/// use tower_sessions::Session;
/// use user_sessions_axum::{USER_KEY, clear_user, set_user};
///
/// let session = Session::new(None, Arc::new(store), None);
/// session.cycle_id().await?;
/// set_user(&session, 42).await?;
/// assert_eq!(session.get::<String>(USER_KEY).await?.as_deref(), Some("42"));
/// clear_user(&session).await?;
/// assert_eq!(session.get::<String>(USER_KEY).await?, None);
/// # Ok(()) }
/// ```
pub async fn set_user(
    session: &Session,
    user_id: impl fmt::Display,
) -> Result<(), tower_sessions::session::Error> {
    session.insert(USER_KEY, user_id.to_string()).await
}

/// Removes the binding [`set_user`] made (the session becomes anonymous). To log out
/// completely, `session.flush()` instead: that also deletes the row.
pub async fn clear_user(session: &Session) -> Result<(), tower_sessions::session::Error> {
    session.remove_value(USER_KEY).await.map(drop)
}

type ReadUserId = dyn Fn(&Value) -> Option<String> + Send + Sync;

/// Where the `user_id` column comes from in the session data: [`USER_KEY`] first, then `key`
/// read by `read` (axum-login's state by default).
#[derive(Clone)]
pub(crate) struct UserBinding {
    key: Cow<'static, str>,
    read: Arc<ReadUserId>,
}

impl UserBinding {
    pub(crate) fn new(
        key: impl Into<Cow<'static, str>>,
        read: impl Fn(&Value) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        UserBinding {
            key: key.into(),
            read: Arc::new(read),
        }
    }

    /// The user id in a whole record's data.
    pub(crate) fn user_id_in(&self, data: &SessionData) -> Option<String> {
        data.get(USER_KEY).and_then(render_user_id).or_else(|| {
            data.get(self.key.as_ref())
                .and_then(|value| (self.read)(value))
        })
    }
}

impl Default for UserBinding {
    fn default() -> Self {
        UserBinding::new(AXUM_LOGIN_KEY, axum_login_user_id)
    }
}

impl fmt::Debug for UserBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserBinding")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// Finds the verified user in a request's extensions, as the authentication layer left them.
pub(crate) type VerifiedUserFn = dyn Fn(&http::Extensions) -> Option<String> + Send + Sync;

/// Where the layer learns who the request is signed in as.
#[derive(Clone, Default)]
pub(crate) enum UserSource {
    /// The user [`set_user`] signed the session in as: the application's own sign-in, with
    /// the session as its only credential.
    #[default]
    SetUser,
    /// What the application's authentication layer verified for this request (axum-login's
    /// `AuthSession` user, or a function of the application's).
    Request(Arc<VerifiedUserFn>),
}

impl UserSource {
    /// The user axum-login verified: `AuthSession<B>::user`, rendered like the column.
    #[cfg(feature = "axum-login")]
    pub(crate) fn axum_login<B>() -> Self
    where
        B: axum_login::AuthnBackend + 'static,
        <B::User as axum_login::AuthUser>::Id: fmt::Display,
    {
        use axum_login::AuthUser as _;
        UserSource::Request(Arc::new(|extensions: &http::Extensions| {
            extensions
                .get::<axum_login::AuthSession<B>>()?
                .user
                .as_ref()
                .map(|user| user.id().to_string())
                .filter(|id| !id.is_empty())
        }))
    }
}

impl fmt::Debug for UserSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserSource::SetUser => f.write_str("SetUser"),
            UserSource::Request(_) => f.write_str("Request(..)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn explicit_key_wins_over_axum_login() {
        let binding = UserBinding::default();
        let mut data = SessionData::new();
        data.insert(
            AXUM_LOGIN_KEY.into(),
            json!({"user_id": 1, "auth_hash": []}),
        );
        assert_eq!(binding.user_id_in(&data).as_deref(), Some("1"));
        data.insert(USER_KEY.into(), json!("2"));
        assert_eq!(binding.user_id_in(&data).as_deref(), Some("2"));
    }

    #[test]
    fn custom_source() {
        let binding = UserBinding::new("auth", |v: &Value| v.get("uid").and_then(render_user_id));
        let mut data = SessionData::new();
        data.insert("auth".into(), json!({"uid": "u-9"}));
        assert_eq!(binding.user_id_in(&data).as_deref(), Some("u-9"));
        assert_eq!(binding.user_id_in(&SessionData::new()), None);
    }

    #[test]
    fn axum_login_state() {
        assert_eq!(
            axum_login_user_id(&json!({"user_id": 7, "auth_hash": [1, 2, 3]})).as_deref(),
            Some("7")
        );
        assert_eq!(axum_login_user_id(&json!({"user_id": null})), None);
    }
}
