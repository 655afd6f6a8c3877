//! The JSON side of the pages: the shapes of the bodies, and whether a request asks for JSON.
//!
//! The same URLs answer HTML for browsers and JSON for scripts and apps:
//!
//! - `GET /account/sessions/` with `Accept: application/json` → [`SessionList`];
//! - `DELETE /account/sessions/{id}/` or `DELETE /account/sessions/{id}/delete/` (or `POST`
//!   asking for JSON) → [`Ended`];
//! - `DELETE /account/sessions/other/delete/` (or `POST` asking for JSON) → [`Ended`];
//! - failures → [`ApiError`] with the status: `401` signed out, `403` forged or not
//!   confirmed, `404` no such session of yours, `429` too many wrong passwords (see
//!   [`Confirmation::Password`](super::Confirmation::Password)), `503` store down.
//!
//! State-changing requests send the list's `csrf_token` in the `X-CSRF-Token` header (or as
//! `csrf_token` in a JSON body, which may also carry `password` when ending all others needs
//! it).

use std::net::IpAddr;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, Method, StatusCode, header};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use user_sessions::ClientHints;
use user_sessions::humanize::{Device, GeoIp};

use super::i18n::{Locale, Translations};
use crate::ActiveSession;

/// One of the user's sessions, as the JSON list shows it (and as templates receive it).
///
/// `device` is in English from [`SessionView::new`], in the page's language after
/// [`SessionView::localized`] (as the list sends it; `device_en` keeps the English); `id` is
/// the public id — never the secret session id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionView {
    /// The public id (64 hex digits): what the end URL names.
    pub id: String,
    /// Whether this is the session of the request.
    pub is_current: bool,
    /// The IP address last seen.
    pub ip: Option<IpAddr>,
    /// "Zwolle, The Netherlands", when a GeoIP database knows the address.
    pub location: Option<String>,
    /// The `User-Agent` header as stored.
    pub user_agent: Option<String>,
    /// The client hints the browser sent (`null` when it sent none).
    #[serde(default)]
    pub client_hints: Option<ClientHints>,
    /// "Safari on iPhone", in the language of the request ("Safari auf iPhone").
    pub device: Option<String>,
    /// "Safari on iPhone", always in English.
    #[serde(default)]
    pub device_en: Option<String>,
    /// "Safari".
    pub browser: Option<String>,
    /// "iPhone".
    pub platform: Option<String>,
    /// When the session was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the session was last used.
    #[serde(with = "time::serde::rfc3339")]
    pub last_activity: OffsetDateTime,
    /// When the session expires.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// When the user signed in on this session.
    #[serde(with = "time::serde::rfc3339::option")]
    pub authenticated_at: Option<OffsetDateTime>,
    /// Where to `POST` (form) or `DELETE` (script) to end this session.
    pub end_url: String,
}

impl SessionView {
    /// The view of `session`, whose end URL lies under `base_path` (e.g. `/account/sessions`).
    pub fn new(session: &ActiveSession, base_path: &str, geoip: Option<&GeoIp>) -> Self {
        let device = match &session.user_agent {
            Some(ua) => match &session.client_hints {
                Some(hints) => Device::parse_with_hints(ua, hints),
                None => Device::parse(ua),
            },
            None => Device::default(),
        };
        let id = session.id.to_string();
        SessionView {
            end_url: format!("{base_path}/{id}/delete/"),
            id,
            is_current: session.is_current,
            ip: session.ip,
            location: geoip.zip(session.ip).and_then(|(geo, ip)| geo.location(ip)),
            user_agent: session.user_agent.clone(),
            client_hints: session.client_hints.clone(),
            device: device.text(),
            device_en: device.text(),
            browser: device.browser,
            platform: device.platform,
            created_at: session.created_at,
            last_activity: session.last_activity,
            expires_at: session.expires_at,
            authenticated_at: session.authenticated_at,
        }
    }

    /// The view with `device` in `locale` ("Safari auf iPhone"); `device_en` stays English.
    ///
    /// ```
    /// use user_sessions_axum::pages::{SessionView, Translations};
    ///
    /// let view: SessionView = serde_json::from_value(serde_json::json!({
    ///     "id": "00", "is_current": false, "ip": null, "location": null,
    ///     "user_agent": null, "client_hints": null,
    ///     "device": "Safari on iPhone", "device_en": "Safari on iPhone",
    ///     "browser": "Safari", "platform": "iPhone",
    ///     "created_at": "2026-01-01T00:00:00Z", "last_activity": "2026-01-01T00:00:00Z",
    ///     "expires_at": "2026-01-02T00:00:00Z", "authenticated_at": null,
    ///     "end_url": "/account/sessions/00/delete/",
    /// }))?;
    /// let translations = Translations::embedded();
    /// let view = view.localized(&translations, &translations.negotiate(Some("de")));
    /// assert_eq!(view.device.as_deref(), Some("Safari auf iPhone"));
    /// assert_eq!(view.device_en.as_deref(), Some("Safari on iPhone"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn localized(mut self, translations: &Translations, locale: &Locale) -> Self {
        if let (Some(browser), Some(platform)) = (&self.browser, &self.platform) {
            self.device = Some(translations.message(
                locale,
                "device-on",
                &[
                    ("browser", browser.clone().into()),
                    ("platform", platform.clone().into()),
                ],
            ));
        }
        self
    }
}

/// The body of `GET /account/sessions/` for JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionList {
    /// The user's live sessions: the current one first, then by most recent activity.
    pub sessions: Vec<SessionView>,
    /// The token to send with `DELETE` requests (`X-CSRF-Token`).
    pub csrf_token: String,
    /// Where to `DELETE` to end all other sessions.
    pub end_others_url: String,
    /// What ending all others requires: `none`, `password` (send `password`), or
    /// `recent_authentication` (`reauthentication_required` tells when it is too long ago).
    pub confirmation: String,
    /// The application's [notices](super::Notice) for the user, as the page shows them above
    /// the list (empty when it has none).
    pub notices: Vec<super::Notice>,
}

/// The body of a successful end request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ended {
    /// How many sessions were ended.
    pub ended: u64,
    /// Whether the current session was among them (the client is signed out).
    pub logged_out: bool,
    /// Where a signed-out client should go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<String>,
}

/// The body of a refused or failed request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiError {
    /// A stable code: `unauthenticated`, `forbidden`, `not_found`, `invalid_password`,
    /// `too_many_passwords` (with `Retry-After`), `reauthentication_required`, `unavailable`,
    /// `internal`.
    pub error: String,
    /// A sentence for people, in English.
    pub message: String,
    /// Where to sign in, for `unauthenticated` and `reauthentication_required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_url: Option<String>,
}

/// Whether a request wants JSON: every `DELETE`, and any request whose `Accept` header
/// prefers `application/json` to `text/html`.
///
/// ```
/// use http::{HeaderMap, Method};
/// use user_sessions_axum::pages::wants_json;
///
/// let mut headers = HeaderMap::new();
/// assert!(!wants_json(&Method::GET, &headers));
/// assert!(wants_json(&Method::DELETE, &headers));
/// headers.insert("accept", "application/json".parse().unwrap());
/// assert!(wants_json(&Method::GET, &headers));
/// headers.insert("accept", "text/html,application/xhtml+xml,*/*;q=0.8".parse().unwrap());
/// assert!(!wants_json(&Method::GET, &headers));
/// ```
pub fn wants_json(method: &Method, headers: &HeaderMap) -> bool {
    if method == Method::DELETE {
        return true;
    }
    let mut json = 0.0f32;
    let mut html = 0.0f32;
    for value in headers.get_all(header::ACCEPT) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                .next()
                .unwrap_or(1.0);
            if media == "application/json" || media.ends_with("+json") {
                json = json.max(quality);
            } else if media == "text/html" || media == "application/xhtml+xml" {
                html = html.max(quality);
            }
        }
    }
    json > 0.0 && json > html
}

/// `body` as a JSON response with `status` (the account pages' and the admin's); a body that
/// cannot be encoded is logged and answered `500`.
pub(crate) fn json_response<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            Body::from(bytes),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "session pages: JSON encoding failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
