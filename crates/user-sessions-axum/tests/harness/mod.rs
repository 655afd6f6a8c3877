//! What the account-page and admin tests share: an application on a fresh SQLite file (our
//! store, tower-sessions, the layer, the routes under test and a sign-in route), and a client
//! that sends requests through its router one by one, keeping its cookie the way a browser
//! does. Each test's support module adds the routes and the requests it needs.
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
use user_sessions::Store;
use user_sessions_axum::pages::rotate_csrf_token;
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
    /// `routes` and `POST /test/sign-in/{user}` behind the layer and tower-sessions, on our
    /// store on a new SQLite file.
    pub async fn serving(routes: Router) -> App {
        App::serving_with(routes, |store| store).await
    }

    /// [`serving`](Self::serving) on the store as `configure` sets it up.
    pub async fn serving_with(routes: Router, configure: impl FnOnce(Store) -> Store) -> App {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
        let store = configure(Store::open(&url).await.expect("open SQLite"));
        store.migrate().await.expect("migrate");
        let session_store = UserSessionStore::new(store.clone());
        let router = routes.route("/test/sign-in/{user}", post(sign_in)).layer(
            UserSessionsLayer::new(session_store.clone())
                .around(SessionManagerLayer::new(session_store)),
        );
        App::with_router(router, store, dir)
    }

    /// An application built elsewhere, on `store` in `dir`.
    pub fn with_router(router: Router, store: Store, dir: tempfile::TempDir) -> App {
        App {
            router,
            store,
            _dir: dir,
        }
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

    /// Signs this client in as `user` (`POST /test/sign-in/{user}`): a new session id.
    pub async fn sign_in(&mut self, app: &App, user: &str) {
        let request = self.request("POST", &format!("/test/sign-in/{user}"));
        let answer = self.send(app, request).await;
        assert_eq!(answer.status, StatusCode::NO_CONTENT, "sign-in");
    }

    /// A form `POST` the way a browser sends it from the page (same origin).
    pub async fn post_form(&mut self, app: &App, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let request = self
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, format!("https://{HOST}"))
            .header("sec-fetch-site", "same-origin");
        self.send_body(app, request, Body::from(body)).await
    }
}
