//! The application the account-page tests drive: the pages' router on the shared test
//! application (see `harness`), and the requests those tests send.
#![allow(dead_code)]

use axum::Router;
use axum::http::{StatusCode, header};
use serde_json::Value;
use user_sessions::PublicId;
use user_sessions::events::{Event, Subscription};
use user_sessions_axum::pages::{Pages, PagesBuilder};

#[path = "../harness/mod.rs"]
mod harness;

pub use harness::{Answer, App, Client, HOST};

impl App {
    pub async fn new(configure: impl FnOnce(PagesBuilder) -> PagesBuilder) -> App {
        let pages: Pages = configure(Pages::builder().logout_url("/signed-out"))
            .build()
            .expect("pages");
        App::serving(Router::new().merge(pages.router())).await
    }

    /// A client signed in as `user`.
    pub async fn signed_in(&self, user: &str, ip: &str, user_agent: &str) -> Client {
        let mut client = Client::new(ip, user_agent);
        client.sign_in(self, user).await;
        // A second request stores the client's metadata on the new row and gives a token.
        let list = client.json_list(self).await;
        assert!(list["sessions"].is_array());
        client
    }

    /// The public ids of the user's live sessions.
    pub async fn session_ids(&self, user: &str) -> Vec<PublicId> {
        self.store
            .user_sessions(user)
            .await
            .expect("user sessions")
            .into_iter()
            .map(|s| s.id)
            .collect()
    }
}

impl Client {
    /// `GET /account/sessions/` as a browser.
    pub async fn page(&mut self, app: &App) -> Answer {
        let request = self
            .request("GET", "/account/sessions/")
            .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8");
        self.send(app, request).await
    }

    /// `GET /account/sessions/` as JSON.
    pub async fn json_list(&mut self, app: &App) -> Value {
        let request = self
            .request("GET", "/account/sessions/")
            .header(header::ACCEPT, "application/json");
        let answer = self.send(app, request).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.json()
    }

    /// The public id of the first session in this client's list that is (`current`) or is not
    /// its own.
    pub async fn listed_id(&mut self, app: &App, current: bool) -> PublicId {
        let list = self.json_list(app).await;
        list["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .find(|s| s["is_current"] == current)
            .and_then(|s| s["id"].as_str())
            .expect("a listed session")
            .parse()
            .expect("public id")
    }

    /// The public id of this client's own session.
    pub async fn current_id(&mut self, app: &App) -> PublicId {
        self.listed_id(app, true).await
    }

    /// This client's CSRF token (from the JSON list).
    pub async fn token(&mut self, app: &App) -> String {
        self.json_list(app).await["csrf_token"]
            .as_str()
            .expect("csrf_token")
            .to_owned()
    }

    /// A script's `DELETE` with the token in the header.
    pub async fn delete(&mut self, app: &App, uri: &str, token: &str) -> Answer {
        let request = self
            .request("DELETE", uri)
            .header("x-csrf-token", token)
            .header(header::ORIGIN, format!("https://{HOST}"));
        self.send(app, request).await
    }
}

pub const FIREFOX_MAC: &str =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:120.0) Gecko/20100101 Firefox/120.0";
pub const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) \
    AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
pub const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
    (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/// The events `events` received so far.
pub fn drain(events: &mut Subscription) -> Vec<Event> {
    std::iter::from_fn(|| events.try_recv()).collect()
}
