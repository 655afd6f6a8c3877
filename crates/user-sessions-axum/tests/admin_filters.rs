//! The list's filters and search, alone and combined, like the original's admin: expired
//! sessions only under `active=0`, `owner=my` only mine, a user search only that user's, an
//! address only that address.
#![cfg(feature = "admin")]

mod admin_support;

use std::collections::BTreeSet;

use admin_support::{ADMIN, App, Client, hex};
use axum::http::StatusCode;
use time::Duration;
use user_sessions::PublicId;

/// The sessions of the test, by name.
struct World {
    app: App,
    alice: Client,
    alice_here: String,
    alice_phone: String,
    alice_expired: String,
    bob_laptop: String,
    bob_office: String,
    bob_expired: String,
    carol: String,
    anonymous: String,
    anonymous_expired: String,
}

async fn world() -> World {
    let app = App::new().await;
    let h = |id: PublicId| hex(&id);
    let live = Duration::hours(2);
    let gone = -Duration::minutes(5);
    let minutes = Duration::minutes;
    let alice_phone = h(app.add(1, Some("1"), "203.0.113.5", minutes(3), live).await);
    let alice_expired = h(app
        .add(2, Some("1"), "203.0.113.50", minutes(90), gone)
        .await);
    let bob_laptop = h(app
        .add(3, Some("2"), "198.51.100.7", minutes(4), live)
        .await);
    let bob_office = h(app
        .add(4, Some("2"), "203.0.113.55", minutes(5), live)
        .await);
    let bob_expired = h(app
        .add(5, Some("2"), "203.0.113.5", minutes(80), gone)
        .await);
    let carol = h(app.add(6, Some("3"), "2001:db8::5", minutes(6), live).await);
    let anonymous = h(app.add(7, None, "203.0.113.5", minutes(7), live).await);
    let anonymous_expired = h(app.add(8, None, "192.0.2.99", minutes(70), gone).await);
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    let alice_here = alice.json(&app, "/account/sessions/").await["sessions"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    World {
        app,
        alice,
        alice_here,
        alice_phone,
        alice_expired,
        bob_laptop,
        bob_office,
        bob_expired,
        carol,
        anonymous,
        anonymous_expired,
    }
}

impl World {
    /// The ids the list shows for this query string.
    async fn list(&mut self, query: &str) -> BTreeSet<String> {
        let ids = self.alice.ids(&self.app, &format!("{ADMIN}?{query}")).await;
        let set: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(set.len(), ids.len(), "a session listed twice for {query}");
        set
    }
}

fn set(ids: &[&String]) -> BTreeSet<String> {
    ids.iter().map(|s| (*s).clone()).collect()
}

#[tokio::test]
async fn all_sessions_by_default_and_expired_ones_only_under_active_0() {
    let mut w = world().await;
    let everything = set(&[
        &w.alice_here,
        &w.alice_phone,
        &w.alice_expired,
        &w.bob_laptop,
        &w.bob_office,
        &w.bob_expired,
        &w.carol,
        &w.anonymous,
        &w.anonymous_expired,
    ]);
    let expired = set(&[&w.alice_expired, &w.bob_expired, &w.anonymous_expired]);
    let active: BTreeSet<String> = everything.difference(&expired).cloned().collect();

    assert_eq!(w.list("").await, everything);
    assert_eq!(w.list("active=1").await, active);
    assert_eq!(w.list("active=0").await, expired);

    // Newest activity first.
    let order = w.alice.ids(&w.app, ADMIN).await;
    assert_eq!(order[0], w.alice_here);
    assert_eq!(order[1], w.alice_phone);
    assert_eq!(order.last(), Some(&w.alice_expired));

    // The valid / expired mark.
    let list = w.alice.json(&w.app, ADMIN).await;
    for session in list["sessions"].as_array().expect("sessions") {
        let id = session["id"].as_str().expect("id");
        assert_eq!(session["expired"], expired.contains(id), "{id}");
    }
    let page = w.alice.page(&w.app, "/admin/sessions/?active=0").await;
    assert!(page.body.contains("us-admin-status-expired"));
    assert!(!page.body.contains("us-admin-status-valid"));
}

#[tokio::test]
async fn owner_my_shows_only_mine() {
    let mut w = world().await;
    assert_eq!(
        w.list("owner=my").await,
        set(&[&w.alice_here, &w.alice_phone, &w.alice_expired])
    );
    assert_eq!(
        w.list("owner=my&active=1").await,
        set(&[&w.alice_here, &w.alice_phone])
    );
    let list = w.alice.json(&w.app, "/admin/sessions/?owner=my").await;
    assert_eq!(list["filters"]["owner"], "my");
    for session in list["sessions"].as_array().expect("sessions") {
        assert_eq!(session["user_id"], "1");
        assert_eq!(session["user"], "Alice Liddell (alice)");
    }
}

#[tokio::test]
async fn a_user_search_shows_only_that_users_sessions() {
    let mut w = world().await;
    let bob = set(&[&w.bob_laptop, &w.bob_office, &w.bob_expired]);
    // By username, by name, by email.
    assert_eq!(w.list("q=bob").await, bob);
    assert_eq!(w.list("q=Bob+Builder").await, bob);
    assert_eq!(w.list("q=builders.example").await, bob);
    // Several users at once: everyone at example.com with a session (alice, carol).
    assert_eq!(
        w.list("q=example.com").await,
        set(&[&w.alice_here, &w.alice_phone, &w.alice_expired, &w.carol])
    );
    // Nobody, or somebody without sessions.
    assert!(w.list("q=mallory").await.is_empty());
    assert!(w.list("q=dave").await.is_empty());
    // By id, from a link.
    assert_eq!(w.list("user=2").await, bob);

    let list = w.alice.json(&w.app, "/admin/sessions/?q=bob").await;
    assert_eq!(list["filters"]["search"], "user");
    assert_eq!(list["filters"]["matched_users"], 1);
    assert_eq!(list["filters"]["truncated"], false);
    // One user's list offers to end all their sessions.
    let page = w.alice.page(&w.app, "/admin/sessions/?q=bob").await;
    assert!(
        page.body
            .contains("End all of this user’s sessions: <bdi>Bob Builder (bob)</bdi>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("name=\"user\" value=\"2\""));
    // How many were found, and the way back to everyone's.
    assert!(page.body.contains(">3 sessions<"), "{}", page.body);
    assert!(
        page.body
            .contains("href=\"/admin/sessions/\">Clear search</a>")
    );

    // A user filter shows in the owner filter, as the choice in effect.
    let page = w.alice.page(&w.app, "/admin/sessions/?user=2").await;
    assert!(
        page.body.contains(
            "aria-current=\"true\" class=\"us-admin-choice-selected\"><bdi>Bob Builder (bob)</bdi>"
        ),
        "{}",
        page.body
    );
    assert_eq!(
        page.body.matches("aria-current=\"true\"").count(),
        2,
        "status and owner"
    );
    assert!(!page.body.contains("Clear search"));
}

#[tokio::test]
async fn an_address_search_shows_only_that_address() {
    let mut w = world().await;
    // 203.0.113.50 and .55 start with 203.0.113.5 but are other addresses.
    assert_eq!(
        w.list("q=203.0.113.5").await,
        set(&[&w.alice_phone, &w.bob_expired, &w.anonymous])
    );
    assert_eq!(w.list("q=2001:db8::5").await, set(&[&w.carol]));
    assert!(w.list("q=203.0.113.6").await.is_empty());
    // The beginning of an address finds all that start so.
    assert_eq!(
        w.list("q=203.0.113.").await,
        set(&[
            &w.alice_phone,
            &w.alice_expired,
            &w.bob_office,
            &w.bob_expired,
            &w.anonymous
        ])
    );
    assert_eq!(w.list("q=2001:db8:").await, set(&[&w.carol]));
    let list = w.alice.json(&w.app, "/admin/sessions/?q=203.0.113.5").await;
    assert_eq!(list["filters"]["search"], "ip");
    let list = w.alice.json(&w.app, "/admin/sessions/?q=203.0.113.").await;
    assert_eq!(list["filters"]["search"], "ip_prefix");
}

#[tokio::test]
async fn filters_and_search_combine() {
    let mut w = world().await;
    assert_eq!(
        w.list("q=203.0.113.&active=1").await,
        set(&[&w.alice_phone, &w.bob_office, &w.anonymous])
    );
    assert_eq!(
        w.list("q=203.0.113.5&active=0").await,
        set(&[&w.bob_expired])
    );
    assert_eq!(w.list("q=bob&active=0").await, set(&[&w.bob_expired]));
    assert_eq!(w.list("q=bob&owner=my").await, BTreeSet::new());
    assert_eq!(
        w.list("q=example.com&owner=my&active=1").await,
        set(&[&w.alice_here, &w.alice_phone])
    );
    assert_eq!(
        w.list("owner=my&q=203.0.113.").await,
        set(&[&w.alice_phone, &w.alice_expired])
    );
    assert_eq!(w.list("user=2&q=198.51.100.7").await, set(&[&w.bob_laptop]));
    assert_eq!(w.list("user=2&q=carol").await, BTreeSet::new());

    let list = w
        .alice
        .json(&w.app, "/admin/sessions/?q=bob&active=0&owner=my")
        .await;
    assert_eq!(list["filters"]["active"], false);
    assert_eq!(list["filters"]["owner"], "my");
    assert_eq!(list["filters"]["q"], "bob");
}

#[tokio::test]
async fn the_filter_links_keep_the_search_and_a_nonsense_query_is_a_400() {
    let mut w = world().await;
    let page = w
        .alice
        .page(&w.app, "/admin/sessions/?q=bob&owner=my")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("href=\"/admin/sessions/?active=0&amp;owner=my&amp;q=bob\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"bob\""));
    assert!(page.body.contains("No session matches."));

    for query in ["active=maybe", "owner=yours", "after=garbage", "limit=0"] {
        let answer = w.alice.get_json(&w.app, &format!("{ADMIN}?{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(answer.json()["error"], "bad_request");
        let page = w.alice.page(&w.app, &format!("{ADMIN}?{query}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{query}");
    }
}

#[tokio::test]
async fn user_text_is_escaped() {
    let app = App::new().await;
    let mut record = admin_support::record(
        1,
        Some("2"),
        "203.0.113.9",
        Duration::ZERO,
        Duration::hours(1),
    );
    record.info.user_agent = Some("<script>alert(1)</script>".into());
    app.store.save(&record).await.expect("save");
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    let page = alice.page(&app, "/admin/sessions/?q=%3Cb%3Ehi").await;
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("<b>hi"));
    assert!(page.body.contains("&lt;b&gt;hi"));
    let detail = alice
        .page(&app, &format!("{ADMIN}{}/", hex(&record.info.id)))
        .await;
    assert!(!detail.body.contains("<script>alert"));
    assert!(
        detail
            .body
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
}

#[tokio::test]
async fn the_admin_reads_right_to_left_with_names_and_addresses_isolated() {
    let mut w = world().await;
    w.alice.accept_language = Some("he".into());
    let page = w.alice.page(&w.app, ADMIN).await;
    assert!(page.body.contains("<html lang=\"he\" dir=\"rtl\">"));
    // The example address of the search hint, and every address, read left to right.
    assert!(
        page.body.contains("(<bdi dir=\"ltr\">203.0.113.</bdi>)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<bdi dir=\"ltr\">203.0.113.5</bdi>"));
    // Each product name isolated inside the Hebrew phrase, with the device's icon.
    assert!(page.body.contains("<bdi>Chrome</bdi> ב־<bdi>Windows</bdi>"));
    assert!(page.body.contains("us-icon us-icon-desktop"));
}
