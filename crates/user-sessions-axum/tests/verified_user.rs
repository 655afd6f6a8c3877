//! The pages and the admin act for the user axum-login verified, never for the user id a
//! session merely carries: when the application stops accepting a user (deactivated,
//! deleted), their sessions stop working at once and are ended.
#![cfg(all(feature = "admin", feature = "axum-login"))]

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::routing::post;
use axum_login::{AuthManagerLayerBuilder, AuthSession, AuthUser, AuthnBackend, UserId};
use tower_sessions::SessionManagerLayer;
use user_sessions::Store;
use user_sessions::events::{EndedBy, Event};
use user_sessions_axum::pages::rotate_csrf_token;
use user_sessions_axum::{UserSessionStore, UserSessionsLayer};

mod admin_support;

use admin_support::{Answer, App, Client};

#[derive(Clone, Debug)]
struct User(i64);

impl AuthUser for User {
    type Id = i64;

    fn id(&self) -> i64 {
        self.0
    }

    fn session_auth_hash(&self) -> &[u8] {
        b"unchanged"
    }
}

/// Users 1 (alice, staff) and 2 (bob); those in `deactivated` are no longer found.
#[derive(Clone, Debug, Default)]
struct Users {
    deactivated: Arc<Mutex<HashSet<i64>>>,
}

impl AuthnBackend for Users {
    type User = User;
    type Credentials = i64;
    type Error = std::convert::Infallible;

    async fn authenticate(&self, id: i64) -> Result<Option<User>, Self::Error> {
        self.get_user(&id).await
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<User>, Self::Error> {
        let known = (1..=2).contains(id) && !self.deactivated.lock().unwrap().contains(id);
        Ok(known.then_some(User(*id)))
    }
}

async fn sign_in(mut auth: AuthSession<Users>, Path(id): Path<i64>) -> StatusCode {
    let Ok(Some(user)) = auth.authenticate(id).await else {
        return StatusCode::UNAUTHORIZED;
    };
    if auth.login(&user).await.is_err() || rotate_csrf_token(&auth.session).await.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    StatusCode::NO_CONTENT
}

async fn app(users: Users) -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("s.db").display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let session_store = UserSessionStore::new(store.clone());
    let auth = AuthManagerLayerBuilder::new(users, SessionManagerLayer::new(session_store.clone()))
        .build();
    let router = admin_support::routes(|admin| admin)
        .route("/test/sign-in/{user}", post(sign_in))
        .layer(
            UserSessionsLayer::new(session_store)
                .axum_login::<Users>()
                .around(auth),
        );
    App::with_router(router, store, dir)
}

async fn fetch(client: &mut Client, app: &App, uri: &str, accept: &str) -> Answer {
    let request = client.request("GET", uri).header(header::ACCEPT, accept);
    client.send(app, request).await
}

async fn get(client: &mut Client, app: &App, uri: &str) -> Answer {
    fetch(client, app, uri, "text/html").await
}

async fn get_json(client: &mut Client, app: &App, uri: &str) -> Answer {
    fetch(client, app, uri, "application/json").await
}

#[tokio::test]
async fn a_user_the_application_no_longer_accepts_loses_pages_admin_and_sessions() {
    let users = Users::default();
    let app = app(users.clone()).await;
    let mut alice = Client::new("198.51.100.7", "Firefox");
    alice.sign_in(&app, "1").await;
    let mut bob = Client::new("192.0.2.20", "Firefox");
    bob.sign_in(&app, "2").await;
    assert_eq!(
        get(&mut alice, &app, "/account/sessions/").await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&mut alice, &app, "/admin/sessions/").await.status,
        StatusCode::OK
    );
    assert_eq!(app.store.user_sessions("1").await.unwrap().len(), 1);

    // Alice is deactivated; her browser comes back.
    let mut events = app.store.events().subscribe(16);
    users.deactivated.lock().unwrap().insert(1);
    let page = get(&mut alice, &app, "/account/sessions/").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "to the sign-in page");
    assert!(page.location().unwrap_or_default().starts_with("/login"));
    assert!(
        app.store.user_sessions("1").await.unwrap().is_empty(),
        "her session is ended"
    );
    let ended = std::iter::from_fn(|| events.try_recv())
        .find(|event| matches!(event, Event::Ended { .. }))
        .expect("her session's end is reported");
    assert!(
        matches!(
            ended,
            Event::Ended {
                by: EndedBy::UserNotAccepted,
                ..
            }
        ),
        "{ended:?}"
    );
    let admin = get(&mut alice, &app, "/admin/sessions/").await;
    assert!(
        matches!(admin.status, StatusCode::SEE_OTHER | StatusCode::FORBIDDEN),
        "{}",
        admin.status
    );
    let json = get_json(&mut alice, &app, "/account/sessions/").await;
    assert_eq!(json.status, StatusCode::UNAUTHORIZED);

    // Bob is unaffected.
    assert_eq!(
        get(&mut bob, &app, "/account/sessions/").await.status,
        StatusCode::OK
    );
    assert_eq!(app.store.user_sessions("2").await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_staff_member_no_longer_accepted_sees_no_admin() {
    let users = Users::default();
    let app = app(users.clone()).await;
    let mut alice = Client::new("198.51.100.7", "Firefox");
    alice.sign_in(&app, "1").await;
    let listed = get_json(&mut alice, &app, "/admin/sessions/").await;
    assert_eq!(listed.status, StatusCode::OK);

    users.deactivated.lock().unwrap().insert(1);
    let listed = get_json(&mut alice, &app, "/admin/sessions/").await;
    assert_eq!(listed.status, StatusCode::UNAUTHORIZED, "{}", listed.body);
    assert!(!listed.body.contains("198.51.100.7"), "no session is shown");
    assert!(app.store.user_sessions("1").await.unwrap().is_empty());
}
