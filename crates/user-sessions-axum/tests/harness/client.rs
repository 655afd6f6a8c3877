//! The one test client of the workspace: a browser as far as a server can tell — a cookie
//! jar of its own, an address, a user agent, a language — sending requests one by one through
//! an axum router ([`Client::send`]), or over any other transport that builds its request with
//! [`Client::request`] and hands the response to [`Client::receive`] (the demo's tests, over
//! HTTP). Shared by the crate's tests and the demo's (by path).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header, request};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// The session cookie's name (tower-sessions' default).
pub const SESSION_COOKIE: &str = "id";

/// The host the client names in `Host` and `Origin` unless told otherwise.
pub const HOST: &str = "sessions.test";

/// A browser: its cookies, where it connects from, what it says it is.
#[derive(Clone, Debug)]
pub struct Client {
    /// The cookies it holds, by name.
    pub cookies: BTreeMap<String, String>,
    /// Its address (the connection's, as `ConnectInfo`).
    pub ip: SocketAddr,
    /// Its `User-Agent` (bytes: some tests send ones that are not text).
    pub user_agent: Vec<u8>,
    /// Its `Accept-Language`.
    pub accept_language: Option<String>,
    /// Further headers on every request (client hints, forwarding headers).
    pub extra: Vec<(&'static str, Vec<u8>)>,
    /// The `Host` it sends; `Origin` on state-changing requests is `{scheme}://{host}`.
    pub host: String,
    /// `https` (the default) or `http`.
    pub scheme: &'static str,
}

/// One response, read whole.
#[derive(Debug)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as text.
    pub body: String,
}

impl Answer {
    /// The `Location` header.
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The body as JSON; panics (showing the body) if it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }

    /// The value this answer sets for cookie `name` (empty when it removes it).
    pub fn cookie_set(&self, name: &str) -> Option<String> {
        self.set_cookies().into_iter().find_map(|line| {
            let (cookie, value, removed) = parse_set_cookie(line)?;
            (cookie == name).then(|| if removed { String::new() } else { value })
        })
    }

    /// The CSRF token of an HTML form in the body; panics if there is none.
    pub fn form_token(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF field in {self:?}"))
            + marker.len();
        let end = self.body[start..]
            .find('"')
            .map_or(self.body.len(), |n| start + n);
        self.body[start..end].to_owned()
    }
}

/// `(name, value, removed)` of one `Set-Cookie` line.
fn parse_set_cookie(line: &str) -> Option<(String, String, bool)> {
    let (pair, attributes) = line.split_once(';').unwrap_or((line, ""));
    let (name, value) = pair.split_once('=')?;
    let removed = value.trim().is_empty()
        || attributes
            .split(';')
            .any(|a| a.trim().eq_ignore_ascii_case("max-age=0"));
    Some((name.trim().to_owned(), value.trim().to_owned(), removed))
}

impl Client {
    /// A browser at `ip` (port 40000) with `user_agent` and no cookies.
    pub fn new(ip: &str, user_agent: &str) -> Self {
        Client {
            cookies: BTreeMap::new(),
            ip: SocketAddr::new(ip.parse().expect("ip"), 40000),
            user_agent: user_agent.as_bytes().to_vec(),
            accept_language: None,
            extra: Vec::new(),
            host: HOST.to_owned(),
            scheme: "https",
        }
    }

    /// The session cookie as it is sent (`id=…`), if the client holds one.
    pub fn cookie(&self) -> Option<String> {
        self.cookies
            .get(SESSION_COOKIE)
            .map(|value| format!("{SESSION_COOKIE}={value}"))
    }

    /// Holds `cookie` (`id=…`) as its session cookie, or none.
    pub fn set_cookie(&mut self, cookie: Option<&str>) {
        self.cookies.remove(SESSION_COOKIE);
        if let Some((name, value)) = cookie.and_then(|c| c.split_once('=')) {
            self.cookies.insert(name.to_owned(), value.to_owned());
        }
    }

    /// The secret session id in the cookie (to check it never shows up anywhere).
    pub fn secret(&self) -> Option<String> {
        self.cookies.get(SESSION_COOKIE).cloned()
    }

    /// `{scheme}://{host}`, what `Origin` says.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.host)
    }

    /// A request from this client: its cookies, address, agent, language, extra headers.
    pub fn request(&self, method: &str, uri: &str) -> request::Builder {
        let mut builder = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, &self.host)
            .header(
                header::USER_AGENT,
                HeaderValue::from_bytes(&self.user_agent).expect("header bytes"),
            )
            .extension(ConnectInfo(self.ip));
        if !self.cookies.is_empty() {
            let cookies: Vec<String> = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            builder = builder.header(header::COOKIE, cookies.join("; "));
        }
        if let Some(language) = &self.accept_language {
            builder = builder.header(header::ACCEPT_LANGUAGE, language);
        }
        for (name, value) in &self.extra {
            builder = builder.header(*name, HeaderValue::from_bytes(value).expect("header bytes"));
        }
        builder
    }

    /// Keeps the cookies a response sets (and forgets those it removes); the answer.
    pub fn receive(&mut self, status: StatusCode, headers: HeaderMap, body: &[u8]) -> Answer {
        let answer = Answer {
            status,
            headers,
            body: String::from_utf8_lossy(body).into_owned(),
        };
        for line in answer.set_cookies() {
            if let Some((name, value, removed)) = parse_set_cookie(line) {
                if removed {
                    self.cookies.remove(&name);
                } else {
                    self.cookies.insert(name, value);
                }
            }
        }
        answer
    }

    /// Sends `request` (no body) through `router`.
    pub async fn send(&mut self, router: &Router, request: request::Builder) -> Answer {
        self.send_body(router, request, Body::empty()).await
    }

    /// Sends `request` with `body` through `router`.
    pub async fn send_body(
        &mut self,
        router: &Router,
        request: request::Builder,
        body: Body,
    ) -> Answer {
        let request = request.body(body).expect("request");
        let response = router.clone().oneshot(request).await.expect("response");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes();
        self.receive(parts.status, parts.headers, &bytes)
    }

    /// `GET uri` as a browser (asking for HTML).
    pub async fn get(&mut self, router: &Router, uri: &str) -> Answer {
        let request = self
            .request("GET", uri)
            .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8");
        self.send(router, request).await
    }

    /// A form `POST` the way a browser sends it from the page (same origin).
    pub async fn post_form(
        &mut self,
        router: &Router,
        uri: &str,
        fields: &[(&str, &str)],
    ) -> Answer {
        let request = self.form_request(uri);
        self.send_body(router, request, Body::from(form_body(fields)))
            .await
    }

    /// The request of a same-origin form `POST` (its body: [`form_body`]).
    pub fn form_request(&self, uri: &str) -> request::Builder {
        self.request("POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, self.origin())
            .header("sec-fetch-site", "same-origin")
    }
}

/// `fields` as an `application/x-www-form-urlencoded` body.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", form_encode(name), form_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `application/x-www-form-urlencoded` encoding of one name or value.
fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
