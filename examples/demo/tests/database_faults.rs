//! The demo when its PostgreSQL server misbehaves, seen over HTTP.
//!
//! - Its server connections are dropped (`pg_terminate_backend` on this test's connections
//!   only) while requests run: every answer is `200` / `303` or `503`, none hangs, and the
//!   app recovers by itself — the sessions signed in before and during the trouble all work.
//! - Its server goes away (the demo reaches PostgreSQL through a small TCP proxy in the test;
//!   stopping the proxy leaves a port where nothing listens): requests that need a session get
//!   `503`, not `500`, within the configured database timeout; when the server is back the
//!   same cookies work again.
//!
//! The real server is never stopped: other tests share it. Needs `TEST_POSTGRES_URL` (unset:
//! skipped with a message; set but unreachable: the test fails).

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::Value;
use support::{Answer, Browser, SESSION_COOKIE, signed_in_name, test_database};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use user_sessions::test_servers::Server;

/// The demo's `DATABASE_TIMEOUT_MS`: the longest one store operation waits for the server.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(1);

/// The longest one request may take. A request makes a few store operations (load the
/// session, save it), each bounded by [`DATABASE_TIMEOUT`] and retried at most once after a
/// lost connection; an answer later than this means a request hung.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

const ACCOUNT: &str = "/account/sessions/";

/// Serves the demo in this process; returns its address.
async fn serve_demo(database_url: &str) -> String {
    let config = demo::Config {
        database_url: Some(database_url.to_owned()),
        database_timeout: Some(DATABASE_TIMEOUT),
        // Visitors sign in as bob over and over here: the demo's limit of 10 sessions per user
        // would end bob's first session, which this test keeps.
        sessions_per_user: Some(0),
        ..demo::Config::default()
    };
    let app = demo::build(&config).await.expect("the demo starts");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("listen");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    format!("http://{address}")
}

/// The public id of the session `browser` is signed in with.
async fn current_session(browser: &Browser) -> String {
    let list = browser.get_json(ACCOUNT).await;
    assert_eq!(list.status, StatusCode::OK, "the session list: {list:?}");
    current_in(&list.json()).unwrap_or_else(|| panic!("no current session: {list:?}"))
}

fn current_in(list: &Value) -> Option<String> {
    list["sessions"]
        .as_array()?
        .iter()
        .find(|s| s["is_current"] == true)?["id"]
        .as_str()
        .map(str::to_owned)
}

/// Fails unless `answer` leaves the session cookie as it was (a store failure must never
/// sign the browser out).
fn assert_cookie_kept(answer: &Answer, cookie: &str) {
    if let Some(set) = answer.cookie_set(SESSION_COOKIE) {
        assert_eq!(set, cookie, "the session cookie was changed: {answer:?}");
    }
}

/// What the requests during the faults got.
#[derive(Default)]
struct Tally {
    ok: u32,
    unavailable: u32,
    /// Visitors who signed in while connections were dropped.
    signed_in: Vec<Browser>,
}

impl Tally {
    fn count(&mut self, what: &str, answer: &Answer, ok: StatusCode) {
        match answer.status {
            status if status == ok => self.ok += 1,
            StatusCode::SERVICE_UNAVAILABLE => self.unavailable += 1,
            _ => panic!("{what}: expected {ok} or 503, got {answer:?}"),
        }
    }
}

/// Requests as bob (signed in with `bob_session`) and new visitors signing in, until `stop`
/// is set.
async fn make_requests(
    base: String,
    bob: Arc<Browser>,
    bob_session: String,
    stop: Arc<AtomicBool>,
) -> Tally {
    let bob_cookie = bob.cookie(SESSION_COOKIE).expect("bob's cookie");
    let mut tally = Tally::default();
    let mut round = 0u32;
    while !stop.load(Ordering::Relaxed) {
        round += 1;
        match round % 4 {
            0 => {
                let visitor = Browser::new(&base, REQUEST_TIMEOUT);
                let form = visitor.login_page().await;
                tally.count("the login form", &form, StatusCode::OK);
                if form.status == StatusCode::OK {
                    let answer = visitor.submit_login(&form, "bob", "builder").await;
                    tally.count("signing in", &answer, StatusCode::SEE_OTHER);
                    if answer.status == StatusCode::SEE_OTHER {
                        tally.signed_in.push(visitor);
                    }
                }
            }
            1 => {
                let list = bob.get_json(ACCOUNT).await;
                assert_cookie_kept(&list, &bob_cookie);
                tally.count("bob's session list", &list, StatusCode::OK);
                if list.status == StatusCode::OK {
                    assert_eq!(current_in(&list.json()), Some(bob_session.clone()));
                }
            }
            _ => {
                let home = bob.get("/").await;
                assert_cookie_kept(&home, &bob_cookie);
                tally.count("bob's home page", &home, StatusCode::OK);
                if home.status == StatusCode::OK {
                    assert_eq!(signed_in_name(&home.body).as_deref(), Some("bob"));
                }
            }
        }
    }
    tally
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
async fn postgres_connections_dropped_while_requests_run() {
    let Some(db) = test_database(Server::Postgres).await else {
        return;
    };
    let base = serve_demo(db.url()).await;
    let bob = Arc::new(Browser::new(&base, REQUEST_TIMEOUT));
    bob.sign_in("bob", "builder").await;
    let alice = Browser::new(&base, REQUEST_TIMEOUT);
    alice.sign_in("alice", "wonderland").await;
    let bob_session = current_session(&bob).await;
    let alice_session = current_session(&alice).await;

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let requests =
                make_requests(base.clone(), bob.clone(), bob_session.clone(), stop.clone());
            tokio::spawn(requests)
        })
        .collect();
    let mut dropped = 0;
    for _ in 0..8 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        dropped += db.drop_connections().await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut tally = Tally::default();
    for worker in workers {
        let done = worker.await.expect("a request worker panicked");
        tally.ok += done.ok;
        tally.unavailable += done.unavailable;
        tally.signed_in.extend(done.signed_in);
    }
    eprintln!(
        "dropped {dropped} connections; {} answers 200/303, {} answers 503; {} sign-ins",
        tally.ok,
        tally.unavailable,
        tally.signed_in.len()
    );
    assert!(dropped > 0, "no connection of the demo was dropped");

    // Recovered by itself: once more every connection goes, and the very next requests work
    // with the same sessions.
    db.drop_connections().await;
    assert_eq!(bob.signed_in_as().await.as_deref(), Some("bob"));
    assert_eq!(current_session(&bob).await, bob_session);
    assert_eq!(alice.signed_in_as().await.as_deref(), Some("alice"));
    assert_eq!(current_session(&alice).await, alice_session);
    // No session lost: everyone who signed in during the trouble is still signed in.
    for visitor in &tally.signed_in {
        assert_eq!(visitor.signed_in_as().await.as_deref(), Some("bob"));
    }
    let newcomer = Browser::new(&base, REQUEST_TIMEOUT);
    newcomer.sign_in("bob", "builder").await;
    let list = bob.get_json(ACCOUNT).await.json();
    assert_eq!(
        list["sessions"].as_array().map(Vec::len),
        Some(2 + tally.signed_in.len()),
        "bob's sessions: his own, the sign-ins during the trouble, and the newcomer's"
    );
}

/// A TCP proxy to the database server, which can stop (nothing listens on its port, every
/// connection through it is cut) and start again on the same port.
struct Proxy {
    address: SocketAddr,
    target: String,
    accept: Option<JoinHandle<()>>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    /// A proxy on a free port of 127.0.0.1 to `target` (`host:port`).
    async fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("listen");
        let mut proxy = Proxy {
            address: listener.local_addr().expect("address"),
            target,
            accept: None,
            connections: Arc::default(),
        };
        proxy.serve(listener);
        proxy
    }

    fn serve(&mut self, listener: TcpListener) {
        let target = self.target.clone();
        let connections = self.connections.clone();
        self.accept = Some(tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    continue;
                };
                let target = target.clone();
                let connection = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                connections
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(connection);
            }
        }));
    }

    /// The server goes away: the port stops listening and every connection is cut.
    async fn stop(&mut self) {
        if let Some(accept) = self.accept.take() {
            accept.abort();
            let _ = accept.await;
        }
        let connections = std::mem::take(
            &mut *self
                .connections
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for connection in connections {
            connection.abort();
            let _ = connection.await;
        }
    }

    /// The server is back, on the same port.
    fn restart(&mut self) {
        let listener = std::net::TcpListener::bind(self.address)
            .and_then(|listener| {
                listener.set_nonblocking(true)?;
                TcpListener::from_std(listener)
            })
            .expect("the proxy's port again");
        self.serve(listener);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(accept) = &self.accept {
            accept.abort();
        }
        for connection in self
            .connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            connection.abort();
        }
    }
}

/// Where the `host:port` of a URL lies in it (after the user, before the path or query).
fn host_port_range(url: &str) -> std::ops::Range<usize> {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[authority_start..]
        .find(['/', '?'])
        .map_or(url.len(), |i| authority_start + i);
    let host_start = url[authority_start..authority_end]
        .rfind('@')
        .map_or(authority_start, |i| authority_start + i + 1);
    host_start..authority_end
}

/// The PostgreSQL server a URL names, as `host:port`.
fn server_address(url: &str) -> String {
    let host_port = &url[host_port_range(url)];
    if host_port.contains(':') {
        host_port.to_owned()
    } else {
        format!("{host_port}:5432")
    }
}

/// `url` with its host and port replaced by `address`.
fn through(url: &str, address: SocketAddr) -> String {
    let range = host_port_range(url);
    format!("{}{address}{}", &url[..range.start], &url[range.end..])
}

#[test]
fn urls_are_pointed_at_the_proxy() {
    let url = "postgres://postgres@127.0.0.1:5432/test?options=x";
    let proxy: SocketAddr = "127.0.0.1:4000".parse().expect("address");
    assert_eq!(
        through(url, proxy),
        "postgres://postgres@127.0.0.1:4000/test?options=x"
    );
    assert_eq!(server_address(url), "127.0.0.1:5432");
    assert_eq!(server_address("postgres://db/test"), "db:5432");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
async fn postgres_down_answers_503_and_comes_back() {
    let Some(db) = test_database(Server::Postgres).await else {
        return;
    };
    let mut proxy = Proxy::start(server_address(db.url())).await;
    let base = serve_demo(&through(db.url(), proxy.address)).await;
    let bob = Browser::new(&base, REQUEST_TIMEOUT);
    bob.sign_in("bob", "builder").await;
    let bob_cookie = bob.cookie(SESSION_COOKIE).expect("bob's cookie");
    let bob_session = current_session(&bob).await;

    // The server goes away: nothing listens where the demo connects.
    proxy.stop().await;
    assert!(
        TcpStream::connect(proxy.address).await.is_err(),
        "something still listens on {}",
        proxy.address
    );
    let stranger = Browser::new(&base, REQUEST_TIMEOUT);
    for _ in 0..3 {
        let started = Instant::now();
        let home = bob.get("/").await;
        let home_took = started.elapsed();
        assert_eq!(
            home.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "bob's home page with the server down: {home:?}"
        );
        assert_cookie_kept(&home, &bob_cookie);
        let started = Instant::now();
        let list = bob.get_json(ACCOUNT).await;
        let list_took = started.elapsed();
        assert_eq!(
            list.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "bob's session list with the server down: {list:?}"
        );
        assert_cookie_kept(&list, &bob_cookie);
        let page = bob.get(ACCOUNT).await;
        assert_eq!(
            page.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "bob's account page with the server down: {page:?}"
        );
        assert_cookie_kept(&page, &bob_cookie);
        // Pages that need no session are still served: the login form keeps its CSRF token
        // in a signed cookie, not in a session row.
        let form = stranger.login_page().await;
        assert_eq!(
            form.status,
            StatusCode::OK,
            "the login form with the server down: {form:?}"
        );
        assert_eq!(stranger.signed_in_as().await, None);
        eprintln!(
            "server down: 503 after {home_took:?} (home page), {list_took:?} (session list); database timeout {DATABASE_TIMEOUT:?}"
        );
    }

    // The server is back: the same cookie works at once, nothing was lost.
    proxy.restart();
    assert_eq!(bob.signed_in_as().await.as_deref(), Some("bob"));
    assert_eq!(current_session(&bob).await, bob_session);
    stranger.sign_in("alice", "wonderland").await;
    assert_eq!(stranger.signed_in_as().await.as_deref(), Some("alice"));
}
