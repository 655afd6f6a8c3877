//! The account pages and the admin read the bodies of their actions alike: a form or JSON,
//! and a body that is neither what it says nor within the limit is refused with `400` — as
//! JSON for scripts, as a page for browsers — before anything else is checked or changed.
#![cfg(feature = "admin")]

mod admin_support;

use admin_support::{ADMIN, Answer, App, Client, HOST};
use axum::body::Body;
use axum::http::{StatusCode, header};
use time::Duration;

/// A `POST` of `body` as `content_type` with the token in the header, asking for `accept`.
async fn post(
    app: &App,
    client: &mut Client,
    uri: &str,
    token: &str,
    (content_type, body): (&str, String),
    accept: &str,
) -> Answer {
    let request = client
        .request("POST", uri)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, accept)
        .header("x-csrf-token", token)
        .header(header::ORIGIN, format!("https://{HOST}"));
    client.send_body(app, request, Body::from(body)).await
}

/// Bodies that say they are a form or JSON and are not, or are too large for either.
fn malformed() -> Vec<(&'static str, String)> {
    vec![
        ("application/json", "{\"csrf_token\":".to_owned()),
        (
            "application/json; charset=utf-8",
            "[\"not\", \"an object\"]".to_owned(),
        ),
        ("application/json", "{\"csrf_token\": 7}".to_owned()),
        (
            "application/x-www-form-urlencoded",
            "csrf_token=a&csrf_token=b".to_owned(),
        ),
        (
            "application/x-www-form-urlencoded",
            format!("csrf_token={}", "x".repeat(300 * 1024)),
        ),
    ]
}

#[tokio::test]
async fn a_malformed_body_is_400_on_the_pages_and_the_admin_and_changes_nothing() {
    let app = App::new().await;
    let mut bob = app.signed_in("2", "198.51.100.2").await;
    let other = app
        .add(
            1,
            Some("2"),
            "203.0.113.1",
            Duration::ZERO,
            Duration::hours(1),
        )
        .await;
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    let bob_token = bob.json(&app, "/account/sessions/").await["csrf_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let alice_token = alice.token(&app).await;
    let page_url = format!("/account/sessions/{other}/delete/");
    let admin_url = format!("{ADMIN}end/");
    for body in malformed() {
        for (client, token, uri) in [
            (&mut bob, &bob_token, page_url.as_str()),
            (&mut alice, &alice_token, admin_url.as_str()),
        ] {
            let json = post(&app, client, uri, token, body.clone(), "application/json").await;
            assert_eq!(json.status, StatusCode::BAD_REQUEST, "{uri} {body:?}");
            assert_eq!(json.json()["error"], "bad_request", "{uri}");
            let message = json.json()["message"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            assert!(
                message.starts_with("The body could not be read"),
                "{message}"
            );

            let page = post(&app, client, uri, token, body.clone(), "text/html").await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST, "{uri} {body:?}");
            assert!(
                page.body.contains("The submitted form could not be read."),
                "{}",
                page.body
            );
            assert_eq!(
                page.headers
                    .get(header::CONTENT_SECURITY_POLICY)
                    .map(|v| v.is_empty()),
                Some(false),
                "the page has the security headers"
            );
        }
    }
    assert!(app.exists(&other).await, "nothing was ended");
    assert_eq!(app.store.user_sessions("2").await.expect("list").len(), 2);
}

#[tokio::test]
async fn forms_and_json_bodies_both_work_and_a_page_in_another_language_says_so() {
    let app = App::new().await;
    let mut bob = app.signed_in("2", "198.51.100.2").await;
    let one = app
        .add(
            1,
            Some("2"),
            "203.0.113.1",
            Duration::ZERO,
            Duration::hours(1),
        )
        .await;
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    let token = alice.token(&app).await;
    // JSON, and a form (repeated ids), read alike by the admin.
    let answer = post(
        &app,
        &mut alice,
        &format!("{ADMIN}end/"),
        &token,
        ("application/json", format!("{{\"ids\": [\"{one}\"]}}")),
        "application/json",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["ended"], 1);

    // A malformed form from a Hebrew browser: the page is in Hebrew.
    bob.accept_language = Some("he".into());
    let bob_token = bob.json(&app, "/account/sessions/").await["csrf_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let page = post(
        &app,
        &mut bob,
        "/account/sessions/other/delete/",
        &bob_token,
        ("application/json", "{".to_owned()),
        "text/html",
    )
    .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("dir=\"rtl\""), "{}", page.body);
    assert!(
        page.body.contains("לא ניתן היה לקרוא את הטופס שנשלח."),
        "{}",
        page.body
    );
}
