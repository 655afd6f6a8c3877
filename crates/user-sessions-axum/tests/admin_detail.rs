//! One session in detail: every column, the data keys, values only where the application
//! reveals them; the JSON shapes of the list and the detail.
#![cfg(feature = "admin")]

mod admin_support;

use admin_support::{ADMIN, App, hex, record};
use axum::http::StatusCode;
use serde_json::{Value, json};
use time::Duration;

#[tokio::test]
async fn the_detail_shows_every_column_and_only_the_keys_of_the_data() {
    let app = App::new().await;
    let mut session = record(
        1,
        Some("2"),
        "203.0.113.9",
        Duration::minutes(3),
        -Duration::minutes(1),
    );
    session
        .data
        .insert("api_token".into(), json!("s3cr3t-value"));
    app.store.save(&session).await.expect("save");
    let id = hex(&session.info.id);
    let mut alice = app.signed_in("1", "192.0.2.10").await;

    let page = alice.page(&app, &format!("{ADMIN}{id}/")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = &page.body;
    for text in [
        "Session details",
        "Bob Builder (bob)",
        id.as_str(),
        "203.0.113.9",
        "<bdi>Chrome</bdi> on <bdi>Windows</bdi>",
        "Mozilla/5.0 (Windows NT 10.0",
        "Expired",
        "api_token",
        "cart",
        "hidden",
        "End this session",
        "End all of this user’s sessions",
    ] {
        assert!(html.contains(text), "missing {text}: {html}");
    }
    assert!(!html.contains("s3cr3t-value"), "a value was shown");
    assert!(!html.contains("lamp"));

    let detail = alice.json(&app, &format!("{ADMIN}{id}/")).await;
    let keys: Vec<&str> = detail["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|e| e["key"].as_str().expect("key"))
        .collect();
    assert_eq!(keys, ["api_token", "cart"]);
    assert!(
        detail["data"]
            .as_array()
            .expect("data")
            .iter()
            .all(|e| e["revealed"] == false && e.get("value").is_none())
    );
    assert!(!detail.to_string().contains("s3cr3t"));

    // Unknown and malformed ids.
    let unknown = hex(&user_sessions::PublicId::from_secret(b"nobody"));
    assert_eq!(
        alice.page(&app, &format!("{ADMIN}{unknown}/")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        alice.get_json(&app, "/admin/sessions/xyz/").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_application_chooses_which_values_to_reveal() {
    let app = App::with(|admin| admin.reveal_data(|key| key == "cart")).await;
    let mut session = record(1, None, "203.0.113.9", Duration::ZERO, Duration::hours(1));
    session
        .data
        .insert("api_token".into(), json!("s3cr3t-value"));
    app.store.save(&session).await.expect("save");
    let id = hex(&session.info.id);
    let mut alice = app.signed_in("1", "192.0.2.10").await;

    let detail = alice.json(&app, &format!("{ADMIN}{id}/")).await;
    assert_eq!(
        detail["data"],
        json!([
            { "key": "api_token", "revealed": false },
            { "key": "cart", "revealed": true, "value": ["book", "lamp"] }
        ])
    );
    let page = alice.page(&app, &format!("{ADMIN}{id}/")).await;
    assert!(page.body.contains("lamp"));
    assert!(!page.body.contains("s3cr3t-value"));
    assert!(page.body.contains("Not signed in"));
}

/// The fields of one session in JSON, sorted.
fn fields(session: &Value) -> Vec<String> {
    let mut names: Vec<String> = session
        .as_object()
        .expect("object")
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn json_shapes() {
    let app = App::new().await;
    app.add(
        1,
        Some("2"),
        "203.0.113.9",
        Duration::minutes(1),
        Duration::hours(1),
    )
    .await;
    let mut alice = app.signed_in("1", "192.0.2.10").await;

    let list = alice.json(&app, "/admin/sessions/?limit=1").await;
    let mut top: Vec<&String> = list.as_object().expect("object").keys().collect();
    top.sort();
    assert_eq!(
        top,
        [
            "csrf_token",
            "end_selected_url",
            "end_user_url",
            "filters",
            "next",
            "next_url",
            "purge_url",
            "sessions"
        ]
    );
    assert_eq!(list["end_selected_url"], "/admin/sessions/end/");
    assert_eq!(list["end_user_url"], "/admin/sessions/end-user/");
    assert_eq!(list["purge_url"], "/admin/sessions/purge/");
    assert_eq!(
        list["filters"],
        json!({ "active": null, "owner": null, "user": null, "q": null, "search": null, "matched_users": null, "truncated": false })
    );
    let next = list["next"].as_str().expect("a next page");
    assert_eq!(
        list["next_url"],
        format!("/admin/sessions/?limit=1&after={next}")
    );
    let session = &list["sessions"][0];
    assert_eq!(
        fields(session),
        [
            "authenticated_at",
            "browser",
            "client_hints",
            "created_at",
            "detail_url",
            "device",
            "device_en",
            "end_url",
            "expired",
            "expires_at",
            "id",
            "ip",
            "is_current",
            "last_activity",
            "location",
            "platform",
            "signed_in",
            "user",
            "user_agent",
            "user_id",
            "user_sessions_url"
        ]
    );
    let id = session["id"].as_str().expect("id");
    assert_eq!(id.len(), 64);
    assert_eq!(session["is_current"], true);
    assert_eq!(session["user"], "Alice Liddell (alice)");
    assert_eq!(session["detail_url"], format!("/admin/sessions/{id}/"));
    assert_eq!(session["end_url"], format!("/admin/sessions/{id}/delete/"));
    assert_eq!(session["user_sessions_url"], "/admin/sessions/?user=1");
    assert_eq!(session["device"], "Firefox on macOS");
    assert_eq!(session["device_en"], "Firefox on macOS");
    assert_eq!(session["client_hints"], Value::Null, "present, as null");

    let last = alice
        .json(&app, list["next_url"].as_str().expect("url"))
        .await;
    assert_eq!(last["sessions"][0]["user"], "Bob Builder (bob)");
    assert_eq!(last["next"], Value::Null);
    assert_eq!(last["next_url"], Value::Null);

    let detail = alice.json(&app, &format!("{ADMIN}{id}/")).await;
    let mut top: Vec<&String> = detail.as_object().expect("object").keys().collect();
    top.sort();
    assert_eq!(top, ["csrf_token", "data", "end_user_url", "session"]);
    assert_eq!(detail["session"]["id"], id);
}
