//! [`PagesBuilder`]: the configuration of the account pages.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use user_sessions::humanize::GeoIp;

use super::directory::{Directory, UserDirectory};
use super::{
    Confirmation, CsrfPolicy, Inner, Notice, NoticeRequest, Pages, Templates, Translations,
    WrongPasswords, with_next,
};

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
    directory: Option<Arc<dyn Directory>>,
    notices: Option<super::notices::NoticeSource>,
}

impl fmt::Debug for PagesBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PagesBuilder")
            .field("path", &self.path)
            .field("login_url", &self.login_url)
            .field("logout_url", &self.logout_url)
            .field("home_url", &self.home_url)
            .field("site_name", &self.site_name)
            .field("confirmation", &self.confirmation)
            .field("names_users", &self.directory.is_some())
            .field("notices", &self.notices.is_some())
            .finish_non_exhaustive()
    }
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
            directory: None,
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

    /// The link in the pages' header (default `/`; the admin's too).
    pub fn home_url(mut self, url: impl Into<String>) -> Self {
        self.home_url = url.into();
        self
    }

    /// The application's name, shown in the header and titles (of the admin too).
    pub fn site_name(mut self, name: impl Into<String>) -> Self {
        self.site_name = Some(name.into());
        self
    }

    /// Where the header's "Signed in as …" finds the signed-in user's name
    /// ([`UserDirectory::display_names`]); without one, or when it does not know the user, the
    /// header shows the user id.
    pub fn user_directory(mut self, directory: impl UserDirectory) -> Self {
        self.directory = Some(Arc::new(directory));
        self
    }

    /// What ending another session, one or all, requires (default: a sign-in within
    /// [`Confirmation::DEFAULT_WINDOW`]; [`Confirmation::None`] turns it off).
    pub fn confirm_end_others(mut self, confirmation: Confirmation) -> Self {
        self.confirmation = confirmation;
        self
    }

    /// Renders every page in this language, whatever the browser asks for (a [`Locale`](super::Locale) in
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

    /// Whether responses carry `Content-Security-Policy` ([`CONTENT_SECURITY_POLICY`](super::CONTENT_SECURITY_POLICY)),
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
        self.notices = Some(super::notices::NoticeSource::new(notices));
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
                directory: self.directory,
                password_attempts: WrongPasswords::new(5, Duration::from_secs(15 * 60)),
                notices: self.notices,
            }),
        })
    }
}
