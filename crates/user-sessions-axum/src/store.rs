//! [`UserSessionStore`]: a `tower_sessions::SessionStore` over a `user_sessions::Store`.

use std::borrow::Cow;

use async_trait::async_trait;
use serde_json::Value;
use time::OffsetDateTime;
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store;
use user_sessions::events::Event;
use user_sessions::{SessionInfo, SessionRecord, Store};

use crate::activity::{is_recent, records_client};
use crate::request::{self, Loaded, RequestState};
use crate::settings::{DEFAULT_ACTIVITY_INTERVAL, interval_ms};
use crate::user::UserBinding;

/// How many fresh ids `create` tries before giving up (a collision of random 128-bit ids does
/// not happen; a backend that keeps refusing is broken).
const CREATE_ATTEMPTS: usize = 8;

pub use user_sessions::tower::public_id;

/// A [`tower_sessions::SessionStore`] that keeps every session as a row of a
/// [`user_sessions::Store`]: with its user, IP, user agent and times in columns, so that the
/// application can list and end a user's sessions.
///
/// Cloning is cheap. Give one clone to `SessionManagerLayer::new` and one to
/// [`UserSessionsLayer::new`](crate::UserSessionsLayer::new).
///
/// The tower-sessions record holds only the application's data. The row's other columns come
/// from the request being served ([`UserSessionsLayer`](crate::UserSessionsLayer) notes its
/// client, and what the store loaded, in one place per request):
/// - a **load** is one indexed read;
/// - a **save** of a loaded session is one update that writes nothing when the session was
///   ended meanwhile — a late save never brings an ended session back. When only the data
///   and the expiry changed (same user and client, activity recorded within the interval),
///   it writes just those ([`Store::update_data_entries`]). (A session saved
///   outside the request that loaded it, from a task of its own, is read back first.)
/// - a **create** keeps the creation time of the session whose id it replaces (an id cycled
///   at sign-in): a session is created once, however often its id changes. A session flushed
///   and filled again in one request starts afresh, under a new id.
///
/// The `user_id` column is read from the session data on every save: from
/// [`USER_KEY`](crate::USER_KEY) (written by [`set_user`](crate::set_user)), else from
/// axum-login's state (key `axum-login.data`, field `user_id`), or from the source given to
/// [`with_user_id`](Self::with_user_id). The sign-in time is set when it first appears or
/// changes. (Who a *request* is signed in as is another matter: see
/// [`UserSessionsLayer::axum_login`](crate::UserSessionsLayer::axum_login).)
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
/// use tower_sessions::SessionManagerLayer;
/// use user_sessions::Store;
/// use user_sessions_axum::UserSessionStore;
///
/// let store = Store::open("sqlite::memory:").await?;
/// store.migrate().await?;
/// let session_store = UserSessionStore::new(store);
/// let session_layer = SessionManagerLayer::new(session_store.clone());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct UserSessionStore {
    store: Store,
    binding: UserBinding,
}

impl UserSessionStore {
    /// Wraps a store; the user id comes from [`set_user`](crate::set_user) or axum-login.
    pub fn new(store: Store) -> Self {
        UserSessionStore {
            store,
            binding: UserBinding::default(),
        }
    }

    /// Reads the `user_id` column from the value stored under the session key `key`, with
    /// `read` (for another auth scheme, or axum-login with a custom data key).
    /// [`set_user`](crate::set_user) still takes precedence.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use user_sessions_axum::{UserSessionStore, render_user_id};
    ///
    /// let store = user_sessions::Store::open("sqlite::memory:").await?;
    /// // The application keeps `{"account": {"id": …}}` under the key "auth".
    /// let session_store = UserSessionStore::new(store)
    ///     .with_user_id("auth", |auth| auth.pointer("/account/id").and_then(render_user_id));
    /// # Ok(()) }
    /// ```
    pub fn with_user_id(
        mut self,
        key: impl Into<Cow<'static, str>>,
        read: impl Fn(&Value) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.binding = UserBinding::new(key, read);
        self
    }

    /// The underlying store (for queries: a user's sessions, counts, the admin list).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The columns to save `record` with, from the row as it was (`stored`, none for a new
    /// session) and the request's client (when saved inside its request).
    fn info_to_save(
        &self,
        record: &Record,
        stored: Option<SessionInfo>,
        request: Option<&RequestState>,
    ) -> Columns {
        let now = OffsetDateTime::now_utc();
        let existed = stored.is_some();
        let mut client_changed = false;
        let mut signed_in = false;
        let mut info = stored.unwrap_or_else(|| SessionInfo::new(public_id(&record.id), now));
        info.id = public_id(&record.id);
        info.expires_at = record.expiry_date;
        let interval = request.map_or(interval_ms(DEFAULT_ACTIVITY_INTERVAL), |request| {
            request.shared.settings.activity_interval_ms
        });
        let mut active = is_recent(info.last_activity, now, interval);
        if let Some(client) = request.map(RequestState::client) {
            if !records_client(&info, client) {
                active = false;
                client_changed = existed;
                info.ip = client.ip;
                info.user_agent.clone_from(&client.user_agent);
                info.client_hints.clone_from(&client.client_hints);
            }
        }
        if !active {
            info.last_activity = now;
        }
        let user_id = self.binding.user_id_in(&record.data);
        let user_changed = user_id != info.user_id;
        if user_changed {
            info.authenticated_at = user_id.as_ref().map(|_| now);
            signed_in = user_id.is_some();
            info.user_id = user_id;
        }
        Columns {
            info,
            signed_in,
            client_changed,
            data_only: existed && active && !user_changed,
        }
    }

    /// Reports a sign-in on a stored session ([`Store::signed_in`]: the device history
    /// remembers its device; when something observes the events, whether the device is new is
    /// judged and published). A failure is logged and never fails the sign-in.
    async fn report_sign_in(&self, info: &SessionInfo) {
        if let Err(error) = self.store.signed_in(info).await {
            tracing::warn!(%error, session = %info.id, "could not report a sign-in");
        }
    }

    /// The row a session record was saved with, when it was saved outside the request that
    /// loaded it; `None` when it is gone.
    async fn read_back(&self, id: &Id) -> session_store::Result<Option<SessionInfo>> {
        tracing::debug!(
            session = %public_id(id),
            "saving a session outside the request that loaded it: reading its columns back"
        );
        Ok(self
            .store
            .load(&public_id(id))
            .await
            .map_err(|error| to_store_error(error, request::current().as_deref()))?
            .map(|row| row.info))
    }
}

/// The columns a save writes, and what they say happened.
struct Columns {
    info: SessionInfo,
    /// A user appeared on the session, or another one replaced the one it had.
    signed_in: bool,
    /// The stored session is used from another client than the one it recorded.
    client_changed: bool,
    /// Only the data and the expiry differ from the stored row.
    data_only: bool,
}

/// Converts a core error into the error type tower-sessions stores use, noting on the request
/// that the backend was unreachable (the layer then answers `503`, not tower-sessions' `500`)
/// or that the session limit refused a sign-in (the layer then answers `409`).
fn to_store_error(
    error: user_sessions::Error,
    request: Option<&RequestState>,
) -> session_store::Error {
    if let Some(request) = request {
        match error {
            ref error if error.is_unavailable() => request.known().unavailable = true,
            user_sessions::Error::SessionLimitReached { max } => {
                request.known().session_limit_reached = Some(max);
            }
            _ => {}
        }
    }
    match error {
        user_sessions::Error::Encode(error) => session_store::Error::Encode(error.to_string()),
        other => session_store::Error::Backend(other.to_string()),
    }
}

#[async_trait]
impl SessionStore for UserSessionStore {
    /// Inserts a new row; on the (theoretical) collision with a live session, picks a new id.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let request = request::current();
        let request = request.as_deref();
        // The session this request loaded and then deleted: its id was cycled (keep its
        // columns), or it was flushed and filled again (start afresh, under a new id).
        let predecessor = request.and_then(|request| {
            let known = request.known();
            let loaded = known.loaded.as_ref()?;
            known.ended.contains(&loaded.id).then(|| loaded.clone())
        });
        let stored = match predecessor {
            Some(Loaded { id, .. }) if id == record.id => {
                record.id = Id::default();
                None
            }
            Some(Loaded { info, .. }) => Some(info),
            None => None,
        };
        let mut row = SessionRecord {
            info: self.info_to_save(record, stored, request).info,
            data: record.data.clone(),
        };
        // A new session that carries a user is a sign-in (axum-login cycles the id when it
        // logs a user in): the sign-in time is now, also when the same user signs in again.
        if row.user_id.is_some() {
            row.info.authenticated_at = Some(row.info.last_activity.max(OffsetDateTime::now_utc()));
        }
        for _ in 0..CREATE_ATTEMPTS {
            if self
                .store
                .create(&row)
                .await
                .map_err(|error| to_store_error(error, request))?
            {
                if let Some(request) = request {
                    request.known().written = true;
                }
                if row.user_id.is_some() {
                    self.report_sign_in(&row.info).await;
                }
                return Ok(());
            }
            record.id = Id::default();
            row.info.id = public_id(&record.id);
        }
        Err(session_store::Error::Backend(
            "no free session id found: the backend refused every new id".into(),
        ))
    }

    /// Updates the row of a loaded session in one write. When the row is gone — the session
    /// was ended from another device or by an admin while this request ran — nothing is written:
    /// a late save never brings an ended session back, and the next request is anonymous.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let request = request::current();
        let request = request.as_deref();
        let stored = match request.and_then(|request| request.loaded(&record.id)) {
            Some(stored) => stored,
            None => match self.read_back(&record.id).await? {
                Some(stored) => stored,
                None => return Ok(()),
            },
        };
        let Columns {
            info,
            signed_in,
            client_changed,
            data_only,
        } = self.info_to_save(record, Some(stored), request);
        let updated = if signed_in {
            // A sign-in: held to the store's session limit.
            self.store
                .update_entries_signing_in(info.clone(), record.data.iter())
                .await
        } else if data_only {
            self.store
                .update_data_entries(info.clone(), record.data.iter())
                .await
        } else {
            self.store
                .update_entries(info.clone(), record.data.iter())
                .await
        }
        .map_err(|error| to_store_error(error, request))?;
        if updated && client_changed {
            self.store.events().publish(Event::ClientChanged {
                id: info.id,
                user_id: info.user_id.clone(),
                ip: info.ip,
                user_agent: info.user_agent.clone(),
            });
        }
        if updated && signed_in {
            self.report_sign_in(&info).await;
        }
        match request {
            Some(request) if updated => request.known().written = true,
            _ if !updated => tracing::debug!(
                session = %public_id(&record.id),
                "not saving a session that was ended while the request ran"
            ),
            _ => {}
        }
        Ok(())
    }

    /// The live session's data; `None` when absent or expired. Its columns stay with the
    /// request being served.
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let request = request::current();
        let Some(SessionRecord { info, data }) = self
            .store
            .load(&public_id(id))
            .await
            .map_err(|error| to_store_error(error, request.as_deref()))?
        else {
            if let Some(request) = request {
                request.known().gone = true;
            }
            return Ok(None);
        };
        let expiry_date = info.expires_at;
        if let Some(request) = request {
            request.known().loaded = Some(Loaded { id: *id, info });
        }
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    /// Deletes the row (nothing happens when there is none).
    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let request = request::current();
        let mut ending_as = None;
        if let Some(request) = request.as_deref() {
            let mut known = request.known();
            // Ended already by this request (`Sessions::end_all`, say): one delete is enough.
            if known.ended.contains(id) {
                return Ok(());
            }
            ending_as = known.ending_as.take();
        }
        let store = match ending_as {
            Some(by) => &self.store.ending_as(by),
            None => &self.store,
        };
        store
            .delete(&public_id(id))
            .await
            .map_err(|error| to_store_error(error, request.as_deref()))?;
        if let Some(request) = request {
            request.known().ended.push(*id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::Duration;

    use super::*;
    use crate::user::{AXUM_LOGIN_KEY, USER_KEY};

    async fn store() -> UserSessionStore {
        let store = Store::open("sqlite::memory:").await.unwrap();
        store.migrate().await.unwrap();
        UserSessionStore::new(store)
    }

    fn record() -> Record {
        Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: time::OffsetDateTime::now_utc() + Duration::hours(1),
        }
    }

    async fn row(sessions: &UserSessionStore, id: &Id) -> SessionRecord {
        sessions
            .store()
            .load(&public_id(id))
            .await
            .unwrap()
            .unwrap()
    }

    #[tokio::test]
    async fn records_hold_only_the_application_data() {
        let sessions = store().await;
        let mut record = record();
        record.data.insert("cart".into(), json!([1, 2]));
        record.data.insert(
            AXUM_LOGIN_KEY.into(),
            json!({"user_id": 5, "auth_hash": [9]}),
        );
        sessions.create(&mut record).await.unwrap();

        let stored = row(&sessions, &record.id).await;
        assert_eq!(stored.user_id.as_deref(), Some("5"));
        assert!(stored.authenticated_at.is_some());
        assert_eq!(stored.data, record.data);

        let loaded = sessions.load(&record.id).await.unwrap().unwrap();
        assert_eq!(
            loaded.data, record.data,
            "nothing but the application's data"
        );

        // Saving what was loaded (outside a request: read back) keeps the times; another
        // user is a new sign-in.
        sessions.save(&loaded).await.unwrap();
        let again = row(&sessions, &record.id).await;
        assert_eq!(again.authenticated_at, stored.authenticated_at);
        assert_eq!(again.created_at, stored.created_at);

        let mut switched = loaded.clone();
        switched.data.insert(USER_KEY.into(), json!("other"));
        sessions.save(&switched).await.unwrap();
        assert_eq!(
            row(&sessions, &record.id).await.user_id.as_deref(),
            Some("other")
        );

        sessions.delete(&record.id).await.unwrap();
        assert!(sessions.load(&record.id).await.unwrap().is_none());
        sessions.delete(&record.id).await.unwrap();
        // A late save of the ended session writes nothing.
        sessions.save(&loaded).await.unwrap();
        assert!(sessions.load(&record.id).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_save_that_changes_only_the_data_writes_only_the_data() {
        let sessions = store().await;
        let mut record = record();
        record.data.insert(
            AXUM_LOGIN_KEY.into(),
            json!({"user_id": 5, "auth_hash": [9]}),
        );
        sessions.create(&mut record).await.unwrap();
        let stored = row(&sessions, &record.id).await.info;
        record.data.insert("cart".into(), json!([1]));
        assert!(
            sessions
                .info_to_save(&record, Some(stored.clone()), None)
                .data_only,
            "the same user, active within the interval"
        );

        let mut idle = stored.clone();
        idle.last_activity -= Duration::hours(1);
        let columns = sessions.info_to_save(&record, Some(idle), None);
        assert!(!columns.data_only, "the activity is due");

        let mut switched = record.clone();
        switched.data.insert(USER_KEY.into(), json!("other"));
        let columns = sessions.info_to_save(&switched, Some(stored), None);
        assert!(!columns.data_only && columns.signed_in, "another user");

        // Saved so, the row has the new data and keeps its columns.
        let loaded = sessions.load(&record.id).await.unwrap().unwrap();
        let mut changed = loaded.clone();
        changed.data.insert("cart".into(), json!([2]));
        sessions.save(&changed).await.unwrap();
        let after = row(&sessions, &record.id).await;
        assert_eq!(after.data["cart"], json!([2]));
        assert_eq!(after.user_id.as_deref(), Some("5"));
    }

    #[tokio::test]
    async fn create_picks_a_new_id_on_collision() {
        let sessions = store().await;
        let mut first = record();
        sessions.create(&mut first).await.unwrap();
        let mut second = record();
        second.id = first.id;
        sessions.create(&mut second).await.unwrap();
        assert_ne!(second.id, first.id);
        assert!(sessions.load(&first.id).await.unwrap().is_some());
        assert!(sessions.load(&second.id).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn expired_sessions_do_not_load() {
        let sessions = store().await;
        let mut expired = record();
        expired.expiry_date = time::OffsetDateTime::now_utc() - Duration::seconds(1);
        sessions.create(&mut expired).await.unwrap();
        assert!(sessions.load(&expired.id).await.unwrap().is_none());
    }
}
