//! Confirming the end of other sessions on the account pages: by password (with a limit on
//! wrong ones that signs the guesser out), by a recent sign-in, or explicitly not at all.
#![cfg(feature = "pages")]

mod pages_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::{StatusCode, header};
use pages_support::{Answer, App, CHROME_WINDOWS, Client, FIREFOX_MAC, SAFARI_IPHONE};
use tower::ServiceExt;
use user_sessions::PublicId;
use user_sessions_axum::pages::Confirmation;

/// The public id of the other one of the user's two sessions, seen from `client`.
async fn other_id(app: &App, client: &mut Client) -> String {
    client.listed_id(app, false).await.to_string()
}

async fn current_id(client: &mut Client, app: &App) -> String {
    client.current_id(app).await.to_string()
}

#[tokio::test]
async fn end_all_others_can_require_the_password() {
    let app = App::new(|p| {
        p.confirm_end_others(Confirmation::password(
            |user: String, password: String| async move {
                Ok::<_, std::convert::Infallible>(user == "bob" && password == "builder")
            },
        ))
    })
    .await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let token = laptop.token(&app).await;

    let html = laptop.page(&app).await.body;
    assert!(html.contains("<label for=\"us-password\">Your password</label>"));
    assert!(html.contains("type=\"password\" name=\"password\" autocomplete=\"current-password\""));
    assert_eq!(laptop.json_list(&app).await["confirmation"], "password");

    // Wrong or missing: nothing ends, the page says why.
    for fields in [
        vec![("csrf_token", token.as_str())],
        vec![("csrf_token", token.as_str()), ("password", "wonderland")],
    ] {
        let answer = laptop
            .post_form(&app, "/account/sessions/other/delete/", &fields)
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        let html = laptop.page(&app).await.body;
        assert!(html.contains("The password was not correct."), "{html}");
        assert!(html.contains("role=\"alert\""));
        // Said under the field that caused it, which is marked invalid and takes the focus;
        // not at the top of the page.
        let field = html.find("id=\"us-password\"").expect("the password field");
        let error = html
            .find("The password was not correct.")
            .expect("the error");
        assert!(field < error, "the error follows the field");
        assert!(html.contains("aria-invalid=\"true\" autofocus"), "{html}");
        assert!(html.contains("aria-describedby=\"us-password-error us-password-hint\""));
        assert!(!html.contains("class=\"us-flash"), "{html}");
        assert_eq!(app.session_ids("bob").await.len(), 2);
    }
    let answer = laptop
        .delete(&app, "/account/sessions/other/delete/", &token)
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.json()["error"], "confirmation_required");
    let answer = end_others_with(&app, &mut laptop, &token, "guess").await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.json()["error"], "invalid_password");
    assert_eq!(app.session_ids("bob").await.len(), 2);

    let answer = end_others_by_form(&app, &mut laptop, &token, "builder").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(app.session_ids("bob").await.len(), 1);
}

/// A password confirmation for bob ("builder") and alice ("wonderland") that counts its calls
/// and takes a moment, as a real password hash does.
fn counted_passwords(calls: Arc<AtomicUsize>) -> Confirmation {
    Confirmation::password(move |user: String, password: String| {
        let calls = calls.clone();
        async move {
            calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            let right = matches!(
                (user.as_str(), password.as_str()),
                ("bob", "builder") | ("alice", "wonderland")
            );
            Ok::<_, std::convert::Infallible>(right)
        }
    })
}

/// The form's `POST` of "end all others" with `password`.
async fn end_others_by_form(app: &App, client: &mut Client, token: &str, password: &str) -> Answer {
    client
        .post_form(
            app,
            "/account/sessions/other/delete/",
            &[("csrf_token", token), ("password", password)],
        )
        .await
}

/// A script's `DELETE` of all other sessions with `password`.
async fn end_others_with(app: &App, client: &mut Client, token: &str, password: &str) -> Answer {
    let request = client
        .request("DELETE", "/account/sessions/other/delete/")
        .header("x-csrf-token", token)
        .header(header::CONTENT_TYPE, "application/json");
    let body = serde_json::json!({ "password": password }).to_string();
    client.send_body(app, request, Body::from(body)).await
}

#[tokio::test]
async fn too_many_wrong_passwords_end_the_session_that_guessed() {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = App::new(|p| p.confirm_end_others(counted_passwords(calls.clone()))).await;
    let mut thief = app.signed_in("bob", "203.0.113.66", CHROME_WINDOWS).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let thief_id: PublicId = current_id(&mut thief, &app).await.parse().expect("id");
    let token = thief.token(&app).await;

    for guess in ["password", "123456", "qwerty", "letmein"] {
        let answer = end_others_with(&app, &mut thief, &token, guess).await;
        assert_eq!(answer.json()["error"], "invalid_password", "{guess}");
    }
    // The fifth wrong password ends the session that sent them: signed out, nothing else ends.
    let answer = end_others_with(&app, &mut thief, &token, "dragon").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    assert_eq!(answer.json()["error"], "too_many_passwords");
    assert_eq!(
        answer.json()["login_url"],
        "/login?next=%2Faccount%2Fsessions%2F"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 5);
    let left = app.session_ids("bob").await;
    assert_eq!(left.len(), 1);
    assert!(!left.contains(&thief_id));
    assert_eq!(thief.page(&app).await.status, StatusCode::SEE_OTHER);
    // Not even the right password does anything for it now.
    let answer = end_others_with(&app, &mut thief, &token, "builder").await;
    assert!(answer.status.is_client_error(), "{}", answer.status);
    assert_eq!(calls.load(Ordering::SeqCst), 5);

    // The owner is not locked out: their own session confirms at once.
    let _phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let token = laptop.token(&app).await;
    let answer = end_others_with(&app, &mut laptop, &token, "builder").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(app.session_ids("bob").await.len(), 1);

    // By form: the fifth wrong password signs the browser out and sends it to sign in.
    let mut guesser = app.signed_in("alice", "198.51.100.1", FIREFOX_MAC).await;
    let _other = app.signed_in("alice", "198.51.100.2", SAFARI_IPHONE).await;
    let token = guesser.token(&app).await;
    for _ in 0..4 {
        let answer = end_others_by_form(&app, &mut guesser, &token, "guess").await;
        assert_eq!(answer.location(), Some("/account/sessions/"));
    }
    let answer = end_others_by_form(&app, &mut guesser, &token, "guess").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(
        answer.location(),
        Some("/login?next=%2Faccount%2Fsessions%2F")
    );
    assert_eq!(app.session_ids("alice").await.len(), 1);

    // A right password clears the count.
    let mut alice = app.signed_in("alice", "198.51.100.3", FIREFOX_MAC).await;
    let token = alice.token(&app).await;
    for _ in 0..4 {
        end_others_with(&app, &mut alice, &token, "guess").await;
    }
    let answer = end_others_with(&app, &mut alice, &token, "wonderland").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let _again = app.signed_in("alice", "198.51.100.4", SAFARI_IPHONE).await;
    for _ in 0..4 {
        end_others_with(&app, &mut alice, &token, "guess").await;
    }
    let answer = end_others_with(&app, &mut alice, &token, "wonderland").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_sent_at_once_do_not_slip_under_the_limit() {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = App::new(|p| p.confirm_end_others(counted_passwords(calls.clone()))).await;
    let mut thief = app.signed_in("bob", "203.0.113.66", CHROME_WINDOWS).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let laptop_id: PublicId = current_id(&mut laptop, &app).await.parse().expect("id");
    let token = thief.token(&app).await;

    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..20 {
        let request = thief
            .request("DELETE", "/account/sessions/other/delete/")
            .header("x-csrf-token", &token)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(format!(r#"{{"password": "guess {n}"}}"#)))
            .unwrap();
        let router = app.router.clone();
        guesses.spawn(async move { router.oneshot(request).await.unwrap().status() });
    }
    while let Some(status) = guesses.join_next().await {
        let status = status.unwrap();
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::UNAUTHORIZED].contains(&status),
            "{status}"
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 5);
    // The guessing session is gone; the owner's is not.
    assert_eq!(app.session_ids("bob").await, [laptop_id]);
}

/// Without a configured confirmation, ending another session — one or all — needs a recent
/// sign-in; ending the current one needs nothing.
#[tokio::test]
async fn by_default_ending_another_session_needs_a_recent_sign_in() {
    let app = App::new(|p| p).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    assert_eq!(
        laptop.json_list(&app).await["confirmation"],
        "recent_authentication"
    );
    let phone_id = other_id(&app, &mut laptop).await;
    let laptop_id: PublicId = current_id(&mut laptop, &app).await.parse().expect("id");
    let token = laptop.token(&app).await;
    let mut row = app
        .store
        .load(&laptop_id)
        .await
        .expect("load")
        .expect("row");
    row.info.authenticated_at = Some(time::OffsetDateTime::now_utc() - time::Duration::hours(1));
    app.store.save(&row).await.expect("save");

    // The page offers "sign in again" instead of the buttons that end other sessions.
    let html = laptop.page(&app).await.body;
    assert!(html.contains("href=\"/login?next=%2Faccount%2Fsessions%2F\""));
    assert!(!html.contains(&format!("action=\"/account/sessions/{phone_id}/delete/\"")));
    assert!(!html.contains("action=\"/account/sessions/other/delete/\""));
    assert!(html.contains(&format!("action=\"/account/sessions/{laptop_id}/delete/\"")));

    let end_phone = format!("/account/sessions/{phone_id}/delete/");
    for uri in [end_phone.as_str(), "/account/sessions/other/delete/"] {
        let answer = laptop.delete(&app, uri, &token).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{uri}");
        let body = answer.json();
        assert_eq!(body["error"], "reauthentication_required", "{uri}");
        assert_eq!(body["login_url"], "/login?next=%2Faccount%2Fsessions%2F");
        let answer = laptop.post_form(&app, uri, &[("csrf_token", &token)]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(app.session_ids("bob").await.len(), 2, "{uri}");
    }

    // Signed in again (a new session, signed in now): allowed.
    let mut fresh = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let token = fresh.token(&app).await;
    let answer = fresh.delete(&app, &end_phone, &token).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(app.session_ids("bob").await.len(), 2);

    // Signing out (the current session) needs no confirmation.
    let token = laptop.token(&app).await;
    let answer = laptop
        .delete(
            &app,
            &format!("/account/sessions/{laptop_id}/delete/"),
            &token,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["logged_out"], true);
    assert_eq!(app.session_ids("bob").await.len(), 1);
}

/// The "sign in again" way back: signing in again in the same browser (a new session id, as
/// a login form gives) refreshes its sign-in time, so that it may then end others.
#[tokio::test]
async fn signing_in_again_in_the_same_browser_refreshes_the_sign_in_time() {
    let app = App::new(|p| p).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let laptop_id: PublicId = current_id(&mut laptop, &app).await.parse().expect("id");
    let mut row = app
        .store
        .load(&laptop_id)
        .await
        .expect("load")
        .expect("row");
    let long_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    row.info.authenticated_at = Some(long_ago);
    app.store.save(&row).await.expect("save");
    let token = laptop.token(&app).await;
    let answer = laptop
        .delete(&app, "/account/sessions/other/delete/", &token)
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let body = answer.json();
    assert_eq!(body["error"], "reauthentication_required");
    assert_eq!(body["login_url"], "/login?next=%2Faccount%2Fsessions%2F");

    laptop.sign_in(&app, "bob").await;
    let again: PublicId = current_id(&mut laptop, &app).await.parse().expect("id");
    assert_ne!(again, laptop_id, "signing in gives a new session id");
    let row = app.store.load(&again).await.expect("load").expect("row");
    let signed_in_at = row.info.authenticated_at.expect("a sign-in time");
    assert!(signed_in_at > long_ago, "{signed_in_at} is not refreshed");

    let token = laptop.token(&app).await;
    let answer = laptop
        .delete(&app, "/account/sessions/other/delete/", &token)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["ended"], 1);
    assert_eq!(app.session_ids("bob").await, [again]);
}

/// With a password confirmation, ending one other session asks for it too.
#[tokio::test]
async fn ending_one_other_session_can_require_the_password() {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = App::new(|p| p.confirm_end_others(counted_passwords(calls.clone()))).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let phone_id = other_id(&app, &mut laptop).await;
    let token = laptop.token(&app).await;
    let uri = format!("/account/sessions/{phone_id}/delete/");

    let html = laptop.page(&app).await.body;
    assert!(
        html.contains("<label for=\"us-password-2\">Your password</label>"),
        "{html}"
    );

    let answer = laptop.delete(&app, &uri, &token).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.json()["error"], "confirmation_required");
    let wrong = laptop
        .post_form(&app, &uri, &[("csrf_token", &token), ("password", "guess")])
        .await;
    assert_eq!(wrong.location(), Some("/account/sessions/"));
    assert!(
        laptop
            .page(&app)
            .await
            .body
            .contains("The password was not correct.")
    );
    assert_eq!(app.session_ids("bob").await.len(), 2);

    let answer = laptop
        .post_form(
            &app,
            &uri,
            &[("csrf_token", &token), ("password", "builder")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(app.session_ids("bob").await.len(), 1);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// `Confirmation::None` is the explicit opt-out: a sign-in of long ago ends others.
#[tokio::test]
async fn no_confirmation_is_an_explicit_opt_out() {
    let app = App::new(|p| p.confirm_end_others(Confirmation::None)).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let laptop_id: PublicId = current_id(&mut laptop, &app).await.parse().expect("id");
    let mut row = app
        .store
        .load(&laptop_id)
        .await
        .expect("load")
        .expect("row");
    row.info.authenticated_at = Some(time::OffsetDateTime::now_utc() - time::Duration::hours(1));
    app.store.save(&row).await.expect("save");
    let token = laptop.token(&app).await;
    assert_eq!(laptop.json_list(&app).await["confirmation"], "none");
    let answer = laptop
        .delete(&app, "/account/sessions/other/delete/", &token)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(app.session_ids("bob").await.len(), 1);
}

#[tokio::test]
async fn end_all_others_can_require_a_recent_sign_in() {
    let app = App::new(|p| {
        p.confirm_end_others(Confirmation::recent_authentication(Duration::from_secs(
            600,
        )))
    })
    .await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let token = laptop.token(&app).await;
    assert_eq!(
        laptop.json_list(&app).await["confirmation"],
        "recent_authentication"
    );

    // Signed in an hour ago: asked to sign in again.
    let id: PublicId = current_id(&mut laptop, &app)
        .await
        .parse()
        .expect("public id");
    let mut row = app.store.load(&id).await.expect("load").expect("row");
    row.info.authenticated_at = Some(time::OffsetDateTime::now_utc() - time::Duration::hours(1));
    app.store.save(&row).await.expect("save");

    let html = laptop.page(&app).await.body;
    assert!(html.contains("sign in again before you end your other sessions"));
    assert!(html.contains("href=\"/login?next=%2Faccount%2Fsessions%2F\""));
    assert!(!html.contains("action=\"/account/sessions/other/delete/\""));
    let answer = laptop
        .post_form(
            &app,
            "/account/sessions/other/delete/",
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(app.session_ids("bob").await.len(), 2);
    let answer = laptop
        .delete(&app, "/account/sessions/other/delete/", &token)
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let body = answer.json();
    assert_eq!(body["error"], "reauthentication_required");
    assert_eq!(body["login_url"], "/login?next=%2Faccount%2Fsessions%2F");
    assert_eq!(app.session_ids("bob").await.len(), 2);

    // Signed in just now: allowed.
    let mut fresh = app.signed_in("bob", "203.0.113.30", CHROME_WINDOWS).await;
    let token = fresh.token(&app).await;
    let answer = fresh
        .delete(&app, "/account/sessions/other/delete/", &token)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["ended"], 2);
    assert_eq!(app.session_ids("bob").await.len(), 1);
}
