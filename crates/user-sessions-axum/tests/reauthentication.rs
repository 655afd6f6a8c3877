//! Re-entering the password (`Sessions::mark_authenticated`) and changing it
//! (`Sessions::password_changed`), seen through the account pages and the session events.
#![cfg(feature = "pages")]

mod pages_support;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use pages_support::{App, CHROME_WINDOWS, Client, FIREFOX_MAC, SAFARI_IPHONE, drain};
use user_sessions::PublicId;
use user_sessions::events::{EndedBy, Event};
use user_sessions_axum::pages::Pages;
use user_sessions_axum::{Error, Sessions};

/// The pages (default confirmation: a recent sign-in) and two routes an application would
/// put behind its own password check.
async fn app() -> App {
    let pages = Pages::builder()
        .logout_url("/signed-out")
        .build()
        .expect("pages");
    let routes = Router::new()
        .merge(pages.router())
        .route("/test/confirmed", post(confirmed))
        .route("/test/password-changed", post(password_changed));
    App::serving(routes).await
}

async fn confirmed(sessions: Sessions) -> Result<String, Error> {
    Ok(sessions.mark_authenticated().await?.to_string())
}

async fn password_changed(sessions: Sessions) -> Result<String, Error> {
    Ok(sessions.password_changed().await?.to_string())
}

async fn post_to(client: &mut Client, app: &App, uri: &str) -> (StatusCode, String) {
    let answer = client.send(app, client.request("POST", uri)).await;
    (answer.status, answer.body)
}

#[tokio::test]
async fn confirming_the_password_satisfies_the_recent_sign_in_check_and_cycles_nothing() {
    let app = app().await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app.signed_in("bob", "198.51.100.20", SAFARI_IPHONE).await;
    let id = laptop.current_id(&app).await;
    let mut row = app.store.load(&id).await.expect("load").expect("row");
    row.info.authenticated_at = Some(time::OffsetDateTime::now_utc() - time::Duration::hours(1));
    app.store.save(&row).await.expect("save");
    let cookie = laptop.cookie();

    let token = laptop.token(&app).await;
    let refused = laptop
        .delete(&app, "/account/sessions/other/delete/", &token)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["error"], "reauthentication_required");

    let mut events = app.store.events().subscribe(64);
    assert_eq!(
        post_to(&mut laptop, &app, "/test/confirmed").await,
        (StatusCode::OK, "true".into())
    );
    assert_eq!(
        drain(&mut events),
        [Event::Reauthenticated {
            id,
            user_id: Some("bob".into())
        }]
    );
    // Nothing else changed: the same id, cookie, creation time and data.
    assert_eq!(laptop.cookie(), cookie);
    let after = app.store.load(&id).await.expect("load").expect("row");
    assert_eq!(after.created_at, row.created_at);
    assert_eq!(after.data, row.data);
    assert!(after.authenticated_at > row.authenticated_at);

    let ended = laptop
        .delete(&app, "/account/sessions/other/delete/", &token)
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(ended.json()["ended"], 1);
    assert_eq!(app.session_ids("bob").await, [id]);
}

#[tokio::test]
async fn confirming_needs_a_signed_in_session() {
    let app = app().await;
    let mut stranger = Client::new("192.0.2.1", FIREFOX_MAC);
    let (status, _) = post_to(&mut stranger, &app, "/test/confirmed").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_password_change_ends_every_other_session_and_keeps_this_one() {
    let app = app().await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let mut phone = app.signed_in("bob", "198.51.100.20", SAFARI_IPHONE).await;
    let mut desktop = app.signed_in("bob", "192.0.2.30", CHROME_WINDOWS).await;
    let mut alice = app.signed_in("alice", "192.0.2.40", CHROME_WINDOWS).await;
    let id = laptop.current_id(&app).await;
    let phone_id = phone.current_id(&app).await;
    let desktop_id = desktop.current_id(&app).await;

    let mut events = app.store.events().subscribe(64);
    assert_eq!(
        post_to(&mut laptop, &app, "/test/password-changed").await,
        (StatusCode::OK, "2".into())
    );
    let events = drain(&mut events);
    let mut ended: Vec<PublicId> = events[..2]
        .iter()
        .map(|event| match event {
            Event::Ended {
                id,
                user_id,
                by: EndedBy::PasswordChange,
            } if user_id.as_deref() == Some("bob") => *id,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    ended.sort();
    let mut expected = vec![phone_id, desktop_id];
    expected.sort();
    assert_eq!(ended, expected);
    assert!(matches!(events[2], Event::Reauthenticated { id: at, .. } if at == id));
    assert_eq!(events.len(), 3);

    assert_eq!(laptop.current_id(&app).await, id, "still signed in");
    for other in [&mut phone, &mut desktop] {
        let answer = other
            .send(
                &app,
                other
                    .request("GET", "/account/sessions/")
                    .header("accept", "application/json"),
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.session_ids("bob").await, [id]);
    assert_eq!(
        app.session_ids("alice").await,
        [alice.current_id(&app).await]
    );
}
