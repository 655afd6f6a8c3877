//! The store's per-user session limit, seen through sign-ins on the web: the least recently
//! active session ends (and its browser is signed out), or a refused sign-in answers `409`.
#![cfg(feature = "pages")]

mod pages_support;

use axum::Router;
use axum::http::StatusCode;
use pages_support::{App, CHROME_WINDOWS, Client, FIREFOX_MAC, SAFARI_IPHONE};
use user_sessions::events::{EndedBy, Event};
use user_sessions::{PublicId, SessionLimit};
use user_sessions_axum::pages::Pages;

async fn app(limit: SessionLimit) -> App {
    let pages = Pages::builder()
        .logout_url("/signed-out")
        .build()
        .expect("pages");
    App::serving_with(Router::new().merge(pages.router()), |store| {
        store.with_session_limit(limit)
    })
    .await
}

/// Signs a new browser in as `user`; returns it with the id of the session it got.
async fn signed_in(app: &App, user: &str, ip: &str, agent: &str) -> (Client, PublicId) {
    let before = app.session_ids(user).await;
    let client = app.signed_in(user, ip, agent).await;
    let after = app.session_ids(user).await;
    let new = after
        .into_iter()
        .find(|id| !before.contains(id))
        .expect("a new session");
    (client, new)
}

#[tokio::test]
async fn a_sign_in_beyond_the_limit_ends_the_least_recently_active_session() {
    let app = app(SessionLimit::new(2)).await;
    let (mut laptop, laptop_id) = signed_in(&app, "bob", "203.0.113.10", FIREFOX_MAC).await;
    let (_, desktop_id) = signed_in(&app, "bob", "203.0.113.11", CHROME_WINDOWS).await;
    let mut events = app.store.events().subscribe(64);

    let (_, phone_id) = signed_in(&app, "bob", "198.51.100.7", SAFARI_IPHONE).await;
    let mut left = app.session_ids("bob").await;
    left.sort();
    let mut expected = vec![desktop_id, phone_id];
    expected.sort();
    assert_eq!(left, expected);
    let ended: Vec<_> = std::iter::from_fn(|| events.try_recv())
        .filter(|event| matches!(event, Event::Ended { .. }))
        .collect();
    assert_eq!(
        ended,
        [Event::Ended {
            id: laptop_id,
            user_id: Some("bob".into()),
            by: EndedBy::Limit,
        }]
    );
    // The laptop's browser is signed out.
    let answer = laptop.page(&app).await;
    assert_ne!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[tokio::test]
async fn a_refused_sign_in_answers_409_and_writes_nothing() {
    let app = app(SessionLimit::new(1).refusing()).await;
    let (_, laptop_id) = signed_in(&app, "bob", "203.0.113.10", FIREFOX_MAC).await;

    let mut phone = Client::new("198.51.100.7", SAFARI_IPHONE);
    let answer = phone
        .send(&app, phone.request("POST", "/test/sign-in/bob"))
        .await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.body);
    assert!(
        answer.body.contains("Too many active sessions"),
        "{}",
        answer.body
    );
    assert_eq!(app.session_ids("bob").await, [laptop_id]);
    // Another user signs in as usual.
    signed_in(&app, "alice", "198.51.100.7", SAFARI_IPHONE).await;
}
