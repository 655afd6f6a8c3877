//! [`UserSessionsLayer`]: the one layer an application adds, around its session layer.

use std::sync::Arc;
use std::time::Duration;

use tower_layer::Layer;

use crate::UserSessionStore;
use crate::activity::RecentActivity;
use crate::client::{IpPrivacy, TrustedProxies};
use crate::request::Shared;
use crate::service::{UserSessionsService, WithSessions};
use crate::settings::{Settings, interval_ms};
use crate::user::UserSource;

/// The layer that makes tower-sessions sessions first-class rows.
///
/// Build it over the store, give it the session layer it works with — tower-sessions'
/// `SessionManagerLayer`, or axum-login's `AuthManagerLayer` (which contains one) — with
/// [`around`](Self::around), and add the result to the router in one `.layer(…)` call. It then
///
/// - **records the client** of every session: IP address, `User-Agent`, `Sec-CH-UA*` client
///   hints, and last activity. A session the request saves gets them with that save; a session
///   the request never touches costs nothing while its activity is fresh (an in-process note
///   says so) and one narrow write when it is not — at most one write per session per
///   [activity interval](Self::activity_interval) (default 60 s) for read-only traffic. A
///   request without a session cookie that stores nothing creates nothing.
/// - **knows who is signed in** from the authentication layer, never from the user id a
///   session merely carries: [`axum_login`](Self::axum_login) for axum-login,
///   [`verified_user`](Self::verified_user) for another layer, or — by default —
///   the user [`set_user`](crate::set_user) signed the session in as. A session whose stored
///   user the authentication layer no longer accepts is ended
///   ([`end_rejected_sessions`](Self::end_rejected_sessions)).
/// - **hands handlers a [`Sessions`](crate::Sessions) handle** (an extractor) to list and end
///   the user's sessions.
/// - **answers `503 Service Unavailable`** instead of tower-sessions' and axum-login's `500`
///   when the session backend is unreachable.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use axum::{Router, routing::get};
/// use tower_sessions::SessionManagerLayer;
/// use user_sessions_axum::{IpPrivacy, UserSessionStore, UserSessionsLayer};
///
/// let store = user_sessions::Store::open("sqlite::memory:").await?;
/// store.migrate().await?;
/// let session_store = UserSessionStore::new(store);
/// let app: Router = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .layer(
///         UserSessionsLayer::new(session_store.clone())
///             .trusted_proxies("10.0.0.0/8".parse()?)
///             .ip_privacy(IpPrivacy::Masked)
///             .around(SessionManagerLayer::new(session_store)),
///     );
/// # Ok(()) }
/// ```
///
/// Deactivating or deleting a user should also end their sessions at once
/// ([`Store::end_all_user_sessions`](user_sessions::Store::end_all_user_sessions)): a
/// rejected session is otherwise ended only when it is next used.
#[derive(Debug, Clone)]
pub struct UserSessionsLayer<L = WithoutSessionLayer> {
    settings: Settings,
    store: UserSessionStore,
    /// Shared by every service this layer builds (axum layers each route on its own).
    recent: Arc<RecentActivity>,
    session_layer: L,
}

/// The session layer a [`UserSessionsLayer`] still lacks: give one with
/// [`around`](UserSessionsLayer::around) (until then it is not a layer).
#[derive(Debug, Clone, Copy)]
pub struct WithoutSessionLayer;

impl UserSessionsLayer {
    /// A layer over `store` (a clone of the store given to the `SessionManagerLayer`).
    pub fn new(store: UserSessionStore) -> Self {
        UserSessionsLayer {
            settings: Settings::default(),
            store,
            recent: Arc::default(),
            session_layer: WithoutSessionLayer,
        }
    }
}

impl<L> UserSessionsLayer<L> {
    /// Works around `session_layer` (tower-sessions' `SessionManagerLayer`, or axum-login's
    /// `AuthManagerLayer`): the request's state opens outside it, handlers get their
    /// [`Sessions`](crate::Sessions) inside it.
    pub fn around<M>(self, session_layer: M) -> UserSessionsLayer<M> {
        UserSessionsLayer {
            settings: self.settings,
            store: self.store,
            recent: self.recent,
            session_layer,
        }
    }

    /// Believes forwarding headers from these proxies (default: none, the connection's peer
    /// address is the client's).
    pub fn trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.settings.client.proxies = proxies;
        self
    }

    /// How much of the client's IP address to store (default: all of it).
    pub fn ip_privacy(mut self, privacy: IpPrivacy) -> Self {
        self.settings.client.ip = privacy;
        self
    }

    /// Whether to store the user agent and client hints (default: yes).
    pub fn record_user_agent(mut self, record: bool) -> Self {
        self.settings.client.user_agent = record;
        self
    }

    /// The longest user agent stored, in bytes; longer ones are cut on a character boundary
    /// (default [`DEFAULT_MAX_USER_AGENT_LEN`](crate::DEFAULT_MAX_USER_AGENT_LEN)).
    pub fn max_user_agent_len(mut self, bytes: usize) -> Self {
        self.settings.client.max_user_agent_len = bytes;
        self
    }

    /// How stale last activity may get before it is written again (default
    /// [`DEFAULT_ACTIVITY_INTERVAL`](crate::DEFAULT_ACTIVITY_INTERVAL)). `Duration::ZERO`
    /// writes on every request.
    pub fn activity_interval(mut self, interval: Duration) -> Self {
        self.settings.activity_interval_ms = interval_ms(interval);
        self
    }

    /// Takes the signed-in user from axum-login: the user of its `AuthSession<B>`, which
    /// axum-login verified with the backend's `get_user` and the session auth hash. Needs the
    /// `axum-login` feature, and the `AuthManagerLayer` given to [`around`](Self::around).
    ///
    /// ```
    /// # use axum_login::{AuthUser, AuthnBackend, UserId};
    /// # #[derive(Clone, Debug)] struct User { id: i64 }
    /// # impl AuthUser for User { type Id = i64; fn id(&self) -> i64 { self.id } fn session_auth_hash(&self) -> &[u8] { &[] } }
    /// # #[derive(Clone)] struct Backend;
    /// # impl AuthnBackend for Backend {
    /// #     type User = User; type Credentials = (); type Error = std::convert::Infallible;
    /// #     async fn authenticate(&self, _: ()) -> Result<Option<User>, Self::Error> { Ok(None) }
    /// #     async fn get_user(&self, _: &UserId<Self>) -> Result<Option<User>, Self::Error> { Ok(None) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use axum_login::AuthManagerLayerBuilder;
    /// use tower_sessions::SessionManagerLayer;
    /// use user_sessions_axum::{UserSessionStore, UserSessionsLayer};
    ///
    /// let store = UserSessionStore::new(user_sessions::Store::open("sqlite::memory:").await?);
    /// let auth = AuthManagerLayerBuilder::new(Backend, SessionManagerLayer::new(store.clone())).build();
    /// let layer = UserSessionsLayer::new(store).axum_login::<Backend>().around(auth);
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "axum-login")]
    pub fn axum_login<B>(mut self) -> Self
    where
        B: axum_login::AuthnBackend + 'static,
        <B::User as axum_login::AuthUser>::Id: std::fmt::Display,
    {
        self.settings.user_source = UserSource::axum_login::<B>();
        self
    }

    /// Takes the signed-in user from the request, as the application's authentication layer
    /// left it (an extension it inserted, say): `verified(extensions)` returns the user id,
    /// rendered like the `user_id` column, or `None` for an anonymous request. It runs inside
    /// the layer given to [`around`](Self::around).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use user_sessions_axum::{UserSessionStore, UserSessionsLayer};
    ///
    /// #[derive(Clone)]
    /// struct CurrentUser { id: u64 } // inserted by the application's authentication layer
    ///
    /// let store = UserSessionStore::new(user_sessions::Store::open("sqlite::memory:").await?);
    /// let layer = UserSessionsLayer::new(store)
    ///     .verified_user(|extensions| extensions.get::<CurrentUser>().map(|user| user.id.to_string()));
    /// # Ok(()) }
    /// ```
    pub fn verified_user(
        mut self,
        verified: impl Fn(&http::Extensions) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.settings.user_source = UserSource::Request(Arc::new(verified));
        self
    }

    /// Whether to end a session whose stored user the authentication layer no longer accepts
    /// (default: yes). Either way, pages, admin and [`Sessions`](crate::Sessions) treat the
    /// request as anonymous.
    pub fn end_rejected_sessions(mut self, end: bool) -> Self {
        self.settings.end_rejected = end;
        self
    }
}

impl<S, L> Layer<S> for UserSessionsLayer<L>
where
    L: Layer<WithSessions<S>>,
{
    type Service = UserSessionsService<L::Service>;

    fn layer(&self, inner: S) -> Self::Service {
        let shared = Arc::new(Shared {
            settings: self.settings.clone(),
            store: self.store.store().clone(),
            recent: self.recent.clone(),
        });
        UserSessionsService::new(
            self.session_layer
                .layer(WithSessions::new(inner, shared.clone())),
            shared,
        )
    }
}
