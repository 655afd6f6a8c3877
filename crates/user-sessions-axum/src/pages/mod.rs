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
mod builder;
mod confirmation;
mod csrf;
mod directory;
mod failure;
mod filters;
mod form_or_json;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
mod i18n;
mod icons;
mod json;
mod next;
mod notices;
mod render;
mod visit;

use std::fmt;
use std::sync::Arc;

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
pub use builder::{PagesBuilder, PagesError};
pub use confirmation::Confirmation;
pub use csrf::{
    CSRF_FIELD, CSRF_HEADER, CSRF_SESSION_KEY, CsrfError, CsrfPolicy, csrf_token, rotate_csrf_token,
};
pub use directory::UserDirectory;
pub use i18n::{LOCALES, Locale, TranslationError, Translations};
// For the admin, which answers the way the pages do.
pub use filters::register;
#[cfg(all(fuzzing, feature = "admin"))]
pub(crate) use form_or_json::parse as parse_fields;
pub use json::{ApiError, Ended, SessionList, SessionView, wants_json};
pub use next::safe_next;
pub use notices::{Notice, NoticeRequest};
pub use render::{EMBEDDED_TEMPLATES, Templates, embedded_template};
#[cfg(feature = "admin")]
pub(crate) use {
    directory::Directory,
    failure::Failure,
    form_or_json::{Fields, FormOrJson},
    visit::{Face, Flash, Visit, render_failures},
};

/// The stylesheet of the pages: self-contained (no fonts, images or CDN), light and dark,
/// right-to-left aware. Served by the router at [`Pages::stylesheet_path`].
pub const STYLESHEET: &str = include_str!("../../static/user-sessions.css");

/// The `Content-Security-Policy` the pages are sent with (unless the application turns it
/// off with [`PagesBuilder::security_headers`]): no scripts at all, styles from this origin.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The error a password verifier may return (the request then fails with `500`, or `503`
/// when it says the backend is unavailable).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub(super) struct Inner {
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
    directory: Option<Arc<dyn directory::Directory>>,
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
        router
            .with_state(self.clone())
            .layer(axum::middleware::from_fn_with_state(
                visit::Face::Account(self.clone()),
                visit::render_failures,
            ))
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

    /// Where ending another session sends a user to sign in again.
    pub(crate) fn reauthenticate_url(&self) -> &str {
        &self.inner.reauthenticate_url
    }

    /// The user directory, if the application gave one.
    pub(crate) fn directory(&self) -> Option<&dyn directory::Directory> {
        self.inner.directory.as_deref()
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
        self.render_in(
            &inner.env,
            &inner.stylesheet_path,
            locale,
            template,
            context,
        )
    }

    /// [`render`](Self::render) with `env` and the stylesheet at `stylesheet_path` (the
    /// admin's).
    pub(crate) fn render_in(
        &self,
        env: &Environment<'static>,
        stylesheet_path: &str,
        locale: &Locale,
        template: &str,
        context: Value,
    ) -> Result<String, minijinja::Error> {
        let inner = &self.inner;
        let context = context! {
            lang => locale.tag(),
            dir => locale.dir(),
            stylesheet_url => format!("{stylesheet_path}?v={}", env!("CARGO_PKG_VERSION")),
            home_url => &inner.home_url,
            site_name => &inner.site_name,
            ..context
        };
        env.get_template(template)?.render(context)
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
        self.html_from(status, template, self.render(locale, template, context))
    }

    /// The response for a page rendered (or not) from `template`.
    pub(crate) fn html_from(
        &self,
        status: StatusCode,
        template: &str,
        rendered: Result<String, minijinja::Error>,
    ) -> Response {
        match rendered {
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
