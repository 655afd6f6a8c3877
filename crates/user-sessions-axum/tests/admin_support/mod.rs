//! The application the admin tests drive: the account pages and the admin (alice is staff) on
//! the shared test application (see `harness`), and a user directory of four people. Sessions
//! of other browsers are written straight into the store, each with the user, address and
//! times a test needs.
#![allow(dead_code)]

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{StatusCode, header};
use serde_json::Value;
use time::{Duration, OffsetDateTime};
use user_sessions::{PublicId, SessionRecord};
use user_sessions_axum::admin::{Admin, AdminBuilder, UserDirectory};
use user_sessions_axum::pages::{BoxError, Pages};

#[path = "../harness/mod.rs"]
mod harness;

pub use harness::{Answer, App, Client, HOST};

pub const ADMIN: &str = "/admin/sessions/";
pub const FIREFOX: &str =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:120.0) Gecko/20100101 Firefox/120.0";
pub const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
    (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/// `(id, username, name, email)`; alice (1) is staff.
pub const PEOPLE: [(&str, &str, &str, &str); 4] = [
    ("1", "alice", "Alice Liddell", "alice@example.com"),
    ("2", "bob", "Bob Builder", "bob@builders.example"),
    ("3", "carol", "Carol Danvers", "carol@example.com"),
    ("4", "dave", "Dave Bowman", "dave@example.com"),
];

/// The directory: display name "Name (username)"; search by exact username, or a part of
/// the name or email, ignoring case.
pub struct People;

impl UserDirectory for People {
    async fn display_names(&self, ids: &[String]) -> Result<HashMap<String, String>, BoxError> {
        Ok(PEOPLE
            .iter()
            .filter(|(id, ..)| ids.iter().any(|wanted| wanted == id))
            .map(|(id, username, name, _)| (id.to_string(), format!("{name} ({username})")))
            .collect())
    }

    async fn search(&self, text: &str) -> Result<Vec<String>, BoxError> {
        let text = text.to_lowercase();
        Ok(PEOPLE
            .iter()
            .filter(|(_, username, name, email)| {
                *username == text
                    || name.to_lowercase().contains(&text)
                    || email.to_lowercase().contains(&text)
            })
            .map(|(id, ..)| id.to_string())
            .collect())
    }
}

/// The one admin setup of the tests: the account pages and the admin (as `configure` sets it
/// up) on [`People`], alice (1) staff; signing in at `/login`, out to `/signed-out`.
pub fn routes(configure: impl FnOnce(AdminBuilder) -> AdminBuilder) -> Router {
    let pages = Pages::builder()
        .login_url("/login")
        .logout_url("/signed-out")
        .user_directory(People)
        .build()
        .expect("pages");
    let admin = configure(Admin::builder(
        pages.clone(),
        People,
        |user: String| async move { Ok::<_, std::convert::Infallible>(user == "1") },
    ))
    .build()
    .expect("admin");
    Router::new().merge(pages.router()).merge(admin.router())
}

impl App {
    pub async fn new() -> App {
        App::with(|admin| admin).await
    }

    pub async fn with(configure: impl FnOnce(AdminBuilder) -> AdminBuilder) -> App {
        App::serving(routes(configure)).await
    }

    /// A client signed in as `user` (its row carries its address and agent).
    pub async fn signed_in(&self, user: &str, ip: &str) -> Client {
        let mut client = Client::new(ip, FIREFOX);
        client.sign_in(self, user).await;
        // A second request stores the metadata on the new row.
        let answer = client
            .send(
                self,
                client
                    .request("GET", "/account/sessions/")
                    .header(header::ACCEPT, "application/json"),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        client
    }

    /// Writes a session of another browser: `n` names it, `age` is how long ago it was last
    /// used, `expires_in` when it expires (negative: it has).
    pub async fn add(
        &self,
        n: u64,
        user: Option<&str>,
        ip: &str,
        age: Duration,
        expires_in: Duration,
    ) -> PublicId {
        let record = record(n, user, ip, age, expires_in);
        let id = record.info.id;
        self.store.save(&record).await.expect("save");
        id
    }

    /// Whether a session is still stored.
    pub async fn exists(&self, id: &PublicId) -> bool {
        self.store.get(id).await.expect("get").is_some()
    }
}

/// A session record for [`App::add`].
pub fn record(
    n: u64,
    user: Option<&str>,
    ip: &str,
    age: Duration,
    expires_in: Duration,
) -> SessionRecord {
    let now = OffsetDateTime::now_utc();
    let mut record = SessionRecord::new(PublicId::from_secret(&n.to_le_bytes()), now + expires_in);
    record.info.user_id = user.map(str::to_owned);
    record.info.ip = Some(ip.parse().expect("ip"));
    record.info.user_agent = Some(CHROME.to_owned());
    record.info.last_activity = now - age;
    record.info.created_at = now - age - Duration::hours(1);
    record.info.authenticated_at = user.map(|_| now - age - Duration::minutes(30));
    record
        .data
        .insert("cart".into(), serde_json::json!(["book", "lamp"]));
    record
}

impl Client {
    /// `GET` as a browser.
    pub async fn page(&mut self, app: &App, uri: &str) -> Answer {
        let request = self
            .request("GET", uri)
            .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8");
        self.send(app, request).await
    }

    /// `GET` as JSON, expecting `200`.
    pub async fn json(&mut self, app: &App, uri: &str) -> Value {
        let answer = self.get_json(app, uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
        answer.json()
    }

    /// `GET` as JSON, any answer.
    pub async fn get_json(&mut self, app: &App, uri: &str) -> Answer {
        let request = self
            .request("GET", uri)
            .header(header::ACCEPT, "application/json");
        self.send(app, request).await
    }

    /// The public ids of a JSON list, in order.
    pub async fn ids(&mut self, app: &App, uri: &str) -> Vec<String> {
        ids(&self.json(app, uri).await)
    }

    /// This client's CSRF token (from the admin list).
    pub async fn token(&mut self, app: &App) -> String {
        self.json(app, ADMIN).await["csrf_token"]
            .as_str()
            .expect("csrf_token")
            .to_owned()
    }

    /// A script's `POST` of JSON with the token in the header.
    pub async fn post_json(&mut self, app: &App, uri: &str, token: &str, body: Value) -> Answer {
        let request = self
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header("x-csrf-token", token)
            .header(header::ORIGIN, format!("https://{HOST}"));
        self.send_body(app, request, Body::from(body.to_string()))
            .await
    }
}

/// The public ids of a JSON list, in order.
pub fn ids(list: &Value) -> Vec<String> {
    list["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect()
}

/// The text form of a public id.
pub fn hex(id: &PublicId) -> String {
    id.to_string()
}
