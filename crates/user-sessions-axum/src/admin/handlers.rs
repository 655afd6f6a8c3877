//! The handlers of the admin: the list, the detail page, and the actions.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use axum::body::{Body, to_bytes};
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::request::Parts;
use http::{HeaderMap, Method, StatusCode, header};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use user_sessions::events::EndedBy;
use user_sessions::{Cursor, Filter, PageRequest, PublicId, SessionInfo, Status, Store};

use super::confirm::Pending;
use super::search::{ListQuery, Owner, Search};
use super::views::{AdminDetail, AdminList, AppliedFilters, DataEntry, session_view};
use super::{Admin, Inner};
use crate::Sessions;
use crate::pages::{
    ApiError, CSRF_FIELD, CsrfError, Ended, InternalFailure, Locale, csrf_token, json_response,
    safe_next, wants_json,
};

/// The largest form or JSON body read (a token and a page's worth of ids fit many times).
const MAX_BODY: usize = 256 * 1024;

/// The session key of the one-time notice shown on the next list ("3 sessions were ended").
const FLASH_KEY: &str = "user_sessions.admin_flash";

/// How many pages of an address's prefix are read at most to fill one page of sessions from
/// exactly that address (`10.0.0.1` also starts `10.0.0.10`…); the rest follows on the next.
const EXACT_IP_ROUNDS: usize = 8;

/// A notice for the next list: a message key and its count.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Flash {
    key: String,
    count: Option<u64>,
}

/// Why a request did not do what it asked.
enum Failure {
    /// Not signed in.
    Unauthenticated,
    /// Signed in, not staff.
    NotStaff,
    /// Forged: CSRF token or origin.
    Forged(CsrfError),
    /// No such session.
    NotFound,
    /// A query string or form that means nothing.
    BadRequest(String),
    /// The store, the directory or the staff predicate failed.
    Internal(InternalFailure),
}

impl From<crate::Error> for Failure {
    fn from(error: crate::Error) -> Self {
        Failure::Internal(error.into())
    }
}

impl From<user_sessions::Error> for Failure {
    fn from(error: user_sessions::Error) -> Self {
        crate::Error::from(error).into()
    }
}

impl From<tower_sessions::session::Error> for Failure {
    fn from(error: tower_sessions::session::Error) -> Self {
        crate::Error::from(error).into()
    }
}

impl From<CsrfError> for Failure {
    fn from(error: CsrfError) -> Self {
        match error {
            CsrfError::Session(error) => error.into(),
            error if error.is_forbidden() => Failure::Forged(error),
            other => Failure::Internal(InternalFailure::other(other)),
        }
    }
}

/// A failure of an application callback (directory, staff predicate).
fn callback_failure(what: &str, error: crate::pages::BoxError) -> Failure {
    let unavailable = error
        .downcast_ref::<user_sessions::Error>()
        .is_some_and(user_sessions::Error::is_unavailable);
    Failure::Internal(InternalFailure {
        unavailable,
        error: format!("{what}: {error}"),
    })
}

/// What one request is about.
struct Visit {
    admin: Admin,
    locale: Locale,
    json: bool,
    sessions: Option<Sessions>,
    /// Where to come back to after signing in.
    next: String,
}

impl Visit {
    fn new(admin: Admin, parts: &Parts) -> Self {
        let pages = &admin.inner.pages;
        let next = if parts.method == Method::GET {
            parts
                .uri
                .path_and_query()
                .map_or_else(|| admin.list_url(), |p| p.as_str().to_owned())
        } else {
            admin.list_url()
        };
        Visit {
            locale: pages.locale(&parts.headers, &parts.extensions),
            json: wants_json(&parts.method, &parts.headers),
            sessions: parts.extensions.get::<Sessions>().cloned(),
            next,
            admin,
        }
    }

    fn inner(&self) -> &Inner {
        &self.admin.inner
    }

    fn sessions(&self) -> Result<&Sessions, Failure> {
        self.sessions
            .as_ref()
            .ok_or(Failure::from(crate::Error::MissingLayer))
    }

    /// The sessions handle and the signed-in staff member.
    async fn staff(&self) -> Result<(&Sessions, String), Failure> {
        let sessions = self.sessions()?;
        let Some(user) = sessions.user_id().await? else {
            return Err(Failure::Unauthenticated);
        };
        match (self.inner().is_staff)(user.clone()).await {
            Ok(true) => Ok((sessions, user)),
            Ok(false) => Err(Failure::NotStaff),
            Err(error) => Err(callback_failure("staff predicate", error)),
        }
    }

    /// The response for a failure.
    fn fail(&self, failure: Failure) -> Response {
        let pages = &self.inner().pages;
        let (status, code, message) = match &failure {
            Failure::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Sign in as a staff member to see sessions.",
            ),
            Failure::NotStaff => (
                StatusCode::FORBIDDEN,
                "not_staff",
                "Only staff members may see all sessions.",
            ),
            Failure::Forged(_) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "The request could not be verified (CSRF token or origin).",
            ),
            Failure::NotFound => (StatusCode::NOT_FOUND, "not_found", "No such session."),
            Failure::BadRequest(_) => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                "The request is not valid.",
            ),
            Failure::Internal(internal) => internal.parts(),
        };
        match &failure {
            Failure::Internal(internal) => internal.log("session admin"),
            Failure::Forged(reason) => {
                tracing::info!(%reason, "session admin: state-changing request refused");
            }
            _ => {}
        }
        if self.json {
            let body = ApiError {
                error: code.into(),
                message: match &failure {
                    Failure::BadRequest(detail) => format!("{message} ({detail})"),
                    _ => message.into(),
                },
                login_url: matches!(failure, Failure::Unauthenticated)
                    .then(|| pages.login_url().to_owned()),
            };
            return pages.secure(json_response(status, &body));
        }
        let locale = &self.locale;
        match failure {
            Failure::Unauthenticated => {
                pages.secure(Redirect::to(&pages.login_url_with_next(&self.next)).into_response())
            }
            // Back to their own sessions: the account pages' message.
            Failure::NotStaff => {
                pages.message_page(status, locale, "admin-forbidden-title", "admin-forbidden")
            }
            Failure::Forged(_) => {
                pages.message_page(status, locale, "error-forbidden-title", "error-forbidden")
            }
            Failure::NotFound => {
                self.admin
                    .message(status, locale, "error-not-found-title", "error-not-found")
            }
            Failure::BadRequest(_) => self.admin.message(
                status,
                locale,
                "admin-bad-request-title",
                "admin-bad-request",
            ),
            Failure::Internal(_) => pages.message_page(
                status,
                locale,
                "error-unavailable-title",
                "error-unavailable",
            ),
        }
    }
}

impl Admin {
    fn list_url(&self) -> String {
        format!("{}/", self.inner.path)
    }
}

/// `GET {path}` → `{path}/`.
pub(super) async fn add_slash(State(admin): State<Admin>) -> Response {
    Redirect::permanent(&admin.list_url()).into_response()
}

// ---------------------------------------------------------------------------------------------
// The list.

/// `GET {path}/`.
pub(super) async fn list(State(admin): State<Admin>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let visit = Visit::new(admin, &parts);
    match show_list(&visit, &parts).await {
        Ok(response) => response,
        Err(failure) => visit.fail(failure),
    }
}

/// Narrows `users` to those also in `with` (the first restriction sets it).
fn restrict(users: &mut Option<Vec<String>>, with: Vec<String>) {
    *users = Some(match users.take() {
        None => with,
        Some(current) => {
            let with: HashSet<String> = with.into_iter().collect();
            current.into_iter().filter(|u| with.contains(u)).collect()
        }
    });
}

/// The query for a list request: its filter, the exact address when searching one, what the
/// search found, and the users the list is limited to.
struct Plan {
    filter: Filter,
    exact_ip: Option<IpAddr>,
    applied: AppliedFilters,
    users: Option<Vec<String>>,
}

async fn plan(inner: &Inner, query: &ListQuery, me: &str) -> Result<Plan, Failure> {
    let mut applied = AppliedFilters {
        active: match query.status {
            Status::Active => Some(true),
            Status::Expired => Some(false),
            Status::All => None,
        },
        owner: (query.owner == Owner::Mine).then(|| "my".to_owned()),
        user: query.user.clone(),
        q: query.search.as_ref().map(Search::text),
        search: query.search.as_ref().map(|s| s.kind().to_owned()),
        ..AppliedFilters::default()
    };
    let mut users = None;
    if query.owner == Owner::Mine {
        restrict(&mut users, vec![me.to_owned()]);
    }
    if let Some(user) = &query.user {
        restrict(&mut users, vec![user.clone()]);
    }
    let mut filter = Filter::default().status(query.status);
    let mut exact_ip = None;
    match &query.search {
        Some(Search::User(text)) => {
            let mut found = inner
                .directory
                .search(text)
                .await
                .map_err(|e| callback_failure("user directory search", e))?;
            found.sort_unstable();
            found.dedup();
            applied.matched_users = Some(found.len());
            if found.len() > inner.max_search_users {
                found.truncate(inner.max_search_users);
                applied.truncated = true;
            }
            restrict(&mut users, found);
        }
        Some(Search::Ip(ip)) => {
            filter = filter.ip_prefix(ip.to_string());
            exact_ip = Some(*ip);
        }
        Some(Search::IpPrefix(prefix)) => filter = filter.ip_prefix(prefix.clone()),
        None => {}
    }
    if let Some(users) = &users {
        filter = filter.users(users.iter().cloned());
    }
    Ok(Plan {
        filter,
        exact_ip,
        applied,
        users,
    })
}

/// One page of sessions matching `filter` (and, when set, from exactly `exact_ip`), and the
/// cursor of the next page.
async fn fetch_page(
    store: &Store,
    filter: &Filter,
    exact_ip: Option<IpAddr>,
    after: Option<Cursor>,
    limit: u32,
) -> Result<(Vec<SessionInfo>, Option<Cursor>), Failure> {
    let wanted = limit as usize;
    let mut request = PageRequest { after, limit };
    let mut found = Vec::with_capacity(wanted);
    for _ in 0..EXACT_IP_ROUNDS {
        let page = store.list(filter, &request).await?;
        found.extend(
            page.sessions
                .into_iter()
                .filter(|s| exact_ip.is_none_or(|ip| s.ip == Some(ip))),
        );
        if found.len() > wanted {
            found.truncate(wanted);
            let next = found.last().map(Cursor::after);
            return Ok((found, next));
        }
        match page.next {
            None => return Ok((found, None)),
            Some(next) if found.len() == wanted => return Ok((found, Some(next))),
            Some(next) => request.after = Some(next),
        }
    }
    // A page only partly filled: the rest follows after the sessions read so far.
    Ok((found, request.after))
}

/// The directory's names for these users; only ids when it fails.
async fn display_names(inner: &Inner, ids: Vec<String>) -> HashMap<String, String> {
    if ids.is_empty() {
        return HashMap::new();
    }
    match inner.directory.display_names(&ids).await {
        Ok(names) => names,
        Err(error) => {
            tracing::warn!(%error, "session admin: user directory failed; showing user ids");
            HashMap::new()
        }
    }
}

async fn show_list(visit: &Visit, parts: &Parts) -> Result<Response, Failure> {
    let (sessions, me) = visit.staff().await?;
    let inner = visit.inner();
    let query = ListQuery::parse(parts.uri.query())
        .map_err(|error| Failure::BadRequest(error.to_string()))?;
    let plan = plan(inner, &query, &me).await?;
    let limit = query.limit.unwrap_or(inner.page_size);
    let (infos, next) = fetch_page(
        sessions.store(),
        &plan.filter,
        plan.exact_ip,
        query.after,
        limit,
    )
    .await?;

    // The one user the list is about, if it is one user's: their sessions can all be ended.
    let single_user = match plan.users.as_deref() {
        Some([user]) => Some(user.clone()),
        _ => None,
    };
    let mut ids: Vec<String> = infos.iter().filter_map(|s| s.user_id.clone()).collect();
    ids.extend(single_user.clone());
    ids.sort_unstable();
    ids.dedup();
    let names = display_names(inner, ids).await;

    let path = &inner.path;
    let current = sessions.current_public_id();
    let geoip = inner.pages.geoip();
    let views: Vec<_> = infos
        .into_iter()
        .map(|info| session_view(info, path, geoip, current, &names))
        .collect();
    let token = csrf_token(sessions.session()).await?;
    let list_url = visit.admin.list_url();
    let next_url = next.map(|cursor| {
        ListQuery {
            after: Some(cursor),
            ..query.clone()
        }
        .url(&list_url)
    });
    let end_selected_url = format!("{path}/end/");
    let end_user_url = format!("{path}/end-user/");
    let purge_url = format!("{path}/purge/");
    if visit.json {
        let body = AdminList {
            sessions: views,
            next: next.map(|c| c.to_string()),
            next_url,
            filters: plan.applied,
            csrf_token: token,
            end_selected_url,
            end_user_url,
            purge_url,
        };
        return Ok(inner.pages.secure(json_response(StatusCode::OK, &body)));
    }

    let pages = &inner.pages;
    let flash = take_flash(sessions.session()).await?.map(|flash| {
        let args = flash.count.map(|count| ("count", count.into()));
        context! {
            text => pages
                .translations()
                .message(&visit.locale, &flash.key, args.as_slice()),
            // Nothing happened: a notice, not a success.
            neutral => flash.key == "admin-nothing-selected",
        }
    });
    let first = query.first_page();
    let status_links: Vec<_> = [
        ("admin-filter-all", Status::All),
        ("admin-filter-active", Status::Active),
        ("admin-filter-expired", Status::Expired),
    ]
    .into_iter()
    .map(|(label, status)| {
        context! {
            label,
            selected => status == query.status,
            url => ListQuery { status, ..first.clone() }.url(&list_url),
        }
    })
    .collect();
    let owner_links: Vec<_> = [
        ("admin-filter-everyone", Owner::Anyone),
        ("admin-filter-mine", Owner::Mine),
    ]
    .into_iter()
    .map(|(label, owner)| {
        context! {
            label,
            selected => owner == query.owner,
            url => ListQuery { owner, ..first.clone() }.url(&list_url),
        }
    })
    .collect();
    let end_user = single_user.map(|id| {
        let name = names.get(&id).cloned().unwrap_or_else(|| id.clone());
        context! { id, name }
    });
    let user_filter = query.user.as_ref().map(|id| {
        let name = names.get(id).cloned().unwrap_or_else(|| id.clone());
        context! {
            name,
            clear_url => ListQuery { user: None, ..first.clone() }.url(&list_url),
        }
    });
    Ok(visit.admin.html(
        StatusCode::OK,
        &visit.locale,
        "user_sessions/admin_list.html",
        context! {
            sessions => views,
            filters => plan.applied,
            status_links,
            owner_links,
            user_filter,
            search_text => query.search.as_ref().map(Search::text),
            clear_search_url => query
                .search
                .is_some()
                .then(|| ListQuery { search: None, ..first.clone() }.url(&list_url)),
            locations => pages.geoip().is_some(),
            hidden_fields => hidden_fields(&first),
            list_url,
            current_url => query.url(&visit.admin.list_url()),
            first_page_url => query.after.is_some().then(|| first.url(&visit.admin.list_url())),
            next_url,
            max_search_users => inner.max_search_users,
            csrf_token => token,
            csrf_field => CSRF_FIELD,
            end_selected_url,
            end_user_url,
            purge_url,
            end_user,
            flash,
        },
    ))
}

/// The filters the search form keeps when it is submitted (everything but the search and
/// the page).
fn hidden_fields(query: &ListQuery) -> Vec<minijinja::Value> {
    let kept = ListQuery {
        search: None,
        after: None,
        ..query.clone()
    };
    serde_urlencoded::from_str::<Vec<(String, String)>>(&kept.to_query_string())
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| context! { name, value })
        .collect()
}

/// The notice for this view, removed from the session (which is written only when there was
/// one).
async fn take_flash(session: &Session) -> Result<Option<Flash>, Failure> {
    let Some(stored) = session.get_value(FLASH_KEY).await? else {
        return Ok(None);
    };
    session.remove_value(FLASH_KEY).await?;
    Ok(serde_json::from_value(stored).ok())
}

// ---------------------------------------------------------------------------------------------
// The detail page.

/// `GET {path}/{public_id}/`.
pub(super) async fn detail(
    State(admin): State<Admin>,
    Path(public_id): Path<String>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let visit = Visit::new(admin, &parts);
    match show_detail(&visit, &public_id).await {
        Ok(response) => response,
        Err(failure) => visit.fail(failure),
    }
}

async fn show_detail(visit: &Visit, public_id: &str) -> Result<Response, Failure> {
    let (sessions, _me) = visit.staff().await?;
    let inner = visit.inner();
    let id: PublicId = public_id.parse().map_err(|_| Failure::NotFound)?;
    let record = sessions.store().get(&id).await?.ok_or(Failure::NotFound)?;
    let names = display_names(inner, record.info.user_id.iter().cloned().collect()).await;
    let view = session_view(
        record.info,
        &inner.path,
        inner.pages.geoip(),
        sessions.current_public_id(),
        &names,
    );
    let mut data: Vec<DataEntry> = record
        .data
        .into_iter()
        .map(|(key, value)| {
            let revealed = inner.reveal.as_ref().is_some_and(|reveal| reveal(&key));
            DataEntry {
                value: revealed.then_some(value),
                revealed,
                key,
            }
        })
        .collect();
    data.sort_by(|a, b| a.key.cmp(&b.key));
    let token = csrf_token(sessions.session()).await?;
    let end_user_url = format!("{}/end-user/", inner.path);
    if visit.json {
        let body = AdminDetail {
            session: view,
            data,
            csrf_token: token,
            end_user_url,
        };
        return Ok(inner.pages.secure(json_response(StatusCode::OK, &body)));
    }
    let data: Vec<_> = data
        .into_iter()
        .map(|entry| {
            let value = entry
                .value
                .as_ref()
                .map(|v| serde_json::to_string_pretty(v).unwrap_or_default());
            context! { key => entry.key, revealed => entry.revealed, value }
        })
        .collect();
    Ok(visit.admin.html(
        StatusCode::OK,
        &visit.locale,
        "user_sessions/admin_detail.html",
        context! {
            s => view,
            data,
            list_url => visit.admin.list_url(),
            csrf_token => token,
            csrf_field => CSRF_FIELD,
            end_user_url,
            locations => inner.pages.geoip().is_some(),
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// The actions.

/// The fields an action may send, as a form (`id` repeated) or JSON (`ids`).
#[derive(Debug, Default, Deserialize)]
struct Submitted {
    #[serde(default, rename = "csrf_token")]
    token: Option<String>,
    #[serde(default)]
    ids: Vec<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    next: Option<String>,
    /// The form of the confirmation page says yes (scripts never need to).
    #[serde(skip)]
    confirmed: bool,
}

/// Reads the fields of a form or JSON body; anything else reads as empty, a malformed body is
/// an error.
async fn read_fields(headers: &HeaderMap, body: Body) -> Result<Submitted, Failure> {
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| Failure::BadRequest("body too large".into()))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    parse_fields(content_type, &bytes)
}

/// Parses a body as the admin's actions do (for the fuzz targets): whether it was accepted.
#[cfg(fuzzing)]
pub(crate) fn parse_body(content_type: &str, bytes: &[u8]) -> bool {
    parse_fields(content_type, bytes).is_ok()
}

/// The fields of a body of `content_type`.
fn parse_fields(content_type: &str, bytes: &[u8]) -> Result<Submitted, Failure> {
    let content_type = content_type.to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(bytes).map_err(|_| Failure::BadRequest("form".into()))?;
        let mut submitted = Submitted::default();
        for (name, value) in pairs {
            match name.as_str() {
                "csrf_token" => submitted.token = Some(value),
                "id" | "ids" => submitted.ids.push(value),
                // "Select all": every id of the page in one field.
                "ids_on_page" => submitted
                    .ids
                    .extend(value.split_whitespace().map(str::to_owned)),
                "user" => submitted.user = Some(value),
                "next" => submitted.next = Some(value),
                "confirmed" => submitted.confirmed = value == "yes",
                _ => {}
            }
        }
        Ok(submitted)
    } else if content_type.starts_with("application/json") && !bytes.is_empty() {
        serde_json::from_slice(bytes).map_err(|_| Failure::BadRequest("JSON body".into()))
    } else {
        Ok(Submitted::default())
    }
}

/// What an action does.
enum Action {
    EndSelected,
    EndUser,
    Purge,
    EndOne(String),
}

/// `POST {path}/end/`: ends the selected sessions.
pub(super) async fn end_selected(State(admin): State<Admin>, request: Request) -> Response {
    act(admin, request, Action::EndSelected).await
}

/// `POST {path}/end-user/`: ends every session of a user.
pub(super) async fn end_user(State(admin): State<Admin>, request: Request) -> Response {
    act(admin, request, Action::EndUser).await
}

/// `POST {path}/purge/`: deletes every expired session.
pub(super) async fn purge(State(admin): State<Admin>, request: Request) -> Response {
    act(admin, request, Action::Purge).await
}

/// `POST`/`DELETE {path}/{public_id}/delete/`: ends one session.
pub(super) async fn end_one(
    State(admin): State<Admin>,
    Path(public_id): Path<String>,
    request: Request,
) -> Response {
    act(admin, request, Action::EndOne(public_id)).await
}

async fn act(admin: Admin, request: Request, action: Action) -> Response {
    let (parts, body) = request.into_parts();
    let visit = Visit::new(admin, &parts);
    let result = match read_fields(&parts.headers, body).await {
        Ok(submitted) => run(&visit, &parts, submitted, action).await,
        Err(failure) => Err(failure),
    };
    match result {
        Ok(response) => response,
        Err(failure) => visit.fail(failure),
    }
}

async fn run(
    visit: &Visit,
    parts: &Parts,
    submitted: Submitted,
    action: Action,
) -> Result<Response, Failure> {
    let inner = visit.inner();
    let pages = &inner.pages;
    let session = visit.sessions()?.session();
    pages
        .csrf()
        .verify(
            session,
            &parts.headers,
            &parts.uri,
            submitted.token.as_deref(),
        )
        .await?;
    let (sessions, me) = visit.staff().await?;
    // Every session ended here is reported as ended by this staff member.
    let store = &sessions
        .store()
        .ending_as(EndedBy::Admin { staff: me.clone() });
    let list_url = visit.admin.list_url();
    // Back to the list as it was (its filters), never anywhere else.
    let back = submitted
        .next
        .clone()
        .filter(|next| next.starts_with(&list_url) && safe_next(next).is_some())
        .unwrap_or(list_url);
    if !visit.json && !submitted.confirmed {
        if let Some(pending) = pending(visit, store, &submitted, &action, &back).await? {
            let token = csrf_token(session).await?;
            return Ok(visit.admin.html(
                StatusCode::OK,
                &visit.locale,
                "user_sessions/admin_confirm.html",
                pending.context(CSRF_FIELD, &token),
            ));
        }
    }
    let current = sessions.current_public_id();
    let (ended, logged_out, what) = match action {
        Action::EndSelected => {
            let mut ids = submitted
                .ids
                .iter()
                .map(|id| id.trim().parse::<PublicId>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| Failure::BadRequest("a selected id is not a public id".into()))?;
            // "Select all" and a row's own box may name a session twice.
            ids.sort_unstable();
            ids.dedup();
            let ended = store.delete_many(&ids).await?;
            let mine = current.is_some_and(|c| ids.contains(&c));
            let what = if ids.is_empty() {
                "admin-nothing-selected"
            } else {
                "admin-ended"
            };
            (ended, mine, what)
        }
        Action::EndUser => {
            let user = submitted
                .user
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .ok_or_else(|| Failure::BadRequest("no user".into()))?;
            let ended = store.end_all_user_sessions(user).await?;
            (ended, user == me && current.is_some(), "admin-ended")
        }
        Action::Purge => (store.purge_expired().await?, false, "admin-ended"),
        Action::EndOne(public_id) => {
            let id: PublicId = public_id.parse().map_err(|_| Failure::NotFound)?;
            if !store.delete(&id).await? {
                return Err(Failure::NotFound);
            }
            (1, current == Some(id), "admin-ended")
        }
    };
    tracing::info!(ended, staff = %me, "session admin: sessions ended");
    if logged_out {
        // The staff member's own session was among them: sign out for good (otherwise the
        // next save would write it again).
        session.flush().await?;
    }
    if visit.json {
        let body = Ended {
            ended,
            logged_out,
            redirect: logged_out.then(|| pages.logout_url().to_owned()),
        };
        return Ok(pages.secure(json_response(StatusCode::OK, &body)));
    }
    if logged_out {
        return Ok(pages.secure(Redirect::to(pages.logout_url()).into_response()));
    }
    let flash = Flash {
        key: what.into(),
        count: Some(ended),
    };
    if let Ok(value) = serde_json::to_value(&flash) {
        if let Err(error) = session.insert_value(FLASH_KEY, value).await {
            tracing::warn!(%error, "session admin: could not store the notice");
        }
    }
    Ok(pages.secure(Redirect::to(&back).into_response()))
}

/// What a bulk action from a form is about to do, to be confirmed first; `None` for what
/// needs no second step (one session, nothing selected).
async fn pending<'a>(
    visit: &Visit,
    store: &Store,
    submitted: &'a Submitted,
    action: &Action,
    back: &str,
) -> Result<Option<Pending<'a>>, Failure> {
    let path = &visit.inner().path;
    let mut fields: Vec<(&str, String)> = vec![("next", back.to_owned())];
    let pending = match action {
        Action::EndSelected if !submitted.ids.is_empty() => {
            fields.extend(submitted.ids.iter().map(|id| ("id", id.clone())));
            let distinct: HashSet<&str> = submitted.ids.iter().map(|id| id.trim()).collect();
            Pending {
                question: "admin-confirm-end-selected",
                button: "admin-confirm-button-end",
                count: distinct.len() as u64,
                user_name: None,
                action_url: format!("{path}/end/"),
                fields,
                back_url: back.to_owned(),
            }
        }
        Action::EndUser => {
            let Some(user) = submitted
                .user
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
            else {
                return Ok(None);
            };
            let count = store.user_sessions(user).await?.len() as u64;
            let names = display_names(visit.inner(), vec![user.to_owned()]).await;
            fields.push(("user", user.to_owned()));
            Pending {
                question: "admin-confirm-end-user",
                button: "admin-confirm-button-end",
                count,
                user_name: Some(names.get(user).cloned().unwrap_or_else(|| user.to_owned())),
                action_url: format!("{path}/end-user/"),
                fields,
                back_url: back.to_owned(),
            }
        }
        Action::Purge => Pending {
            question: "admin-confirm-purge",
            button: "admin-confirm-button-purge",
            count: store.stats().await?.expired,
            user_name: None,
            action_url: format!("{path}/purge/"),
            fields,
            back_url: back.to_owned(),
        },
        Action::EndSelected | Action::EndOne(_) => return Ok(None),
    };
    Ok(Some(pending))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restrictions_intersect() {
        let mut users = None;
        restrict(&mut users, vec!["a".into(), "b".into()]);
        assert_eq!(
            users.as_deref(),
            Some(&["a".to_string(), "b".to_string()][..])
        );
        restrict(&mut users, vec!["b".into(), "c".into()]);
        assert_eq!(users.as_deref(), Some(&["b".to_string()][..]));
        restrict(&mut users, vec!["c".into()]);
        assert_eq!(users.as_deref(), Some(&[][..]));
    }
}
