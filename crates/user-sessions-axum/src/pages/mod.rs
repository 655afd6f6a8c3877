//! The account pages: "your active sessions", where a user sees every browser they are signed
//! in with and ends the ones they do not recognise — with a JSON API on the same URLs,
//! templates the application can override, and translations (feature `pages`).
//!
//! | Route | What it does |
//! | --- | --- |
//! | `GET /account/sessions/` | the signed-in user's sessions (HTML, or [`SessionList`] for JSON) |
//! | `POST`/`DELETE /account/sessions/{public_id}/delete/` | ends one of them (confirmed); the current one signs out |
//! | `DELETE /account/sessions/{public_id}/` | the same, for scripts |
//! | `POST`/`DELETE /account/sessions/other/delete/` | ends all others (confirmed) |
//! | `GET /account/sessions/static/user-sessions.css` | the stylesheet (no inline styles: strict CSP works) |
//!
//! Anonymous visitors are sent to the login URL (`?next=` the page); JSON clients get `401`.
//! Every `POST` and `DELETE` needs the session's CSRF token and a same-origin request
//! ([`CsrfPolicy`]); a forged one gets `403` and changes nothing. An id that is not one of
//! the user's sessions gets `404` — whether it is another user's or made up. Pages and JSON
//! name sessions only by their public id.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use axum::Router;
//! use tower_sessions::SessionManagerLayer;
//! use user_sessions_axum::pages::{Confirmation, Pages};
//! use user_sessions_axum::{UserSessionStore, UserSessionsLayer};
//!
//! let store = user_sessions::Store::open("sqlite::memory:").await?;
//! store.migrate().await?;
//! let session_store = UserSessionStore::new(store);
//!
//! let pages = Pages::builder()
//!     .login_url("/login")
//!     .logout_url("/")
//!     .confirm_end_others(Confirmation::recent_authentication(Duration::from_secs(15 * 60)))
//!     .build()?;
//! let app: Router = Router::new()
//!     .merge(pages.router())
//!     .layer(UserSessionsLayer::new(session_store.clone()).around(SessionManagerLayer::new(session_store)));
//! # Ok(()) }
//! ```
//!
//! Merge the router *before* adding the session layers, so that they wrap it.

mod account;
mod anonymous_csrf;
mod attempts;
mod csrf;
mod failure;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
mod i18n;
mod icons;
mod json;
mod next;
mod notices;
mod render;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use minijinja::{Environment, Value, context};
use user_sessions::humanize::GeoIp;

pub use anonymous_csrf::{
    ANONYMOUS_CSRF_COOKIE, ANONYMOUS_CSRF_COOKIE_SECURE, AnonymousCsrf, IssuedToken,
};
pub use attempts::WrongPasswords;
pub use csrf::{
    CSRF_FIELD, CSRF_HEADER, CSRF_SESSION_KEY, CsrfError, CsrfPolicy, csrf_token, rotate_csrf_token,
};
pub use i18n::{LOCALES, Locale, TranslationError, Translations};
// For the admin, which answers the way the pages do.
pub use json::{ApiError, Ended, SessionList, SessionView, wants_json};
pub use next::safe_next;
pub use notices::{Notice, NoticeRequest};
pub use render::{EMBEDDED_TEMPLATES, Templates, embedded_template, register};
#[cfg(feature = "admin")]
pub(crate) use {failure::InternalFailure, json::json_response};

/// The stylesheet of the pages: self-contained (no fonts, images or CDN), light and dark,
/// right-to-left aware. Served by the router at [`Pages::stylesheet_path`].
pub const STYLESHEET: &str = include_str!("../../static/user-sessions.css");

/// The `Content-Security-Policy` the pages are sent with (unless the application turns it
/// off with [`PagesBuilder::security_headers`]): no scripts at all, styles from this origin.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The error a password verifier may return (the request then fails with `500`, or `503`
/// when it says the backend is unavailable).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

type VerifyFuture = Pin<Box<dyn Future<Output = Result<bool, BoxError>> + Send>>;
type VerifyFn = dyn Fn(String, String) -> VerifyFuture + Send + Sync;

/// What ending another session — one of the others, or all of them — requires besides a
/// valid form (re-authentication, as OWASP ASVS 3.3.4 asks). Ending the current session is
/// signing out and needs nothing.
///
/// The default is [`Confirmation::RecentAuthentication`] within
/// [`DEFAULT_WINDOW`](Confirmation::DEFAULT_WINDOW); an application that can check passwords
/// should prefer [`Confirmation::password`]. [`Confirmation::None`] is an explicit opt-out.
///
/// ```
/// use std::time::Duration;
/// use user_sessions_axum::pages::Confirmation;
///
/// // The application checks the password against its user store.
/// let by_password = Confirmation::password(|user_id: String, password: String| async move {
///     Ok::<_, std::convert::Infallible>(user_id == "42" && password == "correct horse")
/// });
/// // Or: only within 10 minutes of signing in.
/// let recent = Confirmation::recent_authentication(Duration::from_secs(600));
/// assert_eq!(Confirmation::default().name(), "recent_authentication");
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub enum Confirmation {
    /// Nothing besides the CSRF-checked form: whoever holds a stolen session can end all the
    /// owner's other sessions, the owner's own included. An opt-out, for applications that
    /// confirm in some other way.
    None,
    /// The user re-enters their password; the application's verifier checks it. A session
    /// may send 5 wrong passwords within 15 minutes; the fifth ends that session (signed out,
    /// `401` for JSON), so that a stolen session cannot be used to guess the password — and
    /// the owner, on their own sessions, is never locked out. The count is kept per app
    /// server.
    Password(Arc<VerifyFn>),
    /// The user must have signed in on this session within the window (its
    /// `authenticated_at`); otherwise they are asked to sign in again, at the login URL with
    /// `?next=` back to the list (see [`PagesBuilder::reauthenticate_url`]).
    RecentAuthentication(Duration),
}

impl Default for Confirmation {
    /// A sign-in within [`DEFAULT_WINDOW`](Confirmation::DEFAULT_WINDOW).
    fn default() -> Self {
        Confirmation::RecentAuthentication(Confirmation::DEFAULT_WINDOW)
    }
}

impl Confirmation {
    /// The window of the default confirmation: 15 minutes.
    pub const DEFAULT_WINDOW: Duration = Duration::from_secs(15 * 60);

    /// Password re-entry, checked by `verify(user_id, password)` (with a limit on wrong
    /// passwords, see [`Confirmation::Password`]).
    pub fn password<F, Fut, E>(verify: F) -> Self
    where
        F: Fn(String, String) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<bool, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let verify = Arc::new(verify);
        Confirmation::Password(Arc::new(move |user, password| {
            let verify = verify.clone();
            Box::pin(async move { verify(user, password).await.map_err(Into::into) })
        }))
    }

    /// A recent sign-in, within `window`.
    pub fn recent_authentication(window: Duration) -> Self {
        Confirmation::RecentAuthentication(window)
    }

    /// The name JSON clients see: `none`, `password`, `recent_authentication`.
    pub fn name(&self) -> &'static str {
        match self {
            Confirmation::None => "none",
            Confirmation::Password(_) => "password",
            Confirmation::RecentAuthentication(_) => "recent_authentication",
        }
    }
}

impl fmt::Debug for Confirmation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Confirmation::None => f.write_str("None"),
            Confirmation::Password(_) => f.write_str("Password(..)"),
            Confirmation::RecentAuthentication(window) => {
                f.debug_tuple("RecentAuthentication").field(window).finish()
            }
        }
    }
}

/// What can go wrong when the pages are built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PagesError {
    /// The templates could not be set up (a missing directory, a template that does not
    /// parse).
    #[error("templates: {0}")]
    Templates(#[from] std::io::Error),
    /// A forced locale that is not a language tag, or has no translations.
    #[error("no translations for the forced locale `{0}`")]
    UnknownLocale(String),
    /// A path that does not start with `/`.
    #[error("`{0}` is not an absolute path (it must start with `/`)")]
    InvalidPath(String),
}

/// Configures [`Pages`]; from [`Pages::builder`].
#[derive(Debug)]
pub struct PagesBuilder {
    path: String,
    login_url: String,
    logout_url: String,
    reauthenticate_url: Option<String>,
    home_url: String,
    site_name: Option<String>,
    confirmation: Confirmation,
    forced_locale: Option<String>,
    translations: Translations,
    templates: Templates,
    geoip: Option<GeoIp>,
    csrf: CsrfPolicy,
    security_headers: bool,
    notices: Option<notices::NoticeSource>,
}

impl Default for PagesBuilder {
    fn default() -> Self {
        PagesBuilder {
            path: "/account/sessions".into(),
            login_url: "/login".into(),
            logout_url: "/".into(),
            reauthenticate_url: None,
            home_url: "/".into(),
            site_name: None,
            confirmation: Confirmation::default(),
            forced_locale: None,
            translations: Translations::embedded(),
            templates: Templates::embedded(),
            geoip: None,
            csrf: CsrfPolicy::new(),
            security_headers: true,
            notices: None,
        }
    }
}

impl PagesBuilder {
    /// Where the pages live (default `/account/sessions`; the list is at `{path}/`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into().trim_end_matches('/').to_owned();
        self
    }

    /// Where anonymous visitors are sent to sign in (default `/login`); the page they
    /// wanted follows as `?next=`.
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.login_url = url.into();
        self
    }

    /// Where a user goes after ending their current session, signed out (default `/`).
    pub fn logout_url(mut self, url: impl Into<String>) -> Self {
        self.logout_url = url.into();
        self
    }

    /// Where a user signs in again when ending another session needs a recent sign-in
    /// (default: the login URL with `?next=` the list).
    pub fn reauthenticate_url(mut self, url: impl Into<String>) -> Self {
        self.reauthenticate_url = Some(url.into());
        self
    }

    /// The link in the pages' header (default `/`).
    pub fn home_url(mut self, url: impl Into<String>) -> Self {
        self.home_url = url.into();
        self
    }

    /// The application's name, shown in the header and titles.
    pub fn site_name(mut self, name: impl Into<String>) -> Self {
        self.site_name = Some(name.into());
        self
    }

    /// What ending another session, one or all, requires (default: a sign-in within
    /// [`Confirmation::DEFAULT_WINDOW`]; [`Confirmation::None`] turns it off).
    pub fn confirm_end_others(mut self, confirmation: Confirmation) -> Self {
        self.confirmation = confirmation;
        self
    }

    /// Renders every page in this language, whatever the browser asks for (a [`Locale`] in
    /// the request's extensions still wins).
    pub fn force_locale(mut self, tag: impl Into<String>) -> Self {
        self.forced_locale = Some(tag.into());
        self
    }

    /// The messages (default: [`Translations::embedded`]).
    pub fn translations(mut self, translations: Translations) -> Self {
        self.translations = translations;
        self
    }

    /// The templates (default: [`Templates::embedded`]).
    pub fn templates(mut self, templates: Templates) -> Self {
        self.templates = templates;
        self
    }

    /// A GeoIP database for locations ("Zwolle, The Netherlands").
    pub fn geoip(mut self, geoip: GeoIp) -> Self {
        self.geoip = Some(geoip);
        self
    }

    /// The origin rules for state-changing requests (default: same origin only).
    pub fn csrf(mut self, policy: CsrfPolicy) -> Self {
        self.csrf = policy;
        self
    }

    /// Whether responses carry `Content-Security-Policy` ([`CONTENT_SECURITY_POLICY`]),
    /// `X-Frame-Options`, `Referrer-Policy`, `X-Content-Type-Options` and
    /// `Cache-Control: no-store` (default: yes). Turn it off when the application sets its
    /// own.
    pub fn security_headers(mut self, on: bool) -> Self {
        self.security_headers = on;
        self
    }

    /// Where the sessions page gets the application's [notices](Notice) for the user
    /// viewing it ("New sign-in: Chrome on Windows, London — just now"): called once per
    /// view of the list (HTML, not JSON), with the verified user, the current session and
    /// the page's language. The template shows each above the list, with a "Dismiss" button
    /// when it has a [`dismiss_url`](Notice::dismiss_url).
    ///
    /// ```
    /// use user_sessions_axum::pages::{Notice, NoticeRequest, Pages};
    ///
    /// let pages = Pages::builder()
    ///     .notices(|request: NoticeRequest| async move {
    ///         if request.user_id == "42" {
    ///             vec![Notice::new("Your password expires tomorrow.")]
    ///         } else {
    ///             Vec::new()
    ///         }
    ///     })
    ///     .build()?;
    /// # Ok::<(), user_sessions_axum::pages::PagesError>(())
    /// ```
    pub fn notices<F, Fut>(mut self, notices: F) -> Self
    where
        F: Fn(NoticeRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Vec<Notice>> + Send + 'static,
    {
        self.notices = Some(notices::NoticeSource::new(notices));
        self
    }

    /// The pages.
    pub fn build(self) -> Result<Pages, PagesError> {
        if !self.path.starts_with('/') {
            return Err(PagesError::InvalidPath(self.path));
        }
        let forced_locale = match self.forced_locale {
            Some(tag) => Some(
                self.translations
                    .find(&tag)
                    .ok_or(PagesError::UnknownLocale(tag))?,
            ),
            None => None,
        };
        let env = self
            .templates
            .build(&self.translations, self.geoip.clone())?;
        let reauthenticate_url = self
            .reauthenticate_url
            .unwrap_or_else(|| with_next(&self.login_url, &format!("{}/", self.path)));
        Ok(Pages {
            inner: Arc::new(Inner {
                stylesheet_path: format!("{}/static/user-sessions.css", self.path),
                path: self.path,
                login_url: self.login_url,
                logout_url: self.logout_url,
                reauthenticate_url,
                home_url: self.home_url,
                site_name: self.site_name,
                confirmation: self.confirmation,
                forced_locale,
                translations: self.translations,
                env,
                geoip: self.geoip,
                csrf: self.csrf,
                security_headers: self.security_headers,
                password_attempts: WrongPasswords::new(5, Duration::from_secs(15 * 60)),
                notices: self.notices,
            }),
        })
    }
}

struct Inner {
    path: String,
    stylesheet_path: String,
    login_url: String,
    logout_url: String,
    reauthenticate_url: String,
    home_url: String,
    site_name: Option<String>,
    confirmation: Confirmation,
    forced_locale: Option<Locale>,
    translations: Translations,
    env: Environment<'static>,
    geoip: Option<GeoIp>,
    csrf: CsrfPolicy,
    security_headers: bool,
    password_attempts: WrongPasswords,
    notices: Option<notices::NoticeSource>,
}

/// The configured pages: their router, and the pieces other pages of the application (an
/// admin, a login form) reuse — rendering with the same templates and translations, the
/// language of a request, CSRF checks. Cheap to clone.
#[derive(Clone)]
pub struct Pages {
    inner: Arc<Inner>,
}

impl fmt::Debug for Pages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("path", &self.inner.path)
            .field("login_url", &self.inner.login_url)
            .field("logout_url", &self.inner.logout_url)
            .field("confirmation", &self.inner.confirmation)
            .finish_non_exhaustive()
    }
}

impl Pages {
    /// Starts the configuration.
    pub fn builder() -> PagesBuilder {
        PagesBuilder::default()
    }

    /// The routes of the account pages and the stylesheet. Merge it into the application's
    /// router before the session layers are added.
    pub fn router<S>(&self) -> Router<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        let path = &self.inner.path;
        let mut router = Router::new()
            .route(&format!("{path}/"), get(account::list))
            .route(
                &format!("{path}/other/delete/"),
                axum::routing::post(account::end_others).delete(account::end_others),
            )
            .route(
                &format!("{path}/{{public_id}}/delete/"),
                axum::routing::post(account::end_one).delete(account::end_one),
            )
            // The resource itself, for scripts: `DELETE {path}/{public_id}/`.
            .route(
                &format!("{path}/{{public_id}}/"),
                axum::routing::delete(account::end_one),
            )
            .route(&self.inner.stylesheet_path, get(stylesheet));
        if !path.is_empty() {
            router = router.route(path, get(account::add_slash));
        }
        router.with_state(self.clone())
    }

    /// Where the pages live, e.g. `/account/sessions` (no trailing slash).
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    /// The login URL.
    pub fn login_url(&self) -> &str {
        &self.inner.login_url
    }

    /// The login URL with `next` to come back to (left out when it is not a path of this
    /// site, see [`safe_next`]).
    pub fn login_url_with_next(&self, next: &str) -> String {
        with_next(&self.inner.login_url, next)
    }

    /// Where a user goes after ending their current session.
    pub fn logout_url(&self) -> &str {
        &self.inner.logout_url
    }

    /// The path the stylesheet is served at.
    pub fn stylesheet_path(&self) -> &str {
        &self.inner.stylesheet_path
    }

    /// The confirmation ending another session requires.
    pub fn confirmation(&self) -> &Confirmation {
        &self.inner.confirmation
    }

    /// The count of wrong passwords per session (for [`Confirmation::Password`]).
    pub(crate) fn password_attempts(&self) -> &WrongPasswords {
        &self.inner.password_attempts
    }

    /// The messages.
    pub fn translations(&self) -> &Translations {
        &self.inner.translations
    }

    /// The templates, with the pages' filters and functions.
    pub fn environment(&self) -> &Environment<'static> {
        &self.inner.env
    }

    /// The GeoIP database, if one was given.
    pub fn geoip(&self) -> Option<&GeoIp> {
        self.inner.geoip.as_ref()
    }

    /// The origin rules for state-changing requests.
    pub fn csrf(&self) -> &CsrfPolicy {
        &self.inner.csrf
    }

    /// The language of a request: a [`Locale`] in its extensions, else the forced locale,
    /// else the best match for `Accept-Language`.
    pub fn locale(&self, headers: &HeaderMap, extensions: &Extensions) -> Locale {
        if let Some(locale) = extensions.get::<Locale>() {
            if let Some(found) = self.inner.translations.find(&locale.tag()) {
                return found;
            }
        }
        if let Some(forced) = &self.inner.forced_locale {
            return forced.clone();
        }
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        self.inner.translations.negotiate(accept)
    }

    /// A message in `locale` (see [`Translations::message`]).
    pub fn message(&self, locale: &Locale, key: &str) -> String {
        self.inner.translations.message(locale, key, &[])
    }

    /// Renders `template` in `locale`: `context` plus the variables every page has (`lang`,
    /// `dir`, `stylesheet_url`, `home_url`, `site_name`).
    pub fn render(
        &self,
        locale: &Locale,
        template: &str,
        context: Value,
    ) -> Result<String, minijinja::Error> {
        let inner = &self.inner;
        let context = context! {
            lang => locale.tag(),
            dir => locale.dir(),
            stylesheet_url => format!("{}?v={}", inner.stylesheet_path, env!("CARGO_PKG_VERSION")),
            home_url => &inner.home_url,
            site_name => &inner.site_name,
            ..context
        };
        inner.env.get_template(template)?.render(context)
    }

    /// An HTML response with `status`, rendered from `template` (a `500` page when rendering
    /// fails), with the security headers.
    pub fn html(
        &self,
        status: StatusCode,
        locale: &Locale,
        template: &str,
        context: Value,
    ) -> Response {
        match self.render(locale, template, context) {
            Ok(body) => self.secure((status, axum::response::Html(body)).into_response()),
            Err(error) => {
                tracing::error!(%error, template, "template failed");
                self.secure(
                    (StatusCode::INTERNAL_SERVER_ERROR, "Internal server error").into_response(),
                )
            }
        }
    }

    /// A page with a title and one sentence (`user_sessions/message.html`), both message
    /// keys, and a link back to the list.
    pub fn message_page(
        &self,
        status: StatusCode,
        locale: &Locale,
        title_key: &str,
        message_key: &str,
    ) -> Response {
        self.html(
            status,
            locale,
            "user_sessions/message.html",
            context! {
                title => self.message(locale, title_key),
                message => self.message(locale, message_key),
                back_url => format!("{}/", self.inner.path),
            },
        )
    }

    /// Adds the security headers (when on) to a response of the pages.
    pub fn secure(&self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.append(
            header::VARY,
            HeaderValue::from_static("Accept, Accept-Language, Cookie"),
        );
        if self.inner.security_headers {
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            headers.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            );
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            );
        }
        response
    }
}

/// Serves [`STYLESHEET`].
async fn stylesheet() -> Response {
    let mut response = Response::new(Body::from(STYLESHEET));
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

/// `url` with `next=<next>` added to its query; `url` alone when `next` is not a path of
/// this site ([`safe_next`]).
fn with_next(url: &str, next: &str) -> String {
    let Some(next) = safe_next(next) else {
        return url.to_owned();
    };
    let separator = if url.contains('?') { '&' } else { '?' };
    let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
    format!("{url}{separator}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_encoded() {
        assert_eq!(
            with_next("/login", "/account/sessions/"),
            "/login?next=%2Faccount%2Fsessions%2F"
        );
        assert_eq!(
            with_next("/login?x=1", "/a?b=c&d=e"),
            "/login?x=1&next=%2Fa%3Fb%3Dc%26d%3De"
        );
        // A target that could leave the site is not passed on.
        for unsafe_next in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/a\rb",
        ] {
            assert_eq!(
                with_next("/login", unsafe_next),
                "/login",
                "{unsafe_next:?}"
            );
        }
    }

    #[test]
    fn build_checks_its_input() {
        assert!(matches!(
            Pages::builder().force_locale("xx").build(),
            Err(PagesError::UnknownLocale(_))
        ));
        assert!(matches!(
            Pages::builder().path("account").build(),
            Err(PagesError::InvalidPath(_))
        ));
        assert!(matches!(
            Pages::builder()
                .templates(Templates::from_dir("/nonexistent/templates"))
                .build(),
            Err(PagesError::Templates(_))
        ));
        let pages = Pages::builder().force_locale("pt").build().unwrap();
        let locale = pages.locale(&HeaderMap::new(), &Extensions::new());
        assert_eq!(locale.tag(), "pt-BR");
    }
}
