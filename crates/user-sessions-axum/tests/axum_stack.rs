//! The drop-in on a real stack: axum 0.8, tower-sessions 0.14, axum-login 0.18 and our store
//! on a SQLite file, driven request by request through the router.
#![cfg(feature = "axum-login")]

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_login::{AuthManagerLayerBuilder, AuthSession, AuthUser, AuthnBackend, UserId};
use http_body_util::BodyExt;
use time::OffsetDateTime;
use tower::ServiceExt;
use tower_sessions::{Session, SessionManagerLayer};
use user_sessions::sqlite::SqliteBackend;
use user_sessions::{
    Backend, Filter, KnownDevice, Page, PageRequest, PublicId, SessionInfo, Status, Store,
    StoredSession, Touch,
};
use user_sessions_axum::{
    Error, IpPrivacy, Sessions, UserSessionStore, UserSessionsLayer, set_user,
};

// ---------------------------------------------------------------------------------------------
// A backend wrapper around the real SQLite backend: counts row reads and writes, and can play
// "down".

#[derive(Debug)]
struct Instrumented {
    inner: SqliteBackend,
    loads: AtomicU64,
    writes: AtomicU64,
    deletes: AtomicU64,
    down: AtomicBool,
}

impl Instrumented {
    fn check(&self) -> user_sessions::Result<()> {
        if self.down.load(Ordering::SeqCst) {
            return Err(user_sessions::Error::Unavailable(
                "connection refused (test)".into(),
            ));
        }
        Ok(())
    }

    fn wrote(&self) {
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
    async fn purge_expired(&self, now: OffsetDateTime, limit: u32) -> user_sessions::Result<u64> {
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
}

// ---------------------------------------------------------------------------------------------
// A minimal axum-login backend: two users, passwords compared in plain.

#[derive(Clone, Debug)]
struct User {
    id: i64,
    password: &'static str,
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
struct Users(
    Arc<HashMap<i64, (&'static str, User)>>,
    Arc<Mutex<HashSet<i64>>>,
);

impl Users {
    fn new() -> Self {
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

    fn deactivate(&self, id: i64) {
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

type Auth = AuthSession<Users>;

// ---------------------------------------------------------------------------------------------
// The application under test.

struct Harness {
    app: Router,
    store: Store,
    backend: Arc<Instrumented>,
    users: Users,
    _dir: tempfile::TempDir,
}

/// The application with axum-login (which loads the session on every request).
async fn harness(configure: impl FnOnce(UserSessionsLayer) -> UserSessionsLayer) -> Harness {
    harness_with(true, configure).await
}

/// The application with tower-sessions alone: a handler that does not touch the session
/// leaves it unloaded.
async fn plain_harness(configure: impl FnOnce(UserSessionsLayer) -> UserSessionsLayer) -> Harness {
    harness_with(false, configure).await
}

async fn harness_with(
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

async fn write(session: Session) -> Result<String, Error> {
    let counter: u64 = session.get("counter").await?.unwrap_or_default();
    session.insert("counter", counter + 1).await?;
    Ok((counter + 1).to_string())
}

/// Clears the session and starts over with new data, keeping its id.
async fn restart(session: Session) -> Result<String, Error> {
    session.clear().await;
    session.insert("restarted", true).await?;
    Ok("restarted".into())
}

async fn read(session: Session) -> Result<String, Error> {
    let counter: Option<u64> = session.get("counter").await?;
    Ok(format!("{counter:?}"))
}

async fn me(auth: Auth) -> String {
    auth.user
        .map_or_else(|| "anonymous".to_owned(), |user| user.id.to_string())
}

async fn login(mut auth: Auth, Path((name, password)): Path<(String, String)>) -> Response {
    match auth.authenticate((name, password)).await {
        Ok(Some(user)) => match auth.login(&user).await {
            Ok(()) => "signed in".into_response(),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        _ => StatusCode::UNAUTHORIZED.into_response(),
    }
}

async fn logout(mut auth: Auth) -> Response {
    match auth.logout().await {
        Ok(_) => "signed out".into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn list(
    sessions: Sessions,
) -> Result<axum::Json<Vec<user_sessions_axum::ActiveSession>>, Error> {
    Ok(axum::Json(sessions.list().await?))
}

async fn end(sessions: Sessions, Path(id): Path<String>) -> Result<String, Error> {
    let Ok(id) = id.parse::<PublicId>() else {
        return Ok("false".into());
    };
    Ok(sessions.end(&id).await?.to_string())
}

async fn end_others(sessions: Sessions) -> Result<String, Error> {
    Ok(sessions.end_others().await?.to_string())
}

async fn end_all(sessions: Sessions) -> Result<String, Error> {
    Ok(sessions.end_all().await?.to_string())
}

// ---------------------------------------------------------------------------------------------
// A tiny client: one cookie, an address and a user agent.

#[derive(Clone, Debug)]
struct Client {
    cookie: Option<String>,
    ip: SocketAddr,
    user_agent: Vec<u8>,
    extra: Vec<(&'static str, Vec<u8>)>,
}

struct Answer {
    status: StatusCode,
    set_cookie: Option<String>,
    body: String,
}

impl Client {
    fn new(ip: &str, user_agent: &str) -> Self {
        Client {
            cookie: None,
            ip: SocketAddr::new(ip.parse().expect("test IP"), 50_000),
            user_agent: user_agent.as_bytes().to_vec(),
            extra: Vec::new(),
        }
    }

    async fn send(&mut self, app: &Router, method: &str, uri: &str) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie.as_str());
        }
        request = request.header(
            header::USER_AGENT,
            HeaderValue::from_bytes(&self.user_agent).expect("header bytes"),
        );
        for (name, value) in &self.extra {
            request = request.header(*name, HeaderValue::from_bytes(value).expect("header bytes"));
        }
        let mut request = request.body(Body::empty()).expect("request");
        request.extensions_mut().insert(ConnectInfo(self.ip));
        let response = app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let set_cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .map(|value| value.to_str().expect("ASCII cookie").to_owned());
        if let Some(set) = &set_cookie {
            let pair = set.split(';').next().unwrap_or_default().to_owned();
            let removed = set.contains("Max-Age=0") || pair.ends_with('=');
            self.cookie = if removed { None } else { Some(pair) };
        }
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Answer {
            status,
            set_cookie,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    /// The public id of the session this client holds.
    fn public_id(&self) -> PublicId {
        let cookie = self.cookie.as_deref().expect("client has a session cookie");
        let id: tower_sessions::session::Id = cookie
            .trim_start_matches("id=")
            .parse()
            .expect("session id");
        user_sessions_axum::public_id(&id)
    }
}

impl Harness {
    async fn rows(&self) -> u64 {
        self.store
            .count(&Filter::default().status(Status::All))
            .await
            .expect("count")
    }

    async fn row(&self, client: &Client) -> Option<SessionInfo> {
        self.store
            .get(&client.public_id())
            .await
            .expect("get")
            .map(|record| record.info)
    }

    fn writes(&self) -> u64 {
        self.backend.writes.load(Ordering::SeqCst)
    }

    fn loads(&self) -> u64 {
        self.backend.loads.load(Ordering::SeqCst)
    }
}

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_request_that_never_touches_the_session_sets_no_cookie_and_writes_nothing() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    for (uri, status) in [
        ("/untouched", StatusCode::OK),
        ("/read", StatusCode::OK),
        ("/me", StatusCode::OK),
        ("/sessions", StatusCode::UNAUTHORIZED),
    ] {
        let answer = client.send(&h.app, "GET", uri).await;
        assert_eq!(answer.status, status, "{uri}");
        assert_eq!(answer.set_cookie, None, "{uri}");
    }
    assert_eq!(h.rows().await, 0);
    assert_eq!(h.writes(), 0);
}

#[tokio::test]
async fn a_request_that_writes_the_session_stores_its_agent_and_ip() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client
        .extra
        .push(("sec-ch-ua-platform", b"\"Linux\"".to_vec()));
    client.extra.push(("sec-ch-ua-mobile", b"?0".to_vec()));
    let answer = client.send(&h.app, "POST", "/write").await;
    assert_eq!(answer.body, "1");
    assert!(answer.set_cookie.is_some());

    let row = h.row(&client).await.expect("row written");
    assert_eq!(row.ip, Some("198.51.100.7".parse().unwrap()));
    assert_eq!(row.user_agent.as_deref(), Some(FIREFOX));
    let hints = row.client_hints.expect("hints");
    assert_eq!(hints.platform.as_deref(), Some("\"Linux\""));
    assert_eq!(hints.mobile, Some(false));
    assert_eq!(row.user_id, None);
    assert_eq!(row.authenticated_at, None);
    assert_eq!(h.rows().await, 1);
    assert_eq!(h.writes(), 1);

    // The data round-trips; the row's columns stay out of the application's data.
    assert_eq!(client.send(&h.app, "GET", "/read").await.body, "Some(1)");
    let record = h.store.get(&client.public_id()).await.unwrap().unwrap();
    assert_eq!(
        record.data.keys().collect::<Vec<_>>(),
        vec!["counter"],
        "nothing but the application's data"
    );
}

#[tokio::test]
async fn login_through_axum_login_binds_the_user_and_cycles_the_row() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&h.app, "POST", "/write").await;
    let before = h.row(&client).await.expect("anonymous row");
    let old_cookie = client.cookie.clone();
    let old_id = client.public_id();

    let answer = client.send(&h.app, "POST", "/login/alice/wonderland").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_ne!(client.cookie, old_cookie, "the id is cycled at login");
    assert!(
        h.store.get(&old_id).await.unwrap().is_none(),
        "the pre-login row is gone"
    );

    let row = h.row(&client).await.expect("signed-in row");
    assert_eq!(row.user_id.as_deref(), Some("1"));
    assert!(row.authenticated_at.is_some());
    assert_eq!(row.ip, before.ip);
    assert_eq!(row.user_agent, before.user_agent);
    assert_eq!(
        row.created_at, before.created_at,
        "creation time survives id cycling"
    );
    assert_eq!(h.rows().await, 1);
    assert_eq!(client.send(&h.app, "GET", "/me").await.body, "1");
    // The application's data survived too.
    assert_eq!(client.send(&h.app, "GET", "/read").await.body, "Some(1)");

    // A wrong password changes nothing.
    let mut stranger = Client::new("203.0.113.1", SAFARI);
    assert_eq!(
        stranger
            .send(&h.app, "POST", "/login/alice/nope")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(h.rows().await, 1);
}

#[tokio::test]
async fn a_later_request_from_elsewhere_updates_ip_and_agent() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&h.app, "POST", "/login/alice/wonderland").await;
    let writes = h.writes();

    // Same place, same browser: nothing to write.
    client.send(&h.app, "GET", "/me").await;
    assert_eq!(h.writes(), writes);

    client.ip = SocketAddr::new("2001:db8::42".parse().unwrap(), 443);
    client.user_agent = SAFARI.as_bytes().to_vec();
    let answer = client.send(&h.app, "GET", "/me").await;
    assert_eq!(answer.body, "1");
    assert_eq!(h.writes(), writes + 1);
    let row = h.row(&client).await.unwrap();
    assert_eq!(row.ip, Some("2001:db8::42".parse().unwrap()));
    assert_eq!(row.user_agent.as_deref(), Some(SAFARI));
    assert_eq!(row.user_id.as_deref(), Some("1"));
}

#[tokio::test]
async fn a_session_cleared_and_refilled_by_the_handler_still_records_its_client() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&h.app, "POST", "/write").await;
    // The session was loaded as it is stored, then the handler cleared it (metadata included).
    assert_eq!(
        client.send(&h.app, "POST", "/restart").await.body,
        "restarted"
    );
    let row = h.row(&client).await.expect("row kept");
    assert_eq!(row.ip, Some("198.51.100.7".parse().unwrap()));
    assert_eq!(row.user_agent.as_deref(), Some(FIREFOX));
    assert_eq!(client.send(&h.app, "GET", "/read").await.body, "None");
}

#[tokio::test]
async fn logout_removes_the_row_and_clears_the_cookie_twice_harmlessly() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&h.app, "POST", "/login/alice/wonderland").await;
    let id = client.public_id();
    let cookie = client.cookie.clone();

    let answer = client.send(&h.app, "POST", "/logout").await;
    assert_eq!(answer.status, StatusCode::OK);
    let set_cookie = answer.set_cookie.expect("removal cookie");
    assert!(
        set_cookie.starts_with("id=;") || set_cookie.contains("Max-Age=0"),
        "{set_cookie}"
    );
    assert!(h.store.get(&id).await.unwrap().is_none());
    assert_eq!(h.rows().await, 0);

    // Again, with the old cookie (a second tab) and without one.
    client.cookie = cookie;
    let again = client.send(&h.app, "POST", "/logout").await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        client.send(&h.app, "POST", "/logout").await.status,
        StatusCode::OK
    );
    assert_eq!(client.send(&h.app, "GET", "/me").await.body, "anonymous");
    assert_eq!(h.rows().await, 0);
}

#[tokio::test]
async fn sessions_handle_lists_and_ends_only_my_sessions() {
    let h = harness(|layer| layer).await;
    let mut laptop = Client::new("198.51.100.7", FIREFOX);
    let mut phone = Client::new("203.0.113.9", SAFARI);
    let mut tablet = Client::new("203.0.113.10", SAFARI);
    let mut bob = Client::new("192.0.2.20", FIREFOX);
    laptop.send(&h.app, "POST", "/login/alice/wonderland").await;
    phone.send(&h.app, "POST", "/login/alice/wonderland").await;
    tablet.send(&h.app, "POST", "/login/alice/wonderland").await;
    bob.send(&h.app, "POST", "/login/bob/builder").await;

    let listed: serde_json::Value =
        serde_json::from_str(&laptop.send(&h.app, "GET", "/sessions").await.body).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 3);
    let current: Vec<_> = listed.iter().filter(|s| s["is_current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["id"], laptop.public_id().to_string());
    assert!(listed.iter().all(|s| s["user_id"] == "1"));

    // Bob's session is not mine to end.
    let answer = laptop
        .send(
            &h.app,
            "POST",
            &format!("/sessions/{}/end", bob.public_id()),
        )
        .await;
    assert_eq!(answer.body, "false");
    assert_eq!(bob.send(&h.app, "GET", "/me").await.body, "2");
    // Neither is a made-up one.
    let made_up = PublicId::from_secret(b"made up");
    assert_eq!(
        laptop
            .send(&h.app, "POST", &format!("/sessions/{made_up}/end"))
            .await
            .body,
        "false"
    );

    // Ending the phone makes its next request anonymous (and clears its cookie).
    let answer = laptop
        .send(
            &h.app,
            "POST",
            &format!("/sessions/{}/end", phone.public_id()),
        )
        .await;
    assert_eq!(answer.body, "true");
    let next = phone.send(&h.app, "GET", "/me").await;
    assert_eq!(next.body, "anonymous");
    assert!(next.set_cookie.is_some(), "the dead cookie is cleared");
    assert_eq!(phone.cookie, None);

    // End all others: the tablet goes, the laptop stays.
    assert_eq!(
        laptop
            .send(&h.app, "POST", "/sessions/others/end")
            .await
            .body,
        "1"
    );
    assert_eq!(tablet.send(&h.app, "GET", "/me").await.body, "anonymous");
    assert_eq!(laptop.send(&h.app, "GET", "/me").await.body, "1");

    // Ending my own current session logs me out.
    let own = laptop.public_id();
    let answer = laptop
        .send(&h.app, "POST", &format!("/sessions/{own}/end"))
        .await;
    assert_eq!(answer.body, "true");
    assert_eq!(laptop.cookie, None);
    assert_eq!(laptop.send(&h.app, "GET", "/me").await.body, "anonymous");

    // End all, from a fresh login: everything of alice's goes, bob stays.
    let mut desktop = Client::new("198.51.100.8", FIREFOX);
    desktop
        .send(&h.app, "POST", "/login/alice/wonderland")
        .await;
    laptop.send(&h.app, "POST", "/login/alice/wonderland").await;
    assert_eq!(
        desktop.send(&h.app, "POST", "/sessions/all/end").await.body,
        "2"
    );
    assert_eq!(desktop.cookie, None);
    assert_eq!(laptop.send(&h.app, "GET", "/me").await.body, "anonymous");
    assert_eq!(bob.send(&h.app, "GET", "/me").await.body, "2");

    // Anonymous callers have nothing to list or end: they are told they are not signed in.
    let mut anonymous = Client::new("192.0.2.99", FIREFOX);
    assert_eq!(
        anonymous.send(&h.app, "GET", "/sessions").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anonymous
            .send(
                &h.app,
                "POST",
                &format!("/sessions/{}/end", bob.public_id())
            )
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anonymous
            .send(&h.app, "POST", "/sessions/all/end")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(bob.send(&h.app, "GET", "/me").await.body, "2");
}

#[tokio::test]
async fn awkward_user_agents_are_stored_sensibly() {
    let h = harness(|layer| layer).await;
    let long = "x".repeat(400);
    let mut client = Client::new("198.51.100.7", &long);
    client.send(&h.app, "POST", "/write").await;
    assert_eq!(
        h.row(&client).await.unwrap().user_agent.as_deref(),
        Some(long.as_str())
    );

    let h = harness(|layer| layer.max_user_agent_len(100)).await;
    let mut client = Client::new("198.51.100.7", &long);
    client.send(&h.app, "POST", "/write").await;
    assert_eq!(h.row(&client).await.unwrap().user_agent.unwrap().len(), 100);

    // 99 ASCII bytes then a 3-byte character: the cut falls inside it.
    let multibyte = format!("{}€€€", "a".repeat(99));
    let mut client = Client::new("198.51.100.7", &multibyte);
    let answer = client.send(&h.app, "POST", "/write").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        h.row(&client).await.unwrap().user_agent.unwrap(),
        "a".repeat(99)
    );

    // Not UTF-8 at all.
    let mut client = Client::new("198.51.100.7", "");
    client.user_agent = b"Agent\xff\xfe/1.0".to_vec();
    let answer = client.send(&h.app, "POST", "/write").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        h.row(&client).await.unwrap().user_agent.as_deref(),
        Some("Agent\u{fffd}\u{fffd}/1.0")
    );
}

#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    // No trusted proxies: a spoofed X-Forwarded-For is ignored.
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.extra.push(("x-forwarded-for", b"1.2.3.4".to_vec()));
    client.extra.push(("forwarded", b"for=1.2.3.4".to_vec()));
    client.send(&h.app, "POST", "/write").await;
    assert_eq!(
        h.row(&client).await.unwrap().ip,
        Some("198.51.100.7".parse().unwrap())
    );

    // Behind a trusted proxy: the client's address from the header.
    let h = harness(|layer| layer.trusted_proxies("10.0.0.0/8".parse().unwrap())).await;
    let mut client = Client::new("10.0.0.1", FIREFOX);
    client
        .extra
        .push(("x-forwarded-for", b"6.6.6.6, 203.0.113.50".to_vec()));
    client.send(&h.app, "POST", "/write").await;
    assert_eq!(
        h.row(&client).await.unwrap().ip,
        Some("203.0.113.50".parse().unwrap())
    );

    // An invalid forwarded address: the proxy's own, nothing lost, no error.
    let mut client = Client::new("10.0.0.1", FIREFOX);
    client
        .extra
        .push(("x-forwarded-for", b"300.1.2.3".to_vec()));
    let answer = client.send(&h.app, "POST", "/write").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        h.row(&client).await.unwrap().ip,
        Some("10.0.0.1".parse().unwrap())
    );

    let mut client = Client::new("10.0.0.1", FIREFOX);
    client
        .extra
        .push(("x-forwarded-for", b"\xff garbage".to_vec()));
    assert_eq!(
        client.send(&h.app, "POST", "/write").await.status,
        StatusCode::OK
    );
    assert_eq!(
        h.row(&client).await.unwrap().ip,
        Some("10.0.0.1".parse().unwrap())
    );
}

#[tokio::test]
async fn privacy_settings_mask_the_ip_and_drop_the_agent() {
    let h = harness(|layer| layer.ip_privacy(IpPrivacy::Masked).record_user_agent(false)).await;
    let mut client = Client::new("198.51.100.77", FIREFOX);
    client
        .extra
        .push(("sec-ch-ua-platform", b"\"Linux\"".to_vec()));
    client.send(&h.app, "POST", "/write").await;
    let row = h.row(&client).await.unwrap();
    assert_eq!(row.ip, Some("198.51.100.0".parse().unwrap()));
    assert_eq!(row.user_agent, None);
    assert_eq!(row.client_hints, None);

    let h = harness(|layer| layer.ip_privacy(IpPrivacy::Off)).await;
    let mut client = Client::new("2001:db8:1:2::3", FIREFOX);
    client.send(&h.app, "POST", "/write").await;
    assert_eq!(h.row(&client).await.unwrap().ip, None);
}

#[tokio::test]
async fn garbage_unknown_and_expired_cookies_read_as_anonymous() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    for cookie in ["id=garbage", "id=%%%", "id=", "id=AAAAAAAAAAAAAAAAAAAAAA"] {
        client.cookie = Some(cookie.to_owned());
        let answer = client.send(&h.app, "GET", "/me").await;
        assert_eq!(answer.status, StatusCode::OK, "{cookie}");
        assert_eq!(answer.body, "anonymous", "{cookie}");
    }
    assert_eq!(h.rows().await, 0);

    // An expired session: anonymous, and a write starts a new one.
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&h.app, "POST", "/login/alice/wonderland").await;
    let mut record = h.store.get(&client.public_id()).await.unwrap().unwrap();
    record.info.expires_at = OffsetDateTime::now_utc() - time::Duration::minutes(1);
    h.store.save(&record).await.unwrap();
    let answer = client.send(&h.app, "GET", "/me").await;
    assert_eq!(answer.body, "anonymous");
    assert_eq!(client.cookie, None, "the expired cookie is cleared");
    let answer = client.send(&h.app, "POST", "/write").await;
    assert_eq!(answer.body, "1", "the old data is not resurrected");
}

#[tokio::test]
async fn ten_thousand_read_only_requests_write_nothing_after_the_first() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&h.app, "POST", "/login/alice/wonderland").await;
    let writes = h.writes();
    for n in 0..10_000 {
        let uri = if n % 2 == 0 { "/me" } else { "/read" };
        let answer = client.send(&h.app, "GET", uri).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.set_cookie, None);
    }
    // Within the 60 s activity interval: not a single write (a run that crosses the
    // interval would write once).
    let read_writes = h.writes() - writes;
    println!("10 000 read-only requests on one session: {read_writes} row writes");
    assert!(read_writes <= 1, "{read_writes} writes");
}

#[tokio::test]
async fn stale_activity_is_refreshed_by_a_read() {
    let h = harness(|layer| layer.activity_interval(std::time::Duration::ZERO)).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&h.app, "POST", "/login/alice/wonderland").await;
    let before = h.row(&client).await.unwrap();
    let writes = h.writes();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    client.send(&h.app, "GET", "/me").await;
    assert_eq!(h.writes(), writes + 1);
    let after = h.row(&client).await.unwrap();
    assert!(after.last_activity > before.last_activity);
    assert_eq!(after.authenticated_at, before.authenticated_at);
}

#[tokio::test]
async fn a_database_that_is_down_answers_503_never_500_or_a_panic() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&h.app, "POST", "/login/alice/wonderland").await;
    let mut anonymous = Client::new("203.0.113.1", FIREFOX);
    h.backend.down.store(true, Ordering::SeqCst);

    // Loading fails inside axum-login's layer.
    assert_eq!(
        client.send(&h.app, "GET", "/me").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // Loading fails inside the handler.
    assert_eq!(
        client.send(&h.app, "GET", "/read").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // Saving a new session fails inside tower-sessions' layer, after the handler.
    assert_eq!(
        anonymous.send(&h.app, "POST", "/write").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // Logging out fails.
    assert_eq!(
        client.send(&h.app, "POST", "/logout").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // Requests that do not need the database still work.
    assert_eq!(
        anonymous.send(&h.app, "GET", "/untouched").await.status,
        StatusCode::OK
    );

    h.backend.down.store(false, Ordering::SeqCst);
    assert_eq!(client.send(&h.app, "GET", "/me").await.body, "1");
}

#[tokio::test]
async fn sessions_handle_errors_map_to_503() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&h.app, "POST", "/login/alice/wonderland").await;
    // Load the session, then fail the list query only: run the handle by hand.
    let answer = {
        h.backend.down.store(true, Ordering::SeqCst);
        client.send(&h.app, "GET", "/sessions").await
    };
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
}

/// A migrated SQLite store in `dir`, for tests that build their own application.
async fn migrated_store(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&format!("sqlite://{}", dir.path().join("s.db").display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store
}

#[tokio::test]
async fn applications_without_axum_login_bind_the_user_with_set_user() {
    let dir = tempfile::tempdir().unwrap();
    let store = migrated_store(&dir).await;
    let session_store = UserSessionStore::new(store.clone());
    let app = Router::new()
        .route(
            "/login/{user}",
            post(|session: Session, Path(user): Path<String>| async move {
                session.cycle_id().await?;
                set_user(&session, &user).await?;
                Ok::<_, Error>("ok")
            }),
        )
        .route(
            "/whoami",
            get(|sessions: Sessions| async move {
                Ok::<_, Error>(format!("{:?}", sessions.user_id().await?))
            }),
        )
        .layer(
            UserSessionsLayer::new(session_store.clone())
                .around(SessionManagerLayer::new(session_store)),
        );
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&app, "POST", "/login/u-42").await;
    let row = store.get(&client.public_id()).await.unwrap().unwrap();
    assert_eq!(row.user_id.as_deref(), Some("u-42"));
    assert!(row.authenticated_at.is_some());
    assert_eq!(
        client.send(&app, "GET", "/whoami").await.body,
        "Some(\"u-42\")"
    );
    assert_eq!(store.user_sessions("u-42").await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_request_that_never_touches_its_session_costs_no_load() {
    let h = plain_harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&h.app, "POST", "/write").await;
    let (loads, writes) = (h.loads(), h.writes());
    let before = h.row(&client).await.unwrap();
    let loads = loads + 1; // that `row`

    // Fresh activity, same client: no load, no write, however many requests.
    for _ in 0..100 {
        let answer = client.send(&h.app, "GET", "/untouched").await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.set_cookie, None);
    }
    // The first untouched request did not know the session yet: one narrow touch, no load.
    assert_eq!(h.loads(), loads, "no request loaded the session");
    assert!(h.writes() - writes <= 1, "{} writes", h.writes() - writes);
    let writes = h.writes();

    // The client moved: one touch records it, still without a load.
    client.ip = SocketAddr::new("2001:db8::7".parse().unwrap(), 443);
    client.user_agent = SAFARI.as_bytes().to_vec();
    client.send(&h.app, "GET", "/untouched").await;
    client.send(&h.app, "GET", "/untouched").await;
    assert_eq!(h.writes(), writes + 1);
    assert_eq!(h.loads(), loads);
    let after = h.row(&client).await.unwrap();
    assert_eq!(after.ip, Some("2001:db8::7".parse().unwrap()));
    assert_eq!(after.user_agent.as_deref(), Some(SAFARI));
    assert!(after.last_activity >= before.last_activity);
    assert_eq!(after.created_at, before.created_at);
    // The data is untouched.
    assert_eq!(client.send(&h.app, "GET", "/read").await.body, "Some(1)");
}

#[tokio::test]
async fn untouched_requests_refresh_stale_activity_with_a_touch_and_never_revive() {
    let h = plain_harness(|layer| layer.activity_interval(std::time::Duration::ZERO)).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.send(&h.app, "POST", "/write").await;
    let loads = h.loads();
    let writes = h.writes();
    for _ in 0..3 {
        client.send(&h.app, "GET", "/untouched").await;
    }
    assert_eq!(
        h.writes(),
        writes + 3,
        "a zero interval records every request"
    );
    assert_eq!(h.loads(), loads);

    // Ended elsewhere: the touch writes nothing, and nothing comes back.
    h.store.delete(&client.public_id()).await.unwrap();
    client.send(&h.app, "GET", "/untouched").await;
    assert!(h.store.get(&client.public_id()).await.unwrap().is_none());
    assert_eq!(h.rows().await, 0);
    // Known to be gone: later requests do not even try.
    let writes = h.writes();
    client.send(&h.app, "GET", "/untouched").await;
    assert_eq!(h.writes(), writes);
}

#[tokio::test]
async fn a_deactivated_user_is_anonymous_and_their_session_is_ended() {
    let h = harness(|layer| layer).await;
    let mut alice = Client::new("198.51.100.7", FIREFOX);
    let mut bob = Client::new("192.0.2.20", FIREFOX);
    alice.send(&h.app, "POST", "/login/alice/wonderland").await;
    bob.send(&h.app, "POST", "/login/bob/builder").await;
    let id = alice.public_id();
    assert_eq!(
        alice.send(&h.app, "GET", "/sessions").await.status,
        StatusCode::OK
    );

    // The application deactivates alice: axum-login's `get_user` no longer finds her.
    h.users.deactivate(1);
    let answer = alice.send(&h.app, "GET", "/sessions").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(h.store.get(&id).await.unwrap().is_none(), "her row is gone");
    assert_eq!(alice.cookie, None, "her cookie is cleared");
    assert!(h.store.user_sessions("1").await.unwrap().is_empty());
    // Bob is not affected.
    assert_eq!(bob.send(&h.app, "GET", "/me").await.body, "2");
    assert_eq!(
        bob.send(&h.app, "GET", "/sessions").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_rejected_session_can_be_kept_but_is_still_anonymous() {
    let h = harness(|layer| layer.end_rejected_sessions(false)).await;
    let mut alice = Client::new("198.51.100.7", FIREFOX);
    alice.send(&h.app, "POST", "/login/alice/wonderland").await;
    let id = alice.public_id();
    h.users.deactivate(1);
    assert_eq!(
        alice.send(&h.app, "GET", "/sessions").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        h.store.get(&id).await.unwrap().is_some(),
        "kept, as configured"
    );
}

#[tokio::test]
async fn the_stored_user_alone_signs_nobody_in() {
    // Sessions carry axum-login's user, but the layer was not told to ask axum-login: the
    // stored id is not proof of anything, so the request is anonymous.
    let dir = tempfile::tempdir().unwrap();
    let store = migrated_store(&dir).await;
    let session_store = UserSessionStore::new(store.clone());
    let auth = AuthManagerLayerBuilder::new(
        Users::new(),
        SessionManagerLayer::new(session_store.clone()),
    )
    .build();
    let app = Router::new()
        .route("/login/{name}/{password}", post(login))
        .route("/sessions", get(list))
        .layer(UserSessionsLayer::new(session_store).around(auth));
    let mut alice = Client::new("198.51.100.7", FIREFOX);
    alice.send(&app, "POST", "/login/alice/wonderland").await;
    assert_eq!(store.user_sessions("1").await.unwrap().len(), 1);
    assert_eq!(
        alice.send(&app, "GET", "/sessions").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn ending_everything_deletes_each_row_once() {
    let h = harness(|layer| layer).await;
    let mut laptop = Client::new("198.51.100.7", FIREFOX);
    let mut phone = Client::new("203.0.113.9", SAFARI);
    laptop.send(&h.app, "POST", "/login/alice/wonderland").await;
    phone.send(&h.app, "POST", "/login/alice/wonderland").await;
    let deletes = h.backend.deletes.load(Ordering::SeqCst);
    assert_eq!(
        laptop.send(&h.app, "POST", "/sessions/all/end").await.body,
        "2"
    );
    assert_eq!(laptop.cookie, None);
    assert_eq!(
        h.backend.deletes.load(Ordering::SeqCst),
        deletes,
        "one DELETE of the user's rows, no second one for the current session"
    );
    assert_eq!(h.rows().await, 0);
}

#[tokio::test]
async fn the_handle_without_the_layer_is_a_500_not_a_panic() {
    let app = Router::new().route(
        "/sessions",
        get(|sessions: Sessions| async move {
            Ok::<_, Error>(format!("{}", sessions.list().await?.len()))
        }),
    );
    let mut client = Client::new("198.51.100.7", FIREFOX);
    assert_eq!(
        client.send(&app, "GET", "/sessions").await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}
