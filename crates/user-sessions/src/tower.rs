//! Sessions as tower-sessions keeps them: its session ids and records, as rows.
//!
//! A tower-sessions record is `{id, data, expiry_date}`. Its row is keyed by the
//! [`public_id`] of the id, and its user is read from the data: the key [`USER_KEY`] first,
//! then axum-login's state under [`AXUM_LOGIN_KEY`].
//!
//! ```
//! use tower_sessions_core::session::{Id, Record};
//! use user_sessions::SessionRecord;
//! use user_sessions::tower::public_id;
//!
//! let record = Record {
//!     id: Id::default(),
//!     data: [("axum-login.data".to_owned(), serde_json::json!({"user_id": 7}))].into(),
//!     expiry_date: time::OffsetDateTime::now_utc() + time::Duration::days(1),
//! };
//! let row = SessionRecord::from_tower_record(&record);
//! assert_eq!(row.id, public_id(&record.id));
//! assert_eq!(row.user_id.as_deref(), Some("7"));
//! ```

use serde_json::Value;
use tower_sessions_core::session::{Id, Record};

use crate::{PublicId, SessionData, SessionInfo, SessionRecord};

/// The session key that names the signed-in user directly (written by
/// `user_sessions_axum::set_user`).
pub const USER_KEY: &str = "user_sessions.user_id";

/// The session key axum-login 0.18 keeps its state under (unless the application changed it
/// with `AuthManagerLayerBuilder::with_data_key`).
pub const AXUM_LOGIN_KEY: &str = "axum-login.data";

/// The public id of the session whose cookie carries `id`: SHA-256 of the id's 16 bytes.
///
/// ```
/// use tower_sessions_core::session::Id;
/// use user_sessions::tower::public_id;
///
/// let id = Id::default();
/// assert_eq!(public_id(&id), public_id(&id));
/// assert_ne!(public_id(&id), public_id(&Id::default()));
/// ```
pub fn public_id(id: &Id) -> PublicId {
    PublicId::from_secret(&id.0.to_le_bytes())
}

/// Renders a user id kept in session data as the text stored in the `user_id` column:
/// strings as they are, numbers in decimal, anything else (an array, an object) as JSON.
/// `null` and the empty string are "no user".
///
/// ```
/// use serde_json::json;
/// use user_sessions::tower::render_user_id;
///
/// assert_eq!(render_user_id(&json!(42)).as_deref(), Some("42"));
/// assert_eq!(render_user_id(&json!("alice")).as_deref(), Some("alice"));
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

/// The user id in axum-login's state (`{"user_id": …, "auth_hash": …}`).
pub fn axum_login_user_id(state: &Value) -> Option<String> {
    state.get("user_id").and_then(render_user_id)
}

/// The user a session's data names: [`USER_KEY`], else axum-login's state.
pub fn user_id_in(data: &SessionData) -> Option<String> {
    data.get(USER_KEY)
        .and_then(render_user_id)
        .or_else(|| data.get(AXUM_LOGIN_KEY).and_then(axum_login_user_id))
}

impl SessionRecord {
    /// The row of a tower-sessions record, as a new session: keyed by the [`public_id`] of its
    /// id, its user read with [`user_id_in`], its data as it is; created, last active and
    /// signed in (when it has a user) now.
    pub fn from_tower_record(record: &Record) -> SessionRecord {
        let mut info = SessionInfo::new(public_id(&record.id), record.expiry_date);
        info.user_id = user_id_in(&record.data);
        info.authenticated_at = info.user_id.as_ref().map(|_| info.created_at);
        SessionRecord {
            info,
            data: record.data.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_explicit_user_wins_over_axum_login() {
        let mut data = SessionData::new();
        data.insert(
            AXUM_LOGIN_KEY.into(),
            json!({"user_id": 1, "auth_hash": []}),
        );
        assert_eq!(user_id_in(&data).as_deref(), Some("1"));
        data.insert(USER_KEY.into(), json!("2"));
        assert_eq!(user_id_in(&data).as_deref(), Some("2"));
        assert_eq!(axum_login_user_id(&json!({"user_id": null})), None);
    }
}
