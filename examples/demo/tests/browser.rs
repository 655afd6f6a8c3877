//! A real browser against the demo: headless Chromium, driven over WebDriver (chromedriver),
//! two separate browser profiles signed in as bob; the first ends the second's session, and
//! the second is signed out on its next page load. Screenshots of the account page (desktop
//! 1280 px, phone 360 px, and right-to-left) land in `target/screenshots/`.
//!
//! A walk through the account page, its password confirmation, the admin list and the admin's
//! second step in English, German, Arabic, Hebrew and Japanese, at 1280 and 360 px, saves a
//! screenshot of each (`<view>-<lang>-<width>.png`, the views `account`, `confirm`, `ended`,
//! `admin`, `admin-detail` and `admin-confirm`) and checks what a browser can: language and direction, nothing
//! wider than the window, the order of product names, the admin table stacked on a phone,
//! errors under their field, notices that name the device.
//!
//! Over 600 lines: three real-browser scenarios sharing one set of helpers (chromedriver, a
//! browser per profile, signing in, screenshots); the walk's checks sit beside the screenshots
//! they are about.
//!
//! Needs `chromium` and `chromedriver` (Debian: `chromium`, `chromium-driver`); runs when
//! `TEST_BROWSER` is set (`.ci/run` sets it), and is ignored otherwise.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

/// The flags every browser gets.
const CHROMIUM_FLAGS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// How long to wait for chromedriver, or for a page to show what it should.
const PATIENCE: Duration = Duration::from_secs(30);

/// chromedriver, stopped (by its process id) when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_chromedriver() -> Driver {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver runs (apt-get install chromium chromium-driver)");
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let started = Instant::now();
    while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
        assert!(started.elapsed() < PATIENCE, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

/// A browser with its own profile directory (its own cookies).
async fn browser(
    driver: &Driver,
    profile: &Path,
    extra: &[&str],
    mobile_width: Option<u32>,
) -> Client {
    browser_of_height(driver, profile, extra, mobile_width, 1500).await
}

/// A browser as [`browser`] makes, whose phone screen (with `mobile_width`) is `height` tall.
async fn browser_of_height(
    driver: &Driver,
    profile: &Path,
    extra: &[&str],
    mobile_width: Option<u32>,
    height: u32,
) -> Client {
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend(extra.iter().map(|a| a.to_string()));
    let mut options = json!({ "args": args });
    if Path::new("/usr/bin/chromium").exists() {
        options["binary"] = json!("/usr/bin/chromium");
    }
    if let Some(width) = mobile_width {
        options["mobileEmulation"] = json!({
            "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "mobile": true, "touch": true },
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
        });
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

async fn sign_in(client: &Client, base: &str, username: &str, password: &str) {
    client
        .goto(&format!("{base}/login"))
        .await
        .expect("login page");
    client
        .find(Locator::Id("username"))
        .await
        .expect("username field")
        .send_keys(username)
        .await
        .expect("type username");
    client
        .find(Locator::Id("password"))
        .await
        .expect("password field")
        .send_keys(password)
        .await
        .expect("type password");
    client
        .find(Locator::Css("form[action='/login'] button[type=submit]"))
        .await
        .expect("sign-in button")
        .click()
        .await
        .expect("click sign in");
    client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css("form[action='/logout']"))
        .await
        .expect("signed in: the home page with its sign-out form");
}

async fn open_sessions(client: &Client, base: &str) {
    client
        .goto(&format!("{base}/account/sessions/"))
        .await
        .expect("account page");
}

async fn session_count(client: &Client) -> usize {
    client
        .find_all(Locator::Css("li.us-session"))
        .await
        .expect("sessions")
        .len()
}

/// The end URL of the browser's own session, read from its page.
async fn own_end_url(client: &Client) -> String {
    client
        .find(Locator::Css("li.us-session-current form"))
        .await
        .expect("the current session's form")
        .attr("action")
        .await
        .expect("action")
        .expect("an action attribute")
}

/// Ends the session whose end form posts to `end_url`: types the password into that form and
/// submits it.
async fn end_with_password(client: &Client, end_url: &str, password: &str) {
    client
        .find(Locator::Css(&format!(
            "form[action='{end_url}'] input[name=password]"
        )))
        .await
        .unwrap_or_else(|e| panic!("the password field of the session at {end_url}: {e}"))
        .send_keys(password)
        .await
        .expect("type the password");
    client
        .find(Locator::Css(&format!(
            "form[action='{end_url}'] button[type=submit]"
        )))
        .await
        .unwrap_or_else(|e| panic!("the End button of the session at {end_url}: {e}"))
        .click()
        .await
        .expect("click End");
}

fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot directory");
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    let path = screenshots_dir().join(name);
    std::fs::write(&path, png).expect("write screenshot");
    eprintln!("screenshot: {}", path.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(test_browser),
    ignore = "set TEST_BROWSER=1 to run (needs chromium and chromedriver)"
)]
async fn ending_a_session_in_one_browser_signs_the_other_out() {
    // The demo, in process, on a free port, with its own SQLite file.
    let dir = tempfile::tempdir().expect("temporary directory");
    let config = demo::Config {
        database_url: Some(format!(
            "sqlite://{}",
            dir.path().join("sessions.db").display()
        )),
        ..demo::Config::default()
    };
    let app = demo::build(&config).await.expect("the demo builds");
    let store = app.store.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(demo::serve_until_ctrl_c(app, listener));

    let driver = start_chromedriver();
    let desktop = ["--window-size=1280,1000"];
    let first = browser(&driver, &dir.path().join("profile-first"), &desktop, None).await;
    let second = browser(&driver, &dir.path().join("profile-second"), &desktop, None).await;

    first
        .goto(&format!("{base}/login"))
        .await
        .expect("login page");
    screenshot(&first, "login-1280.png").await;
    sign_in(&first, &base, "bob", "builder").await;
    screenshot(&first, "home-1280.png").await;
    sign_in(&second, &base, "bob", "builder").await;
    assert_eq!(store.user_sessions("1").await.expect("alice").len(), 0);
    assert_eq!(store.user_sessions("2").await.expect("bob").len(), 2);

    // The first browser sees both sessions, its own marked.
    open_sessions(&first, &base).await;
    assert_eq!(session_count(&first).await, 2);
    let page = first.source().await.expect("page source");
    assert!(page.contains("This session"));
    assert!(page.contains("End all other sessions"));
    screenshot(&first, "account-desktop-1280.png").await;

    // A phone (360 px) and a right-to-left desktop, for the screenshots.
    let phone = browser(&driver, &dir.path().join("profile-phone"), &[], Some(360)).await;
    sign_in(&phone, &base, "bob", "builder").await;
    open_sessions(&phone, &base).await;
    assert_eq!(session_count(&phone).await, 3);
    let width: Value = phone
        .execute("return document.documentElement.clientWidth", vec![])
        .await
        .unwrap_or(Value::Null);
    let scroll_width: Value = phone
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap_or(Value::Null);
    assert_eq!(width, json!(360), "the phone viewport");
    assert_eq!(scroll_width, width, "nothing wider than the phone's screen");
    screenshot(&phone, "account-phone-360.png").await;

    let arabic = browser(
        &driver,
        &dir.path().join("profile-arabic"),
        &["--window-size=1280,1000", "--lang=ar", "--accept-lang=ar"],
        None,
    )
    .await;
    sign_in(&arabic, &base, "bob", "builder").await;
    open_sessions(&arabic, &base).await;
    let page = arabic.source().await.expect("page source");
    assert!(page.contains("dir=\"rtl\""), "Arabic page is right-to-left");
    screenshot(&arabic, "account-rtl-ar-1280.png").await;
    arabic.close().await.expect("close");
    phone.close().await.expect("close");

    // The first browser ends the second's session.
    open_sessions(&second, &base).await;
    let second_url = own_end_url(&second).await;
    open_sessions(&first, &base).await;
    // The demo asks for the password before ending another session.
    end_with_password(&first, &second_url, "builder").await;
    first
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(".us-flash"))
        .await
        .expect("the notice after ending");
    let page = first.source().await.expect("page source");
    assert!(
        page.contains("was signed out."),
        "the notice names the device"
    );
    assert!(!page.contains(&second_url));
    screenshot(&first, "account-desktop-after-end-1280.png").await;

    // The second browser is signed out on its next page load.
    open_sessions(&second, &base).await;
    let url = second.current_url().await.expect("url");
    assert_eq!(url.path(), "/login", "sent to the login page");
    assert_eq!(url.query(), Some("next=%2Faccount%2Fsessions%2F"));

    // The first is still signed in.
    open_sessions(&first, &base).await;
    assert_eq!(
        first.current_url().await.expect("url").path(),
        "/account/sessions/"
    );

    first.close().await.expect("close");
    second.close().await.expect("close");
    drop(driver);
}

/// The demo in process on a free port with its own SQLite file: its base URL and store.
async fn start_demo(dir: &Path) -> (String, user_sessions::Store) {
    let config = demo::Config {
        database_url: Some(format!("sqlite://{}", dir.join("sessions.db").display())),
        ..demo::Config::default()
    };
    let app = demo::build(&config).await.expect("the demo builds");
    let store = app.store.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(demo::serve_until_ctrl_c(app, listener));
    (base, store)
}

/// The horizontal centre of the first element `css` finds inside `scope`.
async fn centre_x(client: &Client, scope: &str, css: &str) -> f64 {
    let script = "const e = document.querySelector(arguments[0]).querySelector(arguments[1]); \
                  const r = e.getBoundingClientRect(); return r.left + r.width / 2;";
    client
        .execute(script, vec![json!(scope), json!(css)])
        .await
        .expect("a position")
        .as_f64()
        .expect("a number")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(test_browser),
    ignore = "set TEST_BROWSER=1 to run (needs chromium and chromedriver)"
)]
async fn right_to_left_pages_and_the_admin_in_a_real_browser() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (base, store) = start_demo(dir.path()).await;
    let driver = start_chromedriver();

    // Alice (staff) in Hebrew simulates sign-ins from other devices on the first page.
    let hebrew = browser(
        &driver,
        &dir.path().join("profile-hebrew"),
        &["--window-size=1280,1000", "--lang=he", "--accept-lang=he"],
        None,
    )
    .await;
    sign_in(&hebrew, &base, "alice", "wonderland").await;
    hebrew
        .find(Locator::Css("form[action='/sign-in-elsewhere'] button"))
        .await
        .expect("the simulate button")
        .click()
        .await
        .expect("click simulate");
    hebrew
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css("li.us-session"))
        .await
        .expect("the sessions page");
    assert_eq!(
        session_count(&hebrew).await,
        4,
        "this browser and three more"
    );
    assert_eq!(store.user_sessions("1").await.expect("alice").len(), 4);
    // Locations from the sample data, which says what it is.
    let page = hebrew.source().await.expect("page source");
    assert!(page.contains("London, United Kingdom"), "{page}");
    assert!(page.contains("class=\"us-attribution\""));
    // "Safari ב־iPhone": read right to left, the browser's name comes first, on the right.
    let heading = "li.us-session:has(.us-icon-phone) h2";
    let browser_x = centre_x(&hebrew, heading, "bdi:first-child").await;
    let platform_x = centre_x(&hebrew, heading, "bdi:last-child").await;
    assert!(
        browser_x > platform_x,
        "Safari ({browser_x}) right of iPhone ({platform_x})"
    );
    screenshot(&hebrew, "account-rtl-he-1280.png").await;
    hebrew.close().await.expect("close");

    // The admin on a phone, in Arabic: stacked, nothing off-screen, a second step to confirm.
    let phone = browser(
        &driver,
        &dir.path().join("profile-admin-phone"),
        &["--lang=ar", "--accept-lang=ar"],
        Some(360),
    )
    .await;
    sign_in(&phone, &base, "alice", "wonderland").await;
    phone
        .goto(&format!("{base}/admin/sessions/"))
        .await
        .expect("admin list");
    let page = phone.source().await.expect("page source");
    assert!(page.contains("dir=\"rtl\""));
    let widths: Value = phone
        .execute(
            "return [document.documentElement.clientWidth, document.documentElement.scrollWidth, \
             getComputedStyle(document.querySelector('.us-admin-table thead th:nth-child(2)')).display]",
            vec![],
        )
        .await
        .expect("widths");
    assert_eq!(
        widths,
        json!([360, 360, "none"]),
        "stacked, no sideways scrolling"
    );
    screenshot(&phone, "admin-phone-ar-360.png").await;

    phone
        .find(Locator::Css(
            ".us-admin-table tbody tr:last-child input[type=checkbox]",
        ))
        .await
        .expect("a checkbox")
        .click()
        .await
        .expect("select");
    phone
        .find(Locator::Css(".us-admin-actions button[type=submit]"))
        .await
        .expect("end selected")
        .click()
        .await
        .expect("click end selected");
    phone
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(".us-admin-confirm"))
        .await
        .expect("the confirmation step");
    assert_eq!(store.user_sessions("1").await.expect("alice").len(), 5);
    screenshot(&phone, "admin-confirm-phone-ar-360.png").await;
    phone
        .find(Locator::Css(".us-admin-confirm button[type=submit]"))
        .await
        .expect("confirm")
        .click()
        .await
        .expect("click confirm");
    phone
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(".us-flash"))
        .await
        .expect("the notice");
    assert_eq!(store.user_sessions("1").await.expect("alice").len(), 4);
    phone.close().await.expect("close");
}

/// The languages the screenshots are taken in: tag, right-to-left, and whether the device
/// phrase names the browser before the platform ("Safari on iPhone", not "iPhone の Safari").
const SCREENSHOT_LANGUAGES: [(&str, bool, bool); 5] = [
    ("en", false, true),
    ("de", false, true),
    ("ar", true, true),
    ("he", true, true),
    ("ja", false, false),
];

/// The widths the screenshots are taken at: a desktop window and a phone.
const SCREENSHOT_WIDTHS: [u32; 2] = [1280, 360];

/// The height of the walk's windows: taller than any of its pages, so that a screenshot of
/// the document (as tall as its content) shows the whole page.
const TALL: u32 = 4000;

/// Waits until `css` finds an element, through the navigation a click may have started (a
/// find that the navigation aborts is tried again).
async fn wait_for(client: &Client, css: &str, what: &str) {
    let started = Instant::now();
    loop {
        match client.find(Locator::Css(css)).await {
            Ok(_) => return,
            Err(error) => assert!(
                started.elapsed() < PATIENCE,
                "{what}: `{css}` did not appear: {error}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A screenshot of the document: the whole page, in a window of height [`TALL`].
async fn page_screenshot(client: &Client, name: &str) {
    let png = client
        .find(Locator::Css("html"))
        .await
        .expect("the document")
        .screenshot()
        .await
        .expect("screenshot");
    let path = screenshots_dir().join(name);
    std::fs::write(&path, png).expect("write screenshot");
    eprintln!("screenshot: {}", path.display());
}

/// Runs `script` (which returns JSON) on the page.
async fn evaluate(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .expect("the script runs")
}

/// What every page of the walk must be: in the language asked for, in its direction, and no
/// wider than the window.
async fn assert_page(client: &Client, view: &str, lang: &str, rtl: bool, width: u32) {
    let facts = evaluate(
        client,
        "const d = document.documentElement; \
         return [d.lang, d.dir, d.clientWidth, d.scrollWidth, \
                 [...document.querySelectorAll('.us-table-wrap')] \
                   .filter(w => w.scrollWidth > w.clientWidth).length];",
    )
    .await;
    let expected_dir = if rtl { "rtl" } else { "ltr" };
    assert_eq!(facts[0], json!(lang), "{view} {lang} {width}: lang");
    assert_eq!(facts[1], json!(expected_dir), "{view} {lang} {width}: dir");
    assert_eq!(
        facts[3], facts[2],
        "{view} {lang} {width}: nothing wider than the window"
    );
    assert_eq!(
        facts[4],
        json!(0),
        "{view} {lang} {width}: no table that scrolls sideways"
    );
    if width == 360 {
        assert_eq!(facts[2], json!(360), "{view} {lang}: the phone's viewport");
    }
}

/// The account page, with three simulated devices besides this browser.
async fn account_view(client: &Client, lang: &str, rtl: bool, browser_first: bool, width: u32) {
    client
        .find(Locator::Css("form[action='/sign-in-elsewhere'] button"))
        .await
        .expect("the simulate button")
        .click()
        .await
        .expect("click simulate");
    wait_for(client, "li.us-session", "the sessions page").await;
    // Each session one block with one closed disclosure; opened, an IPv6 address takes at
    // most two lines. The screenshot shows it open.
    let blocks = evaluate(
        client,
        "return [...document.querySelectorAll('li.us-session')] \
           .map(li => [li.querySelectorAll('details').length, \
                       li.querySelectorAll('details[open]').length, \
                       li.querySelectorAll('svg').length]);",
    )
    .await;
    let lines = evaluate(
        client,
        "const dd = [...document.querySelectorAll('dd.us-ip')].find(d => d.textContent.includes(':')); \
         dd.closest('details').open = true; \
         const range = document.createRange(); range.selectNodeContents(dd); \
         return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;",
    )
    .await;
    page_screenshot(client, &format!("account-{lang}-{width}.png")).await;

    assert_eq!(
        session_count(client).await,
        4,
        "{lang} {width}: four sessions"
    );
    assert_page(client, "account", lang, rtl, width).await;
    let blocks = blocks.as_array().expect("a list");
    assert_eq!(blocks.len(), 4);
    for block in blocks {
        assert_eq!(
            block,
            &json!([1, 0, 1]),
            "{lang} {width}: one closed disclosure and one icon per session"
        );
    }
    let lines = lines.as_u64().expect("a line count");
    assert!(
        (1..=2).contains(&lines),
        "{lang} {width}: the IPv6 address on {lines} lines"
    );

    // "Safari on iPhone": the browser's name on the side the language reads it first.
    let positions = evaluate(
        client,
        "const bdi = [...document.querySelectorAll('h2.us-device bdi')]; \
         const x = n => { const b = bdi.find(b => b.textContent === n); \
                          const r = b.getBoundingClientRect(); return r.left + r.width / 2; }; \
         return [x('Safari'), x('iPhone')];",
    )
    .await;
    let (safari, iphone) = (
        positions[0].as_f64().expect("Safari's position"),
        positions[1].as_f64().expect("iPhone's position"),
    );
    assert_eq!(
        safari > iphone,
        rtl == browser_first,
        "{lang} {width}: Safari at {safari}, iPhone at {iphone}"
    );
}

/// The admin list of every session, then its second step for ending the selected ones.
async fn admin_view(client: &Client, base: &str, lang: &str, rtl: bool, width: u32) {
    client
        .goto(&format!("{base}/admin/sessions/"))
        .await
        .expect("admin list");
    page_screenshot(client, &format!("admin-{lang}-{width}.png")).await;
    assert_page(client, "admin", lang, rtl, width).await;
    let facts = evaluate(
        client,
        "const th = document.querySelector('.us-admin-table thead th:nth-child(2)'); \
         const vw = document.documentElement.clientWidth; \
         const devices = [...document.querySelectorAll('.us-admin-device-cell')].map(c => { \
           const r = c.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= vw; }); \
         const user = document.querySelector('tr:has(.us-badge) .us-admin-user a').getBoundingClientRect(); \
         const badge = document.querySelector('tr:has(.us-badge) .us-badge').getBoundingClientRect(); \
         const sameLine = badge.top < user.bottom && user.top < badge.bottom; \
         const gap = Math.max(badge.left - user.right, user.left - badge.right); \
         const ip = [...document.querySelectorAll('td.us-admin-ip')].find(d => d.textContent.includes(':')); \
         const range = document.createRange(); range.selectNodeContents(ip.querySelector('bdi')); \
         const lines = new Set([...range.getClientRects()].filter(r => r.width > 0) \
                                 .map(r => Math.round(r.top))).size; \
         return [getComputedStyle(th).display, devices, sameLine ? gap : 99, \
                 document.querySelectorAll('.us-admin-select-all').length, \
                 document.querySelectorAll('.us-count').length, lines];",
    )
    .await;
    let stacked = if width == 360 { "none" } else { "table-cell" };
    assert_eq!(
        facts[0],
        json!(stacked),
        "{lang} {width}: admin table layout"
    );
    let devices = facts[1].as_array().expect("device cells");
    assert!(!devices.is_empty(), "{lang} {width}: sessions listed");
    assert!(
        devices.iter().all(|d| d == &json!(true)),
        "{lang} {width}: every Device cell on screen: {devices:?}"
    );
    let gap = facts[2].as_f64().expect("a gap");
    assert!(
        gap >= 4.0,
        "{lang} {width}: the badge {gap}px from the username"
    );
    assert_eq!(facts[3], json!(1), "{lang} {width}: select all");
    if width == 360 {
        // On a phone "select all" is said beside its box, in full.
        let label = evaluate(
            client,
            "const l = document.querySelector('label[for=us-select-all]'); \
             const r = l.getBoundingClientRect(); \
             return [r.width > 1, l.scrollWidth <= l.clientWidth, \
                     r.right <= document.documentElement.clientWidth];",
        )
        .await;
        assert_eq!(
            label,
            json!([true, true, true]),
            "{lang}: the select-all label shown and not cut off"
        );
    }
    assert_eq!(facts[4], json!(1), "{lang} {width}: the result count");
    let lines = facts[5].as_u64().expect("a line count");
    assert!(
        (1..=2).contains(&lines),
        "{lang} {width}: the IPv6 address on {lines} lines"
    );

    // The detail of the session with client hints (the Android phone), said in words.
    let detail = evaluate(
        client,
        "return [...document.querySelectorAll('.us-admin-table tbody tr')] \
           .find(tr => tr.querySelector('.us-admin-ip').textContent.includes(':')) \
           .querySelector('a.us-admin-device').getAttribute('href');",
    )
    .await;
    let detail = detail.as_str().expect("the detail URL");
    client
        .goto(&format!("{base}{detail}"))
        .await
        .expect("detail page");
    page_screenshot(client, &format!("admin-detail-{lang}-{width}.png")).await;
    assert_page(client, "admin-detail", lang, rtl, width).await;
    let hints = evaluate(
        client,
        "const dd = document.querySelectorAll('.us-admin-fields dd'); \
         const hints = [...dd].find(d => d.querySelector('bdi') && !d.querySelector('code') \
                                         && d.textContent.includes('Android')); \
         return hints ? hints.textContent : null;",
    )
    .await;
    let hints = hints.as_str().expect("the client hints, in words");
    assert!(
        hints.contains("Chrome") && !hints.contains("?1") && !hints.contains("Sec-CH"),
        "{lang} {width}: client hints humanized: {hints}"
    );
    client
        .goto(&format!("{base}/admin/sessions/"))
        .await
        .expect("admin list");

    // Select all, end selected: the second step, then back without ending anything.
    client
        .find(Locator::Css(".us-admin-select-all"))
        .await
        .expect("select all")
        .click()
        .await
        .expect("click select all");
    client
        .find(Locator::Css(".us-admin-actions button[type=submit]"))
        .await
        .expect("end selected")
        .click()
        .await
        .expect("click end selected");
    wait_for(client, ".us-admin-confirm", "the confirmation step").await;
    page_screenshot(client, &format!("admin-confirm-{lang}-{width}.png")).await;
    assert_page(client, "admin-confirm", lang, rtl, width).await;
    let enabled = evaluate(
        client,
        "return !document.querySelector('.us-admin-confirm button[type=submit]').disabled;",
    )
    .await;
    assert_eq!(enabled, json!(true), "{lang} {width}: sessions to end");
    client
        .find(Locator::Css(".us-admin-confirm a.us-button"))
        .await
        .expect("cancel")
        .click()
        .await
        .expect("click cancel");
    wait_for(client, ".us-admin-table", "back at the list").await;
}

/// The account page's confirmation: a wrong password is said under its field; the right one
/// ends one session (the notice names it), then the others.
async fn confirm_view(client: &Client, base: &str, lang: &str, rtl: bool, width: u32) {
    open_sessions(client, base).await;
    let password = client
        .find(Locator::Id("us-password"))
        .await
        .expect("the password field");
    password.send_keys("not the password").await.expect("type");
    client
        .find(Locator::Css(".us-panel form button[type=submit]"))
        .await
        .expect("end all other sessions")
        .click()
        .await
        .expect("click end others");
    wait_for(
        client,
        "#us-password-error",
        "the error under the password field",
    )
    .await;
    page_screenshot(client, &format!("confirm-{lang}-{width}.png")).await;
    assert_page(client, "confirm", lang, rtl, width).await;
    let distance = evaluate(
        client,
        "const input = document.getElementById('us-password').getBoundingClientRect(); \
         const error = document.getElementById('us-password-error').getBoundingClientRect(); \
         return [error.top - input.bottom, \
                 document.querySelectorAll('.us-flash:not(.us-notice)').length];",
    )
    .await;
    let below = distance[0].as_f64().expect("a distance");
    assert!(
        (0.0..24.0).contains(&below),
        "{lang} {width}: the error {below}px under its field"
    );
    assert_eq!(
        distance[1],
        json!(0),
        "{lang} {width}: the error only at its field"
    );
    assert_eq!(session_count(client).await, 4, "{lang} {width}: none ended");

    // One session ended with the password: the notice names its device.
    let safari = evaluate(
        client,
        "return [...document.querySelectorAll('li.us-session')] \
           .find(li => [...li.querySelectorAll('h2 bdi')].some(b => b.textContent === 'Safari')) \
           .querySelector('form').getAttribute('action');",
    )
    .await;
    let safari = safari.as_str().expect("the Safari session's end URL");
    end_with_password(client, safari, "wonderland").await;
    wait_for(client, ".us-flash:not(.us-notice)", "the notice").await;
    page_screenshot(client, &format!("ended-{lang}-{width}.png")).await;
    let named = evaluate(
        client,
        "return [...document.querySelectorAll('.us-flash:not(.us-notice) bdi')].map(b => b.textContent);",
    )
    .await;
    let mut named: Vec<&str> = named
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    named.sort_unstable();
    assert_eq!(
        named,
        ["Safari", "iPhone"],
        "{lang} {width}: the notice names the device"
    );
    assert_eq!(session_count(client).await, 3, "{lang} {width}: one ended");

    // This notice goes, so that the next one is the next page's.
    evaluate(
        client,
        "document.querySelector('.us-flash:not(.us-notice)').remove(); return null;",
    )
    .await;
    client
        .find(Locator::Id("us-password"))
        .await
        .expect("the password field")
        .send_keys("wonderland")
        .await
        .expect("type");
    client
        .find(Locator::Css(".us-panel form button[type=submit]"))
        .await
        .expect("end all other sessions")
        .click()
        .await
        .expect("click end others");
    wait_for(client, ".us-flash:not(.us-notice)", "the notice").await;
    assert_eq!(
        session_count(client).await,
        1,
        "{lang} {width}: others ended"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(test_browser),
    ignore = "set TEST_BROWSER=1 to run (needs chromium and chromedriver)"
)]
async fn every_view_in_five_languages_on_desktop_and_phone() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (base, store) = start_demo(dir.path()).await;
    let driver = start_chromedriver();

    for (lang, rtl, browser_first) in SCREENSHOT_LANGUAGES {
        for width in SCREENSHOT_WIDTHS {
            let languages = [format!("--lang={lang}"), format!("--accept-lang={lang}")];
            let mut flags: Vec<&str> = languages.iter().map(String::as_str).collect();
            let desktop = format!("--window-size=1280,{TALL}");
            let phone = (width == 360).then_some(width);
            if phone.is_none() {
                flags.push(&desktop);
            }
            let profile = dir.path().join(format!("profile-{lang}-{width}"));
            let client = browser_of_height(&driver, &profile, &flags, phone, TALL).await;
            // Alice is staff: she sees the admin too.
            sign_in(&client, &base, "alice", "wonderland").await;
            account_view(&client, lang, rtl, browser_first, width).await;
            admin_view(&client, &base, lang, rtl, width).await;
            confirm_view(&client, &base, lang, rtl, width).await;

            // Signed out, so that the next browser starts with no sessions of alice's.
            client.goto(&base).await.expect("home");
            client
                .find(Locator::Css("form[action='/logout'] button"))
                .await
                .expect("sign out")
                .click()
                .await
                .expect("click sign out");
            wait_for(&client, "a[href='/login']", "signed out").await;
            assert_eq!(store.user_sessions("1").await.expect("alice").len(), 0);
            client.close().await.expect("close");
        }
    }
}
