//! [`UserSessionsLayer`]: records the client on sessions that exist, hands handlers a
//! [`Sessions`] handle, and answers `503` when the session backend is down.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::extract::ConnectInfo;
use http::{Request, Response};
use tower_layer::{Identity, Layer};
use tower_service::Service;
use tower_sessions::Session;

use crate::client::{ClientHeaders, ClientSettings, IpPrivacy, TrustedProxies};
use crate::metadata::{self, METADATA_KEY, Metadata, is_recent, millis};
use crate::request::{self, ClientToRecord};
use crate::unavailable::MapUnavailable;
use crate::{Sessions, UserSessionStore};

/// The default activity interval: last activity is written at most this often per session.
pub const DEFAULT_ACTIVITY_INTERVAL: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
struct Settings {
    store: UserSessionStore,
    client: ClientSettings,
    activity_interval_ms: i64,
}

/// The layer that makes tower-sessions sessions first-class rows.
///
/// Give it the session layer it works with — tower-sessions' `SessionManagerLayer`, or
/// axum-login's `AuthManagerLayer` (which contains one) — with [`around`](Self::around), and
/// add the result to the router in one `.layer(…)` call. It then
///
/// - **records the client** on every session that exists during a request (loaded by anyone,
///   or created by the handler): IP address, `User-Agent`, `Sec-CH-UA*` client hints. The
///   session is marked for saving only when one of these changed, or when its last activity
///   is older than the [activity interval](Self::activity_interval) (default 60 s), so
///   read-only traffic writes once per interval. A request that never touches the session and
///   carries no session cookie creates nothing; a request with a session cookie loads its
///   session (one indexed read) to refresh its activity. An unknown or expired cookie is
///   cleared.
/// - **hands handlers a [`Sessions`] handle** (an extractor) to list and end the user's
///   sessions.
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
/// Without [`around`](Self::around), the layer must be added *inside* the session layer
/// (before it, in `Router::layer` order); it then cannot turn the session layer's own `500`
/// into a `503`.
#[derive(Debug, Clone)]
pub struct UserSessionsLayer<L = Identity> {
    settings: Arc<Settings>,
    session_layer: L,
}

impl UserSessionsLayer {
    /// A layer over `store` (a clone of the store given to the `SessionManagerLayer`).
    pub fn new(store: UserSessionStore) -> Self {
        UserSessionsLayer {
            settings: Arc::new(Settings {
                store,
                client: ClientSettings::default(),
                activity_interval_ms: interval_ms(DEFAULT_ACTIVITY_INTERVAL),
            }),
            session_layer: Identity::new(),
        }
    }
}

impl<L> UserSessionsLayer<L> {
    /// Works around `session_layer`: recording inside it, the `503` mapping outside it.
    pub fn around<M>(self, session_layer: M) -> UserSessionsLayer<M> {
        UserSessionsLayer {
            settings: self.settings,
            session_layer,
        }
    }

    fn settings_mut(&mut self) -> &mut Settings {
        Arc::make_mut(&mut self.settings)
    }

    /// Believes forwarding headers from these proxies (default: none, the connection's peer
    /// address is the client's).
    pub fn trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.settings_mut().client.proxies = proxies;
        self
    }

    /// How much of the client's IP address to store (default: all of it).
    pub fn ip_privacy(mut self, privacy: IpPrivacy) -> Self {
        self.settings_mut().client.ip = privacy;
        self
    }

    /// Whether to store the user agent and client hints (default: yes).
    pub fn record_user_agent(mut self, record: bool) -> Self {
        self.settings_mut().client.user_agent = record;
        self
    }

    /// The longest user agent stored, in bytes; longer ones are cut on a character boundary
    /// (default [`DEFAULT_MAX_USER_AGENT_LEN`](crate::DEFAULT_MAX_USER_AGENT_LEN)).
    pub fn max_user_agent_len(mut self, bytes: usize) -> Self {
        self.settings_mut().client.max_user_agent_len = bytes;
        self
    }

    /// How stale last activity may get before a read-only request refreshes it
    /// (default [`DEFAULT_ACTIVITY_INTERVAL`]). `Duration::ZERO` writes on every request.
    pub fn activity_interval(mut self, interval: Duration) -> Self {
        self.settings_mut().activity_interval_ms = interval_ms(interval);
        self
    }
}

fn interval_ms(interval: Duration) -> i64 {
    i64::try_from(interval.as_millis()).unwrap_or(i64::MAX)
}

impl<S, L> Layer<S> for UserSessionsLayer<L>
where
    L: Layer<RecordClient<S>>,
{
    type Service = MapUnavailable<L::Service>;

    fn layer(&self, inner: S) -> Self::Service {
        MapUnavailable::new(self.session_layer.layer(RecordClient {
            inner,
            settings: self.settings.clone(),
        }))
    }
}

/// The service inside the session layer that records the client. Built by
/// [`UserSessionsLayer`].
#[derive(Debug, Clone)]
pub struct RecordClient<S> {
    inner: S,
    settings: Arc<Settings>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for RecordClient<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = RecordClientFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        // Use the service that was polled ready; leave a clone for the next call.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let Some(session) = request.extensions().get::<Session>().cloned() else {
            tracing::error!(
                "no tower-sessions `Session` in the request: add a SessionManagerLayer around UserSessionsLayer's service"
            );
            return RecordClientFuture::new(inner.call(request), None);
        };
        let settings = self.settings.clone();
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip())
            .or_else(|| {
                request
                    .extensions()
                    .get::<ConnectInfo<IpAddr>>()
                    .map(|ConnectInfo(ip)| *ip)
            });
        let headers = ClientHeaders::capture(peer, request.headers(), &settings.client);
        request
            .extensions_mut()
            .insert(Sessions::new(settings.store.clone(), session.clone()));
        let recording = Recording {
            session,
            headers,
            settings,
        };
        RecordClientFuture::new(inner.call(request), Some(recording))
    }
}

/// What is needed to record the client once the response is known.
struct Recording {
    session: Session,
    headers: ClientHeaders,
    settings: Arc<Settings>,
}

impl Recording {
    /// Finishes without waiting on the session when it can — the common case — and returns
    /// whether it did:
    /// - a changed session is saved by the session layer: the client goes to that save in the
    ///   request notes (when the save runs inside them, i.e. with [`around`](UserSessionsLayer::around));
    /// - no cookie and nothing stored: no session;
    /// - the session this request loaded, untouched since, already records this client, recently.
    fn finish_now(&self) -> bool {
        let session = &self.session;
        if session.is_modified() {
            if request::saves_in_scope() != Some(true) {
                return false;
            }
            request::note_client(ClientToRecord {
                client: self.headers.resolve(&self.settings.client),
                activity_interval_ms: self.settings.activity_interval_ms,
            });
            return true;
        }
        // Unchanged, so nothing stored without an id.
        let Some(id) = session.id() else {
            return true;
        };
        request::with_loaded(|loaded| {
            loaded.id == id
                && loaded.metadata.last_activity.is_some_and(|last| {
                    is_recent(
                        last,
                        millis(user_sessions::now()),
                        self.settings.activity_interval_ms,
                    )
                })
                && loaded
                    .metadata
                    .records(&self.headers.resolve(&self.settings.client))
        })
        .unwrap_or(false)
    }

    async fn run(self) {
        if let Err(error) = record(&self.session, &self.headers, &self.settings).await {
            tracing::warn!(%error, "could not record the client on the session");
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`RecordClient`]: the inner service's response, held back until
    /// the client is recorded on the session (for the session layer to save).
    pub struct RecordClientFuture<F, B> {
        #[pin]
        inner: F,
        recording: Option<Recording>,
        response: Option<Response<B>>,
        recorded: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
    }
}

impl<F, B> RecordClientFuture<F, B> {
    fn new(inner: F, recording: Option<Recording>) -> Self {
        RecordClientFuture {
            inner,
            recording,
            response: None,
            recorded: None,
        }
    }
}

impl<F, B, E> Future for RecordClientFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if this.recorded.is_none() {
            let response = ready!(this.inner.poll(cx))?;
            match this.recording.take() {
                // A failed request records nothing (its session is not saved either).
                Some(recording)
                    if !response.status().is_server_error() && !recording.finish_now() =>
                {
                    *this.response = Some(response);
                    *this.recorded = Some(Box::pin(recording.run()));
                }
                _ => return Poll::Ready(Ok(response)),
            }
        }
        if let Some(recorded) = this.recorded.as_mut() {
            ready!(recorded.as_mut().poll(cx));
        }
        let response = this
            .response
            .take()
            .expect("RecordClientFuture polled after it completed");
        Poll::Ready(Ok(response))
    }
}

/// Notes the client and activity on the session, if there is one, when they are news.
async fn record(
    session: &Session,
    headers: &ClientHeaders,
    settings: &Settings,
) -> Result<(), tower_sessions::session::Error> {
    // No cookie and nothing stored: no session. (Does not load anything.)
    if session.id().is_none() && session.is_empty().await {
        return Ok(());
    }
    // Loads the session if nobody has yet.
    let stored = session.get_value(METADATA_KEY).await?;
    // The cookie named no live session (or the handler flushed it).
    if stored.is_none() && session.is_empty().await {
        return Ok(());
    }
    let mut metadata = match stored.as_ref().map(metadata::resolve) {
        None => Metadata::default(),
        Some(Some(metadata)) => metadata,
        // A marker of a load these notes do not hold: the session is not this request's own
        // (never the case for the session tower-sessions hands the layer).
        Some(None) => return Ok(()),
    };
    let client = headers.resolve(&settings.client);
    let now = millis(user_sessions::now());
    if metadata.record(&client, now, settings.activity_interval_ms) {
        session
            .insert_value(METADATA_KEY, metadata.into_value())
            .await?;
    }
    Ok(())
}
