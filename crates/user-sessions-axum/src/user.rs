//! Which user a session belongs to: read from the session data on every save.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;
use tower_sessions::Session;
use user_sessions::SessionData;

/// The session key [`set_user`] writes, for applications without axum-login.
///
/// It is always consulted first; the configured source (axum-login's by default) after it.
pub const USER_KEY: &str = "user_sessions.user_id";

/// The session key axum-login 0.18 keeps its state under (unless the application changed it
/// with `AuthManagerLayerBuilder::with_data_key`).
pub const AXUM_LOGIN_KEY: &str = "axum-login.data";

/// Binds the session to a user, for applications that do not use axum-login: the next save
/// writes `user_id` into the session's row and marks the time of sign-in.
///
/// Cycle the session id when a user signs in (`session.cycle_id().await`), as axum-login does,
/// so that an id handed out before the login cannot be used to ride on it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), tower_sessions::session::Error> {
/// # use std::sync::Arc;
/// # let store = user_sessions_axum::UserSessionStore::new(user_sessions::Store::open("sqlite::memory:").await.unwrap());
/// use tower_sessions::Session;
/// use user_sessions_axum::{clear_user, set_user, user_id};
///
/// let session = Session::new(None, Arc::new(store), None);
/// set_user(&session, 42).await?;
/// assert_eq!(user_id(&session).await?.as_deref(), Some("42"));
/// clear_user(&session).await?;
/// assert_eq!(user_id(&session).await?, None);
/// # Ok(()) }
/// ```
pub async fn set_user(
    session: &Session,
    user_id: impl fmt::Display,
) -> Result<(), tower_sessions::session::Error> {
    session.insert(USER_KEY, user_id.to_string()).await
}

/// Removes the binding [`set_user`] made (the session becomes anonymous on its next save).
/// To log out completely, `session.flush()` instead: that also deletes the row.
pub async fn clear_user(session: &Session) -> Result<(), tower_sessions::session::Error> {
    session.remove_value(USER_KEY).await.map(drop)
}

/// The user id [`set_user`] stored in this session, if any.
///
/// (The id axum-login stored is read by [`Sessions::user_id`](crate::Sessions::user_id),
/// which knows the configured source.)
pub async fn user_id(session: &Session) -> Result<Option<String>, tower_sessions::session::Error> {
    Ok(session
        .get_value(USER_KEY)
        .await?
        .as_ref()
        .and_then(render_user_id))
}

/// Renders a user id kept in session data as the text stored in the `user_id` column:
/// strings as they are, numbers in decimal, anything else (an array, an object) as JSON.
/// `null` and the empty string are "no user".
///
/// ```
/// use serde_json::json;
/// use user_sessions_axum::render_user_id;
///
/// assert_eq!(render_user_id(&json!(42)).as_deref(), Some("42"));
/// assert_eq!(render_user_id(&json!("alice")).as_deref(), Some("alice"));
/// assert_eq!(render_user_id(&json!("67e55044-10b1-426f-9247-bb680e5fe0c8")).as_deref(),
///            Some("67e55044-10b1-426f-9247-bb680e5fe0c8"));
/// assert_eq!(render_user_id(&json!([7, "eu"])).as_deref(), Some("[7,\"eu\"]"));
/// assert_eq!(render_user_id(&json!(null)), None);
/// ```
pub fn render_user_id(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) if text.is_empty() => None,
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        other => Some(other.to_string()),
    }
}

/// Reads the user id out of axum-login's state (`{"user_id": …, "auth_hash": …}`).
///
/// ```
/// use serde_json::json;
/// use user_sessions_axum::axum_login_user_id;
///
/// let state = json!({"user_id": 7, "auth_hash": [1, 2, 3]});
/// assert_eq!(axum_login_user_id(&state).as_deref(), Some("7"));
/// assert_eq!(axum_login_user_id(&json!({"user_id": null})), None);
/// ```
pub fn axum_login_user_id(state: &Value) -> Option<String> {
    state.get("user_id").and_then(render_user_id)
}

/// A function that finds the user id in the value stored under a session key.
pub type ReadUserId = dyn Fn(&Value) -> Option<String> + Send + Sync;

/// Where the user id lives in the session data: [`USER_KEY`] first, then `key` read by `read`.
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

    /// The user id in a live session (loading it if nothing has yet).
    pub(crate) async fn user_id_of(
        &self,
        session: &Session,
    ) -> Result<Option<String>, tower_sessions::session::Error> {
        if let Some(user) = user_id(session).await? {
            return Ok(Some(user));
        }
        Ok(session
            .get_value(&self.key)
            .await?
            .and_then(|value| (self.read)(&value)))
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
}
