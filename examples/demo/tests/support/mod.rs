//! What the demo's HTTP tests share: a browser (the workspace's one test client, with a
//! cookie jar of its own, over HTTP), the demo binary run as a child process, and the servers'
//! test places.

// Each test binary uses a part of this module.
#![allow(dead_code)]

#[path = "../../../../crates/user-sessions-axum/tests/harness/client.rs"]
mod client;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{Method, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use user_sessions::test_servers::{Server, TestDatabase};

pub use client::{Answer, Client, SESSION_COOKIE, form_body};

/// How long the demo binary may take to start listening.
const STARTUP: Duration = Duration::from_secs(60);

/// The settings the demo reads from its environment, cleared for every child so that the
/// test's own environment cannot change what it runs.
const DEMO_VARIABLES: [&str; 6] = [
    "DATABASE_URL",
    "GEOIP_PATH",
    "TRUSTED_PROXIES",
    "DATABASE_TIMEOUT_MS",
    "SESSION_CACHE_TTL_MS",
    "PORT",
];

/// A fresh place on `server` for this test, or `None` (after saying why) when its
/// `TEST_…_URL` variable is unset or the demo was built without the backend's feature.
/// Panics when the variable is set but the server cannot be used.
pub async fn test_database(server: Server) -> Option<TestDatabase> {
    let (built, feature) = match server {
        Server::Postgres => (cfg!(feature = "postgres"), "postgres"),
        Server::Mysql => (cfg!(feature = "mysql"), "mysql"),
        Server::Redis | Server::RedisCluster => (cfg!(feature = "redis"), "redis"),
        Server::RedisTls => (cfg!(feature = "redis-tls"), "redis-tls"),
    };
    if !built {
        eprintln!(
            "skipped: build the demo with `--features {feature}` (or `--all-features`) to run this test"
        );
        return None;
    }
    TestDatabase::create(server).await
}

/// A browser, as far as the demo can tell: the tests' one client ([`Client`], its cookies
/// and headers) over HTTP, sending `Origin` on `POST`s, giving up on any request after
/// `timeout` (a hang fails the test).
pub struct Browser {
    base: String,
    http: HyperClient<HttpConnector, Full<Bytes>>,
    client: Mutex<Client>,
    timeout: Duration,
}

/// The user agent the browser says it is.
const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

impl Browser {
    /// A browser for the site at `base` (`http://127.0.0.1:PORT`), with no cookies.
    pub fn new(base: &str, timeout: Duration) -> Browser {
        let base = base.trim_end_matches('/').to_owned();
        let mut client = Client::new("127.0.0.1", FIREFOX);
        client.host = base.trim_start_matches("http://").to_owned();
        client.scheme = "http";
        Browser {
            base,
            http: HyperClient::builder(TokioExecutor::new()).build(HttpConnector::new()),
            client: Mutex::new(client),
            timeout,
        }
    }

    /// The site's address.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The value of cookie `name`, if the browser holds one.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.client().cookies.get(name).cloned()
    }

    fn client(&self) -> std::sync::MutexGuard<'_, Client> {
        self.client.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `GET path` asking for HTML.
    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, "text/html", &[], None).await
    }

    /// `GET path` asking for JSON.
    pub async fn get_json(&self, path: &str) -> Answer {
        self.send(Method::GET, path, "application/json", &[], None)
            .await
    }

    /// `POST path` with a form, as a browser submits it.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = form_body(fields);
        self.send(
            Method::POST,
            path,
            "text/html",
            &[(
                header::CONTENT_TYPE.as_str(),
                "application/x-www-form-urlencoded",
            )],
            Some(body),
        )
        .await
    }

    /// `POST path` as a script does: no body, the CSRF token in `X-CSRF-Token`, JSON back.
    pub async fn post_json(&self, path: &str, csrf_token: &str) -> Answer {
        self.send(
            Method::POST,
            path,
            "application/json",
            &[("x-csrf-token", csrf_token)],
            None,
        )
        .await
    }

    /// `POST path` as a script would, confirming with the user's password (a JSON body).
    pub async fn post_json_confirmed(
        &self,
        path: &str,
        csrf_token: &str,
        password: &str,
    ) -> Answer {
        let body = serde_json::json!({ "password": password }).to_string();
        self.send(
            Method::POST,
            path,
            "application/json",
            &[
                ("x-csrf-token", csrf_token),
                ("content-type", "application/json"),
            ],
            Some(body),
        )
        .await
    }

    /// The login form (`GET /login`).
    pub async fn login_page(&self) -> Answer {
        self.get("/login").await
    }

    /// Submits the login form whose token `form` holds.
    pub async fn submit_login(&self, form: &Answer, username: &str, password: &str) -> Answer {
        let token = form.form_token();
        self.post_form(
            "/login",
            &[
                ("username", username),
                ("password", password),
                ("csrf_token", &token),
            ],
        )
        .await
    }

    /// Signs in through the login form; panics unless the demo accepts.
    pub async fn sign_in(&self, username: &str, password: &str) {
        let form = self.login_page().await;
        assert_eq!(form.status, StatusCode::OK, "the login form: {form:?}");
        let answer = self.submit_login(&form, username, password).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "signing in as {username}: {answer:?}"
        );
        assert!(
            self.cookie(SESSION_COOKIE).is_some(),
            "no session cookie after signing in"
        );
    }

    /// The name the home page greets, if signed in (`None` on an anonymous page); panics on
    /// anything but `200`.
    pub async fn signed_in_as(&self) -> Option<String> {
        let home = self.get("/").await;
        assert_eq!(home.status, StatusCode::OK, "the home page: {home:?}");
        signed_in_name(&home.body)
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        accept: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Answer {
        let mut request = self
            .client()
            .request(method.as_str(), &format!("{}{path}", self.base))
            .header(header::ACCEPT, accept);
        if method == Method::POST {
            request = request.header(header::ORIGIN, &self.base);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .expect("a valid request");
        let exchange = async {
            let response = self.http.request(request).await?;
            let (parts, body) = response.into_parts();
            let bytes = body.collect().await?.to_bytes();
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>((parts, bytes))
        };
        let (parts, bytes) = match tokio::time::timeout(self.timeout, exchange).await {
            Err(_) => panic!(
                "{method} {path} got no answer within {:?}: the request hung",
                self.timeout
            ),
            Ok(Err(error)) => panic!("{method} {path} failed: {error}"),
            Ok(Ok(answer)) => answer,
        };
        self.client().receive(parts.status, parts.headers, &bytes)
    }
}

/// The user the demo's home page says is signed in (`signed in as <strong>NAME</strong>`).
pub fn signed_in_name(html: &str) -> Option<String> {
    // The nav names the user, isolated: `<span class="us-nav-user">… <bdi>bob</bdi></span>`.
    let nav = &html[html.find("class=\"us-nav-user\"")?..];
    let nav = &nav[..nav.find("</span>")?];
    let start = nav.find("<bdi")?;
    let start = start + nav[start..].find('>')? + 1;
    let end = start + nav[start..].find("</bdi>")?;
    Some(nav[start..end].to_owned())
}

/// The demo binary running as a child process; killed (by its process id) when dropped, its
/// output shown if the test is failing.
pub struct DemoProcess {
    name: String,
    child: Child,
    base: String,
    log: Arc<Mutex<String>>,
}

impl DemoProcess {
    /// Starts the demo on a free port with `variables` (its other settings cleared) and
    /// waits until it listens.
    pub fn start(name: &str, variables: &[(&str, &str)]) -> DemoProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_demo"));
        for variable in DEMO_VARIABLES {
            command.env_remove(variable);
        }
        command
            .env("PORT", "0")
            .envs(variables.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the demo binary starts");
        let log = Arc::new(Mutex::new(String::new()));
        let (address_tx, address_rx) = mpsc::channel();
        if let Some(stdout) = child.stdout.take() {
            collect_output(stdout, log.clone(), Some(address_tx));
        }
        if let Some(stderr) = child.stderr.take() {
            collect_output(stderr, log.clone(), None);
        }
        let mut process = DemoProcess {
            name: name.to_owned(),
            child,
            base: String::new(),
            log,
        };
        match address_rx.recv_timeout(STARTUP) {
            Ok(base) => process.base = base,
            Err(_) => panic!(
                "demo {name} did not start listening within {STARTUP:?}; its output:\n{}",
                process.output()
            ),
        }
        process
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// What the process printed so far.
    pub fn output(&self) -> String {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for DemoProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!(
                "--- output of demo {} ({}) ---\n{}--- end of demo {} ---",
                self.name,
                self.base,
                self.output(),
                self.name
            );
        }
    }
}

/// Copies a child's output into `log` on a thread; the first `http://` address printed goes
/// to `address` (the demo prints it once it listens).
fn collect_output(
    output: impl Read + Send + 'static,
    log: Arc<Mutex<String>>,
    address: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        let mut address = address;
        for line in BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            if let Some(start) = line.find("http://")
                && let Some(sender) = address.take()
            {
                let base = line[start..].trim().trim_end_matches('/').to_owned();
                let _ = sender.send(base);
            }
            let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
            log.push_str(&line);
            log.push('\n');
        }
    });
}
