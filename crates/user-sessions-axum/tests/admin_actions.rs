//! The admin's actions: end selected, end all of a user's, purge expired, end one — each a
//! `POST` with the session's CSRF token from the same origin, each saying how many it ended.
#![cfg(feature = "admin")]

mod admin_support;

use admin_support::{ADMIN, App, Client, HOST, hex};
use axum::body::Body;
use axum::http::{StatusCode, header};
use serde_json::json;
use time::Duration;
use user_sessions::events::{EndedBy, Event};
use user_sessions::{Filter, Status};

async fn count(app: &App) -> u64 {
    app.store
        .count(&Filter::default().status(Status::All))
        .await
        .expect("count")
}

/// Every action, as `(uri, form fields besides the token)`.
fn actions(one: &str, two: &str) -> Vec<(String, Vec<(&'static str, String)>)> {
    vec![
        (
            "/admin/sessions/end/".into(),
            vec![("id", one.to_owned()), ("id", two.to_owned())],
        ),
        (
            "/admin/sessions/end-user/".into(),
            vec![("user", "2".into())],
        ),
        ("/admin/sessions/purge/".into(), vec![]),
        (format!("/admin/sessions/{one}/delete/"), vec![]),
    ]
}

#[tokio::test]
async fn every_action_needs_the_token_and_the_same_origin() {
    let app = App::new().await;
    let one = hex(&app
        .add(
            1,
            Some("2"),
            "203.0.113.1",
            Duration::ZERO,
            Duration::hours(1),
        )
        .await);
    let two = hex(&app
        .add(
            2,
            Some("2"),
            "203.0.113.2",
            Duration::ZERO,
            -Duration::hours(1),
        )
        .await);
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    let token = alice.token(&app).await;
    let before = count(&app).await;

    for (uri, fields) in actions(&one, &two) {
        let with = |token: &str| {
            let mut all: Vec<(&str, String)> = fields.clone();
            all.push(("csrf_token", token.to_owned()));
            all
        };
        let form = |fields: Vec<(&str, String)>| serde_urlencoded::to_string(fields).expect("form");
        // No token; a wrong one.
        for body in [form(fields.clone()), form(with("0123abcd"))] {
            let request = alice
                .request("POST", &uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ORIGIN, format!("https://{HOST}"));
            let answer = alice.send_body(&app, request, Body::from(body)).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{uri}");
            assert!(
                answer.body.contains("Request refused"),
                "{uri}: {}",
                answer.body
            );
        }
        // The right token from another site.
        for (name, value) in [
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ] {
            let request = alice
                .request("POST", &uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .header(name, value);
            let answer = alice
                .send_body(&app, request, Body::from(form(with(&token))))
                .await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{uri} {name}");
            assert_eq!(answer.json()["error"], "forbidden");
        }
        // A script without the header.
        let request = alice
            .request("POST", &uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json");
        let answer = alice
            .send_body(
                &app,
                request,
                Body::from(json!({ "user": "2", "ids": [one] }).to_string()),
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{uri}");
    }
    assert_eq!(
        count(&app).await,
        before,
        "a refused request ended something"
    );

    // The page's own forms carry the token.
    let page = alice.page(&app, ADMIN).await;
    assert!(
        page.body
            .contains(&format!("name=\"csrf_token\" value=\"{token}\""))
    );
}

#[tokio::test]
async fn ending_selected_sessions_reports_how_many() {
    let app = App::new().await;
    let one = app
        .add(
            1,
            Some("2"),
            "203.0.113.1",
            Duration::ZERO,
            Duration::hours(1),
        )
        .await;
    let two = app
        .add(
            2,
            Some("3"),
            "203.0.113.2",
            Duration::ZERO,
            Duration::hours(1),
        )
        .await;
    let three = app
        .add(3, None, "203.0.113.3", Duration::ZERO, Duration::hours(1))
        .await;
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    let token = alice.token(&app).await;

    // JSON: two real ids and one that no longer exists.
    let gone = user_sessions::PublicId::from_secret(b"gone");
    let answer = alice
        .post_json(
            &app,
            "/admin/sessions/end/",
            &token,
            json!({ "ids": [hex(&one), hex(&two), hex(&gone)] }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json(), json!({ "ended": 2, "logged_out": false }));
    assert!(!app.exists(&one).await && !app.exists(&two).await);
    assert!(app.exists(&three).await);

    // A form, as the page sends it: first a confirmation that says what will happen and
    // changes nothing, whose own form carries the same fields…
    let three_hex = hex(&three);
    let fields = [
        ("csrf_token", token.as_str()),
        ("id", three_hex.as_str()),
        ("next", "/admin/sessions/?active=1"),
    ];
    let answer = alice.post_form(&app, "/admin/sessions/end/", &fields).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(
        answer.body.contains("End the selected session?"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains(">End one session</button>"));
    assert!(answer.body.contains("name=\"confirmed\" value=\"yes\""));
    assert!(
        answer
            .body
            .contains(&format!("name=\"id\" value=\"{three_hex}\""))
    );
    assert!(
        answer
            .body
            .contains("href=\"/admin/sessions/?active=1\">Cancel</a>")
    );
    assert!(
        app.exists(&three).await,
        "nothing ended before the second step"
    );
    // …then, confirmed: back to the list it came from, with a notice.
    let mut confirmed = fields.to_vec();
    confirmed.push(("confirmed", "yes"));
    let answer = alice
        .post_form(&app, "/admin/sessions/end/", &confirmed)
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), Some("/admin/sessions/?active=1"));
    assert!(!app.exists(&three).await);
    let page = alice.page(&app, "/admin/sessions/?active=1").await;
    assert!(
        page.body.contains("One session was ended."),
        "{}",
        page.body
    );
    // The notice shows once.
    let page = alice.page(&app, ADMIN).await;
    assert!(!page.body.contains("was ended"));

    // Nothing selected; an id that is not one; a `next` elsewhere.
    let answer = alice
        .post_form(
            &app,
            "/admin/sessions/end/",
            &[("csrf_token", &token), ("next", "https://evil.example/")],
        )
        .await;
    assert_eq!(answer.location(), Some(ADMIN));
    let page = alice.page(&app, ADMIN).await;
    assert!(
        page.body.contains(
            "<p class=\"us-flash us-flash-neutral\" role=\"status\">No session was selected.</p>"
        ),
        "a neutral notice: {}",
        page.body
    );
    // A `next` under the list that cannot go into a `Location` header, or whose tab a
    // browser would drop: back to the list, not an error.
    for next in [
        "/admin/sessions/\x0b",
        "/admin/sessions/\t/x",
        "/admin/sessions/\\x",
    ] {
        let answer = alice
            .post_form(
                &app,
                "/admin/sessions/end/",
                &[("csrf_token", &token), ("next", next)],
            )
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(answer.location(), Some(ADMIN), "{next:?}");
    }
    let answer = alice
        .post_json(
            &app,
            "/admin/sessions/end/",
            &token,
            json!({ "ids": ["nonsense"] }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn ending_all_of_a_users_sessions_and_purging_report_how_many() {
    let app = App::new().await;
    for n in 0..3 {
        app.add(
            n,
            Some("2"),
            "203.0.113.1",
            Duration::ZERO,
            Duration::hours(1),
        )
        .await;
    }
    let bob_expired = app
        .add(
            10,
            Some("2"),
            "203.0.113.1",
            Duration::hours(3),
            -Duration::hours(1),
        )
        .await;
    let carol = app
        .add(
            11,
            Some("3"),
            "203.0.113.2",
            Duration::ZERO,
            Duration::hours(1),
        )
        .await;
    let carol_expired = app
        .add(
            12,
            Some("3"),
            "203.0.113.2",
            Duration::hours(2),
            -Duration::hours(1),
        )
        .await;
    let mut bob = app.signed_in("2", "198.51.100.2").await;
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    let token = alice.token(&app).await;

    let answer = alice
        .post_json(
            &app,
            "/admin/sessions/end-user/",
            &token,
            json!({ "user": "2" }),
        )
        .await;
    assert_eq!(answer.json(), json!({ "ended": 5, "logged_out": false }));
    assert!(!app.exists(&bob_expired).await);
    assert!(app.store.user_sessions("2").await.expect("list").is_empty());
    // Bob's browser is signed out.
    let answer = bob.get_json(&app, "/account/sessions/").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(app.exists(&carol).await);

    let answer = alice
        .post_json(&app, "/admin/sessions/end-user/", &token, json!({}))
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);

    let answer = alice
        .post_json(&app, "/admin/sessions/purge/", &token, json!({}))
        .await;
    assert_eq!(answer.json(), json!({ "ended": 1, "logged_out": false }));
    assert!(!app.exists(&carol_expired).await);
    assert!(app.exists(&carol).await);

    let answer = alice
        .post_form(&app, "/admin/sessions/purge/", &[("csrf_token", &token)])
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer
            .body
            .contains("There are no expired sessions to delete.")
    );
    assert!(
        answer.body.contains(" disabled>Delete 0 sessions</button>"),
        "{}",
        answer.body
    );
    let answer = alice
        .post_form(
            &app,
            "/admin/sessions/purge/",
            &[("csrf_token", &token), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let page = alice.page(&app, ADMIN).await;
    assert!(page.body.contains("No session was ended."), "{}", page.body);

    let answer = alice
        .post_form(
            &app,
            "/admin/sessions/end-user/",
            &[("csrf_token", &token), ("user", "3")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer
            .body
            .contains("End the one session of <bdi>Carol Danvers (carol)</bdi>?"),
        "{}",
        answer.body
    );
    assert!(app.exists(&carol).await);
    let answer = alice
        .post_form(
            &app,
            "/admin/sessions/end-user/",
            &[("csrf_token", &token), ("user", "3"), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let page = alice.page(&app, ADMIN).await;
    assert!(
        page.body.contains("One session was ended."),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn ending_one_session_and_ending_my_own() {
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
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    let mut alice_phone: Client = app.signed_in("1", "192.0.2.11").await;
    let token = alice.token(&app).await;
    let mut events = app.store.events().subscribe(16);

    let uri = format!("/admin/sessions/{}/delete/", hex(&other));
    let request = alice
        .request("DELETE", &uri)
        .header("x-csrf-token", &token)
        .header(header::ORIGIN, format!("https://{HOST}"));
    let answer = alice.send(&app, request).await;
    assert_eq!(answer.json(), json!({ "ended": 1, "logged_out": false }));
    // Reported as ended by the acting staff member.
    assert_eq!(
        events.try_recv(),
        Some(Event::Ended {
            id: other,
            user_id: Some("3".into()),
            by: EndedBy::Admin { staff: "1".into() },
        })
    );
    let answer = alice.post_json(&app, &uri, &token, json!({})).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.json()["error"], "not_found");

    // Ending my other browser keeps me here; ending all of mine signs me out.
    let mine = alice.json(&app, "/admin/sessions/?owner=my").await;
    assert_eq!(mine["sessions"].as_array().map(Vec::len), Some(2));
    let answer = alice
        .post_json(
            &app,
            "/admin/sessions/end-user/",
            &token,
            json!({ "user": "1" }),
        )
        .await;
    assert_eq!(
        answer.json(),
        json!({ "ended": 2, "logged_out": true, "redirect": "/signed-out" })
    );
    assert!(alice.cookie().is_none(), "the cookie is removed");
    assert_eq!(
        alice_phone.get_json(&app, ADMIN).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        app.store.user_sessions("1").await.expect("list").is_empty(),
        "nothing written back"
    );

    // The same through the form: to the logout URL.
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    let token = alice.token(&app).await;
    let me = alice.json(&app, "/admin/sessions/?owner=my").await["sessions"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let answer = alice
        .post_form(
            &app,
            "/admin/sessions/end/",
            &[("csrf_token", &token), ("id", &me), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), Some("/signed-out"));
    assert!(app.store.user_sessions("1").await.expect("list").is_empty());
}

#[tokio::test]
async fn select_all_sends_every_id_of_the_page_without_a_script() {
    let app = App::new().await;
    let one = app
        .add(
            1,
            Some("2"),
            "203.0.113.1",
            Duration::ZERO,
            Duration::hours(1),
        )
        .await;
    let two = app
        .add(
            2,
            Some("3"),
            "203.0.113.2",
            Duration::ZERO,
            Duration::hours(1),
        )
        .await;
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    let token = alice.token(&app).await;
    let one_hex = hex(&one);

    // The page's "select all" box carries the ids of the page's sessions but this one.
    let page = alice.page(&app, ADMIN).await;
    assert!(
        page.body.contains("class=\"us-admin-select-all\""),
        "{}",
        page.body
    );
    let select_all = page
        .body
        .split("name=\"ids_on_page\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the select-all value");
    let mut listed: Vec<&str> = select_all.split(' ').collect();
    listed.sort_unstable();
    let two_hex = hex(&two);
    let mut expected = vec![one_hex.as_str(), two_hex.as_str()];
    expected.sort_unstable();
    assert_eq!(listed, expected, "not the staff member's own session");
    assert!(page.body.contains("Select all sessions on this page"));

    // Checked together with a row's own box: each session once, in the count and the end.
    let both = format!("{one_hex} {two_hex}");
    let fields = [
        ("csrf_token", token.as_str()),
        ("ids_on_page", both.as_str()),
        ("id", one_hex.as_str()),
    ];
    let answer = alice.post_form(&app, "/admin/sessions/end/", &fields).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer.body.contains("End the 2 selected sessions?"),
        "{}",
        answer.body
    );
    let mut confirmed = fields.to_vec();
    confirmed.push(("confirmed", "yes"));
    let answer = alice
        .post_form(&app, "/admin/sessions/end/", &confirmed)
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(!app.exists(&one).await && !app.exists(&two).await);
    let page = alice.page(&app, ADMIN).await;
    assert!(
        page.body.contains("2 sessions were ended."),
        "{}",
        page.body
    );
}
