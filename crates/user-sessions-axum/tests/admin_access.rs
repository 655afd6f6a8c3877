//! Who gets into the admin: staff only; others `403`, anonymous visitors to the login page.
#![cfg(feature = "admin")]

mod admin_support;

use admin_support::{ADMIN, App, Client, hex};
use axum::http::{StatusCode, header};
use serde_json::json;
use time::Duration;

#[tokio::test]
async fn anonymous_visitors_are_sent_to_login_and_scripts_get_401() {
    let app = App::new().await;
    let mut anonymous = Client::new("198.51.100.1", admin_support::FIREFOX);

    let page = anonymous
        .page(&app, "/admin/sessions/?q=bob&active=1")
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location(),
        Some("/login?next=%2Fadmin%2Fsessions%2F%3Fq%3Dbob%26active%3D1")
    );
    assert!(anonymous.cookie().is_none(), "looking creates no session");

    let id = app
        .add(
            1,
            Some("2"),
            "203.0.113.1",
            Duration::ZERO,
            Duration::hours(1),
        )
        .await;
    let page = anonymous.page(&app, &format!("{ADMIN}{}/", hex(&id))).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    let answer = anonymous.get_json(&app, ADMIN).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.json()["error"], "unauthenticated");
    assert_eq!(answer.json()["login_url"], "/login");

    let answer = anonymous
        .send(&app, anonymous.request("GET", "/admin/sessions"))
        .await;
    assert_eq!(answer.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(answer.location(), Some(ADMIN));
}

#[tokio::test]
async fn users_who_are_not_staff_get_403_and_end_nothing() {
    let app = App::new().await;
    let other = app
        .add(
            1,
            Some("3"),
            "203.0.113.1",
            Duration::ZERO,
            Duration::hours(1),
        )
        .await;
    let expired = app
        .add(
            2,
            Some("3"),
            "203.0.113.2",
            Duration::ZERO,
            -Duration::hours(1),
        )
        .await;
    let mut bob = app.signed_in("2", "198.51.100.2").await;

    let page = bob.page(&app, ADMIN).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("Staff only"), "{}", page.body);
    let answer = bob.get_json(&app, ADMIN).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.json()["error"], "not_staff");
    let answer = bob
        .get_json(&app, &format!("{ADMIN}{}/", hex(&other)))
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);

    // Bob has a valid token for his own pages; it does not make him staff.
    let list = bob.json(&app, "/account/sessions/").await;
    let token = list["csrf_token"].as_str().expect("token").to_owned();
    let forms = [
        (
            "/admin/sessions/end/".to_owned(),
            json!({ "ids": [hex(&other)] }),
        ),
        (
            "/admin/sessions/end-user/".to_owned(),
            json!({ "user": "3" }),
        ),
        ("/admin/sessions/purge/".to_owned(), json!({})),
        (
            format!("/admin/sessions/{}/delete/", hex(&other)),
            json!({}),
        ),
    ];
    for (uri, body) in forms {
        let answer = bob.post_json(&app, &uri, &token, body).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(answer.json()["error"], "not_staff");
    }
    assert!(app.exists(&other).await);
    assert!(app.exists(&expired).await);
}

#[tokio::test]
async fn staff_get_the_list_with_security_headers_and_no_secret_ids() {
    let app = App::new().await;
    let mut bob = app.signed_in("2", "198.51.100.2").await;
    let mut alice = app.signed_in("1", "192.0.2.10").await;

    let page = alice.page(&app, ADMIN).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csp = page.headers.get(header::CONTENT_SECURITY_POLICY);
    assert!(csp.is_some_and(|v| {
        v.to_str()
            .unwrap_or_default()
            .contains("default-src 'none'")
    }));
    assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert!(page.body.contains("All sessions"));
    assert!(page.body.contains("Bob Builder (bob)"));
    assert!(page.body.contains("Alice Liddell (alice)"));
    assert!(page.body.contains("198.51.100.2"));
    assert!(page.body.contains("<bdi>Firefox</bdi> on <bdi>macOS</bdi>"));
    assert!(
        page.body
            .contains("/admin/sessions/static/user-sessions-admin.css")
    );
    for secret in [alice.secret(), bob.secret()].into_iter().flatten() {
        assert!(!page.body.contains(&secret), "a secret session id leaked");
        let json = alice.json(&app, ADMIN).await.to_string();
        assert!(
            !json.contains(&secret),
            "a secret session id leaked into JSON"
        );
    }
    // Looking is not a reason to sign bob out.
    assert_eq!(
        bob.json(&app, "/account/sessions/").await["sessions"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    let css = alice
        .send(
            &app,
            alice.request("GET", "/admin/sessions/static/user-sessions-admin.css"),
        )
        .await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains(".us-table") && css.body.contains(".us-admin-status"));
}
