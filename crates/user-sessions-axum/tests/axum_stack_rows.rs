//! The drop-in on a real stack (see `axum_stack`): what reaches the store — writes, loads and
//! touches counted, a store that is down — and sessions of users the application no longer
//! accepts.
#![cfg(feature = "axum-login")]

mod stack;

use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum_login::AuthManagerLayerBuilder;
use stack::*;
use tower_sessions::{Session, SessionManagerLayer};
use user_sessions::Store;
use user_sessions_axum::{Error, Sessions, UserSessionStore, UserSessionsLayer, set_user};

#[tokio::test]
async fn ten_thousand_read_only_requests_write_nothing_after_the_first() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&h.app, "POST", "/login/alice/wonderland").await;
    let writes = h.writes();
    for n in 0..10_000 {
        let uri = if n % 2 == 0 { "/me" } else { "/read" };
        let answer = client.call(&h.app, "GET", uri).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.set_cookies().first(), None);
    }
    // Within the 60 s activity interval: not a single write (a run that crosses the
    // interval would write once).
    let read_writes = h.writes() - writes;
    println!("10 000 read-only requests on one session: {read_writes} row writes");
    assert!(read_writes <= 1, "{read_writes} writes");
}

#[tokio::test]
async fn stale_activity_is_refreshed_by_a_read() {
    let h = harness(|layer| layer.activity_interval(std::time::Duration::ZERO)).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&h.app, "POST", "/login/alice/wonderland").await;
    let before = h.row(&client).await.unwrap();
    let writes = h.writes();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    client.call(&h.app, "GET", "/me").await;
    assert_eq!(h.writes(), writes + 1);
    let after = h.row(&client).await.unwrap();
    assert!(after.last_activity > before.last_activity);
    assert_eq!(after.authenticated_at, before.authenticated_at);
}

#[tokio::test]
async fn a_database_that_is_down_answers_503_never_500_or_a_panic() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&h.app, "POST", "/login/alice/wonderland").await;
    let mut anonymous = Client::new("203.0.113.1", FIREFOX);
    h.backend.down.store(true, Ordering::SeqCst);

    // Loading fails inside axum-login's layer.
    assert_eq!(
        client.call(&h.app, "GET", "/me").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // Loading fails inside the handler.
    assert_eq!(
        client.call(&h.app, "GET", "/read").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // Saving a new session fails inside tower-sessions' layer, after the handler.
    assert_eq!(
        anonymous.call(&h.app, "POST", "/write").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // Logging out fails.
    assert_eq!(
        client.call(&h.app, "POST", "/logout").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // Requests that do not need the database still work.
    assert_eq!(
        anonymous.call(&h.app, "GET", "/untouched").await.status,
        StatusCode::OK
    );

    h.backend.down.store(false, Ordering::SeqCst);
    assert_eq!(client.call(&h.app, "GET", "/me").await.body, "1");
}

#[tokio::test]
async fn sessions_handle_errors_map_to_503() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&h.app, "POST", "/login/alice/wonderland").await;
    // Load the session, then fail the list query only: run the handle by hand.
    let answer = {
        h.backend.down.store(true, Ordering::SeqCst);
        client.call(&h.app, "GET", "/sessions").await
    };
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
}

/// A migrated SQLite store in `dir`, for tests that build their own application.
async fn migrated_store(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&format!("sqlite://{}", dir.path().join("s.db").display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store
}

#[tokio::test]
async fn applications_without_axum_login_bind_the_user_with_set_user() {
    let dir = tempfile::tempdir().unwrap();
    let store = migrated_store(&dir).await;
    let session_store = UserSessionStore::new(store.clone());
    let app = Router::new()
        .route(
            "/login/{user}",
            post(|session: Session, Path(user): Path<String>| async move {
                session.cycle_id().await?;
                set_user(&session, &user).await?;
                Ok::<_, Error>("ok")
            }),
        )
        .route(
            "/whoami",
            get(|sessions: Sessions| async move {
                Ok::<_, Error>(format!("{:?}", sessions.user_id().await?))
            }),
        )
        .layer(
            UserSessionsLayer::new(session_store.clone())
                .around(SessionManagerLayer::new(session_store)),
        );
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&app, "POST", "/login/u-42").await;
    let row = store.get(&client.public_id()).await.unwrap().unwrap();
    assert_eq!(row.user_id.as_deref(), Some("u-42"));
    assert!(row.authenticated_at.is_some());
    assert_eq!(
        client.call(&app, "GET", "/whoami").await.body,
        "Some(\"u-42\")"
    );
    assert_eq!(store.user_sessions("u-42").await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_request_that_never_touches_its_session_costs_no_load() {
    let h = plain_harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&h.app, "POST", "/write").await;
    let (loads, writes) = (h.loads(), h.writes());
    let before = h.row(&client).await.unwrap();
    let loads = loads + 1; // that `row`

    // Fresh activity, same client: no load, no write, however many requests.
    for _ in 0..100 {
        let answer = client.call(&h.app, "GET", "/untouched").await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.set_cookies().first(), None);
    }
    // The first untouched request did not know the session yet: one narrow touch, no load.
    assert_eq!(h.loads(), loads, "no request loaded the session");
    assert!(h.writes() - writes <= 1, "{} writes", h.writes() - writes);
    let writes = h.writes();

    // The client moved: one touch records it, still without a load.
    client.ip = SocketAddr::new("2001:db8::7".parse().unwrap(), 443);
    client.user_agent = SAFARI.as_bytes().to_vec();
    client.call(&h.app, "GET", "/untouched").await;
    client.call(&h.app, "GET", "/untouched").await;
    assert_eq!(h.writes(), writes + 1);
    assert_eq!(h.loads(), loads);
    let after = h.row(&client).await.unwrap();
    assert_eq!(after.ip, Some("2001:db8::7".parse().unwrap()));
    assert_eq!(after.user_agent.as_deref(), Some(SAFARI));
    assert!(after.last_activity >= before.last_activity);
    assert_eq!(after.created_at, before.created_at);
    // The data is untouched.
    assert_eq!(client.call(&h.app, "GET", "/read").await.body, "Some(1)");
}

#[tokio::test]
async fn untouched_requests_refresh_stale_activity_with_a_touch_and_never_revive() {
    let h = plain_harness(|layer| layer.activity_interval(std::time::Duration::ZERO)).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&h.app, "POST", "/write").await;
    let loads = h.loads();
    let writes = h.writes();
    for _ in 0..3 {
        client.call(&h.app, "GET", "/untouched").await;
    }
    assert_eq!(
        h.writes(),
        writes + 3,
        "a zero interval records every request"
    );
    assert_eq!(h.loads(), loads);

    // Ended elsewhere: the touch writes nothing, and nothing comes back.
    h.store.delete(&client.public_id()).await.unwrap();
    client.call(&h.app, "GET", "/untouched").await;
    assert!(h.store.get(&client.public_id()).await.unwrap().is_none());
    assert_eq!(h.rows().await, 0);
    // Known to be gone: later requests do not even try.
    let writes = h.writes();
    client.call(&h.app, "GET", "/untouched").await;
    assert_eq!(h.writes(), writes);
}

#[tokio::test]
async fn a_deactivated_user_is_anonymous_and_their_session_is_ended() {
    let h = harness(|layer| layer).await;
    let mut alice = Client::new("198.51.100.7", FIREFOX);
    let mut bob = Client::new("192.0.2.20", FIREFOX);
    alice.call(&h.app, "POST", "/login/alice/wonderland").await;
    bob.call(&h.app, "POST", "/login/bob/builder").await;
    let id = alice.public_id();
    assert_eq!(
        alice.call(&h.app, "GET", "/sessions").await.status,
        StatusCode::OK
    );

    // The application deactivates alice: axum-login's `get_user` no longer finds her.
    h.users.deactivate(1);
    let answer = alice.call(&h.app, "GET", "/sessions").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(h.store.get(&id).await.unwrap().is_none(), "her row is gone");
    assert_eq!(alice.cookie(), None, "her cookie is cleared");
    assert!(h.store.user_sessions("1").await.unwrap().is_empty());
    // Bob is not affected.
    assert_eq!(bob.call(&h.app, "GET", "/me").await.body, "2");
    assert_eq!(
        bob.call(&h.app, "GET", "/sessions").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_rejected_session_can_be_kept_but_is_still_anonymous() {
    let h = harness(|layer| layer.end_rejected_sessions(false)).await;
    let mut alice = Client::new("198.51.100.7", FIREFOX);
    alice.call(&h.app, "POST", "/login/alice/wonderland").await;
    let id = alice.public_id();
    h.users.deactivate(1);
    assert_eq!(
        alice.call(&h.app, "GET", "/sessions").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        h.store.get(&id).await.unwrap().is_some(),
        "kept, as configured"
    );
}

#[tokio::test]
async fn the_stored_user_alone_signs_nobody_in() {
    // Sessions carry axum-login's user, but the layer was not told to ask axum-login: the
    // stored id is not proof of anything, so the request is anonymous.
    let dir = tempfile::tempdir().unwrap();
    let store = migrated_store(&dir).await;
    let session_store = UserSessionStore::new(store.clone());
    let auth = AuthManagerLayerBuilder::new(
        Users::new(),
        SessionManagerLayer::new(session_store.clone()),
    )
    .build();
    let app = Router::new()
        .route("/login/{name}/{password}", post(login))
        .route("/sessions", get(list))
        .layer(UserSessionsLayer::new(session_store).around(auth));
    let mut alice = Client::new("198.51.100.7", FIREFOX);
    alice.call(&app, "POST", "/login/alice/wonderland").await;
    assert_eq!(store.user_sessions("1").await.unwrap().len(), 1);
    assert_eq!(
        alice.call(&app, "GET", "/sessions").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn ending_everything_deletes_each_row_once() {
    let h = harness(|layer| layer).await;
    let mut laptop = Client::new("198.51.100.7", FIREFOX);
    let mut phone = Client::new("203.0.113.9", SAFARI);
    laptop.call(&h.app, "POST", "/login/alice/wonderland").await;
    phone.call(&h.app, "POST", "/login/alice/wonderland").await;
    let deletes = h.backend.deletes.load(Ordering::SeqCst);
    assert_eq!(
        laptop.call(&h.app, "POST", "/sessions/all/end").await.body,
        "2"
    );
    assert_eq!(laptop.cookie(), None);
    assert_eq!(
        h.backend.deletes.load(Ordering::SeqCst),
        deletes,
        "one DELETE of the user's rows, no second one for the current session"
    );
    assert_eq!(h.rows().await, 0);
}

#[tokio::test]
async fn the_handle_without_the_layer_is_a_500_not_a_panic() {
    let app = Router::new().route(
        "/sessions",
        get(|sessions: Sessions| async move {
            Ok::<_, Error>(format!("{}", sessions.list().await?.len()))
        }),
    );
    let mut client = Client::new("198.51.100.7", FIREFOX);
    assert_eq!(
        client.call(&app, "GET", "/sessions").await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}
