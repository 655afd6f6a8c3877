//! [`UserSessionStore`]: a `tower_sessions::SessionStore` over a `user_sessions::Store`.

use std::borrow::Cow;

use async_trait::async_trait;
use serde_json::Value;
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store;
use user_sessions::{PublicId, SessionInfo, SessionRecord, Store, now};

use crate::metadata::{self, METADATA_KEY, Metadata, from_millis, millis};
use crate::request::{self, ClientToRecord, LoadedSession};
use crate::unavailable::to_store_error;
use crate::user::UserBinding;

/// How many fresh ids `create` tries before giving up (a collision of random 128-bit ids does
/// not happen; a backend that keeps refusing is broken).
const CREATE_ATTEMPTS: usize = 8;

/// How fresh a session's stored last activity is kept by saves: a save moves it to now only
/// when it is at least this old. ([`UserSessionsLayer`](crate::UserSessionsLayer) refreshes it
/// on requests that do not save, after its own activity interval.)
pub const ACTIVITY_RESOLUTION: std::time::Duration = std::time::Duration::from_secs(60);
const ACTIVITY_RESOLUTION_MS: i64 = ACTIVITY_RESOLUTION.as_millis() as i64;

/// The public id of the session whose cookie carries `id`: SHA-256 of the id's 16 bytes.
///
/// ```
/// use tower_sessions::session::Id;
/// use user_sessions_axum::public_id;
///
/// let id = Id::default();
/// assert_eq!(public_id(&id), public_id(&id));
/// assert_ne!(public_id(&id), public_id(&Id::default()));
/// ```
pub fn public_id(id: &Id) -> PublicId {
    PublicId::from_secret(&id.0.to_le_bytes())
}

/// A [`tower_sessions::SessionStore`] that keeps every session as a row of a
/// [`user_sessions::Store`]: with its user, IP, user agent and times in columns, so that the
/// application can list and end a user's sessions.
///
/// Cloning is cheap. Give one clone to `SessionManagerLayer::new` and one to
/// [`UserSessionsLayer::new`](crate::UserSessionsLayer::new).
///
/// The user id is read from the session data each time the session is saved: from
/// [`USER_KEY`](crate::USER_KEY) (written by [`set_user`](crate::set_user)), else from
/// axum-login's state (key `axum-login.data`, field `user_id`), or from the source given to
/// [`with_user_id`](Self::with_user_id).
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

    /// Reads the user id from the value stored under the session key `key`, with `read`
    /// (for another auth scheme, or axum-login with a custom data key).
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

    pub(crate) fn binding(&self) -> &UserBinding {
        &self.binding
    }

    /// The row a tower-sessions record is stored as: its columns come out of the metadata
    /// entry ([`METADATA_KEY`](crate::METADATA_KEY)), the user id out of the data, and the rest
    /// of the data is kept as is. Last activity is now, unless the record's last activity is
    /// less than [`ACTIVITY_RESOLUTION`] old: then it is kept, so that saving a session that
    /// changes every request does not move it in the activity indexes every time. Creation and
    /// sign-in times are now when the record carries none (e.g. when importing from another
    /// store).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use tower_sessions::session::{Id, Record};
    /// use user_sessions_axum::{UserSessionStore, public_id};
    ///
    /// let store = UserSessionStore::new(user_sessions::Store::open("sqlite::memory:").await?);
    /// let record = Record {
    ///     id: Id::default(),
    ///     data: [("axum-login.data".to_owned(), serde_json::json!({"user_id": 7}))].into(),
    ///     expiry_date: time::OffsetDateTime::now_utc() + time::Duration::days(1),
    /// };
    /// let row = store.to_row(&record);
    /// assert_eq!(row.id, public_id(&record.id));
    /// assert_eq!(row.user_id.as_deref(), Some("7"));
    /// # Ok(()) }
    /// ```
    pub fn to_row(&self, record: &Record) -> SessionRecord {
        self.row_of(record, metadata_in(record).unwrap_or_default(), None)
    }

    /// The metadata to save `record` with: its entry, or what the request noted for it. A
    /// record saved outside the request that loaded it (from a spawned task) can carry a
    /// marker these notes do not hold: its row as stored then stands in.
    async fn metadata_to_save(&self, record: &Record) -> session_store::Result<Metadata> {
        if let Some(metadata) = metadata_in(record) {
            return Ok(metadata);
        }
        tracing::debug!(
            session = %public_id(&record.id),
            "saving a session outside the request that loaded it: reading its columns back"
        );
        let stored = self
            .store
            .load(&public_id(&record.id))
            .await
            .map_err(to_store_error)?;
        Ok(stored.map_or_else(Metadata::default, |row| Metadata::from_info(row.info)))
    }

    /// The row of `record` with the columns of `metadata`, and `client` recorded when it is
    /// news.
    fn row_of(
        &self,
        record: &Record,
        metadata: Metadata,
        client: Option<&ClientToRecord>,
    ) -> SessionRecord {
        SessionRecord {
            info: self.info_of(record, metadata, client),
            data: stored_entries(record)
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        }
    }

    /// The columns of [`to_row`](Self::to_row), from `metadata` and the record (without copying
    /// its data), with `client` recorded when it is news.
    fn info_of(
        &self,
        record: &Record,
        mut metadata: Metadata,
        client: Option<&ClientToRecord>,
    ) -> SessionInfo {
        let now = now();
        if let Some(to_record) = client {
            metadata.record(
                &to_record.client,
                millis(now),
                to_record.activity_interval_ms,
            );
        }
        let user_id = self.binding.user_id_in(&record.data);
        let last_activity = metadata
            .last_activity
            .filter(|&last| (0..ACTIVITY_RESOLUTION_MS).contains(&(millis(now) - last)))
            .and_then(from_millis)
            .unwrap_or(now);
        let authenticated_at = if user_id == metadata.user_id {
            metadata.authenticated_at.and_then(from_millis)
        } else {
            user_id.as_ref().map(|_| now)
        };
        // The session this request loaded has its public id computed already.
        let id =
            request::with_loaded(|loaded| (loaded.id == record.id).then_some(loaded.public_id))
                .flatten()
                .unwrap_or_else(|| public_id(&record.id));
        SessionInfo {
            id,
            user_id,
            ip: metadata.ip,
            user_agent: metadata.user_agent,
            client_hints: metadata.client_hints,
            created_at: metadata.created_at.and_then(from_millis).unwrap_or(now),
            last_activity,
            expires_at: record.expiry_date,
            authenticated_at,
        }
    }
}

/// The metadata `record` carries (none for a new session); `None` when its entry is a marker
/// these request notes do not hold.
fn metadata_in(record: &Record) -> Option<Metadata> {
    record
        .data
        .get(METADATA_KEY)
        .map_or(Some(Metadata::default()), metadata::resolve)
}

/// The record's data as stored: everything but the metadata entry.
fn stored_entries(record: &Record) -> impl Iterator<Item = (&String, &Value)> {
    record
        .data
        .iter()
        .filter(|(key, _)| key.as_str() != METADATA_KEY)
}

#[async_trait]
impl SessionStore for UserSessionStore {
    /// Inserts a new row; on the (theoretical) collision with a live session, picks a new id.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let metadata = self.metadata_to_save(record).await?;
        let mut row = self.row_of(record, metadata, request::client_to_record().as_deref());
        // A new session that already carries a user is a sign-in (axum-login cycles the id when
        // it logs a user in): the sign-in time is now, also when the same user signs in again.
        if row.user_id.is_some() {
            row.info.authenticated_at = Some(row.info.last_activity);
        }
        for _ in 0..CREATE_ATTEMPTS {
            if self.store.create(&row).await.map_err(to_store_error)? {
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
        let metadata = self.metadata_to_save(record).await?;
        let updated = self
            .store
            .update_entries(
                self.info_of(record, metadata, request::client_to_record().as_deref()),
                stored_entries(record),
            )
            .await
            .map_err(to_store_error)?;
        if !updated {
            tracing::debug!(
                session = %public_id(&record.id),
                "not saving a session that was ended while the request ran"
            );
        }
        Ok(())
    }

    /// The live session, with its columns under the metadata key; `None` when absent or
    /// expired.
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(SessionRecord { info, mut data }) = self
            .store
            .load(&public_id(id))
            .await
            .map_err(to_store_error)?
        else {
            return Ok(None);
        };
        let expiry_date = info.expires_at;
        let public_id = info.id;
        let metadata = Metadata::from_info(info);
        let entry = match request::saves_in_scope() {
            None => metadata.into_value(),
            Some(saves_in_scope) => {
                // Saves inside the notes read the columns there: the entry only names this
                // load. Otherwise the layer reads the notes and the save the entry.
                let marker = saves_in_scope.then(request::next_load);
                let entry = marker.map_or_else(|| metadata.clone().into_value(), metadata::marker);
                request::note_loaded(LoadedSession {
                    id: *id,
                    public_id,
                    marker,
                    metadata,
                });
                entry
            }
        };
        data.insert(METADATA_KEY.to_owned(), entry);
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    /// Deletes the row (nothing happens when there is none).
    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store
            .delete(&public_id(id))
            .await
            .map_err(to_store_error)?;
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

    #[tokio::test]
    async fn saves_keep_last_activity_to_the_resolution() {
        let sessions = store().await;
        let now = millis(now());
        let with_activity = |ago_ms: i64| {
            let mut record = record();
            let meta = Metadata {
                last_activity: Some(now - ago_ms),
                ..Metadata::default()
            };
            record
                .data
                .insert(METADATA_KEY.into(), meta.clone().into_value());
            record
        };
        // Fresh: kept as it was.
        let fresh = sessions.to_row(&with_activity(5_000));
        assert_eq!(millis(fresh.last_activity), now - 5_000);
        // As old as the resolution, or from the future: now.
        let stale = sessions.to_row(&with_activity(ACTIVITY_RESOLUTION_MS));
        assert!(millis(stale.last_activity) >= now);
        let future = sessions.to_row(&with_activity(-10_000));
        assert!(millis(future.last_activity) < now + 10_000);
        // No metadata (a new session): now.
        assert!(millis(sessions.to_row(&record()).last_activity) >= now);
    }

    #[tokio::test]
    async fn round_trip_keeps_data_and_moves_metadata_to_columns() {
        let sessions = store().await;
        let mut record = record();
        record.data.insert("cart".into(), json!([1, 2]));
        record.data.insert(
            AXUM_LOGIN_KEY.into(),
            json!({"user_id": 5, "auth_hash": [9]}),
        );
        let meta = Metadata {
            ip: Some("192.0.2.1".parse().unwrap()),
            user_agent: Some("agent".into()),
            ..Metadata::default()
        };
        record
            .data
            .insert(METADATA_KEY.into(), meta.clone().into_value());
        sessions.create(&mut record).await.unwrap();

        let row = sessions
            .store()
            .load(&public_id(&record.id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.user_id.as_deref(), Some("5"));
        assert_eq!(row.user_agent.as_deref(), Some("agent"));
        assert!(row.authenticated_at.is_some());
        assert!(!row.data.contains_key(METADATA_KEY));
        assert_eq!(row.data["cart"], json!([1, 2]));

        let loaded = sessions.load(&record.id).await.unwrap().unwrap();
        assert_eq!(loaded.data["cart"], json!([1, 2]));
        let loaded_meta = Metadata::from_value(&loaded.data[METADATA_KEY]);
        assert_eq!(loaded_meta.user_id.as_deref(), Some("5"));
        assert_eq!(loaded_meta.ip, meta.ip);

        // Saving what was loaded keeps the sign-in time; a different user resets it.
        sessions.save(&loaded).await.unwrap();
        let again = sessions
            .store()
            .load(&public_id(&record.id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again.authenticated_at, row.authenticated_at);
        assert_eq!(again.created_at, row.created_at);

        let mut switched = loaded.clone();
        switched.data.insert(USER_KEY.into(), json!("other"));
        sessions.save(&switched).await.unwrap();
        let switched_row = sessions
            .store()
            .load(&public_id(&record.id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(switched_row.user_id.as_deref(), Some("other"));

        sessions.delete(&record.id).await.unwrap();
        assert!(sessions.load(&record.id).await.unwrap().is_none());
        sessions.delete(&record.id).await.unwrap();
    }

    /// Inside a request whose session layer saves in the notes, a load leaves only a marker in
    /// the data; a save in that request reads the columns from the notes, and a save from
    /// elsewhere (a task the session was handed to) reads them back from the row.
    #[tokio::test]
    async fn a_loaded_session_saved_outside_its_request_keeps_its_columns() {
        let sessions = store().await;
        let mut created = record();
        created.data.insert("n".into(), json!(1));
        let client = Metadata {
            ip: Some("192.0.2.9".parse().unwrap()),
            user_agent: Some("agent".into()),
            created_at: Some(millis(now()) - 3_600_000),
            ..Metadata::default()
        };
        created
            .data
            .insert(METADATA_KEY.into(), client.clone().into_value());
        sessions.create(&mut created).await.unwrap();
        let stored = |sessions: UserSessionStore| async move {
            sessions
                .store()
                .load(&public_id(&created.id))
                .await
                .unwrap()
                .unwrap()
        };
        let first = stored(sessions.clone()).await;

        let mut loaded = request::scope(true, || sessions.load(&created.id))
            .await
            .unwrap()
            .unwrap();
        assert!(
            loaded.data[METADATA_KEY].is_u64(),
            "a marker, not the columns"
        );
        loaded.data.insert("n".into(), json!(2));
        sessions.save(&loaded).await.unwrap();
        let saved = stored(sessions.clone()).await;
        assert_eq!(saved.data["n"], json!(2));
        assert_eq!(saved.created_at, first.created_at);
        assert_eq!(saved.ip, client.ip);
        assert_eq!(saved.user_agent, client.user_agent);

        // Loaded and saved in one request: the columns come from the notes.
        let again = request::scope(true, || async {
            let mut record = sessions.load(&created.id).await.unwrap().unwrap();
            record.data.insert("n".into(), json!(3));
            sessions.save(&record).await.unwrap();
        });
        again.await;
        let saved = stored(sessions.clone()).await;
        assert_eq!(saved.data["n"], json!(3));
        assert_eq!(saved.created_at, first.created_at);
        assert_eq!(saved.ip, client.ip);
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
