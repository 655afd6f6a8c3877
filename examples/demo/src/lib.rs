//! The user-sessions demo: a complete axum application — sign in, see where you are signed
//! in, end the sessions you do not recognise — on SQLite, started with `cargo run -p demo`.
//!
//! One file on purpose: the demo is the reference for wiring the library into an application, read
//! top to bottom.
//!
//! It is also the reference for wiring the library into an application:
//! [`build`] opens the store, seeds two users, and stacks axum-login, tower-sessions, our
//! store and layer, and the account pages into one router.

pub mod new_sign_ins;
pub mod password_thread;
pub mod sample_geoip;
pub mod simulate;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Router, serve};
use axum_login::{AuthManagerLayerBuilder, AuthSession, AuthUser, AuthnBackend, UserId};
use minijinja::context;
use password_thread::{PasswordThread, hash_password, verify_password};
use serde::Deserialize;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use user_sessions::cache::CacheOptions;
use user_sessions::humanize::GeoIp;
use user_sessions::{OpenOptions, SessionLimit, Store};
use user_sessions_axum::admin::{Admin, AdminError, UserDirectory};
use user_sessions_axum::pages::{
    AnonymousCsrf, Confirmation, CsrfError, CsrfPolicy, Locale, Pages, PagesError, Templates,
    TranslationError, Translations, WrongPasswords, csrf_token, rotate_csrf_token, safe_next,
};
use user_sessions_axum::{
    InvalidProxy, Sessions, TrustedProxies, UserSessionStore, UserSessionsLayer,
};

use new_sign_ins::NewSignIns;

/// Where sessions are stored when `DATABASE_URL` is not set: a SQLite file in the working
/// directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://user-sessions-demo.db";

/// The demo's users: `(username, password, staff)`.
pub const SEED_USERS: [(&str, &str, bool); 2] =
    [("alice", "wonderland", true), ("bob", "builder", false)];

/// The Fluent messages of the demo's own pages (home, sign-in, navigation), in the locales
/// the library's pages have.
const DEMO_MESSAGES: [(&str, &str); 13] = [
    ("en", include_str!("../locales/en/demo.ftl")),
    ("nl", include_str!("../locales/nl/demo.ftl")),
    ("de", include_str!("../locales/de/demo.ftl")),
    ("fr", include_str!("../locales/fr/demo.ftl")),
    ("es", include_str!("../locales/es/demo.ftl")),
    ("it", include_str!("../locales/it/demo.ftl")),
    ("pt-BR", include_str!("../locales/pt-BR/demo.ftl")),
    ("ru", include_str!("../locales/ru/demo.ftl")),
    ("pl", include_str!("../locales/pl/demo.ftl")),
    ("ar", include_str!("../locales/ar/demo.ftl")),
    ("he", include_str!("../locales/he/demo.ftl")),
    ("zh-CN", include_str!("../locales/zh-CN/demo.ftl")),
    ("ja", include_str!("../locales/ja/demo.ftl")),
];

/// The library's translations with the demo's messages added.
fn translations() -> Result<Translations, TranslationError> {
    let mut translations = Translations::embedded();
    for (tag, source) in DEMO_MESSAGES {
        translations.add_resource(tag, source)?;
    }
    Ok(translations)
}

/// How long a session lives without being used.
const SESSION_LIFETIME: time::Duration = time::Duration::days(14);

/// How long a session lives at most, however often it is used: then its user signs in again.
const ABSOLUTE_LIFETIME: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// How many sessions one user may have at once: a sign-in beyond it ends their least recently
/// active session.
const SESSIONS_PER_USER: u32 = 10;

/// Wrong passwords an account may get at the sign-in form within [`SIGN_IN_WINDOW`].
const SIGN_IN_ATTEMPTS: u32 = 5;
/// How long wrong sign-in passwords count, from the first.
const SIGN_IN_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// What can stop the demo.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The session store failed (cannot open, cannot migrate).
    #[error("session store: {0}")]
    Store(#[from] user_sessions::Error),
    /// The pages could not be configured.
    #[error("pages: {0}")]
    Pages(#[from] PagesError),
    /// The admin pages could not be configured.
    #[error("admin: {0}")]
    Admin(#[from] AdminError),
    /// The GeoIP database could not be opened.
    #[error("GEOIP_PATH: {0}")]
    GeoIp(#[from] user_sessions::humanize::Error),
    /// `TRUSTED_PROXIES` is not a list of networks.
    #[error("TRUSTED_PROXIES: {0}")]
    Proxies(#[from] InvalidProxy),
    /// `PORT` is not a port number.
    #[error("PORT must be a number from 0 to 65535, not `{0}`")]
    Port(String),
    /// The demo's translations do not parse.
    #[error("translations: {0}")]
    Translations(#[from] TranslationError),
    /// The sample GeoIP data could not be built.
    #[error("{0}")]
    SampleGeoIp(#[from] sample_geoip::SampleError),
    /// The listener failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Hashing the seed passwords failed.
    #[error("password hashing: {0}")]
    Hashing(String),
    /// No key for the sign-in form's CSRF tokens (the system's randomness failed).
    #[error("CSRF key: {0}")]
    Csrf(#[from] CsrfError),
    /// A setting that must be a number of milliseconds is not one.
    #[error("{name} must be a number of milliseconds, not `{value}`")]
    Milliseconds {
        /// The environment variable.
        name: &'static str,
        /// What it held.
        value: String,
    },
    /// A setting that must be a whole number is not one.
    #[error("{name} must be a whole number, not `{value}`")]
    Number {
        /// The environment variable.
        name: &'static str,
        /// What it held.
        value: String,
    },
}

/// The settings, from the environment.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// `DATABASE_URL` (default [`DEFAULT_DATABASE_URL`]).
    pub database_url: Option<String>,
    /// `GEOIP_PATH`: a GeoLite2 / DB-IP City or Country `.mmdb`.
    pub geoip_path: Option<PathBuf>,
    /// `TRUSTED_PROXIES`: comma-separated CIDRs whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Option<String>,
    /// `DATABASE_TIMEOUT_MS`: the longest a session operation waits for a PostgreSQL, MySQL or
    /// Redis server before the request is answered `503` (default: the backend's, 5 s).
    pub database_timeout: Option<std::time::Duration>,
    /// `SESSION_CACHE_TTL_MS`: puts an in-process cache in front of the store, so that a
    /// session ended on another app server may keep working here for up to this long
    /// (default: no cache). See [`user_sessions::cache`] for the exact guarantee.
    pub session_cache_ttl: Option<std::time::Duration>,
    /// `SESSIONS_PER_USER`: how many sessions a user may have at once; the next sign-in ends
    /// the least recently active one (default 10; `0` means no limit).
    pub sessions_per_user: Option<u32>,
}

impl Config {
    /// Reads `DATABASE_URL`, `GEOIP_PATH`, `TRUSTED_PROXIES`, `DATABASE_TIMEOUT_MS`,
    /// `SESSION_CACHE_TTL_MS` (empty or `0` means unset) and `SESSIONS_PER_USER`.
    pub fn from_env() -> Result<Config, DemoError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let millis = |name: &'static str| match var(name) {
            None => Ok(None),
            Some(value) => match value.trim().parse::<u64>() {
                Ok(0) => Ok(None),
                Ok(ms) => Ok(Some(std::time::Duration::from_millis(ms))),
                Err(_) => Err(DemoError::Milliseconds { name, value }),
            },
        };
        Ok(Config {
            database_url: var("DATABASE_URL"),
            geoip_path: var("GEOIP_PATH").map(PathBuf::from),
            trusted_proxies: var("TRUSTED_PROXIES"),
            database_timeout: millis("DATABASE_TIMEOUT_MS")?,
            session_cache_ttl: millis("SESSION_CACHE_TTL_MS")?,
            sessions_per_user: match var("SESSIONS_PER_USER") {
                None => None,
                Some(value) => {
                    Some(value.trim().parse::<u32>().map_err(|_| DemoError::Number {
                        name: "SESSIONS_PER_USER",
                        value,
                    })?)
                }
            },
        })
    }

    /// The store URL in use.
    pub fn database_url(&self) -> &str {
        self.database_url.as_deref().unwrap_or(DEFAULT_DATABASE_URL)
    }
}

// ---------------------------------------------------------------------------------------------
// Users: two, in memory, with argon2 password hashes.

/// A user of the demo.
#[derive(Clone)]
pub struct User {
    /// The id sessions are bound to.
    pub id: i64,
    /// The name to sign in with.
    pub username: String,
    /// Whether the user may see the admin pages.
    pub staff: bool,
    password_hash: String,
    auth_hash: Vec<u8>,
    /// How often the password was changed: part of `auth_hash`.
    password_version: u32,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("staff", &self.staff)
            .finish_non_exhaustive()
    }
}

impl AuthUser for User {
    type Id = i64;

    fn id(&self) -> i64 {
        self.id
    }

    /// axum-login signs a user out when this changes (a new password). The demo hashes its
    /// passwords afresh at every start, with a new salt, so it uses a value that lasts:
    /// sessions survive a restart; a password change gives a new one.
    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

/// The user directory and axum-login backend.
#[derive(Clone, Debug)]
pub struct Users {
    /// In memory only: passwords changed in the demo are forgotten at a restart.
    users: Arc<std::sync::RwLock<Vec<User>>>,
    /// Checked when the username is unknown, so that both cases take as long.
    unknown_user_hash: Arc<str>,
    /// Where passwords are hashed and checked: one thread (see [`password_thread`]).
    hashing: PasswordThread,
}

/// What the login form sends.
#[derive(Clone, Deserialize)]
pub struct Credentials {
    /// The username.
    pub username: String,
    /// The password.
    pub password: String,
}

/// A failed password check (the hashing task died).
#[derive(Debug, thiserror::Error)]
#[error("password check failed: {0}")]
pub struct AuthError(String);

impl Users {
    /// Whether `password` is the password of the user with id `user_id` (the account pages'
    /// confirmation before ending another session).
    pub async fn verify_password(
        &self,
        user_id: &str,
        password: String,
    ) -> Result<bool, AuthError> {
        let Some(hash) = user_id
            .parse()
            .ok()
            .and_then(|id| self.get(id))
            .map(|u| u.password_hash)
        else {
            return Ok(false);
        };
        self.hashing
            .run(move || verify_password(&password, &hash))
            .await
            .map_err(|e| AuthError(e.to_string()))
    }

    /// The users of [`SEED_USERS`], their passwords hashed with argon2.
    pub async fn seed() -> Result<Users, DemoError> {
        let hashing = PasswordThread::start().map_err(|e| DemoError::Hashing(e.to_string()))?;
        let thread = hashing.clone();
        thread
            .run(move || {
                let users = SEED_USERS
                    .iter()
                    .zip(1..)
                    .map(|((username, password, staff), id)| User {
                        id,
                        username: (*username).to_owned(),
                        staff: *staff,
                        password_hash: hash_password(password),
                        auth_hash: auth_hash(id, 1),
                        password_version: 1,
                    })
                    .collect();
                Users {
                    users: Arc::new(std::sync::RwLock::new(users)),
                    unknown_user_hash: hash_password("no such user").into(),
                    hashing,
                }
            })
            .await
            .map_err(|e| DemoError::Hashing(e.to_string()))
    }

    /// The user with this id.
    pub fn get(&self, id: i64) -> Option<User> {
        self.read().iter().find(|u| u.id == id).cloned()
    }

    /// Gives the user a new password (hashed with argon2) and so a new `session_auth_hash`;
    /// returns the updated user, `None` when there is no such user.
    pub async fn set_password(&self, id: i64, password: String) -> Result<Option<User>, AuthError> {
        let hash = self
            .hashing
            .run(move || hash_password(&password))
            .await
            .map_err(|e| AuthError(e.to_string()))?;
        let mut users = self
            .users
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(user) = users.iter_mut().find(|u| u.id == id) else {
            return Ok(None);
        };
        user.password_version += 1;
        user.password_hash = hash;
        user.auth_hash = auth_hash(id, user.password_version);
        Ok(Some(user.clone()))
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<User>> {
        self.users
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// What `session_auth_hash` returns for version `version` of user `id`'s password.
fn auth_hash(id: i64, version: u32) -> Vec<u8> {
    format!("demo-user-{id}-v{version}").into_bytes()
}

impl AuthnBackend for Users {
    type User = User;
    type Credentials = Credentials;
    type Error = AuthError;

    async fn authenticate(&self, credentials: Credentials) -> Result<Option<User>, AuthError> {
        let user = self
            .read()
            .iter()
            .find(|u| u.username == credentials.username)
            .cloned();
        let hash = user.as_ref().map_or_else(
            || self.unknown_user_hash.to_string(),
            |u| u.password_hash.clone(),
        );
        let matches = self
            .hashing
            .run(move || verify_password(&credentials.password, &hash))
            .await
            .map_err(|e| AuthError(e.to_string()))?;
        Ok(user.filter(|_| matches))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<User>, AuthError> {
        Ok(self.get(*id))
    }
}

/// What the admin pages know of the users: names, and a search by username.
impl UserDirectory for Users {
    async fn display_names(
        &self,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, String>, user_sessions_axum::pages::BoxError>
    {
        Ok(self
            .read()
            .iter()
            .filter(|u| ids.contains(&u.id.to_string()))
            .map(|u| (u.id.to_string(), u.username.clone()))
            .collect())
    }

    async fn search(&self, text: &str) -> Result<Vec<String>, user_sessions_axum::pages::BoxError> {
        let text = text.to_lowercase();
        Ok(self
            .read()
            .iter()
            .filter(|u| u.username.to_lowercase().contains(&text))
            .map(|u| u.id.to_string())
            .collect())
    }
}

type Auth = AuthSession<Users>;

// ---------------------------------------------------------------------------------------------
// The application.

/// What every handler of the demo shares.
#[derive(Clone, Debug)]
pub struct AppState {
    pages: Pages,
    /// The CSRF tokens of the sign-in form, which anonymous visitors see: no session row.
    forms: AnonymousCsrf,
    /// Wrong passwords per account at the sign-in form.
    sign_ins: Arc<WrongPasswords>,
    store: Store,
    users: Users,
    /// The notices of sign-ins from new devices, waiting for the users' other sessions.
    new_sign_ins: NewSignIns,
}

/// The demo, ready to serve.
#[derive(Debug)]
pub struct Demo {
    /// The whole application.
    pub router: Router,
    /// The session store (for the purge task, and tests).
    pub store: Store,
}

/// Opens the store `config` names, with its timeout and cache.
async fn open_store(config: &Config) -> Result<Store, DemoError> {
    let mut options = OpenOptions::default();
    if let Some(timeout) = config.database_timeout {
        options = options.timeout(timeout);
    }
    let store = Store::open_with(config.database_url(), options).await?;
    Ok(match config.session_cache_ttl {
        Some(ttl) => store.with_cache(CacheOptions {
            ttl,
            ..CacheOptions::default()
        }),
        None => store,
    })
}

/// Opens and migrates the store, seeds the users, and builds the application.
pub async fn build(config: &Config) -> Result<Demo, DemoError> {
    let mut store = open_store(config)
        .await?
        .with_absolute_lifetime(ABSOLUTE_LIFETIME);
    match config.sessions_per_user.unwrap_or(SESSIONS_PER_USER) {
        0 => {}
        max => store = store.with_session_limit(SessionLimit::new(max)),
    }
    store.migrate().await?;
    let users = Users::seed().await?;

    // Without a database of its own, the demo shows locations from sample data, and says so
    // wherever they appear.
    let (geoip, sample) = match &config.geoip_path {
        Some(path) => (GeoIp::open(path)?, false),
        None => (sample_geoip::open()?, true),
    };
    // A sign-in from a device the user has not used in that country is a new device.
    let store = store.with_new_device_countries(geoip.clone());
    let mut templates = Templates::embedded()
        .with_template(
            "user_sessions/nav.html",
            include_str!("../templates/nav.html"),
        )
        .with_template("demo/home.html", include_str!("../templates/home.html"))
        .with_template("demo/login.html", include_str!("../templates/login.html"))
        .with_template(
            "demo/password.html",
            include_str!("../templates/password.html"),
        );
    if sample {
        templates = templates.with_template(
            "user_sessions/attribution.html",
            include_str!("../templates/attribution.html"),
        );
    }
    // Sign-ins from devices the user's history does not know: a notice on the user's other
    // sessions' sessions page, until dismissed.
    let new_sign_ins = NewSignIns::default();
    new_sign_ins.follow(store.events().subscribe(1024));
    let translations = translations()?;
    let pages = Pages::builder()
        .notices({
            let (new_sign_ins, translations, geoip) =
                (new_sign_ins.clone(), translations.clone(), geoip.clone());
            move |request| {
                let notices = new_sign_ins.notices(&request, &translations, &geoip);
                async move { notices }
            }
        })
        .site_name("user-sessions demo")
        .login_url("/login")
        .logout_url("/")
        // Served on plain http://127.0.0.1, like the cookie below; behind TLS, keep the
        // default (https).
        .csrf(CsrfPolicy::new().plain_http())
        // Ending another session asks for the password.
        .confirm_end_others(Confirmation::password({
            let users = users.clone();
            move |user_id: String, password: String| {
                let users = users.clone();
                async move { users.verify_password(&user_id, password).await }
            }
        }))
        .translations(translations)
        .templates(templates)
        // The header names the signed-in user (and the admin finds users) in the same place.
        .user_directory(users.clone())
        .geoip(geoip);
    let pages = pages.build()?;

    let session_store = UserSessionStore::new(store.clone());
    let session_layer = SessionManagerLayer::new(session_store.clone())
        // The demo runs on plain http://127.0.0.1; behind TLS, keep the default (secure).
        .with_secure(false)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(SESSION_LIFETIME));
    // The admin pages, for staff (alice): every session of every user.
    let staff = users.clone();
    let admin = Admin::builder(pages.clone(), users.clone(), move |user_id: String| {
        let is_staff = user_id
            .parse()
            .ok()
            .and_then(|id| staff.get(id))
            .is_some_and(|u| u.staff);
        async move { Ok::<_, std::convert::Infallible>(is_staff) }
    })
    .path("/admin/sessions")
    .build()?;
    let auth_layer = AuthManagerLayerBuilder::new(users.clone(), session_layer).build();
    let mut sessions_layer = UserSessionsLayer::new(session_store).axum_login::<Users>();
    if let Some(proxies) = &config.trusted_proxies {
        sessions_layer = sessions_layer.trusted_proxies(proxies.parse::<TrustedProxies>()?);
    }

    let state = AppState {
        pages: pages.clone(),
        // Plain http, like the session cookie: behind TLS keep the default (a `Secure`,
        // `__Host-` cookie).
        forms: AnonymousCsrf::new()?.secure(false),
        sign_ins: Arc::new(WrongPasswords::new(SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW)),
        store: store.clone(),
        users,
        new_sign_ins,
    };
    let router = Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/sign-in-elsewhere", post(sign_in_elsewhere))
        .route(new_sign_ins::DISMISS_URL, post(dismiss_notices))
        .route(
            "/account/password",
            get(password_page).post(change_password),
        )
        // The account pages: /account/sessions/ and its end URLs.
        .merge(pages.router())
        // The admin pages, for staff (alice): /admin/sessions/.
        .merge(admin.router())
        .with_state(state)
        .layer(sessions_layer.around(auth_layer));
    Ok(Demo { router, store })
}

/// Serves `demo` on `listener` until Ctrl-C.
pub async fn serve_until_ctrl_c(
    demo: Demo,
    listener: tokio::net::TcpListener,
) -> Result<(), DemoError> {
    serve(
        listener,
        demo.router
            .into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

fn english() -> Locale {
    Locale::english()
}

/// A `403` for a login or logout form that fails the CSRF check.
fn forbidden(pages: &Pages) -> Response {
    pages.message_page(
        StatusCode::FORBIDDEN,
        &english(),
        "error-forbidden-title",
        "error-forbidden",
    )
}

/// Where to go after signing in: a path of this site only (no open redirects).
fn next_or_home(next: Option<&str>) -> &str {
    next.and_then(safe_next).unwrap_or("/")
}

/// `GET /`.
async fn home(
    State(state): State<AppState>,
    auth: Auth,
    session: Session,
    headers: HeaderMap,
) -> Response {
    let user = auth.user.as_ref();
    // Only a signed-in page needs a token (for "Sign out"); anonymous visits stay cookieless.
    let token = match user {
        Some(_) => match csrf_token(&session).await {
            Ok(token) => Some(token),
            Err(error) => {
                tracing::error!(%error, "no CSRF token");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
        None => None,
    };
    let accept_language = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let locale = state.pages.translations().negotiate(accept_language);
    state.pages.html(
        StatusCode::OK,
        &locale,
        "demo/home.html",
        context! {
            user => user.map(|u| context! { username => &u.username, staff => u.staff }),
            // The header's "Signed in as …", as on the library's pages.
            signed_in => user.map(|u| context! { id => u.id, name => &u.username }),
            csrf_token => token,
            seed_users => SEED_USERS.iter().map(|(name, password, staff)| context! { name, password, staff }).collect::<Vec<_>>(),
        },
    )
}

/// `POST /sign-in-elsewhere`: sessions for the signed-in user from a few other devices (see
/// [`simulate`]), then to the sessions page.
async fn sign_in_elsewhere(
    State(state): State<AppState>,
    auth: Auth,
    session: Session,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<LogoutForm>,
) -> Response {
    let sign_in = "/login?next=%2F";
    let user = match form_user(
        &state,
        &auth,
        &session,
        &headers,
        &uri,
        &form.csrf_token,
        sign_in,
    )
    .await
    {
        Ok(user) => user,
        Err(response) => return response,
    };
    match simulate::sign_in_elsewhere(&state.store, &user.id.to_string(), SESSION_LIFETIME).await {
        Ok(count) => {
            tracing::info!(user = %user.username, count, "simulated sign-ins from other devices");
            Redirect::to("/account/sessions/").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "simulated sign-in failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// `GET /login`. The form's CSRF token comes with a cookie of its own, so that an anonymous
/// visit stores no session.
async fn login_page(
    State(state): State<AppState>,
    sessions: Sessions,
    headers: HeaderMap,
    Query(query): Query<Next>,
) -> Response {
    // A browser whose session was ended elsewhere is told so, not shown a bare form. The
    // store being down only costs the notice.
    let notice = match sessions.was_signed_out().await {
        Ok(true) => Some(Notice::SignedOut),
        Ok(false) | Err(_) => None,
    };
    render_login(
        &state,
        &headers,
        query.next.as_deref(),
        Attempt {
            error: None,
            notice,
        },
        StatusCode::OK,
    )
}

/// What the sign-in page says above its form.
#[derive(Debug, Clone, Copy)]
enum Notice {
    /// The browser's session was ended elsewhere (or expired).
    SignedOut,
}

/// The sign-in page's messages.
struct Attempt<'a> {
    /// Why the last attempt failed (shown under the password field).
    error: Option<&'a str>,
    notice: Option<Notice>,
}

fn render_login(
    state: &AppState,
    headers: &HeaderMap,
    next: Option<&str>,
    attempt: Attempt<'_>,
    status: StatusCode,
) -> Response {
    let issued = match state.forms.issue(headers) {
        Ok(issued) => issued,
        Err(error) => {
            tracing::error!(%error, "no CSRF token");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut response = state.pages.html(
        status,
        &english(),
        "demo/login.html",
        context! {
            csrf_token => issued.token,
            next => next_or_home(next),
            error => attempt.error,
            signed_out => matches!(attempt.notice, Some(Notice::SignedOut)),
        },
    );
    if let Some(cookie) = issued.set_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// `429 Too Many Requests` with `Retry-After` (whole seconds, rounded up).
fn too_many_sign_ins(wait: std::time::Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, seconds.to_string())],
        "Too many wrong passwords for this account. Try again later.",
    )
        .into_response()
}

/// The login form. No `Debug`: it holds a password.
#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    csrf_token: String,
    next: Option<String>,
}

/// `POST /login`.
async fn login(
    State(state): State<AppState>,
    mut auth: Auth,
    session: Session,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<LoginForm>,
) -> Response {
    let pages = &state.pages;
    if let Err(error) = state
        .forms
        .verify(pages.csrf(), &headers, &uri, Some(&form.csrf_token))
    {
        tracing::info!(%error, "login refused");
        return forbidden(pages);
    }
    // Throttled per account (known or not), counted before the password is checked.
    let account = form.username.to_lowercase();
    if let Err(wait) = state.sign_ins.attempt(&account) {
        tracing::warn!(%account, "sign-in refused: too many wrong passwords");
        return too_many_sign_ins(wait);
    }
    let credentials = Credentials {
        username: form.username,
        password: form.password,
    };
    let user = match auth.authenticate(credentials).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            return render_login(
                &state,
                &headers,
                form.next.as_deref(),
                Attempt {
                    error: Some("Unknown username or wrong password."),
                    notice: None,
                },
                StatusCode::UNAUTHORIZED,
            );
        }
        Err(error) => {
            tracing::error!(%error, "login failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // The password was right: the count starts afresh, whatever happens next.
    state.sign_ins.succeeded(&account);
    // Signing in again starts a new session, so that its sign-in time is now.
    if auth.user.is_some() && auth.logout().await.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if auth.login(&user).await.is_err() || rotate_csrf_token(&session).await.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    tracing::info!(user = %user.username, "signed in");
    Redirect::to(next_or_home(form.next.as_deref())).into_response()
}

#[derive(Deserialize)]
struct LogoutForm {
    #[serde(default)]
    csrf_token: String,
}

/// The `403` for a signed-in form whose CSRF token or origin does not check out; `None` when
/// it does.
async fn refuse_forged(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    uri: &Uri,
    token: &str,
) -> Option<Response> {
    let error = state
        .pages
        .csrf()
        .verify(session, headers, uri, Some(token))
        .await
        .err()?;
    tracing::info!(%error, path = %uri.path(), "form refused");
    Some(forbidden(&state.pages))
}

/// The user of a form `POST` that needs one: the CSRF check first, then the signed-in user, or
/// a redirect to `sign_in` (the login page, with its `next`) for a visitor who is not signed in.
async fn form_user(
    state: &AppState,
    auth: &Auth,
    session: &Session,
    headers: &HeaderMap,
    uri: &Uri,
    token: &str,
    sign_in: &str,
) -> Result<User, Response> {
    if let Some(refused) = refuse_forged(state, session, headers, uri, token).await {
        return Err(refused);
    }
    auth.user
        .clone()
        .ok_or_else(|| Redirect::to(sign_in).into_response())
}

/// The shortest new password the demo accepts.
const MIN_PASSWORD_LEN: usize = 8;

#[derive(Deserialize)]
struct PasswordQuery {
    changed: Option<String>,
}

/// The password form. No `Debug`: it holds passwords.
#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// `GET /account/password`.
async fn password_page(
    State(state): State<AppState>,
    auth: Auth,
    session: Session,
    Query(query): Query<PasswordQuery>,
) -> Response {
    if auth.user.is_none() {
        return Redirect::to("/login?next=%2Faccount%2Fpassword").into_response();
    }
    render_password(
        &state,
        &session,
        None,
        query.changed.is_some(),
        StatusCode::OK,
    )
    .await
}

async fn render_password(
    state: &AppState,
    session: &Session,
    error: Option<&str>,
    changed: bool,
    status: StatusCode,
) -> Response {
    let token = match csrf_token(session).await {
        Ok(token) => token,
        Err(error) => {
            tracing::error!(%error, "no CSRF token");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    state.pages.html(
        status,
        &english(),
        "demo/password.html",
        context! { csrf_token => token, error, changed },
    )
}

/// `POST /account/password`: checks the current password, stores the new one (in memory),
/// signs this session in again with the new `session_auth_hash`, and ends every other session
/// of the user.
async fn change_password(
    State(state): State<AppState>,
    mut auth: Auth,
    sessions: Sessions,
    session: Session,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<PasswordForm>,
) -> Response {
    let sign_in = "/login?next=%2Faccount%2Fpassword";
    let user = match form_user(
        &state,
        &auth,
        &session,
        &headers,
        &uri,
        &form.csrf_token,
        sign_in,
    )
    .await
    {
        Ok(user) => user,
        Err(response) => return response,
    };
    let user_id = user.id.to_string();
    match state
        .users
        .verify_password(&user_id, form.current_password)
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            let error = Some("That is not your current password.");
            return render_password(&state, &session, error, false, StatusCode::UNAUTHORIZED).await;
        }
        Err(error) => {
            tracing::error!(%error, "password check failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    if form.new_password.chars().count() < MIN_PASSWORD_LEN {
        let error = Some("Choose a new password of at least 8 characters.");
        return render_password(&state, &session, error, false, StatusCode::BAD_REQUEST).await;
    }
    let updated = match state.users.set_password(user.id, form.new_password).await {
        Ok(Some(updated)) => updated,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(error) => {
            tracing::error!(%error, "storing the new password failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // The new `session_auth_hash` into this session (a new id, as at any sign-in), then every
    // other session of the user ends.
    if auth.login(&updated).await.is_err() || rotate_csrf_token(&session).await.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    match sessions.password_changed().await {
        Ok(ended) => {
            tracing::info!(user = %user.username, ended, "password changed");
            Redirect::to("/account/password?changed=1").into_response()
        }
        Err(error) => error.into_response(),
    }
}

/// `POST /notices/dismiss`: the user read the new-sign-in notices; back to the sessions page.
async fn dismiss_notices(
    State(state): State<AppState>,
    auth: Auth,
    session: Session,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<LogoutForm>,
) -> Response {
    let sign_in = "/login?next=%2Faccount%2Fsessions%2F";
    let user = match form_user(
        &state,
        &auth,
        &session,
        &headers,
        &uri,
        &form.csrf_token,
        sign_in,
    )
    .await
    {
        Ok(user) => user,
        Err(response) => return response,
    };
    state.new_sign_ins.dismiss(&user.id.to_string());
    Redirect::to(&format!("{}/", state.pages.path())).into_response()
}

/// `POST /logout`.
async fn logout(
    State(state): State<AppState>,
    mut auth: Auth,
    session: Session,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<LogoutForm>,
) -> Response {
    if auth.user.is_none() {
        // Signed out already (ended from another device, or expired): nothing changes, so
        // there is nothing to forge; the sign-in page says why.
        return Redirect::to("/login").into_response();
    }
    if let Some(refused) = refuse_forged(&state, &session, &headers, &uri, &form.csrf_token).await {
        return refused;
    }
    match auth.logout().await {
        Ok(_) => Redirect::to("/").into_response(),
        Err(error) => {
            tracing::error!(%error, "logout failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_speaks_every_language_of_the_pages() {
        let translations = translations().expect("the demo's messages parse");
        let english: Locale = "en".parse().expect("en");
        let keys: Vec<String> = translations
            .keys(&english)
            .into_iter()
            .filter(|k| k.starts_with("demo-"))
            .collect();
        assert!(keys.len() > 10);
        assert_eq!(
            DEMO_MESSAGES.len(),
            user_sessions_axum::pages::LOCALES.len()
        );
        for (tag, _) in DEMO_MESSAGES {
            let locale = translations.find(tag).expect(tag);
            let theirs = translations.keys(&locale);
            for key in &keys {
                assert!(theirs.contains(key), "{tag} lacks {key}");
            }
        }
    }
}
