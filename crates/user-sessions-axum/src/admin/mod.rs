//! The admin pages: every session of every user, for staff — filter, search, end (feature
//! `admin`).
//!
//! | Route (under the mount path, default `/admin/sessions`) | What it does |
//! | --- | --- |
//! | `GET {path}/` | the list ([`AdminList`] for JSON), newest activity first, 50 a page |
//! | `GET {path}/{public_id}/` | one session: every column, its data keys ([`AdminDetail`]) |
//! | `POST {path}/end/` | ends the selected sessions (`id` fields, or `{"ids": […]}`) |
//! | `POST {path}/end-user/` | ends every session of one user (`user` field) |
//! | `POST {path}/purge/` | deletes every expired session |
//! | `POST`/`DELETE {path}/{public_id}/delete/` | ends one session |
//! | `GET {path}/static/user-sessions-admin.css` | the stylesheet |
//!
//! A form's bulk action (end selected, end a user's, purge) first answers a confirmation page
//! that says what will happen, with counts; its form sends the same fields with
//! `confirmed=yes`. JSON requests act at once.
//!
//! The list takes, combined: `?active=1` (unexpired) or `?active=0` (expired) — all by
//! default, like the original's "Is valid" filter; `?owner=my` (the staff member's own);
//! `?user=<id>` (one user's); `?q=` — an IP address (exactly that address), the beginning of one
//! (`203.0.113.`, `2001:db8:`), or else a user, looked up in the application's
//! [`UserDirectory`] (username, name, email); `?after=` continues after a page (keyset paging:
//! page 1 000 costs what page 1 does, and inserts never shift a page); `?limit=` (1–500).
//!
//! Only staff get in: the application's async predicate decides, for the signed-in user. Anyone
//! else gets `403`; anonymous visitors are sent to the login URL (JSON clients get `401`).
//! Every action is a `POST` checked like the account pages' (the session's CSRF token and a
//! same-origin request); each reports how many sessions it ended. Sessions are named by their
//! public id only. Session data values stay hidden unless the application's
//! [`reveal_data`](AdminBuilder::reveal_data) predicate allows a key.
//!
//! Everything else is shared with the [account pages](crate::pages): templates (the admin's
//! `user_sessions/admin_list.html` and `user_sessions/admin_detail.html` extend
//! `user_sessions/base.html` and can be overridden the same way), the site name and home link
//! of the header, which also says who is signed in, translations, the language of a request,
//! CSRF rules, security headers, how bodies are read (a malformed one is `400`) and how
//! failures are answered.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::collections::HashMap;
//! use axum::Router;
//! use tower_sessions::SessionManagerLayer;
//! use user_sessions_axum::admin::{Admin, UserDirectory};
//! use user_sessions_axum::pages::{BoxError, Pages};
//! use user_sessions_axum::{UserSessionStore, UserSessionsLayer};
//!
//! /// The application's users (here: a list in memory).
//! struct Users(Vec<(String, String)>); // (id, username)
//!
//! impl UserDirectory for Users {
//!     async fn display_names(&self, ids: &[String]) -> Result<HashMap<String, String>, BoxError> {
//!         Ok(self.0.iter().filter(|(id, _)| ids.contains(id)).cloned().collect())
//!     }
//!     async fn search(&self, text: &str) -> Result<Vec<String>, BoxError> {
//!         Ok(self.0.iter().filter(|(_, name)| name.contains(text)).map(|(id, _)| id.clone()).collect())
//!     }
//! }
//!
//! let store = user_sessions::Store::open("sqlite::memory:").await?;
//! store.migrate().await?;
//! let session_store = UserSessionStore::new(store);
//! let pages = Pages::builder().login_url("/login").build()?;
//! let users = Users(vec![("1".into(), "alice".into()), ("2".into(), "bob".into())]);
//! let admin = Admin::builder(pages.clone(), users, |user_id: String| async move {
//!     Ok::<_, std::convert::Infallible>(user_id == "1") // alice is staff
//! })
//! .path("/admin/sessions")
//! .build()?;
//!
//! let app: Router = Router::new()
//!     .merge(pages.router())
//!     .merge(admin.router())
//!     .layer(UserSessionsLayer::new(session_store.clone()).around(SessionManagerLayer::new(session_store)));
//! # Ok(()) }
//! ```
//!
//! Merge the router *before* adding the session layers, so that they wrap it.

mod actions;
mod confirm;
mod detail;
mod list;
mod search;
mod views;

#[cfg(fuzzing)]
pub(crate) use actions::parse_body;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, LazyLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use http::{HeaderValue, header};
use minijinja::Environment;

pub use crate::pages::UserDirectory;
pub use search::{InvalidQuery, ListQuery, Owner, Search};
pub use views::{
    AdminDetail, AdminList, AdminSessionView, AppliedFilters, DataEntry, session_view,
};

use crate::Sessions;
use crate::pages::{BoxError, Directory, Face, Failure, Pages, STYLESHEET, Visit, render_failures};

/// The templates of the admin pages that ship with the crate: `(name, source)`. An
/// environment that already has a template of that name (the application's) keeps its own.
pub const ADMIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "user_sessions/admin_list.html",
        include_str!("../../templates/user_sessions/admin_list.html"),
    ),
    (
        "user_sessions/admin_detail.html",
        include_str!("../../templates/user_sessions/admin_detail.html"),
    ),
    (
        "user_sessions/admin_confirm.html",
        include_str!("../../templates/user_sessions/admin_confirm.html"),
    ),
];

/// The admin's own rules, served after the pages' [`STYLESHEET`] in one file.
pub const ADMIN_STYLESHEET: &str = include_str!("../../static/user-sessions-admin.css");

/// The default number of sessions on a page.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// The most sessions one page may show (`?limit=`).
pub const MAX_PAGE_SIZE: u32 = 500;

/// The most users a search of the directory passes on to the query; beyond that, the list
/// says the search was cut short.
pub const DEFAULT_MAX_SEARCH_USERS: usize = 10_000;

type StaffFuture = Pin<Box<dyn Future<Output = Result<bool, BoxError>> + Send>>;
type StaffFn = dyn Fn(String) -> StaffFuture + Send + Sync;
type RevealFn = dyn Fn(&str) -> bool + Send + Sync;

/// What can go wrong when the admin is built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdminError {
    /// A path that does not start with `/`.
    #[error("`{0}` is not an absolute path (it must start with `/`)")]
    InvalidPath(String),
    /// An admin template does not parse.
    #[error("admin templates: {0}")]
    Templates(#[from] minijinja::Error),
}

/// Configures [`Admin`]; from [`Admin::builder`].
pub struct AdminBuilder {
    pages: Pages,
    directory: Arc<dyn Directory>,
    is_staff: Arc<StaffFn>,
    reveal: Option<Arc<RevealFn>>,
    path: String,
    page_size: u32,
    max_search_users: usize,
}

impl fmt::Debug for AdminBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminBuilder")
            .field("path", &self.path)
            .field("page_size", &self.page_size)
            .field("max_search_users", &self.max_search_users)
            .field("reveals_data", &self.reveal.is_some())
            .finish_non_exhaustive()
    }
}

impl AdminBuilder {
    /// Where the admin lives (default `/admin/sessions`; the list is at `{path}/`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into().trim_end_matches('/').to_owned();
        self
    }

    /// Sessions per page when the request does not say (default [`DEFAULT_PAGE_SIZE`]).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.clamp(1, MAX_PAGE_SIZE);
        self
    }

    /// The most users a directory search may select (default [`DEFAULT_MAX_SEARCH_USERS`]).
    pub fn max_search_users(mut self, users: usize) -> Self {
        self.max_search_users = users.max(1);
        self
    }

    /// Shows the values of the session data keys `reveal` accepts on the detail page (by
    /// default only the keys are shown: values may be secrets, like a CSRF token).
    ///
    /// ```
    /// # fn builder() -> user_sessions_axum::admin::AdminBuilder { unimplemented!() }
    /// # fn configure() {
    /// let builder = builder().reveal_data(|key: &str| key == "cart" || key.starts_with("prefs."));
    /// # }
    /// ```
    pub fn reveal_data(mut self, reveal: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        self.reveal = Some(Arc::new(reveal));
        self
    }

    /// The admin.
    pub fn build(self) -> Result<Admin, AdminError> {
        if !self.path.starts_with('/') {
            return Err(AdminError::InvalidPath(self.path));
        }
        let mut env = self.pages.environment().clone();
        for (name, source) in ADMIN_TEMPLATES {
            if env.get_template(name).is_err() {
                env.add_template(name, source)?;
            }
        }
        Ok(Admin {
            inner: Arc::new(Inner {
                stylesheet_path: format!("{}/static/user-sessions-admin.css", self.path),
                path: self.path,
                pages: self.pages,
                env,
                directory: self.directory,
                is_staff: self.is_staff,
                reveal: self.reveal,
                page_size: self.page_size,
                max_search_users: self.max_search_users,
            }),
        })
    }
}

struct Inner {
    path: String,
    stylesheet_path: String,
    pages: Pages,
    env: Environment<'static>,
    directory: Arc<dyn Directory>,
    is_staff: Arc<StaffFn>,
    reveal: Option<Arc<RevealFn>>,
    page_size: u32,
    max_search_users: usize,
}

/// The configured admin: its router, mounted where the application wants it. Cheap to clone.
#[derive(Clone)]
pub struct Admin {
    inner: Arc<Inner>,
}

impl fmt::Debug for Admin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Admin")
            .field("path", &self.inner.path)
            .field("page_size", &self.inner.page_size)
            .finish_non_exhaustive()
    }
}

impl Admin {
    /// Starts the configuration with what the admin cannot do without: the [`Pages`] whose
    /// templates, translations, login URL and CSRF rules it shares, the application's user
    /// directory, and the predicate that says whether a signed-in user (by id) is staff.
    pub fn builder<D, F, Fut, E>(pages: Pages, directory: D, is_staff: F) -> AdminBuilder
    where
        D: UserDirectory,
        F: Fn(String) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<bool, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let is_staff = Arc::new(is_staff);
        AdminBuilder {
            pages,
            directory: Arc::new(directory),
            is_staff: Arc::new(move |user| {
                let is_staff = is_staff.clone();
                Box::pin(async move { is_staff(user).await.map_err(Into::into) })
            }),
            reveal: None,
            path: "/admin/sessions".into(),
            page_size: DEFAULT_PAGE_SIZE,
            max_search_users: DEFAULT_MAX_SEARCH_USERS,
        }
    }

    /// The routes of the admin and its stylesheet. Merge it into the application's router
    /// before the session layers are added.
    pub fn router<S>(&self) -> Router<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        let path = &self.inner.path;
        let mut router = Router::new()
            .route(&format!("{path}/"), get(list::list))
            .route(&format!("{path}/end/"), post(actions::end_selected))
            .route(&format!("{path}/end-user/"), post(actions::end_user))
            .route(&format!("{path}/purge/"), post(actions::purge))
            .route(&format!("{path}/{{public_id}}/"), get(detail::detail))
            .route(
                &format!("{path}/{{public_id}}/delete/"),
                post(actions::end_one).delete(actions::end_one),
            )
            .route(&self.inner.stylesheet_path, get(stylesheet));
        if !path.is_empty() {
            router = router.route(path, get(add_slash));
        }
        router
            .with_state(self.clone())
            .layer(axum::middleware::from_fn_with_state(
                Face::Admin(self.clone()),
                render_failures,
            ))
    }

    /// Where the admin lives, e.g. `/admin/sessions` (no trailing slash).
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    /// The pages the admin shares templates, translations and CSRF rules with.
    pub fn pages(&self) -> &Pages {
        &self.inner.pages
    }

    /// The templates the admin renders with: the pages' environment plus the admin templates.
    pub fn environment(&self) -> &Environment<'static> {
        &self.inner.env
    }

    /// The path the stylesheet is served at.
    pub fn stylesheet_path(&self) -> &str {
        &self.inner.stylesheet_path
    }

    /// The application's user directory.
    pub(crate) fn directory(&self) -> &dyn Directory {
        self.inner.directory.as_ref()
    }

    /// The list's URL (`{path}/`).
    fn list_url(&self) -> String {
        format!("{}/", self.inner.path)
    }
}

impl FromRef<Admin> for Face {
    fn from_ref(admin: &Admin) -> Self {
        Face::Admin(admin.clone())
    }
}

/// The sessions handle and the signed-in staff member.
async fn staff(visit: &Visit) -> Result<(&Sessions, String), Failure> {
    let Face::Admin(admin) = &visit.face else {
        return Err(Failure::NotStaff);
    };
    let (sessions, user) = visit.user().await?;
    match (admin.inner.is_staff)(user.clone()).await {
        Ok(true) => Ok((sessions, user)),
        Ok(false) => Err(Failure::NotStaff),
        Err(error) => Err(Failure::callback("staff predicate", error)),
    }
}

/// The directory's names for these users; only ids when it fails.
async fn display_names(
    admin: &Admin,
    ids: Vec<String>,
) -> std::collections::HashMap<String, String> {
    if ids.is_empty() {
        return std::collections::HashMap::new();
    }
    match admin.directory().display_names(&ids).await {
        Ok(names) => names,
        Err(error) => {
            tracing::warn!(%error, "session admin: user directory failed; showing user ids");
            std::collections::HashMap::new()
        }
    }
}

/// `GET {path}` → `{path}/`.
async fn add_slash(State(admin): State<Admin>) -> Response {
    Redirect::permanent(&admin.list_url()).into_response()
}

/// The pages' stylesheet followed by the admin's rules.
static FULL_STYLESHEET: LazyLock<String> =
    LazyLock::new(|| format!("{STYLESHEET}\n{ADMIN_STYLESHEET}"));

/// Serves [`STYLESHEET`] and [`ADMIN_STYLESHEET`].
async fn stylesheet() -> Response {
    let mut response = Response::new(Body::from(FULL_STYLESHEET.as_str()));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    struct Nobody;

    impl UserDirectory for Nobody {
        async fn display_names(&self, _: &[String]) -> Result<HashMap<String, String>, BoxError> {
            Ok(HashMap::new())
        }
        async fn search(&self, _: &str) -> Result<Vec<String>, BoxError> {
            Ok(Vec::new())
        }
    }

    fn builder() -> AdminBuilder {
        let pages = Pages::builder().build().unwrap();
        Admin::builder(pages, Nobody, |_| async {
            Ok::<_, std::convert::Infallible>(false)
        })
    }

    #[test]
    fn build_checks_the_path_and_compiles_the_templates() {
        assert!(matches!(
            builder().path("admin").build(),
            Err(AdminError::InvalidPath(_))
        ));
        let admin = builder().path("/staff/sessions/").build().unwrap();
        assert_eq!(admin.path(), "/staff/sessions");
        assert_eq!(
            admin.stylesheet_path(),
            "/staff/sessions/static/user-sessions-admin.css"
        );
        for (name, _) in ADMIN_TEMPLATES {
            admin.environment().get_template(name).unwrap();
        }
    }

    #[test]
    fn the_application_templates_win() {
        let templates = crate::pages::Templates::embedded()
            .with_template("user_sessions/admin_list.html", "mine");
        let pages = Pages::builder().templates(templates).build().unwrap();
        let admin = Admin::builder(pages, Nobody, |_| async {
            Ok::<_, std::convert::Infallible>(true)
        })
        .build()
        .unwrap();
        let template = admin
            .environment()
            .get_template("user_sessions/admin_list.html")
            .unwrap();
        assert_eq!(template.render(()).unwrap(), "mine");
    }
}
