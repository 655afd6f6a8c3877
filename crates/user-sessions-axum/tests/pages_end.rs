//! Ending sessions from the account pages: one, the current one, all others — and every way
//! a request can be refused without anything changing (IDOR, CSRF, origin); confirming them
//! is in `pages_confirm`.
#![cfg(feature = "pages")]

mod pages_support;

use axum::body::Body;
use axum::http::{StatusCode, header};
use pages_support::{App, CHROME_WINDOWS, Client, FIREFOX_MAC, HOST, SAFARI_IPHONE};
use user_sessions::PublicId;

/// The public id of the other one of the user's two sessions, seen from `client`.
async fn other_id(app: &App, client: &mut Client) -> String {
    client.listed_id(app, false).await.to_string()
}

async fn current_id(client: &mut Client, app: &App) -> String {
    client.current_id(app).await.to_string()
}

#[tokio::test]
async fn ending_another_session_signs_that_browser_out() {
    let app = App::new(|p| p).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let mut phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let phone_id = other_id(&app, &mut laptop).await;
    let token = laptop.token(&app).await;

    let answer = laptop
        .post_form(
            &app,
            &format!("/account/sessions/{phone_id}/delete/"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location(), Some("/account/sessions/"));
    assert_eq!(app.session_ids("bob").await.len(), 1);

    // The notice shows once.
    let html = laptop.page(&app).await.body;
    assert!(
        html.contains("<bdi>Safari</bdi> on <bdi>iPhone</bdi> was signed out."),
        "the notice names the device: {html}"
    );
    assert!(!laptop.page(&app).await.body.contains("was signed out."));

    // The phone is signed out on its next page load.
    let answer = phone.page(&app).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(
        answer
            .location()
            .is_some_and(|l| l.starts_with("/login?next="))
    );
}

#[tokio::test]
async fn another_users_or_a_made_up_id_is_not_found_and_nothing_ends() {
    let app = App::new(|p| p).await;
    let mut bob = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let mut alice = app.signed_in("alice", "192.0.2.1", CHROME_WINDOWS).await;
    let alice_id = current_id(&mut alice, &app).await;
    let token = bob.token(&app).await;

    let made_up = PublicId::from_secret(b"nobody's session").to_string();
    for id in [alice_id.as_str(), made_up.as_str(), "not-a-public-id", "00"] {
        let uri = format!("/account/sessions/{id}/delete/");
        let answer = bob.post_form(&app, &uri, &[("csrf_token", &token)]).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{id}");
        assert!(answer.body.contains("Session not found"));
        let answer = bob.delete(&app, &uri, &token).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{id}");
        assert_eq!(answer.json()["error"], "not_found");
    }
    assert_eq!(app.session_ids("alice").await.len(), 1);
    assert_eq!(app.session_ids("bob").await.len(), 1);
    assert_eq!(alice.page(&app).await.status, StatusCode::OK);
}

#[tokio::test]
async fn forged_requests_get_403_and_change_nothing() {
    let app = App::new(|p| p).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let mut alice = app.signed_in("alice", "192.0.2.1", CHROME_WINDOWS).await;
    let phone_id = other_id(&app, &mut laptop).await;
    let token = laptop.token(&app).await;
    let alices_token = alice.token(&app).await;
    assert_ne!(token, alices_token);
    let one = format!("/account/sessions/{phone_id}/delete/");
    let others = "/account/sessions/other/delete/";

    for uri in [one.as_str(), others] {
        // No token, a wrong one, another session's.
        for fields in [
            vec![],
            vec![("csrf_token", "0".repeat(64))],
            vec![("csrf_token", alices_token.clone())],
            vec![("csrf_token", token[..63].to_owned())],
        ] {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let answer = laptop.post_form(&app, uri, &fields).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{uri} {fields:?}");
            assert!(answer.body.contains("Request refused"));
        }
        // The right token from another site.
        let body = serde_urlencoded::to_string([("csrf_token", &token)]).expect("form");
        let request = laptop
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, "https://evil.example")
            .header("sec-fetch-site", "cross-site");
        let answer = laptop
            .send_body(&app, request, Body::from(body.clone()))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        // Origin alone, from another port of the same host.
        let request = laptop
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, format!("https://{HOST}:8080"));
        let answer = laptop
            .send_body(&app, request, Body::from(body.clone()))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        // Origin alone, the same host over plain http.
        let request = laptop
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, format!("http://{HOST}"));
        let answer = laptop
            .send_body(&app, request, Body::from(body.clone()))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        // Fetch metadata alone saying another site.
        let request = laptop
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-site");
        let answer = laptop.send_body(&app, request, Body::from(body)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        // A script without the header.
        let request = laptop.request("DELETE", uri);
        let answer = laptop.send(&app, request).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(answer.json()["error"], "forbidden");
    }
    assert_eq!(app.session_ids("bob").await.len(), 2);

    // A client without fetch metadata or Origin (curl) with the right token is fine.
    let body = serde_urlencoded::to_string([("csrf_token", &token)]).expect("form");
    let request = laptop
        .request("POST", &one)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    let answer = laptop.send_body(&app, request, Body::from(body)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(app.session_ids("bob").await.len(), 1);
}

#[tokio::test]
async fn anonymous_posts_are_refused() {
    let app = App::new(|p| p).await;
    let _bob = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let mut stranger = Client::new("198.51.100.9", CHROME_WINDOWS);
    let id = app.session_ids("bob").await[0].to_string();
    let answer = stranger
        .post_form(
            &app,
            &format!("/account/sessions/{id}/delete/"),
            &[("csrf_token", "x")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(app.session_ids("bob").await.len(), 1);
}

#[tokio::test]
async fn ending_the_current_session_logs_out() {
    let app = App::new(|p| p).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let mut phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let id = current_id(&mut laptop, &app).await;
    let token = laptop.token(&app).await;

    let answer = laptop
        .post_form(
            &app,
            &format!("/account/sessions/{id}/delete/"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), Some("/signed-out"));
    assert!(laptop.cookie().is_none(), "the cookie is cleared");
    assert_eq!(app.session_ids("bob").await.len(), 1);
    assert_eq!(laptop.page(&app).await.status, StatusCode::SEE_OTHER);
    assert_eq!(phone.page(&app).await.status, StatusCode::OK);

    // The same by script.
    let id = current_id(&mut phone, &app).await;
    let token = phone.token(&app).await;
    let answer = phone
        .delete(&app, &format!("/account/sessions/{id}/delete/"), &token)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let body = answer.json();
    assert_eq!(body["ended"], 1);
    assert_eq!(body["logged_out"], true);
    assert_eq!(body["redirect"], "/signed-out");
    assert!(phone.cookie().is_none());
    assert!(app.session_ids("bob").await.is_empty());
}

#[tokio::test]
async fn json_delete_ends_one_and_all_others() {
    let app = App::new(|p| p).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let _tablet = app.signed_in("bob", "203.0.113.30", CHROME_WINDOWS).await;
    let _desktop = app.signed_in("bob", "203.0.113.40", CHROME_WINDOWS).await;
    let token = laptop.token(&app).await;

    let id = other_id(&app, &mut laptop).await;
    let answer = laptop
        .delete(&app, &format!("/account/sessions/{id}/delete/"), &token)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json(),
        serde_json::json!({"ended": 1, "logged_out": false})
    );
    // The session's own URL takes a DELETE as well.
    let id = other_id(&app, &mut laptop).await;
    let answer = laptop
        .delete(&app, &format!("/account/sessions/{id}/"), &token)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["ended"], 1);
    let answer = laptop
        .delete(&app, &format!("/account/sessions/{id}/"), &token)
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "already ended");

    let answer = laptop
        .delete(&app, "/account/sessions/other/delete/", &token)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json(),
        serde_json::json!({"ended": 1, "logged_out": false})
    );
    assert_eq!(app.session_ids("bob").await.len(), 1);
    // POST asking for JSON, with the token in a JSON body: nothing left to end.
    let request = laptop
        .request("POST", "/account/sessions/other/delete/")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/json");
    let body = serde_json::json!({"csrf_token": token}).to_string();
    let answer = laptop.send_body(&app, request, Body::from(body)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["ended"], 0);
}

#[tokio::test]
async fn end_all_others_from_the_page() {
    let app = App::new(|p| p).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let mut phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let _tablet = app.signed_in("bob", "203.0.113.30", CHROME_WINDOWS).await;
    let mut alice = app.signed_in("alice", "192.0.2.1", CHROME_WINDOWS).await;
    let token = laptop.token(&app).await;

    let answer = laptop
        .post_form(
            &app,
            "/account/sessions/other/delete/",
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(
        laptop
            .page(&app)
            .await
            .body
            .contains("2 other sessions were ended.")
    );
    assert_eq!(app.session_ids("bob").await.len(), 1);
    assert_eq!(laptop.page(&app).await.status, StatusCode::OK);
    assert_eq!(phone.page(&app).await.status, StatusCode::SEE_OTHER);
    assert_eq!(alice.page(&app).await.status, StatusCode::OK);
}
