//! The HTTP benchmark app: the same axum + axum-login application with our store or the
//! published tower-sessions store for the same database:
//!
//! - `--store ours` / `--store sqlx`: SQLite file `--db` (tower-sessions-sqlx-store's `SqliteStore`);
//! - `--store ours-events`: `ours` with the application subscribed to every session event (what
//!   events cost on the request path);
//! - `--store ours-no-read-cache`: `ours` with SQLite's read cache off
//!   (`SqliteOptions::read_cache: 0`), so that every session read asks SQLite (what that cache
//!   gains);
//! - `--store pg-ours` / `--store pg-sqlx`: PostgreSQL URL `--db`, each in its own schema,
//!   recreated on start (tower-sessions-sqlx-store's `PostgresStore`);
//! - `--store redis-ours` / `--store redis-fred`: Redis URL `--db` (tower-sessions-redis-store);
//!   use a database number of its own (`redis://127.0.0.1:6379/9`): it is flushed on start.
//! - `--store redis-cluster-ours`: ours on a Redis Cluster URL `--db`
//!   (`redis-cluster://…&key_prefix=…`); only the keys of its prefix are deleted on start.
//! - `--store ours-cached` / `--store pg-ours-cached`: ours with the in-process session cache
//!   (`Store::with_cache`, default options: 1 s, 10 000 sessions);
//!   `--store sqlx-moka` / `--store pg-sqlx-moka`: theirs behind tower-sessions'
//!   `CachingSessionStore` with a `MokaStore` of 10 000 sessions, the published counterpart.
//!
//! On start it seeds `--sessions` signed-in sessions and writes their cookies, one per line, to
//! `--cookies`; then it serves on 127.0.0.1:`--port`.
//!
//! Routes: `GET /read` (the signed-in user's id, read through axum-login), `GET /write` (a
//! counter in the session, incremented), `GET /untouched` (behind the session layer but not
//! axum-login, so nothing reads the session: an asset or health check with the cookie sent),
//! and `GET /ceiling` (no session layers at all).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::str::FromStr;

use axum::Router;
use axum::routing::get;
use axum_login::{AuthManagerLayerBuilder, AuthSession, AuthUser, AuthnBackend, UserId};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tower_sessions::session::{Id, Record};
use tower_sessions::{CachingSessionStore, Session, SessionManagerLayer, SessionStore};
use tower_sessions_moka_store::MokaStore;
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};
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

/// The whole app: the ceiling, the untouched route behind `session_layer` alone, and the
/// session routes behind `auth` (axum-login around a session layer).
fn app(untouched: Router, sessions: Router) -> Router {
    Router::new()
        .route("/ceiling", get(|| async { "ceiling" }))
        .merge(untouched)
        .merge(sessions)
}

fn untouched_route() -> Router {
    Router::new().route("/untouched", get(|| async { "untouched" }))
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

/// Our store, migrated, on the database `--store` names.
async fn our_store(args: &Args) -> user_sessions::Store {
    let store = match args.store.trim_end_matches("-cached") {
        "ours" | "ours-events" => user_sessions::Store::open(&format!("sqlite://{}", args.db))
            .await
            .expect("open"),
        "ours-no-read-cache" => {
            let options = user_sessions::sqlite::SqliteOptions {
                read_cache: 0,
                ..Default::default()
            };
            let url = format!("sqlite://{}", args.db);
            let backend = user_sessions::sqlite::SqliteBackend::open_with(&url, options)
                .await
                .expect("open");
            user_sessions::Store::new(backend)
        }
        "pg-ours" => {
            let schema = schema_of(args);
            recreate_schema(&args.db, &schema).await;
            let options = user_sessions::postgres::PostgresOptions {
                schema: Some(schema),
                ..Default::default()
            };
            let backend = user_sessions::postgres::PostgresBackend::open_with(&args.db, options)
                .await
                .expect("open");
            user_sessions::Store::new(backend)
        }
        "redis-ours" => {
            flush_redis(&args.db).await;
            user_sessions::Store::open(&args.db).await.expect("open")
        }
        "redis-cluster-ours" => {
            // A cluster is shared: only this store's keys (its key prefix) are deleted.
            let backend = user_sessions::redis::RedisBackend::open(&args.db)
                .await
                .expect("open");
            backend.clear().await.expect("clear");
            user_sessions::Store::new(backend)
        }
        other => panic!("not one of our stores: {other}"),
    };
    store.migrate().await.expect("migrate");
    if args.store.ends_with("-cached") {
        store.with_cache(user_sessions::cache::CacheOptions::default())
    } else {
        store
    }
}

/// The PostgreSQL schema of a store: one per store name, so that stores run side by side.
fn schema_of(args: &Args) -> String {
    format!("bench_{}", args.store.replace('-', "_"))
}

async fn recreate_schema(url: &str, schema: &str) {
    let pool = sqlx::PgPool::connect(url).await.expect("connect");
    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .execute(&pool)
        .await
        .expect("drop schema");
    pool.close().await;
}

async fn flush_redis(url: &str) {
    use fred::prelude::*;
    let client = Client::new(Config::from_url(url).expect("URL"), None, None, None);
    client.init().await.expect("connect");
    let _: () = client
        .custom(fred::cmd!("FLUSHDB"), Vec::<String>::new())
        .await
        .expect("flush");
    client.quit().await.ok();
}

/// Connections of tower-sessions-redis-store's pool: `FRED_CONNECTIONS`, default 4 (its README
/// shows 6; fewer share their writes better under load).
fn fred_connections() -> usize {
    std::env::var("FRED_CONNECTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4)
}

/// Wraps any tower-sessions store in the benchmark's stack.
fn their_app<S: SessionStore + Clone>(store: S) -> Router {
    let session_layer = SessionManagerLayer::new(store).with_secure(false);
    let auth = AuthManagerLayerBuilder::new(Users, session_layer.clone()).build();
    app(
        untouched_route().layer(session_layer),
        session_routes().layer(auth),
    )
}

/// A tower-sessions store seeded and in the benchmark's stack; behind moka's cache for the
/// `-moka` stores.
async fn their_stack<S: SessionStore + Clone>(args: &Args, store: S) -> (Router, Vec<String>) {
    if args.store.ends_with("-moka") {
        let cached = CachingSessionStore::new(MokaStore::new(Some(10_000)), store);
        let cookies = seed(&cached, args.sessions).await;
        (their_app(cached), cookies)
    } else {
        let cookies = seed(&store, args.sessions).await;
        (their_app(store), cookies)
    }
}

/// Our store in the same stack, with our layer around each session layer.
fn our_app(store: UserSessionStore) -> Router {
    let session_layer = SessionManagerLayer::new(store.clone()).with_secure(false);
    let auth = AuthManagerLayerBuilder::new(Users, session_layer.clone()).build();
    app(
        untouched_route().layer(UserSessionsLayer::new(store.clone()).around(session_layer)),
        session_routes().layer(
            UserSessionsLayer::new(store)
                .axum_login::<Users>()
                .around(auth),
        ),
    )
}

#[tokio::main]
async fn main() {
    let args = args();
    let (router, cookies) = match args.store.as_str() {
        "ours" | "ours-events" | "ours-no-read-cache" | "ours-cached" | "pg-ours"
        | "pg-ours-cached" | "redis-ours" | "redis-cluster-ours" => {
            let store = our_store(&args).await;
            if args.store.ends_with("-events") {
                // An application listening to every session event, as fast as they come.
                let mut events = store.events().subscribe(1024);
                tokio::spawn(async move { while events.recv().await.is_some() {} });
            }
            let session_store = UserSessionStore::new(store);
            let cookies = seed(&session_store, args.sessions).await;
            (our_app(session_store), cookies)
        }
        "sqlx" | "sqlx-moka" => {
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
            their_stack(&args, store).await
        }
        "pg-sqlx" | "pg-sqlx-moka" => {
            let schema = schema_of(&args);
            recreate_schema(&args.db, &schema).await;
            let pool = sqlx::PgPool::connect(&args.db).await.expect("open");
            let store = PostgresStore::new(pool)
                .with_schema_name(schema)
                .expect("schema");
            store.migrate().await.expect("migrate");
            their_stack(&args, store).await
        }
        "redis-fred" => {
            use fred::prelude::*;
            flush_redis(&args.db).await;
            let pool = Pool::new(
                Config::from_url(&args.db).expect("URL"),
                None,
                None,
                None,
                fred_connections(),
            )
            .expect("pool");
            pool.init().await.expect("connect");
            let store = tower_sessions_redis_store::RedisStore::new(pool);
            let cookies = seed(&store, args.sessions).await;
            (their_app(store), cookies)
        }
        other => panic!(
            "--store ours|ours-events|ours-no-read-cache|ours-cached|sqlx|sqlx-moka|pg-ours|pg-ours-cached|pg-sqlx|pg-sqlx-moka|redis-ours|redis-cluster-ours|redis-fred, not {other}"
        ),
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
