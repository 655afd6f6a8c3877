//! What the account-page and admin tests share: an application on a fresh SQLite file (our
//! store, tower-sessions, the layer, the routes under test and a sign-in route), and the one
//! test client ([`client`]), which sends requests through its router one by one, keeping its
//! cookies the way a browser does. Each test's support module adds the routes and the requests
//! it needs.
#![allow(dead_code)]

mod client;

pub use client::{Answer, Client, HOST};

use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::post;
use tower_sessions::{Session, SessionManagerLayer};
use user_sessions::Store;
use user_sessions_axum::pages::rotate_csrf_token;
use user_sessions_axum::{UserSessionStore, UserSessionsLayer, set_user};

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

impl std::ops::Deref for App {
    type Target = Router;

    /// The router: what a [`Client`] sends its requests through.
    fn deref(&self) -> &Router {
        &self.router
    }
}

impl Client {
    /// Signs this client in as `user` (`POST /test/sign-in/{user}`): a new session id.
    pub async fn sign_in(&mut self, app: &App, user: &str) {
        let request = self.request("POST", &format!("/test/sign-in/{user}"));
        let answer = self.send(app, request).await;
        assert_eq!(answer.status, StatusCode::NO_CONTENT, "sign-in");
    }
}
