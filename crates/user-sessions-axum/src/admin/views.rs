//! What the admin shows: the JSON bodies (which templates receive too) and rendering.

use std::collections::HashMap;

use axum::response::Response;
use http::StatusCode;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use user_sessions::humanize::GeoIp;
use user_sessions::{PublicId, SessionInfo};

use super::Admin;
use crate::ActiveSession;
use crate::pages::{Locale, SessionView};

/// One session as the admin shows it: everything the account pages show (device, location,
/// times — see [`SessionView`]) plus whose it is and whether it has expired.
///
/// `id` is the public id; `end_url` ends the session (`POST`/`DELETE`), `detail_url` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AdminSessionView {
    /// The columns, humanized.
    #[serde(flatten)]
    pub session: SessionView,
    /// The user the session belongs to; `None` for an anonymous session.
    pub user_id: Option<String>,
    /// The user's name from the directory (`None` when it does not know the id).
    pub user: Option<String>,
    /// When the user signed in on this session (its creation, when that is unknown).
    #[serde(with = "time::serde::rfc3339")]
    pub signed_in: OffsetDateTime,
    /// Whether the session has expired (it is then no longer usable).
    pub expired: bool,
    /// The detail page of the session.
    pub detail_url: String,
    /// The list of all sessions of the session's user (`None` when anonymous).
    pub user_sessions_url: Option<String>,
}

/// The view of `info` for an admin living under `admin_path`: `current` is the public id of
/// the request's own session, `names` the directory's names for user ids.
///
/// ```
/// use std::collections::HashMap;
/// use time::{Duration, OffsetDateTime};
/// use user_sessions::{PublicId, SessionRecord};
/// use user_sessions_axum::admin::session_view;
///
/// let mut record = SessionRecord::new(PublicId::from_secret(b"s"), OffsetDateTime::now_utc() + Duration::hours(1));
/// record.info.user_id = Some("7".into());
/// let names = HashMap::from([("7".to_string(), "Alice".to_string())]);
/// let view = session_view(record.info, "/admin/sessions", None, None, &names);
/// assert_eq!(view.user.as_deref(), Some("Alice"));
/// assert!(!view.expired);
/// assert!(view.detail_url.starts_with("/admin/sessions/"));
/// ```
pub fn session_view(
    info: SessionInfo,
    admin_path: &str,
    geoip: Option<&GeoIp>,
    current: Option<PublicId>,
    names: &HashMap<String, String>,
) -> AdminSessionView {
    let expired = info.is_expired_at(time::OffsetDateTime::now_utc());
    let user_id = info.user_id.clone();
    let user = user_id.as_ref().and_then(|id| names.get(id)).cloned();
    let signed_in = info.authenticated_at.unwrap_or(info.created_at);
    let session = ActiveSession {
        is_current: Some(info.id) == current,
        info,
    };
    let session = SessionView::new(&session, admin_path, geoip);
    let user_sessions_url = user_id.as_ref().map(|user| {
        let query = serde_urlencoded::to_string([("user", user)]).unwrap_or_default();
        format!("{admin_path}/?{query}")
    });
    AdminSessionView {
        detail_url: format!("{admin_path}/{}/", session.id),
        user_sessions_url,
        session,
        user_id,
        user,
        signed_in,
        expired,
    }
}

/// The filters a list was made with, as JSON reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppliedFilters {
    /// `true`: unexpired sessions only; `false`: expired only; `null`: all.
    pub active: Option<bool>,
    /// `"my"` when only the staff member's own sessions are listed.
    pub owner: Option<String>,
    /// The one user whose sessions are listed (`?user=`).
    pub user: Option<String>,
    /// The search text (`?q=`).
    pub q: Option<String>,
    /// What the search was taken for: `ip`, `ip_prefix` or `user`.
    pub search: Option<String>,
    /// For a user search: how many users the directory found.
    pub matched_users: Option<usize>,
    /// For a user search: whether more users matched than the list could take (only the
    /// sessions of the first ones are listed).
    pub truncated: bool,
}

/// The body of `GET {path}/` for JSON: one page of sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AdminList {
    /// The sessions, most recent activity first.
    pub sessions: Vec<AdminSessionView>,
    /// The cursor of the next page (pass it as `?after=`); `null` on the last page.
    pub next: Option<String>,
    /// The URL of the next page, with the same filters.
    pub next_url: Option<String>,
    /// The filters applied.
    pub filters: AppliedFilters,
    /// The token to send with actions (`X-CSRF-Token`, or `csrf_token` in the body).
    pub csrf_token: String,
    /// `POST` `{"ids": [public ids]}` here to end those sessions.
    pub end_selected_url: String,
    /// `POST` `{"user": user id}` here to end all of a user's sessions.
    pub end_user_url: String,
    /// `POST` here to delete every expired session.
    pub purge_url: String,
}

/// One entry of a session's data on the detail page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DataEntry {
    /// The key.
    pub key: String,
    /// Whether the application lets staff see the value.
    pub revealed: bool,
    /// The value, when revealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

/// The body of `GET {path}/{public_id}/` for JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AdminDetail {
    /// The session.
    pub session: AdminSessionView,
    /// Its data: every key, in order; values only where revealed.
    pub data: Vec<DataEntry>,
    /// The token to send with actions.
    pub csrf_token: String,
    /// `POST` `{"user": …}` here to end all sessions of the session's user.
    pub end_user_url: String,
}

impl Admin {
    /// An HTML response rendered from `template` in `locale`, with the variables every page
    /// has (`lang`, `dir`, `stylesheet_url`, and the pages' `home_url` and `site_name`) and the
    /// security headers; a `500` when rendering fails.
    pub(crate) fn html(
        &self,
        status: StatusCode,
        locale: &Locale,
        template: &str,
        context: Value,
    ) -> Response {
        let inner = &self.inner;
        let rendered = inner.pages.render_in(
            &inner.env,
            &inner.stylesheet_path,
            locale,
            template,
            context,
        );
        inner.pages.html_from(status, template, rendered)
    }

    /// A page with a title and one sentence (message keys), no link back.
    pub(crate) fn message(
        &self,
        status: StatusCode,
        locale: &Locale,
        title_key: &str,
        message_key: &str,
    ) -> Response {
        let pages = &self.inner.pages;
        self.html(
            status,
            locale,
            "user_sessions/message.html",
            context! {
                title => pages.message(locale, title_key),
                message => pages.message(locale, message_key),
            },
        )
    }
}
