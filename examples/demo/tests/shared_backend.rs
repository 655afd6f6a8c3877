//! Two app servers on one session store: the demo binary runs twice against the same
//! database, bob signs in on both, and ending the second one's session through the first
//! one's account page makes the second one's next request anonymous — on PostgreSQL,
//! MySQL / MariaDB and Redis, and with the in-process session cache in front of PostgreSQL
//! (there within the cache's time-to-live, which is what the cache guarantees).
//!
//! Each test works in a place of its own on the server (`user_sessions::test_servers`), named
//! by `TEST_POSTGRES_URL`, `TEST_MYSQL_URL` or `TEST_REDIS_URL`: unset, the test says it is
//! skipped and passes; set but unreachable, it fails.

mod support;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::Value;
use support::{Browser, DemoProcess, test_database};
use user_sessions::test_servers::Server;

/// Far longer than any request may take: reaching it means a request hung.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

const ACCOUNT: &str = "/account/sessions/";

/// The list's sessions (`GET /account/sessions/` as JSON); panics unless it answers `200`.
async fn sessions_of(browser: &Browser) -> Value {
    let answer = browser.get_json(ACCOUNT).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "the session list: {answer:?}"
    );
    answer.json()
}

fn current_id(list: &Value) -> String {
    list["sessions"]
        .as_array()
        .and_then(|sessions| sessions.iter().find(|s| s["is_current"] == true))
        .and_then(|s| s["id"].as_str())
        .unwrap_or_else(|| panic!("no current session in {list}"))
        .to_owned()
}

/// Runs the demo twice on `server` (with a session cache of `cache_ttl` in both, if given),
/// signs bob in on both, ends B's session from A, and checks that B's next request is
/// anonymous — at once without a cache, after `cache_ttl` with one.
async fn ending_on_a_signs_b_out(server: Server, cache_ttl: Option<Duration>) {
    let Some(db) = test_database(server).await else {
        return;
    };
    let ttl_ms = cache_ttl.map(|ttl| ttl.as_millis().to_string());
    let mut variables = vec![("DATABASE_URL", db.url())];
    if let Some(ms) = &ttl_ms {
        variables.push(("SESSION_CACHE_TTL_MS", ms.as_str()));
    }
    // Declared after `db`: the processes stop before their database is removed.
    let process_a = DemoProcess::start("A", &variables);
    let process_b = DemoProcess::start("B", &variables);
    let on_a = Browser::new(process_a.base(), REQUEST_TIMEOUT);
    let on_b = Browser::new(process_b.base(), REQUEST_TIMEOUT);

    // Both answer; bob signs in on each with its own cookies.
    assert_eq!(on_a.signed_in_as().await, None);
    assert_eq!(on_b.signed_in_as().await, None);
    on_a.sign_in("bob", "builder").await;
    on_b.sign_in("bob", "builder").await;
    assert_eq!(on_a.signed_in_as().await.as_deref(), Some("bob"));
    assert_eq!(on_b.signed_in_as().await.as_deref(), Some("bob"));

    // B knows its own session; A sees both of bob's, and finds B's among them.
    let b_session = current_id(&sessions_of(&on_b).await);
    let list = sessions_of(&on_a).await;
    let a_session = current_id(&list);
    assert_ne!(a_session, b_session);
    let sessions = list["sessions"].as_array().expect("a list of sessions");
    assert_eq!(sessions.len(), 2, "bob's two sessions: {list}");
    let other = sessions
        .iter()
        .find(|s| s["is_current"] == false)
        .expect("the other session");
    assert_eq!(other["id"], b_session.as_str(), "the other session is B's");
    let end_url = other["end_url"].as_str().expect("an end URL");
    let token = list["csrf_token"].as_str().expect("a CSRF token");

    // A ends it, as bob's script would (token and Origin checked, password confirmed).
    let ended = on_a.post_json_confirmed(end_url, token, "builder").await;
    assert_eq!(
        ended.status,
        StatusCode::OK,
        "ending B's session: {ended:?}"
    );
    assert_eq!(ended.json()["ended"], 1);
    assert_eq!(ended.json()["logged_out"], false);
    let ended_at = Instant::now();

    if let Some(ttl) = cache_ttl {
        // The documented bound: every load starting more than `ttl` after the end refuses it.
        tokio::time::sleep((ended_at + ttl).saturating_duration_since(Instant::now())).await;
    }

    // B's next request is anonymous: the page sends it to the login form…
    let page = on_b.get(ACCOUNT).await;
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "B after the end: {page:?}"
    );
    let location = page.location().unwrap_or_default();
    assert!(location.starts_with("/login"), "B sent to {location}");
    // …the API says so, and the home page greets nobody.
    let api = on_b.get_json(ACCOUNT).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED, "B's API: {api:?}");
    assert_eq!(api.json()["error"], "unauthenticated");
    assert_eq!(on_b.signed_in_as().await, None);

    // A is still bob, now with one session.
    let list = sessions_of(&on_a).await;
    assert_eq!(current_id(&list), a_session);
    assert_eq!(list["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(on_a.signed_in_as().await.as_deref(), Some("bob"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
async fn postgres_two_app_servers() {
    ending_on_a_signs_b_out(Server::Postgres, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_mysql), ignore = "set TEST_MYSQL_URL to run")]
async fn mysql_two_app_servers() {
    ending_on_a_signs_b_out(Server::Mysql, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_redis), ignore = "set TEST_REDIS_URL to run")]
async fn redis_two_app_servers() {
    ending_on_a_signs_b_out(Server::Redis, None).await;
}

/// The cached setup: both servers keep sessions in memory for up to the cache's ttl. The
/// cache's guarantee (`user_sessions::cache`) is a bound, not an instant: a session ended on
/// A is refused by B's loads that start more than `ttl` after the end — so B is checked
/// after the ttl (the default, 1 s). An ended session stopping on every node at once with a
/// long ttl would need a cache shared by the nodes (or an invalidation message), which this
/// in-process cache deliberately does not have.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
async fn postgres_two_app_servers_with_session_cache() {
    ending_on_a_signs_b_out(Server::Postgres, Some(Duration::from_secs(1))).await;
}
