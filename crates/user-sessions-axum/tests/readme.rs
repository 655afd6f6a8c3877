//! The README's quick start, as written: its lines stand below between two markers, compiled
//! and served over TCP, and a test checks that the README still shows exactly those lines.
#![cfg(feature = "axum-login")]

use std::collections::HashMap;
use std::net::SocketAddr;

use axum_login::{AuthUser, AuthnBackend, UserId};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use user_sessions_axum::UserSessionStore;

/// The application's user, as axum-login knows it.
#[derive(Clone, Debug)]
struct User(i64);

const AUTH_HASH: &[u8] = b"password-hash";

impl AuthUser for User {
    type Id = i64;

    fn id(&self) -> i64 {
        self.0
    }

    fn session_auth_hash(&self) -> &[u8] {
        AUTH_HASH
    }
}

/// The application's axum-login backend: user 42 exists.
#[derive(Clone, Debug)]
struct Backend;

impl AuthnBackend for Backend {
    type User = User;
    type Credentials = ();
    type Error = std::convert::Infallible;

    async fn authenticate(&self, (): ()) -> Result<Option<User>, Self::Error> {
        Ok(None)
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<User>, Self::Error> {
        Ok((*id == 42).then_some(User(42)))
    }
}

/// The quick start, serving on `listener` until the test ends. (Not formatted: its lines are
/// the README's.)
#[rustfmt::skip]
async fn quick_start(
    backend: Backend,
    listener: tokio::net::TcpListener,
) -> Result<(), Box<dyn std::error::Error>> {
    // README quick start: begin
    use axum::{Json, Router, routing::get};
    use axum_login::AuthManagerLayerBuilder;
    use tower_sessions::SessionManagerLayer;
    use user_sessions_axum::{Error, Sessions, UserSessionStore, UserSessionsLayer};

    let store = user_sessions::Store::open("sqlite://sessions.db").await?;
    store.migrate().await?; // once, at deploy time
    let session_store = UserSessionStore::new(store);
    let auth = AuthManagerLayerBuilder::new(backend, SessionManagerLayer::new(session_store.clone())).build();

    let app = Router::new()
        .route("/my-sessions", get(|s: Sessions| async move { Ok::<_, Error>(Json(s.list().await?)) }))
        .layer(UserSessionsLayer::new(session_store).axum_login::<Backend>().around(auth));
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await?;
    // README quick start: end
    Ok(())
}

/// The lines of `text` between the first line containing `begin` and the next one containing
/// `end`, each without its indentation.
fn lines_between<'a>(text: &'a str, begin: &str, end: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|line| !line.contains(begin))
        .skip(1)
        .take_while(|line| !line.contains(end))
        .map(str::trim)
        .collect()
}

#[test]
fn the_readme_shows_the_quick_start_that_is_tested_here() {
    let readme = include_str!("../../../README.md");
    let after_heading = readme
        .split_once("## Quick start")
        .expect("the README has a quick start")
        .1;
    let shown = lines_between(after_heading, "```rust", "```");
    let tested = lines_between(
        include_str!("readme.rs"),
        "// README quick start: begin",
        "// README quick start: end",
    );
    assert!(!shown.is_empty());
    assert_eq!(
        shown, tested,
        "the README's quick start and this test's copy differ: change both together"
    );
}

/// Sends one `GET` over a fresh connection and returns the status code and the body.
async fn get(address: SocketAddr, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let cookie = cookie.map_or_else(String::new, |id| format!("Cookie: id={id}\r\n"));
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{cookie}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("an HTTP status line");
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    (status, body.to_owned())
}

#[tokio::test]
async fn the_quick_start_lists_the_sessions_of_the_user_axum_login_verified() {
    // The quick start names its database relative to the working directory.
    let dir = tempfile::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        if let Err(error) = quick_start(Backend, listener).await {
            panic!("the quick start stopped: {error}");
        }
    });

    // Nobody is signed in: 401 (the answer also says the store is open and migrated).
    assert_eq!(get(address, "/my-sessions", None).await.0, 401);

    // A session axum-login signed user 42 in with, stored as axum-login stores it.
    let store = user_sessions::Store::open("sqlite://sessions.db")
        .await
        .unwrap();
    let mut record = Record {
        id: Id::default(),
        data: HashMap::from([(
            "axum-login.data".to_owned(),
            serde_json::json!({"user_id": 42, "auth_hash": AUTH_HASH}),
        )]),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    UserSessionStore::new(store)
        .create(&mut record)
        .await
        .unwrap();

    let (status, body) = get(address, "/my-sessions", Some(&record.id.to_string())).await;
    assert_eq!(status, 200, "{body}");
    let sessions: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(sessions.len(), 1, "{body}");
    assert_eq!(sessions[0]["user_id"], "42");
    assert_eq!(sessions[0]["is_current"], true);

    // After that response the layer recorded the client: the next listing shows it.
    let (_, body) = get(address, "/my-sessions", Some(&record.id.to_string())).await;
    let sessions: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(sessions[0]["ip"], "127.0.0.1", "{body}");

    server.abort();
}
