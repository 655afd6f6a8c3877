//! The application the account-page tests drive: our store on a SQLite file, tower-sessions,
//! the layer, the pages' router, and a sign-in route (`set_user`). Requests go through the
//! router one by one, each from a small client with its own cookie, address and user agent.
#![allow(dead_code)]

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path};
use axum::http::{Request, StatusCode, header};
use axum::routing::post;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use tower_sessions::{Session, SessionManagerLayer};
use user_sessions::{PublicId, Store};
use user_sessions_axum::pages::{Pages, PagesBuilder, rotate_csrf_token};
use user_sessions_axum::{UserSessionStore, UserSessionsLayer, set_user};

pub const HOST: &str = "sessions.test";

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
    pub async fn new(configure: impl FnOnce(PagesBuilder) -> PagesBuilder) -> App {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
        let store = Store::open(&url).await.expect("open SQLite");
        store.migrate().await.expect("migrate");
        let session_store = UserSessionStore::new(store.clone());
        let pages: Pages = configure(Pages::builder().logout_url("/signed-out"))
            .build()
            .expect("pages");
        let router = Router::new()
            .merge(pages.router())
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

    /// A client signed in as `user`.
    pub async fn signed_in(&self, user: &str, ip: &str, user_agent: &str) -> Client {
        let mut client = Client::new(ip, user_agent);
        let answer = client
            .send(
                self,
                client.request("POST", &format!("/test/sign-in/{user}")),
            )
            .await;
        assert_eq!(answer.status, StatusCode::NO_CONTENT, "sign-in");
        // A second request stores the client's metadata on the new row and gives a token.
        let list = client.json_list(self).await;
        assert!(list["sessions"].is_array());
        client
    }

    /// The public ids of the user's live sessions.
    pub async fn session_ids(&self, user: &str) -> Vec<PublicId> {
        self.store
            .user_sessions(user)
            .await
            .expect("user sessions")
            .into_iter()
            .map(|s| s.id)
            .collect()
    }
}

#[derive(Clone, Debug)]
pub struct Client {
    pub cookie: Option<String>,
    pub ip: SocketAddr,
    pub user_agent: String,
    pub accept_language: Option<String>,
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
    pub fn new(ip: &str, user_agent: &str) -> Self {
        Client {
            cookie: None,
            ip: SocketAddr::new(ip.parse().expect("ip"), 40000),
            user_agent: user_agent.to_owned(),
            accept_language: None,
        }
    }

    /// The secret session id in the cookie (to check it never shows up anywhere).
    pub fn secret(&self) -> Option<String> {
        self.cookie
            .as_deref()
            .and_then(|c| c.strip_prefix("id="))
            .map(str::to_owned)
    }

    /// A request from this client: its cookie, address, agent, same-origin host.
    pub fn request(&self, method: &str, uri: &str) -> axum::http::request::Builder {
        let mut builder = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, HOST)
            .header(header::USER_AGENT, &self.user_agent)
            .extension(ConnectInfo(self.ip));
        if let Some(cookie) = &self.cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        if let Some(language) = &self.accept_language {
            builder = builder.header(header::ACCEPT_LANGUAGE, language);
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

    /// `GET /account/sessions/` as a browser.
    pub async fn page(&mut self, app: &App) -> Answer {
        let request = self
            .request("GET", "/account/sessions/")
            .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8");
        self.send(app, request).await
    }

    /// `GET /account/sessions/` as JSON.
    pub async fn json_list(&mut self, app: &App) -> Value {
        let request = self
            .request("GET", "/account/sessions/")
            .header(header::ACCEPT, "application/json");
        let answer = self.send(app, request).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.json()
    }

    /// This client's CSRF token (from the JSON list).
    pub async fn token(&mut self, app: &App) -> String {
        self.json_list(app).await["csrf_token"]
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

    /// A script's `DELETE` with the token in the header.
    pub async fn delete(&mut self, app: &App, uri: &str, token: &str) -> Answer {
        let request = self
            .request("DELETE", uri)
            .header("x-csrf-token", token)
            .header(header::ORIGIN, format!("http://{HOST}"));
        self.send(app, request).await
    }
}

pub const FIREFOX_MAC: &str =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:120.0) Gecko/20100101 Firefox/120.0";
pub const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) \
    AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
pub const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
    (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
