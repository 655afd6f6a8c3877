//! The application the admin tests drive: our store on a SQLite file, tower-sessions, the
//! layer, the account pages, the admin (alice is staff), a sign-in route, and a user directory
//! of four people. Sessions of other browsers are written straight into the store, each with
//! the user, address and times a test needs.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path};
use axum::http::{Request, StatusCode, header};
use axum::routing::post;
use http_body_util::BodyExt;
use serde_json::Value;
use time::{Duration, OffsetDateTime};
use tower::ServiceExt;
use tower_sessions::{Session, SessionManagerLayer};
use user_sessions::{PublicId, SessionRecord, Store};
use user_sessions_axum::admin::{Admin, AdminBuilder, UserDirectory};
use user_sessions_axum::pages::{BoxError, Pages, rotate_csrf_token};
use user_sessions_axum::{UserSessionStore, UserSessionsLayer, set_user};

pub const HOST: &str = "sessions.test";
pub const ADMIN: &str = "/admin/sessions/";
pub const FIREFOX: &str =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:120.0) Gecko/20100101 Firefox/120.0";
pub const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
    (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/// `(id, username, name, email)`; alice (1) is staff.
pub const PEOPLE: [(&str, &str, &str, &str); 4] = [
    ("1", "alice", "Alice Liddell", "alice@example.com"),
    ("2", "bob", "Bob Builder", "bob@builders.example"),
    ("3", "carol", "Carol Danvers", "carol@example.com"),
    ("4", "dave", "Dave Bowman", "dave@example.com"),
];

/// The directory: display name "Name (username)"; search by exact username, or a part of
/// the name or email, ignoring case.
pub struct People;

impl UserDirectory for People {
    async fn display_names(&self, ids: &[String]) -> Result<HashMap<String, String>, BoxError> {
        Ok(PEOPLE
            .iter()
            .filter(|(id, ..)| ids.iter().any(|wanted| wanted == id))
            .map(|(id, username, name, _)| (id.to_string(), format!("{name} ({username})")))
            .collect())
    }

    async fn search(&self, text: &str) -> Result<Vec<String>, BoxError> {
        let text = text.to_lowercase();
        Ok(PEOPLE
            .iter()
            .filter(|(_, username, name, email)| {
                *username == text
                    || name.to_lowercase().contains(&text)
                    || email.to_lowercase().contains(&text)
            })
            .map(|(id, ..)| id.to_string())
            .collect())
    }
}

pub struct App {
    pub router: Router,
    pub store: Store,
    _dir: tempfile::TempDir,
}

/// Signs the session in as `user` the way a login does: new id, user bound, fresh token.
async fn sign_in(session: Session, Path(user): Path<String>) -> StatusCode {
    if session.cycle_id().await.is_err() || set_user(&session, user).await.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    match rotate_csrf_token(&session).await {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl App {
    pub async fn new() -> App {
        App::with(|admin| admin).await
    }

    pub async fn with(configure: impl FnOnce(AdminBuilder) -> AdminBuilder) -> App {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
        let store = Store::open(&url).await.expect("open SQLite");
        store.migrate().await.expect("migrate");
        let session_store = UserSessionStore::new(store.clone());
        let pages = Pages::builder()
            .login_url("/login")
            .logout_url("/signed-out")
            .build()
            .expect("pages");
        let admin = configure(Admin::builder(
            pages.clone(),
            People,
            |user: String| async move { Ok::<_, std::convert::Infallible>(user == "1") },
        ))
        .build()
        .expect("admin");
        let router = Router::new()
            .merge(pages.router())
            .merge(admin.router())
            .route("/test/sign-in/{user}", post(sign_in))
            .layer(
                UserSessionsLayer::new(session_store.clone())
                    .around(SessionManagerLayer::new(session_store)),
            );
        App {
            router,
            store,
            _dir: dir,
        }
    }

    /// A client signed in as `user` (its row carries its address and agent).
    pub async fn signed_in(&self, user: &str, ip: &str) -> Client {
        let mut client = Client::new(ip);
        let answer = client
            .send(
                self,
                client.request("POST", &format!("/test/sign-in/{user}")),
            )
            .await;
        assert_eq!(answer.status, StatusCode::NO_CONTENT, "sign-in");
        // A second request stores the metadata on the new row.
        let answer = client
            .send(
                self,
                client
                    .request("GET", "/account/sessions/")
                    .header(header::ACCEPT, "application/json"),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        client
    }

    /// Writes a session of another browser: `n` names it, `age` is how long ago it was last
    /// used, `expires_in` when it expires (negative: it has).
    pub async fn add(
        &self,
        n: u64,
        user: Option<&str>,
        ip: &str,
        age: Duration,
        expires_in: Duration,
    ) -> PublicId {
        let record = record(n, user, ip, age, expires_in);
        let id = record.info.id;
        self.store.save(&record).await.expect("save");
        id
    }

    /// Whether a session is still stored.
    pub async fn exists(&self, id: &PublicId) -> bool {
        self.store.get(id).await.expect("get").is_some()
    }
}

/// A session record for [`App::add`].
pub fn record(
    n: u64,
    user: Option<&str>,
    ip: &str,
    age: Duration,
    expires_in: Duration,
) -> SessionRecord {
    let now = OffsetDateTime::now_utc();
    let mut record = SessionRecord::new(PublicId::from_secret(&n.to_le_bytes()), now + expires_in);
    record.info.user_id = user.map(str::to_owned);
    record.info.ip = Some(ip.parse().expect("ip"));
    record.info.user_agent = Some(CHROME.to_owned());
    record.info.last_activity = now - age;
    record.info.created_at = now - age - Duration::hours(1);
    record.info.authenticated_at = user.map(|_| now - age - Duration::minutes(30));
    record
        .data
        .insert("cart".into(), serde_json::json!(["book", "lamp"]));
    record
}

#[derive(Clone, Debug)]
pub struct Client {
    pub cookie: Option<String>,
    pub ip: SocketAddr,
}

#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Client {
    pub fn new(ip: &str) -> Self {
        Client {
            cookie: None,
            ip: SocketAddr::new(ip.parse().expect("ip"), 40000),
        }
    }

    /// The secret session id in the cookie.
    pub fn secret(&self) -> Option<String> {
        self.cookie
            .as_deref()
            .and_then(|c| c.strip_prefix("id="))
            .map(str::to_owned)
    }

    pub fn request(&self, method: &str, uri: &str) -> axum::http::request::Builder {
        let mut builder = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, HOST)
            .header(header::USER_AGENT, FIREFOX)
            .extension(ConnectInfo(self.ip));
        if let Some(cookie) = &self.cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        builder
    }

    pub async fn send(&mut self, app: &App, request: axum::http::request::Builder) -> Answer {
        self.send_body(app, request, Body::empty()).await
    }

    pub async fn send_body(
        &mut self,
        app: &App,
        request: axum::http::request::Builder,
        body: Body,
    ) -> Answer {
        let request = request.body(body).expect("request");
        let response = app.router.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let value = value.to_str().expect("cookie header");
            let pair = value.split(';').next().unwrap_or_default().trim();
            let expired = value.contains("Max-Age=0") || pair == "id=";
            self.cookie = if expired { None } else { Some(pair.to_owned()) };
        }
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// `GET` as a browser.
    pub async fn page(&mut self, app: &App, uri: &str) -> Answer {
        let request = self
            .request("GET", uri)
            .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8");
        self.send(app, request).await
    }

    /// `GET` as JSON, expecting `200`.
    pub async fn json(&mut self, app: &App, uri: &str) -> Value {
        let answer = self.get_json(app, uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
        answer.json()
    }

    /// `GET` as JSON, any answer.
    pub async fn get_json(&mut self, app: &App, uri: &str) -> Answer {
        let request = self
            .request("GET", uri)
            .header(header::ACCEPT, "application/json");
        self.send(app, request).await
    }

    /// The public ids of a JSON list, in order.
    pub async fn ids(&mut self, app: &App, uri: &str) -> Vec<String> {
        ids(&self.json(app, uri).await)
    }

    /// This client's CSRF token (from the admin list).
    pub async fn token(&mut self, app: &App) -> String {
        self.json(app, ADMIN).await["csrf_token"]
            .as_str()
            .expect("csrf_token")
            .to_owned()
    }

    /// A form `POST` the way a browser sends it from the page (same origin).
    pub async fn post_form(&mut self, app: &App, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let request = self
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header("sec-fetch-site", "same-origin");
        self.send_body(app, request, Body::from(body)).await
    }

    /// A script's `POST` of JSON with the token in the header.
    pub async fn post_json(&mut self, app: &App, uri: &str, token: &str, body: Value) -> Answer {
        let request = self
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header("x-csrf-token", token)
            .header(header::ORIGIN, format!("http://{HOST}"));
        self.send_body(app, request, Body::from(body.to_string()))
            .await
    }
}

/// The public ids of a JSON list, in order.
pub fn ids(list: &Value) -> Vec<String> {
    list["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect()
}

/// The text form of a public id.
pub fn hex(id: &PublicId) -> String {
    id.to_string()
}
