//! The demo's own pages through its router: the login form is CSRF-protected, a bad password
//! is refused, `next` is followed, and signing out needs the token too.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    cookie: Option<String>,
    location: Option<String>,
    body: String,
}

async fn send(app: &axum::Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("response");
    let header_text = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let cookie =
        header_text(header::SET_COOKIE).and_then(|c| c.split(';').next().map(str::to_owned));
    let location = header_text(header::LOCATION);
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        cookie,
        location,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn token_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    html[start..start + 64].to_owned()
}

fn post(uri: &str, cookie: &str, form: &[(&str, &str)]) -> Request<Body> {
    Request::post(uri)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form_body(form)))
        .expect("request")
}

fn form_body(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.replace('%', "%25")
                    .replace('/', "%2F")
                    .replace('&', "%26")
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::get(uri).header(header::HOST, "127.0.0.1:3000");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::empty()).expect("request")
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

    // The home page of a stranger sets no cookie.
    let home = send(&app, get("/", None)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.cookie.is_none());
    assert!(home.body.contains("bob"));

    // The login form hands out a token bound to a cookie of its own (no session).
    let page = send(&app, get("/login?next=/account/sessions/", None)).await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = page.cookie.expect("a cookie for the form");
    assert!(cookie.starts_with("user-sessions-csrf="), "{cookie}");
    let token = token_in(&page.body);
    assert!(
        page.body
            .contains("name=\"next\" value=\"/account/sessions/\"")
    );

    // Without the token, or with a wrong one: 403.
    let credentials = [("username", "bob"), ("password", "builder")];
    let answer = send(&app, post("/login", &cookie, &credentials)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let wrong = [
        ("username", "bob"),
        ("password", "builder"),
        ("csrf_token", &"0".repeat(64)),
    ];
    assert_eq!(
        send(&app, post("/login", &cookie, &wrong)).await.status,
        StatusCode::FORBIDDEN
    );

    // A wrong password: the form again.
    let bad = [
        ("username", "bob"),
        ("password", "wonderland"),
        ("csrf_token", &token),
    ];
    let answer = send(&app, post("/login", &cookie, &bad)).await;
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
    let answer = send(&app, post("/login", &cookie, &good)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location.as_deref(), Some("/account/sessions/"));
    let signed_in = answer.cookie.expect("a new session id");
    assert_ne!(signed_in, cookie);

    let home = send(&app, get("/", Some(&signed_in))).await;
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
    let account = send(&app, get("/account/sessions/", Some(&signed_in))).await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("This session"));

    // Signing out needs the (new) token.
    let token = token_in(&home.body);
    let answer = send(&app, post("/logout", &signed_in, &[])).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = send(&app, post("/logout", &signed_in, &[("csrf_token", &token)])).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let account = send(&app, get("/account/sessions/", Some(&signed_in))).await;
    assert_eq!(account.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn staff_find_the_admin_from_the_home_page() {
    let (app, _dir) = demo_on_a_new_database().await;
    let alice = sign_in(&app, "alice", "wonderland").await;

    let home = send(&app, get("/", Some(&alice))).await;
    assert!(
        home.body
            .contains("<a class=\"us-button\" href=\"/admin/sessions/\">All sessions (admin)</a>"),
        "{}",
        home.body
    );
    let admin = send(&app, get("/admin/sessions/", Some(&alice))).await;
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
        let page = send(&app, get("/login", None)).await;
        let cookie = page.cookie.expect("a cookie for the form");
        let token = token_in(&page.body);
        let credentials = [
            ("username", "bob"),
            ("password", "builder"),
            ("csrf_token", &token),
            ("next", next),
        ];
        let answer = send(&app, post("/login", &cookie, &credentials)).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(answer.location.as_deref(), Some("/"), "{next:?}");
    }
}

/// Anonymous visitors cost no rows: the login form's CSRF token lives in a cookie of its own.
#[tokio::test]
async fn anonymous_visits_of_the_login_form_store_no_session() {
    let (demo, _dir) = demo_and_store().await;
    for _ in 0..1_000 {
        let page = send(&demo.router, get("/login?next=/account/sessions/", None)).await;
        assert_eq!(page.status, StatusCode::OK);
    }
    assert_eq!(stored_sessions(&demo.store).await, 0);
    // Signing in stores one.
    sign_in(&demo.router, "bob", "builder").await;
    assert_eq!(stored_sessions(&demo.store).await, 1);
}

/// Repeated wrong passwords for one account answer 429 with Retry-After; other accounts,
/// and a flood of made-up ones, do not lock anyone else out.
#[tokio::test]
async fn wrong_passwords_at_the_sign_in_form_are_throttled_per_account() {
    let (app, _dir) = demo_on_a_new_database().await;
    let page = send(&app, get("/login", None)).await;
    let cookie = page.cookie.expect("a cookie for the form");
    let token = token_in(&page.body);
    let attempt = |username: &'static str, password: &'static str| {
        let token = token.clone();
        let cookie = cookie.clone();
        let app = app.clone();
        async move {
            let form = [
                ("username", username),
                ("password", password),
                ("csrf_token", token.as_str()),
            ];
            let request = post("/login", &cookie, &form);
            let response = app.oneshot(request).await.expect("response");
            let retry_after = response
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            (response.status(), retry_after)
        }
    };
    for _ in 0..5 {
        assert_eq!(attempt("bob", "guess").await.0, StatusCode::UNAUTHORIZED);
    }
    let (status, retry_after) = attempt("bob", "builder").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after.expect("Retry-After");
    assert!((1..=15 * 60).contains(&wait), "Retry-After: {wait}");
    // Capitals make no new account.
    assert_eq!(
        attempt("BOB", "builder").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // alice is not affected.
    assert_eq!(
        attempt("alice", "wonderland").await.0,
        StatusCode::SEE_OTHER
    );
}

/// Signs in as `username` from the login form; returns the session cookie.
async fn sign_in(app: &axum::Router, username: &str, password: &str) -> String {
    let page = send(app, get("/login", None)).await;
    let form_cookie = page.cookie.expect("a cookie for the form");
    let token = token_in(&page.body);
    let credentials = [
        ("username", username),
        ("password", password),
        ("csrf_token", &token),
    ];
    let answer = send(app, post("/login", &form_cookie, &credentials)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    answer.cookie.expect("a session cookie")
}

#[tokio::test]
async fn changing_the_password_signs_out_every_other_session_and_keeps_this_one() {
    let (demo, _dir) = demo_and_store().await;
    let app = &demo.router;
    let laptop = sign_in(app, "bob", "builder").await;
    let phone = sign_in(app, "bob", "builder").await;
    let alice = sign_in(app, "alice", "wonderland").await;
    assert_eq!(stored_sessions(&demo.store).await, 3);

    let page = send(app, get("/account/password", Some(&laptop))).await;
    assert_eq!(page.status, StatusCode::OK);
    let token = token_in(&page.body);

    // A wrong current password changes nothing.
    let wrong = [
        ("csrf_token", token.as_str()),
        ("current_password", "nope"),
        ("new_password", "a-new-password"),
    ];
    let answer = send(app, post("/account/password", &laptop, &wrong)).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(answer.body.contains("not your current password"));
    assert_eq!(stored_sessions(&demo.store).await, 3);

    let right = [
        ("csrf_token", token.as_str()),
        ("current_password", "builder"),
        ("new_password", "a-new-password"),
    ];
    let answer = send(app, post("/account/password", &laptop, &right)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(
        answer.location.as_deref(),
        Some("/account/password?changed=1")
    );
    // Signed in again with the new password's hash: a new session id.
    let laptop = answer.cookie.expect("the session under its new id");

    let done = send(app, get("/account/password?changed=1", Some(&laptop))).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("Password changed."));
    let home = send(app, get("/", Some(&laptop))).await;
    assert!(home.body.contains("Sign out"), "still signed in");
    // The phone is signed out; alice is not touched.
    let home = send(app, get("/", Some(&phone))).await;
    assert!(!home.body.contains("Sign out"), "the other session ended");
    let home = send(app, get("/", Some(&alice))).await;
    assert!(home.body.contains("Sign out"));
    assert_eq!(stored_sessions(&demo.store).await, 2);

    // The old password no longer signs in; the new one does.
    let page = send(app, get("/login", None)).await;
    let form_cookie = page.cookie.expect("a cookie for the form");
    let old = [
        ("username", "bob"),
        ("password", "builder"),
        ("csrf_token", &token_in(&page.body)),
    ];
    assert_eq!(
        send(app, post("/login", &form_cookie, &old)).await.status,
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
    let first = sign_in(app, "bob", "builder").await;
    let mut others = Vec::new();
    for _ in 0..9 {
        others.push(sign_in(app, "bob", "builder").await);
    }
    assert_eq!(stored_sessions(&demo.store).await, 10);

    let eleventh = sign_in(app, "bob", "builder").await;
    assert_eq!(stored_sessions(&demo.store).await, 10);
    let home = send(app, get("/", Some(&first))).await;
    assert!(!home.body.contains("Sign out"), "the first session ended");
    for cookie in others.iter().chain([&eleventh]) {
        let home = send(app, get("/", Some(cookie))).await;
        assert!(home.body.contains("Sign out"));
    }
}

/// A browser whose session was ended elsewhere is told so on the sign-in page; a stranger and
/// a signed-in browser are not.
#[tokio::test]
async fn the_sign_in_page_says_when_the_session_was_ended_elsewhere() {
    let (demo, _dir) = demo_and_store().await;
    let app = &demo.router;
    const NOTICE: &str = "You were signed out from another device";
    let stranger = send(app, get("/login", None)).await;
    assert!(!stranger.body.contains(NOTICE), "{}", stranger.body);

    let laptop = sign_in(app, "bob", "builder").await;
    let page = send(app, get("/login", Some(&laptop))).await;
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
    let page = send(app, get("/login", Some(&laptop))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(NOTICE), "{}", page.body);
    // A browser signed in afterwards is told nothing.
    let phone = sign_in(app, "bob", "builder").await;
    let page = send(app, get("/login", Some(&phone))).await;
    assert!(!page.body.contains(NOTICE), "{}", page.body);
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
    let laptop = sign_in(app, "bob", "builder").await;

    // From a Windows PC at a London address (sample GeoIP data).
    let from_london = |mut request: Request<Body>| {
        let address: std::net::SocketAddr = "81.2.69.160:50000".parse().expect("address");
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(address));
        request
            .headers_mut()
            .insert(header::USER_AGENT, CHROME_WINDOWS.parse().expect("agent"));
        request
    };
    let sign_in_from_london = || async {
        let page = send(app, from_london(get("/login", None))).await;
        let form_cookie = page.cookie.expect("a cookie for the form");
        let credentials = [
            ("username", "bob"),
            ("password", "builder"),
            ("csrf_token", &token_in(&page.body)),
        ];
        let answer = send(app, from_london(post("/login", &form_cookie, &credentials))).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        answer.cookie.expect("a session cookie")
    };
    let pc = sign_in_from_london().await;

    // The notice is noted from the store's events, a moment after the sign-in.
    let mut page = send(app, get("/account/sessions/", Some(&laptop))).await;
    for _ in 0..100 {
        if page.body.contains(NOTICE) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        page = send(app, get("/account/sessions/", Some(&laptop))).await;
    }
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(NOTICE), "{}", page.body);
    assert!(page.body.contains("action=\"/notices/dismiss\""));
    // The new session is not told about itself.
    let own = send(app, from_london(get("/account/sessions/", Some(&pc)))).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(
        !own.body.contains("Chrome on Windows, London"),
        "{}",
        own.body
    );
    // In the page's language.
    let german = Request::get("/account/sessions/")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::COOKIE, &laptop)
        .header(header::ACCEPT_LANGUAGE, "de")
        .body(Body::empty())
        .expect("request");
    let german = send(app, german).await;
    assert!(
        german.body.contains("Neue Anmeldung: Chrome auf Windows"),
        "{}",
        german.body
    );

    // Dismissing needs the token; then the notice is gone.
    let token = token_in(&page.body);
    let refused = send(app, post("/notices/dismiss", &laptop, &[])).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        send(app, get("/account/sessions/", Some(&laptop)))
            .await
            .body
            .contains(NOTICE)
    );
    let dismissed = send(
        app,
        post("/notices/dismiss", &laptop, &[("csrf_token", &token)]),
    )
    .await;
    assert_eq!(dismissed.status, StatusCode::SEE_OTHER);
    assert_eq!(dismissed.location.as_deref(), Some("/account/sessions/"));
    let page = send(app, get("/account/sessions/", Some(&laptop))).await;
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
    let page = send(app, get("/account/sessions/", Some(&laptop))).await;
    assert!(!page.body.contains("New sign-in"), "{}", page.body);
}
