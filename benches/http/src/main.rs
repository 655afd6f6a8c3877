//! The HTTP benchmark app: the same axum + axum-login application on one SQLite file, with
//! either our store (`--store ours`) or tower-sessions-sqlx-store's `SqliteStore`
//! (`--store sqlx`). On start it seeds `--sessions` signed-in sessions and writes their
//! cookies, one per line, to `--cookies`; then it serves on 127.0.0.1:`--port`.
//!
//! Routes: `GET /read` (the signed-in user's id, read through axum-login), `GET /write` (a
//! counter in the session, incremented), `GET /untouched` (no session layers: the ceiling).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::str::FromStr;

use axum::Router;
use axum::routing::get;
use axum_login::{AuthManagerLayerBuilder, AuthSession, AuthUser, AuthnBackend, UserId};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tower_sessions::session::{Id, Record};
use tower_sessions::{Session, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::SqliteStore;
use user_sessions_axum::{UserSessionStore, UserSessionsLayer};

#[derive(Clone, Debug)]
struct User {
    id: i64,
}

/// Every user's auth hash: fixed, so that seeded sessions verify.
const AUTH_HASH: &[u8] = b"benchmark";

impl AuthUser for User {
    type Id = i64;
    fn id(&self) -> i64 {
        self.id
    }
    fn session_auth_hash(&self) -> &[u8] {
        AUTH_HASH
    }
}

/// Every id is a user (no lookup cost to speak of, the same for both stores).
#[derive(Clone, Debug)]
struct Users;

impl AuthnBackend for Users {
    type User = User;
    type Credentials = ();
    type Error = std::convert::Infallible;

    async fn authenticate(&self, _: ()) -> Result<Option<User>, Self::Error> {
        Ok(None)
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<User>, Self::Error> {
        Ok(Some(User { id: *id }))
    }
}

async fn read(auth: AuthSession<Users>) -> String {
    auth.user
        .map_or_else(|| "anonymous".to_owned(), |user| user.id.to_string())
}

async fn write(session: Session) -> String {
    let counter: u64 = session
        .get("counter")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    match session.insert("counter", counter + 1).await {
        Ok(()) => (counter + 1).to_string(),
        Err(error) => format!("error: {error}"),
    }
}

fn app(sessions: Router) -> Router {
    Router::new()
        .route("/untouched", get(|| async { "untouched" }))
        .merge(sessions)
}

fn session_routes() -> Router {
    Router::new()
        .route("/read", get(read))
        .route("/write", get(write))
}

/// Seeds `count` signed-in sessions through the store's own `create`, returning the cookies.
async fn seed(store: &impl SessionStore, count: usize) -> Vec<String> {
    let mut cookies = Vec::with_capacity(count);
    for n in 0..count {
        let mut record = Record {
            id: Id::default(),
            data: HashMap::from([(
                "axum-login.data".to_owned(),
                serde_json::json!({"user_id": n as i64 + 1, "auth_hash": AUTH_HASH}),
            )]),
            expiry_date: time::OffsetDateTime::now_utc() + time::Duration::days(1),
        };
        store.create(&mut record).await.expect("seed a session");
        cookies.push(record.id.to_string());
    }
    cookies
}

struct Args {
    store: String,
    db: String,
    port: u16,
    sessions: usize,
    cookies: String,
}

fn args() -> Args {
    let mut map = HashMap::new();
    let mut iter = std::env::args().skip(1);
    while let Some(key) = iter.next() {
        map.insert(key, iter.next().unwrap_or_default());
    }
    let get = |key: &str| {
        map.get(key)
            .cloned()
            .unwrap_or_else(|| panic!("missing {key}"))
    };
    Args {
        store: get("--store"),
        db: get("--db"),
        port: get("--port").parse().expect("--port"),
        sessions: get("--sessions").parse().expect("--sessions"),
        cookies: get("--cookies"),
    }
}

#[tokio::main]
async fn main() {
    let args = args();
    let (router, cookies) = match args.store.as_str() {
        "ours" => {
            let store = user_sessions::Store::open(&format!("sqlite://{}", args.db))
                .await
                .expect("open");
            store.migrate().await.expect("migrate");
            let session_store = UserSessionStore::new(store);
            let cookies = seed(&session_store, args.sessions).await;
            let auth = AuthManagerLayerBuilder::new(
                Users,
                SessionManagerLayer::new(session_store.clone()).with_secure(false),
            )
            .build();
            let layer = UserSessionsLayer::new(session_store).around(auth);
            (app(session_routes().layer(layer)), cookies)
        }
        "sqlx" => {
            let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", args.db))
                .expect("URL")
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal);
            let pool = SqlitePoolOptions::new()
                .connect_with(options)
                .await
                .expect("open");
            let store = SqliteStore::new(pool);
            store.migrate().await.expect("migrate");
            let cookies = seed(&store, args.sessions).await;
            let auth = AuthManagerLayerBuilder::new(
                Users,
                SessionManagerLayer::new(store).with_secure(false),
            )
            .build();
            (app(session_routes().layer(auth)), cookies)
        }
        other => panic!("--store ours|sqlx, not {other}"),
    };
    std::fs::write(&args.cookies, cookies.join("\n") + "\n").expect("write cookies");
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .expect("bind");
    eprintln!(
        "{} store: {} sessions seeded, serving on 127.0.0.1:{}",
        args.store, args.sessions, args.port
    );
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .expect("serve");
}
