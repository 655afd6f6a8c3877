//! The demo's own pages through its router: the login form is CSRF-protected, a bad password
//! is refused, `next` is followed, and signing out needs the token too.

mod support;

use axum::http::{StatusCode, header};
use support::{Client, SESSION_COOKIE};

/// A browser of the demo as it is served (`http://127.0.0.1:3000`), with no cookies.
fn browser() -> Client {
    let mut client = Client::new(
        "127.0.0.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    );
    client.host = "127.0.0.1:3000".to_owned();
    client.scheme = "http";
    client
}

/// The login form's cookie (`user-sessions-csrf=…`) a browser holds.
fn form_cookie(client: &Client) -> String {
    let value = client
        .cookies
        .get("user-sessions-csrf")
        .expect("a cookie for the form");
    format!("user-sessions-csrf={value}")
}

/// The demo's router on a SQLite file of its own (removed with the returned directory).
async fn demo_on_a_new_database() -> (axum::Router, tempfile::TempDir) {
    let (demo, dir) = demo_and_store().await;
    (demo.router, dir)
}

async fn demo_and_store() -> (demo::Demo, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let config = demo::Config {
        database_url: Some(format!("sqlite://{}", dir.path().join("s.db").display())),
        ..demo::Config::default()
    };
    let demo = demo::build(&config).await.expect("demo");
    (demo, dir)
}

async fn stored_sessions(store: &user_sessions::Store) -> u64 {
    store
        .count(&user_sessions::Filter::default().status(user_sessions::Status::All))
        .await
        .expect("count")
}

#[tokio::test]
async fn sign_in_and_out_through_the_forms() {
    let (app, _dir) = demo_on_a_new_database().await;
    let mut bob = browser();

    // The home page of a stranger sets no cookie.
    let home = bob.get(&app, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.set_cookies().is_empty());
    assert!(home.body.contains("bob"));

    // The login form hands out a token bound to a cookie of its own (no session).
    let page = bob.get(&app, "/login?next=/account/sessions/").await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = form_cookie(&bob);
    assert!(bob.cookie().is_none(), "no session");
    let token = page.form_token();
    assert!(
        page.body
            .contains("name=\"next\" value=\"/account/sessions/\"")
    );

    // Without the token, or with a wrong one: 403.
    let credentials = [("username", "bob"), ("password", "builder")];
    let answer = bob.post_form(&app, "/login", &credentials).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let wrong = [
        ("username", "bob"),
        ("password", "builder"),
        ("csrf_token", &"0".repeat(64)),
    ];
    assert_eq!(
        bob.post_form(&app, "/login", &wrong).await.status,
        StatusCode::FORBIDDEN
    );

    // A wrong password: the form again.
    let bad = [
        ("username", "bob"),
        ("password", "wonderland"),
        ("csrf_token", &token),
    ];
    let answer = bob.post_form(&app, "/login", &bad).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(answer.body.contains("Unknown username or wrong password."));
    // Said under the password field, which is marked invalid.
    assert!(
        answer
            .body
            .contains("aria-invalid=\"true\" aria-describedby=\"password-error\"")
    );

    // The right one: a new session id, and on to `next`.
    let good = [
        ("username", "bob"),
        ("password", "builder"),
        ("csrf_token", &token),
        ("next", "/account/sessions/"),
    ];
    let answer = bob.post_form(&app, "/login", &good).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), Some("/account/sessions/"));
    answer
        .cookie_set(SESSION_COOKIE)
        .filter(|id| !id.is_empty())
        .expect("a new session id");
    let signed_in = bob.cookie().expect("a session cookie");
    assert_ne!(signed_in, cookie);

    let home = bob.get(&app, "/").await;
    assert!(home.body.contains("You are signed in as <bdi>bob</bdi>."));
    // The nav says who is signed in.
    assert!(
        home.body.contains("Signed in as <bdi>bob</bdi>"),
        "{}",
        home.body
    );
    // Sign-ins from other devices can be simulated from here.
    assert!(home.body.contains("action=\"/sign-in-elsewhere\""));
    // bob is not staff: no way to the admin from his home page.
    assert!(!home.body.contains("/admin/sessions/"));
    let account = bob.get(&app, "/account/sessions/").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("This session"));

    // Signing out needs the (new) token.
    let token = home.form_token();
    let answer = bob.post_form(&app, "/logout", &[]).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = bob
        .post_form(&app, "/logout", &[("csrf_token", &token)])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    // The old cookie, sent again, is signed out.
    bob.set_cookie(Some(&signed_in));
    let account = bob.get(&app, "/account/sessions/").await;
    assert_eq!(account.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn staff_find_the_admin_from_the_home_page() {
    let (app, _dir) = demo_on_a_new_database().await;
    let mut alice = sign_in(&app, "alice", "wonderland").await;

    let home = alice.get(&app, "/").await;
    assert!(
        home.body
            .contains("<a class=\"us-button\" href=\"/admin/sessions/\">All sessions (admin)</a>"),
        "{}",
        home.body
    );
    let admin = alice.get(&app, "/admin/sessions/").await;
    assert_eq!(admin.status, StatusCode::OK);
}

/// A `next` that could leave the site, or that cannot go into a `Location` header, sends the
/// user home once the password was accepted: never elsewhere, never an error.
#[tokio::test]
async fn an_unsafe_next_leads_home_after_signing_in() {
    let (app, _dir) = demo_on_a_new_database().await;
    for next in [
        "/\t/evil.example",
        "/\r",
        "/a\x0bb",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
    ] {
        let mut bob = browser();
        let page = bob.get(&app, "/login").await;
        let token = page.form_token();
        let credentials = [
            ("username", "bob"),
            ("password", "builder"),
            ("csrf_token", &token),
            ("next", next),
        ];
        let answer = bob.post_form(&app, "/login", &credentials).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(answer.location(), Some("/"), "{next:?}");
    }
}

/// Anonymous visitors cost no rows: the login form's CSRF token lives in a cookie of its own.
#[tokio::test]
async fn anonymous_visits_of_the_login_form_store_no_session() {
    let (demo, _dir) = demo_and_store().await;
    for _ in 0..1_000 {
        let page = browser()
            .get(&demo.router, "/login?next=/account/sessions/")
            .await;
        assert_eq!(page.status, StatusCode::OK);
    }
    assert_eq!(stored_sessions(&demo.store).await, 0);
    // Signing in stores one.
    sign_in(&demo.router, "bob", "builder").await;
    assert_eq!(stored_sessions(&demo.store).await, 1);
}

/// One attempt at the sign-in form of `client` (whose token is `token`): the status and the
/// `Retry-After`.
async fn attempt(
    app: &axum::Router,
    client: &mut Client,
    token: &str,
    username: &str,
    password: &str,
) -> (StatusCode, Option<u64>) {
    let form = [
        ("username", username),
        ("password", password),
        ("csrf_token", token),
    ];
    let answer = client.post_form(app, "/login", &form).await;
    let retry_after = answer
        .headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    (answer.status, retry_after)
}

/// Repeated wrong passwords for one account answer 429 with Retry-After; they are counted per
/// account, so they lock no other account out. (That a flood of made-up accounts cannot fill
/// the count's table and lock out real ones is `WrongPasswords`' own test: through this form,
/// each attempt checks a password hash, too slow for 10 000 of them here.)
#[tokio::test]
async fn wrong_passwords_at_the_sign_in_form_are_throttled_per_account() {
    let (app, _dir) = demo_on_a_new_database().await;
    let mut client = browser();
    let token = client.get(&app, "/login").await.form_token();
    let form = form_cookie(&client);
    // Each attempt from the form as it was: a sign-in must not change what the next one sends.
    let (name, value) = form.split_once('=').expect("cookie");
    let mut try_sign_in = async |username: &str, password: &str| {
        client.cookies.clear();
        client.cookies.insert(name.to_owned(), value.to_owned());
        attempt(&app, &mut client, &token, username, password).await
    };
    for _ in 0..5 {
        assert_eq!(
            try_sign_in("bob", "guess").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (status, retry_after) = try_sign_in("bob", "builder").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after.expect("Retry-After");
    assert!((1..=15 * 60).contains(&wait), "Retry-After: {wait}");
    // Capitals make no new account.
    assert_eq!(
        try_sign_in("BOB", "builder").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // alice is not affected.
    assert_eq!(
        try_sign_in("alice", "wonderland").await.0,
        StatusCode::SEE_OTHER
    );
}

/// A browser signed in as `username` from the login form.
async fn sign_in(app: &axum::Router, username: &str, password: &str) -> Client {
    let mut client = browser();
    let page = client.get(app, "/login").await;
    let token = page.form_token();
    let credentials = [
        ("username", username),
        ("password", password),
        ("csrf_token", &token),
    ];
    let answer = client.post_form(app, "/login", &credentials).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert!(client.cookie().is_some(), "a session cookie");
    client
}

#[tokio::test]
async fn changing_the_password_signs_out_every_other_session_and_keeps_this_one() {
    let (demo, _dir) = demo_and_store().await;
    let app = &demo.router;
    let mut laptop = sign_in(app, "bob", "builder").await;
    let mut phone = sign_in(app, "bob", "builder").await;
    let mut alice = sign_in(app, "alice", "wonderland").await;
    assert_eq!(stored_sessions(&demo.store).await, 3);

    let page = laptop.get(app, "/account/password").await;
    assert_eq!(page.status, StatusCode::OK);
    let token = page.form_token();

    // A wrong current password changes nothing.
    let wrong = [
        ("csrf_token", token.as_str()),
        ("current_password", "nope"),
        ("new_password", "a-new-password"),
    ];
    let answer = laptop.post_form(app, "/account/password", &wrong).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(answer.body.contains("not your current password"));
    assert_eq!(stored_sessions(&demo.store).await, 3);

    let right = [
        ("csrf_token", token.as_str()),
        ("current_password", "builder"),
        ("new_password", "a-new-password"),
    ];
    let answer = laptop.post_form(app, "/account/password", &right).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location(), Some("/account/password?changed=1"));
    // Signed in again with the new password's hash: the session cookie is set again.
    answer
        .cookie_set(SESSION_COOKIE)
        .filter(|id| !id.is_empty())
        .expect("the session under its new id");

    let done = laptop.get(app, "/account/password?changed=1").await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("Password changed."));
    let home = laptop.get(app, "/").await;
    assert!(home.body.contains("Sign out"), "still signed in");
    // The phone is signed out; alice is not touched.
    let home = phone.get(app, "/").await;
    assert!(!home.body.contains("Sign out"), "the other session ended");
    let home = alice.get(app, "/").await;
    assert!(home.body.contains("Sign out"));
    assert_eq!(stored_sessions(&demo.store).await, 2);

    // The old password no longer signs in; the new one does.
    let mut stranger = browser();
    let page = stranger.get(app, "/login").await;
    let old = [
        ("username", "bob"),
        ("password", "builder"),
        ("csrf_token", &page.form_token()),
    ];
    assert_eq!(
        stranger.post_form(app, "/login", &old).await.status,
        StatusCode::UNAUTHORIZED
    );
    sign_in(app, "bob", "a-new-password").await;
}

/// The demo keeps each user to 10 sessions: the 11th sign-in ends the least recently active
/// one, whose browser is signed out; the others stay signed in.
#[tokio::test]
async fn the_eleventh_sign_in_ends_the_least_recently_active_session() {
    let (demo, _dir) = demo_and_store().await;
    let app = &demo.router;
    let mut first = sign_in(app, "bob", "builder").await;
    let mut others = Vec::new();
    for _ in 0..9 {
        others.push(sign_in(app, "bob", "builder").await);
    }
    assert_eq!(stored_sessions(&demo.store).await, 10);

    let eleventh = sign_in(app, "bob", "builder").await;
    assert_eq!(stored_sessions(&demo.store).await, 10);
    let home = first.get(app, "/").await;
    assert!(!home.body.contains("Sign out"), "the first session ended");
    for mut client in others.into_iter().chain([eleventh]) {
        let home = client.get(app, "/").await;
        assert!(home.body.contains("Sign out"));
    }
}

/// The demo asks for the password before ending another session, even right after signing
/// in: without it, or with a wrong one, nothing ends; with bob's, his other session ends.
#[tokio::test]
async fn ending_another_session_asks_for_the_password() {
    let (demo, _dir) = demo_and_store().await;
    let app = &demo.router;
    let mut laptop = sign_in(app, "bob", "builder").await;
    let _phone = sign_in(app, "bob", "builder").await;
    let live = async || demo.store.user_sessions("2").await.expect("bob's").len();
    assert_eq!(live().await, 2);

    let page = laptop.get(app, "/account/sessions/").await;
    assert!(
        page.body.contains("type=\"password\" name=\"password\""),
        "{}",
        page.body
    );
    let token = page.form_token();
    let end_others = "/account/sessions/other/delete/";
    for fields in [
        vec![("csrf_token", token.as_str())],
        vec![("csrf_token", token.as_str()), ("password", "wonderland")],
    ] {
        let answer = laptop.post_form(app, end_others, &fields).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{fields:?}");
        assert_eq!(live().await, 2, "nothing ends: {fields:?}");
    }
    let right = [("csrf_token", token.as_str()), ("password", "builder")];
    let answer = laptop.post_form(app, end_others, &right).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(live().await, 1);
}

/// The demo ends a session 30 days after it began, however active it is: bob's session,
/// used just now, is still signed in at 29 days and signed out at 31.
#[tokio::test]
async fn a_session_ends_thirty_days_after_it_began_however_active() {
    const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);
    let (demo, _dir) = demo_and_store().await;
    let app = &demo.router;
    let mut bob = sign_in(app, "bob", "builder").await;
    let sessions = demo.store.user_sessions("2").await.expect("bob's sessions");
    let [session] = sessions.as_slice() else {
        panic!("bob has {} sessions", sessions.len());
    };
    let began_days_ago = async |days: u32| {
        let mut row = demo
            .store
            .load(&session.id)
            .await
            .expect("load")
            .expect("bob's session");
        row.info.created_at = time::OffsetDateTime::now_utc() - DAY * days;
        demo.store.save(&row).await.expect("save");
    };

    began_days_ago(29).await;
    let page = bob.get(app, "/account/sessions/").await;
    assert_eq!(page.status, StatusCode::OK, "signed in at 29 days");

    began_days_ago(31).await;
    let page = bob.get(app, "/account/sessions/").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "signed out at 31 days");
    assert_eq!(
        page.location(),
        Some("/login?next=%2Faccount%2Fsessions%2F")
    );
}

/// A browser whose session was ended elsewhere is told so on the sign-in page; a stranger and
/// a signed-in browser are not.
#[tokio::test]
async fn the_sign_in_page_says_when_the_session_was_ended_elsewhere() {
    let (demo, _dir) = demo_and_store().await;
    let app = &demo.router;
    const NOTICE: &str = "You were signed out from another device";
    let stranger = browser().get(app, "/login").await;
    assert!(!stranger.body.contains(NOTICE), "{}", stranger.body);

    let mut laptop = sign_in(app, "bob", "builder").await;
    let page = laptop.get(app, "/login").await;
    assert!(!page.body.contains(NOTICE), "{}", page.body);

    // "Log out everywhere" from elsewhere: the laptop's next visit says why it is signed out.
    let stored = demo
        .store
        .list(
            &user_sessions::Filter::default(),
            &user_sessions::PageRequest::default(),
        )
        .await
        .expect("list");
    let bob = stored.sessions[0].user_id.clone().expect("signed in");
    let ended = demo
        .store
        .end_all_user_sessions(&bob)
        .await
        .expect("end bob's sessions");
    assert_eq!(ended, 1);
    let page = laptop.get(app, "/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(NOTICE), "{}", page.body);
    // A browser signed in afterwards is told nothing.
    let mut phone = sign_in(app, "bob", "builder").await;
    let page = phone.get(app, "/login").await;
    assert!(!page.body.contains(NOTICE), "{}", page.body);

    // Signing out of a session ended meanwhile (its form's token now stale) leads to the
    // sign-in page, not to a refusal.
    let token = phone.get(app, "/").await.form_token();
    demo.store
        .end_all_user_sessions(&bob)
        .await
        .expect("end bob's sessions");
    let answer = phone
        .post_form(app, "/logout", &[("csrf_token", &token)])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), Some("/login"));
}

/// A sign-in from a device bob's history does not know (Chrome on Windows, in London): his
/// other session's sessions page says so until he dismisses it; the new session itself is
/// not told, and signing in again from that device says nothing more.
#[tokio::test]
async fn a_sign_in_from_a_new_device_is_noticed_on_the_other_sessions_until_dismissed() {
    const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                                  (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    const NOTICE: &str = "New sign-in: Chrome on Windows, London, United Kingdom — just now";
    let (demo, _dir) = demo_and_store().await;
    let app = &demo.router;
    let mut laptop = sign_in(app, "bob", "builder").await;

    // From a Windows PC at a London address (sample GeoIP data).
    let sign_in_from_london = || async {
        let mut pc = Client::new("81.2.69.160", CHROME_WINDOWS);
        pc.host = "127.0.0.1:3000".to_owned();
        pc.scheme = "http";
        let page = pc.get(app, "/login").await;
        let token = page.form_token();
        let credentials = [
            ("username", "bob"),
            ("password", "builder"),
            ("csrf_token", token.as_str()),
        ];
        let answer = pc.post_form(app, "/login", &credentials).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        assert!(pc.cookie().is_some(), "a session cookie");
        pc
    };
    let mut pc = sign_in_from_london().await;

    // The notice is noted from the store's events, a moment after the sign-in.
    let mut page = laptop.get(app, "/account/sessions/").await;
    for _ in 0..100 {
        if page.body.contains(NOTICE) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        page = laptop.get(app, "/account/sessions/").await;
    }
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(NOTICE), "{}", page.body);
    assert!(page.body.contains("action=\"/notices/dismiss\""));
    // The new session is not told about itself.
    let own = pc.get(app, "/account/sessions/").await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(
        !own.body.contains("Chrome on Windows, London"),
        "{}",
        own.body
    );
    // In the page's language.
    laptop.accept_language = Some("de".to_owned());
    let german = laptop.get(app, "/account/sessions/").await;
    laptop.accept_language = None;
    assert!(
        german.body.contains("Neue Anmeldung: Chrome auf Windows"),
        "{}",
        german.body
    );

    // Dismissing needs the token; then the notice is gone.
    let token = page.form_token();
    let refused = laptop.post_form(app, "/notices/dismiss", &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        laptop
            .get(app, "/account/sessions/")
            .await
            .body
            .contains(NOTICE)
    );
    let dismissed = laptop
        .post_form(app, "/notices/dismiss", &[("csrf_token", token.as_str())])
        .await;
    assert_eq!(dismissed.status, StatusCode::SEE_OTHER);
    assert_eq!(dismissed.location(), Some("/account/sessions/"));
    let page = laptop.get(app, "/account/sessions/").await;
    assert!(!page.body.contains("New sign-in"), "{}", page.body);

    // The same device again: known, so no notice.
    let mut events = demo.store.events().subscribe(64);
    sign_in_from_london().await;
    let mut new_device = None;
    while let Some(event) = events.try_recv() {
        if let user_sessions::events::Event::SignedIn {
            new_device: flag, ..
        } = event
        {
            new_device = Some(flag);
        }
    }
    assert_eq!(new_device, Some(false));
    let page = laptop.get(app, "/account/sessions/").await;
    assert!(!page.body.contains("New sign-in"), "{}", page.body);
}
