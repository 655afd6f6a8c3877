//! A real browser against the demo: headless Chromium, driven over WebDriver (chromedriver),
//! two separate browser profiles signed in as bob; the first ends the second's session, and
//! the second is signed out on its next page load. Screenshots of the account page (desktop
//! 1280 px, phone 360 px, and right-to-left) land in `target/screenshots/`.
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
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend(extra.iter().map(|a| a.to_string()));
    let mut options = json!({ "args": args });
    if Path::new("/usr/bin/chromium").exists() {
        options["binary"] = json!("/usr/bin/chromium");
    }
    if let Some(width) = mobile_width {
        options["mobileEmulation"] = json!({
            "deviceMetrics": { "width": width, "height": 1500, "pixelRatio": 1.0, "mobile": true, "touch": true },
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
    first
        .find(Locator::Css(&format!(
            "form[action='{second_url}'] input[name=password]"
        )))
        .await
        .expect("the password field of the second browser's session")
        .send_keys("builder")
        .await
        .expect("type password");
    first
        .find(Locator::Css(&format!(
            "form[action='{second_url}'] button[type=submit]"
        )))
        .await
        .expect("the End button of the second browser's session")
        .click()
        .await
        .expect("click End");
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
    screenshot(&phone, "admin-ar-360.png").await;

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
    screenshot(&phone, "admin-confirm-ar-360.png").await;
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
