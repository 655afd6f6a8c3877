//! The account page and its JSON: who sees what, escaping, redirects, shapes, headers.
#![cfg(feature = "pages")]

mod pages_support;

use axum::http::{StatusCode, header};
use pages_support::{App, CHROME_WINDOWS, Client, FIREFOX_MAC, SAFARI_IPHONE};
use user_sessions_axum::pages::{Notice, NoticeRequest};

#[tokio::test]
async fn anonymous_visitors_are_sent_to_login_and_scripts_get_401() {
    let app = App::new(|p| p.login_url("/signin")).await;
    let mut anonymous = Client::new("198.51.100.1", FIREFOX_MAC);

    let page = anonymous.page(&app).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location(),
        Some("/signin?next=%2Faccount%2Fsessions%2F")
    );
    // Looking at the page creates no session.
    assert!(anonymous.cookie().is_none());

    let request = anonymous
        .request("GET", "/account/sessions/")
        .header(header::ACCEPT, "application/json");
    let answer = anonymous.send(&app, request).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let body = answer.json();
    assert_eq!(body["error"], "unauthenticated");
    assert_eq!(body["login_url"], "/signin");

    let answer = anonymous
        .send(&app, anonymous.request("GET", "/account/sessions"))
        .await;
    assert_eq!(answer.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(answer.location(), Some("/account/sessions/"));
}

#[tokio::test]
async fn the_page_lists_my_sessions_and_marks_this_one() {
    let app = App::new(|p| p).await;
    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;
    let _alice = app.signed_in("alice", "192.0.2.99", CHROME_WINDOWS).await;

    let page = laptop.page(&app).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"), "{html}");
    assert!(html.contains("Active sessions"));
    assert!(html.contains("2 active sessions"));
    assert!(html.contains("<bdi>Firefox</bdi> on <bdi>macOS</bdi>"));
    assert!(html.contains("<bdi>Safari</bdi> on <bdi>iPhone</bdi>"));
    assert!(html.contains("203.0.113.10"));
    assert!(html.contains("203.0.113.20"));
    assert!(html.contains("This session"));
    assert!(html.contains("just now"));
    // Alice's session is not Bob's business.
    assert!(!html.contains("192.0.2.99"));
    assert!(!html.contains("<bdi>Chrome</bdi>"));
    // One "End session" for the other, "Sign out" for this one, and "end all others".
    assert_eq!(html.matches(">End session<").count(), 1);
    assert_eq!(html.matches(">Sign out<").count(), 1);
    assert!(html.contains("action=\"/account/sessions/other/delete/\""));
    for id in app.session_ids("bob").await {
        assert!(html.contains(&format!("action=\"/account/sessions/{id}/delete/\"")));
    }
    // The form carries this session's token, and nothing carries the secret id.
    let token = laptop.token(&app).await;
    assert!(html.contains(&format!("name=\"csrf_token\" value=\"{token}\"")));
    assert!(!html.contains(&laptop.secret().expect("cookie")));
}

#[tokio::test]
async fn a_single_session_has_no_end_all_others() {
    let app = App::new(|p| p).await;
    let mut only = app.signed_in("carol", "203.0.113.30", FIREFOX_MAC).await;
    let html = only.page(&app).await.body;
    assert!(html.contains("One active session"));
    assert!(html.contains("This is your only active session."));
    assert!(!html.contains("/other/delete/"));
    assert!(!html.contains(">End session<"));
}

#[tokio::test]
async fn user_agents_are_escaped() {
    let app = App::new(|p| p).await;
    let evil = "<script>alert('xss')</script><img src=x onerror=alert(1)>";
    let mut attacker = app.signed_in("dave", "203.0.113.40", evil).await;
    let mut victim = app.signed_in("dave", "203.0.113.41", FIREFOX_MAC).await;

    for client in [&mut attacker, &mut victim] {
        let html = client.page(&app).await.body;
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }
    // JSON carries the text as a JSON string (escaping is the renderer's job), unchanged.
    let list = victim.json_list(&app).await;
    let agents: Vec<&str> = list["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter_map(|s| s["user_agent"].as_str())
        .collect();
    assert!(agents.contains(&evil));
}

#[tokio::test]
async fn the_json_list_has_the_documented_shape() {
    let app = App::new(|p| p).await;
    let mut laptop = app.signed_in("erin", "203.0.113.50", FIREFOX_MAC).await;
    let _phone = app.signed_in("erin", "2001:db8::7", SAFARI_IPHONE).await;

    let request = laptop
        .request("GET", "/account/sessions/")
        .header(header::ACCEPT, "application/json");
    let answer = laptop.send(&app, request).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer
            .headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    assert_eq!(
        answer
            .headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    let body = answer.json();
    assert_eq!(body["end_others_url"], "/account/sessions/other/delete/");
    assert_eq!(body["confirmation"], "recent_authentication");
    assert_eq!(body["csrf_token"].as_str().map(str::len), Some(64));
    let sessions = body["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 2);
    assert_eq!(
        sessions.iter().filter(|s| s["is_current"] == true).count(),
        1
    );
    let current = sessions
        .iter()
        .find(|s| s["is_current"] == true)
        .expect("current");
    assert_eq!(current["ip"], "203.0.113.50");
    assert_eq!(current["device"], "Firefox on macOS");
    assert_eq!(current["browser"], "Firefox");
    assert_eq!(current["platform"], "macOS");
    assert_eq!(current["user_agent"], FIREFOX_MAC);
    assert!(current["location"].is_null());
    let id = current["id"].as_str().expect("id");
    assert_eq!(id.len(), 64);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(
        current["end_url"],
        format!("/account/sessions/{id}/delete/")
    );
    for field in [
        "created_at",
        "last_activity",
        "expires_at",
        "authenticated_at",
    ] {
        let text = current[field].as_str().unwrap_or_else(|| panic!("{field}"));
        assert!(
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .is_ok(),
            "{field}: {text}"
        );
    }
    let phone = sessions
        .iter()
        .find(|s| s["is_current"] == false)
        .expect("phone");
    assert_eq!(phone["ip"], "2001:db8::7");
    assert_eq!(phone["device"], "Safari on iPhone");
    assert_eq!(phone["device_en"], "Safari on iPhone");
    // Absent hints are there, as null.
    assert!(
        phone
            .as_object()
            .expect("object")
            .contains_key("client_hints")
    );
    assert!(phone["client_hints"].is_null());
    // The device in the language of the request, English kept.
    laptop.accept_language = Some("de".into());
    let german = laptop.json_list(&app).await;
    let phone = german["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .find(|s| s["is_current"] == false)
        .expect("phone")
        .clone();
    assert_eq!(phone["device"], "Safari auf iPhone");
    assert_eq!(phone["device_en"], "Safari on iPhone");
    // Never the secret id.
    assert!(!answer.body.contains(&laptop.secret().expect("cookie")));
}

#[tokio::test]
async fn pages_are_sent_with_a_strict_policy_and_the_stylesheet_is_served() {
    let app = App::new(|p| p).await;
    let mut client = app.signed_in("frank", "203.0.113.60", FIREFOX_MAC).await;
    let page = client.page(&app).await;
    let csp = page
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .expect("CSP");
    assert!(csp.contains("default-src 'none'"));
    assert!(csp.contains("style-src 'self'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(
        page.headers
            .get(header::X_FRAME_OPTIONS)
            .map(|v| v.as_bytes()),
        Some(&b"DENY"[..])
    );
    // No inline script or style anywhere.
    assert!(!page.body.contains("<script"));
    assert!(!page.body.contains("<style"));
    assert!(!page.body.contains("style=\""));

    let href = "/account/sessions/static/user-sessions.css";
    assert!(page.body.contains(href));
    let css = client.send(&app, client.request("GET", href)).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(
        css.headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()),
        Some(&b"text/css; charset=utf-8"[..])
    );
    assert!(css.body.contains(".us-session"));
    assert!(!css.body.contains("http://") && !css.body.contains("https://"));
}

#[tokio::test]
async fn security_headers_can_be_left_to_the_application() {
    let app = App::new(|p| p.security_headers(false)).await;
    let mut client = app.signed_in("gina", "203.0.113.61", FIREFOX_MAC).await;
    let page = client.page(&app).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers.get(header::CONTENT_SECURITY_POLICY).is_none());
}

/// The application's notices for the viewing user and session appear above the list (text
/// escaped, a Dismiss form with this session's token when asked for); the JSON list carries
/// the same notices.
#[tokio::test]
async fn the_applications_notices_are_shown_to_the_user_they_are_for() {
    let app = App::new(|p| {
        p.notices(|request: NoticeRequest| async move {
            match request.user_id.as_str() {
                "bob" => vec![
                    Notice::new(format!("Hello <{}>", request.locale.tag()))
                        .dismissed_at("/notices/dismiss"),
                    Notice::new("No button here"),
                ],
                _ => Vec::new(),
            }
        })
    })
    .await;
    let mut bob = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let mut alice = app.signed_in("alice", "192.0.2.99", CHROME_WINDOWS).await;

    let html = bob.page(&app).await.body;
    assert!(html.contains("<p>Hello &lt;en&gt;</p>"), "{html}");
    assert!(html.contains("<p>No button here</p>"));
    let token = bob.token(&app).await;
    let form = format!(
        "<form method=\"post\" action=\"/notices/dismiss\">\n    <input type=\"hidden\" name=\"csrf_token\" value=\"{token}\">"
    );
    assert!(html.contains(&form), "{html}");
    assert_eq!(html.matches(">Dismiss<").count(), 1);
    // Before the list.
    assert!(html.find("Hello &lt;en&gt;") < html.find("class=\"us-sessions\""));

    let html = alice.page(&app).await.body;
    assert!(!html.contains("Hello"));
    assert!(!html.contains("Dismiss"));
    assert_eq!(
        bob.json_list(&app).await["notices"],
        serde_json::json!([
            {"text": "Hello <en>", "dismiss_url": "/notices/dismiss"},
            {"text": "No button here", "dismiss_url": null}
        ])
    );
    assert_eq!(
        alice.json_list(&app).await["notices"],
        serde_json::json!([])
    );
}
