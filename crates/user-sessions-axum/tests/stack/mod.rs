//! The application `axum_stack` and `axum_stack_rows` drive: axum 0.8, tower-sessions 0.14,
//! axum-login 0.18 and our store on a SQLite file (its backend counts reads and writes, and can
//! play "down"), and the shared test client asking by method and path.
#![allow(dead_code)]

#[path = "../harness/client.rs"]
mod client;

pub use client::{Answer, Client};

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_login::{AuthManagerLayerBuilder, AuthSession, AuthUser, AuthnBackend, UserId};
use time::OffsetDateTime;
use tower_sessions::{Session, SessionManagerLayer};
use user_sessions::sqlite::SqliteBackend;
use user_sessions::{
    Backend, Filter, KnownDevice, Page, PageRequest, PublicId, SessionInfo, Status, Store,
    StoredSession, Touch,
};
use user_sessions_axum::{Error, Sessions, UserSessionStore, UserSessionsLayer};

// ---------------------------------------------------------------------------------------------
// A backend wrapper around the real SQLite backend: counts row reads and writes, and can play
// "down".

#[derive(Debug)]
pub struct Instrumented {
    pub inner: SqliteBackend,
    pub loads: AtomicU64,
    pub writes: AtomicU64,
    pub deletes: AtomicU64,
    pub down: AtomicBool,
}

impl Instrumented {
    pub fn check(&self) -> user_sessions::Result<()> {
        if self.down.load(Ordering::SeqCst) {
            return Err(user_sessions::Error::Unavailable(
                "connection refused (test)".into(),
            ));
        }
        Ok(())
    }

    pub fn wrote(&self) {
        self.writes.fetch_add(1, Ordering::SeqCst);
    }
}

#[async_trait]
impl Backend for Instrumented {
    async fn migrate(&self) -> user_sessions::Result<()> {
        self.check()?;
        self.inner.migrate().await
    }
    async fn pending_migrations(&self) -> user_sessions::Result<usize> {
        self.check()?;
        self.inner.pending_migrations().await
    }
    async fn create(
        &self,
        session: &StoredSession,
        now: OffsetDateTime,
    ) -> user_sessions::Result<bool> {
        self.check()?;
        self.wrote();
        self.inner.create(session, now).await
    }
    async fn sign_in(
        &self,
        session: &StoredSession,
        write: user_sessions::SignInWrite,
        limit: user_sessions::SessionLimit,
        now: OffsetDateTime,
    ) -> user_sessions::Result<user_sessions::SignInOutcome> {
        self.check()?;
        self.wrote();
        self.inner.sign_in(session, write, limit, now).await
    }
    async fn get(&self, id: &PublicId) -> user_sessions::Result<Option<StoredSession>> {
        self.check()?;
        self.loads.fetch_add(1, Ordering::SeqCst);
        self.inner.get(id).await
    }
    async fn touch(
        &self,
        id: &PublicId,
        touch: &Touch,
        now: OffsetDateTime,
    ) -> user_sessions::Result<bool> {
        self.check()?;
        self.wrote();
        self.inner.touch(id, touch, now).await
    }
    async fn save(&self, session: &StoredSession) -> user_sessions::Result<()> {
        self.check()?;
        self.wrote();
        self.inner.save(session).await
    }
    async fn update(&self, session: &StoredSession) -> user_sessions::Result<bool> {
        self.check()?;
        self.wrote();
        self.inner.update(session).await
    }
    async fn delete(&self, id: &PublicId) -> user_sessions::Result<bool> {
        self.check()?;
        self.wrote();
        self.deletes.fetch_add(1, Ordering::SeqCst);
        self.inner.delete(id).await
    }
    async fn delete_many(&self, ids: &[PublicId]) -> user_sessions::Result<u64> {
        self.check()?;
        self.wrote();
        self.inner.delete_many(ids).await
    }
    async fn user_sessions(
        &self,
        user_id: &str,
        now: OffsetDateTime,
    ) -> user_sessions::Result<Vec<SessionInfo>> {
        self.check()?;
        self.inner.user_sessions(user_id, now).await
    }
    async fn delete_user_session(
        &self,
        user_id: &str,
        id: &PublicId,
    ) -> user_sessions::Result<bool> {
        self.check()?;
        self.wrote();
        self.inner.delete_user_session(user_id, id).await
    }
    async fn delete_user_sessions(
        &self,
        user_id: &str,
        keep: Option<&PublicId>,
    ) -> user_sessions::Result<u64> {
        self.check()?;
        self.wrote();
        self.inner.delete_user_sessions(user_id, keep).await
    }
    async fn count(&self, filter: &Filter, now: OffsetDateTime) -> user_sessions::Result<u64> {
        self.check()?;
        self.inner.count(filter, now).await
    }
    async fn purge_expired(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> user_sessions::Result<user_sessions::Purged> {
        self.check()?;
        self.inner.purge_expired(now, limit).await
    }
    async fn list(
        &self,
        filter: &Filter,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> user_sessions::Result<Page> {
        self.check()?;
        self.inner.list(filter, page, now).await
    }
    // The device history is no session row: not counted as a row read or write.
    async fn remember_device(
        &self,
        user_id: &str,
        device: &KnownDevice,
        forget_before: OffsetDateTime,
    ) -> user_sessions::Result<()> {
        self.check()?;
        self.inner
            .remember_device(user_id, device, forget_before)
            .await
    }
    async fn known_devices(
        &self,
        user_id: &str,
        since: OffsetDateTime,
    ) -> user_sessions::Result<Vec<KnownDevice>> {
        self.check()?;
        self.inner.known_devices(user_id, since).await
    }
    async fn forget_devices(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> user_sessions::Result<u64> {
        self.check()?;
        self.inner.forget_devices(before, limit).await
    }
    async fn forget_user_devices(&self, user_id: &str) -> user_sessions::Result<u64> {
        self.check()?;
        self.inner.forget_user_devices(user_id).await
    }
}

// ---------------------------------------------------------------------------------------------
// A minimal axum-login backend: two users, passwords compared in plain.

#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub password: &'static str,
}

impl AuthUser for User {
    type Id = i64;

    fn id(&self) -> i64 {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        self.password.as_bytes()
    }
}

/// The users, and the ids the application has deactivated since (their sessions must stop
/// working).
#[derive(Clone, Debug)]
pub struct Users(
    pub Arc<HashMap<i64, (&'static str, User)>>,
    pub Arc<Mutex<HashSet<i64>>>,
);

impl Users {
    pub fn new() -> Self {
        Users(
            Arc::new(HashMap::from([
                (
                    1,
                    (
                        "alice",
                        User {
                            id: 1,
                            password: "wonderland",
                        },
                    ),
                ),
                (
                    2,
                    (
                        "bob",
                        User {
                            id: 2,
                            password: "builder",
                        },
                    ),
                ),
            ])),
            Arc::default(),
        )
    }

    pub fn deactivate(&self, id: i64) {
        self.1.lock().unwrap().insert(id);
    }
}

impl AuthnBackend for Users {
    type User = User;
    type Credentials = (String, String);
    type Error = std::convert::Infallible;

    async fn authenticate(
        &self,
        (name, password): (String, String),
    ) -> Result<Option<User>, Self::Error> {
        Ok(self
            .0
            .values()
            .find(|(n, user)| *n == name && user.password == password)
            .map(|(_, user)| user.clone()))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<User>, Self::Error> {
        if self.1.lock().unwrap().contains(id) {
            return Ok(None);
        }
        Ok(self.0.get(id).map(|(_, user)| user.clone()))
    }
}

pub type Auth = AuthSession<Users>;

// ---------------------------------------------------------------------------------------------
// The application under test.

pub struct Harness {
    pub app: Router,
    pub store: Store,
    pub backend: Arc<Instrumented>,
    pub users: Users,
    pub _dir: tempfile::TempDir,
}

/// The application with axum-login (which loads the session on every request).
pub async fn harness(configure: impl FnOnce(UserSessionsLayer) -> UserSessionsLayer) -> Harness {
    harness_with(true, configure).await
}

/// The application with tower-sessions alone: a handler that does not touch the session
/// leaves it unloaded.
pub async fn plain_harness(
    configure: impl FnOnce(UserSessionsLayer) -> UserSessionsLayer,
) -> Harness {
    harness_with(false, configure).await
}

pub async fn harness_with(
    axum_login: bool,
    configure: impl FnOnce(UserSessionsLayer) -> UserSessionsLayer,
) -> Harness {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
    let backend = Arc::new(Instrumented {
        inner: SqliteBackend::open(&url).await.expect("open SQLite"),
        loads: AtomicU64::new(0),
        writes: AtomicU64::new(0),
        deletes: AtomicU64::new(0),
        down: AtomicBool::new(false),
    });
    let store = Store::from_backend(backend.clone());
    store.migrate().await.expect("migrate");
    let session_store = UserSessionStore::new(store.clone());
    let users = Users::new();
    let routes = Router::new()
        .route("/untouched", get(|| async { "untouched" }))
        .route("/write", post(write))
        .route("/read", get(read))
        .route("/restart", post(restart))
        .route("/me", get(me))
        .route("/login/{name}/{password}", post(login))
        .route("/logout", post(logout))
        .route("/sessions", get(list))
        .route("/sessions/{id}/end", post(end))
        .route("/sessions/others/end", post(end_others))
        .route("/sessions/all/end", post(end_all));
    let session_layer = SessionManagerLayer::new(session_store.clone());
    let layer = configure(UserSessionsLayer::new(session_store));
    let app = if axum_login {
        let auth = AuthManagerLayerBuilder::new(users.clone(), session_layer).build();
        routes.layer(layer.axum_login::<Users>().around(auth))
    } else {
        routes.layer(layer.around(session_layer))
    };
    Harness {
        app,
        store,
        backend,
        users,
        _dir: dir,
    }
}

pub async fn write(session: Session) -> Result<String, Error> {
    let counter: u64 = session.get("counter").await?.unwrap_or_default();
    session.insert("counter", counter + 1).await?;
    Ok((counter + 1).to_string())
}

/// Clears the session and starts over with new data, keeping its id.
pub async fn restart(session: Session) -> Result<String, Error> {
    session.clear().await;
    session.insert("restarted", true).await?;
    Ok("restarted".into())
}

pub async fn read(session: Session) -> Result<String, Error> {
    let counter: Option<u64> = session.get("counter").await?;
    Ok(format!("{counter:?}"))
}

pub async fn me(auth: Auth) -> String {
    auth.user
        .map_or_else(|| "anonymous".to_owned(), |user| user.id.to_string())
}

pub async fn login(mut auth: Auth, Path((name, password)): Path<(String, String)>) -> Response {
    match auth.authenticate((name, password)).await {
        Ok(Some(user)) => match auth.login(&user).await {
            Ok(()) => "signed in".into_response(),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        _ => StatusCode::UNAUTHORIZED.into_response(),
    }
}

pub async fn logout(mut auth: Auth) -> Response {
    match auth.logout().await {
        Ok(_) => "signed out".into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub async fn list(
    sessions: Sessions,
) -> Result<axum::Json<Vec<user_sessions_axum::ActiveSession>>, Error> {
    Ok(axum::Json(sessions.list().await?))
}

pub async fn end(sessions: Sessions, Path(id): Path<String>) -> Result<String, Error> {
    let Ok(id) = id.parse::<PublicId>() else {
        return Ok("false".into());
    };
    Ok(sessions.end(&id).await?.to_string())
}

pub async fn end_others(sessions: Sessions) -> Result<String, Error> {
    Ok(sessions.end_others().await?.to_string())
}

pub async fn end_all(sessions: Sessions) -> Result<String, Error> {
    Ok(sessions.end_all().await?.to_string())
}

// ---------------------------------------------------------------------------------------------
// The client (the one all tests share): requests by method and path.

impl Client {
    pub async fn call(&mut self, app: &Router, method: &str, uri: &str) -> Answer {
        let request = self.request(method, uri);
        self.send(app, request).await
    }

    /// The public id of the session this client holds.
    pub fn public_id(&self) -> PublicId {
        let secret = self.secret().expect("client has a session cookie");
        let id: tower_sessions::session::Id = secret.parse().expect("session id");
        user_sessions_axum::public_id(&id)
    }
}

impl Harness {
    pub async fn rows(&self) -> u64 {
        self.store
            .count(&Filter::default().status(Status::All))
            .await
            .expect("count")
    }

    pub async fn row(&self, client: &Client) -> Option<SessionInfo> {
        self.store
            .get(&client.public_id())
            .await
            .expect("get")
            .map(|record| record.info)
    }

    pub fn writes(&self) -> u64 {
        self.backend.writes.load(Ordering::SeqCst)
    }

    pub fn loads(&self) -> u64 {
        self.backend.loads.load(Ordering::SeqCst)
    }
}

pub const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
pub const SAFARI: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
